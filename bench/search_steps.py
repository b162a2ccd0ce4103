"""Search steps of each page's plan: per run of the optimiser (one per headline size of the lead,
per pass), the steps it took, whether it found a layout, and the page's steps in all; for the
chosen layout, the page's step count when the run that found it ended (what a smaller budget
would have to allow to keep the plan as it is).

    LAYOUT_CACHE=off python bench/search_steps.py [--generated N] [--seed S]

The same pages as bench/plan_compare.py (the sample's inside pages, then N generated ones)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from autolayout import generated_specs  # noqa: E402

from layout.autolayout import search  # noqa: E402
from layout.autolayout.plan import needs_layout, plan_page  # noqa: E402
from layout.build import prepare  # noqa: E402
from layout.model import load_edition  # noqa: E402
from layout.paginate.typeset import TextSetter  # noqa: E402

RUNS: list[tuple[int, bool, int]] = []  # (steps, found a layout, pieces) of each run of this page


class _Counted(search._Solver):
    def solve(self):
        try:
            out = super().solve()
        except search.OverBudget:
            RUNS.append((self.work, False, len(self.p.pieces)))
            raise
        RUNS.append((self.work, bool(out), len(self.p.pieces)))
        return out


def report(name: str, plan, cpu: float) -> None:
    total = sum(w for w, _, _ in RUNS)
    # the step count at the end of the last run that found a layout (the plan keeps the best of
    # the runs; the runs after the last success only confirmed it)
    upto, found_at = 0, None
    for w, ok, _ in RUNS:
        upto += w
        if ok:
            found_at = upto
    runs = " ".join(f"{w}{'+' if ok else '-'}" for w, ok, _ in RUNS)
    print(f"{name:14} pass {plan.level} cpu {cpu:6.3f} steps {total:8} chosen-at {found_at or '-':>8}  runs {runs}",
          flush=True)
    RUNS.clear()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--generated", type=int, default=30)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    search._Solver = _Counted
    sys.path.insert(0, str(ROOT / "tests" / "autolayout"))
    import pagegen

    path = ROOT / "editions" / "sample.yaml"
    prep = prepare(path)
    roots = [(path.parent / r).resolve() for r in prep.template.asset_roots]
    edition = load_edition(path, asset_roots=roots, page_count=prep.template.pages,
                           grid=(prep.template.grid.columns, prep.template.grid.lines))
    RUNS.clear()  # (prepare planned nothing with the cache off, but to be sure)
    for page in edition.pages:
        if needs_layout(page):
            ctx = dataclasses.replace(prep.ctx, setter=TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style))
            c = time.process_time()
            plan = plan_page(ctx, edition, page)
            report(f"sample {page.id}", plan, time.process_time() - c)
    for k, spec in enumerate(generated_specs(args.generated, args.seed)):
        with tempfile.TemporaryDirectory() as tmp:
            ctx, written = pagegen.context(prep, pagegen.generated(Path(tmp), *spec))
            ctx = dataclasses.replace(ctx, setter=TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style))
            c = time.process_time()
            plan = plan_page(ctx, written, written.page("A02"))
            report(f"generated {k + 1}", plan, time.process_time() - c)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
