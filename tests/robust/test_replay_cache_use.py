"""Reading a cache entry marks it used, so `cache.prune` removes the least recently *used* entries
(an entry read by every build outlives one written once and never read again), and the replay's
digest memo trusts a file only while its stat signature is the one it hashed."""

from __future__ import annotations

import os

import pytest

from layout.cache import BlobCache, JsonCache, ObjectCache, prune
from layout.diagnostics import Location
from layout.replay import DigestMemo, ReplayStore, path_state


def _age(path, seconds: int) -> None:
    os.utime(path, ns=(seconds * 1_000_000_000, seconds * 1_000_000_000))


@pytest.mark.parametrize("kind", [JsonCache, BlobCache, ObjectCache])
def test_an_entry_read_back_outlives_newer_ones_never_read(tmp_path, kind):
    store = kind(tmp_path / "k", "k")
    values = {"old": b"a" * 400, "new": b"b" * 400} if kind is BlobCache else \
        {"old": ["a" * 400], "new": ["b" * 400]} if kind is JsonCache else \
        {"old": Location("a" * 400), "new": Location("b" * 400)}
    for key, value in values.items():
        store.store(key, value)
    _age(store._path("old"), 1000)  # written first ...
    _age(store._path("new"), 2000)
    assert store.load("old") == values["old"]  # ... but read now
    assert os.stat(store._path("old")).st_mtime_ns > os.stat(store._path("new")).st_mtime_ns
    size = sum(os.path.getsize(store._path(k)) for k in values)
    assert prune(tmp_path, size - 1) > 0  # room for one: the one not used goes
    assert store._path("old").exists() and not store._path("new").exists()


def test_a_damaged_entry_is_not_marked_used(tmp_path):
    store = BlobCache(tmp_path / "k", "k")
    store.store("x", b"data")
    path = store._path("x")
    path.write_bytes(path.read_bytes()[:-1] + b"!")
    _age(path, 1000)
    assert store.load("x") is None and not path.exists()


def test_the_digest_memo_hashes_again_when_the_signature_changes(tmp_path):
    memo = DigestMemo(tmp_path / "memo.json")
    f = tmp_path / "story.txt"
    f.write_text("第一稿", "utf-8")
    _age(f, 1000)  # old enough to be remembered (its ctime is not: see below)
    first = path_state(str(f), "stat", memo)
    st = f.stat()
    f.write_text("第二稿", "utf-8")  # the same size ...
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # ... and mtime: the ctime still moves
    assert path_state(str(f), "stat", memo) != first
    assert path_state(str(tmp_path / "gone.txt"), "stat", memo) == "absent"
    assert path_state(str(tmp_path), "stat", memo) == "dir"


def test_a_remembered_digest_is_used_only_for_the_same_file(tmp_path):
    memo = DigestMemo(tmp_path / "memo.json")
    f = tmp_path / "font.otf"
    f.write_bytes(b"face" * 1000)
    st = f.stat()
    memo.entries[str(f)] = [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, "0" * 64]
    assert memo.digest(str(f)) == "0" * 64  # the signature matches: trusted as git's index is
    f.write_bytes(b"FACE" * 1000)
    assert memo.digest(str(f)) != "0" * 64
    memo.dirty = True
    memo.save(ReplayStore(tmp_path))  # a memo file that does not check out is empty
    (tmp_path / "memo.json").write_text('{"format": 1, "digest": "x", "entries": {}}')
    assert DigestMemo(tmp_path / "memo.json").entries == {}


def test_a_forked_worker_s_reads_and_probes_reach_the_recorder(tmp_path):
    from layout.replay import Recorder

    read, probed = tmp_path / "read-in-child.txt", tmp_path / "probed-in-child.txt"
    read.write_text("x", "utf-8")
    rec = Recorder(tmp_path / "relay")
    with rec:
        pid = os.fork()
        if pid == 0:  # the worker: what it looks at is sent to the parent's recorder
            try:
                read.read_text("utf-8")
                probed.exists()
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
    assert not (tmp_path / "relay").exists()  # read when the build ends, and removed
    seen = {(p, h) for p, h, _ in rec.inputs(DigestMemo(None), tmp_path / "cache", str(tmp_path / "out"))}
    assert (str(read), "stat") in seen
    assert (str(probed), "stat") in seen  # absent, and so it must stay


def test_a_program_run_is_an_input_and_what_the_build_writes_is_not(tmp_path):
    import shutil
    import subprocess

    from layout.replay import Recorder

    written = tmp_path / "made.txt"
    rec = Recorder(tmp_path / "relay")
    with rec:
        subprocess.run(["true"], check=True)
        written.write_text("made by the build", "utf-8")
        written.read_text("utf-8")
    inputs = {p: s for p, _, s in rec.inputs(DigestMemo(None), tmp_path / "cache", str(tmp_path / "out"))}
    assert os.path.realpath(shutil.which("true")) in inputs
    assert str(written) not in inputs


def test_without_a_relay_for_the_workers_nothing_is_recorded(tmp_path):
    from layout.replay import Recorder

    rec = Recorder(tmp_path / "no-such-folder" / "relay")  # cannot be made: a worker could not be heard
    with rec:
        (tmp_path / "x").write_text("x", "utf-8")
    assert rec.inputs(DigestMemo(None), tmp_path / "cache", str(tmp_path / "out")) is None


def test_a_build_whose_inputs_lie_inside_the_cache_folder_is_not_recorded(tmp_path):
    """LAYOUT_CACHE pointed at the editions' own folder: the cache is never an input, so such a
    build could not see its own files change; it is not recorded at all."""
    from types import SimpleNamespace

    from layout.replay import Recorder

    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"jpeg")
    prep = SimpleNamespace(ctx=SimpleNamespace(edition={"photo": photo}, profile=None), template=None, catalog=None)
    rec = Recorder(tmp_path / "relay")
    with rec:
        rec.declare(prep)
    assert rec.inputs(DigestMemo(None), tmp_path, str(tmp_path / "out")) is None
    assert rec.inputs(DigestMemo(None), tmp_path / "cache", str(tmp_path / "out")) is not None


def test_a_database_sqlite_opens_in_c_is_an_input(tmp_path):
    import sqlite3

    from layout.replay import Recorder

    db = tmp_path / "words.sqlite"
    sqlite3.connect(db).close()
    rec = Recorder(tmp_path / "relay")
    with rec:
        sqlite3.connect(f"file:{db}?mode=ro", uri=True).close()
    inputs = {p for p, _, _ in rec.inputs(DigestMemo(None), tmp_path / "cache", str(tmp_path / "out"))}
    assert str(db) in inputs
