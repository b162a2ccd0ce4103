"""One-story edits with two checkouts of the engine, alternated: `python bench/edit_ab.py A B`.

    python bench/edit_ab.py A_DIR B_DIR [--pages 12] [--edits 4] [--saves 5]

A_DIR and B_DIR are checkouts (e.g. `git archive COMMIT | tar -x -C /tmp/before`). Each gets its
own copy of the workload of bench/workload.py, its own build cache and output folder, filled by
one build first (the night's first build). Then, in turn (A B, then B A, ... so that a change in
the machine's load falls on both), the same new correction (bench/workload.py new_edit: one Han
character of the first story of page 2 replaced, a text never built before) is made in both
copies and built by a whole `layout build --timings` in a new process (PDFs, edition.pdf,
preflight, proofs). Then `layout watch`'s path: for A and B in turn, one long-lived process that
builds the edition and rebuilds it after `--saves` new corrections, each followed by the changed
pages' proofs, as `layout watch` does on a save. Printed: CPU seconds (user + sys of the process
and every process it waited for) and wall seconds, per run and their medians; for the watch also
the CPU and wall until the save's page PDF is published, before its proof. On a shared machine
compare CPU; wall time only on an idle one."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.workload import make, new_edit  # noqa: E402

STORY = "s02-0.txt"  # as bench/sidebyside.py edits: the first story of page 2 (an automatic page)

SAVES = r"""
import json, os, sys, time
from pathlib import Path
code, root = sys.argv[1], sys.argv[2]
sys.path[:0] = [code, root]
from bench.workload import new_edit
from layout.proof.watch import _rebuild
from layout.watchbuild import Rebuilder
edition, out, story, saves = Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]), int(sys.argv[6])

def cpu():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system

class Timed(Rebuilder):
    # the moment the build returns: its page PDFs are published, the proofs not yet rendered
    def __call__(self, *args):
        changed = super().__call__(*args)
        self.published = (time.perf_counter(), cpu())
        return changed

rebuild = Timed()
options = {"dpi": 100, "grid": False, "live_seconds": 1.0}  # as `layout watch` proofs
first = _rebuild(edition, out, rebuild, [], options, full=True)
if first.error:
    raise SystemExit(first.error)
runs = []
for n in range(saves + 1):
    new_edit(story, 100 + n)  # never a state the process or the cache has seen
    t, c = time.perf_counter(), cpu()
    rb = _rebuild(edition, out, rebuild, [story], options, full=False)
    if rb.error:
        raise SystemExit(rb.error)
    end, end_cpu = time.perf_counter(), cpu()
    if n:  # the first save after the first build also waits for that build's cache writer
        runs.append({"wall": end - t, "cpu": end_cpu - c, "pdf_wall": rebuild.published[0] - t,
                     "pdf_cpu": rebuild.published[1] - c, "pages": rb.pages})
print(json.dumps(runs))
"""


def _env(code: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "LAYOUT_CACHE")}
    env.update(PYTHONPATH=str(code), LAYOUT_CACHE=str(cache))
    return env


def build(code: Path, work: Path) -> dict:
    """One whole `layout build --timings` of `code` in a new process: CPU and wall seconds."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "layout", "build", str(work / "ed" / "workload.yaml"), "-o",
                             str(work / "out"), "--timings"], cwd=code, env=_env(code, work / "cache"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{code}: the build failed:\n{err[-2000:]}")
    return {"wall": time.perf_counter() - t0, "cpu": usage.ru_utime + usage.ru_stime}


def saves(code: Path, work: Path, n: int) -> list[dict]:
    p = subprocess.run([sys.executable, "-c", SAVES, str(code), str(ROOT), str(work / "ed" / "workload.yaml"),
                        str(work / "out"), str(work / "ed" / "text" / STORY), str(n)],
                       cwd=code, env=_env(code, work / "cache"), capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(f"{code}: the watch rebuild failed:\n{p.stderr[-2000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def _med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--edits", type=int, default=4, help="new-process edits of each (default 4)")
    ap.add_argument("--saves", type=int, default=5, help="saves in each watch process (default 5; 0: none)")
    args = ap.parse_args(argv)
    codes = {"A": args.a.resolve(), "B": args.b.resolve()}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="layout-edit-ab-") as tmp:
        src = Path(tmp) / "workload"
        make(src, args.pages)
        work = {}
        for name, code in codes.items():
            for mode in ("build", "watch"):
                shutil.copytree(src, Path(tmp) / name / mode / "ed")
            work[name] = Path(tmp) / name
            build(code, work[name] / "build")  # the night's first build fills the cache
        got: dict[str, list[dict]] = {"A": [], "B": []}
        for n in range(args.edits):
            for name in (("A", "B") if n % 2 == 0 else ("B", "A")):
                new_edit(work[name] / "build" / "ed" / "text" / STORY, n)
                got[name].append(build(codes[name], work[name] / "build"))
                load.append(os.getloadavg()[0])
        watched: dict[str, list[dict]] = {}
        for name in ("A", "B") if args.saves else ():
            watched[name] = saves(codes[name], work[name] / "watch", args.saves)
            load.append(os.getloadavg()[0])
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  {os.cpu_count()} cores  load average {min(load):.1f}–{max(load):.1f}"
          f"  {args.pages} pages")
    for name, code in codes.items():
        b, w = got[name], watched.get(name)
        print(f"{name} {code}")
        print("  new process: CPU " + ", ".join(f"{r['cpu']:.2f}" for r in b) + f" s (median {_med(b, 'cpu'):.2f}); "
              "wall " + ", ".join(f"{r['wall']:.2f}" for r in b) + f" s (median {_med(b, 'wall'):.2f})")
        if not w:
            continue
        print("  watch save, to the page PDF published: CPU " + ", ".join(f"{r['pdf_cpu']:.2f}" for r in w)
              + f" s (median {_med(w, 'pdf_cpu'):.2f}); wall median {_med(w, 'pdf_wall'):.2f} s")
        print("  watch save with its proof: CPU " + ", ".join(f"{r['cpu']:.2f}" for r in w)
              + f" s (median {_med(w, 'cpu'):.2f}); wall median {_med(w, 'wall'):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
