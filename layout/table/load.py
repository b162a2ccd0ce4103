"""The `tables:` section of an edition: each table's rows (inline, or from a CSV/TSV file beside
the edition), its columns' types and widths, title, source line and notes, checked cell by cell
with the cell's own file:line:column.

Called by layout/model/load.py with its loading context, so that the same readers (and the same
messages) serve tables as stories and ads."""

from __future__ import annotations

import re

from layout.diagnostics import Location
from layout.model import load as L
from layout.model.paths import resolve_file
from layout.model.yamlpos import YMap, YNode, YScalar, YSeq, kind_name
from layout.table import cells as C
from layout.table.model import (
    ALIGNS,
    COLUMN_TYPES,
    SIGN_COLOURS,
    SIGN_STYLES,
    Cell,
    Column,
    Row,
    Table,
    Width,
)
from layout.table.read import MAX_COLUMNS, MAX_ROWS, delimiter_for, read_delimited

TABLE_KEYS = ("title", "source", "notes", "file", "header", "rows", "columns", "style", "signs", "sign_colours",
              "tint", "row_rules", "group_every", "across", "jump")
COLUMN_KEYS = ("type", "width", "align")
TABLE_FILE_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
MAX_TABLE_BYTES = 2_000_000
_EM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:em|字)\s*$")


def tables(ctx, node: YNode | None) -> dict[str, Table]:
    return L._by_id(ctx, node, "tables", "table", "a-shares", "tables:\n      a-shares:\n        file: quotes.csv",
                    table)


def table(ctx, table_id: str, node: YNode, key_loc: Location) -> Table | None:
    what = f"table {table_id}"
    m = L._map(ctx, node, what, TABLE_KEYS, at=key_loc)
    if m is None:
        if isinstance(node, YScalar) and node.value is None:
            ctx.error("EDITION-MISSING-KEY", f"{what} is empty", key_loc,
                      "give it its rows: a file: (CSV or TSV, header row first) or header: and rows:")
        return None
    header, rows, source_file = _rows(ctx, m, what, table_id, key_loc)
    if header is None:
        # Its rows could not be read (already reported): the table still exists, so that the page
        # placing it is not told the table is missing as well. The load stops on the error.
        return Table(id=table_id, columns=(), rows=(), loc=key_loc)
    columns = _columns(ctx, m.get("columns"), what, header)
    signs = L._name(ctx, m.get("signs"), f"signs of {what}", SIGN_STYLES, "EDITION-VALUE", "plusminus")
    columns = _typed(ctx, what, columns, rows, signs)
    notes = tuple(L._text(ctx, n, f"a note of {what}") for n in L._text_items(ctx, m.get("notes"), f"notes of {what}"))
    return Table(
        id=table_id, columns=tuple(columns), rows=tuple(rows),
        title=L._text(ctx, m.get("title"), f"the title of {what}"),
        source=L._text(ctx, m.get("source"), f"the source line of {what}"),
        notes=notes, file=source_file,
        style=L._text(ctx, m.get("style"), f"the style of {what}").strip() or "default",
        signs=signs,
        sign_colours=L._name(ctx, m.get("sign_colours"), f"sign_colours of {what}", SIGN_COLOURS, "EDITION-VALUE",
                             "red-up"),
        tint=L._bool(ctx, m.get("tint"), f"tint of {what}"),
        row_rules=L._bool(ctx, m.get("row_rules"), f"row_rules of {what}"),
        group_every=L._int(ctx, m.get("group_every"), f"group_every of {what}", 1, MAX_ROWS),
        across=L._int(ctx, m.get("across"), f"across of {what}", 1, 16),
        jump=L._ref(ctx, m.get("jump"), f"the jump of {what}")[0],
        loc=key_loc,
    )


# ---------------------------------------------------------------------------------------------
# rows: inline or from a file


