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


_LARGE = """
import sys
from layout.render.heap import map_large_blocks

def rss():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS"))

if sys.argv[1] == "mapped":
    assert map_large_blocks()
first = bytearray(8 << 20)  # mapped by itself; freeing it raises glibc's threshold past 4 MB
del first
blocks = [bytearray(4 << 20) for _ in range(10)]  # 40 MB, as a preflight's decoded photos and plates
pin = [bytearray(1000) for _ in range(100)]  # live blocks above them: the heap's top cannot shrink
before = rss()
del blocks
print(before - rss())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt, Linux /proc")
def test_large_blocks_are_given_back_as_they_are_freed_once_mapped():
    import subprocess

    def freed(how: str) -> float:  # a fresh process: the allocator's state is its own
        out = subprocess.run([sys.executable, "-c", _LARGE, how], capture_output=True, text=True, check=True)
        return float(out.stdout)

    assert freed("mapped") > 35  # the 40 MB back at once
    assert freed("default") < 10  # glibc's raised threshold: in the heap, kept
