"""Preflight on both cores (layout/output.py `_on_two_cores`, issue 18): a forked child checks
the pages `_share` gives it and sends their findings back as JSON; the findings are those one
process finds alone, and a child that fails leaves its pages to the build's process."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

import layout.output as output
from layout.build import prepare
from layout.images import ImageStore
from tests.e2e.conftest import MINI


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The mini edition laid out, its photos prepared and its page PDFs written (cache off)."""
    stage = tmp_path_factory.mktemp("stage")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAYOUT_CACHE", "off")
        prep = prepare(MINI)
        images = output.prepare_images(prep, ImageStore())
        output.write_pdfs(prep, images, stage)
    # A stricter shop, so that the pages have findings to compare (total ink over 60 %, small text).
    prep.ctx.profile = replace(prep.ctx.profile, ink_warn=60.0, ink_limit=80.0, min_text_pt=12.0)
    return prep, images, stage


def _alone(written, monkeypatch):
    prep, images, stage = written
    monkeypatch.setenv("LAYOUT_NO_FORK", "1")
    found = output.preflight_pages(prep, stage, images)
    monkeypatch.delenv("LAYOUT_NO_FORK")
    return found


def test_pages_checked_by_the_child_give_the_findings_of_one_process(written, monkeypatch):
    prep, images, stage = written
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    alone = _alone(written, monkeypatch)
    here: list[str] = []
    real = output.preflight_frames if hasattr(output, "preflight_frames") else None
    assert real is None  # imported where it is used: count through the module it comes from
    from layout.preflight import described

    real = described.preflight_frames

    def counting(pages, **kw):
        if os.getpid() == parent:
            here.extend(title for _, title, _ in pages)
        return real(pages, **kw)

    parent = os.getpid()
    monkeypatch.setattr(described, "preflight_frames", counting)
    shared = output.preflight_pages(prep, stage, images)
    assert shared == alone
    assert list(shared) == list(alone)  # in page order
    assert 0 < len(here) < len(prep.layout.pages)  # the child checked the others
    assert sum(len(v) for v in alone.values()) > 0  # findings to compare, not only empty lists


def test_two_cores_give_one_process_values_in_order():
    todo = list(range(7))
    run = lambda some: [[{"n": n, "sq": n * n / 3}] for n in some]  # noqa: E731
    assert output._on_two_cores(todo, [1] * 7, run) == run(todo)
    assert output._on_two_cores([5], [1], run) == run([5])
    assert output._on_two_cores([], [], run) == []


def test_a_child_that_fails_leaves_its_members_here():
    parent = os.getpid()
    calls: list[list[int]] = []

    def run(some):
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        calls.append(list(some))
        return [[n] for n in some]

    assert output._on_two_cores(list(range(6)), [1] * 6, run) == [[n] for n in range(6)]
    assert len(calls) == 2 and sorted(calls[0] + calls[1]) == list(range(6))


def test_a_child_sending_nonsense_is_not_believed(monkeypatch):
    parent = os.getpid()

    def run(some):
        if os.getpid() != parent:
            return [["not", "what", "was", "asked"]]  # one value for several members
        return [[n] for n in some]

    assert output._on_two_cores(list(range(6)), [1] * 6, run) == [[n] for n in range(6)]


def test_an_error_here_is_raised_and_the_child_reaped(monkeypatch):
    parent = os.getpid()
    forked: list[int] = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(output.os, "fork", fork)

    def run(some):
        if os.getpid() == parent:
            raise ValueError("a check that fails")
        return [[n] for n in some]

    with pytest.raises(ValueError):
        output._on_two_cores(list(range(6)), [1] * 6, run)
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # reaped already: not left behind
