"""Page furniture: the folio on every page (paper, date and weekday, page id, section, credits)
and the front-page masthead (報頭)."""

from __future__ import annotations

import datetime as dt

from layout.color import BLACK, CMYK
from layout.frames import Item, Module, Rule, Source
from layout.model.edition import Edition, Page
from layout.paginate.context import Context
from layout.paginate.typeset import line_runs

WEEKDAYS = "一二三四五六日"


def weekday(date: dt.date) -> str:
    return f"星期{WEEKDAYS[date.weekday()]}"


def long_date(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _one_line(ctx: Context, text: str, style_name: str):
    st = ctx.template.style(style_name)
    para = ctx.setter.block(text, st.font, st.size, 2000.0, justify=False)
    return para.lines[0], st


def _text(ctx, text, style_name, x, baseline, *, align="start", colour: CMYK | None = None, kind="folio"):
    line, st = _one_line(ctx, text, style_name)
    w = line.width * st.size
    if align == "centre":
        x -= w / 2
    elif align == "end":
        x -= w
    return line_runs(line, x, baseline, st.size, colour=colour or st.colour, source=Source(kind=kind))


def folio(ctx: Context, page: Page) -> list[Item]:
    """A line of furniture above the grid, ruled off from it."""
    e: Edition = ctx.edition
    g = ctx.grid
    st = ctx.template.style("folio")
    rule_y = g.top - 4.0
    base = rule_y - 4.0 - st.size * 0.12
    items: list[Item] = []
    items += _text(ctx, f"{e.paper}　{long_date(e.date)}　{weekday(e.date)}", "folio", g.left, base)
    centre = f"{page.id}　{page.section}" if page.section else page.id
    if page.id in e.zone_pages:  # a zoned edition's own page says which edition it is in
        centre += f"　{e.zone}"
    items += _text(ctx, centre, "folio", g.left + g.width / 2, base, align="centre")
    if page.credits:
        credits = "　".join(f"{k}：{v}" for k, v in page.credits)
        items += _text(ctx, credits, "folio", g.left + g.width, base, align="end")
    width = ctx.template.rules.get("folio_rule", 1.0)
    items.append(Rule(g.left, rule_y, g.left + g.width, rule_y, width, BLACK, Source(kind="folio")))
    return items


def masthead(ctx: Context, page: Page) -> tuple[list[Item], Module]:
    """The front-page masthead over the first `masthead_lines` grid lines."""
    e: Edition = ctx.edition
    t = ctx.template
    g = ctx.grid
    lines = t.masthead_lines
    top = g.line_top(1)
    height = lines * g.pitch
    st = t.style("masthead")
    colour = st.colour if page.colour else BLACK
    items: list[Item] = []
    name_base = top + height * 0.5 + st.size * 0.38
    items += _text(ctx, e.paper, "masthead", g.left, name_base, colour=colour, kind="masthead")
    info = [long_date(e.date) + "　" + weekday(e.date), f"第{e.issue}期　今日{len(e.pages)}版"]
    if len(e.sections) > 1:  # 今日12版 is followed by how the sections share it: A疊8版　B疊4版
        info.append("　".join(f"{s.id}疊{len(e.section_pages(s.id))}版" for s in e.sections))
    fst = t.style("kicker")
    y = top + height * 0.5 - fst.size * 0.4
    for text in info:
        items += _text(ctx, text, "kicker", g.left + g.width, y, align="end", kind="masthead")
        y += fst.size * 1.6
    bottom = top + height - g.pitch * 0.5
    items.append(Rule(g.left, bottom, g.left + g.width, bottom, 2.0, BLACK, Source(kind="masthead")))
    items.append(Rule(g.left, bottom + 2.5, g.left + g.width, bottom + 2.5, 0.5, BLACK, Source(kind="masthead")))
    return items, Module(g.left, top, g.width, height, "masthead", None)


def section_flag(ctx: Context, page: Page) -> tuple[list[Item], Module]:
    """A section front's flag (疊頭) over the first `flag_lines` grid lines: the section's flag in
    the flag style on the left; on the right the section and its page count, and the paper and
    date (the section may be pulled out and read on its own); ruled off like the masthead."""
    e: Edition = ctx.edition
    t = ctx.template
    g = ctx.grid
    top = g.line_top(1)
    height = t.flag_lines * g.pitch
    st = t.style("flag")
    colour = st.colour if page.colour else BLACK
    items: list[Item] = []
    items += _text(ctx, page.flag, "flag", g.left, top + height * 0.5 + st.size * 0.38, colour=colour, kind="masthead")
    count = len(e.section_pages(page.section_id))
    info = [f"{page.section_id}疊　本疊{count}版", f"{e.paper}　{long_date(e.date)}　{weekday(e.date)}"]
    fst = t.style("kicker")
    y = top + height * 0.5 - fst.size * 0.4
    for text in info:
        items += _text(ctx, text, "kicker", g.left + g.width, y, align="end", kind="masthead")
        y += fst.size * 1.6
    bottom = top + height - g.pitch * 0.5
    items.append(Rule(g.left, bottom, g.left + g.width, bottom, 1.5, BLACK, Source(kind="masthead")))
    return items, Module(g.left, top, g.width, height, "masthead", None)
