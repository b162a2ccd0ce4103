"""`layout suggest`: the best few layouts of one page, each with its score, what it traded and a
text proof of the page (one letter per item, one row per three grid lines); `write_proofs` adds
rendered proofs of the real page and an index.html (layout.autolayout.alternatives)."""

from __future__ import annotations

from pathlib import Path

from layout.autolayout.plan import PagePlan

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


def report(plan: PagePlan) -> str:
    out = [f"page {plan.page}: {len(plan.solutions)} layout(s)"
           + (" (relaxed: no layout keeps every story within one empty line per column)" if plan.relaxed else "")]
    for why in plan.problems:
        out.append(f"  cannot place: {why}")
    legend = [f"  {chr(ord('A') + i)} {pc.name}" for i, pc in enumerate(plan.problem.pieces)]
    for n, sol in enumerate(plan.solutions):
        s = sol.score
        out.append(f"\n#{n + 1} score {s.total:.1f} (items {s.items:.1f}, position {s.position:.1f}, "
                   f"tombstones {s.tombstones}); lead headline {sol.lead_head:g} pt; "
                   f"{plan.fill(sol):.1%} of the live area used")
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


def write_proofs(prep, edition, page, plan: PagePlan, folder: Path, *, dpi: int = 72) -> Path:
    """Proofs of every alternative of `plan` in `folder` (files of an earlier, longer run removed
    so the folder shows this run only); returns its index.html."""
    from layout.autolayout.alternatives import render_alternatives, write_index

    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("alternative-*"), *folder.glob(".thumbs/alternative-*")]:
        old.unlink()
    alternatives = render_alternatives(prep, edition, page, plan, folder, dpi=dpi)
    return write_index(folder, page, plan, alternatives)
