"""What reading a PDF ad's inks costs a build, with the cache off and from a warm cache:
`python bench/ad_inks.py [--runs N] [FILE.pdf ...]` (default: the sample's PDF ads).

Each read is layout.ads.inks.pdf_inks in this process, the runs of the two states alternating
(off, warm, off, warm ...) so that a change in the machine's load falls on both. Timed as CPU
seconds (user + sys) of this process and of the Ghostscript it waited for (process_time and os.times' children),
which is what a shared machine lets one compare; the medians per read are printed."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    t = os.times()  # (this process's own from process_time: os.times counts in clock ticks)
    return time.process_time() + t.children_user + t.children_system


def _read(files: list[Path], cache: str) -> tuple[float, list]:
    from layout.ads.inks import pdf_inks

    os.environ["LAYOUT_CACHE"] = cache
    t0 = _cpu()
    got = [pdf_inks(f) for f in files]
    return _cpu() - t0, got


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    files = args.files or sorted((ROOT / "assets" / "ads").glob("*.pdf"))
    with tempfile.TemporaryDirectory(prefix="bench-inks-") as tmp:
        _read(files, tmp)  # fills the cache (and loads what the reads import)
        off, warm = [], []
        for _ in range(args.runs):
            t, a = _read(files, "off")
            off.append(t / len(files))
            t, b = _read(files, tmp)
            warm.append(t / len(files))
            assert a == b, (a, b)  # the same answer from either state
    print(f"{len(files)} PDF ad(s), {args.runs} runs each, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print(f"cache off: {statistics.median(off) * 1000:.1f} ms CPU a read (median)")
    print(f"warm cache: {statistics.median(warm) * 1000:.2f} ms CPU a read (median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
