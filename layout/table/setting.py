"""Setting a table into its module: cells composed by the body-text composer (kinsoku included),
figures on tabular widths and aligned on the decimal point, column widths by rule, the size stepped
down while the table is too wide, rows run on into the module's next column with the header
repeated, and what still does not fit reported in rows.

One function from plain data to page items: set_table(ctx, table, rect, page, colour) gives the
PageFrame items of the table and its copyfit (TableResult)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from layout.color import BLACK, CMYK
from layout.frames import Box, Item, Module, Rule, Source
from layout.grid.grid import IDEO_ASCENT, Rect
from layout.paginate.context import Context
from layout.paginate.typeset import _unjustified, line_runs
from layout.table import cells as C
from layout.table.model import Column, Table
from layout.table.style import MIN_SIZE, TableStyle, table_style
from layout.text.compose import ComposedGlyph, ComposedLine

WIDE = 400.0  # em: the measure a cell is composed at to find its natural (one-line) width
EPS = 1e-6
FIGURE_TYPES = ("number", "percent", "change", "time")
MAX_ACROSS = 8  # columns a table may run through inside one module (a broadsheet page is 8 wide)
TITLE_LEADING = 1.3
NOTE_LEADING = 1.35
# When a context has no print profile (tests building one by hand): the print-spec's values.
TEXT_TINT_MAX = 30.0  # %: total coverage of a tint behind surprinted text
SMALL_TEXT_PT = 12.0  # text under this prints from one plate


@dataclass(frozen=True)
class TableResult:
    """A table's copyfit, the way report.json gives a story's."""

    id: str
    title: str
    page: str
    size: float  # pt of the body cells
    across: int  # columns of the module the rows run through
    rows: int
    rows_set: int
    chars: int
    chars_set: int
    left_out: tuple[str, ...] = ()  # columns that did not fit the width at all
    pages: tuple[str, ...] = ()  # every page it is on, when it continues on a jump page

    @property
    def overset_rows(self) -> int:
        return self.rows - self.rows_set

    @property
    def status(self) -> str:
        return "over" if self.rows_set < self.rows or self.left_out else "fits"

    def to_json(self) -> dict:
        return {"id": self.id, "kind": "table", "headline": self.title, "pages": list(self.pages or (self.page,)), "size": self.size,
                "across": self.across, "rows": self.rows, "rows_set": self.rows_set,
                "overset_rows": self.overset_rows, "chars": self.chars, "chars_set": self.chars_set,
                "overset_chars": self.chars - self.chars_set, "left_out_columns": list(self.left_out),
                "status": self.status}


@dataclass
class _Cell:
    lines: tuple[ComposedLine, ...]  # at the column's width (text) or one line (figures)
    value: C.Value
    left: float = 0.0  # em before the alignment point (figures)
    right: float = 0.0  # em from the alignment point to the end

    @property
    def width(self) -> float:  # em, the widest line
        return max((ln.width for ln in self.lines), default=0.0)


@dataclass
class _Measured:
    """One size's natural widths (em of that size), per column."""

    cells: list[list[_Cell]]  # [row][column], one line each
    heads: list[tuple[ComposedLine, ...]]
    natural: list[float] = field(default_factory=list)  # widest cell
    left: list[float] = field(default_factory=list)  # figures: widest part before the point
    right: list[float] = field(default_factory=list)


