"""The print shop's folder: a build killed midway leaves the previous output intact, and two builds
into one folder at once leave one build's complete set, never a mix."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from layout.build import build
from tests.robust.strategies import ROOT

MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"
PAGES = [f"A{n:02d}" for n in range(1, 13)]


def variant(folder: Path, paper: str) -> Path:
    """The mini edition under another paper name: every page's folio (and title) differs."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "edition.yaml"
    path.write_text(MINI.read_text("utf-8").replace("paper: 測試晨報", f"paper: {paper}", 1), "utf-8")
    return path


def snapshot(outdir: Path) -> dict[str, bytes]:
    """The files the print shop picks up (hidden names are the build's own)."""
    return {p.name: p.read_bytes() for p in sorted(outdir.iterdir()) if p.is_file() and not p.name.startswith(".")}


def start_build(edition: Path, outdir: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "layout", "build", str(edition), "-o", str(outdir), "--no-proofs",
                             *extra], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_when_staging_has_a_pdf(proc: subprocess.Popen, outdir: Path, limit: float = 120.0) -> Path | None:
    """SIGKILL the build as soon as its staging folder holds a PDF; the staging folder, or None if
    the build finished first."""
    stage = outdir.parent / f".{outdir.name}.staging-{proc.pid}"
    end = time.monotonic() + limit
    while time.monotonic() < end and proc.poll() is None:
        if stage.is_dir() and any(stage.glob("*.pdf")):
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return stage
        time.sleep(0.001)
    proc.wait()
    return None


def test_a_build_killed_midway_leaves_the_previous_output_intact(tmp_path):
    out = tmp_path / "out"
    build(MINI, out, preflight=False)
    before = snapshot(out)
    assert sorted(before) == sorted([f"{p}.pdf" for p in PAGES] + ["edition.pdf", "report.json"])
    other = variant(tmp_path / "b", "另一晨報")
    for _ in range(5):  # the kill may come too late on a very fast machine: try again
        stage = kill_when_staging_has_a_pdf(start_build(other, out), out)
        if stage is not None:
            break
        build(MINI, out, preflight=False)
        before = snapshot(out)
    else:
        pytest.fail("the build always finished before it could be killed")
    assert stage.is_dir(), "killed while staging"
    assert snapshot(out) == before, "the previous output is byte for byte what it was"
    # the next build finishes the job and clears what the killed one left
    build(other, out, preflight=False)
    assert not list(out.parent.glob(f".{out.name}.staging-*")), "half-written files of the killed build were left"
    after = snapshot(out)
    assert sorted(after) == sorted(before) and after["A01.pdf"] != before["A01.pdf"]
    assert json.loads(after["report.json"])["paper"] == "另一晨報"


def _title(pdf: Path) -> str:
    with pikepdf.open(pdf) as doc:
        return str(doc.docinfo["/Title"])


def test_two_builds_into_one_folder_do_not_interleave(tmp_path):
    papers = {"甲": "甲城晨報", "乙": "乙城晨報"}
    refs = {}
    for key, paper in papers.items():
        edition = variant(tmp_path / key, paper)
        build(edition, tmp_path / f"ref-{key}", preflight=False)
        refs[key] = (edition, snapshot(tmp_path / f"ref-{key}"))
    out = tmp_path / "out"
    for _ in range(2):
        procs = [start_build(edition, out, "--no-preflight") for edition, _ in refs.values()]
        for proc in procs:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err.decode()
        final = snapshot(out)
        report = json.loads(final["report.json"])
        winner = next(k for k, paper in papers.items() if paper == report["paper"])
        ref = refs[winner][1]
        assert sorted(final) == sorted(ref)
        for name in final:
            if name.endswith(".pdf"):
                # the PDFs are deterministic: the set in the folder is byte for byte one build's
                assert final[name] == ref[name], f"{name} is not from the build that wrote report.json"
        assert {_title(out / f"{p}.pdf").split()[0] for p in PAGES} == {report["paper"]}
        assert not list(out.parent.glob(f".{out.name}.*-*"))


