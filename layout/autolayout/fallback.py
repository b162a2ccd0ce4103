"""The layout of last resort: when no guillotine layout of the offered modules tiles the page (a
single short story, a page of far too little or far too much text, booked ads that leave shapes
no story option fills), every item is still placed.

Fixed items go first: pinned items where they are pinned, then the foot items (ads, teasers) on
the foot of the page, right to left, each on the foot or on another foot item, then free photos
just above them. The free grid cells left form rectangles (neighbouring columns with the same free
lines are one rectangle). Stories take them in the order they are listed: the list is cut into
consecutive runs, one for each rectangle in reading order (top line first, then left to right; a
run may be empty), the lead's rectangle on the top line, the cuts those whose text best fills the
rectangles (see _assign). A rectangle's stories stack in their order (or stand side by side when
it is wider than tall); the sizes within a rectangle follow each story's own need. Each story is
then measured in its module (see estimate.option_at), where the levers take up what they can and
the rest is reported.

Only fixed items can make a page impossible: `Unplaceable` names them."""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMN_PT = 140.0  # about one column and its gutter; lines are 13.5 pt: a rectangle wider than tall
LINE_PT = 13.5  #   in print is shared side by side, a taller one stacked


@dataclass(frozen=True)
class Item:
    index: int  # piece index
    sizes: tuple[tuple[int, int], ...]  # fixed items: (cols, lines) candidates, preferred first
    story: bool = False
    foot: bool = False  # an ad or the teasers: stands on the foot of the page
    min_cols: int = 1
    min_lines: int = 3
    need: int = 1  # column-lines the story would like (its best fit)


@dataclass
class Unplaceable(Exception):
    """Fixed items the page has no room for."""

    items: list[tuple[int, int, int]]  # (piece index, cols, lines)
    free: int  # column-lines left for them
    reasons: list[str] = field(default_factory=list)


def layout(cols: int, top: int, bottom: int, pinned: list[tuple[int, tuple[int, int, int, int]]],
           items: list[Item], flip: bool = False
           ) -> tuple[list[tuple[int, int, int, int, int]], list[tuple[int, int, int, int]]]:
    """(placements (piece, col, line, cols, lines), gaps (col, line, cols, lines) left empty).
    `items` in the page's order; raises Unplaceable when a fixed item finds no room. `flip`: shared
    rectangles cut the other way (stacked instead of side by side, and back): an alternative."""
    height = bottom - top + 1
    occ = [[False] * cols for _ in range(height)]

    def free(c: int, r: int, w: int, h: int) -> bool:
        if c < 0 or r < 0 or c + w > cols or r + h > height:
            return False
        return not any(occ[y][x] for y in range(r, r + h) for x in range(c, c + w))

    def take(c: int, r: int, w: int, h: int) -> None:
        for y in range(r, r + h):
            for x in range(c, c + w):
                occ[y][x] = True

    out: list[tuple[int, int, int, int, int]] = []
    for _index, (c, line, w, h) in pinned:
        take(c - 1, line - top, w, h)
    fixed = [it for it in items if not it.story]
    # Foot items first (the largest first, so the smaller fit round them), then free photos.
    fixed.sort(key=lambda it: (not it.foot, -it.sizes[0][0] * it.sizes[0][1]))
    missing: list[tuple[int, int, int]] = []
    for it in fixed:
        spot = None
        for w, h in it.sizes:
            spot = _lowest(free, cols, height, w, h, right_first=it.foot)
            if spot is not None:
                c, r = spot
                take(c, r, w, h)
                out.append((it.index, c + 1, r + top, w, h))
                break
        if spot is None:
            missing.append((it.index, *it.sizes[-1]))
    if missing:
        left = sum(1 for row in occ for cell in row if not cell)
        raise Unplaceable(missing, left)
    rects = _rectangles(occ, cols, height)
    stories = [it for it in items if it.story]
    if not stories:
        return out, [(c + 1, r + top, w, h) for c, r, w, h in rects]
    if not rects:
        raise Unplaceable([], 0, ["no room is left for any story"])
    # Reading order, top line first: a rectangle under another (in the same columns) always comes
    # after it, so stories handed out in this order keep importance.
    rects.sort(key=lambda q: (q[1], q[0]))
    share = _assign(rects, stories)
    gaps = [q for q, group in zip(rects, share, strict=True) if not group]
    for (c, r, w, h), group in zip(rects, share, strict=True):
        if not group:
            continue
        out += [(it.index, cc + 1, rr + top, ww, hh) for it, (cc, rr, ww, hh) in _split(c, r, w, h, group, flip)]
    return out, [(c + 1, r + top, w, h) for c, r, w, h in gaps]


OVER = 2.0  # a column-line of text over its rectangle costs twice one left white in it (a lead's
#              text twice that again, see _run_cost) ...
GAP = 2 * OVER  # ... and one of a rectangle left to no story (AUTOLAYOUT-GAP) as much as the
#                 lead's: on a crowded page a hole is text lost elsewhere