class _Setter:
    """The composition of one table at one size (cached per size)."""

    def __init__(self, ctx: Context, table: Table, style: TableStyle, columns: list[int]):
        self.ctx = ctx
        self.table = table
        self.style = style
        self.columns = columns  # indices of the columns set (all, unless some are left out)
        self.values = [[C.parse(col.type, r.cells[i].text, table.signs) or C.Value(r.cells[i].text)
                        for i, col in enumerate(table.columns)] for r in table.rows]
        self._measured: dict = {}  # size → _Measured; ("unbreakable", column, size) → em
        self.missing: dict[str, object] = {}  # character → where it was first found

    # -- composition ---------------------------------------------------------------------------

    def line(self, text: str, role: str, size: float, width_em: float = WIDE, loc=None) -> tuple[ComposedLine, ...]:
        if not text:
            return ()
        para = self.ctx.setter.block(text, role, size, width_em * size, justify=False)
        for ch in para.missing:
            self.missing.setdefault(ch, loc)
        return para.lines

    def figure_line(self, value: C.Value, size: float, loc) -> tuple[ComposedLine, ...]:
        """A figure on tabular widths: every digit in a slot of the face's widest digit, so that
        columns of figures line up digit under digit; the minus drawn with the en dash."""
        lines = self.line(value.display.replace(C.MINUS, C.MINUS_GLYPH), self.style.body_font, size, loc=loc)
        if not lines:
            return ()
        tab = self.digit_width()
        glyphs, cursor = [], 0.0
        for g in lines[0].glyphs:
            text = C.MINUS if g.text == C.MINUS_GLYPH and value.display[g.index:g.index + 1] == C.MINUS else g.text
            if g.text in "0123456789" and len(g.text) == 1:
                glyphs.append(ComposedGlyph(g.index, text, g.face, g.gid, cursor + (tab - g.width) / 2, tab, cursor))
                cursor += tab
            else:
                glyphs.append(ComposedGlyph(g.index, text, g.face, g.gid, cursor, g.width, cursor))
                cursor += g.width
        return (replace(lines[0], glyphs=tuple(glyphs), width=cursor),)

    def digit_width(self) -> float:
        lines = self.ctx.setter.block("0123456789", self.style.body_font, 10.0, WIDE * 10.0, justify=False).lines
        return max((g.width for g in lines[0].glyphs), default=0.5) if lines else 0.5

    def piece(self, text: str, role: str) -> float:
        """em of the widest piece of `text` no break may divide. (Composing at a 1 em measure and
        taking the widest line cut a number wider than 1 em, so a wrapping column of six-digit
        codes was given room for 6010 / 00.)"""
        return self.ctx.setter.composer(role, _unjustified(self.ctx.setter.style)).widest_piece(text) if text else 0.0

    def unbreakable(self, index: int, size: float) -> float:
        """em of the widest piece of the column's cells that cannot be broken (a Latin word, a Han
        character with the marks kinsoku keeps with it): what a wrapping column must hold."""
        key = ("unbreakable", index, size)
        if key not in self._measured:
            pieces = [self.piece(self.values[r][index].display, self.style.body_font)
                      for r in range(len(self.table.rows))]
            self._measured[key] = max(pieces, default=0.0)
        return self._measured[key]

    def is_figures(self, index: int) -> bool:
        return self.table.columns[index].type in FIGURE_TYPES

    def measured(self, size: float) -> _Measured:
        hit = self._measured.get(size)
        if hit is not None:
            return hit
        t, st = self.table, self.style
        cells = []
        for r, row in enumerate(t.rows):
            out = []
            for i in range(len(t.columns)):
                value = self.values[r][i]
                loc = row.cells[i].loc
                if self.is_figures(i) and value.anchor is not None:
                    lines = self.figure_line(value, size, loc)
                    anchor = _anchor_x(lines[0], value.anchor) if lines else 0.0
                    width = lines[0].width if lines else 0.0
                    out.append(_Cell(lines, value, anchor, width - anchor))
                else:
                    out.append(_Cell(self.line(value.display, st.body_font, size, loc=loc), value))
            cells.append(out)
        heads = [self.line(col.name, st.head_font, size, loc=col.loc) for col in t.columns]
        m = _Measured(cells, heads)
        for i in range(len(t.columns)):
            column = [row[i] for row in cells]
            m.left.append(max((c.left for c in column if c.value.anchor is not None), default=0.0))
            m.right.append(max((c.right for c in column if c.value.anchor is not None), default=0.0))
            plain = max((c.width for c in column if c.value.anchor is None), default=0.0)
            m.natural.append(max(plain, m.left[i] + m.right[i]))
        self._measured[size] = m
        return m

    # -- widths --------------------------------------------------------------------------------

    def widths(self, size: float, available: float, wrap: bool = False) -> tuple[list[float] | None, list[float]]:
        """Column widths in pt for the set columns in `available` pt, or None when they cannot fit;
        and the least width each column needs (for the message). `wrap`: text columns without a
        `width:` wrap too (as a share column does) instead of asking for their longest cell's width,
        for a table too wide otherwise (a fund's long name in a two-column module)."""
        m = self.measured(size)
        gap = self.style.gap * size
        need, shares = [], []
        wrapping: list[float] = []  # per column: its natural width when it wraps only to fit, else 0

        def head_unbroken(i: int) -> float:
            return self.piece(self.table.columns[i].name, self.style.head_font)
        for i in self.columns:
            col = self.table.columns[i]
            content = m.natural[i] * size
            head = max((ln.width for ln in m.heads[i]), default=0.0) * size
            figures = self.is_figures(i) or col.type == "date"
            # a wrapping column is at least as wide as its widest piece that cannot be broken
            unbroken = content if figures else max(self.unbreakable(i, size), head_unbroken(i)) * size
            if col.width.kind == "em":
                w = col.width.value * size
                need.append(max(w, unbroken))
                shares.append(0.0)
            elif col.width.kind == "share":
                least = max(2.0 * size, unbroken)
                need.append(least)
                shares.append(col.width.value)
            elif wrap and not figures and col.type == "text":
                least = max(2.0 * size, unbroken)
                need.append(least)
                shares.append(0.0)
                wrapping.append(max(content, head, least))
                continue
            else:
                need.append(max(content, head))
                shares.append(0.0)
            wrapping.append(0.0)
        total = sum(need) + gap * (len(need) - 1)
        if total > available + EPS:
            return None, need
        spare = available - total
        if any(wrapping):
            # The room left goes to the wrapping columns, by how much each is short of its natural
            # width (the long name wraps least); what is left after that, evenly.
            short = [max(0.0, nat - w) if nat else 0.0 for w, nat in zip(need, wrapping, strict=True)]
            total_short = sum(short)
            give = min(spare, total_short)
            out = [w + (give * sh / total_short if total_short > 0 else 0.0) for w, sh in zip(need, short, strict=True)]
            rest = spare - give
            return [w + rest / len(out) for w in out], need
        weights = sum(shares)
        if weights > 0:
            return [w + spare * s / weights for w, s in zip(need, shares, strict=True)], need
        return [w + spare / len(need) for w in need], need


