"""What each item of a page can be: its candidate modules (columns × lines) with what each costs.

A story's depth is measured, never guessed: its first part is laid out by the real
`layout_part` (headline block, photos, jump line) in a module as deep as the grid, and its body,
composed once by `body_blocks`, is poured by the real `flow` into those slots cut off at each
candidate depth. A depth is valid when nothing is overset and its column feet are level (R42,
counted per column, see `level_feet`); in the relaxed passes the other depths are offered too, at a
price, so that a page that cannot be filled still gets a layout and a diagnostic naming the story
that is over or short. A story that jumps is never overset on its first page: what does not fit
continues in its continuation slot, and is measured there.

Levers that take up a module's slack without cutting text, each at a price: the headline set one
or two template sizes smaller or larger than its width's size (the block changes by whole grid
lines), and the first photo made shallower, or deeper as far as its pixels keep the print
profile's target resolution."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from PIL import Image

from layout.autolayout import measure as measured
from layout.autolayout.fallback import BODY_LINES
from layout.diagnostics import Diagnostics
from layout.images import _crop_box
from layout.model.edition import At, Notch, Photo, Story
from layout.paginate.context import Context
from layout.paginate.flow import Block, FlowResult, Slot, flow
from layout.paginate.story import Part, body_blocks, layout_part, photo_reserve

# Costs, in "lines of badness". Ranked: overset ≫ underfilled columns ≫ photo resizing > empty line.
EMPTY_LINE = 1.0  # an allowed empty line at the foot of a column
UNDERSET_LINE = 40.0  # each empty line beyond one per column (relaxed pass only)
OVERSET = 2000.0  # a story that does not fit at all (relaxed pass only) ...
OVERSET_CHAR = 5.0  # ... plus this per character left over
PHOTO_LINE = 0.5  # each line a photo is made deeper or shallower than asked
PHOTO_COLUMN = 6.0  # a free photo made a column wider or narrower than asked
PHOTO_RANGE = 0.2  # photos may be made shallower by up to this fraction ...
PHOTO_GROW = 0.2  # ... and deeper by up to this one, while the crop keeps the target ppi
HEAD_STEP = 5.0  # each template size a headline is set away from its width's size
HEAD_STEPS = 2  # at most this many sizes either way
RELAX_LINES = 12  # depths around the fit offered in the relaxed pass
RELAX_STEP = 3  # and shallower ones in steps of this many lines
HELD = 8.0  # a headline held under an earlier one's, its block kept at its module's depth (search, option_at)
JUMP_LINE = 0.2  # each line a jumping story sends on to its continuation (text kept on page one is better)


@dataclass(frozen=True)
class Option:
    """One way to set an item: its module size and what that costs by itself."""

    cols: int
    lines: int
    cost: float
    head_size: float = 0.0  # pt of the headline as fitted (0: no headline)
    head_start: float | None = None  # pt the headline is fitted from, when not its width's size
    photo_lines: tuple[int, ...] = ()  # depth of each of the story's photos (or the free photo)
    photo_cols: int | None = None  # a free photo's width
    overset_chars: int = 0
    empty_lines: int = 0  # empty lines at the foot of the module's columns
    valid: bool = True  # fits with its column feet level (R42, see level_feet)
    head_steps: int = 0  # template sizes the headline is set above (+) or below (-) its width's size
    feet: tuple[int, ...] = ()  # empty lines at the foot of each column, left to right
    overset_lines: int = 0
    continues: int = 0  # characters a jumping story sends on to its continuation slot
    # the corner cut out of an L-shaped module (the fallback's, issue 13): (side, cols, lines)
    notch: tuple[str, int, int] | None = None
    # grid lines the head block is kept at (a held headline's, see option_at's `pad`; 0: its own)
    head_lines: int = 0


_FIELDS = ("cols", "lines", "cost", "head_size", "head_start", "photo_lines", "photo_cols", "overset_chars",
           "empty_lines", "valid", "head_steps", "feet", "overset_lines", "continues", "notch", "head_lines")
if tuple(f.name for f in dataclasses.fields(Option)) != _FIELDS:  # _made sets them one by one
    raise TypeError("estimate._FIELDS must list Option's fields in order")
_NEW = object.__new__


def _made(cols: int, lines: int, cost: float, head_size: float, head_start: float | None, photos: tuple[int, ...],
          overset_chars: int, empty_lines: int, valid: bool, head_steps: int, feet: tuple[int, ...],
          overset_lines: int, continues: int) -> Option:
    """Option(cols, lines, cost, head_size, head_start, photos, None, overset_chars, ...), made
    without the frozen dataclass's __init__ (which sets each field through object.__setattr__) and
    without keyword arguments: a page's options are some 6 000 a story, and this makes them in a
    fifth of the time. The same object: every field set, in order (_FIELDS), so equal, of equal
    hash, pickled alike (tests/autolayout/test_measure_count.py)."""
    o = _NEW(Option)
    d = o.__dict__
    d["cols"] = cols
    d["lines"] = lines
    d["cost"] = cost
    d["head_size"] = head_size
    d["head_start"] = head_start
    d["photo_lines"] = photos
    d["photo_cols"] = None
    d["overset_chars"] = overset_chars
    d["empty_lines"] = empty_lines
    d["valid"] = valid
    d["head_steps"] = head_steps
    d["feet"] = feet
    d["overset_lines"] = overset_lines
    d["continues"] = continues
    d["notch"] = None
    d["head_lines"] = 0
    return o


@dataclass(frozen=True)
class Measured:
    """One flow of a story at one module size."""

    result: FlowResult
    max_empty: int  # most empty lines in any one column
    feet: tuple[int, ...] = ()  # empty lines at the foot of each column, left to right
    # level_feet(feet) and short_lines(feet), worked out once per flow rather than per option
    # (a flow is read for many headline sizes and photo depths)
    level: bool = True
    short: int = 0


if tuple(f.name for f in dataclasses.fields(Measured)) != ("result", "max_empty", "feet", "level", "short"):
    raise TypeError("estimate.measure must set Measured's fields in order")


def _scratch(ctx: Context) -> Context:
    """The context with a private diagnostics sink: trial layouts must not report anything."""
    return dataclasses.replace(ctx, diagnostics=Diagnostics())


def _measure_at(first_slots: list[Slot], slots: list[Slot], last_line: int, jump: bool, blocks: list[Block],
                memo: dict | None, notch: tuple[frozenset, int] | None = None) -> Measured:
    """measure(first_slots + _clip(slots, last_line, jump)), the memo's key made without the
    clipped slots: most trial depths are in the memo, and making slots costs more than a flow's
    lookup. `notch`: (x of the columns over a notch, their last line), an L-shaped module's."""
    if notch is not None:
        xs, short = notch
        cut = _clip_notched(slots, last_line, xs, short, jump)
        return measure(first_slots + cut, blocks, measured.flows(memo) if memo is not None else None)
    if memo is None:
        return measure(first_slots + _clip(slots, last_line, jump), blocks)
    key = measured.depth_key(measured.columns_id(memo, first_slots, slots), tuple((s.first, s.count) for s in slots),
                             jump, last_line)
    table = measured.flows(memo)  # shared with the story's trials (measure.Trial)
    hit = table.get(key)
    if hit is None:
        hit = table[key] = measure(first_slots + _clip(slots, last_line, jump), blocks,
                                   body=measured.body_of(memo, blocks))
    return hit


