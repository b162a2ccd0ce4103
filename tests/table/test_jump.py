"""A table too deep for its module continues on the page its `jump:` names, where it is placed a
second time: the rest of the rows in order, the header repeated, a jump line on each side."""

from __future__ import annotations

import pytest
from tablekit import lay_out, write_edition
from test_quotes import quotes_csv

from layout.diagnostics import InputError
from layout.frames import GlyphRun

TABLE = "quotes:\n  title: 滬深股市收盤行情\n  file: quotes.csv\n  columns: {代碼: text}\n  across: 1\n  jump: A02\n"


def runs(frame, kind):
    return [r for r in frame.items if isinstance(r, GlyphRun) and r.source.kind == kind]


def test_rows_continue_on_the_jump_page(kit, tmp_path):
    csv, rows = quotes_csv()
    path = write_edition(tmp_path, TABLE, "- table: quotes\n  at: {col: 1, line: 1, cols: 3, lines: 20}",
                         "- table: quotes\n  at: {col: 5, line: 50, cols: 3, lines: 40}", files={"quotes.csv": csv})
    lay, diags = lay_out(kit, path)
    assert [d.format() for d in diags if d.severity == "error"] == []
    a01, a02 = lay.pages[0].frame, lay.pages[1].frame
    first = sorted({r.source.paragraph for r in runs(a01, "table-cell")})
    rest = sorted({r.source.paragraph for r in runs(a02, "table-cell")})
    assert first == list(range(len(first))) and rest == list(range(len(first), 40)) and len(first) > 5
    assert [r.text for r in runs(a02, "table-head")] == ["名稱", "代碼", "收盤", "漲跌", "漲跌幅"]
    assert "".join(r.text for r in runs(a02, "table-title")) == "滬深股市收盤行情（續，上接A01版）"
    assert "（下轉A02版）" in "".join(r.text for r in runs(a01, "table-note"))
    ys = [min(g.y for g in r.glyphs) for r in runs(a02, "table-cell")]
    assert ys == sorted(ys)  # in row order down the column
    [result] = lay.pages[0].tables
    assert (result.rows, result.rows_set, result.status, result.pages) == (40, 40, "fits", ("A01", "A02"))
    assert result.chars_set == result.chars
    assert lay.pages[1].tables == []  # counted once, with its first part


def test_jump_without_a_second_placement(kit, tmp_path):
    csv, _ = quotes_csv()
    path = write_edition(tmp_path, TABLE, "- table: quotes\n  at: {col: 1, line: 1, cols: 3, lines: 20}",
                         files={"quotes.csv": csv})
    with pytest.raises(InputError) as err:
        lay_out(kit, path)
    assert [d.code for d in err.value.diagnostics if d.severity == "error"] == ["TABLE-JUMP-NO-SLOT"]


def test_placed_twice_without_a_jump(kit, tmp_path):
    csv, _ = quotes_csv()
    path = write_edition(tmp_path, TABLE.replace("  jump: A02\n", ""),
                         "- table: quotes\n  at: {col: 1, line: 1, cols: 3, lines: 20}",
                         "- table: quotes\n  at: {col: 1, line: 1, cols: 3, lines: 20}", files={"quotes.csv": csv})
    with pytest.raises(InputError) as err:
        lay_out(kit, path)
    assert [d.code for d in err.value.diagnostics if d.severity == "error"] == ["TABLE-PLACED-TWICE"]


def test_an_unused_jump_is_a_warning_and_the_slot_stays_empty(kit, tmp_path):
    csv, _ = quotes_csv()
    path = write_edition(tmp_path, TABLE, "- table: quotes\n  at: {col: 1, line: 1, cols: 3, lines: 80}",
                         "- table: quotes\n  at: {col: 5, line: 50, cols: 3, lines: 40}", files={"quotes.csv": csv})
    lay, diags = lay_out(kit, path)
    assert [d.code for d in diags if d.code.startswith("TABLE")] == ["TABLE-JUMP-UNUSED"]
    assert not runs(lay.pages[1].frame, "table-cell")
    assert "下轉" not in "".join(r.text for r in runs(lay.pages[0].frame, "table-note"))
    assert lay.pages[0].tables[0].rows_set == 40
