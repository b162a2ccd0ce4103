"""The automatic layout's counting flow (layout/autolayout/measure.count) against the real flow
(layout.paginate.flow.flow) and estimate.column_feet: the same counts, the same column feet, for
bodies with sub-heads, one-line paragraphs and widows, poured through columns and photo-split
slots of any depth, over one module or a first part and its continuation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from layout.autolayout.estimate import column_feet
from layout.autolayout.measure import Body, count
from layout.paginate.flow import Block, Slot, flow
from layout.text.lines import ComposedGlyph, ComposedLine


def _line(chars: int) -> ComposedLine:
    glyphs = tuple(ComposedGlyph(k, "字" if k % 4 else " ", "f", 1, float(k), 1.0) for k in range(chars))
    return ComposedLine(glyphs, 0, chars, float(chars), False)


blocks_st = st.lists(
    st.tuples(st.sampled_from(["body", "body", "body", "subhead"]), st.integers(1, 9), st.integers(0, 2),
              st.integers(1, 13)),
    min_size=0, max_size=14)
slots_st = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 30), st.integers(0, 1), st.sampled_from(["A01", "A02"])),
    min_size=0, max_size=9)


@settings(max_examples=300, deadline=None)
@given(blocks_st, slots_st)
def test_counting_flow_is_the_flow(spec, slot_spec):
    blocks = [Block(k, kind, tuple(_line(max(1, chars - j % 3)) for j in range(n)), lead if kind == "subhead" else 0)
              for k, (kind, n, lead, chars) in enumerate(spec)]
    slots = [Slot(page, 10.0 + 100 * col, 13.0, 1 + col, cnt, module) for col, cnt, module, page in slot_spec]
    want = flow(blocks, slots)
    got, feet = count(Body(blocks), slots)
    assert (got.overset_lines, got.overset_chars, got.underset_lines, got.lines_set, got.chars_set) == \
        (want.overset_lines, want.overset_chars, want.underset_lines, want.lines_set, want.chars_set)
    assert feet == (column_feet(slots, want) if want.overset_lines == 0 else ())


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 8), st.integers(1, 120), st.floats(0, 1e5), st.floats(0, 80), st.none() | st.floats(10, 80),
       st.lists(st.integers(4, 40), max_size=3).map(tuple), st.integers(0, 999), st.integers(0, 9), st.booleans(),
       st.integers(-2, 2), st.lists(st.integers(0, 3), max_size=4).map(tuple), st.integers(0, 99),
       st.integers(0, 999))
def test_options_made_fast_are_the_options(cols, lines, cost, head, start, photos, oc, empty, valid, steps, feet,
                                           ol, cont):
    import pickle

    from layout.autolayout.estimate import Option, _made

    want = Option(cols, lines, cost, head, start, photos, overset_chars=oc, empty_lines=empty, valid=valid,
                  head_steps=steps, feet=feet, overset_lines=ol, continues=cont)
    got = _made(cols, lines, cost, head, start, photos, oc, empty, valid, steps, feet, ol, cont)
    assert got == want and hash(got) == hash(want) and repr(got) == repr(want)
    assert list(vars(got)) == list(vars(want)) and pickle.dumps(got) == pickle.dumps(want)
