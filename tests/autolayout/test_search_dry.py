"""The dry run of the optimiser (search._DryRun) counts the very steps the real programme counts
before it is bounded by a layout found (with pinned items, their region recursion too), and tells
the same: over budget or not, a layout or none.
It decides whether a run is made at all, so any difference would change plans."""

from __future__ import annotations

import random

import pytest
from test_search import random_problem

from layout.autolayout.estimate import Option
from layout.autolayout.search import OverBudget, Piece, Problem, _DryRun, _Solver

INF = float("inf")


def pinned_problem(seed: int) -> Problem:
    """A random page of test_search with one piece pinned at a random place inside it, and ads."""
    rng = random.Random(1000 + seed)
    base = random_problem(seed)
    pieces = list(base.pieces)
    k = rng.randrange(len(pieces))
    w, h = rng.randint(1, base.cols), rng.randint(1, base.height)
    col, line = rng.randint(1, base.cols - w + 1), rng.randint(base.top, base.bottom - h + 1)
    pc = pieces[k]
    pieces[k] = Piece(pc.name, (Option(w, h, 0.0, head_size=pc.options[0].head_size),), pc.rank, pc.ad,
                      (col, line, w, h), pc.order)
    return Problem(base.cols, base.top, base.bottom, tuple(pieces))


def ordered_problem(seed: int) -> Problem:
    """A random page with the stories' listed order shuffled and a foot ad added: the importance
    and foot rules prune the combinations."""
    rng = random.Random(2000 + seed)
    base = random_problem(seed)
    pieces = list(base.pieces)
    orders = list(range(len(pieces)))
    rng.shuffle(orders)
    pieces = [Piece(pc.name, pc.options, pc.rank, pc.ad, None, orders[i] if pc.rank >= 0 else -1)
              for i, pc in enumerate(pieces)]
    pieces.append(Piece("foot", (Option(base.cols, 1, 0.0), Option(1, 2, 1.0)), ad=True))
    return Problem(base.cols, base.top, base.bottom + 1, tuple(pieces))


PROBLEMS = [random_problem(s) for s in range(40)] + [pinned_problem(s) for s in range(40)] + \
           [ordered_problem(s) for s in range(40)]


def _real(problem: Problem, limit: int) -> tuple[int, bool]:
    """(steps of the programme, whether the page has a layout). With pinned items the whole
    programme: its first part, then the pinned items' region recursion."""
    solver = _Solver(problem, INF, limit)
    if solver.pins:
        found = solver.solve()
        return solver.work, bool(found)
    solver.build()
    sh = solver.shapes.get(solver.full)
    return solver.work, bool(sh and any(w == problem.cols and h == problem.height for w, h, _, _ in sh.best))


@pytest.mark.parametrize("k", range(len(PROBLEMS)))
def test_dry_run_counts_the_same_steps_and_tells_the_same(k):
    problem = PROBLEMS[k]
    work, has = _real(problem, 1 << 40)
    dry = _Solver(problem, INF, 1 << 40)
    told = _DryRun(dry).run()
    assert dry.work == work
    assert told == (_DryRun.SOME if has else _DryRun.NONE)
    # at every budget around the steps it takes, over budget exactly when the programme is
    for limit in sorted({0, 1, work // 3, work // 2, work - 5, work - 1, work, work + 1} - {-1, -5}):
        if limit < 0:
            continue
        try:
            _real(problem, limit)
            over = False
        except OverBudget:
            over = True
        dry = _Solver(problem, INF, limit)
        assert (_DryRun(dry).run() == _DryRun.OVER) == over, limit


def test_the_comparison_is_not_vacuous():
    # pages with layouts and without, pinned and not, and with steps enough to matter
    told = [_DryRun(_Solver(p, INF, 1 << 40)).run() for p in PROBLEMS]
    pinned = [t for p, t in zip(PROBLEMS, told, strict=True) if any(pc.pinned for pc in p.pieces)]
    assert told.count(_DryRun.SOME) >= 10 and told.count(_DryRun.NONE) >= 3 and len(pinned) >= 20
    assert pinned.count(_DryRun.SOME) >= 5 and pinned.count(_DryRun.NONE) >= 3