def _anchor_x(line: ComposedLine, anchor: int) -> float:
    """em from the line start to the alignment point: the left of the character at index `anchor`
    (the decimal point), or the end of the line when the figure has none."""
    for g in line.glyphs:
        if g.index >= anchor:
            return g.x
    return line.width


@dataclass
class _Plan:
    size: float
    across: int
    widths: list[float]
    columns_rows: list[list[int]]  # row indices per column of the module
    rows_set: int


def set_table(ctx: Context, table: Table, rect: Rect, page: str, colour: bool, *, first_row: int = 0,
              jump_to: str | None = None, continued_from: str | None = None
              ) -> tuple[list[Item], Module, TableResult]:
    """The table's rows from `first_row` on, set into `rect`. With `jump_to` the rows that do not fit
    continue on that page (a jump line at the foot, no overset reported here); `continued_from`
    marks the continuation (its title says where it comes from)."""
    whole = table
    if first_row or jump_to or continued_from:
        notes = table.notes + ((f"（下轉{jump_to}版）",) if jump_to else ())
        title = f"{table.title}（續，上接{continued_from}版）" if continued_from else table.title
        table = replace(table, rows=table.rows[first_row:], notes=notes, title=title)
    style = table_style(ctx.template.tables, table.style)
    if style is None:
        known = ", ".join(sorted(set(ctx.template.tables) | {"default"}))
        ctx.diagnostics.error("TABLE-STYLE-UNKNOWN", f"table {table.id}: the template has no table style "
                              f"'{table.style}'", location=table.loc, page=page,
                              hint=f"known table styles: {known}")
        style = table_style(ctx.template.tables, "default")
    module = Module(rect.x, rect.y, rect.w, rect.h, "table", table.id)
    if not table.columns:  # a table whose rows could not be read (the load reported why)
        return [], module, TableResult(table.id, table.title, page, 0.0, 0, 0, 0, 0, 0)
    g = ctx.grid
    f = _frame(ctx, table, style, rect)
    setter, inner, body = f.setter, f.inner, f.body
    title_size, title_lines, note_size, foot = f.title_size, f.title_lines, f.note_size, f.foot
    plan = _choose(setter, table, style, body, g.gutter)
    left_out: tuple[str, ...] = ()
    if plan is None:
        plan, left_out = _too_wide(ctx, setter, table, style, body, g.gutter, page)
    items: list[Item] = []
    set_rows = [r for rows in plan.columns_rows for r in rows]
    if table.rows and not set_rows:
        # Not even one row under the header fits: nothing is drawn (a header alone would say
        # nothing), and the whole table is reported overset below.
        title_lines, foot = (), []
    src = Source(story=table.id, kind="table-title")
    y = inner.y
    for ln in title_lines:
        y += title_size * TITLE_LEADING
        items += line_runs(ln, inner.x, y - title_size * (TITLE_LEADING - 1) / 2, title_size, source=src)
    body_items, bottom = _body_items(ctx, setter, plan, body, g.gutter, colour, page, first_row)
    items += body_items if set_rows or not table.rows else []
    y = bottom + (note_size * 0.4 if foot else 0.0)  # notes and source right under the rows
    src = Source(story=table.id, kind="table-note")
    for ln in foot:
        y += note_size * NOTE_LEADING
        items += line_runs(ln, inner.x, y - note_size * (NOTE_LEADING - 1) / 2, note_size, source=src)
    for ch, loc in setter.missing.items():
        ctx.diagnostics.error("FONT-MISSING-GLYPH", f"no font of the table's roles has {ch!r} (U+{ord(ch):04X})",
                              location=loc or table.loc, story=table.id, page=page,
                              hint="replace the character or add a face that has it to the role's fallback chain")
    items = _inside_module(ctx, table, module, items, page)
    result = TableResult(table.id, table.title, page, plan.size, plan.across, len(table.rows), len(set_rows),
                         table.chars, _chars_set(table, set_rows, setter.columns), left_out)
    if result.overset_rows and not jump_to:
        first = first_row + len(set_rows) + 1
        chars = sum(_row_chars(table, r, setter.columns) for r in range(len(set_rows), len(table.rows)))
        ctx.diagnostics.error(
            "TABLE-OVERSET", f"table {table.id}: rows {first}–{len(whole.rows)} of {len(whole.rows)} "
            f"({result.overset_rows} rows, {chars} characters) do not fit its module", location=table.loc,
            page=page, story=table.id,
            hint="make the module deeper or wider, let it run into more columns (across:), or cut rows")
    return items, module, result


