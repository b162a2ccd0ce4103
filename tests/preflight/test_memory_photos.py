"""The page-description preflight's photos (layout/preflight/described.py): a photo is decoded,
the rows under the page raster's pixels copied out and sampled, and let go, so checking a page of
many photos holds one decoded photo at a time and no copy of it (issue 18: preflight was the peak
of a 24-page build's memory, every photo of the pages in hand and ahead kept decoded, each beside
a whole copy), with the findings of the page unchanged."""

from __future__ import annotations

import io
import tracemalloc

import numpy as np
import pytest
from PIL import Image

from layout.color import CMYK
from layout.frames import Box, ImageItem, PageFrame, Source
from layout.images import PreparedImage
from layout.preflight.described import frame_photos, image_levels, preflight_frame, preflight_frames
from layout.printprofile import load_profile
from layout.units import mm

SIDE = 1200  # px: a 4.2 MB decoded CMYK photo (5.76 MB), a few kB at the preflight's 72 dpi


def _photo(seed: int, mono: bool = False) -> PreparedImage:
    """A photo with solid four-colour patches (400 % total ink: the page must report it) over
    noise, encoded as the PDF embeds it."""
    rng = np.random.default_rng(seed)
    bands = 1 if mono else 4
    # smooth tones with a little grain, as photos are (a JPEG of pure noise is as big as its pixels)
    ramp = np.add.outer(np.arange(SIDE), np.arange(SIDE)) * (110 / (2 * SIDE))
    grain = rng.integers(0, 8, (SIDE, SIDE, bands))
    arr = (ramp[:, :, None] + grain).astype(np.uint8)
    arr[100 + seed * 50:300 + seed * 50, 200:500] = 255
    im = Image.fromarray(arr[:, :, 0] if mono else arr, "L" if mono else "CMYK")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    return PreparedImage(key=f"photo{seed}", image=Image.open(io.BytesIO(data)), effective_ppi=300.0, data=data,
                         width_pt=mm(60), height_pt=mm(60), source=f"photo{seed}.jpg")


@pytest.fixture(scope="module")
def page():
    images = {f"p{n}": _photo(n, mono=(n == 5)) for n in range(6)}
    items = []
    for n in range(6):
        x, y = mm(10) + (n % 3) * mm(65), mm(15) + (n // 3) * mm(70)
        items.append(ImageItem(x, y, mm(60), mm(60), f"p{n}", Source(story=f"s{n}", kind="photo")))
    # a tint knocked out over part of a photo, after it: what lies on top wins in the plates
    items.append(Box(mm(20), mm(20), mm(30), mm(20), fill=CMYK(0, 0, 0, 30)))
    frame = PageFrame("A01", mm(210), mm(160), tuple(items))
    return frame, images


@pytest.fixture(scope="module")
def profile():
    return load_profile("newsprint")


def test_findings_are_those_of_photos_decoded_whole(page, profile):
    frame, images = page
    kept = preflight_frame(frame, profile=profile, catalog=None, images=images, title="T", levels={})
    assert {f.code for f in kept} >= {"INK-OVER-LIMIT"}, kept  # the patches' 400 % is seen
    in_place = preflight_frame(frame, profile=profile, catalog=None, images=images, title="T")
    ahead = list(preflight_frames([(frame, "T", False), (frame, "U", True)], profile=profile, catalog=None,
                                  images=images, workers=2))
    mono = preflight_frame(frame, profile=profile, catalog=None, images=images, title="U", mono=True, levels={})
    assert in_place == kept
    assert ahead == [kept, mono]


def test_only_the_pixels_under_the_raster_are_kept(page, profile):
    frame, images = page
    photos = frame_photos(frame, images, profile)
    assert sorted(photos) == [n for n, i in enumerate(frame.items) if isinstance(i, ImageItem)]
    decoded = image_levels(images["p0"]).nbytes
    for win, values in photos.values():
        rows, cols = win
        for arr in values.values():
            assert arr.shape == (rows.stop - rows.start, cols.stop - cols.start)
            assert arr.base is None or arr.base.nbytes < decoded / 20  # not a view of the decoded photo
    # all six photos as the page's raster samples them: less than a fifth of one decoded photo
    assert sum(a.nbytes for _, values in photos.values() for a in values.values()) < decoded / 5


def test_a_page_of_photos_holds_no_decoded_photo_beside_pillows(page, profile):
    frame, images = page
    decoded = image_levels(images["p0"]).nbytes
    list(preflight_frames([(frame, "T", False)], profile=profile, catalog=None, images=images, workers=1))  # warm up
    tracemalloc.start()
    try:
        list(preflight_frames([(frame, "T", False)], profile=profile, catalog=None, images=images, workers=1))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # six photos on the page: holding them all decoded would be ~5.3 decoded photos (one is grey),
    # one copied whole out of Pillow's decoded image one (Pillow's own memory is not traced)
    assert peak < 0.5 * decoded, (peak, decoded)


def test_one_photo_is_decoded_at_a_time_however_many_pages_ahead(page, profile, monkeypatch):
    import threading
    import time

    from layout.preflight import described

    frame, images = page
    real = described._decoded_pixels
    lock = threading.Lock()
    now, most = [0], [0]

    def counting(*args):
        with lock:
            now[0] += 1
            most[0] = max(most[0], now[0])
        try:
            time.sleep(0.01)  # long enough for a second decoding thread to overlap
            return real(*args)
        finally:
            with lock:
                now[0] -= 1

    monkeypatch.setattr(described, "_decoded_pixels", counting)
    pages = [(frame, f"T{n}", False) for n in range(3)]
    got = list(preflight_frames(pages, profile=profile, catalog=None, images=images, workers=2))
    assert most[0] == 1
    assert got == [preflight_frame(frame, profile=profile, catalog=None, images=images, title=f"T{n}", levels={})
                   for n in range(3)]
