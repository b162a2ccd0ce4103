"""The build gives the C heap's freed memory back between stages (layout/render/heap.py, issue
18): memory freed in the middle of the heap (as qpdf leaves it after edition.pdf) stops counting
in the process's RSS."""

import sys

import pytest

from layout.render.heap import give_back


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim, Linux /proc")
def test_memory_freed_inside_the_heap_is_given_back():
    # blocks under glibc's mmap threshold (128 KB) come from the heap; the last one is kept, so
    # the free space is not at the heap's top, where free() would give it back by itself
    blocks = [bytes([k % 251]) * 100_000 for k in range(400)]
    keep = blocks[-1]
    before = _rss_mb()
    del blocks
    freed = _rss_mb()
    assert give_back()
    after = _rss_mb()
    assert before - after > 25, (before, freed, after)  # ~40 MB was freed
    assert keep[0] == 399 % 251
