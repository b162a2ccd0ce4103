"""Vertical stories (`direction: vertical`, issue 16) in the automatic layout.

A vertical story module is whole columns wide and whole bands (欄) deep: its body runs in bands
of the template's column length (column_chars characters of body type) stacked down the module,
each band's lines running top to bottom and following each other from right to left
(layout/paginate/vertical.py). So its depth comes in steps of a band, not of a grid line, and
what it holds grows with its width as well as its depth.

The options are measured as the horizontal ones are (layout/autolayout/estimate.py): the real
`layout_part` lays the module out (the head as columns at its right, the photo, the jump line)
and the real `flow` pours the vertically composed body into its slots. They are priced in the
same units: a vertical line is a band deep and one pitch wide, as much page as a column-line
(a column wide and one pitch deep), so an empty vertical line costs what an empty horizontal
line costs, and so does a grid line of module left under the last band. The allowance is also
the horizontal one: up to one empty line per column is a fit (level, R42); more is a short story,
offered from the relaxed passes on and reported. The functions here take the arguments of their
namesakes in estimate.py, so the planner calls one or the other by the story's direction.
"""

from __future__ import annotations

import dataclasses
import math

from layout.autolayout.estimate import (
    EMPTY_LINE,
    HEAD_STEP,
    JUMP_LINE,
    OVERSET,
    OVERSET_CHAR,
    RELAX_LINES,
    UNDERSET_LINE,
    Option,
    _scratch,
    head_starts,
    headline_pt,
)
from layout.model.edition import At, Story
from layout.paginate.context import Context
from layout.paginate.flow import FlowResult, flow
from layout.paginate.story import Part, layout_part

# A trial module is refused for the same reasons as a horizontal one (estimate._part).
REFUSED = ("HEADLINE-TOO-LONG", "PHOTO-TOO-WIDE", "PHOTO-DOES-NOT-FIT")


def band_depth(ctx: Context, bands: int) -> int:
    """The fewest grid lines of a module that holds `bands` bands: the bands a gutter apart, half a
    pitch of air above the first and below the last (layout.paginate.vertical._bands)."""
    g = ctx.grid
    length = g.column_chars * g.body_size
    gap = g.gutter_chars * g.body_size
    return math.ceil((bands * length + (bands - 1) * gap) / g.pitch + 1 - 1e-6)


def bands_in(ctx: Context, lines: int) -> int:
    """How many bands a module `lines` deep holds."""
    b = 0
    while band_depth(ctx, b + 1) <= lines:
        b += 1
    return b


def _blocks(ctx: Context, story: Story, memo: dict):
    from layout.paginate.vertical import vertical_blocks

    key = ("vblocks",)
    if key not in memo:
        memo[key] = vertical_blocks(_scratch(ctx), story, float(ctx.grid.column_chars))
    return memo[key]


def _first_slots(ctx: Context, story: Story, continued: tuple[str, At, bool] | None, memo: dict) -> list:
    if continued is None:
        return []
    key = ("vfirst", continued[0], repr(continued[1]), continued[2])
    if key not in memo:
        memo[key] = layout_part(_scratch(ctx), story, continued[0], continued[1], lead=continued[2],
                                continued_from=None, jump_to="X", module_index=0).slots
    return memo[key]


def _part(ctx: Context, story: Story, cols: int, lines: int, lead: bool, jump: bool,
          continued: tuple[str, At, bool] | None, memo: dict) -> tuple[Part, float] | None:
    """The vertical module cols × lines as pagination sets it, and its headline's size (pt); None
    when it cannot be set there (the head does not fit its strip, the photo not the module)."""
    key = ("vpart", cols, lines, lead, jump, continued is not None, story.headline_size)
    if key in memo:
        return memo[key]
    probe = _scratch(ctx)
    at = At(1, 1, cols, lines)
    if continued is None:
        part = layout_part(probe, story, "?", at, lead=lead, continued_from=None, jump_to="X" if jump else None,
                           module_index=0)
    else:
        part = layout_part(probe, story, "?", at, lead=False, continued_from=continued[0], jump_to=None,
                           module_index=1)
    hit = None
    if part.slots and not any(d.code in REFUSED for d in probe.diagnostics):
        head = headline_pt(part)
        hit = (part, head)
    memo[key] = hit
    return hit


