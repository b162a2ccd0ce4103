"""Automatic layout of each inside page of the sample edition: time per page, fill, score, and the
stories left with more than one empty line per column (what AUTOLAYOUT-UNDERSET reports).

    LAYOUT_CACHE=off python bench/autolayout.py [--runs N]

Faces are loaded once (prepare). Each page is planned from the edition as written (no `at`), with
a fresh text setter per run ("cold": every paragraph composed during the plan) and again with the
composer cache warm (as in `layout watch`). plan_page never reads the plan cache; LAYOUT_CACHE=off
keeps prepare() from filling it. Budget: 0.5 s a page."""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layout.autolayout.plan import needs_layout, plan_page  # noqa: E402
from layout.build import prepare  # noqa: E402
from layout.model import load_edition  # noqa: E402
from layout.paginate.typeset import TextSetter  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("edition", nargs="?", default=str(ROOT / "editions" / "sample.yaml"))
    args = ap.parse_args()
    path = Path(args.edition)
    prep = prepare(path)
    roots = [(path.parent / r).resolve() for r in prep.template.asset_roots]
    edition = load_edition(path, asset_roots=roots, page_count=prep.template.pages,
                           grid=(prep.template.grid.columns, prep.template.grid.lines))
    pages = [p for p in edition.pages if needs_layout(p)]
    print(f"{'page':5} {'cold s':>7} {'warm s':>7} {'fill':>7} {'score':>7}  relaxed  traded")
    worst = 0.0
    underset: list[tuple[int, int, str]] = []  # (empty lines, columns, page and story)
    for page in pages:
        cold, warm = [], []
        plan = None
        for _ in range(args.runs):
            setter = TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style)
            ctx = dataclasses.replace(prep.ctx, setter=setter)
            t = time.perf_counter()
            plan_page(ctx, edition, page)
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            plan = plan_page(ctx, edition, page)
            warm.append(time.perf_counter() - t)
        c, w = statistics.median(cold), statistics.median(warm)
        worst = max(worst, c)
        underset += [(p.option.empty_lines, p.option.cols, f"{page.id} {plan.problem.pieces[p.item].name}")
                     for p in plan.placements() if not p.option.valid and not p.option.overset_chars]
        best = plan.best
        score = f"{best.score.total:7.1f}" if best else "      –"
        print(f"{page.id:5} {c:7.3f} {w:7.3f} {plan.fill():7.1%} {score}  {'yes' if plan.relaxed else 'no ':3}      "
              + ("; ".join(plan.traded()) or "nothing"))
    print(f"slowest page (cold, median of {args.runs}): {worst:.3f} s; budget 0.5 s")
    if underset:
        lines, cols, where = max(underset)
        print(f"stories with more than one empty line per column: {len(underset)}; worst {where}: "
              f"{lines} empty lines in {cols} columns")
    else:
        print("stories with more than one empty line per column: 0")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
