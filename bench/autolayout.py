"""Automatic layout of each inside page of the sample edition: time per page, fill, score, and the
stories left with more than one empty line per column (what AUTOLAYOUT-UNDERSET reports).

    LAYOUT_CACHE=off python bench/autolayout.py [--runs N]
    LAYOUT_CACHE=off python bench/autolayout.py --generated N [--seed S]

--generated plans N pages drawn as the property tests draw them (tests/autolayout/pagegen.py:
1–7 stories of 150–5 000 characters, 0–3 photos, 0–3 booked ads, pinned or not, with and without a
jump) and prints each page's cold time, its pass and the median (budget: 0.3 s a page); each page
planned --runs times (fresh text setter each), its least time and least CPU time taken (on a
shared machine the least of a few runs is what load blurs least).

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


def generated_specs(count: int, seed: int) -> list[tuple]:
    """The arguments of pagegen.generated for `count` pages drawn from `seed` (the same pages for
    bench/plan_compare.py)."""
    import random

    rng = random.Random(seed)
    sizes = [(2, 20), (2, 26), (3, 15), (4, 12), (8, 10), (5, 25), (6, 10)]
    out = []
    for _ in range(count):
        n = rng.randint(1, 7)
        out.append((n, [rng.randint(150, 5000) for _ in range(n)], rng.sample(range(n), min(n, rng.randint(0, 3))),
                    [rng.choice(sizes) for _ in range(rng.randint(0, 3))], rng.choice(["none", "lead", "ad"]),
                    rng.random() < 0.5, rng.random() < 0.5))
    return out


def generated(prep, count: int, seed: int, runs: int = 1) -> int:
    """Cold plan time of `count` generated pages (a fresh text setter each: every paragraph composed
    during the plan), the least of `runs` plans of each."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests" / "autolayout"))
    import pagegen

    times, cpus = [], []
    print(f"{'page':5} {'cold s':>7} {'cpu s':>7} pass  stories photos ads pin   jump")
    for k, spec in enumerate(generated_specs(count, seed)):
        n = spec[0]
        with tempfile.TemporaryDirectory() as tmp:
            base, written = pagegen.context(prep, pagegen.generated(Path(tmp), *spec))
            wall, cpu = [], []
            for _ in range(max(1, runs)):
                ctx = dataclasses.replace(base, setter=TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style))
                t, c = time.perf_counter(), time.process_time()
                plan = plan_page(ctx, written, written.page("A02"))
                wall.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            times.append(min(wall))
            cpus.append(min(cpu))
        print(f"{k + 1:<5} {times[-1]:7.3f} {cpus[-1]:7.3f} {plan.level:4}  {n:7} {len(spec[2]):6} {len(spec[3]):3} {spec[4]:5} "
              f"{'yes' if spec[5] else 'no'}")
    print(f"each page the least of {max(1, runs)} cold plan(s)")
    print(f"median cold time a page: {statistics.median(times):.3f} s (slowest {max(times):.3f} s); budget 0.3 s")
    # CPU time of this process: what a shared machine does not blur (the budget is wall-clock, idle)
    print(f"median cold CPU time a page: {statistics.median(cpus):.3f} s (slowest {max(cpus):.3f} s)")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--generated", type=int, default=0, help="plan this many generated pages instead")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("edition", nargs="?", default=str(ROOT / "editions" / "sample.yaml"))
    args = ap.parse_args()
    path = Path(args.edition)
    prep = prepare(path)
    if args.generated:
        return generated(prep, args.generated, args.seed, args.runs)
    roots = [(path.parent / r).resolve() for r in prep.template.asset_roots]
    edition = load_edition(path, asset_roots=roots, page_count=prep.template.pages,
                           grid=(prep.template.grid.columns, prep.template.grid.lines))
    pages = [p for p in edition.pages if needs_layout(p)]
    print(f"{'page':5} {'cold s':>7} {'cpu s':>7} {'warm s':>7} {'fill':>7} {'score':>7}  relaxed  traded")
    worst = 0.0
    cpus: list[float] = []  # median cold CPU time of each page
    underset: list[tuple[int, int, str]] = []  # (empty lines, columns, page and story)
    for page in pages:
        cold, warm, cpu = [], [], []
        plan = None
        for _ in range(args.runs):
            setter = TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style)
            ctx = dataclasses.replace(prep.ctx, setter=setter)
            t, c = time.perf_counter(), time.process_time()
            plan_page(ctx, edition, page)
            cold.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            t = time.perf_counter()
            plan = plan_page(ctx, edition, page)
            warm.append(time.perf_counter() - t)
        c, w = statistics.median(cold), statistics.median(warm)
        worst = max(worst, c)
        cpus.append(statistics.median(cpu))
        underset += [(p.option.empty_lines, p.option.cols, f"{page.id} {plan.problem.pieces[p.item].name}")
                     for p in plan.placements() if not p.option.valid and not p.option.overset_chars]
        best = plan.best
        score = f"{best.score.total:7.1f}" if best else "      –"
        print(f"{page.id:5} {c:7.3f} {cpus[-1]:7.3f} {w:7.3f} {plan.fill():7.1%} {score}  {'yes' if plan.relaxed else 'no ':3}      "
              + ("; ".join(plan.traded()) or "nothing"))
    print(f"slowest page (cold, median of {args.runs}): {worst:.3f} s; budget 0.5 s")
    print(f"median cold CPU time a page: {statistics.median(cpus):.3f} s (slowest {max(cpus):.3f} s)")
    if underset:
        lines, cols, where = max(underset)
        print(f"stories with more than one empty line per column: {len(underset)}; worst {where}: "
              f"{lines} empty lines in {cols} columns")
    else:
        print("stories with more than one empty line per column: 0")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
