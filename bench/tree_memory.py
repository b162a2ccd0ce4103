"""The memory of a whole process tree: `python bench/tree_memory.py [--every S] -- COMMAND ...`

Runs COMMAND and prints two figures (and the PSS of each process at the busiest moment, by pid:
the command's own first, as a rule). `wait4 max RSS` is what bench/sidebyside.py and
`/usr/bin/time -f %M` report: the largest RSS that any one process of the tree reached (the
command's process or a child it waited for), never a sum. `tree PSS, most at once` is the sum over
every live process of the tree of its proportional set size (a page shared by n processes counts
1/n in each), sampled every S seconds (default 0.05): the machine's memory the command held at its
busiest moment, which a build that hands work to other processes (layout/runner.py) does not hide.
(Sampling may miss a peak shorter than S; on a loaded machine the sampler's own reads are slow.)"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path


def _tree(root: int) -> list[int]:
    """The live processes descended from `root` (itself included)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return sorted(descendants(parents, root))


def descendants(parents: dict[int, int], root: int) -> set[int]:
    """`root` and every process below it, from each live process's parent (pid -> ppid)."""
    ours = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in ours and pid not in ours:
                ours.add(pid)
                grew = True
    return ours


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def main(argv: list[str]) -> int:
    every = 0.05
    if argv[:1] == ["--every"]:
        every, argv = float(argv[1]), argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    proc = subprocess.Popen(argv)
    most: dict = {"pss": 0, "at": 0.0, "processes": 0, "each": []}
    started = time.perf_counter()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = _tree(proc.pid)
            each = [(p, _pss_kb(p)) for p in pids]
            total = sum(kb for _, kb in each)
            if total > most["pss"]:
                most.update(pss=total, at=time.perf_counter() - started, processes=len(pids), each=each)
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    print(f"wait4 max RSS {usage.ru_maxrss / 1024:.0f} MB; tree PSS, most at once {most['pss'] / 1024:.0f} MB "
          f"({most['processes']} processes, at {most['at']:.1f} s); wall {time.perf_counter() - started:.1f} s, "
          f"CPU {usage.ru_utime + usage.ru_stime:.1f} s", file=sys.stderr)
    print("  then: " + ", ".join(f"pid {pid} {kb / 1024:.0f} MB" for pid, kb in most["each"]), file=sys.stderr)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
