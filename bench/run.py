"""The benchmark: `python bench/run.py` builds the sample edition and a generated large edition
several times and prints medians per stage, peak RSS and a one-story rebuild.

Each measured build runs in a fresh process (so font loading and caches count as a user sees
them, and peak RSS is that build's own); the rebuild is measured inside one long-lived process,
as `layout watch` runs: a new one-character correction each time, rebuilt and proofed.
`--watch-only` measures just that (`--edition` any edition, `--story` the text file edited)."""

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
import json, os, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from bench.workload import new_edit
from layout.proof.watch import _rebuild
from layout.watchbuild import Rebuilder
edition, out, story = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
class Timed(Rebuilder):
    # the moment the build returns: the save's page PDFs are published, its proofs not yet made
    def __call__(self, *args):
        changed = super().__call__(*args)
        self.published = (time.perf_counter(), time.process_time(), os.times())
        return changed
rebuild = Timed()  # what `layout watch` keeps warm between saves
options = {{"dpi": 100, "grid": False, "live_seconds": 1.0}}  # as `layout watch` proofs
first = _rebuild(edition, out, rebuild, [], options, full=True)  # the watch's first build
if first.error:
    raise SystemExit(first.error)
from layout.cache import settle
settle()  # the first build's cache writer, done while the user reads its proofs (the watch waits at a save)
times = []
for n in range(int(sys.argv[4])):
    new_edit(story, n)  # a new correction every time: never a state the process or cache has seen
    t, c, k = time.perf_counter(), time.process_time(), os.times()
    rb = _rebuild(edition, out, rebuild, [story], options, full=False)
    k2 = os.times()
    if rb.error:
        raise SystemExit(rb.error)
    pw, pc, pk = rebuild.published
    times.append({{"wall": time.perf_counter() - t, "cpu": time.process_time() - c,
                  "children_cpu": (k2.children_user + k2.children_system) - (k.children_user + k.children_system),
                  "pdf_wall": pw - t, "pdf_cpu": pc - c + (pk.children_user + pk.children_system)
                  - (k.children_user + k.children_system),
                  "build": rb.build_seconds, "proofs": rb.proof_seconds, "pages": rb.pages,
                  "rendered": rb.rendered}})
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


def rebuild_times(edition: Path, runs: int, story: str | None = None) -> list[dict]:
    """`layout watch`'s path: one long-lived process builds the edition (as the watch's first
    build does), then `runs` times a new correction to one story (bench/workload.py new_edit: a
    text never built before) is rebuilt and its changed pages proofed, as `layout watch` does on a
    save. Each entry: wall and CPU seconds of the rebuild with its proofs (CPU of this process and
    of the children it waited for), the wall and CPU seconds until its page PDFs were published
    (pdf_wall, pdf_cpu: the refresh, before the proofs), the build's and the proofs' wall seconds,
    the pages whose PDF changed and the proofs rendered again. `story`: the text file's name (default the first)."""
    import os

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "ed"
        shutil.copytree(edition.parent, copy, ignore=shutil.ignore_patterns("parts"))
        for extra in ("assets",):
            src = edition.parent.parent / extra
            if src.exists():
                shutil.copytree(src, Path(tmp) / extra)
        ed = copy / edition.name
        stories = sorted(copy.rglob("*.txt"))
        chosen = next((s for s in stories if s.name == story), None) if story else stories[0]
        if chosen is None:
            raise SystemExit(f"no story file {story} beside {edition}")
        env = {**os.environ, "LAYOUT_CACHE": str(Path(tmp) / "cache")}
        p = subprocess.run([sys.executable, "-c", REBUILD.format(root=str(ROOT)), str(ed), str(Path(tmp) / "out"),
                            str(chosen), str(runs)], capture_output=True, text=True, env=env)
        if p.returncode:
            raise SystemExit(f"the watch rebuild failed:\n{p.stderr[-2000:]}")
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
    ap.add_argument("--watch-only", action="store_true", help="only the `layout watch` one-story edit")
    ap.add_argument("--story", help="the story text file the watch edit changes (default the first)")
    args = ap.parse_args()
    report = {}
    if args.watch_only:
        times = rebuild_times(Path(args.edition), max(args.runs, 1), args.story)
        for n, t in enumerate(times):
            print(f"  edit {n}: {t['wall']:.3f} s wall, {t['cpu'] + t['children_cpu']:.3f} s CPU (build "
                  f"{t['build']:.3f} s, proofs {t['proofs']:.3f} s), pages {' '.join(t['pages']) or '-'}, "
                  f"proofed {' '.join(t['rendered']) or '-'}")
        print(f"one-story edit in `layout watch`, median of {len(times)}: page PDF published after "
              f"{statistics.median(t['pdf_wall'] for t in times):.3f} s wall, "
              f"{statistics.median(t['pdf_cpu'] for t in times):.3f} s CPU; with its proof "
              f"{statistics.median(t['wall'] for t in times):.3f} s wall, "
              f"{statistics.median(t['cpu'] + t['children_cpu'] for t in times):.3f} s CPU")
        return 0
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
    report["rebuild_one_story"] = statistics.median(t["wall"] for t in times)
    report["rebuild_one_story_cpu"] = statistics.median(t["cpu"] + t["children_cpu"] for t in times)
    print(f"one-story edit in `layout watch` (rebuild + proofs, a new edit each time, median of {len(times)}): "
          f"{report['rebuild_one_story']:.3f} s wall, {report['rebuild_one_story_cpu']:.3f} s CPU")
    if args.json:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
