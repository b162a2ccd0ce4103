"""The benchmark: `python bench/run.py` builds the sample edition and a generated large edition
several times and prints medians per stage, peak RSS and a one-story rebuild.

Each measured build runs in a fresh process (so font loading and caches count as a user sees
them, and peak RSS is that build's own); the rebuild is measured inside one long-lived process,
as `layout watch` runs."""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ONE = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from layout.build import build
from layout.proof.proofs import make_proofs
imported = time.perf_counter() - t0
edition, out, pages, proofs, preflight = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1", sys.argv[5] == "1"
over = {{"pages": pages}} if pages != 12 else None
t = time.perf_counter()
r = build(edition, out, proofs=False, preflight=preflight, template_overrides=over)
timings = dict(r.timings)
timings["pdfs_total"] = time.perf_counter() - t
if proofs:
    t1 = time.perf_counter()
    make_proofs(out)
    timings["proofs"] = time.perf_counter() - t1
timings["import"] = imported
timings["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(timings))
"""

REBUILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from layout.watchbuild import Rebuilder
edition, out, story = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
rebuild = Rebuilder()  # what `layout watch` keeps warm between saves
rebuild(edition, out)
times = []
for n in range(int(sys.argv[4])):
    text = story.read_text("utf-8")
    story.write_text(text.replace("。", "，", 1) if n % 2 == 0 else text.replace("，", "。", 1), "utf-8")
    t = time.perf_counter()
    rebuild(edition, out)
    times.append(time.perf_counter() - t)
print(json.dumps(times))
"""


def run_builds(edition: Path, pages: int, runs: int, proofs: bool, preflight: bool, *, warm: bool) -> list[dict]:
    """`runs` builds, each in a fresh process. Cold: no build cache (every photo separated, every page
    laid out by the optimiser). Warm: a cache of this benchmark's own, filled by one build first (what
    a rebuild of tonight's edition sees after its first build)."""
    import os

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LAYOUT_CACHE": str(Path(tmp) / "cache") if warm else "off"}

        def one(out: Path) -> dict:
            p = subprocess.run([sys.executable, "-c", ONE.format(root=str(ROOT)), str(edition), str(out), str(pages),
                                "1" if proofs else "0", "1" if preflight else "0"],
                               capture_output=True, text=True, check=True, env=env)
            return json.loads(p.stdout.strip().splitlines()[-1])

        if warm:
            one(Path(tmp) / "warm-up")
        for n in range(runs):
            results.append(one(Path(tmp) / f"run{n}"))
    return results


def medians(results: list[dict]) -> dict[str, float]:
    keys = sorted({k for r in results for k in r})
    return {k: statistics.median(r[k] for r in results if k in r) for k in keys}


def rebuild_times(edition: Path, runs: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "ed"
        shutil.copytree(edition.parent, copy, ignore=shutil.ignore_patterns("parts"))
        for extra in ("assets",):
            src = edition.parent.parent / extra
            if src.exists():
                shutil.copytree(src, Path(tmp) / extra)
        ed = copy / edition.name
        stories = sorted((copy / edition.stem).glob("*.txt")) or sorted(copy.glob("*.txt"))
        import os

        env = {**os.environ, "LAYOUT_CACHE": str(Path(tmp) / "cache")}
        p = subprocess.run([sys.executable, "-c", REBUILD.format(root=str(ROOT)), str(ed), str(Path(tmp) / "out"),
                            str(stories[0]), str(runs)], capture_output=True, text=True, check=True, env=env)
        return json.loads(p.stdout.strip().splitlines()[-1])


def table(name: str, med: dict[str, float]) -> str:
    rows = [f"{name}"]
    for k in ("load", "fonts_load", "compose_paginate", "images", "pdf", "preflight", "pdfs_total", "proofs",
              "import", "peak_rss_mb"):
        if k in med:
            unit = "MB" if k == "peak_rss_mb" else "s"
            rows.append(f"  {k:<18} {med[k]:8.3f} {unit}")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--edition", default=str(ROOT / "editions" / "sample.yaml"))
    ap.add_argument("--no-large", action="store_true")
    ap.add_argument("--preflight", action="store_true", help="include preflight in the build timings")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    report = {}
    sample = Path(args.edition)
    for warm in (False, True):
        label = "warm" if warm else "cold"
        report[f"sample_{label}"] = medians(run_builds(sample, 12, args.runs, proofs=True, preflight=args.preflight,
                                                       warm=warm))
        print(table(f"sample edition ({sample.name}), {label} cache, median of {args.runs}",
                    report[f"sample_{label}"]))
    if not args.no_large:
        from bench.make_large import make

        with tempfile.TemporaryDirectory() as tmp:
            large = make(Path(tmp) / "large")
            for warm in (False, True):
                label = "warm" if warm else "cold"
                report[f"large_{label}"] = medians(run_builds(large, 24, args.runs, proofs=False, preflight=False,
                                                              warm=warm))
                print(table(f"large edition (24 pages), {label} cache, median of {args.runs}",
                            report[f"large_{label}"]))
    times = rebuild_times(sample, max(args.runs, 5))
    report["rebuild_one_story"] = statistics.median(times)
    print(f"one-story rebuild in a warm process (median of {len(times)}): {report['rebuild_one_story']:.3f} s")
    if args.json:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
