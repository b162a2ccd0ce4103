"""Font subsets kept in the build cache (Face.subset_checked): a page drawn again with the glyphs
it had takes its subsets from there, byte for byte what making them again gives, and a damaged
entry is never used."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.fonts.cff import CffSource
from layout.fonts.face import Face, FaceSpec

from .helpers import SAMPLE, SHIPPED

FONTS = Path(__file__).resolve().parents[2] / "fonts"


def _face(name: str) -> Face:
    return Face(FaceSpec(FONTS / SHIPPED[name]))


def _not_called(*args):
    raise AssertionError("the subset was made again")


def _gids(face: Face) -> frozenset[int]:
    return frozenset(g for ch in SAMPLE if (g := face.gid(ch)) is not None)


@pytest.mark.parametrize("role", ["body", "headline"])
def test_a_kept_subset_is_the_one_made_again_and_spares_the_outlines(tmp_path, monkeypatch, role):
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    made, bad = _face(role).subset_checked(_gids(_face(role)), "ABCDEF+Test")
    assert bad == {}
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    assert _face(role).subset_checked(_gids(_face(role)), "ABCDEF+Test") == (made, {})  # made and kept
    fresh = _face(role)
    with monkeypatch.context() as mp:  # from the cache: no charstring is scanned, no subset written
        mp.setattr(CffSource, "subset_checked", _not_called)
        assert fresh.subset_checked(_gids(fresh), "ABCDEF+Test") == (made, {})
    # another glyph set or another name is another subset
    other = fresh.subset_checked(_gids(fresh) | {fresh.gid("國") or 1, fresh.gid("字") or 2}, "ABCDEF+Test")[0]
    assert other != made
    assert fresh.subset_checked(_gids(fresh), "GHIJKL+Test")[0] != made  # a CFF program names its font


def test_a_damaged_kept_subset_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    face = _face("body")
    made, _ = face.subset_checked(_gids(face), "ABCDEF+Test")
    entries = list((tmp_path / "cache" / "subsets").rglob("*.bin"))
    assert len(entries) == 1
    data = bytearray(entries[0].read_bytes())
    data[-100] ^= 0xFF  # a flipped byte in the subset's program
    entries[0].write_bytes(bytes(data))
    again = _face("body")
    made_again = []
    real = CffSource.subset_checked

    def counted(self, *args):
        made_again.append(args)
        return real(self, *args)

    monkeypatch.setattr(CffSource, "subset_checked", counted)
    assert again.subset_checked(_gids(again), "ABCDEF+Test") == (made, {})
    assert made_again  # made from the font again, not taken from the damaged entry
