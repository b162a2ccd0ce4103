"""Small text in two or more inks prints in 100 % K, with a warning naming the item: a box ad's
M+Y or C+Y slogan at 12 pt (the sample's A01 and A12), the tabloid slogan at 11.4 pt in the docs'
example colour (red), rich black body text. Text at the profile's multi_ink_text_pt or larger,
and one-ink colours, keep their colour."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pikepdf
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frame_pages import catalog, glyph_run, write  # noqa: E402

from layout.build import build  # noqa: E402
from layout.color import CMYK, NAMED  # noqa: E402
from layout.frames import PageFrame  # noqa: E402
from layout.printprofile import load_profile, replace  # noqa: E402
from layout.render.textcolour import colour_diagnostics, print_colour  # noqa: E402

PROFILE = load_profile("newsprint")
RED = NAMED["red"]


def _fill_before_text(path: Path) -> list[tuple[float, ...]]:
    """The fill colour (k operands) in force at each BT of the page."""
    out, fill = [], None
    with pikepdf.open(path) as pdf:
        for operands, op in pikepdf.parse_content_stream(pdf.pages[0]):
            if str(op) == "k":
                fill = tuple(float(v) for v in operands)
            elif str(op) == "BT":
                out.append(fill)
    return out


@pytest.mark.parametrize("colour, size, printed", [
    (RED, 12.0, CMYK(0, 0, 0, 100)),  # two inks under 14 pt
    (RED, 11.4, CMYK(0, 0, 0, 100)),  # the tabloid slogan
    (CMYK(80, 0, 60, 0), 12.0, CMYK(0, 0, 0, 100)),  # the clinic ad's C+Y
    (CMYK(60, 40, 40, 100), 9.0, CMYK(0, 0, 0, 100)),  # rich black body text
    (RED, 14.0, RED),  # at the threshold: colour kept
    (CMYK(0, 100, 0, 0), 9.0, CMYK(0, 100, 0, 0)),  # one ink: kept
    (CMYK(0, 0, 0, 50), 9.0, CMYK(0, 0, 0, 50)),  # a grey: kept
])
def test_print_colour(colour, size, printed):
    assert print_colour(colour, size, PROFILE) == printed


def test_threshold_is_the_profiles():
    shop = replace(PROFILE, multi_ink_text_pt=10.0)
    assert print_colour(RED, 12.0, shop) == RED
    assert print_colour(RED, 9.5, shop) == CMYK(0, 0, 0, 100)


def test_pdf_has_k_only_small_text_and_warnings_name_the_item(tmp_path):
    cat = catalog()
    items = (
        glyph_run(cat, "一報在手知曉天下", 20, 40, 12, RED, kind="ad", story="subscribe"),
        glyph_run(cat, "二零二七年度報紙徵訂", 20, 80, 16, RED, kind="ad", story="subscribe"),
        glyph_run(cat, "家門口的健康守護", 20, 120, 12, CMYK(80, 0, 60, 0), kind="ad", story="clinic"),
        glyph_run(cat, "家門口的健康守護", 20, 140, 12, CMYK(80, 0, 60, 0), kind="ad", story="clinic"),
    )
    frame = PageFrame("A01", 400, 200, items)
    path = write(tmp_path / "a.pdf", [frame], PROFILE, cat)
    assert _fill_before_text(path) == [(0, 0, 0, 1), (0, 1, 1, 0), (0, 0, 0, 1), (0, 0, 0, 1)]
    ds = colour_diagnostics([frame], PROFILE)
    assert [(d.code, d.severity.value, d.page) for d in ds] == [
        ("TEXT-COLOUR-TO-BLACK", "warning", "A01"), ("TEXT-COLOUR-TO-BLACK", "warning", "A01")]
    assert "ad of subscribe" in ds[0].message and "ad of clinic" in ds[1].message
    assert "12.0 pt" in ds[0].message and "C0 M100 Y100 K0" in ds[0].message and "一報在手知曉天下" in ds[0].message
    assert "2 lines" in ds[1].message and "14 pt" in ds[1].hint


# --- the docs' example colour on a tabloid box ad, built and preflighted --------------------------


def _tabloid_edition(tmp: Path) -> Path:
    pages = ["  - page: A01\n    section: 要聞\n    masthead: true\n    items:\n"
             "      - story: s01\n        at: {col: 1, line: 10, cols: 4, lines: 40}\n"
             "      - ad: subscribe\n        at: {col: 5, line: 10, cols: 2, lines: 30}\n"]
    stories = ["  s01:\n    headline: 頭版測試稿件\n    body: |\n      " + "本報訊，這是頭版的測試稿件。" * 8 + "\n"]
    for n in range(2, 13):
        pages.append(f"  - page: A{n:02d}\n    section: 測試\n    items:\n"
                     f"      - story: s{n:02d}\n        at: {{col: 1, line: 1, cols: 6, lines: 20}}\n")
        stories.append(f"  s{n:02d}:\n    headline: 第{n}版測試\n    body: |\n      " + "測試稿件的正文。" * 12 + "\n")
    text = ("paper: 測試晨報\ndate: 2026-12-01\nissue: 1\ntemplate: tabloid\npages:\n" + "".join(pages)
            + "stories:\n" + "".join(stories)
            + "ads:\n  subscribe:\n    kind: box\n    title: 2027年度報紙徵訂開始\n"
              "    lines: [全年定價：360元, 零售價：每份2元]\n    slogan: 一報在手 知曉天下\n    colour: red\n")
    path = tmp / "tabloid.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript missing")
def test_tabloid_slogan_in_the_docs_colour_prints_in_k(tmp_path):
    result = build(_tabloid_edition(tmp_path), tmp_path / "out", preflight=True)
    warned = [d for d in result.diagnostics if d.code == "TEXT-COLOUR-TO-BLACK"]
    assert len(warned) == 1 and warned[0].page == "A01"
    assert "11.4 pt" in warned[0].message and "ad 'subscribe'" in warned[0].message
    assert warned[0].location.line  # points at the ad in the edition file
    found = [f for f in result.report["preflight"] if f["page"] == "A01"]
    assert not [f for f in found if f["code"] in ("TEXT-SMALL-MULTI-INK", "TEXT-RICH-BLACK")], found
    assert not [f for f in result.report["preflight"] if f["severity"] == "error"]
    assert not result.diagnostics.errors