def _assign(rects: list[tuple[int, int, int, int]], stories: list[Item]) -> list[list[Item]]:
    """The stories (in their order) cut into consecutive runs, one run per rectangle (in reading
    order; a run may be empty, the rectangle then left white): the runs whose text best matches the
    rectangles' areas. Runs in reading order keep importance whatever the rectangles' shapes: a
    rectangle under another only takes stories listed after the other's, and within a rectangle
    they stack in their order. The lead's rectangle is on the top line of the free area."""
    n, k = len(rects), len(stories)
    top = rects[0][1]
    ranked = list(enumerate(stories))
    inf = float("inf")
    # best[i][j]: the least cost of giving the first j stories to the first i rectangles
    best = [[inf] * (k + 1) for _ in range(n + 1)]
    cut = [[0] * (k + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i, rect in enumerate(rects):
        for j in range(k + 1):
            if best[i][j] == inf:
                continue
            for e in range(j, k + 1):
                if j == 0 and e > 0 and rect[1] != top:
                    continue  # the lead stands on the top line
                cost = best[i][j] + _run_cost(rect, ranked[j:e], k)
                if cost < best[i + 1][e]:
                    best[i + 1][e] = cost
                    cut[i + 1][e] = j
    share: list[list[Item]] = [[] for _ in rects]
    e = k
    for i in range(n, 0, -1):
        j = cut[i][e]
        share[i - 1] = stories[j:e]
        e = j
    return share


def _run_cost(rect: tuple[int, int, int, int], run: list[tuple[int, Item]], count: int) -> float:
    """How badly the stories of `run` ((place in the page's order, story)) fill `rect`: white left
    in it, or text over it (each story gets its share of the rectangle in proportion to its need,
    as _split gives it; an earlier story's text over costs more, up to twice a last one's), a photo
    wider than the rectangle, stories that cannot all get their least module in it."""
    _c, _r, w, h = rect
    area = w * h
    if not run:
        return GAP * area
    need = sum(it.need for _, it in run)
    side = sum(it.min_cols for _, it in run) <= w and max(it.min_lines for _, it in run) <= h
    stacked = sum(it.min_lines for _, it in run) <= h and max(it.min_cols for _, it in run) <= w
    if not (side or stacked):
        # squeezed under their least modules, the stories print next to nothing: all of their text
        # lost, at a lead's price (a story cut to a sliver is worse than several cut in part)
        return GAP * area + sum(2 * OVER * it.need for _, it in run)
    over = max(0.0, 1.0 - area / need) if need else 0.0
    cost = max(0, area - need) + sum(OVER * (2.0 - k / count) * it.need * over for k, it in run)
    cost += sum(area for _, it in run if it.min_cols > w)
    return cost


def _lowest(free, cols: int, height: int, w: int, h: int, *, right_first: bool) -> tuple[int, int] | None:
    """The lowest free spot for a w × h module (on the foot or on what is placed under it)."""
    columns = range(cols - w, -1, -1) if right_first else range(0, cols - w + 1)
    for r in range(height - h, -1, -1):
        for c in columns:
            if free(c, r, w, h) and (r + h == height or not free(c, r + h, w, 1)):
                return c, r
    return None


def _rectangles(occ: list[list[bool]], cols: int, height: int) -> list[tuple[int, int, int, int]]:
    """The free cells as rectangles (col, row, cols, rows), 0-based: each column's free runs, and
    neighbouring columns with the same runs merged."""
    runs = []
    for x in range(cols):
        col_runs = []
        y = 0
        while y < height:
            if occ[y][x]:
                y += 1
                continue
            start = y
            while y < height and not occ[y][x]:
                y += 1
            col_runs.append((start, y - start))
        runs.append(tuple(col_runs))
    out = []
    x = 0
    while x < cols:
        end = x + 1
        while end < cols and runs[end] == runs[x]:
            end += 1
        out += [(x, start, end - x, n) for start, n in runs[x]]
        x = end
    return out


def _split(c: int, r: int, w: int, h: int, group: list[Item], flip: bool = False
           ) -> list[tuple[Item, tuple[int, int, int, int]]]:
    """The rectangle shared by `group` (in their order): side by side when it is wider than tall in
    print and wide enough, else stacked; each story's part in proportion to its need."""
    if len(group) == 1:
        return [(group[0], (c, r, w, h))]
    side = w * COLUMN_PT >= h * LINE_PT and sum(it.min_cols for it in group) <= w
    if flip and (side or sum(it.min_lines for it in group) <= h):
        side = not side
    if not side and h < sum(it.min_lines for it in group) and sum(it.min_cols for it in group) <= w:
        side = True
    total, mins = (w, [it.min_cols for it in group]) if side else (h, [it.min_lines for it in group])
    sizes = _shares(total, mins, [it.need for it in group])
    out = []
    at = 0
    for it, n in zip(group, sizes, strict=True):
        out.append((it, (c + at, r, n, h) if side else (c, r + at, w, n)))
        at += n
    return out


def _shares(total: int, mins: list[int], needs: list[int]) -> list[int]:
    """`total` cut into len(needs) whole parts in proportion to `needs`, each at least its minimum
    where the total allows (else as even as it can), summing to `total`."""
    k = len(needs)
    if sum(mins) > total:
        mins = [max(1, total // k)] * k
        mins[-1] = total - sum(mins[:-1])
        if min(mins) < 1:
            mins = [1] * k
    weight = sum(needs) or k
    sizes = [max(m, int(total * n / weight)) for m, n in zip(mins, needs, strict=True)]
    # settle the rounding on the largest parts (the last part takes what is left over)
    while sum(sizes) > total:
        i = max(range(k), key=lambda j: sizes[j] - mins[j])
        if sizes[i] <= mins[i] and sizes[i] <= 1:
            break
        sizes[i] -= 1
    sizes[-1] += total - sum(sizes)
    return sizes
