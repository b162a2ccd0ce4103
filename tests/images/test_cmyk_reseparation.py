"""CMYK photos are separated again through the same GCR as RGB ones: a delivered CMYK file with
no K channel and up to 300 % ink (the sample's harbour.jpg) gets its greys and shadows on the K
plate, not just its C, M, Y scaled under the ink limit."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layout.images import prepare_photo, to_cmyk
from layout.printprofile import load_profile

PROFILE = load_profile("newsprint")
HARBOUR = Path(__file__).resolve().parents[2] / "assets" / "photos" / "harbour.jpg"


def _inks(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)), dtype=np.int32) * 100 / 255


def test_cmyk_without_k_separates_like_its_rgb():
    yy, xx = np.mgrid[0:64, 0:256]
    arr = np.stack([xx, (xx + yy) % 256, 255 - xx], -1).astype(np.uint8)
    arr[:16, :16] = 20  # a near-black patch
    rgb = Image.fromarray(arr, "RGB")
    cmy = rgb.convert("CMYK")  # Pillow's naive conversion: C = 255 - R ..., K = 0
    assert np.asarray(cmy)[..., 3].max() == 0
    a = np.asarray(to_cmyk(rgb, PROFILE), dtype=np.int32)
    b = np.asarray(to_cmyk(cmy, PROFILE), dtype=np.int32)
    assert np.abs(a - b).max() <= 1  # float rounding only
    assert b[..., 3].max() > 200  # the dark end is carried by K


def test_cmyk_with_k_is_read_as_the_colour_it_prints():
    # 0/0/0/60 is a 40 % grey: it stays a grey (no C, M, Y) with K from the GCR curve.
    grey = Image.new("CMYK", (8, 8), (0, 0, 0, 153))
    c, m, y, k = np.asarray(to_cmyk(grey, PROFILE), dtype=np.int32)[0, 0]
    assert k > 0 and max(c, m, y) < k


@pytest.mark.skipif(not HARBOUR.is_file(), reason="the sample's assets are not there")
def test_harbour_photo_gets_black_and_stays_under_the_limit():
    src = np.asarray(Image.open(HARBOUR), dtype=np.int32)
    assert Image.open(HARBOUR).mode == "CMYK" and src[..., 3].max() == 0  # the defect's input
    assert src.sum(axis=-1).max() * 100 / 255 > 290
    p = prepare_photo(HARBOUR, 300, 215, profile=PROFILE)
    inks = _inks(p.data)
    k = inks[..., 3]
    assert k.max() > 60  # shadows on the K plate (it was 0 everywhere)
    # Where the original had its heaviest C+M+Y, K now does a good part of the work.
    heavy = Image.open(HARBOUR).resize(p.image.size)
    heavy = np.asarray(heavy, dtype=np.int32)[..., :3].sum(-1) * 100 / 255 > 250
    assert heavy.any() and np.median(k[heavy]) > 40
    assert inks.sum(axis=-1).max() <= PROFILE.ink_limit
