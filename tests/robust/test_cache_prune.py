"""The build cache is kept to its size: after a build, the least recently written entries go until
it holds at most three quarters of $LAYOUT_CACHE_MAX_MB. Entries only save time, so a build after
pruning gives the bytes of one before it."""

from __future__ import annotations

import os

from layout.build import build
from layout.cache import cache_limit, prune
from tests.e2e.conftest import MINI


def _tree(root, sizes_by_age):
    paths = []
    for n, size in enumerate(sizes_by_age):
        path = root / f"k{n % 3}" / f"{n:02d}" / f"entry{n}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
        os.utime(path, ns=(1_000_000_000 * (n + 1), 1_000_000_000 * (n + 1)))  # entry 0 the oldest
        paths.append(path)
    return paths


def test_the_oldest_entries_go_first_and_only_over_the_limit(tmp_path):
    paths = _tree(tmp_path, [100] * 10)
    writing = tmp_path / "k0" / ".tmp-abc"
    writing.write_bytes(b"y" * 500)
    os.utime(writing, ns=(1, 1))
    assert prune(tmp_path, 1000) == 0  # 1 000 bytes of entries: at the limit, nothing goes
    assert all(p.exists() for p in paths)
    assert prune(tmp_path, 900) == 400  # down to three quarters of 900: the four oldest
    assert [p.exists() for p in paths] == [False] * 4 + [True] * 6
    assert writing.exists()  # a file being written is never taken
    assert prune(tmp_path / "none", 10) == 0


def test_the_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE_MAX_MB", "1.5")
    assert cache_limit() == 1_572_864
    monkeypatch.setenv("LAYOUT_CACHE_MAX_MB", "lots")
    assert cache_limit() == 2048 * 1024 * 1024


def _pdfs(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


def _size(root):
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file())


def test_a_build_keeps_the_cache_to_its_size_and_its_bytes(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE", str(cache))
    build(MINI, tmp_path / "big", preflight=False)
    full = _size(cache)
    limit_mb = full / 2 / 1024 / 1024
    monkeypatch.setenv("LAYOUT_CACHE_MAX_MB", str(limit_mb))
    build(MINI, tmp_path / "pruned", preflight=False)  # everything from the cache, then pruned
    assert _size(cache) <= full / 2 * 3 / 4 + 1
    build(MINI, tmp_path / "after", preflight=False)  # some entries computed again
    assert _pdfs(tmp_path / "after") == _pdfs(tmp_path / "big") == _pdfs(tmp_path / "pruned")
