"""Every plan of the automatic layout written out, to check that a speed change leaves them alone.

    python bench/plan_compare.py dump OUT.json [--generated N] [--seed S]
    python bench/plan_compare.py compare A.json B.json

`dump` plans the sample's inside pages and N generated pages (the same pages as
`bench/autolayout.py --generated N --seed S`) and writes, per page, the pass that gave the layout,
the gaps, every option offered to the optimiser and every solution kept (score, lead headline,
placements with their options) plus the CPU time of the plan. `compare` prints each page whose
plan differs (CPU times aside) and exits 1 if any does. Run with LAYOUT_CACHE=off."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "autolayout"))

from autolayout import generated_specs  # noqa: E402
from planrecord import plan_record  # noqa: E402

from layout.autolayout.plan import needs_layout, plan_page  # noqa: E402
from layout.build import prepare  # noqa: E402
from layout.model import load_edition  # noqa: E402
from layout.paginate.typeset import TextSetter  # noqa: E402


def dump(out: Path, count: int, seed: int) -> int:
    import tempfile

    import pagegen

    path = ROOT / "editions" / "sample.yaml"
    prep = prepare(path)
    pages: dict[str, dict] = {}
    roots = [(path.parent / r).resolve() for r in prep.template.asset_roots]
    edition = load_edition(path, asset_roots=roots, page_count=prep.template.pages,
                           grid=(prep.template.grid.columns, prep.template.grid.lines))
    for page in edition.pages:
        if not needs_layout(page):
            continue
        ctx = dataclasses.replace(prep.ctx, setter=TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style))
        c = time.process_time()
        plan = plan_page(ctx, edition, page)
        pages[f"sample {page.id}"] = plan_record(plan) | {"cpu": time.process_time() - c}
        print(f"sample {page.id} {pages[f'sample {page.id}']['cpu']:.3f}", flush=True)
    for k, spec in enumerate(generated_specs(count, seed)):
        with tempfile.TemporaryDirectory() as tmp:
            ctx, written = pagegen.context(prep, pagegen.generated(Path(tmp), *spec))
            ctx = dataclasses.replace(ctx, setter=TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style))
            c = time.process_time()
            plan = plan_page(ctx, written, written.page("A02"))
            pages[f"generated {k + 1}"] = plan_record(plan) | {"cpu": time.process_time() - c}
        print(f"generated {k + 1} {pages[f'generated {k + 1}']['cpu']:.3f} pass {plan.level}", flush=True)
    out.write_text(json.dumps(pages, indent=1, sort_keys=True))
    return 0


def compare(a: Path, b: Path) -> int:
    old, new = json.loads(a.read_text()), json.loads(b.read_text())
    differ = 0
    for name in sorted(set(old) | set(new)):
        x, y = old.get(name), new.get(name)
        if x is None or y is None:
            print(f"{name}: only in {'B' if x is None else 'A'}")
            differ += 1
            continue
        x, y = dict(x), dict(y)
        cx, cy = x.pop("cpu"), y.pop("cpu")
        if x != y:
            keys = [k for k in x if x[k] != y.get(k)]
            print(f"{name}: differs in {', '.join(keys)}")
            differ += 1
        else:
            print(f"{name}: same   cpu {cx:.3f} -> {cy:.3f}")
    print(f"{differ} page(s) differ of {len(set(old) | set(new))}")
    return 1 if differ else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--generated", type=int, default=30)
    d.add_argument("--seed", type=int, default=13)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "dump":
        return dump(args.out, args.generated, args.seed)
    return compare(args.a, args.b)


if __name__ == "__main__":
    raise SystemExit(main())
