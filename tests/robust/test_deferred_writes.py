"""Cache writes done off a build's critical path (layout/cache.py DeferredWrites, issue 18): the
laid-out page groups are pickled and written by a forked child beside the output stage. The
entries are on disk when build() returns, a warm build reads them, and a build whose cache
writes all fail (or whose writing child fails) gives the same bytes and exit code as one with
the cache off."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from layout import cache as cachemod
from layout.build import build
from tests.robust.cachekit import MINI, outputs, reference  # noqa: F401 - a fixture
from tests.robust.strategies import ROOT


def test_jobs_run_in_a_child_and_settle_waits_for_them(tmp_path):
    mark = tmp_path / "mark"
    here = os.getpid()
    seen = []

    def job():
        seen.append(os.getpid())  # in the child's memory only
        mark.write_text(f"{os.getpid()} {os.nice(0)}")

    with cachemod.deferred_writes():
        cachemod.write_later(job)
        assert not mark.exists() and not seen  # queued, not run
    cachemod.settle()
    pid, niceness = mark.read_text().split()
    assert int(pid) != here  # written by another process,
    assert int(niceness) >= min(19, os.nice(0) + cachemod.WRITER_NICENESS)  # behind the build's own
    assert not seen and not cachemod._WRITING


def test_without_a_deferral_a_job_runs_at_once(tmp_path):
    ran = []
    cachemod.write_later(lambda: ran.append(1))
    assert ran == [1]


@pytest.mark.parametrize("why", ["no-fork", "threads"])
def test_where_a_fork_is_unsafe_the_jobs_run_here(why, monkeypatch):
    ran = []
    release = threading.Event()
    thread = None
    if why == "no-fork":
        monkeypatch.setenv("LAYOUT_NO_FORK", "1")
    else:  # another thread: a fork would leave its locks held in the child
        thread = threading.Thread(target=release.wait)
        thread.start()
    try:
        with cachemod.deferred_writes():
            cachemod.write_later(lambda: ran.append(os.getpid()))
            assert ran == []
        assert ran == [os.getpid()] and not cachemod._WRITING
    finally:
        release.set()
        if thread is not None:
            thread.join()


def test_a_failing_job_does_not_stop_the_others(monkeypatch):
    monkeypatch.setenv("LAYOUT_NO_FORK", "1")
    ran = []

    def fail():
        raise RuntimeError("a cache write that breaks")

    with cachemod.deferred_writes():
        cachemod.write_later(fail)
        cachemod.write_later(lambda: ran.append(2))
    assert ran == [2]


def test_the_page_groups_are_written_by_the_child_and_read_by_the_next_build(reference, tmp_path,  # noqa: F811
                                                                            monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    forks = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(cachemod.os, "fork", fork)
    build(MINI, tmp_path / "a")
    assert forks and forks[0] not in cachemod._WRITING  # the writer ran, and was waited for
    assert list((tmp_path / "cache" / "paginated").rglob("*.bin"))
    assert list((tmp_path / "cache" / "paginated-frames").rglob("*.bin"))
    assert outputs(tmp_path / "a") == reference
    monkeypatch.setattr(cachemod.os, "fork", real_fork)

    from layout.paginate import edition

    def refuse(*_a, **_k):
        raise AssertionError("a page group laid out again")

    monkeypatch.setattr(edition, "_lay_out_group", refuse)
    result = build(MINI, tmp_path / "b")  # every group from the entries the child wrote
    assert outputs(tmp_path / "b") == reference
    assert result.layout.pages


def _cli(edition, out, cache: str) -> tuple[int, dict, dict]:
    env = {**os.environ, "LAYOUT_CACHE": cache, "LAYOUT_REPLAY": "off", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "layout", "build", str(edition), "-o", str(out)], env=env,
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    return (done.returncode, *outputs(out))


def test_a_build_whose_cache_writes_all_fail_gives_the_same_bytes_and_exit_code(tmp_path):
    """The cache folder cannot be made (a file stands where it should be): every write fails,
    the jieba writer, the deferred page groups and the pages' entries among them."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file")
    code_off, pdfs_off, report_off = _cli(MINI, tmp_path / "off", "off")
    code, pdfs, report = _cli(MINI, tmp_path / "out", str(blocked / "cache"))
    assert (code, pdfs, report) == (code_off, pdfs_off, report_off)
    assert blocked.read_text() == "a file"


def test_a_writer_child_that_dies_changes_nothing(reference, tmp_path, monkeypatch):  # noqa: F811
    """The child is killed before it writes anything: the build's bytes are the same, and the next
    build, finding no entries, lays the pages out again to the same bytes."""
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    real_run = cachemod._run_all

    def die(jobs):
        if os.getpid() != parent:
            os._exit(9)
        real_run(jobs)

    parent = os.getpid()
    monkeypatch.setattr(cachemod, "_run_all", die)
    build(MINI, tmp_path / "a")
    assert outputs(tmp_path / "a") == reference
    assert not list((tmp_path / "cache" / "paginated").rglob("*.bin"))
    monkeypatch.setattr(cachemod, "_run_all", real_run)
    build(MINI, tmp_path / "b")
    assert outputs(tmp_path / "b") == reference
    assert list((tmp_path / "cache" / "paginated").rglob("*.bin"))
