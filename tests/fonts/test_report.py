"""font_report: faces per role, characters per face, FONT-MISSING-GLYPH diagnostics."""

from __future__ import annotations

from layout.diagnostics import Severity
from layout.fonts.report import font_report

from .helpers import shipped_catalog


def test_report_counts_and_missing_characters():
    cat = shipped_catalog()
    items = [
        ("body", "rail-loop", 0, "軌道交通環線今日開通。"),
        ("body", "rail-loop", 1, "環線 A 段\u3000全長 𠀀 公里\n"),  # U+20000 is not in the shipped faces
        ("headline", "rail-loop", None, "環線開通"),
        ("body", "budget", 3, "𠀀𠀀"),  # reported once per paragraph
    ]
    rep = font_report(cat, items)
    body_key = cat.chain("body").primary.key
    assert rep.roles["body"] == {body_key: len(set("軌道交通環線今日開通。A段全長公里"))}
    assert set(rep.chars[cat.chain("headline").primary.key]) == set("環線開通")
    assert [(m.char, m.codepoint, m.story, m.paragraph) for m in rep.missing] == [
        ("𠀀", "U+20000", "rail-loop", 1),
        ("𠀀", "U+20000", "budget", 3),
    ]
    (d1, d2) = rep.diagnostics
    assert d1.code == "FONT-MISSING-GLYPH" and d1.severity is Severity.ERROR
    assert d1.story == "rail-loop" and d1.paragraph == 1
    assert "U+20000" in d1.message and "NotoSerifCJKsc-Regular" in d1.hint
    assert rep.to_json()["missing"][1]["story"] == "budget"
    text = rep.format()
    assert "2 missing character(s)" in text and "FONT-MISSING-GLYPH" in text and "story budget" in text


def test_report_without_problems_has_no_diagnostics():
    rep = font_report(shipped_catalog(), [("sans", None, None, "說明：2026年12月1日")])
    assert rep.diagnostics == [] and rep.missing == []
    assert rep.format().endswith("no missing characters")
