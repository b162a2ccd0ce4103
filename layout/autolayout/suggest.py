"""`layout suggest`: the best few layouts of one page, each with its score, what it traded and a
text proof of the page (one letter per item, one row per three grid lines); `write_proofs` adds
rendered proofs of the real page and an index.html (layout.autolayout.alternatives)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from layout.autolayout.plan import PagePlan, _fallback, measure_held, plan_page, problem_for
from layout.autolayout.score import Leaf, Tree
from layout.autolayout.search import WORK_LIMIT, OverBudget, Solution, optimise

ROW_LINES = 3  # grid lines per row of the text proof
SEARCHES = 4 * 3  # searches for other cuts a suggestion may make (about a third of a second each)


def text_proof(plan: PagePlan, index: int) -> list[str]:
    sol = plan.solutions[index]
    p = plan.problem
    rows = -(-p.height // ROW_LINES)
    grid = [["."] * p.cols for _ in range(rows)]
    for pl in plan.placements(sol):
        mark = chr(ord("A") + pl.item)
        notch = pl.option.notch  # an L-shaped module's cut-out corner is another item's
        for line in range(pl.line, pl.line + pl.lines):
            r = (line - p.top) // ROW_LINES
            for c in range(pl.col - 1, pl.col - 1 + pl.cols):
                if notch and line >= pl.line + pl.lines - notch[2] and (
                        c - pl.col + 1 < notch[1] if notch[0] == "left" else c - pl.col + 1 >= pl.cols - notch[1]):
                    continue
                grid[r][c] = mark
    return ["".join(row) for row in grid]


def _modules(plan: PagePlan, sol: Solution) -> frozenset:
    return frozenset((p.item, p.col, p.line, p.cols, p.lines) for p in plan.placements(sol))


def _cuts(tree: Tree):
    """A layout's cuts without their sizes: which items stand beside (v) or over (h) which. Two
    layouts with the same cuts differ only in how deep or wide their modules are."""
    if isinstance(tree, Leaf):
        return tree.item
    return (tree.kind, _cuts(tree.first), _cuts(tree.second))


def _structure(plan: PagePlan, sol: Solution):
    """What tells layouts apart for `layout suggest`: the cuts of a guillotine layout; the modules
    of one that is none (the fallback's, an L of the notch pass)."""
    return _cuts(sol.tree) if sol.tree is not None else _modules(plan, sol)


def suggest_plan(ctx, edition, page, n: int) -> tuple[PagePlan, Solution | None]:
    """The page's best layout (the one a build takes) and up to `n - 1` structurally different
    ones, in ascending score: each further layout is the best one whose first free story (the lead,
    unless it is pinned) is set at a width none of the layouts so far gave it and whose cuts (which
    items stand beside or over which, sizes aside: _cuts) none of them has, so the page is cut
    differently, not only set with other headline sizes or module depths. Where that gives fewer than `n`, looser
    layouts (the next pass's) make up the number, so the desk still sees what else the page could
    be and what it would cost. A page with a continuation slot reads its first part's place from
    the build's plan (ctx.edition) when the edition as written leaves it to the engine."""
    plan = plan_page(ctx, edition, page, keep=n)
    chosen = plan.best
    if chosen is None:
        return plan, chosen
    if chosen.tree is None:
        # The fallback's page: its alternative cuts the shared rectangles the other way.
        other = _fallback(ctx, edition, page, dataclasses.replace(plan, solutions=(), gaps=()), {}, flip=True).best
        if n > 1 and other is not None and _modules(plan, other) != _modules(plan, chosen):
            return dataclasses.replace(plan, solutions=(chosen, other)), chosen
        return plan, chosen
    sols = [chosen]
    seen = {_structure(plan, chosen)}
    memos: dict = {}

    def measured(problem, found: list[Solution]) -> list[Solution]:
        # a headline the search held under an earlier one's is measured in its module, as the
        # build's own layout is (plan.measure_held): scores compared as they will print
        return measure_held(ctx, edition, page, problem, plan.item_of, found, memos)

    problem = plan.problem
    if plan.level < 1:
        # Other cuts need other modules: those of pass 1 (the same pieces in the same order).
        looser, item_of, _notes = problem_for(ctx, edition, page, relaxed=1)
        if item_of == plan.item_of:
            problem = looser
    free = sorted((i for i, pc in enumerate(problem.pieces) if pc.pinned is None and pc.rank >= 0),
                  key=lambda i: problem.pieces[i].rank)
    searches = 0
    for target in free:
        tried: set[int] = set()  # widths of the target whose best layout has cuts already offered
        while len(sols) < n and searches < SEARCHES:
            searches += 1
            used = {p.cols for sol in sols for p in plan.placements(sol) if p.item == target} | tried
            opts = tuple(o for o in problem.pieces[target].options if o.cols not in used)
            if not opts:
                break
            pieces = list(problem.pieces)
            pieces[target] = dataclasses.replace(pieces[target], options=opts)
            narrower = dataclasses.replace(problem, pieces=tuple(pieces))
            try:
                more = measured(narrower, optimise(narrower, 1, [WORK_LIMIT]))
            except OverBudget:
                more = []
            if not more:
                break
            if _structure(plan, more[0]) not in seen:
                seen.add(_structure(plan, more[0]))
                sols.append(more[0])
            else:  # the same cuts at another width of the target: its next width is tried
                tried |= {p.cols for p in plan.placements(more[0]) if p.item == target}
        if len(sols) >= n:
            break
    if len(sols) < n and plan.level < 2:
        problem2, item_of, _notes = problem_for(ctx, edition, page, relaxed=plan.level + 1)
        if item_of == plan.item_of:
            # The looser problem has the same pieces in the same order, so its solutions read
            # against the strict problem's pieces.
            try:
                looser = measured(problem2, optimise(problem2, n, [WORK_LIMIT]))
            except OverBudget:
                looser = []
            for sol in looser:
                if len(sols) < n and _structure(plan, sol) not in seen:
                    seen.add(_structure(plan, sol))
                    sols.append(sol)
    sols.sort(key=lambda s: s.score.total)  # the build's own is marked in the report
    return dataclasses.replace(plan, solutions=tuple(sols)), chosen


def report(plan: PagePlan, chosen: Solution | None = None) -> str:
    """The text report; `chosen` (the layout a build takes) is marked when the list has others
    that leave more than one empty line per column."""
    head = f"page {plan.page}: {len(plan.solutions)} layout(s)"
    if plan.relaxed:
        head += " (relaxed: no layout keeps every story within one empty line per column)"
    out = [head]
    for why in plan.problems:
        out.append(f"  cannot place: {why}")
    legend = [f"  {chr(ord('A') + i)} {pc.name}" for i, pc in enumerate(plan.problem.pieces)]
    for n, sol in enumerate(plan.solutions):
        s = sol.score
        out.append(f"\n#{n + 1} score {s.total:.1f} (items {s.items:.1f}, position {s.position:.1f}, "
                   f"tombstones {s.tombstones}); lead headline {sol.lead_head:g} pt; "
                   f"{plan.fill(sol):.1%} of the live area used"
                   + ("; the build's layout" if sol is chosen else ""))
        out.append("  traded: " + ("; ".join(plan.traded(sol)) or "nothing"))
        for pl in plan.placements(sol):
            o = pl.option
            extra = f", photo {o.photo_lines[0]} lines" if o.photo_lines else ""
            notch = ""
            if o.notch:  # an L-shaped module (issue 13): its at: carries the cut-out corner
                notch = f", notch: {{side: {o.notch[0]}, cols: {o.notch[1]}, lines: {o.notch[2]}}}"
            out.append(f"  {chr(ord('A') + pl.item)} {plan.problem.pieces[pl.item].name}: at "
                       f"{{col: {pl.col}, line: {pl.line}, cols: {pl.cols}, lines: {pl.lines}{notch}}}{extra}")
        out += ["    " + row for row in text_proof(plan, n)]
    if plan.solutions:
        out.append("\nlegend:")
        out += legend
    return "\n".join(out)


def write_proofs(prep, edition, page, plan: PagePlan, folder: Path, *, dpi: int = 72,
                 chosen: Solution | None = None) -> Path:
    """Proofs of every alternative of `plan` in `folder` (files of an earlier, longer run removed
    so the folder shows this run only); returns its index.html."""
    from layout.autolayout.alternatives import render_alternatives, write_index

    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("alternative-*"), *folder.glob(".thumbs/alternative-*")]:
        old.unlink()
    alternatives = render_alternatives(prep, edition, page, plan, folder, dpi=dpi, chosen=chosen)
    return write_index(folder, page, plan, alternatives)