def _cut(s: Slot, count: int) -> Slot:
    """The slot `s` with `count` lines: a copy of its fields, the frozen dataclass's __init__ left
    out (it sets each field through object.__setattr__; this runs for every trial depth)."""
    o = _NEW(Slot)
    d = o.__dict__
    d.update(s.__dict__)
    d["count"] = count
    return o


def _clip(slots: list[Slot], last_line: int, jump: bool) -> list[Slot]:
    """The slots of a module as deep as the grid, cut at `last_line` (and one line kept for 下轉)."""
    out = [s if s.first + s.count - 1 <= last_line else _cut(s, last_line - s.first + 1)
           for s in slots if s.first <= last_line]
    if jump and out:
        s = out[-1]
        if s.count > 1:
            out[-1] = _cut(s, s.count - 1)
        else:
            out.pop()
    return out


def _clip_notched(slots: list[Slot], last_line: int, xs: frozenset, short: int, jump: bool) -> list[Slot]:
    """_clip for an L-shaped module: the columns at `xs` (over the notch) cut at line `short`."""
    out = []
    for s in slots:
        end = short if s.x in xs else last_line
        if s.first > end:
            continue
        out.append(s if s.first + s.count - 1 <= end else _cut(s, end - s.first + 1))
    if jump and out:
        s = out[-1]
        if s.count > 1:
            out[-1] = _cut(s, s.count - 1)
        else:
            out.pop()
    return out


def column_feet(slots: list[Slot], res: FlowResult) -> tuple[int, ...]:
    """Empty grid lines left in each column, in reading order (slots sharing a page and x are one
    column): what R42 is counted on."""
    # A continuation's flow starts in its first part's columns: only the last module's are its own.
    last = max((s.module for s in slots), default=0)
    room: dict[tuple[str, float], int] = {}
    for s in slots:
        if s.module == last:
            room[(s.page, s.x)] = room.get((s.page, s.x), 0) + s.count
    for r in res.runs:
        key = (r.slot.page, r.slot.x)
        if r.slot.module == last and key in room:
            room[key] -= r.count
    return tuple(room.values())


def level_feet(feet: tuple[int, ...]) -> bool:
    """R42, counted per column: every column but the last ends on the module's last line or one
    above it (the one line is what widow and orphan control, R38, and keeping a sub-head with its
    text, R45, can cost a column), and the last column ends at most one line above the highest
    foot of the others."""
    if not feet:
        return True
    head, last = feet[:-1], feet[-1]
    if not head:
        return last <= 1
    return max(head) <= 1 and last - min(head) <= 1


