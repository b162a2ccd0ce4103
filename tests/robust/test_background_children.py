"""No child of a build runs on after it: a build that fails in its output stage, or is interrupted
(SIGINT to the build's process alone, as a supervisor sends it, not to its process group), stops
and reaps its children (the photo prefetch, the deferred cache writer, the dictionary writer, the
page renderer) before it returns, and leaves the previous output as it was, with nothing beside it.

Before, a failed build left the prefetch child and the deferred writer running (or as zombies
while the process lived, e.g. under `layout watch`), writing into the cache after the command had
said "nothing was written"."""

from __future__ import annotations

import errno
import glob
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.robust.test_bad_inputs import PAGES, ROOT, snapshot, write_base


def _children() -> set[int]:
    """This process's children, running or not yet reaped."""
    out: set[int] = set()
    for f in glob.glob(f"/proc/{os.getpid()}/task/*/children"):
        with open(f) as src:
            out |= {int(p) for p in src.read().split()}
    return out


def _more_photos(ed: Path) -> None:
    """Photos on several pages, so the prefetch child has work while the pages are laid out."""
    text = ed.read_text("utf-8")
    for n in (3, 5, 7, 9):
        item = f"      - story: s{n:02d}\n        at: {{col: 1, line: 1, cols: 4, lines: 105}}\n"
        assert item in text
        text = text.replace(item, item + "      - photo: {file: photos/lab.jpg, caption: 實驗室}\n"
                                          "        at: {col: 5, line: 1, cols: 3, lines: 30}\n", 1)
    ed.write_text(text, "utf-8")


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self/task").is_dir(), reason="forks, /proc")
def test_a_build_failing_in_its_output_stage_leaves_no_child(tmp_path, monkeypatch):
    import layout.output
    from layout.build import build
    from layout.diagnostics import OutputError

    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))  # cold: every kind of child has work
    monkeypatch.delenv("LAYOUT_NO_FORK", raising=False)
    ed = write_base(tmp_path / "ed")
    _more_photos(ed)
    before = _children()
    seen: list[set[int]] = []

    def full_disk(folder):
        seen.append(_children() - before)  # the children the build had going when it failed
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out"))

    monkeypatch.setattr(layout.output, "stage_folder", full_disk)
    with pytest.raises(OutputError):
        build(ed, tmp_path / "out")
    assert seen and seen[0], "the build had no child running when its output stage began: nothing tested"
    assert _children() - before == set(), "a failed build left children running (or unreaped)"
    assert not (tmp_path / "out").exists()
    assert not list((tmp_path / "cache").rglob(".tmp-*")), "a child stopped mid-write left its half-written file"


def _session_members(sid: int) -> list[int]:
    """Processes of the session `sid` (the build's and whatever it started), still alive."""
    out = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # fields: state ppid pgrp session ...
            out.append(int(stat.split("/")[2]))
    return out


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self/task").is_dir(), reason="forks, /proc")
def test_sigint_to_the_build_alone_stops_it_cleanly_and_all_it_started(tmp_path):
    ed = write_base(tmp_path / "ed")
    _more_photos(ed)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LAYOUT_CACHE": str(tmp_path / "cache")}
    env.pop("LAYOUT_NO_FORK", None)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "layout", "build", str(ed), "-o", str(out), "--no-proofs"]
    r = subprocess.run(cmd, env={**env, "LAYOUT_CACHE": "off"}, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    good = snapshot(out)
    listed = sorted(p.name for p in out.parent.iterdir())  # the output and its lock file
    # a cold cache again, so the next build forks its helpers; it is interrupted once one runs
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            kids = [p for p in _session_members(proc.pid) if p != proc.pid]
            if kids:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the build ended before it started a child: nothing tested"
        os.kill(proc.pid, signal.SIGINT)  # the build's process only: its children are not told
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
    time.sleep(0.5)  # a child that outlived its parent would still be at work now
    assert _session_members(proc.pid) == [], "a child of the interrupted build is still running"
    assert snapshot(out) == good, "the interrupted build changed the previous output"
    beside = sorted(p.name for p in out.parent.iterdir() if p.name != "cache")
    assert beside == listed, f"the interrupted build left {set(beside) - set(listed)} beside the output"
    assert {f"{p}.pdf" for p in PAGES} <= set(good)
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