def _measure(ctx: Context, story: Story, cols: int, lines: int, lead: bool, jump: bool,
             continued: tuple[str, At, bool] | None, memo: dict) -> tuple[FlowResult, int, tuple, float] | None:
    """(flow, empty column-lines, empty lines per band, headline pt, empty lines a band holds) of the
    story in the module."""
    key = ("vflow", cols, lines, lead, jump, continued is not None, story.headline_size)
    if key in memo:
        return memo[key]
    hit = None
    got = _part(ctx, story, cols, lines, lead, jump, continued, memo)
    if got is not None:
        part, head = got
        slots = _first_slots(ctx, story, continued, memo) + part.slots
        res = flow(_blocks(ctx, story, memo), slots)
        feet = band_feet(slots, res) if not res.overset_lines else ()
        slack = lines - band_depth(ctx, max(1, bands_in(ctx, lines)))  # module under the last band
        empty = (sum(feet) if not res.overset_lines else 0) + slack * cols
        hit = (res, empty, feet, head, max((s.count for s in part.slots), default=1))
    memo[key] = hit
    return hit


def band_feet(slots: list, res: FlowResult) -> tuple[int, ...]:
    """Empty lines left in each band of the last module, top band first (a vertical slot's rows are
    numbered band × BAND_ROWS + line, layout.paginate.vertical)."""
    from layout.paginate.vertical import BAND_ROWS

    last = max((s.module for s in slots), default=0)
    room: dict[tuple[str, int], int] = {}
    for s in slots:
        if s.module == last:
            key = (s.page, s.first // BAND_ROWS)
            room[key] = room.get(key, 0) + s.count
    for r in res.runs:
        key = (r.slot.page, r.slot.first // BAND_ROWS)
        if r.slot.module == last and key in room:
            room[key] -= r.count
    return tuple(room[k] for k in sorted(room))


def _option(cols: int, lines: int, got, relaxed: int, jump: bool, start: float | None = None,
            steps: int = 0, signed: int = 0) -> Option | None:
    res, empty, feet, head, lines_per_band = got
    lever = HEAD_STEP * steps  # the headline set `steps` template sizes away from its width's
    if res.overset_lines:
        if jump:  # the rest continues on the jump page: a full first part
            return Option(cols, lines, JUMP_LINE * res.overset_lines + lever, head, start, head_steps=signed,
                          continues=res.overset_chars)
        if relaxed < 2:
            return None
        return Option(cols, lines, OVERSET + OVERSET_CHAR * res.overset_chars + lever, head, start,
                      overset_chars=res.overset_chars, overset_lines=res.overset_lines, valid=False,
                      head_steps=signed)
    valid = empty <= cols  # one empty line per column, as horizontal feet may be (R42)
    if not valid and not relaxed and empty >= lines_per_band:
        return None  # a band or more left empty: offered from the relaxed passes on
    cost = EMPTY_LINE * empty + UNDERSET_LINE * max(0, empty - cols) + lever
    return Option(cols, lines, cost, head, start, empty_lines=empty, valid=valid, head_steps=signed, feet=feet)


def _starts(ctx: Context, story: Story, cols: int, lead: bool, continued) -> list[tuple[float | None, int, int]]:
    """(size the headline is fitted from, template steps, signed steps) to try at `cols` columns, as
    for horizontal heads (estimate.head_starts); a continuation's head and a size the edition
    gives are kept."""
    if continued is not None or story.headline_size is not None:
        return [(None, 0, 0)]
    h = ctx.template.headline
    nominal = h.size_for(cols) * (h.lead_factor if lead else 1.0)
    return [(start, steps, 0 if start is None else (steps if start > nominal else -steps))
            for start, steps in head_starts(ctx, cols, lead)]


def _sized(story: Story, start: float | None) -> Story:
    return story if start is None else dataclasses.replace(story, headline_size=start)


def story_options(ctx: Context, story: Story, *, lead: bool = False, jump_to: str | None = None,
                  relaxed: int = 0, max_lines: int | None = None,
                  continued: tuple[str, At, bool] | None = None, memo: dict | None = None) -> list[Option]:
    """The vertical story's modules worth trying: for each width and headline size (those of a
    horizontal head, estimate.head_starts), the depth of the whole number of bands that holds the
    whole story (or, jumping, every band count up to it); relaxed, also the depths a few lines
    deeper than that one (the slack under the last band priced as empty lines) and, in pass 2, the
    shallower band counts that leave text over. Of one module size and headline size the cheapest is kept."""
    g = ctx.grid
    tall = max_lines or g.lines
    memo = {} if memo is None else memo
    jump = jump_to is not None
    out: dict[tuple[int, int, float], Option] = {}

    def offer(o: Option | None) -> None:
        if o is not None and ((k := (o.cols, o.lines, o.head_size)) not in out or o.cost < out[k].cost):
            out[k] = o

    most = bands_in(ctx, tall)
    for n in range(1, g.columns + 1):
        if story.photos and continued is None and max(p.cols for p in story.photos) > n:
            continue
        for start, steps, signed in _starts(ctx, story, n, lead, continued):
            sized = _sized(story, start)
            for b in range(1, most + 1):
                h = band_depth(ctx, b)
                got = _measure(ctx, sized, n, h, lead, jump, continued, memo)
                if got is None:
                    continue
                opt = _option(n, h, got, relaxed, jump, start, steps, signed)
                offer(opt)
                if opt is not None and relaxed and not got[0].overset_lines:
                    for d in range(h + 1, min(tall, band_depth(ctx, b + 1) - 1, h + RELAX_LINES) + 1):
                        deeper = _measure(ctx, sized, n, d, lead, jump, continued, memo)
                        if deeper is not None:
                            offer(_option(n, d, deeper, relaxed, jump, start, steps, signed))
                if not got[0].overset_lines:
                    break  # deeper modules hold only more white space
    return sorted(out.values(), key=lambda o: (o.cols, o.lines, -o.head_size))


def option_at(ctx: Context, story: Story, cols: int, lines: int, *, lead: bool = False, jump_to: str | None = None,
              continued: tuple[str, At, bool] | None = None, memo: dict | None = None,
              max_head: float | None = None) -> Option:
    """The vertical story in a module of exactly cols × lines (the fallback layout's), priced as
    story_options prices it, of its headline sizes the cheapest no larger than `max_head` (the
    lead's); all of its text over when not even its head can be set there."""
    memo = {} if memo is None else memo
    jump = jump_to is not None
    starts = _starts(ctx, story, cols, lead, continued)
    if max_head is not None and continued is None and story.headline_size is None:
        starts.append((max_head, 1, -1))  # the lead's own size, for a module wider than the lead's
    best: Option | None = None
    for start, steps, signed in starts:
        got = _measure(ctx, _sized(story, start), cols, lines, lead, jump, continued, memo)
        if got is None or (max_head is not None and continued is None and got[3] > max_head + 1e-6):
            continue
        opt = _option(cols, lines, got, 2, jump, start, steps, signed)
        if opt is not None and (best is None or opt.cost < best.cost):
            best = opt
    if best is not None:
        return best
    res = flow(_blocks(ctx, story, memo), [])
    return Option(cols, lines, OVERSET + OVERSET_CHAR * res.overset_chars, head_size=max_head or 0.0,
                  head_start=max_head, overset_chars=res.overset_chars, overset_lines=res.overset_lines, valid=False)


def fitted_head(ctx: Context, story: Story, at: At, *, lead: bool) -> float:
    """pt of the headline the vertical story gets in the module `at` (a pinned lead's, or a
    fallback lead's in a module too small for it, which the page's other headlines are held
    under): what pagination prints there, as estimate.fitted_head gives it for a horizontal story.
    Not _part's, which refuses a module too shallow for a band or too narrow for the head: the
    headline is printed all the same (at its smallest size, reported), and a 0 here let every
    other headline of the page be set larger than the lead's."""
    part = layout_part(_scratch(ctx), story, "?", at, lead=lead, continued_from=None, jump_to=None, module_index=0)
    return headline_pt(part)


def least_lines(ctx: Context, photos: tuple) -> int:
    """The fewest grid lines the fallback layout should give a vertical story (plan._fallback; a
    horizontal story's are its headline block, 8 lines, and its first photo at its shallowest):
    one band of body, as a module shallower than a band holds no vertical line at all (every
    character of it would be over, its headline squeezed), under its first photo at its
    shallowest (estimate.PHOTO_RANGE); `photos`: those of the story's part in the module (none for
    a continuation)."""
    return band_depth(ctx, 1) + (math.ceil(photos[0].lines * 0.8) + 3 if photos else 0)


def needs(ctx: Context, story: Story, cols: int) -> int:
    """Column-lines the vertical story takes (a guess for sharing out the fallback's rectangles):
    its vertical lines (each as much page as a column-line), its head's strip and its photos."""
    memo: dict = {}
    body = sum(len(b.lines) + b.lead for b in _blocks(ctx, story, memo))
    photos = sum(p.cols * (p.lines + 3) for p in story.photos)
    return body + photos + cols * (6 + len(story.decks) * 2)


def short_lines(ctx: Context, layout, index: int = -1) -> tuple[int, tuple[int, ...]] | None:
    """(empty column-lines, empty lines per band) of one part of a paginated vertical story when
    it is short (more than one empty line per column, see story_options); None when it is not
    short or when its text is over."""
    res = layout.result
    if res is None or res.overset_lines:
        return None
    part = layout.parts[index]
    feet = band_feet(part.slots, res)
    slack = part.at.lines - band_depth(ctx, max(1, bands_in(ctx, part.at.lines)))
    empty = sum(feet) + slack * part.at.cols
    if empty <= part.at.cols:
        return None
    return empty, feet


def report_short(ctx: Context, page, sid: str, where: str, option: Option) -> None:
    """AUTOLAYOUT-UNDERSET for a vertical story the plan leaves short (plan._report's horizontal
    message counts column feet; a vertical story's white space is in its last band)."""
    g = ctx.grid
    bands = ", ".join(str(f) for f in option.feet) if option.feet else str(option.empty_lines)
    ctx.diagnostics.warning(
        "AUTOLAYOUT-UNDERSET", f"{where} is short: {option.empty_lines} empty lines in its {option.cols}-column "
        f"vertical module (empty lines in each band: {bands}; a grid line under the last band counts as one per "
        "column)", location=page.loc, page=page.id, story=sid,
        hint=f"add about {option.empty_lines * g.column_chars} characters, or a photo, or let a neighbouring story "
             "take the room")


def report_short_part(ctx: Context, page, sid: str, layout, index: int) -> None:
    """verify.py's check on the page as set, for a vertical story: AUTOLAYOUT-UNDERSET when its
    part `index` came out short (see short_lines)."""
    short = short_lines(ctx, layout, index)
    if short is None:
        return
    empty, feet = short
    where = f"story {sid} on page {page.id}"
    report_short(ctx, page, sid, where, Option(layout.parts[index].at.cols, layout.parts[index].at.lines, 0.0,
                                               empty_lines=empty, feet=feet, valid=False))
