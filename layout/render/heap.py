"""Giving freed memory back to the system between the build's stages (issue 18).

A build's peak RSS is the high-water mark of one long process: what a stage frees stays counted
when the C allocator keeps it. qpdf (edition.pdf put together from the page files) builds the
whole edition's object graph out of many small C++ allocations and frees them all at the end;
glibc keeps those pages in its heap, where Python's own allocator (which maps fresh arenas) never
reuses them. At 24 pages that was ~37 MB held from the PDF stage to the end of the build, under
preflight's and the proofs' own working memory. malloc_trim(0) returns the free pages (also the
ones between live blocks) at a cost of a few milliseconds; it changes no byte of any output."""

from __future__ import annotations

import ctypes
import sys
from functools import cache


@cache
def _trim():
    """glibc's malloc_trim, or None (another C library, another system: nothing to do)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        # the symbols the interpreter is linked with: no library looked up on disk (ctypes.util's
        # search runs a subprocess, which layout/replay.py would take for an input of the build)
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
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
