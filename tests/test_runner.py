"""The runner (layout/runner.py): a small process forked before the edition is loaded, doing a
build's file-to-file work. Its jobs run in another process and give the values, errors and files
this process would; a runner that died leaves its job to this process; and a build through it
writes the very bytes (page PDFs, edition.pdf, proof images) of a build without it."""

from __future__ import annotations

import errno
import os
import signal

import pytest

from layout.runner import Runner, running


def _pid() -> int:
    return os.getpid()


def _fail_os(path: str) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", path)


def _fail() -> None:
    raise ValueError("a bug in the job")


def _rss_mb() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS"))


@pytest.fixture
def runner():
    r = Runner.start()
    if r is None:
        pytest.skip("no fork here")
    yield r
    r.close()


def test_a_job_runs_in_the_runner_and_its_value_comes_back(runner):
    assert runner.run(_pid) == runner.pid != os.getpid()
    assert runner.run(sorted, [3, 1, 2]) == [1, 2, 3]
    assert runner.done == ["_pid", "sorted"]


def test_the_runner_is_forked_small_and_stays_small_while_this_process_grows():
    with running() as r:
        if r is None:
            pytest.skip("no fork here")
        ballast = bytearray(200 * 1024 * 1024)  # this process's memory after the fork
        ballast[::4096] = b"x" * len(ballast[::4096])
        assert r.run(_rss_mb) < _rss_mb() - 150
        del ballast


def test_jobs_sent_one_after_another_are_answered_each_by_its_ticket(runner, tmp_path):
    first = runner.submit(_fail_os, str(tmp_path / "a.pdf"))
    second = runner.submit(sorted, [2, 1])
    assert runner.result(second) == [1, 2]  # the first one's answer kept meanwhile
    with pytest.raises(OSError):
        runner.result(first)
    assert not runner.busy
    runner.submit(_pid)
    runner.finish()
    assert runner.done == ["sorted", "_pid"]


def test_an_os_error_comes_back_as_one_naming_its_file(runner, tmp_path):
    with pytest.raises(OSError) as got:
        runner.run(_fail_os, str(tmp_path / "edition.pdf"))
    assert got.value.errno == errno.ENOSPC and got.value.filename == str(tmp_path / "edition.pdf")
    assert runner.run(_pid) == runner.pid  # and the runner goes on


def test_another_error_comes_back_with_the_runners_traceback(runner):
    with pytest.raises(RuntimeError, match="ValueError: a bug in the job"):
        runner.run(_fail)


def test_a_lost_runner_leaves_its_job_to_this_process(runner):
    os.kill(runner.pid, signal.SIGKILL)
    os.waitpid(runner.pid, 0)
    runner.closed = False
    assert runner.run(_pid) == os.getpid()
    assert runner.run(sorted, [2, 1]) == [1, 2]


def test_no_runner_without_fork(monkeypatch):
    monkeypatch.setenv("LAYOUT_NO_FORK", "1")
    with running() as r:
        assert r is None


def test_a_build_through_the_runner_writes_the_same_bytes(tmp_path, monkeypatch):
    """edition.pdf put together, the pages preflighted and the proofs made by the runner, against
    the same build done in one process: every page PDF, edition.pdf, every proof image (contact
    sheet included) and every preflight finding equal."""
    from layout.build import build
    from tests.e2e.conftest import MINI

    monkeypatch.setenv("LAYOUT_CACHE", "off")
    alone = build(MINI, tmp_path / "alone", proofs=True)
    with running() as r:
        if r is None:
            pytest.skip("no fork here")
        through = build(MINI, tmp_path / "through", proofs=True, runner=r)
        # preflight first: sent before the page PDFs are written, edition.pdf after them
        assert r.done == ["preflight_job", "assemble_edition", "make_proofs"]
    assert through.report["preflight"] == alone.report["preflight"]
    assert not (tmp_path / "through" / ".preflight-pages").exists()  # the runner's page file, removed
    names = sorted(p.name for p in alone.files if p.suffix == ".pdf")
    assert "edition.pdf" in names and names == sorted(p.name for p in through.files if p.suffix == ".pdf")
    for name in names:
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "through" / name).read_bytes(), name
    pngs = sorted(p.name for p in (tmp_path / "alone" / "proofs").glob("*.png"))
    assert "contact.png" in pngs and pngs == sorted(p.name for p in (tmp_path / "through" / "proofs").glob("*.png"))
    for name in pngs:
        assert (tmp_path / "alone" / "proofs" / name).read_bytes() == \
            (tmp_path / "through" / "proofs" / name).read_bytes(), name


def test_the_runner_preflights_the_pages_while_the_build_writes_their_pdfs(tmp_path, monkeypatch):
    """The check needs the page descriptions and photos, not the PDFs: the pages are sent to the
    runner before the first page PDF is rendered, and its answer is waited for only after them."""
    import layout.output as output
    from layout.build import build
    from tests.e2e.conftest import MINI

    monkeypatch.setenv("LAYOUT_CACHE", "off")
    sent_before: list[list[str]] = []
    real = output._render_file

    def render(prep, frames, images, title):
        sent_before.append([getattr(job[0], "__name__", "?") for job in r.jobs.values()] + r.done)
        return real(prep, frames, images, title)

    monkeypatch.setattr(output, "_render_file", render)
    with running() as r:
        if r is None:
            pytest.skip("no fork here")
        build(MINI, tmp_path / "out", runner=r)
    assert sent_before and all("preflight_job" in names for names in sent_before)
