"""`layout build` and Typst side by side on the same content: `python bench/sidebyside.py`.

    python bench/sidebyside.py [--pages 12 24] [--runs 5] [--modes cold warm edit fast-cold fast-warm]

For each edition size it writes the deterministic workload of bench/workload.py (an edition file
and a Typst document with the same text, faces and photos), then runs, for each mode, pairs of
whole-process builds, interleaved and alternating which of the two goes first so that drift in the
machine's load falls on both: ours is the `layout` command as layout staff type it, Typst is its
Python binding compiling the same content in a fresh process (the way a user runs it; Typst keeps
no cache between processes, so it is always cold). It prints the median wall time of each, the
median of the per-pair ratios, peak RSS, the load average, and the median of each of our stages
as `layout build --timings` reports them.

Modes: `cold` (empty build cache and output folder: PDFs, preflight, proofs), `warm` (a cache and
output folder from an identical earlier build: nothing changed), `edit` (warm, one story's text
corrected between runs, a new correction each run), `fast-cold` / `fast-warm` (`--no-proofs
--no-preflight`), `watch` (`layout watch`'s path, no Typst: one long-lived process, a new
correction each run, rebuilt and its changed pages proofed; wall and CPU seconds until the page
PDF is published, which is the refresh `layout watch` announces, and with the proof after it;
bench/run.py).
Typst is an optional extra: `pip install -e '.[bench]'`."""

from __future__ import annotations

import argparse
import json
import os
import re
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

TYPST = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)"
MODES = ["cold", "warm", "edit", "fast-cold", "fast-warm", "watch"]
STAGE_LINE = re.compile(r"^\s{2}(\S[\w /+-]*?)\s+(\d+\.\d+) s$")


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS in MB, stderr and CPU seconds (user + system, the process and the
    children it waited for: on a shared machine the figure to compare) of one whole process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1 is "built with errors": still a whole build to time
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, err, usage.ru_utime + usage.ru_stime


def stages(stderr: str) -> dict[str, float]:
    """Our stage split from `layout build --timings` (lines '  name   0.123 s')."""
    return {m.group(1).strip(): float(m.group(2)) for line in stderr.splitlines() if (m := STAGE_LINE.match(line))}


def has_timings() -> bool:
    out = subprocess.run([sys.executable, "-m", "layout", "build", "--help"], capture_output=True, text=True, cwd=ROOT)
    return "--timings" in out.stdout


def edited_story(work: Path) -> Path:
    """The story the `edit` and `watch` modes correct: the first story of page 2 (an inside page
    laid out by the automatic layout, with a photo)."""
    return sorted((work / "text").glob("s02-*.txt"))[0]


def edit_story(work: Path, n: int) -> None:
    """One editor's correction, a new one each run (bench/workload.py new_edit: one character
    replaced, never a text built before), so that the build re-plans and re-renders the page as
    it does for layout staff, instead of finding the edited state in the cache."""
    new_edit(edited_story(work), n)