@dataclass
class _Frame:
    """A table's module divided: title on top, notes and source at the foot, rows in between."""

    setter: _Setter
    inner: Rect
    body: Rect
    title_size: float
    title_lines: tuple
    note_size: float
    foot: list


def _frame(ctx: Context, table: Table, style: TableStyle, rect: Rect) -> _Frame:
    setter = _Setter(ctx, table, style, list(range(len(table.columns))))
    air = ctx.grid.pitch * 0.25
    inner = Rect(rect.x, rect.y + air, rect.w, rect.h - 2 * air)
    title_size, title_lines = _display(setter, table.title, style.title_font, style.title_size, inner.w, table.loc)
    texts = list(table.notes) + ([table.source] if table.source else [])
    note_size = min([style.note_size] + [_display(setter, t, style.note_font, style.note_size, inner.w, table.loc)[0]
                                         for t in texts])
    foot = [ln for t in texts for ln in setter.line(t, style.note_font, note_size, inner.w / note_size, table.loc)]
    title_h = len(title_lines) * title_size * TITLE_LEADING + (title_size * 0.3 if title_lines else 0.0)
    foot_h = len(foot) * note_size * NOTE_LEADING + (note_size * 0.4 if foot else 0.0)
    body = Rect(inner.x, inner.y + title_h, inner.w, inner.h - title_h - foot_h)
    return _Frame(setter, inner, body, title_size, title_lines, note_size, foot)


