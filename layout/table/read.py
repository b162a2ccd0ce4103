"""Reading a table's rows from CSV or TSV text (UTF-8, a header row first), every cell with its
file:line:column, ragged rows reported where they are."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from layout.diagnostics import Diagnostic, Location, Severity
from layout.table.model import Cell, Row

MAX_ROWS = 5000  # a newspaper table is at most a few hundred rows; more is a wrong file
MAX_COLUMNS = 40


@dataclass
class Delimited:
    header: list[Cell] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def delimiter_for(name: str) -> str:
    """TSV files are tab-separated, everything else comma-separated."""
    return "\t" if name.lower().endswith((".tsv", ".tab")) else ","


def read_delimited(text: str, shown: str, delimiter: str, table: str) -> Delimited:
    """Header and rows of `text`; an empty line separates groups of rows (a rule between them)."""
    out = Delimited()
    lines = text.split("\n")

    def err(code: str, message: str, loc: Location, hint: str) -> None:
        out.diagnostics.append(Diagnostic(code, Severity.ERROR, f"table {table}: {message}", location=loc, hint=hint))

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    group_break = False
    width = 0
    try:
        for record in reader:
            end = reader.line_num
            if len(out.rows) >= MAX_ROWS:
                err("TABLE-TOO-LARGE", f"more than {MAX_ROWS} rows", Location(shown, start, None),
                    "is this the right file? split it into several tables")
                break
            cells = _cells(record, lines, start, end, shown, delimiter)
            loc = Location(shown, start, 1)
            start = end + 1
            if not record or all(not c.strip() for c in record):
                group_break = bool(out.header) and bool(out.rows)
                continue
            if not out.header:
                out.header = cells
                width = len(cells)
                if width > MAX_COLUMNS:
                    err("TABLE-TOO-LARGE", f"the header has {width} columns (at most {MAX_COLUMNS})", loc,
                        "is this the right file, and the right delimiter (.csv: commas, .tsv: tabs)?")
                    break
                continue
            if len(cells) != width:
                err("TABLE-CSV-RAGGED", f"this row has {len(cells)} field{'s' if len(cells) != 1 else ''}; "
                    f"the header (line {out.header[0].loc.line}) has {width}", loc,
                    "every row needs one field per column: add the missing ones (empty is fine: ,,) or quote a "
                    "field that contains the delimiter (\"1,234\")")
                continue
            out.rows.append(Row(tuple(cells), group_break, loc))
            group_break = False
    except csv.Error as exc:
        err("TABLE-CSV-SYNTAX", f"cannot read the CSV: {exc}", Location(shown, reader.line_num or start, None),
            "close the quote opened in this row, or double a quote inside a quoted field (\"\")")
    if not out.header and not out.diagnostics:
        err("TABLE-CSV-EMPTY", "the file has no header row", Location(shown, 1, None),
            "the first line names the columns, e.g. 名稱,代碼,收盤,漲跌,漲跌幅")
    return out


def _cells(record: list[str], lines: list[str], first: int, last: int, shown: str, delimiter: str) -> list[Cell]:
    """Cells with their place: the column of each field when the record is one plain line (no
    quotes), else the record's first line."""
    line = lines[first - 1] if first - 1 < len(lines) else ""
    if first == last and '"' not in line:
        cells, col = [], 1
        for value in record:
            cells.append(Cell(value.strip(), Location(shown, first, col)))
            col += len(value) + len(delimiter)
        return cells
    return [Cell(value.strip(), Location(shown, first, None)) for value in record]
