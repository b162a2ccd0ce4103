"""Proof photos drawn from a copy at the proof's resolution (raster._proxy_photos): the page looks as
pdfium draws the full photo, only cheaper; what is not a plain case keeps its pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.pdfgen import canvas

from layout.images import draw_image, prepare_photo
from layout.printprofile import load_profile
from layout.proof.raster import _proxy_photos

ROOT = Path(__file__).resolve().parents[2]
PHOTO = ROOT / "assets" / "photos" / "harbour.jpg"
SCALE = 100 / 72


def _page(path: Path, placements, *, mono: bool = False) -> None:
    """A page with the photo prepared for print (CMYK, or grey) at each (x, y, w, h), and text
    beside it."""
    profile = load_profile("newsprint")
    c = canvas.Canvas(str(path), pagesize=(600, 800), invariant=1)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont("Helvetica", 12)
    c.drawString(40, 760, "a caption beside the photo")
    for x, y, w, h in placements:
        prepared = prepare_photo(PHOTO, w, h, profile=profile, mono=mono)
        draw_image(c, prepared, x, y, w, h)
    c.showPage()
    c.save()


def _render(path: Path, proxy: bool) -> tuple[np.ndarray, list[tuple[int, int]]]:
    doc = pdfium.PdfDocument(str(path))
    page = doc[0]
    if proxy:
        _proxy_photos(page, SCALE)
    sizes = [o.get_px_size() for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
    pixels = page.render(scale=SCALE, rev_byteorder=True, prefer_bgrx=True).to_numpy()[..., :3].astype(int)
    doc.close()
    return pixels, sizes


@pytest.mark.parametrize("mono", [False, True])
def test_proxy_looks_like_the_full_photo(tmp_path, mono):
    pdf = tmp_path / "page.pdf"
    _page(pdf, [(40, 300, 400, 280)], mono=mono)
    full, full_sizes = _render(pdf, proxy=False)
    small, small_sizes = _render(pdf, proxy=True)
    # swapped: the photo now has about the pixels it covers at 100 dpi (400 x 280 pt -> 556 x 389)
    assert full_sizes[0][0] > 1.5 * 556
    assert small_sizes == [(556, 389)]
    assert full.shape == small.shape
    diff = np.abs(full - small)
    # the same picture, in pdfium's colours (a CMYK photo converted to RGB the same way, not lighter
    # or darker): only the resampling filter differs, at edges and fine detail
    assert diff.mean() < 1.0
    assert np.abs(full.mean(axis=(0, 1)) - small.mean(axis=(0, 1))).max() < 0.5
    # nothing else on the page changes: the caption and the paper around the photo are identical
    top = round((800 - 580) * SCALE) - 2
    assert np.array_equal(full[:top], small[:top])


def test_photo_drawn_twice_keeps_its_pixels(tmp_path):
    """One XObject drawn twice shares its stream: swapping it for one placement would show the
    other at the wrong resolution, so it is left alone."""
    pdf = tmp_path / "twice.pdf"
    _page(pdf, [(40, 300, 400, 280), (40, 20, 400, 280)])
    full, full_sizes = _render(pdf, proxy=False)
    small, small_sizes = _render(pdf, proxy=True)
    assert small_sizes == full_sizes
    assert np.array_equal(full, small)


def test_photo_near_proof_resolution_is_left_alone(tmp_path):
    """A photo with about the pixels it covers is drawn from its own data (nothing to save)."""
    pdf = tmp_path / "small.pdf"
    profile = load_profile("newsprint")
    prepared = prepare_photo(PHOTO, 400, 280, profile=profile)
    c = canvas.Canvas(str(pdf), pagesize=(900, 800), invariant=1)
    # drawn at twice its print size: about as many pixels as the proof covers (1030 for 1111)
    draw_image(c, prepared, 0, 0, 800, 560)
    c.showPage()
    c.save()
    full, full_sizes = _render(pdf, proxy=False)
    small, small_sizes = _render(pdf, proxy=True)
    assert small_sizes == full_sizes
    assert np.array_equal(full, small)


def test_page_images_are_the_top_level_image_objects(tmp_path):
    from layout.proof.raster import _page_images

    pdf = tmp_path / "twice.pdf"
    _page(pdf, [(40, 300, 400, 280), (40, 20, 400, 280)])
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0]
    found = _page_images(page)
    expected = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    assert len(found) == len(expected) == 2
    assert all(isinstance(o, pdfium.PdfImage) for o in found)
    assert [o.get_px_size() for o in found] == [o.get_px_size() for o in expected]
    doc.close()