def fits(ctx: Context, table: Table, rect: Rect, *, part_rows: int = 0) -> bool:
    """Whether every row and column of the table fits `rect` (no diagnostics: for sizing a module).
    `part_rows`: and, when the rows run through several columns of the module, each column holds
    at least that many of them."""
    style = table_style(ctx.template.tables, table.style) or table_style(ctx.template.tables, "default")
    if not table.columns:
        return True
    f = _frame(ctx, table, style, rect)
    if f.body.h <= 0:
        return False
    plan = _choose(f.setter, table, style, f.body, ctx.grid.gutter)
    if plan is None or plan.rows_set != len(table.rows):
        return False
    parts = [c for c in plan.columns_rows if c]
    return len(parts) == 1 or min(len(c) for c in parts) >= part_rows


# A table that runs on into the next column of its module repeats its header there: a column of
# fewer rows than this under a repeated header (three one-row tables side by side) is not worth it.
MIN_PART_ROWS = 3


def least_lines(ctx: Context, table: Table, col: int, cols: int, bottom: int, most: int) -> int:
    """The fewest grid lines (at most `most`) of a module `cols` wide ending on line `bottom` that
    hold the whole table, with MIN_PART_ROWS rows at least in each column it runs through (when
    `most` lines allow that; else just the fewest that hold it); `most` when none does."""
    g = ctx.grid

    def ok(lines: int, part_rows: int) -> bool:
        return fits(ctx, table, g.rect(col, bottom - lines + 1, cols, lines), part_rows=part_rows)

    if not ok(most, 0):
        return most
    part_rows = MIN_PART_ROWS if ok(most, MIN_PART_ROWS) else 0
    lo, hi = 1, most
    while lo < hi:
        mid = (lo + hi) // 2
        if ok(mid, part_rows):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _display(setter: _Setter, text: str, role: str, size: float, width: float, loc) -> tuple[float, tuple]:
    """A title or note line set across the table at `size`, or smaller (down to the 6 pt floor) when
    a word that cannot be broken (a long figure, a URL) would stick out of the module."""
    lines = setter.line(text, role, size, width / size, loc)
    widest = max((ln.width for ln in lines), default=0.0) * size
    if widest > width + EPS and size > MIN_SIZE:
        size = max(MIN_SIZE, size * width / widest - 0.05)
        lines = setter.line(text, role, size, width / size, loc)
    return size, lines


def _row_chars(table: Table, r: int, columns: list[int]) -> int:
    return sum(1 for i in columns for ch in table.rows[r].cells[i].text if not ch.isspace())


def _chars_set(table: Table, rows: list[int], columns: list[int]) -> int:
    head = sum(1 for i in columns for ch in table.columns[i].name if not ch.isspace())
    return head + sum(_row_chars(table, r, columns) for r in rows)


def _sub_width(width: float, across: int, gutter: float) -> float:
    return (width - (across - 1) * gutter) / across


def _choose(setter: _Setter, table: Table, style: TableStyle, body: Rect, gutter: float) -> _Plan | None:
    """Fewest columns of the module at which every row fits, each at the largest size step at which
    the table is not too wide; else the plan that sets the most rows. None: too wide even in one
    column at the smallest size."""
    best: _Plan | None = None
    for across in ([table.across] if table.across else range(1, MAX_ACROSS + 1)):
        sub = _sub_width(body.w, across, gutter)
        if sub <= 0:
            break
        fitted = next(((s, w) for s in style.sizes for w in [setter.widths(s, sub)[0]] if w is not None), None)
        if fitted is None:
            # Too wide at every size: its text columns wrap (at the largest size that then fits)
            # rather than columns being left out.
            fitted = next(((s, w) for s in style.sizes for w in [setter.widths(s, sub, wrap=True)[0]]
                           if w is not None), None)
        if fitted is None:
            if table.across:
                return None
            break  # narrower columns will not fit either
        size, widths = fitted
        plan = _distribute(setter, size, across, widths, body.h)
        if plan.rows_set == len(table.rows):
            return plan
        if best is None or plan.rows_set > best.rows_set:
            best = plan
    return best


