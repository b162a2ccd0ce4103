"""A table inside a story: set at the foot of the story's module across its columns, as deep as it
needs, with the body text flowing above it; it counts in report.json and the loader checks its id."""

from __future__ import annotations

import pytest
from tablekit import lay_out, write_edition

from layout.diagnostics import InputError
from layout.frames import GlyphRun

STORY = """
prices:
  header: [品種, 單位, 今日價, 漲跌]
  columns: {漲跌: change}
  rows:
    - [白菜, 元/斤, 1.20, -0.10]
    - [蘿蔔, 元/斤, 0.95, 0.00]
    - [豬肉（精瘦）, 元/斤, 16.80, +0.40]
    - [雞蛋, 元/斤, 4.60, +0.05]
  source: 來源：市商務委
"""


def edition(tmp_path, tables: str = "[prices]"):
    path = write_edition(tmp_path, STORY, "- story: veg\n  at: {col: 1, line: 1, cols: 3, lines: 40}")
    text = path.read_text(encoding="utf-8").replace(
        "stories: {}", "stories:\n  veg:\n    headline: 菜價小幅回落\n"
        f"    body: |\n      今日本市主要農貿市場蔬菜價格小幅回落。\n      豬肉價格略有上漲。\n    tables: {tables}")
    path.write_text(text, encoding="utf-8")
    return path


def test_a_table_at_the_foot_of_its_story(kit, tmp_path):
    lay, diags = lay_out(kit, edition(tmp_path))
    assert [d.format() for d in diags if d.severity == "error"] == []
    page = lay.pages[0]
    assert [(t.id, t.rows_set, t.status) for t in page.tables] == [("prices", 4, "fits")]
    frame = page.frame
    module = next(m for m in frame.modules if m.kind == "story")
    table = [r for r in frame.items if isinstance(r, GlyphRun) and r.source.story == "prices"]
    body = [r for r in frame.items if isinstance(r, GlyphRun) and r.source.story == "veg" and r.source.kind == "body"]
    assert table and body
    top = min(g.y for r in table for g in r.glyphs)
    assert max(g.y for r in body for g in r.glyphs) < top  # the text above the table
    assert max(g.y for r in table for g in r.glyphs) <= module.y + module.h
    assert top > module.y + module.h / 2  # at the foot, not spread over the module
    assert lay.stories["veg"].result.overset_lines == 0


def test_a_missing_story_table_is_an_error(kit, tmp_path):
    with pytest.raises(InputError) as err:
        lay_out(kit, edition(tmp_path, "[price]"))
    missing = [d for d in err.value.diagnostics if d.code == "TABLE-MISSING"]
    assert missing and "did you mean 'prices'" in missing[0].hint


def test_a_short_table_in_a_wide_story_is_not_split_into_one_row_tables(kit, tmp_path):
    """Four rows at the foot of an eight-column story: the fewest lines would run them through
    four columns of the module, a header over each single row. A part has three rows at least
    (setting.MIN_PART_ROWS), so these stand as one table."""
    path = edition(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("cols: 3, lines: 40", "cols: 8, lines: 40"),
                    encoding="utf-8")
    lay, diags = lay_out(kit, path)
    assert [d.format() for d in diags if d.severity == "error"] == []
    page = lay.pages[0]
    [t] = page.tables
    assert t.rows_set == 4 and t.status == "fits"
    heads = [r for r in page.frame.items if isinstance(r, GlyphRun) and r.source.story == "prices"
             and r.text == "品種"]
    assert len(heads) == 1  # the header is not repeated over each row