def short_lines(feet: tuple[int, ...]) -> int:
    """Lines a story is short of level feet (see level_feet): each non-last column's empty lines
    beyond one, and the last column's beyond one more than the others'."""
    if not feet:
        return 0
    head, last = feet[:-1], feet[-1]
    base = min(head) if head else 0
    return sum(max(0, e - 1) for e in head) + max(0, last - max(1, base + 1))


def _room(slots: list[Slot]) -> tuple:
    """What a flow's counts depend on: each slot's column and number of lines, in order."""
    return tuple((sl.page, sl.x, sl.measure, sl.count) for sl in slots)


def measure(slots: list[Slot], blocks: list[Block], memo: dict | None = None,
            body: measured.Body | None = None) -> Measured:
    """The flow of `blocks` into `slots`, its counts only (measure.count: the flow's loop without
    placed runs, so `result.runs` is empty). `memo` keeps flows already made for slots of the same
    room: flow reads only the slots' line counts in order (and empty lines are summed per
    column), so slots moved up or down — a headline a line deeper over a module a line deeper —
    measure the same. `body`: measure.Body of `blocks`, kept by a caller that measures them often."""
    key = _room(slots)
    if memo is not None and key in memo:
        return memo[key]
    res, feet = measured.count(body if body is not None else measured.Body(blocks), slots)
    m = _NEW(Measured)  # Measured(res, ...) without the frozen dataclass's __init__ (a flow's cost)
    d = m.__dict__
    d["result"] = res
    d["max_empty"] = max(feet, default=0)
    d["feet"] = feet
    d["level"] = level_feet(feet)
    d["short"] = short_lines(feet)
    if memo is not None:
        memo[key] = m
    return m


def _pixels(path) -> tuple[int, int] | None:
    """The picture's size upright (EXIF orientation applied), read from its header only."""
    try:
        with Image.open(path) as img:
            w, h = img.size
            orientation = img.getexif().get(0x0112, 1)
    except (OSError, ValueError):
        return None
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def photo_ppi(pixels: tuple[int, int], photo: Photo, width_pt: float, lines: int, pitch: float) -> float:
    """Effective resolution of the picture in a frame `width_pt` wide and `lines` deep, cropped
    around its focus to the frame's shape as layout.images does it."""
    box = _crop_box(pixels, width_pt / (lines * pitch), photo.focus)
    return (box[2] - box[0]) / (width_pt / 72.0)


def deepest_photo(ctx: Context, photo: Photo, width_pt: float, lines: int) -> int:
    """The deepest picture (grid lines, at most PHOTO_GROW deeper than `lines`) whose crop keeps
    the print profile's target resolution at this width; `lines` itself when even that one does
    not, or when the picture or the profile is unknown (a deeper frame crops away pixels)."""
    target = getattr(ctx.profile, "target_ppi", None)
    pixels = _pixels(photo.file) if target else None
    if pixels is None:
        return lines
    best = lines
    for d in range(lines + 1, math.ceil(lines * (1 + PHOTO_GROW)) + 1):
        if photo_ppi(pixels, photo, width_pt, d, ctx.grid.pitch) < target:
            break
        best = d
    return best


def _photo_depths(ctx: Context, photo: Photo) -> list[int]:
    lo = max(4, math.floor(photo.lines * (1 - PHOTO_RANGE)))
    hi = deepest_photo(ctx, photo, ctx.grid.span_width(photo.cols), photo.lines)
    return list(range(lo, hi + 1))


def head_starts(ctx: Context, cols: int, lead: bool) -> list[tuple[float | None, int]]:
    """(size the headline is fitted from, template steps away from its width's size) for a
    headline over `cols` columns: None (the width's own size) first, then up to HEAD_STEPS of the
    template's other sizes either way, none under its minimum."""
    h = ctx.template.headline
    sizes = sorted(set(h.sizes_by_cols.values()))
    nominal = h.size_for(cols)
    factor = h.lead_factor if lead else 1.0
    at = sizes.index(nominal)
    out: list[tuple[float | None, int]] = [(None, 0)]
    for step in range(1, HEAD_STEPS + 1):
        for i in (at - step, at + step):
            if 0 <= i < len(sizes) and sizes[i] >= h.min_size:
                out.append((sizes[i] * factor, step))
    return out


