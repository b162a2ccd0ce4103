"""The optimiser on small synthetic pages: its optimum equals an exhaustive search over every
guillotine tree, and the rules hold (lead on top, ads on the foot, pinned items kept, no overlap)."""

from __future__ import annotations

import random

import pytest

from layout.autolayout.estimate import Option
from layout.autolayout.score import TOMBSTONE, Cut, Leaf, placements, score_tree
from layout.autolayout.search import Piece, Problem, optimise


def story(name: str, rank: int, sizes, head: float = 0.0) -> Piece:
    return Piece(name, tuple(Option(c, h, cost, head_size=head or 10.0 * c) for c, h, cost in sizes), rank)


def ad(name: str, cols: int, lines: int) -> Piece:
    return Piece(name, (Option(cols, lines, 0.0),), ad=True)


def exhaustive(problem: Problem):
    """Every guillotine tree that tiles the page exactly, checked rule by rule at each cut."""
    pieces = problem.pieces
    free = [i for i, p in enumerate(pieces) if p.pinned is None]

    def tilings(w: int, h: int, items: frozenset):
        if len(items) == 1:
            (i,) = items
            for o in pieces[i].options:
                if (o.cols, o.lines) == (w, h):
                    yield Leaf(i, o)
            return
        members = sorted(items)
        for mask in range(1, (1 << len(members)) - 1):
            a = frozenset(m for k, m in enumerate(members) if mask >> k & 1)
            b = items - a
            for c in range(1, w):
                for ta in tilings(c, h, a):
                    for tb in tilings(w - c, h, b):
                        yield Cut("v", c, ta, tb)
            lead_below = any(pieces[i].rank == 0 for i in b)
            ad_over = any(pieces[i].ad for i in a) and not all(pieces[i].ad for i in b)
            if lead_below or ad_over:
                continue
            for k in range(1, h):
                for ta in tilings(w, k, a):
                    for tb in tilings(w, h - k, b):
                        yield Cut("h", k, ta, tb)

    best = None
    lead = next(i for i, p in enumerate(pieces) if p.rank == 0)
    for tree in tilings(problem.cols, problem.height, frozenset(free)):
        places = placements(tree, 1, problem.top)
        lead_size = next(p.option.head_size for p in places if p.item == lead)
        if any(p.option.head_size > lead_size for p in places if pieces[p.item].rank > 0):
            continue
        # no later story's headline larger than an earlier one's (issue 13)
        sizes = [p.option.head_size for p in sorted(places, key=lambda p: pieces[p.item].rank) if pieces[p.item].rank >= 0]
        if any(b > a + 1e-9 for k, b in enumerate(sizes) for a in sizes[:k]):
            continue
        s = score_tree(tree, [p.rank for p in pieces], lambda i: pieces[i].headline, problem.top).total
        best = s if best is None else min(best, s)
    return best


def _cut(rng: random.Random, w: int, h: int, parts: int) -> list[tuple[int, int]]:
    """Sizes of a random guillotine partition of a w × h rectangle into up to `parts` pieces."""
    if parts <= 1 or (w < 2 and h < 2):
        return [(w, h)]
    k = rng.randint(1, parts - 1)
    if (rng.random() < 0.5 and w >= 2) or h < 2:
        c = rng.randint(1, w - 1)
        return _cut(rng, c, h, k) + _cut(rng, w - c, h, parts - k)
    c = rng.randint(1, h - 1)
    return _cut(rng, w, c, k) + _cut(rng, w, h - c, parts - k)


def random_problem(seed: int) -> Problem:
    """A small page whose pieces can tile it at least one way (often several), plus decoys."""
    rng = random.Random(seed)
    cols, lines = rng.choice([(3, 6), (4, 6), (4, 5), (3, 8)])
    sizes = _cut(rng, cols, lines, rng.choice([3, 4]))
    rng.shuffle(sizes)
    pieces = []
    for r, (c, h) in enumerate(sizes):
        extra = {(rng.randint(1, cols), rng.randint(1, lines)) for _ in range(rng.randint(1, 4))}
        opts = sorted(extra | {(c, h)})
        if r == len(sizes) - 1 and r >= 2 and rng.random() < 0.4:
            pieces.append(ad("ad", c, h))  # a booked ad: one size
            continue
        pieces.append(story(f"s{r}", r, [(oc, oh, round(rng.random() * 4, 2)) for oc, oh in opts]))
    return Problem(cols, 1, lines, tuple(pieces))


@pytest.mark.parametrize("seed", range(60))
def test_optimum_equals_exhaustive_search(seed):
    problem = random_problem(seed)
    expect = exhaustive(problem)
    found = optimise(problem, keep=1)
    if expect is None:
        # none keeps the headline sizes in order by its options alone: a layout found holds one
        for sol in found:
            assert any(p.option not in problem.pieces[p.item].options for p in placements(sol.tree, 1, 1))
    else:
        assert found, "the exhaustive search found a layout"
        if any(p.option not in problem.pieces[p.item].options for p in placements(found[0].tree, 1, 1)):
            # a headline held under an earlier one's where the run's searches (at most
            # search.CHAIN_RUNS) found no layout that keeps the order by its options alone
            assert found[0].score.total >= expect - 1e-6
        else:
            assert found[0].score.total == pytest.approx(expect)


def test_some_random_pages_have_layouts():
    # The comparison above is not vacuous: most of its pages can be laid out.
    assert sum(exhaustive(random_problem(s)) is not None for s in range(60)) >= 30


