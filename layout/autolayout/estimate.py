"""What each item of a page can be: its candidate modules (columns × lines) with what each costs.

A story's depth is measured, never guessed: its first part is laid out by the real
`layout_part` (headline block, photos, jump line) in a module as deep as the grid, and its body,
composed once by `body_blocks`, is poured by the real `flow` into those slots cut off at each
candidate depth. A depth is valid when nothing is overset and the module has at most one empty
line per column (flow fills the columns in turn, so these gather at the foot of the last one); in the relaxed pass the other depths are offered too, at a price, so that a page that
cannot be filled still gets a layout and a diagnostic naming the story that is over."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from layout.diagnostics import Diagnostics
from layout.model.edition import At, Photo, Story
from layout.paginate.context import Context
from layout.paginate.flow import Block, FlowResult, Slot, flow
from layout.paginate.story import body_blocks, layout_part, photo_reserve

# Costs, in "lines of badness". Ranked: overset ≫ underfilled columns ≫ photo resizing > empty line.
EMPTY_LINE = 1.0  # an allowed empty line at the foot of a column
UNDERSET_LINE = 40.0  # each empty line beyond one per column (relaxed pass only)
OVERSET = 2000.0  # a story that does not fit at all (relaxed pass only) ...
OVERSET_CHAR = 5.0  # ... plus this per character left over
PHOTO_LINE = 0.5  # each line a photo is made deeper or shallower than asked
PHOTO_COLUMN = 6.0  # a free photo made a column wider or narrower than asked
PHOTO_RANGE = 0.2  # photos may be made shallower by up to this fraction ...
PHOTO_GROW = 0.0  # ... but not deeper: a deeper crop of the same picture loses resolution
RELAX_LINES = 12  # depths around the fit offered in the relaxed pass
RELAX_STEP = 3  # and shallower ones in steps of this many lines


@dataclass(frozen=True)
class Option:
    """One way to set an item: its module size and what that costs by itself."""

    cols: int
    lines: int
    cost: float
    head_size: float = 0.0  # pt of the headline (0: no headline)
    photo_lines: tuple[int, ...] = ()  # depth of each of the story's photos (or the free photo)
    photo_cols: int | None = None  # a free photo's width
    overset_chars: int = 0
    empty_lines: int = 0  # empty lines at the foot of the module's columns
    valid: bool = True  # fits with at most one empty line per column


@dataclass(frozen=True)
class Measured:
    """One flow of a story at one module size."""

    result: FlowResult
    max_empty: int  # most empty lines in any one column


def _scratch(ctx: Context) -> Context:
    """The context with a private diagnostics sink: trial layouts must not report anything."""
    return dataclasses.replace(ctx, diagnostics=Diagnostics())


def _clip(slots: list[Slot], last_line: int, jump: bool) -> list[Slot]:
    """The slots of a module as deep as the grid, cut at `last_line` (and one line kept for 下轉)."""
    out = [dataclasses.replace(s, count=min(s.count, last_line - s.first + 1)) for s in slots
           if s.first <= last_line]
    if jump and out:
        out[-1] = dataclasses.replace(out[-1], count=out[-1].count - 1)
        if out[-1].count <= 0:
            out.pop()
    return out


def _empties(slots: list[Slot], res: FlowResult) -> int:
    """The most empty grid lines in any column (slots sharing an x are one column)."""
    room: dict[tuple[str, float], int] = {}
    for s in slots:
        room[(s.page, s.x)] = room.get((s.page, s.x), 0) + s.count
    for r in res.runs:
        room[(r.slot.page, r.slot.x)] -= r.count
    return max(room.values(), default=0)


def measure(slots: list[Slot], blocks: list[Block]) -> Measured:
    res = flow(blocks, slots)
    used = [s for s in slots]
    return Measured(res, _empties(used, res) if res.overset_lines == 0 else 0)


def _photo_depths(photo: Photo) -> list[int]:
    lo = max(4, math.floor(photo.lines * (1 - PHOTO_RANGE)))
    hi = math.ceil(photo.lines * (1 + PHOTO_GROW))
    return list(range(lo, hi + 1))


def _option(n: int, h: int, m: Measured, head_size: float, photos: tuple[int, ...], photo_cost: float,
            relaxed: int) -> Option | None:
    res = m.result
    if res.overset_lines:
        if not relaxed:
            return None
        return Option(n, h, OVERSET + OVERSET_CHAR * res.overset_chars + photo_cost, head_size, photos,
                      overset_chars=res.overset_chars, valid=False)
    valid = res.underset_lines <= n
    if not valid and not relaxed:
        return None
    cost = EMPTY_LINE * res.underset_lines + UNDERSET_LINE * max(0, res.underset_lines - n) + photo_cost
    return Option(n, h, cost, head_size, photos, empty_lines=res.underset_lines, valid=valid)


def story_options(ctx: Context, story: Story, *, lead: bool = False, jump_to: str | None = None,
                  relaxed: int = 0, max_lines: int | None = None,
                  continued: tuple[str, At, bool] | None = None) -> list[Option]:
    """Every module of `story` worth trying: for each width, the depths at which it fits (and, for
    photos, each photo depth within range); relaxed (1, 2) also depths where it does not.

    `continued=(page, at, lead)`: the options are for the story's continuation slot, its first part
    being fixed at `at` on `page` (with the lead's headline if `lead`)."""
    g = ctx.grid
    scratch = _scratch(ctx)
    tall = max_lines or g.lines
    blocks = body_blocks(scratch, story, float(g.column_chars))
    best: dict[tuple[int, int], Option] = {}
    first_slots: list[Slot] = []
    if continued is not None:
        first = layout_part(scratch, story, continued[0], continued[1], lead=continued[2], continued_from=None,
                            jump_to="X", module_index=0)
        first_slots = first.slots
    variants: list[tuple[tuple[int, ...], float]] = [((), 0.0)]
    if story.photos and continued is None:
        # Only the first photo's depth varies: enough to take up the slack of a module.
        rest = tuple(p.lines for p in story.photos[1:])
        variants = [((d,) + rest, PHOTO_LINE * abs(d - story.photos[0].lines))
                    for d in _photo_depths(story.photos[0])]
    for n in range(1, g.columns + 1):
        if story.photos and continued is None and max(p.cols for p in story.photos) > n:
            continue
        probe = _scratch(ctx)
        at = At(1, 1, n, tall)
        base = story
        if len(variants) > 1:
            base = _with_depth(story, variants[0][0][0])
        if continued is None:
            part = layout_part(probe, base, "?", at, lead=lead, continued_from=None, jump_to=None, module_index=0)
        else:
            part = layout_part(probe, base, "?", at, lead=False, continued_from=continued[0], jump_to=None,
                               module_index=1)
        if any(d.code in ("HEADLINE-TOO-LONG", "PHOTO-TOO-WIDE", "PHOTO-DOES-NOT-FIT") for d in probe.diagnostics):
            continue
        head_size = max((p.size for p in part.head.pieces if p.kind == "headline"), default=0.0)
        moved: set[int] = set()
        if len(variants) > 1:
            # Which slots start under the first photo: one photo line deeper moves exactly those.
            deeper = layout_part(_scratch(ctx), _with_depth(story, variants[0][0][0] + 1), "?", at, lead=lead,
                                 continued_from=None, jump_to=None, module_index=0)
            moved = {i for i, (a, b) in enumerate(zip(part.slots, deeper.slots, strict=False)) if a != b}
        guess = None
        for depths, photo_cost in variants:
            slots = part.slots
            floor = part.head.lines + 1
            if depths:
                shift = depths[0] - variants[0][0][0]
                slots = [dataclasses.replace(sl, first=sl.first + shift, count=sl.count - shift) if i in moved else sl
                         for i, sl in enumerate(part.slots)]
                floor = max([sl.first - 1 for i, sl in enumerate(slots) if i in moved], default=floor)
            # Nothing may end above a photo's reserve (picture, caption, its line of air but the last):
            # a slot that starts under a photo starts on the line after that reserve.
            floor = max([floor] + [sl.first - 2 for sl in slots])
            found = None
            for h, m in _depths(slots, blocks, first_slots, n, floor, tall, jump=jump_to is not None,
                                relaxed=relaxed, guess=guess):
                opt = _option(n, h, m, head_size, depths, photo_cost, relaxed)
                if opt is not None and found is None and opt.overset_chars == 0:
                    found = h
                if opt is not None and ((n, h) not in best or opt.cost < best[(n, h)].cost):
                    best[(n, h)] = opt
            guess = found
    return sorted(best.values(), key=lambda o: (o.cols, o.lines))


def _with_depth(story: Story, lines: int) -> Story:
    first = dataclasses.replace(story.photos[0], lines=lines)
    return dataclasses.replace(story, photos=(first,) + story.photos[1:])


def _depths(slots: list[Slot], blocks: list[Block], first_slots: list[Slot], n: int, head: int, tall: int,
            *, jump: bool, relaxed: int, guess: int | None = None):
    """(depth, measurement) for the depths worth offering: from the first depth at which the body
    fits to where the module would hold more than one empty line per column; wider around it when
    relaxed (1: deeper only, empty lines; 2: shallower too, overset). `head` is the last line the body may not end above (headline block, photo)."""
    if guess is None:
        total = sum(len(b.lines) + b.lead for b in blocks)
        guess = max(head + 1, head + total // n - 2)
    fit = None
    h = max(guess, head + 1)  # a guess carried over from another photo depth may lie above this floor
    # Stepping down first: a photo or the flow's widow rule can make the guess too deep.
    while h > head + 1:
        m = measure(first_slots + _clip(slots, h - 1, jump), blocks)
        if m.result.overset_lines:
            break
        h -= 1
    while h <= tall:
        m = measure(first_slots + _clip(slots, h, jump), blocks)
        if not m.result.overset_lines:
            fit = h
            break
        h += 1
    if fit is None:
        if relaxed:
            for d in range(max(head + 1, tall - RELAX_LINES), tall + 1):
                yield d, measure(first_slots + _clip(slots, d, jump), blocks)
        return
    lo = max(head + 1, fit - RELAX_LINES) if relaxed > 1 else fit
    hi = min(tall, fit + (RELAX_LINES if relaxed else n + 1))
    depths = list(range(lo, hi + 1))
    if relaxed > 1:
        # Much shallower modules too, more coarsely: a crowded page must still find a layout
        # (and name what is over).
        depths = list(range(head + 1, lo, RELAX_STEP)) + depths
    for d in depths:
        m = measure(first_slots + _clip(slots, d, jump), blocks)
        if not relaxed and m.result.underset_lines > n:
            break
        yield d, m


def photo_options(ctx: Context, photo: Photo, *, relaxed: int = 0) -> list[Option]:
    """A free photo: its width as asked or a column narrower (the picture keeping its shape),
    at depths within range; the module is the picture with its caption."""
    g = ctx.grid
    out: list[Option] = []
    for cols in (photo.cols - 1, photo.cols):  # never wider: that would lose resolution
        if not 1 <= cols <= g.columns:
            continue
        base = photo.lines * g.span_width(cols) / g.span_width(photo.cols)
        width_cost = PHOTO_COLUMN * abs(cols - photo.cols)
        for d in range(max(4, math.floor(base * (1 - PHOTO_RANGE))), math.ceil(base * (1 + PHOTO_GROW)) + 1):
            reserve, _ = photo_reserve(ctx, dataclasses.replace(photo, lines=d), g.span_width(cols))
            cost = width_cost + PHOTO_LINE * abs(d - base)
            out.append(Option(cols, reserve - 1, cost, photo_lines=(d,), photo_cols=cols))
    best: dict[tuple[int, int], Option] = {}
    for o in out:
        if (o.cols, o.lines) not in best or o.cost < best[(o.cols, o.lines)].cost:
            best[(o.cols, o.lines)] = o
    return sorted(best.values(), key=lambda o: (o.cols, o.lines))


def fixed_option(cols: int, lines: int) -> list[Option]:
    """An ad (or teasers) booked at one size."""
    return [Option(cols, lines, 0.0)]


def grid_size(ctx: Context, w: float, h: float) -> tuple[int, int] | None:
    """The module (cols, lines) whose rectangle is w × h pt (within 1 mm), if any."""
    from layout.paginate.ads import SIZE_TOLERANCE

    g = ctx.grid
    for cols in range(1, g.columns + 1):
        if abs(g.span_width(cols) - w) <= SIZE_TOLERANCE:
            lines = round(h / g.pitch)
            if abs(lines * g.pitch - h) <= SIZE_TOLERANCE:
                return cols, lines
    return None
