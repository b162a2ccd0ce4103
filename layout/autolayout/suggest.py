"""`layout suggest`: the best few layouts of one page, each with its score, what it traded and a
text proof of the page (one letter per item, one row per three grid lines); `write_proofs` adds
rendered proofs of the real page and an index.html (layout.autolayout.alternatives)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from layout.autolayout.plan import PagePlan, plan_page, problem_for
from layout.autolayout.search import Solution, optimise

ROW_LINES = 3  # grid lines per row of the text proof


def text_proof(plan: PagePlan, index: int) -> list[str]:
    sol = plan.solutions[index]
    p = plan.problem
    rows = -(-p.height // ROW_LINES)
    grid = [["."] * p.cols for _ in range(rows)]
    for pl in plan.placements(sol):
        mark = chr(ord("A") + pl.item)
        for line in range(pl.line, pl.line + pl.lines):
            r = (line - p.top) // ROW_LINES
            for c in range(pl.col - 1, pl.col - 1 + pl.cols):
                grid[r][c] = mark
    return ["".join(row) for row in grid]


def suggest_plan(ctx, edition, page, n: int) -> tuple[PagePlan, Solution | None]:
    """The page's best `n` layouts (best first), and the one a build takes. Where fewer than `n`
    layouts keep every story within one empty line per column, the best looser layouts (other
    headline sizes of the lead) make up the number, so the desk still sees what else the page
    could be and what it would cost."""
    plan = plan_page(ctx, edition, page, keep=n)
    chosen = plan.best
    if plan.relaxed or plan.problems or chosen is None or len(plan.solutions) >= n:
        return plan, chosen
    problem, item_of, notes = problem_for(ctx, edition, page, relaxed=1)
    if notes or item_of != plan.item_of:
        return plan, chosen
    # The looser problem has the same pieces in the same order, so its solutions read against the
    # strict problem's pieces; the optimiser keeps one layout per lead headline size.
    heads = {s.lead_head for s in plan.solutions}
    more = [s for s in optimise(problem, n) if s.lead_head not in heads]
    sols = sorted([*plan.solutions, *more], key=lambda s: s.score.total)[:n]
    if chosen not in sols:  # looser layouts may score better; the build's own stays in the list
        sols = [*sols[:-1], chosen]
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
            out.append(f"  {chr(ord('A') + pl.item)} {plan.problem.pieces[pl.item].name}: at "
                       f"{{col: {pl.col}, line: {pl.line}, cols: {pl.cols}, lines: {pl.lines}}}{extra}")
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
