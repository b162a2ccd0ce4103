"""The layout of last resort: when no guillotine layout of the offered modules tiles the page (a
single short story, a page of far too little or far too much text, booked ads that leave shapes
no story option fills), every item is still placed.

Fixed items go first: pinned items where they are pinned, then the foot items (ads, teasers) on
the foot of the page, right to left, each on the foot or on another foot item, then free photos
just above them. The free grid cells left are cut into rectangles, two ways (runs of free lines
merged across neighbouring columns, or runs of free columns merged across neighbouring lines;
the stories take whichever they fill better). Stories take them in the order they are listed:
the list is cut into consecutive runs, one for each rectangle in reading order (top line first,
then left to right; a run may be empty), the lead's rectangle on the top line (see _assign), and
each rectangle is cut among its run like a guillotine (see _Packer), so that no story stands over
one listed before it. Each story is then measured in its module (see estimate.option_at), where
the levers take up what they can and the rest is reported.

The stories' needs and least modules are measured at each width (Item.heads, Item.needs: the
head block as set there), so that no story gets a module its head block overruns and a page of
far too little text stacks each story as deep as its text. On an overfull page the overset goes
to the last-listed stories: a column-line over costs ORDER times that of the story listed after
it, and a crowded rectangle is also cut where its first part is whole (issue 13).

A rectangle left to no story (beside an ad under a story, or beside a story as deep as the ads
under its neighbour) is not left white when a story's module borders it so that the two make a
rectangle with one bottom corner cut out: that story takes it, in an L-shaped module (issue 13:
a `notch`, see layout_shaped). A hole beside an ad is text lost elsewhere. For the same reason
free photos and tables are also tried a few lines above their lowest place (LIFTS).

Only fixed items can make a page impossible: `Unplaceable` names them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    index: int  # piece index
    sizes: tuple[tuple[int, int], ...]  # fixed items: (cols, lines) candidates, preferred first
    story: bool = False
    foot: bool = False  # an ad or the teasers: stands on the foot of the page
    min_cols: int = 1
    min_lines: int = 3
    need: int = 1  # column-lines the story would like (its best fit)
    notch: bool = True  # a story whose module may be L-shaped (not a vertical one or head, nor one with tables)
    # Measured at each width (index: columns - 1), where the caller measured them: the lines its
    # head block (kicker, headline, decks, byline, and the first photo) takes, and the column-lines
    # its body, photos and head block take together. Without them: min_lines and need at any width.
    heads: tuple[int, ...] = ()
    needs: tuple[int, ...] = ()
    cut_first: bool = False  # its text over its module continues on another page (`jump: auto`): cut it first

    def least(self, w: int) -> int:
        """The shallowest module of w columns the story may have: its head block and BODY_LINES
        lines of text (issue 13: never a module its head block overruns)."""
        if not self.heads:
            return self.min_lines
        return max(self.min_lines, self.heads[min(w, len(self.heads)) - 1] + BODY_LINES)

    def need_at(self, w: int) -> int:
        """Column-lines the story takes whole in w columns."""
        if not self.needs:
            return self.need
        return self.needs[min(w, len(self.needs)) - 1]


BODY_LINES = 3  # lines of text under its head block a story's module holds at least


@dataclass
class Unplaceable(Exception):
    """Fixed items the page has no room for."""

    items: list[tuple[int, int, int]]  # (piece index, cols, lines)
    free: int  # column-lines left for them
    reasons: list[str] = field(default_factory=list)


Notch = tuple[str, int, int]  # (side: left | right, cols, lines) cut out of a module's bottom corner


def layout_shaped(cols: int, top: int, bottom: int, pinned: list[tuple[int, tuple[int, int, int, int]]],
                  items: list[Item], flip: bool = False
                  ) -> tuple[list[tuple[int, int, int, int, int]], list[tuple[int, int, int, int]], dict[int, Notch]]:
    """layout(...), and the rectangles it leaves white given to a story beside them where the two
    make an L (see _merge): (placements, gaps, notches by piece index). The bounding rectangle of
    an L-shaped module is its placement; its notch is what of it the story does not take.

    A free photo or a table (a fixed item that is not on the foot) is also tried LIFTS lines above
    its lowest place, the band freed under it a story's or part of one's L (the rectangle over the
    ads widened over their columns, say, when the story under the photo or table was short of room
    and the one over it had room to spare); the layout whose modules best match their stories'
    text wins (see _Packer.leaf; the unlifted one on a tie). Not lifted where, unlifted, no story is
    short of room and no rectangle is left white."""
    best = None
    lifts = LIFTS if any(not it.story and not it.foot for it in items) else (0,)
    packer = _Packer([it for it in items if it.story], cols)
    for lift in lifts:
        try:
            places, gaps = layout(cols, top, bottom, pinned, items, flip, lift=lift)
        except Unplaceable:
            if lift == 0:
                raise
            continue
        shaped = _shape(places, gaps, items)
        cost = _shaped_cost(shaped, items, packer)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, shaped)
        if lift == 0 and not gaps and not _short(shaped, items):
            # Every story has room where the photo or table stands lowest: lifting it frees room
            # no story is short of (on a page of little text it only moved the white space into
            # the lead's module, a page of 8 columns over the photo)
            break
    return best[1]


def _short(shaped, items: list[Item]) -> bool:
    """Whether a story of the shaped layout has less room than its text needs (its need at its
    module's width)."""
    places, _gaps, notches = shaped
    stories = {it.index: it for it in items if it.story}
    for k, _c, _l, w, h in places:
        it = stories.get(k)
        if it is not None:
            cut = notches.get(k)
            if it.need_at(w) > w * h - (cut[1] * cut[2] if cut else 0):
                return True
    return False


LIFTS = (0, 4, 8, 12, 16, 24)  # lines a free photo or a table is tried above its lowest place


def _shaped_cost(shaped, items: list[Item], packer: _Packer) -> float:
    """What a shaped layout costs: each story's module as _Packer.leaf prices it (an L-shaped one
    by the column-lines it has), and GAP a column-line of each rectangle left white."""
    places, gaps, notches = shaped
    rank = {it.index: n for n, it in enumerate(it for it in items if it.story)}
    cost = GAP * sum(w * h for _c, _l, w, h in gaps)
    for k, _c, _l, w, h in places:
        if k in rank:
            cut = notches.get(k)
            cost += packer.leaf(w, h, rank[k], w * h - (cut[1] * cut[2] if cut else 0))
    return cost


def _shape(places, gaps, items: list[Item]):
    """The gaps given to the stories beside them where the two make an L (see layout_shaped)."""
    places, gaps = list(places), list(gaps)
    stories = {it.index: it for it in items if it.story}
    notches: dict[int, Notch] = {}
    # the largest hole first; each module takes one hole at most (it has one corner to cut)
    for gap in sorted(gaps, key=lambda q: (-q[2] * q[3], q[1], q[0])):
        best = _taker(places, gap, stories, notches)
        if best is None:
            continue
        n, ((mc, ml, mw, mh), cut) = best
        k = places[n][0]
        places[n] = (k, mc, ml, mw, mh)
        if cut is not None:
            notches[k] = cut
        gaps.remove(gap)
    return places, gaps, notches


def _taker(places, gap: tuple[int, int, int, int], stories: dict[int, Item], taken=()):
    """(index in `places`, its merged shape: _merge) of the story that takes the gap, or None: of
    those whose module and the gap make a rectangle or an L (and that have no notch yet, not in
    `taken`, and keep their least module), the one that needs the room most (its text over its
    module), else the earliest."""
    best = None
    for n, (k, c, line, w, h) in enumerate(places):
        it = stories.get(k)
        if it is None or k in taken or not it.notch:
            continue
        shape = _merge((c, line, w, h), gap)
        if shape is None:
            continue
        (_mc, _ml, mw, mh), cut = shape
        if mw < it.min_cols or mh - (cut[2] if cut else 0) < it.least(mw):
            continue
        short = it.need_at(w) - w * h
        if best is None or short > best[0]:
            best = (short, n, shape)
    return None if best is None else best[1:]


def _merge(module: tuple[int, int, int, int], gap: tuple[int, int, int, int]
           ) -> tuple[tuple[int, int, int, int], Notch | None] | None:
    """The module and the gap (col, line, cols, lines) together as one module — a rectangle, or
    one with a bottom corner cut out (the notch) — or None when they do not make one: the gap
    under the module, flush with one of its sides; or beside it on the same top line."""
    c, r, w, h = module
    gc, gr, gw, gh = gap
    if gr == r + h and gc >= c and gc + gw <= c + w and (gc == c or gc + gw == c + w):
        if gw == w:
            return (c, r, w, h + gh), None
        return (c, r, w, h + gh), ("right" if gc == c else "left", w - gw, gh)
    if gr == r and (gc == c + w or gc + gw == c):
        left = min(c, gc)
        if gh == h:
            return (left, r, w + gw, h), None
        if gh > h:  # the module the shallower: the notch under it
            return (left, r, w + gw, gh), ("left" if c < gc else "right", w, gh - h)
        return (left, r, w + gw, h), ("left" if gc < c else "right", gw, h - gh)
    return None


def layout(cols: int, top: int, bottom: int, pinned: list[tuple[int, tuple[int, int, int, int]]],
           items: list[Item], flip: bool = False, *, lift: int = 0
           ) -> tuple[list[tuple[int, int, int, int, int]], list[tuple[int, int, int, int]]]:
    """(placements (piece, col, line, cols, lines), gaps (col, line, cols, lines) left empty).
    `items` in the page's order; raises Unplaceable when a fixed item finds no room. `flip`: shared
    rectangles cut the other way (stacked instead of side by side, and back): an alternative.
    `lift`: free photos and tables stand that many lines above their lowest place, where that is
    free."""
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
                if lift and not it.foot and free(c, r - lift, w, h):
                    r -= lift
                take(c, r, w, h)
                out.append((it.index, c + 1, r + top, w, h))
                break
        if spot is None:
            missing.append((it.index, *it.sizes[-1]))
    if missing:
        left = sum(1 for row in occ for cell in row if not cell)
        raise Unplaceable(missing, left)
    stories = [it for it in items if it.story]
    # The free cells cut into rectangles two ways: columns of the same free lines side by side, or
    # bands of lines with the same free columns one over the other (a staircase of ads at the foot
    # leaves a band across the page above them); the stories take whichever they fill better.
    down = _rectangles(occ, cols, height)
    across = [(c, r, w, h) for r, c, h, w in _rectangles([list(col) for col in zip(*occ, strict=True)], height, cols)]
    if not stories:
        return out, [(c + 1, r + top, w, h) for c, r, w, h in down]
    if not down:
        raise Unplaceable([], 0, ["no room is left for any story"])
    pack = _Packer(stories, cols)
    best = None
    for rects in (down, across):
        # Reading order, top line first: a rectangle under another (in the same columns) always
        # comes after it, so stories handed out in this order keep importance.
        rects = sorted(rects, key=lambda q: (q[1], q[0]))
        runs, cost = _assign(rects, len(stories), pack)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, rects, runs)
    if best[0] == float("inf"):
        raise Unplaceable([], sum(q[2] * q[3] for q in down), [f"{len(stories)} stories (fewer free grid cells than that)"])
    _, rects, runs = best
    gaps = [q for q, (i, j) in zip(rects, runs, strict=True) if i == j]
    for (c, r, w, h), (i, j) in zip(rects, runs, strict=True):
        if i < j:
            out += [(stories[k].index, c + dc + 1, r + dr + top, ww, hh)
                    for k, (dc, dr, ww, hh) in pack.modules(w, h, i, j, flip)]
    return out, [(c + 1, r + top, w, h) for c, r, w, h in gaps]


