"""A headline block one grid line deeper than its module only because of the air under its last
line loses nothing: no HEAD-OVERFLOW (a packed page of qapages' said '0 line(s) of  (0 characters)
not set', an error, exit 1, for nothing lost). A block whose lines do not fit is still reported."""

from __future__ import annotations

from types import SimpleNamespace

from layout.diagnostics import Diagnostics
from layout.paginate.deck import HeadBlock, Piece, clip_head


def _ctx():
    return SimpleNamespace(grid=SimpleNamespace(pitch=13.5), diagnostics=Diagnostics())


def _piece(baseline: float, kind: str, text: str) -> Piece:
    line = SimpleNamespace(glyphs=[SimpleNamespace(text=ch) for ch in text])
    return Piece(line=line, size=40.0, dx=0.0, baseline=baseline, colour=(0, 0, 0, 100), kind=kind)


def test_only_the_air_under_the_block_cut_is_not_an_overflow():
    ctx = _ctx()
    head = HeadBlock(9, (_piece(44.0, "headline", "雲峰山山地"), _piece(100.0, "headline", "自行車賽")))
    got = clip_head(ctx, head, 8, SimpleNamespace(id="hill", loc=None), page="A02")
    assert got.lines == 8 and len(got.pieces) == 2
    assert not [d for d in ctx.diagnostics if d.code == "HEAD-OVERFLOW"]


def test_lines_that_do_not_fit_are_reported_with_their_characters():
    ctx = _ctx()
    head = HeadBlock(12, (_piece(44.0, "headline", "雲峰山山地"), _piece(140.0, "deck", "下週開騎")))
    got = clip_head(ctx, head, 8, SimpleNamespace(id="hill", loc=None), page="A02")
    assert len(got.pieces) == 1
    (d,) = [d for d in ctx.diagnostics if d.code == "HEAD-OVERFLOW"]
    assert "1 line(s) of deck (4 characters) not set" in d.message