def measure(pages: int, runs: int, modes: list[str], tmp: Path) -> dict:
    work = tmp / f"w{pages}"
    edition, typ, han = make(work, pages)
    fonts = str(ROOT / "fonts")
    # As on a layout desk's machine: bytecode kept between runs (this sandbox sets
    # PYTHONDONTWRITEBYTECODE, which would make every process compile the engine again).
    base_env = {k: v for k, v in os.environ.items() if k not in ("LAYOUT_CACHE", "PYTHONDONTWRITEBYTECODE")}
    timings = ["--timings"] if has_timings() else []
    ours_cmd = [sys.executable, "-m", "layout", "build", str(edition), *timings]
    typst_cmd = [sys.executable, "-c", TYPST, str(typ), str(tmp / f"typst{pages}.pdf"), fonts]
    result = {"pages": pages, "han": han, "modes": {}}
    for mode in modes:
        if mode == "watch":
            from bench.run import rebuild_times

            times = rebuild_times(edition, runs, edited_story(work).name)
            result["watch"] = {"pdf_wall_s": statistics.median(t["pdf_wall"] for t in times),
                               "pdf_cpu_s": statistics.median(t["pdf_cpu"] for t in times),
                               "wall_s": statistics.median(t["wall"] for t in times),
                               "cpu_s": statistics.median(t["cpu"] + t["children_cpu"] for t in times),
                               "build_s": statistics.median(t["build"] for t in times),
                               "proofs_s": statistics.median(t["proofs"] for t in times)}
            continue
        fast = ["--no-proofs", "--no-preflight"] if mode.startswith("fast") else []
        warm = mode in ("warm", "edit", "fast-warm")
        cache, out = tmp / f"cache-{pages}-{mode}", tmp / f"out-{pages}-{mode}"
        if warm:  # fill the cache and the output folder once, as the night's first build does
            run([*ours_cmd, "-o", str(out), *fast], {**base_env, "LAYOUT_CACHE": str(cache)})
        ours, theirs, ratios, rss, split, cpu, typst_cpu = [], [], [], [], [], [], []
        for n in range(runs):
            if not warm:
                shutil.rmtree(cache, ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
            if mode == "edit":
                edit_story(work, n)
            env = {**base_env, "LAYOUT_CACHE": str(cache)}
            pair = [("ours", [*ours_cmd, "-o", str(out), *fast], env), ("typst", typst_cmd, base_env)]
            if n % 2:
                pair.reverse()
            got = {}
            for name, cmd, e in pair:
                got[name] = run(cmd, e)
            ours.append(got["ours"][0])
            theirs.append(got["typst"][0])
            ratios.append(got["ours"][0] / got["typst"][0])
            rss.append(got["ours"][1])
            cpu.append(got["ours"][3])
            typst_cpu.append(got["typst"][3])
            split.append(stages(got["ours"][2]))
        names = sorted({k for s in split for k in s})
        result["modes"][mode] = {
            "ours_s": statistics.median(ours), "typst_s": statistics.median(theirs),
            "ratio": statistics.median(ratios), "ours_peak_rss_mb": max(rss),
            "ours_cpu_s": statistics.median(cpu), "typst_cpu_s": statistics.median(typst_cpu),
            "stages_s": {k: statistics.median([s.get(k, 0.0) for s in split]) for k in names},
        }
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[12, 24])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--modes", nargs="+", choices=MODES, default=MODES)
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    try:
        import typst  # noqa: F401
    except ImportError:
        print("Typst's Python binding is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="layout-sidebyside-") as tmp:
        results = [measure(p, args.runs, args.modes, Path(tmp)) for p in args.pages]
    load_after = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  {os.cpu_count()} cores  load average before "
          f"{load_before[0]:.2f} after {load_after[0]:.2f}  runs {args.runs} (medians)")
    for r in results:
        print(f"\n{r['pages']} pages, {r['han']} Han characters")
        print(f"  {'mode':<10} {'ours':>8} {'Typst':>8} {'ours/Typst':>11} {'peak RSS':>9} {'CPU ours':>9} "
              f"{'CPU Typst':>9}")
        for mode, m in r["modes"].items():
            print(f"  {mode:<10} {m['ours_s']:>7.2f}s {m['typst_s']:>7.2f}s {m['ratio']:>11.2f} "
                  f"{m['ours_peak_rss_mb']:>6.0f} MB {m['ours_cpu_s']:>8.2f}s {m['typst_cpu_s']:>8.2f}s")
        if "watch" in r:
            w = r["watch"]
            print(f"  watch      page PDF published after {w['pdf_wall_s']:.2f} s wall, {w['pdf_cpu_s']:.2f} s CPU "
                  f"(the refresh, target 0.3 s); with its proof {w['wall_s']:.2f} s wall, {w['cpu_s']:.2f} s CPU "
                  f"(proofs {w['proofs_s']:.2f} s): one-story edit in `layout watch`")
        for mode, m in r["modes"].items():
            if m["stages_s"]:
                split = ", ".join(f"{k} {v:.2f}" for k, v in m["stages_s"].items())
                print(f"  stages ({mode}): {split}")
    if args.json:
        Path(args.json).write_text(json.dumps({"load": [load_before, load_after], "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
