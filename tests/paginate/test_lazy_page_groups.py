"""Page groups from the build cache are read in two parts (layout/paginate/pagecache.py): the
summary at once, the placed glyphs and composed lines only when something draws a page. A warm
build whose PDFs come from their caches reads no glyphs at all; a build that must draw a cached
page reads them (or lays the group out again when they are gone or damaged) and writes the same
bytes; the stand-ins are the engine's own types to every reader."""

from __future__ import annotations

import json
import pickle
import shutil

import pytest

from layout.build import build
from layout.paginate import pagecache
from tests.robust import cachekit
from tests.robust.cachekit import MINI
from tests.robust.cachekit import outputs as _outputs

reference, warmed, cache = cachekit.reference, cachekit.warmed, cachekit.cache  # the shared fixtures


@pytest.fixture
def fills(monkeypatch):
    """Every time a cached group's glyphs are read (or made again), counted."""
    done = []
    original = pagecache._Frames.fill

    def counting(self):
        done.append(self.key)
        return original(self)

    monkeypatch.setattr(pagecache._Frames, "fill", counting)
    return done


def test_a_warm_build_reads_no_glyphs_and_writes_the_same_files(reference, cache, fills, tmp_path):
    result = build(MINI, tmp_path / "out")
    assert fills == []
    assert _outputs(tmp_path / "out") == reference
    # the pages are cached ones: their frames stand in until read
    assert all(type(p.frame).__name__ == "DeferredPageFrame" for p in result.layout.pages)


def test_a_page_drawn_again_reads_its_glyphs_and_gives_the_same_bytes(reference, cache, fills, tmp_path,
                                                                     monkeypatch):
    shutil.rmtree(cache / "pages")  # no page PDF kept: every page is drawn from its frame
    monkeypatch.setenv("LAYOUT_NO_FORK", "1")  # all drawn in this process, where the reads are counted
    build(MINI, tmp_path / "out")
    assert len(fills) == len(list((cache / "paginated-frames").rglob("*.bin")))
    assert _outputs(tmp_path / "out") == reference


@pytest.mark.parametrize("damage", ["gone", "flipped", "other"])
def test_glyphs_gone_or_damaged_are_laid_out_again_with_the_same_result(reference, cache, fills, tmp_path, damage):
    shutil.rmtree(cache / "pages")
    heavy = sorted((cache / "paginated-frames").rglob("*.bin"))
    for n, entry in enumerate(heavy):
        if damage == "gone":
            entry.unlink()
        elif damage == "flipped":
            raw = bytearray(entry.read_bytes())
            raw[-20] ^= 0xFF
            entry.write_bytes(bytes(raw))
        else:  # another group's glyphs under a header that checks out: the summary's digest fails
            entry.write_bytes(heavy[(n + 1) % len(heavy)].read_bytes() if n % 2 else entry.read_bytes())
    build(MINI, tmp_path / "out")
    assert _outputs(tmp_path / "out") == reference


def test_a_summary_whose_glyphs_are_gone_is_not_used(cache, tmp_path, fills):
    """Pruning may take one part of an entry: a summary without its glyphs is a miss at once (the
    group is laid out while paginating, not later while writing)."""
    for entry in (cache / "paginated-frames").rglob("*.bin"):
        entry.unlink()
    result = build(MINI, tmp_path / "out")
    assert fills == []
    assert all(type(p.frame).__name__ == "PageFrame" for p in result.layout.pages)


