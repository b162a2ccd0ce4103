"""A cache on a full disk: a write that fails leaves no half-written file behind (pruning never
removes .tmp- files, so each one left stays for ever and the cache grows past its limit). The
replay's blob copy left its .tmp- file when the disk filled mid-copy (seen with LAYOUT_CACHE on a
5 MB tmpfs: the build succeeded, a partial blob stayed)."""

from __future__ import annotations

import errno
import shutil

import pytest

from layout.replay import ReplayStore


def test_a_blob_copy_failing_midway_leaves_no_partial_file(tmp_path, monkeypatch):
    store = ReplayStore(tmp_path / "cache")
    src = tmp_path / "A01.pdf"
    src.write_bytes(b"%PDF-1.6\n" + b"x" * 100_000)

    def no_link(*a, **kw):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    def copy_half(a, b, *rest, **kw):
        with open(b, "wb") as out:
            out.write(b"%PDF-1.6\n" + b"x" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device", str(b))

    monkeypatch.setattr("os.link", no_link)
    monkeypatch.setattr(shutil, "copyfile", copy_half)
    with pytest.raises(OSError):
        store.keep_blob(src, "ab" * 32)
    assert [p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []
