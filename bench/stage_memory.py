"""Peak memory of a build by stage: `python bench/stage_memory.py EDITION.yaml -o OUT [build options]`
runs `layout build` in this process and prints, after each stage (layout, photos, page PDFs,
preflight, proofs), the build process's peak RSS so far (VmHWM), its RSS now (VmRSS; of it, the
anonymous memory and the pages of mapped files such as the fonts), the
largest RSS of any child process reaped so far (photo and page-PDF workers, Ghostscript, proof
renderers: forked children count the parent's pages they share), the largest peak of a live one
(the build's runner, layout/runner.py, until it is reaped at the end) and this process's CPU time.
`layout build` hands edition.pdf, preflight and the proofs to its runner: the PDF and preflight
lines are the build process's (the runner's peak in `live`), the proofs' lines are printed by the
runner (marked so) with its own figures. Here the runner is forked after this script has imported
the engine (to wrap its stages), so it starts larger than under `layout build`. The whole-process
figure the benchmark reads (wait4's ru_maxrss) is the largest of these, not their sum.
`--reset` starts each stage's peak afresh (Linux clear_refs), so each line gives that stage's own
peak over what the stages before it left. `--trace N` also follows the Python heap (tracemalloc,
which makes the build several times slower and its RSS larger: read its MB, not the RSS, then) and
prints after each stage what is live, its N largest allocation sites. Use your own LAYOUT_CACHE
(empty for a cold build)."""

from __future__ import annotations

import functools
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAIN_PID = os.getpid()  # a line printed by another process (the runner: proofs) says so
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmHWM", "VmRSS", "RssAnon", "RssFile")):
                name, value = line.split(":")
                out[name] = int(value.split()[0]) // 1024
    return out


def _live_children() -> dict[int, int]:
    """The peak RSS (VmHWM, MB) of each live descendant of this process (the build's runner and
    its proof renderers, a photo or PDF worker at work), by pid: reaped ones are in RUSAGE_CHILDREN."""
    parents: dict[int, int] = {}
    peaks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip() or 0)
        if "VmHWM" in fields:
            peaks[int(entry.name)] = int(fields["VmHWM"].split()[0]) // 1024
    from bench.tree_memory import descendants

    return {pid: peaks.get(pid, 0) for pid in sorted(descendants(parents, os.getpid()) - {os.getpid()})}


def _line(label: str) -> str:
    st = _status()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    live = _live_children()
    who = "" if os.getpid() == MAIN_PID else f" [pid {os.getpid()}: the runner]"
    return (f"[memory] {label:<26} peak {st['VmHWM']:>4} MB  now {st['VmRSS']:>4} MB "
            f"(anon {st.get('RssAnon', 0):>4}, files {st.get('RssFile', 0):>3})  "
            f"children's peak {children:>4} MB, live {max(live.values(), default=0):>4} MB  "
            f"cpu {time.process_time():6.2f} s{who}")


def _heap(top: int) -> list[str]:
    """The live Python heap by allocation site (file:line), its `top` largest."""
    import gc
    import tracemalloc

    gc.collect()
    snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    now, peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    lines = [f"[heap] live {now / 1e6:.1f} MB, {peak / 1e6:.1f} MB at most since the last line"]
    for stat in snap.statistics("lineno")[:top]:
        lines.append(f"[heap]   {stat.size / 1e6:7.1f} MB {stat.count:9d} blocks  {stat.traceback}")
    return lines


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # VmHWM back to the current RSS (Linux 4.0 and later)
    except OSError:
        pass


def _watch(module, name: str, label: str, reset: bool, trace: int = 0) -> None:
    inner = getattr(module, name)

    @functools.wraps(inner)
    def watched(*args, **kwargs):
        if reset:
            print(_line(f"before {label}"), file=sys.stderr, flush=True)
            _reset_peak()
        result = inner(*args, **kwargs)
        print(_line(f"after {label}"), file=sys.stderr, flush=True)
        if trace:
            print("\n".join(_heap(trace)), file=sys.stderr, flush=True)
        return result

    setattr(module, name, watched)


def main(argv: list[str]) -> int:
    reset = "--reset" in argv
    argv = [a for a in argv if a != "--reset"]
    trace = 0
    if "--trace" in argv:
        at = argv.index("--trace")
        trace = int(argv[at + 1])
        del argv[at:at + 2]
        import tracemalloc

        tracemalloc.start()
    import layout.build as build
    import layout.output as output
    import layout.proof.proofs as proofs

    # the stage functions as build() and write_outputs() call them (module globals, looked up per call)
    _watch(build, "prepare", "layout", reset, trace)
    _watch(output, "prepare_images", "photos", reset, trace)
    _watch(output, "write_pdfs", "page PDFs + edition", reset, trace)
    _watch(output, "preflight_pages", "preflight", reset, trace)
    _watch(proofs, "make_proofs", "proofs", reset, trace)
    from layout.cli import main as cli

    code = cli(["build", *argv])
    print(_line("end"), file=sys.stderr, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
