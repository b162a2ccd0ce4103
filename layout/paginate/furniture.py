"""Page furniture: the folio on every page (paper, date and weekday, page id, section, credits)
and the front-page masthead (報頭). Both are fitted to the type area: their type shrinks within
the style's `min_size`, and what does not fit even then is reported, never set over the text
beside it or off the page."""

from __future__ import annotations

import datetime as dt

from layout.color import BLACK, CMYK
from layout.frames import Item, Module, Rule, Source
from layout.model.edition import Edition, Page
from layout.paginate.context import Context
from layout.paginate.typeset import line_runs
from layout.template import TextStyle
from layout.text.lines import ComposedLine

WEEKDAYS = "一二三四五六日"
SIZE_STEP = 0.5  # pt
GAP = 1.0  # em of the folio's size kept clear between its pieces
ONE_LINE = 1e5  # em: a measure no furniture text reaches, so a piece is always one line
_EPS = 1e-6


def weekday(date: dt.date) -> str:
    return f"星期{WEEKDAYS[date.weekday()]}"


def long_date(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _line(ctx: Context, text: str, st: TextStyle, size: float) -> ComposedLine | None:
    if not text:
        return None
    return ctx.setter.block(text, st.font, size, ONE_LINE * size, justify=False).lines[0]


def _sizes(st: TextStyle) -> list[float]:
    low = st.min_size if st.min_size is not None else st.size
    return [st.size - k * SIZE_STEP for k in range(int((st.size - low) / SIZE_STEP + _EPS) + 1)]


def _cut(ctx: Context, text: str, st: TextStyle, size: float, room: float) -> tuple[ComposedLine | None, str]:
    """The part of `text` that fits `room` pt at `size` (cut at a break the composer allows), and
    the rest."""
    if room < size:
        return None, text
    first = ctx.setter.block(text, st.font, size, room, justify=False).lines[0]
    if first.width * size > room + _EPS:
        return None, text
    return first, text[first.end:]


def _runs(line: ComposedLine | None, x: float, baseline: float, size: float, colour: CMYK, kind: str) -> list[Item]:
    if line is None:
        return []
    return line_runs(line, x, baseline, size, colour=colour, source=Source(kind=kind))


def _lost(ctx: Context, code: str, what: str, text: str, page: Page, size: float, hint: str) -> None:
    chars = sum(not ch.isspace() for ch in text)
    ctx.diagnostics.error(code, f"{what} does not fit the type area even at {size:g} pt: {chars} characters not "
                          f"printed: 「{text.strip()}」", location=page.loc, page=page.id, hint=hint)


def folio(ctx: Context, page: Page) -> list[Item]:
    """A line of furniture above the grid, ruled off from it: paper and date flush left, page and
    section centred, credits flush right, at the largest size at which none runs into another."""
    e: Edition = ctx.edition
    g = ctx.grid
    st = ctx.template.style("folio")
    rule_y = g.top - 4.0
    base = rule_y - 4.0 - st.size * 0.12
    left_text = f"{e.paper}　{long_date(e.date)}　{weekday(e.date)}"
    centre_text = f"{page.id}　{page.section}" if page.section else page.id
    if page.id in e.zone_pages:  # a zoned edition's own page says which edition it is in
        centre_text += f"　{e.zone}"
    right_text = "　".join(f"{k}：{v}" for k, v in page.credits)
    mid = g.left + g.width / 2
    for size in _sizes(st):
        left, centre, right = (_line(ctx, t, st, size) for t in (left_text, centre_text, right_text))
        wl, wc, wr = ((ln.width * size if ln else 0.0) for ln in (left, centre, right))
        gap = GAP * size
        if wl + gap <= g.width / 2 - wc / 2 + _EPS and wr + gap <= g.width / 2 - wc / 2 + _EPS:
            break
    else:
        # Not even at the smallest size. The page and section are cut to the room the paper and
        # date and the credits leave; when those two alone are too wide, they are cut instead.
        rest_l = rest_c = rest_r = ""
        croom = g.width - 2 * max(wl, wr) - 2 * gap
        if croom >= 2 * size:
            centre, rest_c = _cut(ctx, centre_text, st, size, croom)
            wc = centre.width * size if centre else 0.0
        else:
            centre, rest_c = _cut(ctx, centre_text, st, size, g.width)
            wc = centre.width * size if centre else 0.0
            side = g.width / 2 - wc / 2 - gap
            if wl > side + _EPS:
                left, rest_l = _cut(ctx, left_text, st, size, side)
            if wr > side + _EPS:
                right, rest_r = _cut(ctx, right_text, st, size, side)
            wr = right.width * size if right else 0.0
        for what, rest in (("the folio's page and section", rest_c), ("the folio's paper and date", rest_l),
                           ("the folio's credits", rest_r)):
            if rest:
                _lost(ctx, "FOLIO-OVERFLOW", what, rest, page, size,
                      "shorten the page's section or credits (names, not titles)")
    items: list[Item] = []
    items += _runs(left, g.left, base, size, st.colour, "folio")
    items += _runs(centre, mid - wc / 2, base, size, st.colour, "folio")
    items += _runs(right, g.left + g.width - wr, base, size, st.colour, "folio")
    width = ctx.template.rules.get("folio_rule", 1.0)
    items.append(Rule(g.left, rule_y, g.left + g.width, rule_y, width, BLACK, Source(kind="folio")))
    return items


def masthead(ctx: Context, page: Page) -> tuple[list[Item], Module]:
    """The front-page masthead over the first `masthead_lines` grid lines: the paper's name flush
    left, as large as the room beside the date and issue lines allows within the style's limits."""
    e: Edition = ctx.edition
    t = ctx.template
    g = ctx.grid
    lines = t.masthead_lines
    top = g.line_top(1)
    height = lines * g.pitch
    st = t.style("masthead")
    colour = st.colour if page.colour else BLACK
    items: list[Item] = []
    fst = t.style("kicker")
    info = [_line(ctx, long_date(e.date) + "　" + weekday(e.date), fst, fst.size),
            _line(ctx, f"第{e.issue}期　今日{len(e.pages)}版", fst, fst.size)]
    if len(e.sections) > 1:  # 今日12版 is followed by how the sections share it: A疊8版　B疊4版
        info.append(_line(ctx, "　".join(f"{s.id}疊{len(e.section_pages(s.id))}版" for s in e.sections), fst, fst.size))
    room = g.width - max(ln.width * fst.size for ln in info) - 2 * fst.size
    for size in _sizes(st):
        name = _line(ctx, e.paper, st, size)
        if name.width * size <= room + _EPS:
            break
    else:
        name, rest = _cut(ctx, e.paper, st, size, room)
        _lost(ctx, "MASTHEAD-OVERFLOW", "the paper's name in the masthead", rest, page, size,
              "use the paper's short name in `paper:`")
    name_base = top + height * 0.5 + size * 0.38
    items += _runs(name, g.left, name_base, size, colour, "masthead")
    y = top + height * 0.5 - fst.size * 0.4
    for line in info:
        items += _runs(line, g.left + g.width - line.width * fst.size, y, fst.size, fst.colour, "masthead")
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
    count = len(e.section_pages(page.section_id))
    fst = t.style("kicker")
    info = [_line(ctx, f"{page.section_id}疊　本疊{count}版", fst, fst.size),
            _line(ctx, f"{e.paper}　{long_date(e.date)}　{weekday(e.date)}", fst, fst.size)]
    # The flag shrinks beside the info lines as the masthead's name does; what is left is reported.
    room = g.width - max(ln.width * fst.size for ln in info if ln) - 2 * fst.size
    for size in _sizes(st):
        flag = _line(ctx, page.flag, st, size)
        if flag is None or flag.width * size <= room + _EPS:
            break
    else:
        flag, rest = _cut(ctx, page.flag, st, size, room)
        _lost(ctx, "MASTHEAD-OVERFLOW", "the section's flag", rest, page, size,
              "shorten the section's `flag:`")
    items += _runs(flag, g.left, top + height * 0.5 + size * 0.38, size, colour, "masthead")
    y = top + height * 0.5 - fst.size * 0.4
    for line in info:
        if line is not None:
            items += _runs(line, g.left + g.width - line.width * fst.size, y, fst.size, fst.colour, "masthead")
        y += fst.size * 1.6
    bottom = top + height - g.pitch * 0.5
    items.append(Rule(g.left, bottom, g.left + g.width, bottom, 1.5, BLACK, Source(kind="masthead")))
    return items, Module(g.left, top, g.width, height, "masthead", None)
