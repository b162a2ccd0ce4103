"""Tables through a whole build: the PDFs pass preflight, the text of every row comes back from the
PDF in row order (cells in column order), and report.json counts the tables' copyfit."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from tablekit import write_edition
from test_quotes import TABLE, quotes_csv
from test_results_weather import LEAGUE

from layout.build import build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("table-build")
    csv, rows = quotes_csv()
    tables = TABLE.format(signs="plusminus") + LEAGUE + "spare:\n  header: [a]\n  rows: [[b]]\n"
    path = write_edition(folder, tables, "- table: quotes\n  at: {col: 1, line: 1, cols: 4, lines: 30}",
                         "- table: league\n  at: {col: 5, line: 1, cols: 3, lines: 20}", files={"quotes.csv": csv})
    text = path.read_text(encoding="utf-8")
    more = "".join(f"  - page: A{n:02d}\n    items: []\n" for n in range(3, 13))
    path.write_text(text.replace("stories: {}", more + "stories: {}"), encoding="utf-8")
    out = folder / "out"
    return build(path, out, preflight=True), rows, out, path


def test_preflight_finds_nothing_in_the_tables(built):
    result, _, _, _ = built
    assert result.report["preflight"] == []


def test_rows_come_back_from_the_pdf_in_row_order(built):
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    _, rows, out, _ = built
    got = subprocess.run([pdftotext, "-raw", str(out / "A01.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    got = [" ".join(line.split()) for line in got]
    start = got.index("名稱 代碼 收盤 漲跌 漲跌幅")
    body = [line for line in got[start:] if line != "名稱 代碼 收盤 漲跌 漲跌幅"]
    for n, row in enumerate(rows):
        name, code, close, change, pct = row
        change = change.replace("-", "−") if float(change) else change.lstrip("+-")
        pct = pct.replace("-", "−") if float(pct.rstrip("%")) else pct.lstrip("+-")
        assert body[n].replace(" ", "") == f"{name}{code}{close}{change}{pct}", (n, body[n])
    league = subprocess.run([pdftotext, "-raw", str(out / "A02.pdf"), "-"], capture_output=True, text=True,
                            check=True).stdout
    flat = [" ".join(line.split()) for line in league.splitlines()]
    assert "4 重慶銅梁龍 28 14 7 7 41/30 49" in flat


def test_report_json_counts_tables_like_stories(built):
    _, _, out, _ = built
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    tables = {t["id"]: t for t in report["tables"]}
    assert tables["quotes"]["status"] == "fits" and tables["quotes"]["pages"] == ["A01"]
    assert tables["quotes"]["rows_set"] == 40 and tables["quotes"]["overset_chars"] == 0
    assert tables["quotes"]["chars"] == tables["quotes"]["chars_set"] > 40 * 10
    assert tables["spare"]["status"] == "over" and tables["spare"]["overset_chars"] == 2
    assert report["summary"]["tables"] == 3 and report["summary"]["overset"] == 1


def test_a_second_build_gives_the_same_bytes(built, tmp_path):
    _, _, out, path = built
    build(path, tmp_path / "again", preflight=False)
    for name in ("A01.pdf", "A02.pdf"):
        assert (out / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name
