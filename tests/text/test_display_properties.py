"""Property tests of display lines over random headlines (the body paragraphs' generator plus
editor's spaces and newlines): nothing lost, lines within the measure when the set fits, R5 kept
unless a forced break is flagged, at most max_lines when it fits, the same result every time."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import paragraphs
from textkit import GOLDEN

from layout.text import rules_zh as R
from layout.text.display import compose_display

heads = st.tuples(paragraphs(), st.sampled_from(["", " ", "\n"]), paragraphs()).map(lambda t: "".join(t))


@settings(max_examples=60, deadline=None)
@given(heads, st.integers(3, 30), st.sampled_from([None, 1, 2, 3]))
def test_display_invariants(tf, text, measure, max_lines):
    got = compose_display(text, measure, GOLDEN, tf, max_lines=max_lines)
    drawn = "".join(g.text for ln in got.lines for g in ln.glyphs)
    assert drawn.replace(" ", "") == "".join(text.split())  # every character, in order
    if got.fits:
        assert max_lines is None or len(got.lines) <= max_lines
        assert all(ln.width <= measure + 1e-6 for ln in got.lines)
    if not got.forced:
        for a, b in zip(got.lines, got.lines[1:], strict=False):
            assert a.glyphs[-1].text not in R.NO_END_CHARS_GB, text
            assert b.glyphs[0].text not in R.NO_START_CHARS, text
    if "\n" in text:
        assert len(got.lines) >= 2
    again = compose_display(text, measure, GOLDEN, tf, max_lines=max_lines)
    assert [ln.glyphs for ln in again.lines] == [ln.glyphs for ln in got.lines]
