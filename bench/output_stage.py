"""The output stage alone (photos and PDF writing), in CPU seconds: `python bench/output_stage.py`.

    python bench/output_stage.py [EDITION] [--workload PAGES] [--runs N] [--plans DIR]

The layout is made once (its plans kept in DIR between runs of this script under a fixed
version, so that editing the output code does not send every run through the optimiser again);
then, with the build cache off, the photos are prepared and the page PDFs and edition.pdf are
written N times. Printed per run: CPU seconds (this process plus its reaped children: the
photo workers and the edition.pdf child) and wall seconds of each stage, and the peak RSS.
CPU time is what to compare between two versions on a shared machine; wall time only on an
idle one."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("edition", nargs="?", default=str(ROOT / "editions" / "sample.yaml"))
    ap.add_argument("--workload", type=int, metavar="PAGES", help="bench/workload.py's edition of PAGES pages")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--plans", default=str(Path(tempfile.gettempdir()) / "layout-bench-plans"))
    args = ap.parse_args()

    import layout.cache

    # The plans only: kept under one version whatever the engine's code (bench only: a real build
    # keys them by the engine's source).
    layout.cache.code_version = lambda: "bench-output-stage"
    os.environ["LAYOUT_CACHE"] = args.plans
    edition = Path(args.edition)
    if args.workload:
        from bench.workload import make

        edition, _, _ = make(Path(tempfile.mkdtemp(prefix="bench-wl-")), args.workload)
    from layout.build import prepare
    from layout.images import ImageStore
    from layout.output import prepare_images, write_pdfs

    prep = prepare(edition)
    os.environ["LAYOUT_CACHE"] = "off"  # photos and pages made every run
    rows = []
    for _ in range(args.runs):
        stage = Path(tempfile.mkdtemp(prefix="bench-out-"))
        c0, w0 = cpu(), time.perf_counter()
        images = prepare_images(prep, ImageStore(None))
        c1, w1 = cpu(), time.perf_counter()
        write_pdfs(prep, images, stage)
        c2, w2 = cpu(), time.perf_counter()
        rows.append((c1 - c0, w1 - w0, c2 - c1, w2 - w1))
        print(f"photos {c1 - c0:6.2f} s CPU {w1 - w0:6.2f} s wall   pdf {c2 - c1:6.2f} s CPU {w2 - w1:6.2f} s wall"
              f"   ({len(images)} photos, {len(prep.layout.pages)} pages)", flush=True)
    med = [statistics.median(r[i] for r in rows) for i in range(4)]
    print(f"median photos {med[0]:.2f} s CPU ({med[1]:.2f} wall), pdf {med[2]:.2f} s CPU ({med[3]:.2f} wall); "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
          f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
