"""Cold builds of two checkouts of the engine, alternated: `python bench/cold_ab.py A B`.

    python bench/cold_ab.py A_DIR B_DIR [--edition FILE ...] [--workload PAGES] [--pairs N] [--outputs-only]

A_DIR and B_DIR are checkouts (e.g. `git worktree add /tmp/before <commit>`). Each run is one
whole `layout build --timings` (PDFs, preflight, proofs) in a new process with an empty build cache
and output folder, bytecode kept; the runs of A and B alternate (A B, then B A, ...) so that a
change in the machine's load falls on both. Printed per run: the CPU seconds of the build and
every process it waited for (user + sys, as `/usr/bin/time` gives them: the layout search's
workers, the dictionary writer, the photo, PDF, preflight and proof workers, the cache writers),
the wall seconds, the load average when it started and the `--timings` stages; after each pair,
whether the two builds wrote the same bytes (every output file but the build's time in report.json
and proof.html); then the medians.
On a shared machine compare CPU; wall time only on an idle one."""

from __future__ import annotations

import argparse
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


# The build cache's folders of the output stages: with --outputs-only, a run starts from a cache
# filled by an earlier build of the same code without these (the layout from the cache).
OUTPUT_KINDS = ("pages", "preflight", "preflight-ads", "proofs", "images", "subsets", "replay")


def one_build(code: Path, edition: Path, tmp: Path, seed: Path | None = None) -> dict:
    cache, out = tmp / "cache", tmp / "out"
    for folder in (cache, out):
        shutil.rmtree(folder, ignore_errors=True)
    if seed is not None:
        shutil.copytree(seed, cache, symlinks=True)
        for kind in OUTPUT_KINDS:
            shutil.rmtree(cache / kind, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "LAYOUT_CACHE")}
    env.update(PYTHONPATH=str(code), LAYOUT_CACHE=str(cache))
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "layout", "build", str(edition), "-o", str(out), "--timings"],
                            cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{code}: the build of {edition} failed:\n{err[-2000:]}")
    stages = {}
    for line in err.split("timings:")[-1].splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "s":
            stages[parts[0]] = float(parts[1])
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "load": load, "stages": stages}


# written with the build's time in them (report.json's times, proof.html's stamp): not compared
UNCOMPARED = {"report.json", "proof.html", "version.js"}


def differing(a: Path, b: Path, code_a: Path, code_b: Path) -> tuple[int, list[str]]:
    """How many output files of build folder `a` were compared with `b`'s, and those that differ
    (missing from `b` included); report.json is compared without its times, each checkout's folder
    (`code_a`, `code_b`: in the places the diagnostics give) read as the same."""
    import json

    names = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file() and p.name not in UNCOMPARED)
    bad = [n for n in names if not (b / n).is_file() or (a / n).read_bytes() != (b / n).read_bytes()]
    reports = []
    for folder, code in ((a, code_a), (b, code_b)):
        report = json.loads((folder / "report.json").read_text("utf-8").replace(str(code.resolve()), "CODE"))
        report.pop("build_time", None)
        report.pop("timings", None)
        reports.append(report)
    if reports[0] != reports[1]:
        bad.append("report.json (but its times)")
    return len(names) + 1, bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--edition", type=Path, action="append", default=[],
                    help="an edition file (relative paths: inside each checkout); default editions/sample.yaml")
    ap.add_argument("--workload", type=int, metavar="PAGES", help="also bench/workload.py's edition of PAGES pages")
    ap.add_argument("--pairs", type=int, default=2)
    ap.add_argument("--outputs-only", action="store_true",
                    help="the layout from a cache filled by one earlier build of each checkout, the output "
                         "stages cold (photos, PDFs, preflight, proofs): their CPU without the layout's noise")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cold-ab-") as tmp_name:
        tmp = Path(tmp_name)
        editions = list(args.edition) or ([] if args.workload else [Path("editions/sample.yaml")])
        if args.workload:
            from bench.workload import make

            editions.append(make(tmp / "workload", args.workload)[0])
        for edition in editions:
            runs: dict[str, list[dict]] = {"A": [], "B": []}
            seeds: dict[str, Path | None] = {"A": None, "B": None}
            if args.outputs_only:
                for name, code in (("A", args.a), ("B", args.b)):
                    path = edition if edition.is_absolute() else code / edition
                    one_build(code.resolve(), path, tmp / f"seed-{name}")
                    seeds[name] = tmp / f"seed-{name}" / "cache"
            for n in range(args.pairs):
                order = [("A", args.a), ("B", args.b)]
                for name, code in order if n % 2 == 0 else order[::-1]:
                    path = edition if edition.is_absolute() else code / edition
                    r = one_build(code.resolve(), path, tmp / name, seeds[name])
                    runs[name].append(r)
                    split = " ".join(f"{k} {v:.2f}" for k, v in r["stages"].items())
                    print(f"{edition.name} {name}: cpu {r['cpu']:.2f} s, wall {r['wall']:.2f} s, "
                          f"load {r['load']:.1f} | {split}", flush=True)
                n_files, bad = differing(tmp / "A" / "out", tmp / "B" / "out", args.a, args.b)
                print(f"{edition.name} pair {n + 1}: {n_files} output files compared, "
                      + (f"DIFFERENT: {', '.join(bad)}" if bad else "all identical"), flush=True)
            for name in ("A", "B"):
                print(f"{edition.name} {name} median: cpu {statistics.median(r['cpu'] for r in runs[name]):.2f} s, "
                      f"wall {statistics.median(r['wall'] for r in runs[name]):.2f} s")


if __name__ == "__main__":
    main()