def _no_overlap_and_filled(problem: Problem, places) -> None:
    cells = {}
    for p in places:
        for c in range(p.col, p.col + p.cols):
            for line in range(p.line, p.line + p.lines):
                assert (c, line) not in cells, f"{p.item} overlaps {cells[(c, line)]}"
                cells[(c, line)] = p.item
    assert len(cells) == problem.cols * problem.height
    assert all(1 <= c <= problem.cols and problem.top <= line <= problem.bottom for c, line in cells)


def test_lead_on_top_with_largest_headline_and_ads_on_the_foot():
    # A 4 × 10 page: lead 2 or 4 columns wide, two other stories and a 2 × 3 ad.
    pieces = (
        story("lead", 0, [(2, 7, 0.0), (4, 4, 0.0)]),
        story("second", 1, [(2, 7, 0.0), (2, 3, 1.0), (4, 3, 0.0)]),
        story("third", 2, [(2, 3, 0.0), (2, 6, 0.0)]),
        ad("ad", 2, 3),
    )
    problem = Problem(4, 1, 10, pieces)
    sol = optimise(problem)[0]
    places = {p.item: p for p in placements(sol.tree, 1, 1)}
    _no_overlap_and_filled(problem, places.values())
    assert places[0].line == 1
    assert all(p.option.head_size <= places[0].option.head_size for p in places.values())
    assert places[3].line + places[3].lines - 1 == 10


def test_masthead_page_starts_below_the_masthead():
    pieces = (story("lead", 0, [(4, 3, 0.0)]), story("b", 1, [(4, 2, 0.0), (2, 2, 0.0)]))
    problem = Problem(4, 13, 17, pieces)
    places = placements(optimise(problem)[0].tree, 1, 13)
    assert sorted((p.item, p.line) for p in places) == [(0, 13), (1, 16)]


def test_pinned_items_never_move():
    pinned = Piece("pinned ad", (Option(2, 4, 0.0),), ad=True, pinned=(3, 7, 2, 4))
    pieces = (
        story("lead", 0, [(4, 3, 0.0), (2, 6, 0.0)]),
        story("b", 1, [(2, 3, 0.0), (2, 4, 0.0), (1, 4, 0.0)]),
        story("c", 2, [(2, 7, 0.0), (2, 3, 0.0)]),
        pinned,
    )
    problem = Problem(4, 1, 10, pieces)
    sols = optimise(problem)
    assert sols
    for sol in sols:
        places = placements(sol.tree, 1, 1)
        _no_overlap_and_filled(problem, places)
        p = next(p for p in places if p.item == 3)
        assert (p.col, p.line, p.cols, p.lines) == (3, 7, 2, 4)


def test_tombstones_cost_and_are_avoided_when_possible():
    # Two 2-column stories can stand side by side (tombstone) or one over the other.
    pieces = (story("a", 0, [(2, 5, 0.0), (4, 5, 0.0)], head=20), story("b", 1, [(2, 5, 0.0), (4, 5, 0.0)], head=20))
    sol = optimise(Problem(4, 1, 10, pieces))[0]
    assert sol.score.tombstones == 0
    sol = optimise(Problem(4, 1, 5, (story("a", 0, [(2, 5, 0.0)]), story("b", 1, [(2, 5, 0.0)]))))[0]
    assert sol.score.tombstones == 1 and sol.score.total >= TOMBSTONE


def test_no_layout_when_areas_cannot_fill_the_page():
    assert optimise(Problem(4, 1, 10, (story("a", 0, [(4, 3, 0.0)]), story("b", 1, [(4, 3, 0.0)])))) == []


def test_runs_searched_before_are_answered_from_seen(monkeypatch):
    """A page searched again (plan._held_searched: a few options more, most runs the same) answers
    the runs it made before from `seen` (search._search): the same layouts, the same steps taken
    from the budget, no search made; a run whose steps no longer fit the budget is searched and
    goes over as it would."""
    import layout.autolayout.search as search

    made = []
    real = search._searched
    monkeypatch.setattr(search, "_searched", lambda run, bound, budget: made.append(run) or real(run, bound, budget))
    problems = [random_problem(seed) for seed in range(12)]
    problems.append(Problem(6, 1, 10, (story("lead", 0, [(6, 4, 0.0)], head=60.0), story("second", 1, [(2, 6, 0.0)]),
                                       story("third", 2, [(4, 6, 0.0)]))))  # held: its runs searched again
    for problem in problems:
        seen: dict = {}
        first, second, alone = [search.WORK_LIMIT], [search.WORK_LIMIT], [search.WORK_LIMIT]
        want = optimise(problem, 3, alone)
        made.clear()
        assert optimise(problem, 3, first, seen=seen) == want and first == alone
        assert made
        made.clear()
        assert optimise(problem, 3, second, seen=seen) == want and second == alone
        assert not made
        # short of a step: the runs that no longer fit are searched, and the search stops where
        # it would (here, with the runs before it standing)
        spent = search.WORK_LIMIT - alone[0]
        assert _answer(problem, [spent - 1], seen=seen) == _answer(problem, [spent - 1])


def _answer(problem: Problem, budget: list[int], **kw) -> tuple:
    from layout.autolayout.search import OverBudget

    try:
        return optimise(problem, 3, budget, **kw), budget[0]
    except OverBudget:
        return "over", budget[0]
