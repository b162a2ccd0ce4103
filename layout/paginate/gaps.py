"""White space nobody asked for on a page the layout staff pinned item by item: the grid cells of
the live area (under the masthead or flag) that no item's module covers, as rectangles, each a
PAGE-GAP warning. Pages the automatic layout laid out report their own (AUTOLAYOUT-GAP); a page
with no items is PAGE-BLANK."""

from __future__ import annotations

from layout.model.edition import Page
from layout.paginate.context import Context

MIN_GAP = 4  # column-lines: a smaller hole is a sliver of rounding, not a forgotten item


def empty_areas(page: Page, columns: int, top: int, bottom: int) -> list[tuple[int, int, int, int]]:
    """(col, line, cols, lines) rectangles covering the cells of lines top..bottom that no pinned
    item covers: reading order, each as wide as its first line's run of empty cells allows and
    then as deep as that whole run stays empty."""
    empty = [[True] * columns for _ in range(bottom + 1)]
    for item in page.items:
        a = item.at
        if a is None:
            continue
        for line in range(max(a.line, top), min(a.line + a.lines - 1, bottom) + 1):
            for col in range(max(a.col, 1), min(a.col + a.cols - 1, columns) + 1):
                if line <= a.last_line(col - a.col):  # not in the module's notch (issue 13)
                    empty[line][col - 1] = False
    out = []
    for line in range(top, bottom + 1):
        for col in range(1, columns + 1):
            if not empty[line][col - 1]:
                continue
            w = 1
            while col + w <= columns and empty[line][col + w - 1]:
                w += 1
            h = 1
            while line + h <= bottom and all(empty[line + h][c - 1] for c in range(col, col + w)):
                h += 1
            for ln in range(line, line + h):
                for c in range(col, col + w):
                    empty[ln][c - 1] = False
            out.append((col, line, w, h))
    return out


def report_pinned_gaps(ctx: Context, pages: tuple[Page, ...]) -> None:
    """PAGE-GAP for each empty area of at least MIN_GAP column-lines on the pages all of whose
    items are pinned (`pages`: as written, before the automatic layout placed anything)."""
    g = ctx.grid
    for page in pages:
        if not page.items or any(item.at is None for item in page.items):
            continue
        top = ctx.template.masthead_lines + 1 if page.masthead else ctx.template.flag_lines + 1 if page.flag else 1
        for col, line, w, h in empty_areas(page, g.columns, top, g.lines):
            if w * h < MIN_GAP:
                continue
            ctx.diagnostics.warning(
                "PAGE-GAP", f"page {page.id}: {w} × {h} column-lines at col {col}, line {line} are empty: no item "
                f"is pinned there", location=page.loc, page=page.id,
                hint="make a neighbouring item larger to cover it, or place a story of about "
                     f"{w * h * g.column_chars // 2}–{w * h * g.column_chars} characters, a photo or an ad there "
                     f"(at: {{col: {col}, line: {line}, cols: {w}, lines: {h}}})")
