"""A delivered image or PDF ad is the advertiser's art: it is never cropped and never scaled up
beyond the size tolerance. A file of the wrong size is placed at its own size (scaled down only
when larger than its module), centred in its module with the rest white, and AD-SIZE-MISMATCH says
what was done (QA e3: a 174.6 × 142.9 mm file in a 174.6 × 247.6 mm module was enlarged and cut)."""

import dataclasses

import pikepdf
import pytest
from PIL import Image

from layout.frames import ImageItem, PdfItem
from layout.images import _crop_box
from layout.paginate.ads import SIZE_TOLERANCE, ad_size, placed_ad
from layout.units import mm

DPI = 200


def _jpeg(path, w_mm, h_mm, dpi=DPI):
    px = (round(w_mm / 25.4 * dpi), round(h_mm / 25.4 * dpi))
    Image.new("RGB", px, (200, 30, 30)).save(path, dpi=(dpi, dpi) if dpi else None)
    return path


def _pdf(path, w_mm, h_mm):
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(mm(w_mm), mm(h_mm)))
    pdf.save(path)
    return path


def _ad(ctx, kind, file):
    return dataclasses.replace(ctx.edition.ads["subscribe"], id="art", kind=kind, file=file)


def _place(ctx, ad, rect):
    [item] = placed_ad(ctx, ad, rect, "A04", ad_size(ad))
    return item


def _inside(item, rect):
    e = 1e-6
    return (rect.x - e <= item.x and item.x + item.w <= rect.x + rect.w + e
            and rect.y - e <= item.y and item.y + item.h <= rect.y + rect.h + e)


def _centred(item, rect):
    return (abs((item.x - rect.x) - (rect.x + rect.w - item.x - item.w)) < 1e-6
            and abs((item.y - rect.y) - (rect.y + rect.h - item.y - item.h)) < 1e-6)


def _mismatch(ctx):
    return [d for d in ctx.diagnostics if d.code == "AD-SIZE-MISMATCH"]


@pytest.mark.parametrize("kind", ["image", "pdf"])
def test_a_smaller_ad_is_placed_at_its_own_size_centred_never_enlarged(ctx, tmp_path, kind):
    rect = ctx.grid.rect(1, 1, 8, 40)  # a half page; the art is about a quarter
    w_mm, h_mm = rect.w / mm(1), rect.h / mm(1) * 0.55
    file = _jpeg(tmp_path / "a.jpg", w_mm, h_mm) if kind == "image" else _pdf(tmp_path / "a.pdf", w_mm, h_mm)
    ad = _ad(ctx, kind, file)
    own = ad_size(ad)
    item = _place(ctx, ad, rect)
    assert isinstance(item, ImageItem if kind == "image" else PdfItem)
    assert item.w <= own[0] + SIZE_TOLERANCE and item.h <= own[1] + SIZE_TOLERANCE  # never scaled up
    assert abs(item.w / item.h - own[0] / own[1]) < 1e-3  # its own proportions: nothing cropped
    assert _inside(item, rect) and _centred(item, rect)
    [d] = _mismatch(ctx)
    assert d.severity == "error" and d.page == "A04" and "'art'" in d.message
    assert f"{own[0] / mm(1):.1f} × {own[1] / mm(1):.1f} mm" in d.message
    assert f"{rect.w / mm(1):.1f} × {rect.h / mm(1):.1f} mm" in d.message
    assert "own size" in d.message and "white" in d.message


@pytest.mark.parametrize("kind", ["image", "pdf"])
def test_a_larger_ad_is_scaled_down_to_fit_whole_never_cropped(ctx, tmp_path, kind):
    rect = ctx.grid.rect(1, 1, 4, 30)
    w_mm, h_mm = rect.w / mm(1) * 1.5, rect.h / mm(1) * 1.1
    file = _jpeg(tmp_path / "a.jpg", w_mm, h_mm) if kind == "image" else _pdf(tmp_path / "a.pdf", w_mm, h_mm)
    ad = _ad(ctx, kind, file)
    own = ad_size(ad)
    item = _place(ctx, ad, rect)
    assert abs(item.w - rect.w) < 1e-6 and item.h < rect.h  # the width fits; white above and below
    assert abs(item.w / item.h - own[0] / own[1]) < 1e-3
    assert _inside(item, rect) and _centred(item, rect)
    [d] = _mismatch(ctx)
    assert "scaled down" in d.message and "%" in d.message


def test_the_prepared_image_of_a_wrong_size_ad_keeps_every_pixel(ctx, tmp_path):
    """The photo preparation crops to its frame's proportions: the frame must be the art's."""
    rect = ctx.grid.rect(1, 1, 8, 40)
    file = _jpeg(tmp_path / "a.jpg", rect.w / mm(1), rect.h / mm(1) * 0.58)
    item = _place(ctx, _ad(ctx, "image", file), rect)
    with Image.open(file) as im:
        size = im.size
    assert _crop_box(size, item.w / item.h, (0.5, 0.5)) == (0, 0, *size)


def test_an_ad_of_its_module_size_fills_the_module_and_is_not_reported(ctx, tmp_path):
    rect = ctx.grid.rect(1, 1, 4, 30)
    file = _jpeg(tmp_path / "a.jpg", rect.w / mm(1) - 0.4, rect.h / mm(1) - 0.3)
    item = _place(ctx, _ad(ctx, "image", file), rect)
    assert not _mismatch(ctx)
    assert _inside(item, rect) and _centred(item, rect)
    # within the tolerance it is scaled to fill the module in one direction, proportions kept
    assert min(rect.w - item.w, rect.h - item.h) < 1e-6 and max(rect.w - item.w, rect.h - item.h) <= SIZE_TOLERANCE


def test_an_image_without_a_resolution_keeps_its_proportions(ctx, tmp_path):
    rect = ctx.grid.rect(1, 1, 8, 40)
    path = tmp_path / "a.png"
    Image.new("RGB", (1000, 500), (0, 0, 0)).save(path)  # PNG without pHYs: no dpi
    ad = _ad(ctx, "image", path)
    assert ad_size(ad) is None
    item = _place(ctx, ad, rect)
    assert abs(item.w / item.h - 2.0) < 1e-3
    assert _inside(item, rect) and _centred(item, rect)
    assert _crop_box((1000, 500), item.w / item.h, (0.5, 0.5)) == (0, 0, 1000, 500)


def test_a_pdf_ad_turned_a_quarter_is_measured_as_it_prints(ctx, tmp_path):
    path = _pdf(tmp_path / "a.pdf", 100, 60)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Rotate = 90
        pdf.save(path)
    own = ad_size(_ad(ctx, "pdf", path))
    assert abs(own[0] - mm(60)) < 0.01 and abs(own[1] - mm(100)) < 0.01
