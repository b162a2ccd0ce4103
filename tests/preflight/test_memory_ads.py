"""A PDF ad placed on one of our pages is pasted into the page's plates a band of rows at a time
(layout/preflight/described.py, issue 18): sampling a whole ad box at once made ten float64 grids
of it, ~40 MB for the sample's half-page ad, the peak of that page's check. The findings are
those of the whole box at once."""

from __future__ import annotations

import shutil
import sys
import tracemalloc
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PRINT = HERE.parent / "print"
if str(PRINT) not in sys.path:
    sys.path.insert(0, str(PRINT))

from frame_pages import catalog  # noqa: E402
from make_bad_ads import make_corpus  # noqa: E402

from layout.color import CMYK  # noqa: E402
from layout.frames import Box, PageFrame, PdfItem, Source  # noqa: E402
from layout.preflight import described  # noqa: E402
from layout.preflight.described import AdRenders, preflight_frame  # noqa: E402
from layout.printprofile import load_profile  # noqa: E402
from layout.units import mm  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript missing")


@pytest.fixture(scope="module")
def ads(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("ads"))


def _page(ad: Path) -> PageFrame:
    # a large slot (the ad scaled up into most of a broadsheet page) over a tint
    return PageFrame("P1", mm(350), mm(500), (
        Box(mm(10), mm(10), mm(330), mm(480), fill=CMYK(20, 0, 0, 0)),
        PdfItem(mm(15), mm(20), mm(320), mm(460), path=str(ad), source=Source(story="ad", kind="ad")),
    ))


@pytest.mark.parametrize("name", ["ink_400", "clean"])
def test_an_ad_pasted_in_bands_gives_the_findings_of_the_whole_box(ads, monkeypatch, name):
    profile = load_profile("newsprint")
    frame = _page(ads[name])
    renders = AdRenders()
    fonts = catalog()
    banded = preflight_frame(frame, profile=profile, catalog=fonts, images={}, title="T", ad_renders=renders)
    monkeypatch.setattr(described, "AD_ROWS", 10**9)
    whole = preflight_frame(frame, profile=profile, catalog=fonts, images={}, title="T", ad_renders=renders)
    assert banded == whole
    assert ("INK-OVER-LIMIT" in {f.code for f in banded}) == (name == "ink_400")


def test_an_ad_is_pasted_without_grids_of_its_whole_box(ads):
    profile = load_profile("newsprint")
    frame = _page(ads["clean"])
    renders = AdRenders()
    fonts = catalog()
    preflight_frame(frame, profile=profile, catalog=fonts, images={}, title="T", ad_renders=renders)  # rendered
    pixels = (mm(320) * mm(460))  # the slot at 72 dpi: one pixel a point
    tracemalloc.start()
    try:
        preflight_frame(frame, profile=profile, catalog=fonts, images={}, title="T", ad_renders=renders)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the page's four 8-bit plates and the ink total are ~6 bytes a pixel of the page; one float64
    # grid of the slot alone is 8 bytes a pixel of it, and the whole box at once made ten
    assert peak < 16 * pixels, (peak, pixels)