def _waits_for_lock(pid: int) -> bool:
    """Is process `pid` blocked on a file lock? (/proc/locks marks waiters with '->')."""
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" in fields and str(pid) in fields:
            return True
    return False


def test_a_build_waits_while_another_holds_the_folder(tmp_path):
    """The lock itself: while the folder is locked a second build writes nothing, not even its staging
    folder; once the lock is released it completes."""
    if not Path("/proc/locks").exists():
        pytest.skip("needs Linux /proc/locks to see a process waiting for a lock")
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with open(tmp_path / ".out.lock", "w") as lock:  # beside the folder: the folder itself is swapped
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = start_build(MINI, out, "--no-preflight")
        while proc.poll() is None and not _waits_for_lock(proc.pid):
            time.sleep(0.01)
        assert proc.poll() is None, proc.stderr.read().decode()
        assert list(out.iterdir()) == [], "nothing is written while another build holds the folder"
        assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]
        fcntl.flock(lock, fcntl.LOCK_UN)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert len(snapshot(out)) == 14


def test_a_failing_edition_worker_says_why(capfd):
    """edition.pdf is rendered in a forked worker: its error reaches stderr, not just its exit status."""
    from layout.output import _fork_render

    def fail():
        raise ValueError("the worker's own error")

    pid = _fork_render(fail)
    if pid is None:
        pytest.skip("no fork here: the build renders edition.pdf itself")
    _, status = os.waitpid(pid, 0)
    assert status != 0
    assert "ValueError: the worker's own error" in capfd.readouterr().err


def test_an_interrupted_worker_prints_no_traceback(capfd):
    """Ctrl-C reaches every process of the group: the build says "interrupted" once, and its
    forked workers (edition.pdf, a page planned ahead) leave without a traceback each (a tester's
    Ctrl-C printed a worker's 80-line KeyboardInterrupt traceback under the build's message); a
    planning child whose parent stopped and closed the pipe leaves quietly too."""
    from layout.autolayout.parallel import finish, start
    from layout.output import _fork_render

    def interrupted():
        raise KeyboardInterrupt

    pid = _fork_render(interrupted)
    if pid is None:
        pytest.skip("no fork here")
    _, status = os.waitpid(pid, 0)
    assert status != 0
    child = start(interrupted)
    assert finish(child) is None
    child = start(lambda: b"x" * (1 << 22))  # more than a pipe holds: the write meets the closed end
    os.close(child.read_fd)
    os.waitpid(child.pid, 0)
    assert "Traceback" not in capfd.readouterr().err


# --- the swap itself: without RENAME_EXCHANGE, and what a build stopped at each step leaves --------------


def _folder(path: Path, files: dict[str, str], outputs: list[str] | None = None) -> Path:
    from layout.output import write_manifest

    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_text(text)
    if outputs is not None:
        write_manifest(path, outputs)
    return path


def test_without_exchange_the_folder_is_still_replaced_whole(tmp_path, monkeypatch):
    from layout import output

    monkeypatch.setattr(output, "_exchange", lambda a, b: False)  # a kernel or file system without it
    out = tmp_path / "out"
    first = build(MINI, out, preflight=False)
    assert first.report["paper"] == "測試晨報"
    other = variant(tmp_path / "b", "另一晨報")
    build(other, out, preflight=False)
    assert json.loads((out / "report.json").read_text("utf-8"))["paper"] == "另一晨報"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "b", "out"]


