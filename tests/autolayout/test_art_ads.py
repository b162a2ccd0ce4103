"""Delivered ads listed on a page without a size are placed whatever their file's size (issue 13:
every item listed on a page is placed, every time). A tabloid's night booked the broadsheet's
files: the automatic layout gave them no module ("not the size of any module of the grid") and
they were left off the page. Now art of no module's size takes the smallest module that holds it
whole (wider than the page: the page's width, as deep as it is drawn scaled down), and pagination
says how it was placed (AD-SIZE-MISMATCH); an image recording no resolution is fitted by its
proportions (AD-SIZE-UNKNOWN)."""

from __future__ import annotations

import pagegen
import pikepdf
import pytest
from checks import check_page
from PIL import Image

from layout.grid.grid import Grid
from layout.paginate.ads import SIZE_TOLERANCE, art_module


def _pdf(path, w: float, h: float) -> None:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(w, h))
    page.obj.Contents = pdf.make_stream(f"0 0 0 1 k 0 0 {w} {h} re f".encode())
    pdf.save(path)


def _edition(tmp_path):
    ads_dir = tmp_path / "assets" / "ads"
    ads_dir.mkdir(parents=True)
    _pdf(ads_dir / "odd.pdf", 300.0, 211.0)  # of no module's size
    _pdf(ads_dir / "wide.pdf", 2000.0, 500.0)  # wider than the page
    Image.new("RGB", (600, 400), (200, 40, 40)).save(ads_dir / "nodpi.jpg")  # no resolution recorded
    ads = {"odd": {"kind": "pdf", "file": "../assets/ads/odd.pdf"},
           "wide": {"kind": "pdf", "file": "../assets/ads/wide.pdf"},
           "nodpi": {"kind": "image", "file": "../assets/ads/nodpi.jpg"}}
    pages = [{"page": "A02", "items": [{"story": "s1"}, {"ad": "odd"}, {"ad": "wide"}]},
             {"page": "A03", "items": [{"story": "s2"}, {"story": "s3"}, {"ad": "nodpi"}]}]
    stories = {"s1": pagegen.story("s1", 2400, start=100), "s2": pagegen.story("s2", 3000, start=900),
               "s3": pagegen.story("s3", 2200, start=2400)}
    return pagegen.write(tmp_path, pages, stories, ads, name="art-ads")


def test_ads_of_no_module_size_are_placed_and_reported(prepared, tmp_path):
    prep, _ = prepared
    ctx, written = pagegen.context(prep, _edition(tmp_path))
    lay = pagegen.lay_out(ctx)
    codes = [(d.code, d.message) for d in ctx.diagnostics]
    assert not [m for c, m in codes if c in ("AUTOLAYOUT-ITEM", "AUTOLAYOUT-NO-LAYOUT")], codes
    for page in ("A02", "A03"):
        check_page(ctx, lay, page, written=written)
        for item in ctx.edition.page(page).items:
            assert item.at is not None, (page, item)
    mismatch = {m.split("'")[1] for c, m in codes if c == "AD-SIZE-MISMATCH"}
    assert mismatch == {"odd", "wide"}
    assert [m for c, m in codes if c == "AD-SIZE-UNKNOWN" and "'nodpi'" in m]
    g = ctx.grid
    wide = next(i.at for i in ctx.edition.page("A02").items if i.ref == "wide")
    assert wide.cols == g.columns and wide.lines == pytest.approx(500 * g.span_width(g.columns) / 2000 / g.pitch, abs=1)
    # the ads' art is on the page, whole, inside their modules
    placed = [it for p in lay.pages for it in p.frame.items if getattr(it, "source", None) is not None
              and it.source.kind == "ad"]
    assert {it.source.story for it in placed} >= {"odd", "wide", "nodpi"}


@pytest.mark.parametrize("size", [(100.0, 100.0), (540.0, 300.0), (5000.0, 80.0), (40.0, 3000.0)])
def test_the_module_holds_the_art_whole(size):
    g = Grid(columns=8, column_chars=13, gutter_chars=1, body_size=9.5, pitch=13.6, lines=110, top=0.0, left=0.0)
    cols, lines, exact = art_module(g, size, g.lines)
    w, h = size
    scale = min(1.0, g.span_width(cols) / w)
    assert 1 <= cols <= g.columns and 1 <= lines <= g.lines and not exact
    assert g.span_width(cols) + SIZE_TOLERANCE >= w * scale
    assert lines * g.pitch + SIZE_TOLERANCE >= min(h * scale, g.lines * g.pitch)
    if cols > 1 and scale == 1.0:  # the smallest such width
        assert g.span_width(cols - 1) + SIZE_TOLERANCE < w
    exact_size = (g.span_width(3), 20 * g.pitch)
    assert art_module(g, exact_size, g.lines) == (3, 20, True)
