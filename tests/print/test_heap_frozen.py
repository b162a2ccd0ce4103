"""The laid-out edition is kept out of the cyclic collector's sweeps during the output stage
(layout/render/heap.py `frozen`, issue 18): a full collection of it cost ~0.4 s at 12 pages in
the build process and in each child forked from it, and a child collecting it copied the whole
heap. Frozen from the end of the layout to the end of the build, and handed back after it."""

from __future__ import annotations

import gc
import os

import layout.output
from layout.build import build
from layout.render.heap import freeze_inherited, frozen
from tests.robust.cachekit import MINI


def test_the_output_stage_runs_with_the_layout_frozen_and_hands_it_back(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    seen = []
    real = layout.output.write_outputs

    def spy(*args, **kwargs):
        seen.append(gc.get_freeze_count())
        return real(*args, **kwargs)

    monkeypatch.setattr(layout.output, "write_outputs", spy)
    before = gc.get_freeze_count()
    build(MINI, tmp_path / "out")
    assert seen and seen[0] > before + 1000  # the laid-out pages, faces and composed lines at least
    assert gc.get_freeze_count() == 0  # a long-lived caller (watch) has them collected again


def test_frozen_hands_back_on_error_and_cycles_made_inside_are_collected():
    class Node:
        pass

    try:
        with frozen():
            assert gc.get_freeze_count() > 0
            a, b = Node(), Node()
            a.other, b.other = b, a
            alive = len(gc.get_objects())
            del a, b
            gc.collect()  # the cycle made inside the block is the collector's as ever
            assert len(gc.get_objects()) < alive
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0


def test_a_child_freezes_what_it_inherits():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            freeze_inherited()
            os.write(write, str(gc.get_freeze_count()).encode())
        finally:
            os._exit(0)
    os.close(write)
    got = int(os.read(read, 64) or b"0")
    os.close(read)
    os.waitpid(pid, 0)
    assert got > 1000 and gc.get_freeze_count() == 0