def _too_wide(ctx, setter: _Setter, table: Table, style: TableStyle, body: Rect, gutter: float, page: str):
    """At the smallest size in one column (or the columns asked for) the table is still too wide:
    an error naming the columns and their widths; the columns from the right that do not fit are
    left out (and counted as overset)."""
    size = style.sizes[-1]
    across = table.across or 1
    sub = _sub_width(body.w, across, gutter)
    _, need = setter.widths(size, sub)
    gap = style.gap * size
    names = [table.columns[i].name for i in setter.columns]
    shown = ", ".join(f"{n} {w:.0f} pt" for n, w in zip(names, need, strict=True))
    total = sum(need) + gap * (len(need) - 1)
    kept = list(setter.columns)
    while len(kept) > 1:
        setter.columns = kept
        if setter.widths(size, sub, wrap=True)[0] is not None:
            break
        kept = kept[:-1]
    setter.columns = kept
    out_index = [i for i in range(len(table.columns)) if i not in kept]
    left_out = tuple(table.columns[i].name for i in out_index)
    # What is not printed, counted as Table.chars counts (header and cells, no spaces)
    out_chars = sum(1 for i in out_index for t in [table.columns[i].name] + [r.cells[i].text for r in table.rows
                                                                           if i < len(r.cells)]
                    for ch in t if not ch.isspace())
    ctx.diagnostics.error(
        "TABLE-TOO-WIDE", f"table {table.id} needs {total:.0f} pt at {size:g} pt but its module's column is "
        f"{sub:.0f} pt wide (columns: {shown})"
        + (f"; left out: {', '.join(left_out)} ({out_chars} characters not printed)" if left_out else ""),
        location=table.loc, page=page, story=table.id,
        hint="give the table a wider module or fewer columns across, shorter headers, or fewer figure "
             "columns (its text columns already wrap to their narrowest)")
    widths = setter.widths(size, sub, wrap=True)[0]
    if widths is None:  # one column alone is wider than the module: set it at the module's width
        widths = [sub]
    return _distribute(setter, size, across, widths, body.h), left_out


def _pitch(style: TableStyle, size: float) -> float:
    return size * style.leading


def _cell_lines(setter: _Setter, size: float, widths: list[float], row: int) -> list[tuple[ComposedLine, ...]]:
    """The row's cells at their columns' widths: text wraps (kinsoku and all), figures stay one line."""
    m = setter.measured(size)
    out = []
    for w, i in zip(widths, setter.columns, strict=True):
        cell = m.cells[row][i]
        if cell.value.anchor is None and cell.width * size > w + EPS:
            loc = setter.table.rows[row].cells[i].loc
            out.append(setter.line(cell.value.display, setter.style.body_font, size, w / size, loc))
        else:
            out.append(cell.lines)
    return out


def _head_lines(setter: _Setter, size: float, widths: list[float]) -> list[tuple[ComposedLine, ...]]:
    m = setter.measured(size)
    out = []
    for w, i in zip(widths, setter.columns, strict=True):
        lines = m.heads[i]
        if max((ln.width for ln in lines), default=0.0) * size > w + EPS:
            lines = setter.line(setter.table.columns[i].name, setter.style.head_font, size, w / size)
        out.append(lines)
    return out


def _row_height(lines: list[tuple[ComposedLine, ...]], pitch: float) -> float:
    return max(1, max((len(ls) for ls in lines), default=1)) * pitch


def _distribute(setter: _Setter, size: float, across: int, widths: list[float], depth: float) -> _Plan:
    """Rows into `across` columns of `depth` pt (header and rules included), in order, balanced so
    the columns end level when everything fits."""
    pitch = _pitch(setter.style, size)
    head = _row_height(_head_lines(setter, size, widths), pitch)
    room = depth - head - setter.style.rule_top - setter.style.rule_bottom
    heights = [_row_height(_cell_lines(setter, size, widths, r), pitch) for r in range(len(setter.table.rows))]

    def fill(limit: float) -> list[list[int]]:
        cols: list[list[int]] = [[]]
        used = 0.0
        for r, h in enumerate(heights):
            if used + h > limit + EPS and cols[-1]:
                if len(cols) == across:
                    break
                cols.append([])
                used = 0.0
            if used + h > limit + EPS:
                break
            cols[-1].append(r)
            used += h
        return cols

    full = fill(room)
    if sum(len(c) for c in full) == len(heights) and heights:
        lo, hi = max(heights), room
        for _ in range(40):  # the least depth at which everything still fits: level columns
            mid = (lo + hi) / 2
            trial = fill(mid)
            if sum(len(c) for c in trial) == len(heights):
                hi = mid
            else:
                lo = mid
        full = fill(hi)
    return _Plan(size, across, widths, full, sum(len(c) for c in full))