def _option(n: int, h: int, m: Measured, head_size: float, head_start: float | None, photos: tuple[int, ...],
            lever_cost: float, relaxed: int, head_steps: int = 0, jump: bool = False) -> Option | None:
    res = m.result
    if res.overset_lines:
        if jump:
            # The rest continues on the jump page: a full first part, nothing overset here.
            return _made(n, h, JUMP_LINE * res.overset_lines + lever_cost, head_size, head_start, photos, 0, 0, True,
                         head_steps, (), 0, res.overset_chars)
        if relaxed < 2:
            return None  # overset is the last thing given up (pass 2)
        return _made(n, h, OVERSET + OVERSET_CHAR * res.overset_chars + lever_cost, head_size, head_start, photos,
                     res.overset_chars, 0, False, head_steps, (), res.overset_lines, 0)
    valid = m.level
    if not valid and not relaxed and res.underset_lines > n:
        # Pass 0 offers feet that are not level only while the module holds no more empty lines
        # than columns (priced per line short and reported): widow and orphan control rarely lets
        # a story come out exactly level, and the page must still be found without the wider
        # (and much slower) search of pass 1.
        return None
    cost = EMPTY_LINE * res.underset_lines + UNDERSET_LINE * m.short + lever_cost
    return _made(n, h, cost, head_size, head_start, photos, 0, res.underset_lines, valid, head_steps, m.feet, 0, 0)


def _walk(trial: measured.Trial, n: int, head: int, tall: int, jump: bool, relaxed: int,
          guess: int | None) -> tuple[int | None, tuple[tuple[int, float, Measured], ...]]:
    """The depths `_depths` offers of this trial, each with its base cost (those without an option
    left out), and the first of them with nothing overset (see _option): the next photo depth's
    guess. An option's cost is `base + lever_cost`: _option's expressions are sums evaluated from
    the left with the lever added last, so that sum is the very float _option makes, and most
    depths are dearer than an option already found for their module, so none is made for them.
    Kept in the trial: one module is walked again for each headline size that gives the same head
    block, and its photo depths' walks are looked up again by the next pass's (the same guess,
    the same floor)."""
    key = (n, head, tall, jump, relaxed, guess)
    hit = trial.walks.get(key)
    if hit is not None:
        return hit
    found = None
    out = []
    for h, m in _depths(trial, n, head, tall, jump=jump, relaxed=relaxed, guess=guess):
        # _option's cost less the lever (the same expressions; None there is `continue` here)
        res = m.result
        if res.overset_lines:
            if jump:
                base = JUMP_LINE * res.overset_lines
            elif relaxed < 2:
                continue
            else:
                base = OVERSET + OVERSET_CHAR * res.overset_chars
        elif not m.level and not relaxed and res.underset_lines > n:
            continue
        else:
            base = EMPTY_LINE * res.underset_lines + UNDERSET_LINE * m.short
        if found is None and (not res.overset_lines or jump or res.overset_chars == 0):
            found = h
        out.append((h, base, m))
    hit = trial.walks[key] = (found, tuple(out))
    return hit


