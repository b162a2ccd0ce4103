"""Every table item of the edition set into its module, up front (tables depend on nothing else on
the page): a table whose `jump:` names a page where it is placed a second time continues there
with the rows its first module could not hold, the header repeated."""

from __future__ import annotations

from dataclasses import replace

from layout.frames import Item, Module
from layout.paginate.context import Context
from layout.table.setting import TableResult, set_table

Placed = tuple[list[Item], Module, TableResult | None]


def place_tables(ctx: Context) -> dict[tuple[str, str], Placed]:
    """(page id, table id) → the items, module and copyfit of that placement (the copyfit of a
    table that continues is given once, with its first part, for all its pages)."""
    tables = getattr(ctx.edition, "tables", None) or {}
    slots: dict[str, list] = {}
    for page in ctx.edition.pages:
        for item in page.items:
            if item.kind == "table" and item.at is not None and item.ref in tables:
                slots.setdefault(item.ref, []).append((page, item))
    g = ctx.grid
    out: dict[tuple[str, str], Placed] = {}
    for tid, places in slots.items():
        table = tables[tid]
        page, item = places[0]
        rect = g.rect(item.at.col, item.at.line, item.at.cols, item.at.lines)
        jump = next(((p, i) for p, i in places[1:] if table.jump and p.id == table.jump), None)
        if jump is None:
            out[(page.id, tid)] = set_table(ctx, table, rect, page.id, page.colour)
            continue
        items, module, first = set_table(ctx, table, rect, page.id, page.colour, jump_to=jump[0].id)
        j_page, j_item = jump
        j_rect = g.rect(j_item.at.col, j_item.at.line, j_item.at.cols, j_item.at.lines)
        if first.rows_set == first.rows:
            ctx.diagnostics.warning(
                "TABLE-JUMP-UNUSED", f"table {tid} fits on {page.id}: its continuation on {j_page.id} stays empty",
                location=table.loc, page=j_page.id, hint=f"remove `jump: {j_page.id}` and the second placement")
            items, module, first = set_table(ctx, table, rect, page.id, page.colour)
            out[(page.id, tid)] = (items, module, first)
            out[(j_page.id, tid)] = ([], Module(j_rect.x, j_rect.y, j_rect.w, j_rect.h, "table", tid), None)
            continue
        j_items, j_module, rest = set_table(ctx, table, j_rect, j_page.id, j_page.colour, first_row=first.rows_set,
                                            continued_from=page.id)
        header = sum(1 for c in table.columns if c.name not in rest.left_out for ch in c.name if not ch.isspace())
        whole = replace(first, rows=len(table.rows), rows_set=first.rows_set + rest.rows_set, chars=table.chars,
                        chars_set=first.chars_set + rest.chars_set - header,
                        left_out=first.left_out or rest.left_out, pages=(page.id, j_page.id))
        out[(page.id, tid)] = (items, module, whole)
        out[(j_page.id, tid)] = (j_items, j_module, None)
    return out
