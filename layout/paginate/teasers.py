"""Front-page teasers (導讀): one entry per story with the page it starts on, filled in after
pagination from where the stories actually landed."""

from __future__ import annotations

from layout.color import CMYK
from layout.frames import Box, Item, Source
from layout.grid.grid import Rect
from layout.paginate.context import Context
from layout.paginate.typeset import line_runs

TINT = CMYK(0, 0, 0, 10)


def teasers(ctx: Context, rect: Rect, entries: list[tuple[str, str, str]]) -> list[Item]:
    """`entries`: (story id, teaser text, page id). A tinted box, a title, and the entries in as many
    sub-columns as the width allows, each entry flush left with its page flush right."""
    g = ctx.grid
    t = ctx.template
    st = t.style("teaser")
    title = t.style("kicker")
    items: list[Item] = [Box(rect.x, rect.y + g.pitch * 0.25, rect.w, rect.h - g.pitch * 0.5, fill=TINT,
                             source=Source(kind="teasers"))]
    pad = st.size
    line = ctx.setter.block("導讀", title.font, title.size, rect.w, justify=False).lines[0]
    items += line_runs(line, rect.x + pad, rect.y + g.pitch * 1.5, title.size, source=Source(kind="teasers"))
    per_col_chars = 24
    ncols = max(1, min(len(entries), int((rect.w - pad) // (per_col_chars * st.size))))
    col_w = (rect.w - pad * (ncols + 1)) / ncols
    rows = -(-len(entries) // ncols)
    top = rect.y + g.pitch * 2.5
    row_h = max(st.size * 1.8, (rect.h - g.pitch * 3) / max(rows, 1))
    for n, (story, text, page) in enumerate(entries):
        col, row = divmod(n, rows)
        x = rect.x + pad + col * (col_w + pad)
        base = top + row * row_h + st.size
        ref = f"{page}版"
        ref_line = ctx.setter.block(ref, st.font, st.size, col_w, justify=False).lines[0]
        room = col_w - ref_line.width * st.size - st.size
        text_line = ctx.setter.block(text, st.font, st.size, room, justify=False).lines[0]
        src = Source(story=story, kind="teaser")
        items += line_runs(text_line, x, base, st.size, source=src)
        items += line_runs(ref_line, x + col_w - ref_line.width * st.size, base, st.size, source=src)
    return items