def story_options(ctx: Context, story: Story, *, lead: bool = False, jump_to: str | None = None,
                  relaxed: int = 0, max_lines: int | None = None,
                  continued: tuple[str, At, bool] | None = None, memo: dict | None = None) -> list[Option]:
    """Every module of `story` worth trying: for each width, headline size (see head_starts) and
    photo depth, the depths at which it fits; relaxed (1, 2) also depths where it does not. Of
    the options of one module size and one headline size only the cheapest is kept (the search
    needs the headline sizes apart to keep the lead's the largest).

    `continued=(page, at, lead)`: the options are for the story's continuation slot, its first part
    being fixed at `at` on `page` (with the lead's headline if `lead`). `memo`: flows of this
    story already measured, kept by the caller between passes."""
    g = ctx.grid
    scratch = _scratch(ctx)
    tall = max_lines or g.lines
    memo = {} if memo is None else memo
    blocks = measured.blocks(memo, lambda: body_blocks(scratch, story, float(g.column_chars)), float(g.column_chars))
    # (cols, headline pt) -> depth -> (its cost, flow, the rest of _option's arguments)
    best: dict[tuple[int, float], dict[int, tuple[float, Measured, tuple]]] = {}
    first_slots: list[Slot] = []
    if continued is not None:
        first = layout_part(scratch, story, continued[0], continued[1], lead=continued[2], continued_from=None,
                            jump_to="X", module_index=0, trial=True)
        first_slots = first.slots
    fkey = tuple((s.page, s.x, s.measure, s.first, s.count, s.module) for s in first_slots)
    variants: list[tuple[tuple[int, ...], float]] = [((), 0.0)]
    if story.photos and continued is None:
        # Only the first photo's depth varies: enough to take up the slack of a module.
        rest = tuple(p.lines for p in story.photos[1:])
        variants = [((d,) + rest, PHOTO_LINE * abs(d - story.photos[0].lines))
                    for d in _photo_depths(ctx, story.photos[0])]
    for n in range(1, g.columns + 1):
        if story.photos and continued is None and max(p.cols for p in story.photos) > n:
            continue
        at = At(1, 1, n, tall)
        # A continuation's headline is its own small size, and a size the edition gives is kept.
        starts: list[tuple[float | None, int]] = [(None, 0)]
        if continued is None and story.headline_size is None:
            starts = head_starts(ctx, min(story.headline_cols or n, n), lead)
        seen: set[tuple[float, int]] = set()
        h_cols = min(story.headline_cols or n, n)
        nominal = ctx.template.headline.size_for(h_cols) * (ctx.template.headline.lead_factor if lead else 1.0)
        for start, steps in starts:
            sized = story if start is None else dataclasses.replace(story, headline_size=start)
            depth = variants[0][0][0] if len(variants) > 1 else None
            part = _part(ctx, sized, at, lead, continued, depth, memo)
            if part is None:
                continue
            head_size = headline_pt(part)
            if (head_size, part.head.lines) in seen:
                continue  # another start fitted the very same headline: the cheaper one stands
            seen.add((head_size, part.head.lines))
            signed = 0 if start is None else (steps if start > nominal else -steps)
            moved: set[int] = set()
            if depth is not None:
                # Which slots start under the first photo: one photo line deeper moves exactly those.
                # Only the head block's depth decides the slots (and the photo's place) of a part:
                # asked once per depth of head block, not once per headline size.
                mkey = ("moved", n, tall, part.head.lines, depth, tuple(part.slots))
                moved = memo.get(mkey)
                if moved is None:
                    deeper = _part(ctx, sized, at, lead, continued, depth + 1, memo)
                    moved = memo[mkey] = {i for i, (a, b) in enumerate(zip(part.slots, deeper.slots, strict=False))
                                          if a != b}
            guess = None
            jump = jump_to is not None
            group = best.get((n, head_size))
            if group is None:
                group = best[(n, head_size)] = {}
            for depths, photo_cost in variants:
                shift = depths[0] - variants[0][0][0] if depths else 0
                # The trial and its floor follow from the part, the photo's shift and the first
                # part: kept in the memo (the next pass makes the very same ones).
                vkey = ("visit", n, tall, sized.headline_size, depth, shift, jump, fkey)
                visit = memo.get(vkey)
                if visit is None:
                    slots = part.slots
                    floor = part.head.lines + 1
                    if depths:
                        # Slot(...) rather than dataclasses.replace (the same slot, made faster)
                        slots = [Slot(sl.page, sl.x, sl.measure, sl.first + shift, sl.count - shift, sl.module)
                                 if i in moved else sl for i, sl in enumerate(part.slots)]
                        floor = max([sl.first - 1 for i, sl in enumerate(slots) if i in moved], default=floor)
                    # Nothing may end above a photo's reserve (picture, caption, its line of air but
                    # the last): a slot that starts under a photo starts on the line after that reserve.
                    floor = max([floor] + [sl.first - 2 for sl in slots])
                    visit = memo[vkey] = (floor, measured.trial(memo, first_slots, slots, jump, blocks))
                floor, trial = visit
                lever = photo_cost + HEAD_STEP * steps
                found, walked = _walk(trial, n, floor, tall, jump, relaxed, guess)
                made = None
                for h, base, m in walked:
                    cost = base + lever
                    old = group.get(h)
                    if old is None or cost < old[0]:
                        # the option made once its module's cheapest is known (below): most
                        # trials are beaten by a later one of the same module
                        if made is None:
                            made = (head_size, start, depths, lever, relaxed, signed, jump)
                        group[h] = (cost, m, made)
                guess = found
    options = [_option(n, h, m, *made) for (n, _size), group in best.items() for h, (_c, m, made) in group.items()]
    return sorted(options, key=lambda o: (o.cols, o.lines, -o.head_size))


def _part(ctx: Context, story: Story, at: At, lead: bool, continued: tuple[str, At, bool] | None,
          depth: int | None, memo: dict) -> Part | None:
    """The story's first part (or continuation) laid out in the trial module `at`, with its first
    photo `depth` lines deep; None when it cannot be set there. Kept in `memo` between passes: the
    headline fitting is the costly part."""
    key = ("part", at.cols, at.lines, story.headline_size, depth, story.head_lines)
    if key in memo:
        return memo[key]
    base = story if depth is None else _with_depth(story, depth)
    probe = _scratch(ctx)
    if continued is None:
        part = layout_part(probe, base, "?", at, lead=lead, continued_from=None, jump_to=None, module_index=0, trial=True)
    else:
        part = layout_part(probe, base, "?", at, lead=False, continued_from=continued[0], jump_to=None,
                           module_index=1, trial=True)
    if any(d.code in ("HEADLINE-TOO-LONG", "PHOTO-TOO-WIDE", "PHOTO-DOES-NOT-FIT") for d in probe.diagnostics):
        part = None
    memo[key] = part
    return part


def fitted_head(ctx: Context, story: Story, at: At, *, lead: bool) -> float:
    """pt of the headline a story gets in the module `at` (what a pinned lead offers the search)."""
    part = layout_part(_scratch(ctx), story, "?", at, lead=lead, continued_from=None, jump_to=None, module_index=0, trial=True)
    return headline_pt(part)