def _text_tint_max(ctx: Context) -> float:
    return ctx.profile.text_tint_max_pct if ctx.profile is not None else TEXT_TINT_MAX


def _within(colour: CMYK, limit: float) -> CMYK:
    """A tint of `colour` light enough to print text over: its total coverage at most `limit`."""
    total = colour.total
    if total <= limit:
        return colour
    f = limit / total
    return CMYK(round(colour.c * f, 1), round(colour.m * f, 1), round(colour.y * f, 1), round(colour.k * f, 1))


def _sign_colour(ctx: Context, style: TableStyle, table: Table, direction: int, size: float, colour_page: bool):
    """(text colour, cell tint) of a change: red and green on colour pages (which way round is the
    table's convention), K only on mono pages. Text under the profile's small-text size must print
    from one plate (print-spec), so a two-ink colour becomes a light tint behind black figures."""
    if not colour_page or direction == 0 or table.sign_colours == "none":
        return BLACK, None
    up, down = (style.up, style.down) if table.sign_colours == "red-up" else (style.down, style.up)
    c = up if direction > 0 else down
    small = ctx.profile.small_text_pt if ctx.profile is not None else SMALL_TEXT_PT
    inks = sum(1 for v in (c.c, c.m, c.y, c.k) if v > 0)
    if inks <= 1 or size >= small:
        return c, None
    return BLACK, _within(c, _text_tint_max(ctx))


def _body_items(ctx: Context, setter: _Setter, plan: _Plan, body: Rect, gutter: float, colour_page: bool,
                page: str, offset: int = 0) -> tuple[list[Item], float]:
    """The header, rows and rules in each column of the module; and the foot of the deepest."""
    t, st, size = setter.table, setter.style, plan.size
    pitch = _pitch(st, size)
    m = setter.measured(size)
    sub = _sub_width(body.w, plan.across, gutter)
    gap = st.gap * size
    heads = _head_lines(setter, size, plan.widths)
    head_h = _row_height(heads, pitch)
    offsets, x = [], 0.0
    for w in plan.widths:
        offsets.append(x)
        x += w + gap
    tint = _within(st.tint, _text_tint_max(ctx))
    items: list[Item] = []
    bottom = body.y
    rule_src = Source(story=t.id, kind="table-rule")
    for j, rows in enumerate(plan.columns_rows):
        x0 = body.x + j * (sub + gutter)
        y = body.y + st.rule_top / 2
        items.append(Rule(x0, y, x0 + sub, y, st.rule_top, source=rule_src))
        y += st.rule_top / 2
        src = Source(story=t.id, kind="table-head")
        for k, (w, i) in enumerate(zip(plan.widths, setter.columns, strict=True)):
            for n, ln in enumerate(heads[k]):
                dx = 0.0 if _align(t.columns[i], setter.is_figures(i)) == "left" else w - ln.width * size
                if _align(t.columns[i], setter.is_figures(i)) == "centre":
                    dx = (w - ln.width * size) / 2
                items += line_runs(ln, x0 + offsets[k] + dx, _baseline(y + n * pitch, pitch, size), size,
                                   source=src)
        y += head_h
        items.append(Rule(x0, y, x0 + sub, y, st.rule_head, source=rule_src))
        for n, r in enumerate(rows):
            row = t.rows[r]
            lines = _cell_lines(setter, size, plan.widths, r)
            h = _row_height(lines, pitch)
            a = offset + r  # the row's number in the whole table (a continuation goes on counting)
            if t.tint and a % 2 == 1:
                items.append(Box(x0, y, sub, h, fill=tint, source=Source(story=t.id, paragraph=a, kind="table-tint")))
            if n > 0 and (row.group_start or (t.group_every and a % t.group_every == 0)):
                items.append(Rule(x0, y, x0 + sub, y, st.rule_group, source=rule_src))
            elif n > 0 and t.row_rules:
                items.append(Rule(x0, y, x0 + sub, y, st.rule_row, source=rule_src))
            src = Source(story=t.id, paragraph=a, kind="table-cell")
            for k, (w, i) in enumerate(zip(plan.widths, setter.columns, strict=True)):
                cell = m.cells[r][i]
                text_colour, cell_tint = _sign_colour(ctx, st, t, cell.value.direction, size, colour_page)
                cx = x0 + offsets[k]
                if cell_tint is not None:
                    items.append(Box(cx - gap / 4, y, w + gap / 2, h, fill=cell_tint,
                                     source=Source(story=t.id, paragraph=a, kind="table-tint")))
                for n_line, ln in enumerate(lines[k]):
                    dx = _cell_dx(t.columns[i], setter.is_figures(i), cell, ln, w, m.left[i], m.right[i], size)
                    items += line_runs(ln, cx + dx, _baseline(y + n_line * pitch, pitch, size), size,
                                       colour=text_colour, source=src)
            y += h
        items.append(Rule(x0, y + st.rule_bottom / 2, x0 + sub, y + st.rule_bottom / 2, st.rule_bottom,
                          source=rule_src))
        bottom = max(bottom, y + st.rule_bottom)
    return items, bottom