OVER = 2.0  # a column-line of text over its rectangle costs twice one left white in it (a lead's
#              text twice that again, see _run_cost) ...
GAP = 2 * OVER  # ... and one of a rectangle left to no story (AUTOLAYOUT-GAP) as much as the
#                 lead's: on a crowded page a hole is text lost elsewhere


def _assign(rects: list[tuple[int, int, int, int]], count: int, pack: _Packer
            ) -> tuple[list[tuple[int, int]], float]:
    """The stories (in their order) cut into consecutive runs, one run (first, end) per rectangle
    in reading order (a run may be empty, the rectangle then left white): the runs that fill the
    rectangles best (see _Packer). Runs in reading order keep importance whatever the rectangles'
    shapes: a rectangle under another only takes stories listed after the other's, and within a
    rectangle no story stands over one listed before it. The lead's rectangle is on the top line
    of the free area. Returns the runs and what they cost."""
    n = len(rects)
    top = rects[0][1]
    inf = float("inf")
    # best[i][j]: the least cost of giving the first j stories to the first i rectangles
    best = [[inf] * (count + 1) for _ in range(n + 1)]
    cut = [[0] * (count + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i, (_c, r, w, h) in enumerate(rects):
        for j in range(count + 1):
            if best[i][j] == inf:
                continue
            for e in range(j, count + 1):
                if j == 0 and e > 0 and r != top:
                    continue  # the lead stands on the top line
                cost = best[i][j] + (pack.cost(w, h, j, e) if e > j else GAP * w * h)
                if cost < best[i + 1][e]:
                    best[i + 1][e] = cost
                    cut[i + 1][e] = j
    runs = [(0, 0)] * n
    e = count
    for i in range(n, 0, -1):
        j = cut[i][e]
        runs[i - 1] = (j, e)
        e = j
    return runs, best[n][count]


NARROW = 1.0  # a column-line a story's module is narrower than it wants (see _Packer.leaf)
TOMB = 8.0  # two stories side by side in a rectangle, their headlines level (the search's score.TOMBSTONE)
ORDER = 4.0  # a column-line (or character) of a story's text over its module costs this many times one of the
#              story listed after it: the overset of a page goes to its last-listed stories (issue 13)
STACK_SLACK = 2  # lines a story stacked over others on a page of far too little text is given over its
#                  measured need (its columns balanced, a widow's rule)
GUESS_SLACK = 12  # the same over a need only guessed (a vertical story's, a continuation's: Item.needs
#                   not measured); two lines over the guess left a vertical lead 266 characters over


class _Packer:
    """The best guillotine cut of a w × h rectangle among a run of stories (i..j-1 in the page's
    order): side by side (any order of importance: their headlines share the top line) or one
    over the other (the earlier on top), the cut where the two parts' text would have it, where
    the first part is whole (its stories as deep or as wide as their measured needs) or where a
    part gets its least module. A module's cost: its text over (OVER a column-line, ORDER times
    that for each story listed after it: on an overfull page the earlier stories are whole and
    the last-listed cut), white left in it, narrower than the story wants, or under its least
    module (all of its text as good as lost, dearer than any text over). Memoised by (w, h, i, j)."""

    def __init__(self, stories: list[Item], cols: int):
        self.stories = stories
        self.count = len(stories)
        self.cols = cols
        self.memo: dict[tuple[int, int, int, int], tuple[float, tuple]] = {}
        self.need = [0]
        for it in stories:
            self.need.append(self.need[-1] + it.need)
        # the widest least width among stories i..k-1 (their deepest least depth: least_h)
        n = len(stories)
        self.least_v = [[0] * (n + 1) for _ in range(n + 1)]
        for i in range(n):
            for k in range(i + 1, n + 1):
                self.least_v[i][k] = max(self.least_v[i][k - 1], stories[k - 1].min_cols)
        self.weights = [OVER / ORDER if it.cut_first else OVER * ORDER ** (n - 1 - k) for k, it in enumerate(stories)]
        # Read many thousand times a page: each story's least depth and need at each width (index
        # w), and, by width, the depths of stories 0..k-1 stacked whole (prefix sums) and the
        # deepest least depth of stories i..k-1.
        widths = range(cols + 1)
        self.leasts = [[it.least(max(1, w)) for w in widths] for it in stories]
        self.needs = [[it.need_at(max(1, w)) for w in widths] for it in stories]
        self.stacked = [[0] * (n + 1) for _ in widths]
        self.slacks = [0]  # prefix sums of each story's slack when stacked (STACK_SLACK, GUESS_SLACK)
        for it in stories:
            self.slacks.append(self.slacks[-1] + (STACK_SLACK if it.needs else GUESS_SLACK))
        self.least_h = [[[0] * (n + 1) for _ in range(n + 1)] for _ in widths]
        for w in range(1, cols + 1):
            for k in range(n):
                depth = max(self.leasts[k][w], -(-self.needs[k][w] // w))
                self.stacked[w][k + 1] = self.stacked[w][k] + depth
            for i in range(n):
                for k in range(i + 1, n + 1):
                    self.least_h[w][i][k] = max(self.least_h[w][i][k - 1], self.leasts[k - 1][w])

    def stack(self, i: int, k: int, w: int) -> int:
        """Lines stories i..k-1 take stacked whole, one over the other, w columns wide (each as
        deep as its measured need, or its least module)."""
        return self.stacked[w][k] - self.stacked[w][i]

    def _whole_width(self, k: int, h: int, w: int) -> int:
        """The fewest columns (under w) in which story k, h lines deep, is whole; 0: none."""
        needs = self.needs[k]
        return next((a for a in range(max(1, self.stories[k].min_cols), w) if needs[a] <= a * h), 0)

    def cost(self, w: int, h: int, i: int, j: int) -> float:
        return self.best(w, h, i, j)[0]

    def leaf(self, w: int, h: int, k: int, area: int | None = None) -> float:
        """What story k costs in a w × h module (of `area` column-lines: an L-shaped one's)."""
        it = self.stories[k]
        area = w * h if area is None else area
        need = self.needs[k][w]
        if w < it.min_cols or h < self.leasts[k][w]:
            return 2 * OVER * ORDER ** (self.count - 1) * need + area
        want = min(self.cols, 3 if k == 0 else 2)  # a headline over one column reads as a brief's
        return self.weights[k] * max(0, need - area) + max(0, area - need) + NARROW * max(0, want - w) * h

    def best(self, w: int, h: int, i: int, j: int, only: str | None = None) -> tuple[float, tuple]:
        """(cost, tree): ("leaf", k) or (kind, size of the first part, i, k, j), kind "v" (side by
        side) or "h" (one over the other); `only`: the first cut of that kind."""
        key = (w, h, i, j)
        if only is None and key in self.memo:
            return self.memo[key]
        if j - i == 1:
            out: tuple[float, tuple] = (self.leaf(w, h, i), ("leaf", i))
        else:
            out = (float("inf"), ())  # more stories than lines and columns to cut: none fits
            memo = self.memo
            stacked = self.stack(i, j, w)
            little = stacked + self.slacks[j] - self.slacks[i] < h
            # A crowded rectangle (its stories stacked whole deeper than it) is also cut where the
            # first part is whole: the earlier stories keep their text, the overset goes to the
            # later ones. (Only there: every cut tried is a subproblem more.)
            crowded = stacked > h
            for k in range(i + 1, j):
                first, second = self.need[k] - self.need[i], self.need[j] - self.need[k]
                share = first / (first + second) if first + second else (k - i) / (j - i)
                for kind, size in (("v", w), ("h", h)):
                    if only is not None and kind != only:
                        continue
                    near = round(size * share)
                    tried = []
                    if kind == "v":
                        sizes = (near, self.least_v[i][k], size - self.least_v[k][j])
                        if crowded and k == i + 1:
                            sizes += (self._whole_width(i, h, w),)
                    else:
                        sizes = (near, self.least_h[w][i][k], size - self.least_h[w][k][j])
                        if crowded:
                            sizes += (self.stack(i, k, w),)
                        elif little:
                            # Far too little text: the earlier part as deep as its text needs (its
                            # head block measured, and a line or two for balancing), tried first so
                            # that a tie goes to it: the white is left in one place, at the foot
                            # under the last story, not between the stories
                            sizes = (self.stack(i, k, w) + self.slacks[k] - self.slacks[i],) + sizes
                    for a in sizes:
                        if not 0 < a < size or a in tried:
                            continue
                        tried.append(a)
                        # (the memo read here first: most parts were costed before, and a call
                        # each is most of the packer's time on a crowded page)
                        if kind == "v":
                            # (far too little text: two headlines side by side on the rectangle's
                            # top line, a tombstone, cost what they do in the search, so the
                            # stories stack, the white at the foot)
                            one, two = memo.get((a, h, i, k)), memo.get((w - a, h, k, j))
                            cost = ((one or self.best(a, h, i, k))[0] + (two or self.best(w - a, h, k, j))[0]
                                    + (TOMB if little else 0.0))
                        else:
                            one, two = memo.get((w, a, i, k)), memo.get((w, h - a, k, j))
                            cost = (one or self.best(w, a, i, k))[0] + (two or self.best(w, h - a, k, j))[0]
                        if cost < out[0] - 1e-9:
                            out = (cost, (kind, a, i, k, j))
        if only is None:
            self.memo[key] = out
        return out

    def modules(self, w: int, h: int, i: int, j: int, flip: bool = False) -> list[tuple[int, tuple[int, int, int, int]]]:
        """(story, (col, row, cols, rows) within the rectangle) of the best cut; `flip`: the
        rectangle cut the other way first, where it can be (an alternative layout)."""
        tree = self.best(w, h, i, j)[1]
        if flip and tree[0] != "leaf":
            tree = self.best(w, h, i, j, only="h" if tree[0] == "v" else "v")[1] or tree
        return self._place(tree, 0, 0, w, h)

    def _place(self, tree: tuple, c: int, r: int, w: int, h: int) -> list[tuple[int, tuple[int, int, int, int]]]:
        if tree[0] == "leaf":
            return [(tree[1], (c, r, w, h))]
        kind, a, i, k, j = tree
        if kind == "v":
            return (self._place(self.best(a, h, i, k)[1], c, r, a, h)
                    + self._place(self.best(w - a, h, k, j)[1], c + a, r, w - a, h))
        return (self._place(self.best(w, a, i, k)[1], c, r, w, a)
                + self._place(self.best(w, h - a, k, j)[1], c, r + a, w, h - a))


def _lowest(free, cols: int, height: int, w: int, h: int, *, right_first: bool) -> tuple[int, int] | None:
    """The lowest free spot for a w × h module (on the foot or on what is placed under it)."""
    columns = range(cols - w, -1, -1) if right_first else range(0, cols - w + 1)
    for r in range(height - h, -1, -1):
        for c in columns:
            if free(c, r, w, h) and (r + h == height or not free(c, r + h, w, 1)):
                return c, r
    return None


def _rectangles(occ: list[list[bool]], cols: int, height: int) -> list[tuple[int, int, int, int]]:
    """The free cells as rectangles (col, row, cols, rows), 0-based: each column's free runs, a run
    merged with the same run (same first line, same length) of the neighbouring columns."""
    out = []
    going: dict[tuple[int, int], int] = {}  # run (first row, rows) -> first column it is free in
    for x in range(cols + 1):
        here = []
        y = 0
        while x < cols and y < height:
            if occ[y][x]:
                y += 1
                continue
            start = y
            while y < height and not occ[y][x]:
                y += 1
            here.append((start, y - start))
        for run in [r for r in going if r not in here]:
            x0 = going.pop(run)
            out.append((x0, run[0], x - x0, run[1]))
        for run in here:
            going.setdefault(run, x)
    return out


HOLE = 1.0  # a column-line of a hole beside a foot item, in the search's notch pass (see hole_options)


def hole_options(cols: int, height: int, feet: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The sizes a hole may take in the search's notch pass (issue 13): as deep as one of the foot
    items (ads, teasers: (cols, lines) each), as wide as the columns beside it. The search tiles
    the page with the hole as one more foot item; the story over it then takes it in an L-shaped
    module (merge_hole): a box ad at the foot's corner under a story that only an L can fill."""
    out = set()
    for w, h in feet:
        if h < height:
            out |= {(c, h) for c in range(1, cols - w + 1)}
    return tuple(sorted(out))


def merge_hole(places: list[tuple[int, int, int, int, int]], hole: tuple[int, int, int, int],
               stories: dict[int, Item]) -> tuple[list[tuple[int, int, int, int, int]], dict[int, Notch]] | None:
    """The placements (piece, col, line, cols, lines) with the hole (col, line, cols, lines) given
    to a story whose module borders it so that the two make a rectangle or an L (_taker: the one
    whose text is most over its module). None when no story can take it."""
    best = _taker(places, hole, stories)
    if best is None:
        return None
    n, ((mc, ml, mw, mh), cut) = best
    out = list(places)
    k = out[n][0]
    out[n] = (k, mc, ml, mw, mh)
    return out, ({k: cut} if cut is not None else {})