def test_stand_ins_equal_and_pickle_as_the_types_they_stand_for(cache, tmp_path):
    from layout.cache import _EngineUnpickler
    from layout.frames import PageFrame
    from layout.paginate.flow import Block
    from layout.paginate.story import Part

    def round_trip(value):  # as a worker process or the engine's own cache reads it back
        import io

        return _EngineUnpickler(io.BytesIO(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))).load()

    cached = build(MINI, tmp_path / "a", preflight=False).layout
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAYOUT_CACHE", "off")
        fresh = build(MINI, tmp_path / "b", preflight=False).layout
    for c, f in zip(cached.pages, fresh.pages, strict=True):
        assert isinstance(c.frame, PageFrame)
        assert c.frame == f.frame and f.frame == c.frame and hash(c.frame) == hash(f.frame)
        again = round_trip(c.frame)
        assert isinstance(again, PageFrame) and again == f.frame and "_frames" not in vars(again)
    for sid, story in cached.stories.items():
        other = fresh.stories[sid]
        assert all(isinstance(p, Part) for p in story.parts)
        assert story.parts == other.parts and other.parts == story.parts
        assert round_trip(story.parts) == other.parts
        blocks = [r.block for r in story.result.runs]
        assert all(isinstance(b, Block) for b in blocks)
        assert blocks == [r.block for r in other.result.runs]


def test_a_summary_naming_a_foreign_callable_in_a_reference_is_refused(cache, tmp_path):
    """The summary's references to deferred objects carry field values: read by the restricted
    unpickler like the rest, so a reference cannot smuggle a callable either."""
    import hashlib
    import os

    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    class Writer(pickle.Pickler):
        def persistent_id(self, obj):
            return (0, "Block", {"paragraph": Evil()}) if obj == "x" else None

    for entry in (cache / "paginated").rglob("*.bin"):
        head = json.loads(entry.read_bytes().partition(b"\n")[0])
        import io

        buf = io.BytesIO()
        Writer(buf, protocol=5).dump(["x"])
        data = pickle.dumps(("0" * 64, buf.getvalue()))
        head.update(length=len(data), sha256=hashlib.sha256(data).hexdigest())
        entry.write_bytes(json.dumps(head).encode() + b"\n" + data)
    build(MINI, tmp_path / "out", preflight=False)
    assert not marker.exists()


def test_after_an_edit_only_the_edited_group_is_drawn_and_the_files_are_a_cold_builds(fills, tmp_path,
                                                                                      monkeypatch):
    """One story edited: its group is laid out and drawn again; no other group's glyphs are read
    (their PDFs, findings and proofs come from their caches), and everything written — PDFs,
    report.json, proofs — is what a build of the edited edition with no cache at all writes."""
    text = MINI.read_text("utf-8")
    assert text.count("這是第7版的測試稿件") == 1
    edition = tmp_path / "ed" / "mini.yaml"
    edition.parent.mkdir()
    edition.write_text(text, "utf-8")
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    build(edition, tmp_path / "out", proofs=True)
    # the same number of lines, so that every other story stays where the file says it is
    edition.write_text(text.replace("這是第7版的測試稿件", "這是第七版的測試稿"), "utf-8")
    fills.clear()
    result = build(edition, tmp_path / "out", proofs=True)
    assert fills == []
    fresh = [p.page.id for p in result.layout.pages if type(p.frame).__name__ == "PageFrame"]
    assert fresh == ["A07"]
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    build(edition, tmp_path / "cold", proofs=True)
    assert _outputs(tmp_path / "out") == _outputs(tmp_path / "cold")
    proofs = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out" / "proofs").rglob("*.png"))
    assert proofs and all((tmp_path / "out" / p).read_bytes() == (tmp_path / "cold" / p).read_bytes() for p in proofs)


def test_a_warm_build_marks_both_parts_used_so_pruning_keeps_them_together(cache, fills, tmp_path):
    """The glyphs a warm build does not read are marked used with their summary: pruning the
    oldest entries (layout.cache.prune) cannot take the glyphs first and leave a summary that is
    a miss for want of them."""
    import os

    old = 1_000_000_000  # 2001
    parts = sorted((cache / "paginated").rglob("*.bin")) + sorted((cache / "paginated-frames").rglob("*.bin"))
    for entry in parts:
        os.utime(entry, (old, old))
    build(MINI, tmp_path / "out")
    assert fills == []
    assert all(entry.stat().st_mtime > old + 1 for entry in parts)
