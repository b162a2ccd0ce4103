"""Tables inside a story: set at the foot of the story's first module across all its columns, as
deep as they need (the fewest grid lines that hold every row), the body text flowing above them."""

from __future__ import annotations

from layout.frames import Item
from layout.model.edition import At, Story
from layout.paginate.context import Context
from layout.table.setting import TableResult, least_lines, set_table


def story_tables(ctx: Context, story: Story, at: At, page: str, top_line: int
                 ) -> tuple[list[Item], list[TableResult], int]:
    """Items and copyfit of the story's tables, and the grid lines they take from the module's foot.
    `top_line` is the first line the tables may use (under the headline and photos); the story's
    last table is the lowest."""
    g = ctx.grid
    colour = next((p.colour for p in ctx.edition.pages if p.id == page), True)
    tables = getattr(ctx.edition, "tables", None) or {}
    bottom = at.line + at.lines - 1
    items: list[Item] = []
    results: list[TableResult] = []
    for tid in reversed(story.tables):
        table = tables.get(tid)
        if table is None:
            continue  # reported by the loader (TABLE-MISSING)
        room = bottom - top_line + 1
        if room < 1:
            ctx.diagnostics.error("TABLE-OVERSET", f"table {tid} of story {story.id}: no room left in the "
                                  f"story's module on {page} (all {len(table.rows)} rows)", location=table.loc,
                                  page=page, story=story.id, hint="make the story's module deeper, or place the "
                                  "table on the page by itself")
            results.append(TableResult(tid, table.title, page, 0.0, 0, len(table.rows), 0, table.chars, 0))
            continue
        lines = least_lines(ctx, table, at.col, at.cols, bottom, room)
        t_items, _, result = set_table(ctx, table, g.rect(at.col, bottom - lines + 1, at.cols, lines), page, colour)
        items += t_items
        results.append(result)
        bottom -= lines
    return items, results[::-1], at.line + at.lines - 1 - bottom
