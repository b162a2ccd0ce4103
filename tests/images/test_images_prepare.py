"""Photo preparation: every input mode, crop around the focus, resolution rules, separation
limits, caching and embedding."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layout.diagnostics import Severity
from layout.images import ImageStore, draw_image, prepare_photo, separate_rgb
from layout.printprofile import load_profile
from layout.units import mm

PROFILE = load_profile("newsprint")
ICC_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def gradient_rgb(w: int = 600, h: int = 400) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w]
    rgb = np.stack([xx * 255 // w, yy * 255 // h, 255 - (xx + yy) * 255 // (w + h)], -1).astype(np.uint8)
    rgb[:40, :40] = 0  # black
    rgb[-40:, -40:] = 255  # paper white
    return rgb


def save(tmp: Path, img: Image.Image, name: str) -> Path:
    path = tmp / name
    img.save(path)
    return path


def make_inputs(tmp: Path) -> dict[str, Path]:
    rgb = Image.fromarray(gradient_rgb())
    grey16 = (np.asarray(rgb.convert("L"), dtype=np.uint16) * 257)
    rgba = rgb.convert("RGBA")
    a = np.asarray(rgba).copy()
    a[:, :300, 3] = 0  # left half fully transparent: must become paper white
    la = rgb.convert("LA")
    la_arr = np.asarray(la).copy()
    la_arr[:, :300, 1] = 0
    return {
        "RGB": save(tmp, rgb, "rgb.jpg"),
        "RGBA": save(tmp, Image.fromarray(a, "RGBA"), "rgba.png"),
        "CMYK": save(tmp, Image.fromarray(gradient_rgb()).convert("CMYK"), "cmyk.tif"),
        "L": save(tmp, rgb.convert("L"), "l.png"),
        "I;16": save(tmp, Image.fromarray(grey16), "i16.png"),
        "P": save(tmp, rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=64), "p.png"),
        "LA": save(tmp, Image.fromarray(la_arr, "LA"), "la.png"),
        "1": save(tmp, rgb.convert("1"), "bw.png"),
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    return make_inputs(tmp_path_factory.mktemp("photos"))


def ink_total(img: Image.Image) -> np.ndarray:
    return np.asarray(img, dtype=np.int32).sum(axis=-1) * 100 / 255


def test_input_files_have_the_modes_they_claim(inputs):
    for mode, path in inputs.items():
        assert Image.open(path).mode == mode


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "CMYK", "P"])
def test_colour_inputs_become_cmyk_within_limits(inputs, mode):
    # 600 px over 3 in = 200 ppi: no resampling.
    p = prepare_photo(inputs[mode], 216, 144, profile=PROFILE)
    assert p.image.mode == "CMYK" and p.image.size == (600, 400)
    assert p.effective_ppi == pytest.approx(200)
    arr = np.asarray(p.image, dtype=np.int32)
    assert ink_total(p.image).max() <= PROFILE.ink_limit
    assert arr.max() <= round(PROFILE.shadow_pct / 100 * 255)
    nonzero = arr[arr > 0]
    assert nonzero.min() >= int(PROFILE.highlight_pct / 100 * 255)  # highlight clamp
    # Also after JPEG: the bytes embedded in the PDF.
    assert ink_total(Image.open(io.BytesIO(p.data))).max() <= PROFILE.ink_limit
    assert p.diagnostics == []


@pytest.mark.parametrize("mode", ["L", "I;16", "LA", "1"])
def test_grey_inputs_become_grey(inputs, mode):
    p = prepare_photo(inputs[mode], 216, 144, profile=PROFILE)
    assert p.image.mode == "L"
    arr = np.asarray(p.image, dtype=np.int32)
    k = 255 - arr
    assert k.max() <= round(PROFILE.shadow_pct / 100 * 255)
    assert k[k > 0].min() >= int(PROFILE.highlight_pct / 100 * 255)


def test_sixteen_bit_is_scaled_not_clipped(inputs):
    a = np.asarray(prepare_photo(inputs["I;16"], 216, 144, profile=PROFILE).image)
    b = np.asarray(prepare_photo(inputs["L"], 216, 144, profile=PROFILE).image)
    assert np.abs(a.astype(int) - b.astype(int)).max() <= 1  # same tones as the 8-bit grey


def test_transparent_areas_become_paper_white(inputs):
    for mode in ("RGBA", "LA"):
        p = prepare_photo(inputs[mode], 216, 144, profile=PROFILE)
        left = np.asarray(p.image)[:, :290]
        if p.image.mode == "CMYK":
            assert left.max() == 0
        else:
            assert left.min() == 255


def test_mono_pages_get_grey_from_colour(inputs):
    p = prepare_photo(inputs["RGB"], 216, 144, profile=PROFILE, mono=True)
    assert p.image.mode == "L"
    arr = np.asarray(p.image)
    assert arr[:30, :30].max() < 30  # black stays dark (95 % K)
    assert arr[-30:, -30:].min() == 255  # white stays paper


def test_separation_uses_gcr_and_respects_ink_limit():
    black = separate_rgb(np.zeros((1, 1, 3), np.float32), PROFILE)[0, 0]
    assert black[3] == pytest.approx(PROFILE.shadow_pct / 100)  # black carried by K
    assert black[:3].max() < 0.5  # grey component replaced
    light_grey = separate_rgb(np.full((1, 1, 3), 0.9, np.float32), PROFILE)[0, 0]
    assert light_grey[3] == 0  # no black dots in highlights
    red = separate_rgb(np.array([[[1.0, 0, 0]]], np.float32), PROFILE)[0, 0]
    assert red[0] == 0 and red[1] == red[2] == 1 and red[3] == 0


def test_crop_follows_focus(tmp_path):
    # A wide image, white with a black right quarter; a square frame.
    arr = np.full((400, 1600, 3), 255, np.uint8)
    arr[:, 1200:] = 0
    path = save(tmp_path, Image.fromarray(arr), "wide.png")
    right = prepare_photo(path, 144, 144, focus=(1.0, 0.5), profile=PROFILE)
    left = prepare_photo(path, 144, 144, focus=(0.0, 0.5), profile=PROFILE)
    assert right.image.size == left.image.size == (400, 400)
    assert np.asarray(right.image)[:, -10:, 3].min() > 200  # the black part is in
    assert np.asarray(left.image).max() == 0  # only white
    assert right.key != left.key


def test_downsample_above_max_ppi_and_never_upsample(tmp_path):
    big = save(tmp_path, Image.fromarray(gradient_rgb(2400, 1600)), "big.png")
    p = prepare_photo(big, 216, 144, profile=PROFILE)  # 800 ppi
    assert p.effective_ppi == pytest.approx(800)
    assert p.image.size == (600, 400)  # resampled to the 200 ppi target
    assert p.final_ppi == pytest.approx(200)
    small = save(tmp_path, Image.fromarray(gradient_rgb(300, 200)), "small.png")
    q = prepare_photo(small, 216, 144, profile=PROFILE)  # 100 ppi
    assert q.image.size == (300, 200)


def test_jpeg_draft_decoding_keeps_the_size_right(tmp_path):
    big = tmp_path / "big.jpg"
    Image.fromarray(gradient_rgb(4000, 3000)).save(big, quality=90)
    p = prepare_photo(big, mm(60), mm(40), profile=PROFILE)
    assert p.effective_ppi == pytest.approx(4000 / (mm(60) / 72), rel=1e-3)
    assert p.image.size == (round(mm(60) / 72 * 200), round(mm(40) / 72 * 200))


def test_resolution_diagnostics(tmp_path):
    path = save(tmp_path, Image.fromarray(gradient_rgb(300, 200)), "r.png")
    low = prepare_photo(path, 216, 144, profile=PROFILE)  # 100 ppi
    assert [(d.code, d.severity) for d in low.diagnostics] == [("IMAGE-LOW-PPI", Severity.ERROR)]
    assert "100 ppi" in low.diagnostics[0].message and low.diagnostics[0].location.file == str(path)
    mid = prepare_photo(path, 120, 80, profile=PROFILE)  # 180 ppi
    assert [(d.code, d.severity) for d in mid.diagnostics] == [("IMAGE-BELOW-TARGET-PPI", Severity.WARNING)]


def test_exif_rotation_is_applied(tmp_path):
    arr = gradient_rgb(600, 400)
    img = Image.fromarray(arr)
    exif = img.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    path = tmp_path / "rot.jpg"
    img.save(path, exif=exif.tobytes())
    p = prepare_photo(path, 144, 216, profile=PROFILE)  # portrait frame: fits the rotated photo
    assert p.image.size == (400, 600)
    assert p.effective_ppi == pytest.approx(200)


def test_store_caches_and_keys_are_deterministic(inputs):
    s1, s2 = ImageStore(), ImageStore()
    a = s1.prepare(inputs["RGB"], 216, 144, profile=PROFILE)
    assert s1.prepare(inputs["RGB"], 216, 144, profile=PROFILE) is a
    assert len(s1) == 1 and s1.get(a.key) is a and a.key in s1
    b = s2.prepare(inputs["RGB"], 216, 144, profile=PROFILE)
    assert b is not a and b.key == a.key and b.data == a.data
    assert s1.prepare(inputs["RGB"], 216, 144, profile=PROFILE, mono=True).key != a.key
    other = load_profile("newsprint", {"ink_limit": 240, "ink_warn": 200})
    assert s1.prepare(inputs["RGB"], 216, 144, profile=other).key != a.key
    assert len(s1) == 3


@pytest.mark.skipif(not ICC_CMYK.is_file(), reason="no CMYK ICC profile on this machine")
def test_icc_conversion_when_the_shop_gives_a_profile(inputs):
    icc = load_profile("newsprint", {"icc_profile": str(ICC_CMYK)})
    p = prepare_photo(inputs["RGB"], 216, 144, profile=icc)
    q = prepare_photo(inputs["RGB"], 216, 144, profile=PROFILE)
    assert p.image.mode == "CMYK" and p.key != q.key
    assert not np.array_equal(np.asarray(p.image), np.asarray(q.image))  # really a different conversion
    assert ink_total(p.image).max() <= icc.ink_limit


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler missing")
def test_draw_image_embeds_device_cmyk_and_gray_once(tmp_path, inputs):
    from reportlab.pdfgen.canvas import Canvas

    colour = prepare_photo(inputs["RGB"], 216, 144, profile=PROFILE)
    grey = prepare_photo(inputs["RGB"], 216, 144, profile=PROFILE, mono=True)
    out = tmp_path / "imgs.pdf"
    c = Canvas(str(out), pagesize=(600, 400), invariant=1)
    draw_image(c, colour, 10, 10, 216, 144)
    draw_image(c, colour, 300, 10, 216, 144)  # the same image twice: one XObject
    c.showPage()
    draw_image(c, grey, 10, 10, 216, 144)
    draw_image(c, colour, 300, 10, 216, 144)
    c.save()
    lines = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True).stdout.splitlines()[2:]
    rows = [line.split() for line in lines]
    assert [r[5] for r in rows] == ["cmyk", "cmyk", "gray", "cmyk"]
    assert len({r[10] for r in rows}) == 2  # object ids: two distinct images
    assert {r[12] for r in rows} == {"200"}  # x-ppi as placed
    # The colour is the separation's, not an RGB round trip: gs renders the plates we wrote.
    if shutil.which("gs"):
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", "-r72",
                        "-dFirstPage=1", "-dLastPage=1", f"-sOutputFile={tmp_path}/s.tif", str(out)], check=True)
        k = 255 - np.asarray(Image.open(tmp_path / "s(Black).tif"))
        c_ = 255 - np.asarray(Image.open(tmp_path / "s(Cyan).tif"))
        # The black corner (top-left of the photo at x 10..24, y from top 400-154..): K at 95 %, little cyan.
        y0 = 400 - 154
        assert k[y0 + 2:y0 + 10, 12:20].min() >= 235
        assert c_[y0 + 2:y0 + 10, 12:20].max() <= 80


def test_32_bit_integer_and_transparent_palette_inputs(tmp_path):
    grey = np.asarray(Image.fromarray(gradient_rgb()).convert("L"), dtype=np.int32)
    i32 = tmp_path / "i32.tif"
    Image.fromarray(grey * 257).save(i32)  # 16-bit range held in a 32-bit 'I' image
    assert Image.open(i32).mode == "I"
    a = np.asarray(prepare_photo(i32, 216, 144, profile=PROFILE).image, dtype=int)
    ref = tmp_path / "ref.png"
    Image.fromarray(grey.astype(np.uint8)).save(ref)
    b = np.asarray(prepare_photo(ref, 216, 144, profile=PROFILE).image, dtype=int)
    assert np.abs(a - b).max() <= 1
    pal = Image.fromarray(gradient_rgb()).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    pal.info["transparency"] = 0  # palette entry 0 is transparent
    path = tmp_path / "pt.png"
    pal.save(path, transparency=0)
    p = prepare_photo(path, 216, 144, profile=PROFILE)
    idx = np.asarray(Image.open(path))
    assert p.image.mode == "CMYK"
    assert np.asarray(p.image)[idx == 0].max() == 0  # transparent pixels are paper white
