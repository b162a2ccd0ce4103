"""Laid-out page groups in the build cache ($LAYOUT_CACHE/paginated) are trusted no more than any
other entry: a damaged, cut or hand-made entry is dropped and the group laid out again, an entry
naming anything but the engine's own data types is refused without running it, and what a build
writes is the same bytes as a build with the cache off."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

from layout.build import build
from layout.cache import ObjectCache
from tests.robust import cachekit
from tests.robust.cachekit import MINI
from tests.robust.cachekit import outputs as _outputs

reference, warmed, cache = cachekit.reference, cachekit.warmed, cachekit.cache  # the shared fixtures


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "paginated").rglob("*.bin"))


def _rewrite(entry: Path, data: bytes) -> None:
    """Replace an entry's bytes under a header that checks out (as a hand-made entry would)."""
    header = json.loads(entry.read_bytes().partition(b"\n")[0])
    header.update(length=len(data), sha256=hashlib.sha256(data).hexdigest())
    entry.write_bytes(json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + data)


def test_every_page_is_in_a_group_entry_and_jump_pages_share_one(warmed):
    # 12 pages; the lead story jumps from A01 to A04: 11 groups
    assert len(_entries(warmed)) == 11


def test_damaged_group_entries_are_laid_out_again_with_the_same_result(reference, cache, tmp_path):
    for n, entry in enumerate(_entries(cache)):
        raw = bytearray(entry.read_bytes())
        if n % 3 == 0:
            raw[-20] ^= 0xFF  # a flipped byte: the header's digest fails
        elif n % 3 == 1:
            raw = raw[: len(raw) // 2]  # cut off
        else:  # well-formed bytes of the wrong value: the check fails
            _rewrite(entry, pickle.dumps({"pages": []}))
            continue
        entry.write_bytes(bytes(raw))
    build(MINI, tmp_path / "out")
    assert _outputs(tmp_path / "out") == reference


def test_an_entry_naming_a_foreign_callable_is_refused_and_not_run(reference, cache, tmp_path):
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for entry in _entries(cache):
        _rewrite(entry, pickle.dumps(Evil()))
    build(MINI, tmp_path / "out")
    assert not marker.exists()
    assert _outputs(tmp_path / "out") == reference
    # and the refused entries were replaced by good ones
    assert all(b"posix" not in e.read_bytes() and b"system" not in e.read_bytes() for e in _entries(cache))


def test_an_engine_function_is_not_a_data_type_either(tmp_path):
    store = ObjectCache(tmp_path, "t")

    class Call:
        def __reduce__(self):
            from layout.output import remove_tree

            return (remove_tree, (str(tmp_path / "victim"),))

    (tmp_path / "victim").mkdir()
    store.store("k", Call())
    assert store.load("k") is None
    assert (tmp_path / "victim").is_dir()


def _story_view(layout) -> dict:
    """What readers of a StoryLayout use: each part's page and items, each placed line's text."""
    from layout.frames import GlyphRun

    return {sid: ([(p.page, [r.text for r in p.items if isinstance(r, GlyphRun)]) for p in lay.parts],
                  ["".join(g.text for g in pl.block.lines[pl.index].glyphs) for pl in lay.result.placed],
                  lay.story is not None and lay.story.id == sid)
            for sid, lay in layout.stories.items()}


def test_stories_from_the_cache_are_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    fresh = build(MINI, tmp_path / "a").layout
    cached = build(MINI, tmp_path / "b").layout  # every group from the cache
    assert _story_view(cached) == _story_view(fresh)
    assert all(v[2] for v in _story_view(cached).values())