def _rows(ctx, m: YMap, what: str, table_id: str, key_loc: Location):
    file_node, rows_node, header_node = m.get("file"), m.get("rows"), m.get("header")
    if file_node is not None and (rows_node is not None or header_node is not None):
        ctx.error("TABLE-SOURCE", f"{what} has both a file and inline rows", (rows_node or header_node).loc,
                  "keep one: file: (a CSV/TSV file with a header row) or header: and rows:")
        return None, [], None
    if file_node is not None:
        return _file_rows(ctx, file_node, what, table_id)
    if header_node is None:
        ctx.error("TABLE-SOURCE", f"{what} has no rows: neither file: nor header: and rows:", key_loc,
                  "file: quotes.csv (header row first), or header: [名稱, 收盤] with rows: [[…], …]")
        return None, [], None
    header = [Cell(L._text(ctx, n, f"a header cell of {what}").strip(), _loc(n))
              for n in L._list(ctx, header_node, f"the header of {what}")]
    if not header:
        ctx.error("TABLE-SOURCE", f"the header of {what} names no columns", header_node.loc, "header: [名稱, 收盤, 漲跌]")
        return None, [], None
    rows: list[Row] = []
    group_break = False
    for row_node in L._list(ctx, rows_node, f"the rows of {what}"):
        if not isinstance(row_node, YSeq):
            ctx.error("EDITION-TYPE", f"a row of {what} must be a list of cells, not {kind_name(row_node)}",
                      row_node.loc, "- [平安銀行, '000001', 11.52, +0.12, +1.05%]")
            continue
        if not row_node.items:
            group_break = bool(rows)  # an empty row: a rule between the groups either side
            continue
        cells = [Cell(L._text(ctx, n, f"a cell of {what}").strip(), _loc(n)) for n in row_node.items]
        if len(cells) != len(header):
            ctx.error("TABLE-CSV-RAGGED", f"table {table_id}: this row has {len(cells)} cells; the header has "
                      f"{len(header)}", row_node.loc, "give every row one cell per column (\"\" for an empty one); in a [ … ] list quote a "
                      "figure with thousands separators: '1,234.50'")
            continue
        rows.append(Row(tuple(cells), group_break, row_node.loc))
        group_break = False
    if len(rows) > MAX_ROWS:
        ctx.error("TABLE-TOO-LARGE", f"{what} has {len(rows)} rows (at most {MAX_ROWS})", rows_node.loc,
                  "split it into several tables")
    return header, rows, None


def _loc(node: YNode) -> Location:
    return node.loc


def _file_rows(ctx, node: YNode, what: str, table_id: str):
    if not isinstance(node, YScalar) or node.value is None:
        ctx.error("EDITION-TYPE", f"the file of {what} must be a file name, not {kind_name(node)}", node.loc,
                  "file: tables/quotes.csv")
        return None, [], None
    raw = node.text.strip()
    resolved = resolve_file(raw, ctx.base_dir, ctx.asset_roots)
    if resolved.path is None:
        problem = resolved.problem
        ctx.error(problem.code, f"{what}: {problem.message}", node.loc, problem.hint)
        return None, [], None
    if not raw.lower().endswith(TABLE_FILE_SUFFIXES):
        ctx.error("TABLE-SOURCE", f"{what}: {raw} is not a CSV or TSV file", node.loc,
                  "name a .csv (comma-separated) or .tsv (tab-separated) file, header row first")
        return None, [], None
    shown = str(ctx.base_dir / raw)
    try:
        size = resolved.path.stat().st_size
        if size > MAX_TABLE_BYTES:
            ctx.error("TABLE-TOO-LARGE", f"{raw} is {size} bytes; a table file is at most {MAX_TABLE_BYTES}",
                      node.loc, "is this the right file?")
            return None, [], None
        data = resolved.path.read_bytes()
    except OSError as exc:
        ctx.error("EDITION-FILE", f"cannot read {raw}: {exc.strerror or exc}", node.loc)
        return None, [], None
    text = L._decode(ctx, data, shown)
    if text is None:
        return None, [], None
    for number, line in enumerate(text.split("\n"), start=1):
        for column, ch in enumerate(line, start=1):
            if ch == "\t" and delimiter_for(raw) == "\t":
                continue
            if ch == "\t":
                ctx.error("TABLE-CSV-SYNTAX", f"{what}: a tab in a comma-separated file", Location(shown, number, column),
                          "a tab-separated file is named .tsv; in a .csv file separate the fields with commas")
                return None, [], None
            problem = L._bad_char(ch)
            if problem:
                ctx.error(problem[0], f"{problem[1]} in the rows of {what}", Location(shown, number, column),
                          L._BAD_CHAR_HINT)
                return None, [], None
    got = read_delimited(text, shown, delimiter_for(raw), table_id)
    ctx.diags.extend(got.diagnostics)
    if not got.header:
        return None, [], None
    return got.header, got.rows, resolved.path


# ---------------------------------------------------------------------------------------------
# columns


