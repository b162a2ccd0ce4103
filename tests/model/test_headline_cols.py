"""`headline_cols` wider than the story's module, or than the page, is an error at the value with
a suggestion (issue 17: `headline_cols: 12` in a 6-column module was silently ignored)."""

from __future__ import annotations

from layout.diagnostics import Diagnostics


def _col_of(ed, needle):
    line = ed.path.read_text(encoding="utf-8").split("\n")[ed.line_of(needle) - 1]
    return line.index(needle) + len(needle.split(":")[0]) + 2 + 1  # the value after "key: "


def test_headline_cols_wider_than_the_module_is_an_error_at_the_value(ed):
    ed.replace("    jump: A03\n", "    jump: A03\n    headline_cols: 12\n")
    d = ed.only("HEADLINE-COLS")
    assert d.severity == "error" and d.story == "ai-plan" and d.page == "A01"
    assert (d.location.file, d.location.line) == (str(ed.path), ed.line_of("headline_cols: 12"))
    assert d.location.column == _col_of(ed, "headline_cols: 12")
    assert "12" in d.message and "6 columns" in d.message
    assert "headline_cols: 6" in d.hint


def test_headline_cols_wider_than_the_page_is_an_error_for_a_story_placed_by_the_engine(ed):
    ed.replace("  museum:\n    headline: 博物館之夜\n", "  museum:\n    headline: 博物館之夜\n    headline_cols: 9\n")
    ed.replace("      - story: museum\n        at: {col: 5, line: 1, cols: 4, lines: 50}\n",
               "      - story: museum\n        size: {cols: 4, lines: 50}\n")
    d = ed.only("HEADLINE-COLS")
    assert d.location.line == ed.line_of("headline_cols: 9") and "8 columns" in d.message
    assert "headline_cols: 8" in d.hint


def test_headline_cols_within_the_module_is_fine(ed):
    ed.replace("    jump: A03\n", "    jump: A03\n    headline_cols: 4\n")
    diags = Diagnostics()
    ed.load(diagnostics=diags)
    assert not [d for d in diags if d.code == "HEADLINE-COLS"]