def _baseline(top: float, pitch: float, size: float) -> float:
    """The baseline of a row line `pitch` deep whose top is `top`: the type centred in it, as on the
    page grid."""
    return top + (pitch - size) / 2 + IDEO_ASCENT * size


def _align(col: Column, figures: bool) -> str:
    if col.align:
        return col.align
    if figures:
        return "decimal"
    return "right" if col.type == "date" else "left"


def _cell_dx(col: Column, figures: bool, cell: _Cell, line: ComposedLine, width: float, left: float, right: float,
             size: float) -> float:
    """pt from the column's left edge to the line's start."""
    align = _align(col, figures)
    lw = line.width * size
    if figures and cell.value.anchor is not None and align in ("decimal", "right"):
        return width - right * size - cell.left * size  # the alignment point under every other
    if figures and cell.value.anchor is not None and align == "left":
        return (left - cell.left) * size
    if figures and cell.value.anchor is not None and align == "centre":
        return (width - (left + right) * size) / 2 + (left - cell.left) * size
    if figures and cell.value.blank:  # a dash for "no value": centred under the figures
        block = (left + right) * size
        return width - block + (block - lw) / 2 if block > lw else width - lw
    if align == "right" or align == "decimal":
        return width - lw
    if align == "centre":
        return (width - lw) / 2
    return 0.0


def _inside_module(ctx, table, module: Module, items: list[Item], page: str) -> list[Item]:
    """The items without the text lines that do not fit the module (a title, header or note in a
    module too shallow for it: a one-line module cannot hold a title over its header). They are
    not drawn outside it but reported, with the characters left out."""
    from layout.frames import TOLERANCE, GlyphRun, item_bounds

    limit = (module.x - TOLERANCE, module.y - TOLERANCE, module.x + module.w + TOLERANCE,
             module.y + module.h + TOLERANCE)
    kept, lost, lines = [], 0, set()
    for it in items:
        b = item_bounds(it) if isinstance(it, GlyphRun) else None
        if b is not None and not (b[0] >= limit[0] and b[1] >= limit[1] and b[2] <= limit[2] and b[3] <= limit[3]):
            lost += sum(1 for g in it.glyphs if not g.text.isspace())
            lines.add((it.source.kind, round(b[1], 2)))
            continue
        kept.append(it)
    if lost:
        ctx.diagnostics.error(
            "TABLE-OVERSET", f"table {table.id}: {len(lines)} line{'s' if len(lines) != 1 else ''} of its title, "
            f"header or notes ({lost} characters) do not fit its module of {module.h:.1f} pt",
            location=table.loc, page=page, story=table.id,
            hint="make the module deeper, or shorten the title and notes")
    return kept
