"""A page's search (search.optimise) kept in the build cache by its problem, so that a page
re-planned after an edit that left every item's options as they were (a sub-editor's corrected
character: the story's modules, costs and feet measure the same) is not searched again: its
layouts are those the earlier search found (issue 18; the search is most of what is left of such
a page's plan once its stories' options come from layout/autolayout/optcache.py).

The search is a function of its arguments alone: the problem (the grid's columns and live lines,
and each piece's name, rank, pinned module and options, every number as measured), how many
layouts to keep, and the steps left of the page's budget (counted in steps, not seconds: the same
on any machine). So those, spelled out, are the key, with the engine's source (layout.cache); the
value is the layouts found and the steps left after, or that the search went over its budget.
An entry is checked on read: every leaf an item of the problem in one of that item's options (or
one of them with its headline held, as the search holds it: _offered), each layout's score what
its tree scores, the steps left no more than before."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

from layout.autolayout.estimate import Option
from layout.autolayout.score import Breakdown, Cut, Leaf, score_tree
from layout.autolayout.search import HELD, OverBudget, Problem, Solution

KIND = "searches"
OVER = "over"  # the value's first field when the search went over its budget


def search_key(problem: Problem, keep: int, steps: int, chain_runs: int = 0) -> str | None:
    """The digest of what the search depends on, or None when the problem has a value without a
    stable spelling (then it is searched, not kept)."""
    text = repr((problem, keep, steps, chain_runs))
    if " object at 0x" in text:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tree_ok(tree, problem: Problem) -> bool:
    if isinstance(tree, Leaf):
        return (type(tree.item) is int and 0 <= tree.item < len(problem.pieces)
                and _offered(tree.option, problem.pieces[tree.item].options))
    return (isinstance(tree, Cut) and tree.kind in ("v", "h") and type(tree.at) is int
            and _tree_ok(tree.first, problem) and _tree_ok(tree.second, problem))


def _offered(option: Option, options: tuple[Option, ...]) -> bool:
    """One of the piece's options, or one of them with its headline held under an earlier story's
    as the search holds it (search._Chain.hold: the size set down, HELD added to the cost). Such
    layouts are what a page whose headlines the search held finds: refused, they were searched
    again on every build (issue 13's order of headline sizes)."""
    if option in options:
        return True
    if option.head_start is None or option.head_start != option.head_size:
        return False
    return any(replace(o, head_size=option.head_size, head_start=option.head_start, cost=o.cost + HELD) == option
               for o in options if o.cols == option.cols and o.lines == option.lines)


def _checked(value, problem: Problem, steps: int):
    """(solutions or OVER, steps left) read back, or a ValueError."""
    if not (isinstance(value, tuple) and len(value) == 2 and type(value[1]) is int and 0 <= value[1] <= steps):
        raise ValueError("not a kept search")
    found, left = value
    if found == OVER:
        return value
    if not isinstance(found, list):
        raise ValueError("not a list of layouts")
    ranks = [pc.rank for pc in problem.pieces]
    for s in found:
        if not (type(s) is Solution and s.places is None and type(s.lead_head) in (int, float)
                and type(s.score) is Breakdown and _tree_ok(s.tree, problem)):
            raise ValueError("not a layout of this page")
        if score_tree(s.tree, ranks, lambda i: problem.pieces[i].headline, problem.top) != s.score:
            raise ValueError("a layout's score is not what its tree scores")
    return value


def kept_search(search: Callable[..., list[Solution]], problem: Problem, keep: int,
                budget: list[int], chain_runs: int = 0, seen: dict | None = None) -> list[Solution]:
    """search(problem, keep, budget, chain_runs=…, seen=…), from the build cache ($LAYOUT_CACHE/searches)
    when this problem was searched so with these steps left; `budget` is counted down as the search
    would count it, and OverBudget raised where it would raise it. `seen` (the runs the page's
    searches made so far, search._search) changes no answer, so it is not part of the key."""
    from layout.cache import ObjectCache

    store = ObjectCache.default(KIND)
    steps = budget[0]
    key = search_key(problem, keep, steps, chain_runs) if store is not None else None
    if key is not None:
        hit = store.load(key, check=lambda v: _checked(v, problem, steps))
        if hit is not None:
            found, budget[0] = hit
            if found == OVER:
                raise OverBudget(steps - budget[0])
            return list(found)
    try:
        found = search(problem, keep, budget, chain_runs=chain_runs, **({} if seen is None else {"seen": seen}))
    except OverBudget:
        if key is not None:
            store.store(key, (OVER, budget[0]))
        raise
    if key is not None:
        store.store(key, (list(found), budget[0]))
    return found
