"""Giving freed memory back to the system between the build's stages (issue 18).

A build's peak RSS is the high-water mark of one long process: what a stage frees stays counted
when the C allocator keeps it. qpdf (edition.pdf put together from the page files) builds the
whole edition's object graph out of many small C++ allocations and frees them all at the end;
glibc keeps those pages in its heap, where Python's own allocator (which maps fresh arenas) never
reuses them. At 24 pages that was ~37 MB held from the PDF stage to the end of the build, under
preflight's and the proofs' own working memory. malloc_trim(0) returns the free pages (also the
ones between live blocks) at a cost of a few milliseconds; it changes no byte of any output.

glibc also raises its mmap threshold each time a mapped block is freed (up to 32 MB), so that after
the first decoded photo or plate set every later one of that size comes from the heap, where it
stays counted once freed: preflight's working set grew by ~30 MB over the 24 pages and kept it.
`map_large_blocks` fixes the threshold (1 MiB), so that large buffers (preflight's decoded photos
and plates) are mapped and unmapped as they come and go: the preflight of the 24-page workload
peaked ~10 MB lower and kept ~25 MB less after it (in one process, a throwaway script). It is set
by the process that preflights (the build's runner, or the build process without one), not for
the whole build: elsewhere it bought no lower peak.

Python's cyclic collector is the other cost of a large heap: once the edition is laid out, each
full collection sweeps every object of it (~0.4 s of CPU on the sample's 12 pages), and one in a
child forked from the build writes into every object's header as it goes, so the child copies
the build's whole heap page by page (the deferred cache writer spent seconds on that). `frozen`
puts the objects alive when the layout is done aside for the output stage (gc.freeze: an O(1)
move, no sweep): the collector, in the build process and in every child forked after it, then
looks only at what the output stage itself makes. Nothing is freed later than it would be but
cycles among those objects (the laid-out edition lives to the end of the build anyway); no
output depends on it."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
from collections.abc import Iterator
from functools import cache

M_MMAP_THRESHOLD = -3  # mallopt's parameter (malloc.h)
LARGE_BLOCK = 1 << 20  # bytes: an allocation this large or larger is mapped by itself


@cache
def _libc():
    """The C library the interpreter is linked with (glibc on Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        # the symbols the interpreter is linked with: no library looked up on disk (ctypes.util's
        # search runs a subprocess, which layout/replay.py would take for an input of the build)
        return ctypes.CDLL(None)
    except OSError:
        return None


def map_large_blocks(threshold: int = LARGE_BLOCK) -> bool:
    """Have blocks of `threshold` bytes and more mapped by themselves, so that freeing them gives
    their memory back at once (glibc's mallopt; it also stops the threshold from rising). True when
    the allocator took it; outputs do not depend on it."""
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None) if libc is not None else None
    if mallopt is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, threshold))


@cache
def _trim():
    """glibc's malloc_trim, or None (another C library, another system: nothing to do)."""
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is None:  # musl and others have no malloc_trim
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def give_back() -> bool:
    """Return the C heap's free memory to the system after a stage that freed much of it; True
    when there was an allocator to ask (whether or not it had anything to give)."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """The objects alive now kept out of the cyclic collector's sweeps until the block ends (see
    the module's text), then handed back to it among the oldest objects (a long-lived caller,
    `layout watch`, has them collected as before). Children forked inside the block inherit it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def freeze_inherited() -> None:
    """In a child just forked from a large process: the parent's objects kept out of the cyclic
    collector's sweeps, so that the child does not copy the parent's heap by collecting it (the
    child ends with os._exit, so they are never handed back)."""
    gc.freeze()
