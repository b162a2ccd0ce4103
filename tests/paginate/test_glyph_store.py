"""A glyph run keeps its glyphs by column (frames.Glyphs, issue 18: one object per glyph was most
of a laid-out edition's memory): what goes in as PlacedGlyphs comes out as equal PlacedGlyphs,
through every way a reader looks at them, and through pickling (the page cache)."""

import io
import pickle
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.cache import _EngineUnpickler
from layout.frames import GlyphRun, Glyphs, PlacedGlyph, Source, item_bounds

coord = st.floats(min_value=-2000, max_value=2000, allow_nan=False, width=64)
glyph = st.builds(
    PlacedGlyph,
    gid=st.integers(min_value=0, max_value=65535),
    x=coord, y=coord,
    text=st.text(min_size=0, max_size=3),
    advance=st.floats(min_value=0, max_value=100, allow_nan=False),
    box_x=st.none() | coord,
    box_y=st.none() | coord,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(glyph, max_size=12), st.booleans())
def test_what_goes_in_comes_out(glyphs, vertical):
    run = GlyphRun("F", 9.5, tuple(glyphs), source=Source("s1", 2, 0, 5, "body"), vertical=vertical)
    assert isinstance(run.glyphs, Glyphs)
    assert len(run.glyphs) == len(glyphs) and bool(run.glyphs) == bool(glyphs)
    assert list(run.glyphs) == glyphs
    assert [run.glyphs[i] for i in range(len(glyphs))] == glyphs
    assert [run.glyphs[-i] for i in range(1, len(glyphs) + 1)] == glyphs[::-1]
    assert run.glyphs[1:-1] == tuple(glyphs[1:-1])
    assert run.glyphs == tuple(glyphs) and run.text == "".join(g.text for g in glyphs)
    assert run.glyphs.texts() == [g.text for g in glyphs]
    gids, xs, ys, texts, advances, box_xs, box_ys = run.glyphs.columns()
    assert list(zip(gids, xs, ys, texts, advances, box_xs, box_ys, strict=True)) == \
        [(g.gid, g.x, g.y, g.text, g.advance, g.box_x, g.box_y) for g in glyphs]
    # exactly the floats given: the PDF is written from them
    assert all(a.x.hex() == b.x.hex() and a.advance.hex() == b.advance.hex() for a, b in zip(run.glyphs, glyphs, strict=True))
    again = GlyphRun("F", 9.5, list(glyphs), source=Source("s1", 2, 0, 5, "body"), vertical=vertical)
    assert again == run and hash(again) == hash(run)
    assert replace(run, color=run.color) == run
    data = pickle.dumps(run, protocol=pickle.HIGHEST_PROTOCOL)
    back = _EngineUnpickler(io.BytesIO(data)).load()  # the page cache's restricted reader takes it
    assert back == run and list(back.glyphs) == glyphs


def test_a_different_glyph_is_a_different_run():
    a = GlyphRun("F", 10.0, (PlacedGlyph(5, 1.0, 2.0, "字", 10.0),))
    assert a != GlyphRun("F", 10.0, (PlacedGlyph(6, 1.0, 2.0, "字", 10.0),))
    assert a != GlyphRun("F", 10.0, (PlacedGlyph(5, 1.0, 2.0, "字", 10.0, box_x=1.5),))
    assert a != GlyphRun("F", 10.0, (PlacedGlyph(5, 1.0, 2.0, "子", 10.0),))
    # text lengths are kept: "ab" + "" is not "a" + "b"
    two = (PlacedGlyph(1, 0.0, 0.0, "ab", 1.0), PlacedGlyph(2, 1.0, 0.0, "", 1.0))
    other = (PlacedGlyph(1, 0.0, 0.0, "a", 1.0), PlacedGlyph(2, 1.0, 0.0, "b", 1.0))
    assert GlyphRun("F", 1.0, two) != GlyphRun("F", 1.0, other)
    assert [g.text for g in GlyphRun("F", 1.0, two).glyphs] == ["ab", ""]


def test_bad_glyphs_are_refused():
    with pytest.raises(TypeError):
        GlyphRun("F", 10.0, ((5, 1.0, 2.0, "字"),))
    with pytest.raises(OverflowError):
        GlyphRun("F", 10.0, (PlacedGlyph(70000, 1.0, 2.0, "字"),))
    with pytest.raises(IndexError):
        GlyphRun("F", 10.0, (PlacedGlyph(5, 1.0, 2.0, "字"),)).glyphs[1]


def test_bounds_read_from_the_columns():
    run = GlyphRun("F", 10.0, (PlacedGlyph(1, 100.0, 50.0, "「", 5.0, box_x=95.0), PlacedGlyph(2, 105.0, 50.0, "字", 10.0)))
    x0, y0, x1, y1 = item_bounds(run)
    assert (x0, x1) == (95.0, 115.0) and y0 < 50.0 < y1
    up = GlyphRun("F", 10.0, (PlacedGlyph(1, 100.0, 50.0, "字", 10.0), PlacedGlyph(2, 100.0, 60.0, "字", 10.0, box_y=58.0)),
                  vertical=True)
    assert item_bounds(up) == (95.0, 50.0, 105.0, 68.0)
