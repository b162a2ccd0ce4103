"""Bad table input is reported at the file, line and column where it is, and stops the build with
exit status 2 (no traceback); tables too wide or too deep for their module are diagnostics that
name the columns or count the rows left over."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tablekit import lay_out, write_edition

from layout.diagnostics import InputError

ROOT = Path(__file__).resolve().parents[2]
GOOD = "名稱,代碼,收盤\n平安銀行,000001,11.52\n萬科A,000002,8.30\n"
PLACE = "- table: t\n  at: {col: 1, line: 1, cols: 4, lines: 30}"


def load_errors(kit, tmp_path, csv: str | bytes, table: str = "t:\n  file: t.csv\n", name: str = "t.csv"):
    path = write_edition(tmp_path, table.replace("t.csv", name), PLACE, files={name: csv})
    with pytest.raises(InputError) as err:
        lay_out(kit, path)
    return [d for d in err.value.diagnostics if d.severity == "error"]


def test_ragged_row_names_its_line(kit, tmp_path):
    errors = load_errors(kit, tmp_path, "名稱,代碼,收盤\n平安銀行,000001,11.52\n萬科A,8.30\n")
    assert [(d.code, d.location.line, d.location.column) for d in errors] == [("TABLE-CSV-RAGGED", 3, 1)]
    assert str(tmp_path / "t.csv") == errors[0].location.file
    assert "2 fields" in errors[0].message and "has 3" in errors[0].message


def test_not_utf8_names_the_line_and_column(kit, tmp_path):
    data = GOOD.replace("萬科A", "萬科Ａ").encode("utf-8")[:-4] + "漲".encode("gb18030") + b"\n"
    errors = load_errors(kit, tmp_path, data)
    assert [(d.code, d.location.line) for d in errors] == [("TEXT-ENCODING", 3)]
    assert errors[0].location.column is not None and "UTF-8" in errors[0].hint


def test_text_in_a_number_column(kit, tmp_path):
    csv = "名稱,收盤,成交量\n平安銀行,11.52,\"1,234\"\n萬科A,8.3O,560\n招商銀行,35.10,停牌\n"
    table = "t:\n  file: t.csv\n  columns: {成交量: number}\n"
    errors = load_errors(kit, tmp_path, csv, table)
    got = [(d.code, d.location.line, d.location.column) for d in errors]
    # 8.3O (a letter O): the column is numbers by most of its cells; 停牌 in a declared number column
    assert got == [("TABLE-CELL-TYPE", 3, 5), ("TABLE-CELL-TYPE", 4, 12)]
    assert "'8.3O'" in errors[0].message and "'停牌'" in errors[1].message


def test_tsv_reads_tabs_and_a_tab_in_csv_is_an_error(kit, tmp_path):
    path = write_edition(tmp_path, "t:\n  file: t.tsv\n", PLACE, files={"t.tsv": GOOD.replace(",", "\t")})
    lay, _ = lay_out(kit, path)
    assert lay.pages[0].tables[0].rows_set == 2
    errors = load_errors(kit, tmp_path, GOOD.replace("11.52", "11.52\t"))
    assert [(d.code, d.location.line) for d in errors] == [("TABLE-CSV-SYNTAX", 2)]


def test_unclosed_quote_and_duplicate_header(kit, tmp_path):
    errors = load_errors(kit, tmp_path, '名稱,收盤,收盤\n"平安銀行,11.52,3\n')
    codes = sorted(d.code for d in errors)
    assert "TABLE-HEADER" in codes


def test_edition_errors_for_tables(kit, tmp_path):
    table = "t:\n  file: t.csv\n  titel: x\n  columns: {收盤: {type: figures}, 漲跌: number}\n"
    path = write_edition(tmp_path, table, "- table: tt\n  at: {col: 1, line: 1, cols: 4, lines: 30}",
                         files={"t.csv": GOOD})
    with pytest.raises(InputError) as err:
        lay_out(kit, path)
    got = {(d.code, d.message.split(":")[0]) for d in err.value.diagnostics}
    codes = {d.code for d in err.value.diagnostics}
    assert {"EDITION-UNKNOWN-KEY", "EDITION-VALUE", "TABLE-MISSING", "TABLE-UNPLACED"} <= codes, got
    missing = next(d for d in err.value.diagnostics if d.code == "TABLE-MISSING")
    assert "did you mean 't'" in missing.hint


def test_cli_exits_2_without_a_traceback(tmp_path):
    path = write_edition(tmp_path, "t:\n  file: t.csv\n", PLACE, files={"t.csv": "名稱,收盤\n平安,1\n萬科\n"})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "layout", "check", str(path)], capture_output=True, text=True, env=env)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr + r.stdout
    assert f"{tmp_path / 't.csv'}:3:1" in r.stderr + r.stdout


def test_too_wide_steps_down_then_names_the_columns(kit, tmp_path):
    header = ",".join(f"第{n}列指標" for n in range(8))
    row = ",".join("12,345.67".replace(",", "") for _ in range(8))
    path = write_edition(tmp_path, "t:\n  file: t.csv\n", "- table: t\n  at: {col: 1, line: 1, cols: 2, lines: 30}",
                         files={"t.csv": f"{header}\n{row}\n"})
    lay, diags = lay_out(kit, path)
    wide = [d for d in diags if d.code == "TABLE-TOO-WIDE"]
    assert len(wide) == 1 and "第0列指標" in wide[0].message and "left out" in wide[0].message
    result = lay.pages[0].tables[0]
    assert result.size == 6 and result.left_out and result.status == "over"
    assert result.chars_set < result.chars
    frame = lay.pages[0].frame
    module = next(m for m in frame.modules if m.kind == "table")
    for run in frame.runs():
        if run.source.story == "t":
            assert all(g.left + g.advance <= module.x + module.w + 0.01 for g in run.glyphs)


def test_a_size_step_down_when_the_first_is_too_wide(kit, tmp_path):
    header = "名稱,今開,最高,最低,收盤,漲跌,成交量,成交額"
    row = "平安銀行,11.52,11.80,11.40,11.65,+0.13,\"1,234,567\",\"12,345.67\""
    widths = {}
    for cols in (2, 3):
        folder = tmp_path / str(cols)
        folder.mkdir()
        path = write_edition(folder, "t:\n  file: t.csv\n",
                             f"- table: t\n  at: {{col: 1, line: 1, cols: {cols}, lines: 30}}",
                             files={"t.csv": f"{header}\n{row}\n"})
        lay, diags = lay_out(kit, path)
        assert not [d for d in diags if d.severity == "error"]
        widths[cols] = lay.pages[0].tables[0].size
    assert widths[3] == 8 and widths[2] < 8


def test_too_deep_reports_overset_rows(kit, tmp_path):
    rows = "\n".join(f"股票{n},{n}.50" for n in range(60))
    path = write_edition(tmp_path, "t:\n  file: t.csv\n  across: 1\n",
                         "- table: t\n  at: {col: 1, line: 1, cols: 2, lines: 20}",
                         files={"t.csv": "名稱,收盤\n" + rows + "\n"})
    lay, diags = lay_out(kit, path)
    over = [d for d in diags if d.code == "TABLE-OVERSET"]
    result = lay.pages[0].tables[0]
    assert len(over) == 1 and result.overset_rows > 0
    assert f"rows {result.rows_set + 1}–60 of 60 ({result.overset_rows} rows" in over[0].message
    set_rows = {r.source.paragraph for r in lay.pages[0].frame.runs() if r.source.kind == "table-cell"}
    assert set_rows == set(range(result.rows_set))


def test_a_long_text_column_wraps_before_columns_are_left_out(kit, tmp_path):
    """qa2's fund table: a 19-character fund name in a two-column module asked for its whole
    width, so the last three columns were left out (TABLE-TOO-WIDE) although the name can wrap,
    as the text column of a share width does. Every column and row is set, inside the module."""
    csv = ("基金名稱,代碼,單位淨值,累計淨值,日增長率,近一年回報,成立日期,基金經理\n"
           "嘉陵穩健增長混合型證券投資基金A類份額,005001,1.2345,3.4567,+0.35%,12.50%,2015-06-18,張偉\n"
           "長江新能源產業精選股票型發起式證券投資基金,005002,0.9876,0.9876,-1.20%,-8.30%,2021-03-02,李娜、王強\n"
           "西部債券,005004,1.0021,1.3021,+0.01%,3.21%,2012-01-05,—\n")
    path = write_edition(tmp_path, "t:\n  file: t.csv\n", "- table: t\n  at: {col: 1, line: 1, cols: 2, lines: 60}",
                         files={"t.csv": csv})
    lay, diags = lay_out(kit, path)
    assert not [d for d in diags if d.code in ("TABLE-TOO-WIDE", "TABLE-OVERSET")], [d.message for d in diags]
    result = lay.pages[0].tables[0]
    assert not result.left_out and result.status != "over" and result.chars_set == result.chars
    frame = lay.pages[0].frame
    module = next(m for m in frame.modules if m.kind == "table")
    text = "".join(g.text for run in frame.runs() if run.source.story == "t" for g in run.glyphs)
    assert "2021-03-02" in text and "-8.30%" in text.replace("−", "-") or "8.30%" in text
    assert all(ch in text for ch in "王強張偉嘉陵穩健")  # the last column and the wrapped name
    for run in frame.runs():
        if run.source.story == "t":
            assert all(module.x - 0.01 <= g.left and g.left + g.advance <= module.x + module.w + 0.01 for g in run.glyphs)


def test_a_wrapping_text_column_never_cuts_a_code(kit, tmp_path):
    """Six-digit codes typed as text in a one-column table: the column wraps, and its least width
    was measured by composing at 1 em, which cut 601000 and so gave room for 6010 / 00 only."""
    csv = "名稱,代碼,收盤,漲跌,漲跌幅\n渝江銀行,601000,71.76,+0.00,+0.00%\n長江電力裝備,601074,102.25,-2.19,-2.10%\n"
    path = write_edition(tmp_path, "t:\n  file: t.csv\n  columns: {代碼: text}\n",
                         "- table: t\n  at: {col: 1, line: 1, cols: 1, lines: 40}", files={"t.csv": csv})
    lay, _ = lay_out(kit, path)
    rows: dict[float, str] = {}
    for run in lay.pages[0].frame.runs():
        if run.source.story == "t":
            for g in run.glyphs:
                rows[round(g.y, 1)] = rows.get(round(g.y, 1), "") + g.text
    assert any("601000" in line for line in rows.values()), rows
    assert any("601074" in line for line in rows.values()), rows


def test_too_wide_counts_the_characters_it_leaves_out(kit, tmp_path):
    """TABLE-TOO-WIDE names the columns left out and how many characters they held (header and
    cells): the report counted them overset, the message gave no number to find them by."""
    header = ",".join(f"第{n}列指標" for n in range(8))
    row = ",".join("1234567.89" for _ in range(8))
    path = write_edition(tmp_path, "t:\n  file: t.csv\n", "- table: t\n  at: {col: 1, line: 1, cols: 2, lines: 30}",
                         files={"t.csv": f"{header}\n{row}\n"})
    lay, diags = lay_out(kit, path)
    wide = next(d for d in diags if d.code == "TABLE-TOO-WIDE")
    result = lay.pages[0].tables[0]
    out = len(result.left_out)
    assert out and f"({out * (5 + 10)} characters not printed)" in wide.message, wide.message