def test_stopped_between_the_two_renames_the_previous_folder_comes_back(tmp_path):
    from layout.output import STAGING_MARK, OutputFolder, recover_leftovers

    folder = OutputFolder.of(tmp_path / "out")
    # the previous output moved aside, the new one not yet in place (and still marked as staging)
    _folder(tmp_path / ".out.old-123", {"A01.pdf": "old page", "notes.txt": "keep"}, ["A01.pdf"])
    _folder(tmp_path / ".out.staging-123", {"A01.pdf": "half", STAGING_MARK: ""})
    assert recover_leftovers(folder) == []
    assert (tmp_path / "out" / "A01.pdf").read_text() == "old page"
    assert (tmp_path / "out" / "notes.txt").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_stopped_after_the_swap_the_foreign_files_are_carried_over(tmp_path):
    from layout.output import OutputFolder, recover_leftovers

    folder = OutputFolder.of(tmp_path / "out")
    _folder(tmp_path / "out", {"A01.pdf": "new page", "report.json": "{}"}, ["A01.pdf", "report.json"])
    # after the exchange the staging name holds the previous output (no mark: it is a whole build)
    _folder(tmp_path / ".out.staging-77", {"A01.pdf": "old page", "A13.pdf": "old extra page",
                                           "notes.txt": "keep"}, ["A01.pdf", "A13.pdf"])
    assert recover_leftovers(folder) == []
    assert (tmp_path / "out" / "A01.pdf").read_text() == "new page"
    assert (tmp_path / "out" / "notes.txt").read_text() == "keep"
    assert not (tmp_path / "out" / "A13.pdf").exists(), "a page of the old build joined the new set"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_staging_folder_left_before_the_swap_is_dropped(tmp_path):
    from layout.output import STAGING_MARK, OutputFolder, recover_leftovers

    folder = OutputFolder.of(tmp_path / "out")
    _folder(tmp_path / "out", {"A01.pdf": "page"}, ["A01.pdf"])
    _folder(tmp_path / ".out.staging-5", {"A01.pdf": "half", "B01.pdf": "half", STAGING_MARK: ""})
    assert recover_leftovers(folder) == []
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".layout-build.json", "A01.pdf"]
    assert (tmp_path / "out" / "A01.pdf").read_text() == "page"


def test_once_swapped_in_a_failing_rename_does_not_undo_or_lose_anything(tmp_path, monkeypatch):
    """After the exchange the staging name holds the previous output: if moving it aside fails, the
    new folder stays in place and the previous one's foreign files still reach it."""
    from layout import output
    from layout.output import STAGING_MARK, OutputFolder, publish

    _folder(tmp_path / "out", {"A01.pdf": "old page", "notes.txt": "keep"}, ["A01.pdf"])
    folder = OutputFolder.of(tmp_path / "out")
    stage = _folder(folder.sibling("staging", os.getpid()), {"A01.pdf": "new page", STAGING_MARK: ""})
    real = os.rename

    def failing(src, dst):
        if ".old-" in str(dst):
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr(output.os, "rename", failing)
    assert publish(stage, folder) == []
    assert (tmp_path / "out" / "A01.pdf").read_text() == "new page"
    assert (tmp_path / "out" / "notes.txt").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


_LIMITED = """\
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
from layout.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="RLIMIT_FSIZE is POSIX")
def test_a_disk_that_fills_up_is_an_output_write_error_naming_the_file(tmp_path):
    """A write that fails (a full disk, here a file size limit between the page PDFs' size and
    edition.pdf's) is OUTPUT-WRITE naming the file, exit 2, nothing in place. qpdf aborted the
    whole process when its last flush of edition.pdf failed ("terminate called after throwing an
    instance of 'QPDFSystemError'"), and earlier a failure said "FILE-UNREADABLE: <_io.BufferedWriter
    name='…'> cannot be read"."""
    import subprocess
    import sys

    from layout.build import build
    from tests.e2e.conftest import MINI

    sizes = {p.name: p.stat().st_size for p in build(MINI, tmp_path / "ref", preflight=False).files}
    pages = max(v for k, v in sizes.items() if k != "edition.pdf")
    assert sizes["edition.pdf"] > 2 * pages
    script = tmp_path / "limited.py"
    script.write_text(_LIMITED, "utf-8")
    out = tmp_path / "out"
    env = dict(os.environ, LAYOUT_CACHE="off", LAYOUT_REPLAY="off")
    r = subprocess.run([sys.executable, str(script), str(2 * pages), "build", str(MINI), "-o", str(out),
                        "--no-proofs", "--no-preflight"], capture_output=True, text=True, env=env)
    assert r.returncode == 2, r.stderr[-2000:]
    # the file as the output folder's (not the hidden staging folder's, gone by then)
    assert f"{out}: error OUTPUT-WRITE: cannot write edition.pdf of {out}: File too large" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and "terminate called" not in r.stderr and "_io." not in r.stderr
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".out.staging")]
