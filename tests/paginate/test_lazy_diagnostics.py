"""Pages from the page cache say exactly what a fresh build of them says: the diagnostics and
report.json of a warm build, and of a warm build after one story was edited, are those of a
cold build — with vertical text (a Taiwan edition whose body face has a damaged glyph, set in two
vertical stories on two pages) and on the sample edition."""

from __future__ import annotations

import json
import random
import struct
from pathlib import Path

import pytest

from layout.build import build
from layout.fonts.catalog import FONTS_DIR
from tests.robust.strategies import ROOT

TAIWAN = ROOT / "tests" / "vertical" / "data" / "taiwan.yaml"
SAMPLE = ROOT / "editions" / "sample.yaml"
TC_SERIF = FONTS_DIR / "NotoSerifCJKtc-Regular.otf"
DAMAGED = "駁"


def _damage(path: Path, ch: str) -> None:
    """The shipped TC serif with random bytes over the charstring of `ch` (checksum made to match:
    only the glyph check finds it)."""
    from layout.fonts.face import Face, FaceSpec

    face = Face(FaceSpec(TC_SERIF))
    data = bytearray(TC_SERIF.read_bytes())
    (num,) = struct.unpack_from(">H", data, 4)
    entry, off, length = next((12 + 16 * i, o, n) for i in range(num)
                              for tag, _c, o, n in [struct.unpack_from(">4sIII", data, 12 + 16 * i)] if tag == b"CFF ")
    cs = face.outlines.charstrings
    start = off + cs.data_at + cs._offset(face.gid(ch)) - 200
    rnd = random.Random(17)
    data[start:start + 400] = bytes(rnd.randrange(256) for _ in range(400))
    block = bytes(data[off:off + length]) + b"\0" * (-length % 4)
    struct.pack_into(">I", data, entry + 4, sum(struct.unpack(f">{len(block) // 4}I", block)) & 0xFFFFFFFF)
    path.write_bytes(bytes(data))


def _outputs(out: Path) -> tuple[dict[str, bytes], dict]:
    report = json.loads((out / "report.json").read_text("utf-8"))
    report.pop("build_time")
    report.pop("timings")
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}, report


def _damaged(report: dict) -> list[str]:
    return [d["message"] for d in report["diagnostics"] if d["code"] == "FONT-GLYPH-DAMAGED"]


@pytest.fixture
def laid_out(monkeypatch):
    """The page groups each build lays out (by first page), counted."""
    import layout.paginate.edition as edition

    done: list[str] = []
    original = edition._lay_out_group

    def counting(ctx, group, *args):
        done.append(group[0].id)
        return original(ctx, group, *args)

    monkeypatch.setattr(edition, "_lay_out_group", counting)
    return done


@pytest.fixture
def taiwan(tmp_path) -> tuple[Path, str]:
    """The Taiwan edition in tmp_path, its body face damaged at 駁, and s03 (page A03) vertical
    too with 駁 in its text, as s02 (page A02) has: one damaged character in two page groups."""
    folder = tmp_path / "ed"
    folder.mkdir()
    _damage(folder / "damaged-tc.otf", DAMAGED)
    text = TAIWAN.read_text("utf-8")
    old = "    headline: {text: 捷運新線年底通車, direction: vertical}\n    teaser: 第3版導讀\n    body: |\n      這是第3版"
    assert old in text and text.count("接駁") == 1
    text = text.replace(old, "    headline: {text: 捷運新線年底通車, direction: vertical}\n    direction: vertical\n"
                             "    teaser: 第3版導讀\n    body: |\n      接駁車。這是第3版")
    text = "fonts: {body: [{file: damaged-tc.otf}, {file: NotoSerifCJKtc-Regular.otf}]}\n" + text
    edition = folder / "taiwan.yaml"
    edition.write_text(text, "utf-8")
    return edition, text


def test_vertical_pages_from_the_cache_say_what_a_cold_build_says(taiwan, laid_out, tmp_path, monkeypatch):
    edition, _ = taiwan
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    build(edition, tmp_path / "cold")
    cold = _outputs(tmp_path / "cold")
    assert any(DAMAGED in m for m in _damaged(cold[1]))
    laid_out.clear()
    build(edition, tmp_path / "warm")
    assert laid_out == []  # every page from the cache, the vertical ones too
    assert _outputs(tmp_path / "warm") == cold


def test_after_an_edit_the_vertical_damaged_glyph_warning_is_that_of_a_cold_build(
        taiwan, laid_out, tmp_path, monkeypatch):
    """s02 loses its 駁; s03 on A03 still sets it. A03 comes from the cache, and must bring the
    character along although, in the build that cached it, A02 had asked for it first."""
    edition, text = taiwan
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    build(edition, tmp_path / "first")
    edition.write_text(text.replace("設置Shuttle接駁車", "設置Shuttle接送車"), "utf-8")
    laid_out.clear()
    build(edition, tmp_path / "edited")
    assert "A03" not in laid_out and "A02" in laid_out
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    build(edition, tmp_path / "fresh")
    fresh = _outputs(tmp_path / "fresh")
    assert any(DAMAGED in m for m in _damaged(fresh[1]))
    edited = _outputs(tmp_path / "edited")
    assert _damaged(edited[1]) == _damaged(fresh[1])
    assert edited[1]["diagnostics"] == fresh[1]["diagnostics"]
    assert edited == fresh


def test_the_samples_warm_build_says_what_a_cold_build_says(laid_out, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    build(SAMPLE, tmp_path / "cold")
    cold = _outputs(tmp_path / "cold")
    laid_out.clear()
    build(SAMPLE, tmp_path / "warm")
    assert laid_out == []
    assert _outputs(tmp_path / "warm") == cold


def test_a_cached_vertical_story_is_placed_again_as_a_fresh_one(taiwan, tmp_path, monkeypatch):
    """A reader that places a cached vertical story's lines again (body_items) reads its blocks'
    columns from the cache: the items are those of a fresh layout."""
    from layout.build import prepare
    from layout.paginate.story import body_items

    edition, _ = taiwan
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    prepare(edition)
    cached = prepare(edition)
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    fresh = prepare(edition)
    for sid in ("s02", "s03"):
        layout = cached.layout.stories[sid]
        assert layout.story.direction == "vertical"
        assert type(layout.result.runs[0].block).__name__ == "DeferredBlock"
        assert body_items(cached.ctx, layout) == body_items(fresh.ctx, fresh.layout.stories[sid])