def headline_pt(part: Part) -> float:
    """pt of the part's headline (0: none): a piece of its head block, or, for a vertical
    headline (issue 16: a vertical story's, or a horizontal story's `headline: {direction:
    vertical}`), the runs standing in columns among the part's items, its head block empty.
    Read from the head block alone, a vertical headline was 0 pt: as the lead's, it held every
    other headline of the page under 0 pt (none of their options left, their whole text reported
    overset though printed); elsewhere it was held under nothing."""
    size = max((p.size for p in part.head.pieces if p.kind == "headline"), default=0.0)
    if size:
        return size
    return max((r.size for r in part.items if getattr(r, "source", None) is not None
                and r.source.kind == "headline" and hasattr(r, "glyphs")), default=0.0)


def _with_depth(story: Story, lines: int) -> Story:
    first = dataclasses.replace(story.photos[0], lines=lines)
    return dataclasses.replace(story, photos=(first,) + story.photos[1:])


def _depths(trial: measured.Trial, n: int, head: int, tall: int, *, jump: bool, relaxed: int,
            guess: int | None = None) -> list[tuple[int, Measured]]:
    """(depth, measurement) for the depths worth offering: from the first depth at which the body
    fits to where the module would hold more than one empty line per column; wider around it when
    relaxed (1: deeper only, empty lines; 2: shallower too, overset). `head` is the last line the
    body may not end above (headline block, photo). `trial` measures the module at each depth
    (a list rather than a generator, and the trial's table read here first: this runs for each
    of some 30 000 trials a page)."""
    got = trial.by_depth.get
    at = trial.at
    out: list[tuple[int, Measured]] = []
    if guess is None:
        guess = max(head + 1, head + trial.counted.depth_lines // n - 2)
    fit = None
    h = max(guess, head + 1)  # a guess carried over from another photo depth may lie above this floor
    # Stepping down first: a photo or the flow's widow rule can make the guess too deep.
    while h > head + 1:
        m = got(h - 1) or at(h - 1)
        if m.result.overset_lines:
            break
        h -= 1
    while h <= tall:
        m = got(h) or at(h)
        if not m.result.overset_lines:
            fit = h
            break
        h += 1
    # A module cut shallower than the text needs holds BODY_LINES of it under the head block at
    # least (as the fallback's do): pass 2 offered modules of one body line under a headline.
    least = head + BODY_LINES
    if jump:
        # What does not fit continues on the jump page: every depth up to the fit is a full first
        # part (how much it keeps is the search's trade against the page's other stories).
        for d in range(min(least, fit if fit is not None else tall), (fit if fit is not None else tall) + 1):
            out.append((d, got(d) or at(d)))
        if fit is None:
            return out
        for d in range(fit + 1, min(tall, fit + (RELAX_LINES if relaxed else n + 1)) + 1):
            m = got(d) or at(d)
            if not relaxed and m.result.underset_lines > n:
                break
            out.append((d, m))
        return out
    if fit is None:
        if relaxed:
            lo = max(least, tall - RELAX_LINES)
            # Pass 2: shallower ones too, coarsely, as for a story that fits somewhere: a text
            # longer than the page (a continuation's rest) must still share the page with the
            # stories listed before it (e9-tabloid's A03 offered a jumped rest only 60-72 of 72
            # lines, and the page's own story was squeezed to 12 lines, 709 characters over).
            depths = (list(range(least, lo, RELAX_STEP)) if relaxed > 1 else []) + list(range(lo, tall + 1))
            for d in depths:
                out.append((d, got(d) or at(d)))
        return out
    lo = max(min(least, fit), fit - RELAX_LINES) if relaxed > 1 else fit
    hi = min(tall, fit + (RELAX_LINES if relaxed else n + 1))
    depths = list(range(lo, hi + 1))
    if relaxed > 1:
        # Much shallower modules too, more coarsely: a crowded page must still find a layout
        # (and name what is over).
        depths = list(range(least, lo, RELAX_STEP)) + depths
    for d in depths:
        m = got(d) or at(d)
        if not relaxed and m.result.underset_lines > n:
            break
        out.append((d, m))
    return out


def photo_options(ctx: Context, photo: Photo, *, relaxed: int = 0) -> list[Option]:
    """A free photo: its width as asked or a column narrower (the picture keeping its shape),
    at depths within range (deeper only while the crop keeps the target ppi); the module is the
    picture with its caption."""
    g = ctx.grid
    out: list[Option] = []
    for cols in (photo.cols - 1, photo.cols):  # never wider: that would lose resolution
        if not 1 <= cols <= g.columns:
            continue
        base = photo.lines * g.span_width(cols) / g.span_width(photo.cols)
        width_cost = PHOTO_COLUMN * abs(cols - photo.cols)
        hi = deepest_photo(ctx, photo, g.span_width(cols), math.ceil(base))
        for d in range(max(4, math.floor(base * (1 - PHOTO_RANGE))), hi + 1):
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


def option_at(ctx: Context, story: Story, cols: int, lines: int, *, lead: bool = False, jump_to: str | None = None,
              continued: tuple[str, At, bool] | None = None, memo: dict | None = None,
              max_head: float | None = None, notch: tuple[str, int, int] | None = None, pad: bool = False) -> Option:
    """The story set in a module of exactly cols × lines (the fallback layout's): of its headline
    sizes and first-photo depths, the one that costs least there. Far too little text grows the
    photo (as deep as the target resolution allows) and the headline (up to HEAD_STEPS sizes)
    before it leaves white space at the foot; far too much shrinks them before text is cut. What is
    left is the option's underset or overset (or, for a jumping story, what continues).

    `notch` (side, cols, lines): the module is L-shaped (issue 13), that corner cut out of it; its
    columns over the notch end above it, and neither the headline block nor a photo may reach
    into it.

    `pad` (with `max_head`: a headline held under an earlier story's, plan.measure_held): also the
    headline at `max_head` in the head block as deep as one of its larger sizes' would be, centred
    in it (Story.head_lines), at HELD_PAD more; so the body has the room it was measured with at
    the larger size, and the module's columns end level where a bare smaller block left them
    short (sample A04's waste-sorting: 33 lines of 8 columns white at 18 pt in the 8 x 15 measured
    at 48 pt)."""
    g = ctx.grid
    scratch = _scratch(ctx)
    memo = {} if memo is None else memo
    blocks = measured.blocks(memo, lambda: body_blocks(scratch, story, float(g.column_chars)), float(g.column_chars))
    first_slots: list[Slot] = []
    if continued is not None:
        first_slots = layout_part(scratch, story, continued[0], continued[1], lead=continued[2], continued_from=None,
                                  jump_to="X", module_index=0, trial=True).slots
    tall = max(lines, g.lines)
    at = At(1, 1, cols, tall)
    cut: tuple[frozenset, int] | None = None
    if notch is not None:
        side, n_cols, n_lines = notch
        over = range(n_cols) if side == "left" else range(cols - n_cols, cols)
        cut = (frozenset(g.col_x(1 + c) for c in over), lines - n_lines)
    depths: list[int | None] = [None]
    if story.photos and continued is None:
        p = story.photos[0]
        lo = max(4, math.floor(p.lines * (1 - PHOTO_RANGE)))
        hi = deepest_photo(ctx, p, g.span_width(min(p.cols, cols)), p.lines)
        depths = sorted({lo, p.lines, hi, (lo + p.lines) // 2, (p.lines + hi) // 2})
    starts: list[tuple[float | None, int]] = [(None, 0)]
    if continued is None and story.headline_size is None:
        starts = head_starts(ctx, min(story.headline_cols or cols, cols), lead)
    nominal = ctx.template.headline.size_for(min(story.headline_cols or cols, cols)) * (
        ctx.template.headline.lead_factor if lead else 1.0)
    if max_head is not None and continued is None:
        starts.append((max_head, 1))  # the lead's own size, for a module wider than the lead's
    best: Option | None = None
    tries: list[tuple[float | None, int, int | None]] = [(start, steps, None) for start, steps in starts]
    if pad and max_head is not None and continued is None and story.headline_size is None:
        for start, steps in starts:
            if start is None or start > max_head + 1e-6:
                tries.append((start, steps, 0))  # 0: the depth of this start's block, read below
    for start, steps, keep in tries:
        sized = story if start is None else dataclasses.replace(story, headline_size=start)
        for depth in depths:
            if keep is not None:
                wide = _part(ctx, sized, at, lead, continued, depth, memo)
                if wide is None:
                    continue
                sized_held = dataclasses.replace(story, headline_size=max_head, head_lines=wide.head.lines)
                part = _part(ctx, sized_held, at, lead, continued, depth, memo)
                if part is not None and part.head.lines != wide.head.lines:
                    continue  # (the held block is the deeper one: nothing to keep)
            else:
                part = _part(ctx, sized, at, lead, continued, depth, memo)
            if part is None:
                continue
            floor = max([part.head.lines] + [sl.first - 2 for sl in part.slots])
            if floor >= lines:
                continue  # the headline block or the photo would stand out of the module
            if cut is not None and max([part.head.lines] + [sl.first - 2 for sl in part.slots if sl.x in cut[0]]) \
                    >= cut[1]:
                continue  # ... or into its notch
            m = _measure_at(first_slots, part.slots, lines, jump_to is not None, blocks, memo, cut)
            head_size = headline_pt(part)
            if max_head is not None and head_size > max_head + 1e-6:
                continue  # no larger than the lead's
            fitted = start if keep is None else max_head
            signed = 0 if fitted is None else (steps if fitted > nominal else -steps)
            photos: tuple[int, ...] = ()
            cost = HEAD_STEP * steps if keep is None else HELD
            if depth is not None:
                photos = (depth,) + tuple(p.lines for p in story.photos[1:])
                cost += PHOTO_LINE * abs(depth - story.photos[0].lines)
            opt = _option(cols, lines, m, head_size, fitted, photos, cost, 2, signed, jump_to is not None)
            if opt is not None and keep is not None:
                opt = dataclasses.replace(opt, head_lines=part.head.lines)
            if opt is not None and (best is None or opt.cost < best.cost):
                best = opt
    if best is None:
        # Not even the headline fits: the module is what it is, and all the text is over.
        res = flow(blocks, [])
        if jump_to is not None:
            # A jumping story's text is not lost here: all of it continues on its jump page (and is
            # measured there). Priced as overset all the same, so the fallback gives the squeezed
            # lead room before anything else; the head block's loss is pagination's to report.
            best = Option(cols, lines, OVERSET + OVERSET_CHAR * res.overset_chars, head_size=max_head or 0.0,
                          head_start=max_head, continues=res.overset_chars, valid=False)
        else:
            best = Option(cols, lines, OVERSET + OVERSET_CHAR * res.overset_chars, head_size=max_head or 0.0,
                          head_start=max_head, overset_chars=res.overset_chars, overset_lines=res.overset_lines,
                          valid=False)
    return best if notch is None else dataclasses.replace(best, notch=notch)


def needs(ctx: Context, story: Story, cols: int) -> int:
    """Column-lines the story's text, headline block and photos take at `cols` columns (a guess for
    sharing out the fallback's rectangles)."""
    g = ctx.grid
    blocks = body_blocks(_scratch(ctx), story, float(g.column_chars))
    body = sum(len(b.lines) + b.lead for b in blocks)
    photos = sum(p.cols * (p.lines + 3) for p in story.photos)
    if story.headline_direction == "vertical" and g.columns > 2:
        # issue 16: a vertical head (with its kicker, decks and byline) is no block over the text
        # but a strip of whole columns down the module's right, as deep as the text beside it. Of
        # a module of n columns (at least 3: a vertical head beside one column of text reads as a
        # brief's) the text has n - strip.
        n = min(g.columns, max(cols, 3))
        strip = layout_part(_scratch(ctx), story, "?", At(1, 1, n, g.lines), lead=False, continued_from=None,
                            jump_to=None, module_index=0, trial=True).strip_cols
        if 0 < strip < n:
            return -(-body * n // (n - strip)) + photos
    return body + photos + cols * (6 + len(story.decks) * 2)


def balanced_feet(ctx: Context, story: Story, option: Option, *, lead: bool = False,
                  continued: tuple[str, At, bool] | None = None) -> tuple[int, ...]:
    """Empty lines at each column's foot as pagination leaves them: a story that is short has its
    columns balanced (layout.paginate.story.balance, R42), the white space under all of them."""
    from layout.paginate.story import balance

    g = ctx.grid
    scratch = _scratch(ctx)
    sized = story if option.head_start is None else dataclasses.replace(story, headline_size=option.head_start)
    if option.head_lines:
        sized = dataclasses.replace(sized, head_lines=option.head_lines)  # a held headline's block
    if option.photo_lines and story.photos and continued is None:
        sized = _with_depth(sized, option.photo_lines[0])
    first_slots: list[Slot] = []
    if continued is not None:
        first_slots = layout_part(scratch, story, continued[0], continued[1], lead=continued[2], continued_from=None,
                                  jump_to="X", module_index=0, trial=True).slots
        part = layout_part(scratch, sized, "?", _module_at(option), lead=False,
                           continued_from=continued[0], jump_to=None, module_index=1, trial=True)
    else:
        part = layout_part(scratch, sized, "?", _module_at(option), lead=lead, continued_from=None,
                           jump_to=None, module_index=0, trial=True)
    blocks = body_blocks(scratch, story, float(g.column_chars))
    slots = first_slots + part.slots
    res = flow(blocks, slots)
    if res.overset_lines == 0 and continued is None:
        res = balance(blocks, slots, res)
    if res.overset_lines:
        return ()
    # balance() keeps the runs and reports the module's empty lines as a whole: count per column
    return column_feet(slots, res)


def _module_at(option: Option) -> At:
    """A trial module of the option's size (and notch) at the grid's top left."""
    notch = Notch(*option.notch) if option.notch else None
    return At(1, 1, option.cols, option.lines, notch=notch)


def part_feet(layout, index: int = -1) -> tuple[int, ...]:
    """Empty lines at each column's foot of one part of a paginated story (layout.paginate.story
    StoryLayout; the last part by default): what R42 is checked on after pagination. Empty when
    the story is overset (its columns are full)."""
    res = layout.result
    if res is None or res.overset_lines:
        return ()
    part = layout.parts[index]
    return column_feet(part.slots, res)
