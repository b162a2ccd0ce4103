"""The optimiser: an exact dynamic programme over guillotine layouts.

For every set of items it keeps, for each rectangle size (and whether a headline starts at each
top corner), the cheapest way to tile exactly that rectangle with exactly those items, built from
the cheapest tilings of two smaller sets put side by side or one over the other. Every cost term
is local to a cut (see score.py), so the programme's optimum is the optimum over all guillotine
trees of the item options offered. Areas prune it: a set's rectangle must leave room for the rest
of the items and no more.

Rules kept as hard constraints, at each cut:
- the first story listed (or a continuation listed before it) is never in the lower part of a cut,
  so it starts on the top line of the page;
- importance: in a cut one over the other, every story of the upper part is listed before every
  story of the lower part, so no story sits over one listed before it (side by side they may
  stand in any order: their headlines share the top line);
- a foot item (an ad, the teasers) is never over anything but foot items, so they stand on the
  foot of the page (or on each other);
- pinned items keep their rectangles: cuts never cross them (solved over real page rectangles).
The lead's headline must be the largest: the search runs once per headline size of the lead,
offering the other stories only sizes up to it, and keeps the best of those runs; no later
story's headline is larger than an earlier one's either (each run's best layout is checked and,
where it is not so, searched again with sizes held: _Chain). A story offers
the same module at several headline sizes (see estimate.head_starts); within a run only the
cheapest option of each module size is kept, so the programme stays as small as before."""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from layout.autolayout.estimate import HELD, Option
from layout.autolayout.score import (
    POSITION,
    TOMBSTONE,
    Breakdown,
    Cut,
    Leaf,
    Tree,
    placements,
    rank_weight,
    score_tree,
)


@dataclass(frozen=True)
class Piece:
    """An item of the page as the optimiser sees it."""

    name: str  # for messages: "story river-fish"
    options: tuple[Option, ...]
    rank: int = -1  # order of importance among the page's stories (0: the lead); -1: not a story
    ad: bool = False  # a foot item: an ad or the teasers
    pinned: tuple[int, int, int, int] | None = None  # (col, line, cols, lines) on the page
    order: int = -1  # place in the page's list among stories and continuations (-1: neither)
    continued: bool = False  # a continuation: its headline is its own small size, out of the order of sizes

    @property
    def headline(self) -> bool:
        return self.rank >= 0


@dataclass(frozen=True)
class Problem:
    cols: int
    top: int  # first line of the live area
    bottom: int  # last line of the live area
    pieces: tuple[Piece, ...]
    # A continuation listed first takes the top of the page, and the page's lead story the top line
    # beside it (plan.problem_for sets this in the first pass, where every layout keeps every
    # preference: the relaxed passes may put the lead under the continuation to print more text)
    lead_top: bool = False

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1


@dataclass(frozen=True)
class Solution:
    tree: Tree | None  # None: a layout that is no guillotine tree (the fallback's), see places
    score: Breakdown
    lead_head: float  # pt of the lead's headline in this layout
    places: tuple | None = None  # the fallback's placements (score.Placement), when tree is None
    fallback: bool = True  # (places only) the fallback's layout, not the search's with an L (plan._notched_search)


@dataclass
class _Shapes:
    """Per item set: best tiling for each (w, h, headline at top-left, at top-right)."""

    best: dict[tuple[int, int, bool, bool], tuple[float, Tree]] = field(default_factory=dict)

    def offer(self, key, cost: float, tree) -> None:
        old = self.best.get(key)
        if old is None or cost < old[0] - 1e-9:
            self.best[key] = (cost, tree)


class OverBudget(Exception):
    """A search that would take longer than a page may (WORK_LIMIT): the caller goes on to its
    next pass or the fallback layout. Counted in steps, not seconds, so that the same page always
    gets the same layout, on any machine and under any load."""


# Steps of the programme (pairs of partial tilings looked at) a page's search may take, all passes
# together: about a second of one core. The sample's pages take at most half a million.
WORK_LIMIT = 1_500_000