def _columns(ctx, node: YNode | None, what: str, header: list[Cell]) -> list[Column]:
    names = [c.text for c in header]
    seen: dict[str, Cell] = {}
    for cell in header:
        if not cell.text:
            ctx.error("TABLE-HEADER", f"{what}: a column has no name in the header", cell.loc,
                      "name every column in the header row")
        elif cell.text in seen:
            ctx.error("TABLE-HEADER", f"{what}: column '{cell.text}' is named twice in the header", cell.loc,
                      "give each column its own name")
        seen.setdefault(cell.text, cell)
    if len(names) > MAX_COLUMNS:
        ctx.error("TABLE-TOO-LARGE", f"{what} has {len(names)} columns (at most {MAX_COLUMNS})", header[0].loc,
                  "split it into several tables")
    specs: dict[str, Column] = {}
    if node is not None and not (isinstance(node, YScalar) and node.value is None):
        m = L._map(ctx, node, f"the columns of {what}", names)
        for key, value in L._entries(m):
            if key.text in names:
                specs[key.text] = _column(ctx, key.text, value, f"column '{key.text}' of {what}", key.loc)
    return [specs.get(cell.text) or Column(cell.text, loc=cell.loc) for cell in header]


def _column(ctx, name: str, node: YNode, what: str, loc: Location) -> Column:
    if isinstance(node, YScalar):  # `收盤: number`: the type alone
        kind = L._name(ctx, node, f"type of {what}", COLUMN_TYPES, "EDITION-VALUE", "text")
        return Column(name, kind, declared=node.value is not None, loc=loc)
    m = L._map(ctx, node, what, COLUMN_KEYS)
    if m is None:
        return Column(name, loc=loc)
    kind_node = m.get("type")
    kind = L._name(ctx, kind_node, f"type of {what}", COLUMN_TYPES, "EDITION-VALUE", "text")
    align = L._name(ctx, m.get("align"), f"align of {what}", ALIGNS, "EDITION-VALUE", "") or None
    return Column(name, kind, _width(ctx, m.get("width"), what), align, declared=kind_node is not None, loc=loc)


def _width(ctx, node: YNode | None, what: str) -> Width:
    if node is None:
        return Width()
    hint = "width: fit (its widest cell), 5em (fixed, in ems of the table's type) or a share weight such as 1 or 2"
    if not isinstance(node, YScalar) or node.value is None or isinstance(node.value, bool):
        ctx.error("EDITION-TYPE", f"width of {what} must be fit, NNem or a number, not {kind_name(node)}", node.loc, hint)
        return Width()
    if isinstance(node.value, (int, float)):
        if not 0 < node.value <= 100:
            ctx.error("EDITION-RANGE", f"width of {what} is {node.raw}; a share is a number from 0 to 100", node.loc, hint)
            return Width()
        return Width("share", float(node.value))
    text = node.text.strip()
    if text in ("fit", "share"):
        return Width(text, 1.0 if text == "share" else 0.0)
    m = _EM.match(text)
    if m and 0 < float(m.group(1)) <= 200:
        return Width("em", float(m.group(1)))
    ctx.error("EDITION-VALUE", f"width of {what} is '{text}'", node.loc, hint)
    return Width()


def _typed(ctx, what: str, columns: list[Column], rows: list[Row], signs: str) -> list[Column]:
    """Each column's type (declared, or inferred from its cells), and every cell that is not of
    its column's type reported at the cell."""
    out = []
    for index, col in enumerate(columns):
        texts = [r.cells[index].text for r in rows if index < len(r.cells)]
        kind = col.type if col.declared else C.infer(texts)
        col = Column(col.name, kind, col.width, col.align, col.declared, col.loc)
        out.append(col)
        if kind == "text":
            continue
        bad = 0
        for r in rows:
            cell = r.cells[index]
            if C.parse(kind, cell.text, signs) is None:
                bad += 1
                if bad > 5:
                    continue  # five are enough to see the pattern; the count comes below
                how = "declared" if col.declared else "most of its cells are"
                ctx.error("TABLE-CELL-TYPE", f"{what}: '{cell.text}' in column '{col.name}' is not "
                          f"{C.TYPE_WORDS[kind]} ({how} {kind})", cell.loc,
                          f"write it like {C.EXAMPLES[kind]}, leave it empty or '—' for no value, or declare "
                          f"the column `type: text` under columns:")
        if bad > 5:
            ctx.error("TABLE-CELL-TYPE", f"{what}: {bad - 5} more cells in column '{col.name}' are not "
                      f"{C.TYPE_WORDS[kind]}", col.loc, "see the cells above")
    return out