class _Solver:
    def __init__(self, problem: Problem, bound: float = float("inf"), limit: int = WORK_LIMIT):
        self.p = problem
        self.work = 0
        self.limit = limit
        # Every term of the score is >= 0, so a part of a layout dearer than `bound` (what a layout
        # must beat to be kept) cannot become part of one worth keeping: it is dropped early.
        self.bound = bound
        self.free = [i for i, pc in enumerate(problem.pieces) if pc.pinned is None]
        self.pins = [i for i, pc in enumerate(problem.pieces) if pc.pinned is not None]
        n = len(self.free)
        self.full = (1 << n) - 1
        stories = sum(1 for pc in problem.pieces if pc.rank >= 0)
        self.weight = [POSITION * rank_weight(pc.rank, stories) for pc in problem.pieces]
        self.mask_weight = [0.0] * (1 << n)
        self.amin = [0] * (1 << n)
        self.amax = [0] * (1 << n)
        self.cmin = [0.0] * (1 << n)  # the least the items of a set can cost by themselves
        self.lead_bit = 0
        self.ad_bits = 0
        # the earliest and latest listed story of each set (importance across a cut one over the other)
        self.first_order = [1 << 30] * (1 << n)
        self.last_order = [-1] * (1 << n)
        # The top of the page goes to the first item listed among stories and continuations (the
        # lead story, unless a continuation is listed before it); without a listed order, the lead.
        # With Problem.lead_top, a continuation listed first does not push the page's lead story
        # down: both take the top line, side by side (sample A04's lead under the continuation,
        # with the second story on the top line beside them, read as the second story leading).
        ordered = any(pc.order >= 0 for pc in problem.pieces)
        both = problem.lead_top and ordered and any(
            pc.order == 0 and pc.continued and pc.pinned is None and any(o.cols < problem.cols for o in pc.options)
            for pc in problem.pieces)
        # each free item's least and most area and least cost, for the sets' sums below
        least, most, cheapest = [], [], []
        for b, i in enumerate(self.free):
            pc = problem.pieces[i]
            if ((pc.order == 0) if ordered else (pc.rank == 0)) or (both and pc.rank == 0):
                self.lead_bit |= 1 << b
            if pc.ad:
                self.ad_bits |= 1 << b
            areas = [o.cols * o.lines for o in pc.options] or [0]
            least.append(min(areas))
            most.append(max(areas))
            cheapest.append(min((o.cost for o in pc.options), default=0.0))
        for m in range(1, 1 << n):
            low = m & -m
            b = low.bit_length() - 1
            pc = problem.pieces[self.free[b]]
            self.mask_weight[m] = self.mask_weight[m ^ low] + self.weight[self.free[b]]
            o = pc.order
            self.first_order[m] = min(self.first_order[m ^ low], o if o >= 0 else 1 << 30)
            self.last_order[m] = max(self.last_order[m ^ low], o)
            self.amin[m] = self.amin[m ^ low] + least[b]
            self.amax[m] = self.amax[m ^ low] + most[b]
            self.cmin[m] = self.cmin[m ^ low] + cheapest[b]
        pinned_area = sum(problem.pieces[i].pinned[2] * problem.pieces[i].pinned[3] for i in self.pins)
        self.target = problem.cols * problem.height - pinned_area
        self.shapes: dict[int, _Shapes] = {}
        # per item set: width -> ({height: its tilings (tl, tr, cost, tree)}, the heights sorted);
        # by_h the same the other way round; with the number of tilings up to each size (in sorted
        # order), for the steps of a combination to be counted without a loop
        self.by_w: dict[int, dict[int, tuple[dict[int, list], list[int], list[int]]]] = {}
        self.by_h: dict[int, dict[int, tuple[dict[int, list], list[int], list[int]]]] = {}
        self._regions: dict = {}
        self._rects: dict = {}
        self._over: dict[int, tuple[list[int], set[int]]] = {}
        self._sized: dict[tuple[int, int], list[int]] = {}  # (w, h) → the sets with such a tiling, largest first

    # -- free items: position-independent tilings --------------------------------------------

    def _fits(self, mask: int, area: int) -> bool:
        rest = self.full ^ mask
        return self.target - self.amax[rest] <= area <= self.target - self.amin[rest]

    def build(self) -> None:
        n = len(self.free)
        W, H = self.p.cols, self.p.height
        order = sorted(range(1, 1 << n), key=lambda m: bin(m).count("1"))
        for m in order:
            # What a tiling of m may cost and still leave the other items their cheapest options.
            self.cap = self.bound - self.cmin[self.full ^ m]
            sh = _Shapes()
            if m & (m - 1) == 0:
                i = self.free[m.bit_length() - 1]
                pc = self.p.pieces[i]
                for o in pc.options:
                    if o.cols <= W and o.lines <= H and o.cost <= self.cap and self._fits(m, o.cols * o.lines):
                        s = pc.headline
                        sh.offer((o.cols, o.lines, s, s), o.cost, Leaf(i, o))
            else:
                a = (m - 1) & m
                while a:
                    b = m ^ a
                    if a in self.shapes and b in self.shapes:
                        self._combine(m, a, b, sh, W, H)
                    a = (a - 1) & m
            if sh.best:
                self.shapes[m] = sh
                bw: dict[int, dict[int, list]] = {}
                bh: dict[int, dict[int, list]] = {}
                for (w, h, tl, tr), (c, t) in sh.best.items():
                    bw.setdefault(w, {}).setdefault(h, []).append((tl, tr, c, t))
                    bh.setdefault(h, {}).setdefault(w, []).append((tl, tr, c, t))
                # With the other side's sizes sorted for bisect: a combination only looks at
                # partners whose size can give an area the rest of the items allow.
                self.by_w[m] = {w: _sizes(v) for w, v in bw.items()}
                self.by_h[m] = {h: _sizes(v) for h, v in bh.items()}

    def _combine(self, m: int, a: int, b: int, sh: _Shapes, W: int, H: int) -> None:
        """The tilings of m made of a tiling of a and one of b, a over b and a beside b, offered to
        sh. Steps are counted as pairs looked at (per size of a, its partners' sizes, and per
        partner the tilings of each side multiplied), whatever the loops below skip: the budget,
        and so the plan, is the same on any machine and for any way of writing these loops."""
        self.work += 1 + len(self.by_w[a]) + len(self.by_h[a])
        if self.work > self.limit:
            raise OverBudget(self.work)
        rest = self.full ^ m
        lo_area = self.target - self.amax[rest]
        hi_area = self.target - self.amin[rest]
        bound = self.cap
        best = sh.best
        work = 0
        # a over b
        if (not (b & self.lead_bit) and (not (a & self.ad_bits) or not (b & ~self.ad_bits))
                and self.last_order[a] < self.first_order[b]):
            shift = self.mask_weight[b]
            bw_b = self.by_w[b]
            for w, (tops, _, _) in self.by_w[a].items():
                found = bw_b.get(w)
                if not found:
                    continue
                bottoms, heights, counts = found
                h_lo = -(-lo_area // w)
                h_hi = min(H, hi_area // w)
                for ha, top_tilings in tops.items():
                    i = bisect_left(heights, h_lo - ha)
                    j = bisect_right(heights, h_hi - ha)
                    work += 1 + (j - i) + len(top_tilings) * (counts[j] - counts[i]) if j > i else 1
                    if j <= i:
                        continue
                    # the top's cost with its position, per top tiling (the same for every partner)
                    tops_at = [(tl, tr, ca + shift * ha, ta) for tl, tr, ca, ta in top_tilings
                               if ca + shift * ha <= bound]
                    if not tops_at:
                        continue
                    for hb in heights[i:j]:
                        bottom_tilings = bottoms[hb]
                        key_h = ha + hb
                        for tl, tr, extra, ta in tops_at:
                            key = (w, key_h, tl, tr)
                            old = best.get(key)
                            beat = old[0] - 1e-9 if old is not None else INF
                            for _tl, _tr, cb, tb in bottom_tilings:
                                cost = extra + cb
                                if cost <= bound and cost < beat:
                                    best[key] = (cost, Cut("h", ha, ta, tb))
                                    beat = cost - 1e-9
        # a | b
        bh_b = self.by_h[b]
        for h, (lefts, _, _) in self.by_h[a].items():
            found = bh_b.get(h)
            if not found:
                continue
            rights, widths, counts = found
            w_lo = -(-lo_area // h)
            w_hi = min(W, hi_area // h)
            for wa, left_tilings in lefts.items():
                i = bisect_left(widths, w_lo - wa)
                j = bisect_right(widths, w_hi - wa)
                work += 1 + (j - i) + len(left_tilings) * (counts[j] - counts[i]) if j > i else 1
                if j <= i:
                    continue
                for wb in widths[i:j]:
                    right_tilings = rights[wb]
                    key_w = wa + wb
                    for tl, tr, ca, ta in left_tilings:
                        for btl, btr, cb, tb in right_tilings:
                            cost = ca + cb + (TOMBSTONE if tr and btl else 0.0)
                            if cost <= bound:
                                key = (key_w, h, tl, btr)
                                old = best.get(key)
                                if old is None or cost < old[0] - 1e-9:
                                    best[key] = (cost, Cut("v", wa, ta, tb))
        self.work += work

    # -- pinned items: real page rectangles ----------------------------------------------------

    def _rect(self, col: int, line: int, w: int, h: int) -> tuple[bool, tuple[int, ...], int]:
        """(a pinned item sticks out of the page rectangle, the pinned items inside it, its area
        left to free items): the same for every item set tiled there, so worked out once."""
        key = (col, line, w, h)
        got = self._rects.get(key)
        if got is None:
            inside = []
            out = False
            for i in self.pins:
                pc, ph, pw, plines = self.p.pieces[i].pinned
                if pc >= col and ph >= line and pc + pw <= col + w and ph + plines <= line + h:
                    inside.append(i)
                elif pc < col + w and col < pc + pw and ph < line + h and line < ph + plines:
                    out = True
                    break
            free_area = w * h - sum(self.p.pieces[i].pinned[2] * self.p.pieces[i].pinned[3] for i in inside)
            got = self._rects[key] = (out, tuple(inside), free_area)
        return got

    def _free_region(self, line: int, w: int, h: int, mask: int, free_area: int) -> dict:
        """region() of a page rectangle with no pinned item in or across it: the set's tilings of
        that size, their positions counted from the top of the page."""
        out: dict = {}
        if not mask or not self.amin[mask] <= free_area <= self.amax[mask]:
            return out
        by_w = self.by_w.get(mask)
        if by_w is None:
            return out
        if mask & self.lead_bit and line != self.p.top:
            return out
        if mask & self.ad_bits and line + h - 1 != self.p.bottom:
            return out
        found = by_w.get(w)
        tilings = found[0].get(h) if found else None
        if tilings:
            shift = self.mask_weight[mask] * (line - self.p.top)
            for tl, tr, c, t in tilings:
                _offer(out, (tl, tr), c + shift, t)
        return out

    def _sub(self, col: int, line: int, w: int, h: int, mask: int) -> dict:
        """region(col, line, w, h, mask) as called from inside another region: what it returns,
        with the same step counted, but without a call where the answer needs no recursion (a
        pinned item sticking out, no pinned item inside, areas that cannot match)."""
        stick, inside, free_area = self._rect(col, line, w, h)
        if stick:
            self._step()
            return _EMPTY
        if not inside:
            self._step()
            return self._free_region(line, w, h, mask, free_area)
        return self.region(col, line, w, h, mask)

    def _step(self) -> None:
        self.work += 1
        if self.work > self.limit:
            raise OverBudget(self.work)

    def _parts(self, col: int, line: int, w: int, h: int, sets: list[int], allowed: set[int] | None, mask: int
               ) -> Iterator[tuple[int, dict]]:
        """(a, region(col, line, w, h, a)) for each set a of `sets` (in their order; `allowed`: the
        same as a set, None when `sets` are all the submasks of `mask`) whose tiling
        of the first part of a cut is not empty, one step counted for each set as a call would.
        Where no pinned item is in or across the part, only the sets that have a tiling of its size
        can tile it: the others are counted, not looked at."""
        stick, inside, free_area = self._rect(col, line, w, h)
        if inside and not stick:
            for a in sets:
                got = self.region(col, line, w, h, a)
                if got:
                    yield a, got
            return
        self.work += len(sets)
        if self.work > self.limit:
            raise OverBudget(self.work)
        if stick:
            return
        # sets descend from `mask` (its submasks, largest first, 0 before them): those with a
        # tiling of the size in the same order
        for a in self._sized.get((w, h), ()):
            if a & ~mask == 0 and (allowed is None or a in allowed):
                got = self._free_region(line, w, h, a, free_area)
                if got:
                    yield a, got

    def region(self, col: int, line: int, w: int, h: int, mask: int) -> dict:
        """(tl, tr) → (cost, tree) for tiling the page rectangle with the free items of `mask`
        and every pinned item inside it; costs count positions from the top of the page.

        Each call is a step of the budget, memo hits and rectangles that cannot be tiled alike
        (what the page's budget has always counted: OverBudget, and so the plan, depends on it);
        _sub answers the calls that need no recursion without making them."""
        key = (col, line, w, h, mask)
        self._step()
        got = self._regions.get(key)
        if got is not None:
            return got
        stick, inside, free_area = self._rect(col, line, w, h)
        if stick:
            self._regions[key] = _EMPTY
            return _EMPTY
        if not inside:
            out = self._free_region(line, w, h, mask, free_area)
            self._regions[key] = out
            return out
        out = {}
        self._regions[key] = out
        if len(inside) == 1 and not mask:
            pc = self.p.pieces[inside[0]]
            if pc.pinned == (col, line, w, h):
                o = pc.options[0] if pc.options else Option(w, h, 0.0)
                s = pc.headline
                _offer(out, (s, s), self.weight[inside[0]] * (line - self.p.top), Leaf(inside[0], o))
            return out
        if mask and not self.amin[mask] <= free_area <= self.amax[mask]:
            return out
        if not mask and free_area:
            return out
        subs = [0]
        s = mask
        while s:
            subs.append(s)
            s = (s - 1) & mask
        # (the sets that may go over the rest in a cut one over the other: none of their stories
        # listed after one of the rest's)
        got = self._over.get(mask)
        if got is None:
            keep = [a for a in subs if not (a and mask ^ a and self.last_order[a] >= self.first_order[mask ^ a])]
            got = self._over[mask] = (keep, set(keep))
        over, over_set = got
        sub = self._sub
        # A cut through a pinned item leaves part of it on each side: neither side can be tiled
        # (a pinned item sticks out), so such cuts are not tried (nor counted as work).
        pins = [self.p.pieces[i].pinned for i in inside]
        for c in range(1, w):
            if any(pc < col + c < pc + pw for pc, _, pw, _ in pins):
                continue
            for a, left in self._parts(col, line, c, h, subs, None, mask):
                right = sub(col + c, line, w - c, h, mask ^ a)
                for (ltl, ltr), (lc, lt) in left.items():
                    for (rtl, rtr), (rc, rt) in right.items():
                        cost = lc + rc + (TOMBSTONE if ltr and rtl else 0.0)
                        _offer(out, (ltl, rtr), cost, Cut("v", c, lt, rt))
        for k in range(1, h):
            if any(ph < line + k < ph + plines for _, ph, _, plines in pins):
                continue
            for a, top in self._parts(col, line, w, k, over, over_set, mask):
                bottom = sub(col, line + k, w, h - k, mask ^ a)
                for (ttl, ttr), (tc, tt) in top.items():
                    for (bc, bt) in bottom.values():
                        _offer(out, (ttl, ttr), tc + bc, Cut("h", k, tt, bt))
        return out

    def solve(self) -> list[tuple[float, Tree]]:
        self.build()
        if not self.pins:
            sh = self.shapes.get(self.full)
            if sh is None:
                return []
            return sorted(((c, t) for (w, h, _tl, _tr), (c, t) in sh.best.items()
                           if w == self.p.cols and h == self.p.height), key=lambda x: x[0])
        for m in sorted(self.shapes, reverse=True):
            for w, (hs, _, _) in self.by_w[m].items():
                for h in hs:
                    self._sized.setdefault((w, h), []).append(m)
        res = self.region(1, self.p.top, self.p.cols, self.p.height, self.full)
        return sorted(res.values(), key=lambda x: x[0])


INF = float("inf")


def _sizes(by_size: dict[int, list]) -> tuple[dict[int, list], list[int], list[int]]:
    """A set's tilings of one width (or height) by height (width), the heights sorted, and the
    number of tilings of the first k heights for each k."""
    order = sorted(by_size)
    counts = [0]
    for size in order:
        counts.append(counts[-1] + len(by_size[size]))
    return by_size, order, counts


_EMPTY: dict = {}  # the tilings of a rectangle that has none (shared, never written to)


def _bits(x: int) -> Iterator[int]:
    """The positions of the set bits of x, lowest first."""
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


class _DryRun:
    """The programme's first part (the tilings of every item set, _Solver.build) with nothing but
    which sizes each set can tile and with which headline corners: no costs, no trees. Each set's
    sizes are bit sets, the heights it tiles at each width, one per pair of corners (tl, tr) =
    (f >> 1, f & 1), f = 0..3; a combination is then a few shifts and masks instead of a loop over
    every pair of partners. With no bound on cost (a run before `keep` layouts are found) the
    sizes, and so the steps _Solver counts, depend on nothing else: this counts the very same
    steps, from the sizes alone, and tells whether the run would go over its budget and, on a page
    without pinned items, whether it finds a layout at all (its full set tiles the page). A run
    that would go over or find nothing need not be made."""

    OVER, NONE, SOME, UNKNOWN = "over", "none", "some", "unknown"

    def __init__(self, solver: _Solver):
        self.s = solver
        self.by_w: dict[int, dict[int, list[int]]] = {}  # item set → width → heights, per corners
        self.heights: dict[int, int] = {}  # item set → every height it tiles at some width
        # item set → width → [(height, tilings of that size, their corners)], for cuts one over the other
        self.tops: dict[int, dict[int, list[tuple[int, int, list[int]]]]] = {}

    def run(self) -> str:
        """OVER: the real run would raise OverBudget; else NONE or SOME layout of the page (with
        pinned items, from their regions' corners: _pinned)."""
        sv = self.s
        n = len(sv.free)
        W, H = sv.p.cols, sv.p.height
        for m in sorted(range(1, 1 << n), key=lambda m: bin(m).count("1")):
            hw: dict[int, list[int]] = {}
            if m & (m - 1) == 0:
                pc = sv.p.pieces[sv.free[m.bit_length() - 1]]
                f = 3 if pc.headline else 0
                for o in pc.options:
                    if o.cols <= W and o.lines <= H and sv._fits(m, o.cols * o.lines):
                        hw.setdefault(o.cols, [0, 0, 0, 0])[f] |= 1 << o.lines
            else:
                a = (m - 1) & m
                while a:
                    b = m ^ a
                    if a in self.by_w and b in self.by_w and not self._combine(m, a, b, hw, W, H):
                        return self.OVER
                    a = (a - 1) & m
            if hw:
                self.by_w[m] = hw
                every = 0
                for fl in hw.values():
                    every |= fl[0] | fl[1] | fl[2] | fl[3]
                self.heights[m] = every
        if sv.pins:
            return self._pinned()
        full = self.by_w.get(sv.full, {}).get(W, [0, 0, 0, 0])
        return self.SOME if any(fl >> H & 1 for fl in full) else self.NONE

    # -- pinned items: _Solver.region's steps, with the corners of each region's tilings only ---

    def _pinned(self) -> str:
        """The steps of _Solver.solve's region recursion, counted as it counts them (a call, memo
        hits and empty rectangles alike, one step each; the parts of a cut without pinned items by
        the number of sets), with each region's tilings reduced to which pairs of headline corners
        they have (a 4-bit set, bit tl << 1 | tr): with no bound on cost, whether a region has a
        tiling, and so which calls the recursion makes, depends on nothing else."""
        sv = self.s
        self.regions: dict[tuple[int, int, int, int, int], int] = {}
        self.sized: dict[tuple[int, int], list[int]] = {}
        for m in sorted(self.by_w, reverse=True):
            for w, fl in self.by_w[m].items():
                for h in _bits(fl[0] | fl[1] | fl[2] | fl[3]):
                    self.sized.setdefault((w, h), []).append(m)
        try:
            got = self._region(1, sv.p.top, sv.p.cols, sv.p.height, sv.full)
        except OverBudget:
            return self.OVER
        return self.SOME if got else self.NONE

    def _free(self, line: int, w: int, h: int, mask: int, free_area: int) -> int:
        """_Solver._free_region's corners."""
        sv = self.s
        if not mask or not sv.amin[mask] <= free_area <= sv.amax[mask]:
            return 0
        by_w = self.by_w.get(mask)
        if by_w is None:
            return 0
        if mask & sv.lead_bit and line != sv.p.top:
            return 0
        if mask & sv.ad_bits and line + h - 1 != sv.p.bottom:
            return 0
        fl = by_w.get(w)
        if fl is None:
            return 0
        return (fl[0] >> h & 1) | (fl[1] >> h & 1) << 1 | (fl[2] >> h & 1) << 2 | (fl[3] >> h & 1) << 3

    def _sub(self, col: int, line: int, w: int, h: int, mask: int) -> int:
        sv = self.s
        stick, inside, free_area = sv._rect(col, line, w, h)
        if stick or not inside:
            sv.work += 1  # (_Solver._step, inline: the recursion's most frequent call)
            if sv.work > sv.limit:
                raise OverBudget(sv.work)
            return 0 if stick else self._free(line, w, h, mask, free_area)
        return self._region(col, line, w, h, mask)

    def _parts(self, col: int, line: int, w: int, h: int, sets: list[int], allowed: set[int] | None, mask: int
               ) -> Iterator[tuple[int, int]]:
        sv = self.s
        stick, inside, free_area = sv._rect(col, line, w, h)
        if inside and not stick:
            # _region(col, line, w, h, a) for each set, its step and memo lookup inline (most are hits)
            regions = self.regions
            for a in sets:
                sv.work += 1
                if sv.work > sv.limit:
                    raise OverBudget(sv.work)
                got = regions.get((col, line, w, h, a))
                if got is None:
                    got = self._tile(col, line, w, h, a)
                if got:
                    yield a, got
            return
        sv.work += len(sets)
        if sv.work > sv.limit:
            raise OverBudget(sv.work)
        if stick:
            return
        for a in self.sized.get((w, h), ()):
            if a & ~mask == 0 and (allowed is None or a in allowed):
                got = self._free(line, w, h, a, free_area)
                if got:
                    yield a, got

    def _region(self, col: int, line: int, w: int, h: int, mask: int) -> int:
        sv = self.s
        sv.work += 1
        if sv.work > sv.limit:
            raise OverBudget(sv.work)
        got = self.regions.get((col, line, w, h, mask))
        if got is not None:
            return got
        return self._tile(col, line, w, h, mask)

    def _tile(self, col: int, line: int, w: int, h: int, mask: int) -> int:
        """_region past its step and memo lookup: the corners of a region not yet worked out."""
        sv = self.s
        key = (col, line, w, h, mask)
        stick, inside, free_area = sv._rect(col, line, w, h)
        if stick:
            self.regions[key] = 0
            return 0
        if not inside:
            out = self.regions[key] = self._free(line, w, h, mask, free_area)
            return out
        self.regions[key] = 0
        if len(inside) == 1 and not mask:
            pc = sv.p.pieces[inside[0]]
            out = (8 if pc.headline else 1) if pc.pinned == (col, line, w, h) else 0  # corners (s, s)
            self.regions[key] = out
            return out
        if mask and not sv.amin[mask] <= free_area <= sv.amax[mask]:
            return 0
        if not mask and free_area:
            return 0
        subs = [0]
        x = mask
        while x:
            subs.append(x)
            x = (x - 1) & mask
        got_over = sv._over.get(mask)
        if got_over is None:
            keep = [a for a in subs if not (a and mask ^ a and sv.last_order[a] >= sv.first_order[mask ^ a])]
            got_over = sv._over[mask] = (keep, set(keep))
        over, over_set = got_over
        pins = [sv.p.pieces[i].pinned for i in inside]
        out = 0
        for c in range(1, w):
            if any(pc < col + c < pc + pw for pc, _, pw, _ in pins):
                continue
            for a, left in self._parts(col, line, c, h, subs, None, mask):
                right = self._sub(col + c, line, w - c, h, mask ^ a)
                if right:
                    # (left's top-left corner, right's top-right corner) for every pair
                    tls = (1 if left & 3 else 0) | (2 if left & 12 else 0)  # tl = 0, tl = 1
                    trs = (1 if right & 5 else 0) | (2 if right & 10 else 0)  # tr = 0, tr = 1
                    for tl in (0, 1):
                        if tls >> tl & 1:
                            for tr in (0, 1):
                                if trs >> tr & 1:
                                    out |= 1 << (tl << 1 | tr)
        for k in range(1, h):
            if any(ph < line + k < ph + plines for _, ph, _, plines in pins):
                continue
            for a, top in self._parts(col, line, w, k, over, over_set, mask):
                if self._sub(col, line + k, w, h - k, mask ^ a):
                    out |= top
        self.regions[key] = out
        return out

    def _tops(self, a: int, w: int) -> list[tuple[int, int, list[int]]]:
        got = self.tops.setdefault(a, {}).get(w)
        if got is None:
            fa = self.by_w[a][w]
            got = []
            for ha in _bits(fa[0] | fa[1] | fa[2] | fa[3]):
                fs = [f for f in range(4) if fa[f] >> ha & 1]
                got.append((ha, len(fs), fs))
            self.tops[a][w] = got
        return got

    def _combine(self, m: int, a: int, b: int, hw: dict, W: int, H: int) -> bool:
        """_Solver._combine's steps and sizes (into hw); False when its budget check fails."""
        sv = self.s
        bw_a, bw_b = self.by_w[a], self.by_w[b]
        heights_a, heights_b = self.heights[a], self.heights[b]
        sv.work += 1 + len(bw_a) + heights_a.bit_count()
        if sv.work > sv.limit:
            return False
        rest = sv.full ^ m
        lo_area = sv.target - sv.amax[rest]
        hi_area = sv.target - sv.amin[rest]
        work = 0
        # a over b: per height of a at a width b also has, its partners' heights within the areas
        if (not (b & sv.lead_bit) and (not (a & sv.ad_bits) or not (b & ~sv.ad_bits))
                and sv.last_order[a] < sv.first_order[b]):
            for w in bw_a:
                fb = bw_b.get(w)
                if fb is None:
                    continue
                anyb = fb[0] | fb[1] | fb[2] | fb[3]
                flags_b = [x for x in fb if x]
                single = len(flags_b) == 1
                h_lo = -(-lo_area // w)
                h_hi = min(H, hi_area // w)
                out = hw.get(w)
                tops = self._tops(a, w)
                work += len(tops)  # a step for each height of a at w
                for ha, nt, fs in tops:
                    lo, hi = h_lo - ha, h_hi - ha
                    if hi < 1:
                        break  # (heights ascend: every later one has no partner either)
                    if hi < lo:
                        continue
                    win = (1 << (hi + 1)) - (1 << max(lo, 0))
                    part = anyb & win
                    if not part:
                        continue
                    k = part.bit_count()
                    work += k + nt * (k if single else sum((x & win).bit_count() for x in flags_b))
                    if out is None:
                        out = hw[w] = [0, 0, 0, 0]
                    for f in fs:
                        out[f] |= part << ha
        # a | b: per pair of widths, the heights both tile within the areas (h × (wa + wb) between
        # them), one bit set for all heights at once
        partners = 0
        for wa, fa in bw_a.items():
            any_a = fa[0] | fa[1] | fa[2] | fa[3]
            # a step for each height of a at wa that b tiles at some width (_Solver loops over them)
            partners += (any_a & heights_b).bit_count()
            for wb, fb in bw_b.items():
                w = wa + wb
                if w > W:
                    continue
                h_min = max(-(-lo_area // w), 1)
                h_max = min(H, hi_area // w)
                if h_max < h_min:
                    continue
                rng = (1 << (h_max + 1)) - (1 << h_min)
                common = any_a & (fb[0] | fb[1] | fb[2] | fb[3]) & rng
                if not common:
                    continue
                partners += common.bit_count()
                right = ((fb[0] | fb[2]) & rng, (fb[1] | fb[3]) & rng)  # b's heights by its top-right corner
                out = hw.get(w)
                if out is None:
                    out = hw[w] = [0, 0, 0, 0]
                for f in range(4):
                    x = fa[f] & common
                    if not x:
                        continue
                    for g in range(4):
                        y = fb[g] & x
                        if y:
                            work += y.bit_count()
                    tl = f >> 1
                    for tr in (0, 1):
                        got = right[tr] & x
                        if got:
                            out[tl << 1 | tr] |= got
        sv.work += work + partners
        return True


def _offer(out: dict, key, cost: float, tree) -> None:
    old = out.get(key)
    if old is None or cost < old[0] - 1e-9:
        out[key] = (cost, tree)


def _cheapest(options) -> tuple[Option, ...]:
    """One option per module size, the cheapest: once the headline sizes allowed in a run are
    chosen, the others of the same size can only score worse (the rest of a tiling does not
    depend on which option filled a module)."""
    best: dict[tuple[int, int], Option] = {}
    for o in options:
        old = best.get((o.cols, o.lines))
        if old is None or o.cost < old.cost:
            best[(o.cols, o.lines)] = o
    return tuple(best.values())



@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while a search builds its many small tables: they
    hold no cycles (reference counting frees them), yet the objects they keep alive made the
    collector sweep the whole heap again and again, a half to two thirds of a page's search time.
    It is switched back on (if it was on) on the way out, with what the search left alive (the
    plan, the text setter's newly composed lines) put with the old objects unswept: switched on
    as they were, the first allocation would sweep them all at once, a sixth of a page's time."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()  # every tracked object aside (an O(1) move, no sweep) ...
            gc.enable()
            gc.unfreeze()  # ... and back, among the oldest, which are swept least often


def optimise(problem: Problem, keep: int = 3, budget: list[int] | None = None, chain_runs: int = 0,
             seen: dict | None = None) -> list[Solution]:
    """The best layouts, best first: one per headline size of the lead (the largest headline on
    the page is always the lead's), at most `keep`. Headline sizes never grow down the page's list
    (see _Chain). Raises OverBudget when the search would take more than WORK_LIMIT steps (or what
    is left of `budget`, a one-item list that the search counts down, shared by the passes of a
    page) before finding any layout. `chain_runs`: searches a run may make to keep the sizes in
    order (CHAIN_RUNS unless given; 1: the best layout's later headlines held, not searched again).
    `seen`: the runs already searched for this page (see _search), kept by the caller between its
    searches; the answer is the same with or without it."""
    lead = next((i for i, pc in enumerate(problem.pieces) if pc.rank == 0), None)
    sizes: list[float] = [0.0]
    if lead is not None:
        # A pinned lead offers its one module, with its headline's size when the caller knows it
        # (0: unknown, and the others are not held under it).
        sizes = sorted({o.head_size for o in problem.pieces[lead].options}, reverse=True)
    with gc_paused():
        found = _best_runs(problem, lead, sizes, keep, budget if budget is not None else [WORK_LIMIT],
                           chain_runs or CHAIN_RUNS, {} if seen is None else seen)
    found.sort(key=lambda s: s.score.total)
    return found[:keep]


def _run(problem: Problem, lead: int | None, size: float, caps: dict[int, float], floors: dict[int, float]
         ) -> Problem:
    """The problem of one run: the lead at headline size `size`, every other free story at most
    that (and at most its cap in `caps`, more than its floor in `floors`), one option per module
    size (_cheapest)."""
    if lead is None:
        return problem
    limit = size if size > 0 or problem.pieces[lead].pinned is None else float("inf")
    pieces = []
    for i, pc in enumerate(problem.pieces):
        if i == lead:
            opts = pc.options if pc.pinned else _cheapest(o for o in pc.options if o.head_size == size)
        elif pc.rank > 0 and pc.pinned is None:
            cap = min(limit, caps.get(i, INF))
            low = floors.get(i, -INF)
            opts = _cheapest(o for o in pc.options if low + 1e-6 < o.head_size <= cap + 1e-6)
        else:
            opts = pc.options
        pieces.append(replace(pc, options=opts))
    return replace(problem, pieces=tuple(pieces))


CHAIN_RUNS = 4  # searches a run may make to keep headline sizes in the list's order (see _Chain)
# HELD (estimate): a headline held under an earlier one's in a module not measured at that size
# (_Chain.hold), priced like a tombstone, so that a layout measured as it is set wins where there is
# one; measured, the held block keeps its module's depth (estimate.option_at's `pad`) at that price


class _Chain:
    """Importance in headline sizes (issue 13): no story's headline is larger than that of a story
    listed before it (continuations, whose headline is their own small size, aside). The cuts of
    the programme cannot see this (it ties stories anywhere on the page), so a run's best layout
    is checked, and where a story's headline is larger than an earlier one's, the run is searched
    again both ways, branch and bound: the later story (and every story after it) held to the
    earlier one's size, or the earlier one set larger than it was. Held-down first (usually the
    cheaper change), so the first layout found keeps the order; at most CHAIN_RUNS searches a run,
    each bounded by the best layout so far that keeps it. A pinned story cannot change its module:
    it is held under the earlier sizes when set (plan.decisions), and not branched on."""

    def __init__(self, problem: Problem):
        self.p = problem
        ordered = any(pc.order >= 0 for pc in problem.pieces)
        self.chain = sorted((i for i, pc in enumerate(problem.pieces) if pc.rank >= 0 and not pc.continued),
                            key=lambda i: problem.pieces[i].order if ordered else problem.pieces[i].rank)

    def broken(self, tree: Tree) -> tuple[int, int, float, float] | None:
        """(earlier, later, the earlier's size, the later's size) of the first story whose headline
        is larger than the smallest listed before it; None when the order is kept."""
        size = {p.item: p.option.head_size for p in placements(tree)}
        low, low_at = INF, -1
        for i in self.chain:
            s = size.get(i, 0.0)
            if s <= 0:
                continue  # no headline (or a pinned one's size not known)
            if s > low + 1e-6:
                if self.p.pieces[i].pinned is None:
                    return low_at, i, low, s
                s = low  # a pinned story's headline is held under it when set
            if s < low:
                low, low_at = s, i
        return None

    def hold(self, tree: Tree) -> Tree:
        """The tree with each story whose headline is larger than an earlier one's held to the
        smallest earlier size: the cheapest option of its module at that size or smaller where the
        story offers one, else its option fitted from that size at HELD more (pagination sets the
        headline from it down; its body then has the same room or more, what verify reports if short). For a run
        whose searches again found no layout that keeps the order by themselves."""
        leaves = {p.item: p.option for p in placements(tree)}
        chosen: dict[int, Option] = {}
        low = INF
        for i in self.chain:
            o = leaves.get(i)
            if o is None or o.head_size <= 0:
                continue
            if o.head_size > low + 1e-6 and self.p.pieces[i].pinned is None:
                # the largest headline its module offers at that size or smaller (the later ones
                # are held under it in turn), else its option fitted from that size
                same = [x for x in self.p.pieces[i].options
                        if (x.cols, x.lines, x.notch) == (o.cols, o.lines, o.notch) and 0 < x.head_size <= low + 1e-6]
                o = chosen[i] = (min(same, key=lambda x: (-x.head_size, x.cost)) if same
                                 else replace(o, head_size=low, head_start=low, cost=o.cost + HELD))
            low = min(low, o.head_size)
        return map_leaves(tree, lambda t: Leaf(t.item, chosen[t.item]) if t.item in chosen else t)

    def held(self, caps: dict[int, float], later: int, size: float) -> dict[int, float]:
        """`caps` with the story `later` and every free story listed after it held to `size`."""
        out = dict(caps)
        k = self.chain.index(later)
        for i in self.chain[k:]:
            if self.p.pieces[i].pinned is None:
                out[i] = min(out.get(i, INF), size)
        return out


def map_leaves(tree: Tree, change) -> Tree:
    """The tree with each leaf replaced by change(leaf) (the same tree where none changes)."""
    if isinstance(tree, Leaf):
        return change(tree)
    first, second = map_leaves(tree.first, change), map_leaves(tree.second, change)
    return tree if first is tree.first and second is tree.second else replace(tree, first=first, second=second)


def held_leaves(problem: Problem, tree: Tree) -> list[Leaf]:
    """The leaves whose headline _Chain.hold held in a module the story was not measured at with it
    (an option the piece does not offer): the caller measures them (plan.py, estimate.option_at)."""
    out: list[Leaf] = []

    def look(t: Leaf) -> Leaf:
        if t.option.head_start is not None and t.option not in problem.pieces[t.item].options:
            out.append(t)
        return t

    map_leaves(tree, look)
    return out


def _search(run: Problem, bound: float, budget: list[int], seen: dict) -> tuple[float, Tree] | None:
    """The best tiling of one run cheaper than `bound`, or None; its steps taken from `budget`
    (OverBudget, the budget then spent, when it would take more).

    `seen`: (run, bound) → (answer, steps) of the page's searches so far. A page whose held
    headlines are measured is searched again (plan._held_searched) with a few more options, and
    most of that search's runs are the first search's very runs (the same options once each
    run's sizes are chosen, the same bound): they are answered from `seen`, with the steps they
    took taken from the budget as the search would take them. The answer and the steps are a
    function of the run and the bound alone, so a run whose steps fit what is left of the budget
    answers exactly what searching it again would (one that does not fit is searched: it goes
    over where it did)."""
    if any(not pc.options for pc in run.pieces if pc.pinned is None):
        return None
    key = (run, bound)
    hit = seen.get(key)
    if hit is not None and hit[1] <= budget[0]:
        budget[0] -= hit[1]
        return hit[0]
    before = budget[0]
    got = _searched(run, bound, budget)
    seen[key] = (got, before - budget[0])
    return got


def _searched(run: Problem, bound: float, budget: list[int]) -> tuple[float, Tree] | None:
    """_search without `seen`."""
    solver = _Solver(run, bound, budget[0])
    if bound == float("inf"):
        # Counted first from the sizes alone (_DryRun, a fraction of the time): a run that
        # would go over the budget, or on a page without pinned items find nothing, is not made.
        dry = _Solver(run, bound, budget[0])
        told = _DryRun(dry).run()
        if told == _DryRun.OVER:
            budget[0] = 0
            raise OverBudget(dry.work)
        if told == _DryRun.NONE:
            budget[0] -= dry.work
            return None
    try:
        best = solver.solve()
    except OverBudget:
        budget[0] = 0
        raise
    budget[0] -= solver.work
    return best[0] if best else None


def _best_runs(problem: Problem, lead: int | None, sizes: list[float], keep: int, budget: list[int],
               chain_runs: int, seen: dict) -> list[Solution]:
    found: list[Solution] = []
    chain = _Chain(problem)
    for size in sizes:
        # Once `keep` layouts are found, a run need only look for one better than the worst of them.
        totals = sorted(s.score.total for s in found)
        bound = totals[keep - 1] + 1e-6 if len(totals) >= keep else float("inf")
        best: tuple[float, Tree] | None = None
        broke: tuple[float, Tree] | None = None  # the cheapest layout found that breaks the order
        todo: list[tuple[dict[int, float], dict[int, float]]] = [({}, {})]
        searches = 0
        over = False
        while todo and searches < chain_runs:
            caps, floors = todo.pop()
            searches += 1
            try:
                got = _search(_run(problem, lead, size, caps, floors), min(bound, best[0] + 1e-6) if best else bound,
                              budget, seen)
            except OverBudget:
                if found or best or broke:
                    over = True  # the runs so far stand (the same ones on every machine)
                    break
                raise
            if got is None:
                continue
            broken = chain.broken(got[1])
            if broken is None:
                if best is None or got[0] < best[0] - 1e-9:
                    best = got
                continue
            if broke is None or got[0] < broke[0] - 1e-9:
                broke = got
            early, late, low, _ = broken
            if problem.pieces[early].pinned is None and problem.pieces[early].rank != 0:
                todo.append((caps, {**floors, early: max(floors.get(early, -INF), low)}))  # set larger
            todo.append((chain.held(caps, late, low), floors))  # held under: looked at first
        if best is None and broke is not None:
            best = (broke[0], chain.hold(broke[1]))
        if best is not None:
            cost, tree = best
            found.append(Solution(tree, score_tree(tree, [pc.rank for pc in problem.pieces],
                                                   lambda i: problem.pieces[i].headline, problem.top), size))
        if over:
            break
    return found
