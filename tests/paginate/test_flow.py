"""Flow through column slots: order, widows and orphans, sub-heads kept with text, overset counted
exactly."""

from layout.paginate.flow import Block, Slot, flow
from layout.text.compose import ComposedGlyph, ComposedLine


def _line(start: int, n: int = 5, last: bool = False) -> ComposedLine:
    glyphs = tuple(ComposedGlyph(start + k, "字", "F", 1, float(k), 1.0) for k in range(n))
    return ComposedLine(glyphs, start, start + n, float(n), last)


def _para(index: int, nlines: int, kind: str = "body") -> Block:
    lines = tuple(_line(k * 5, last=k == nlines - 1) for k in range(nlines))
    return Block(index, kind, lines, lead=1 if kind == "subhead" else 0)


def _slots(*counts: int) -> list[Slot]:
    return [Slot("A01", 100.0 * k, 13.0, 1, c) for k, c in enumerate(counts)]


def test_lines_fill_columns_in_order():
    r = flow([_para(0, 7)], _slots(4, 4))
    rows = [(p.slot.x, p.row, p.index) for p in r.placed]
    assert rows == [(0, 1, 0), (0, 2, 1), (0, 3, 2), (0, 4, 3), (100, 1, 4), (100, 2, 5), (100, 3, 6)]
    assert (r.overset_lines, r.underset_lines) == (0, 1)


def test_overset_is_counted_exactly():
    r = flow([_para(0, 3), _para(1, 4)], _slots(4))
    # 3 lines of paragraph 0, then paragraph 1 can place 1 line (orphan rule moot in the last slot)
    assert r.lines_set == 4
    assert r.overset_lines == 3
    assert r.overset_chars == 15
    assert r.chars_set + r.overset_chars == 7 * 5


def test_orphan_first_line_moves_to_next_column():
    r = flow([_para(0, 3), _para(1, 4)], _slots(4, 6))
    first_col = [p for p in r.placed if p.slot.x == 0]
    assert [(p.block.paragraph, p.index) for p in first_col] == [(0, 0), (0, 1), (0, 2)]
    assert r.overset_lines == 0


def test_widow_last_line_takes_a_second_line_with_it():
    r = flow([_para(0, 5)], _slots(4, 6))
    first_col = [p for p in r.placed if p.slot.x == 0]
    assert len(first_col) == 3  # 3 + 2 rather than 4 + 1
    second = [p for p in r.placed if p.slot.x == 100]
    assert [p.index for p in second] == [3, 4]


def test_subhead_is_never_the_last_line_of_a_column():
    blocks = [_para(0, 2), _para(1, 1, "subhead"), _para(2, 3)]
    r = flow(blocks, _slots(4, 6))
    sub = next(p for p in r.placed if p.block.kind == "subhead")
    assert sub.slot.x == 100 and sub.row == 1  # at the top of the next column, without its blank line
    after = [p for p in r.placed if p.block.paragraph == 2]
    assert all(p.slot.x == 100 for p in after)


def test_subhead_takes_a_blank_line_before_it_inside_a_column():
    blocks = [_para(0, 2), _para(1, 1, "subhead"), _para(2, 3)]
    r = flow(blocks, _slots(10))
    sub = next(p for p in r.placed if p.block.kind == "subhead")
    assert sub.row == 4  # lines 1-2 paragraph, line 3 blank, line 4 sub-head


def test_balance_ends_all_columns_on_the_same_line():
    from layout.paginate.story import balance

    blocks = [_para(0, 5), _para(1, 4)]
    slots = _slots(10, 10, 10)
    first = flow(blocks, slots)
    assert {p.slot.x for p in first.placed} == {0}  # unbalanced: all in column 1
    r = balance(blocks, slots, first)
    rows = {}
    for p in r.placed:
        rows.setdefault(p.slot.x, []).append(p.row)
    assert len(rows) >= 2
    bottoms = [max(v) for v in rows.values()]
    assert max(bottoms) <= 4  # 9 lines over 3 columns end by line 4 (widow/orphan may move one)
    assert r.lines_set == 9 and r.overset_lines == 0
    assert r.underset_lines == 30 - 9


def _subheads_stand_alone(r) -> list[tuple[int, float]]:
    """(paragraph, slot x) of every placed sub-head whose text does not start in its column (R45)."""
    first = {(p.block.paragraph, p.index): p for p in r.placed}
    out = []
    for p in r.placed:
        if p.block.kind != "subhead" or p.index != len(p.block.lines) - 1:
            continue
        nxt = first.get((p.block.paragraph + 1, 0))
        if nxt is None or nxt.slot != p.slot:
            out.append((p.block.paragraph, p.slot.x))
    return out


def test_subhead_at_the_top_of_a_column_whose_text_cannot_follow_it_moves_on():
    # Seen on taiwan A03: 3 + sub-head + 3 lines balanced over three 3-line columns left the
    # sub-head alone in column 2 (the 3-line paragraph cannot split 2 + 1, R38) and its text in 3.
    blocks = [_para(0, 3), _para(1, 1, "subhead"), _para(2, 3)]
    r = flow(blocks, _slots(3, 3, 4))
    assert _subheads_stand_alone(r) == []
    sub = next(p for p in r.placed if p.block.kind == "subhead")
    assert sub.slot.x == 200 and r.overset_lines == 0  # column 2 stays empty: better than alone
    assert flow(blocks, _slots(3, 3, 3)).overset_lines == 1  # which balancing then avoids


def test_subhead_lower_in_a_column_keeps_with_text_the_widow_rule_would_carry_over():
    # Room for sub-head + 2 lines, but a 3-line paragraph cannot leave 1 line alone: it all moves,
    # so the sub-head must move too.
    blocks = [_para(0, 2), _para(1, 1, "subhead"), _para(2, 3)]
    r = flow(blocks, _slots(6, 6))
    assert _subheads_stand_alone(r) == []
    assert r.overset_lines == 0


def test_subhead_in_the_last_column_without_room_for_text_goes_overset_with_it():
    blocks = [_para(0, 3), _para(1, 1, "subhead"), _para(2, 3)]
    r = flow(blocks, _slots(5))  # 3 lines, blank, sub-head: no line of text fits after it
    assert _subheads_stand_alone(r) == []
    assert r.lines_set == 3 and r.overset_lines == 4 and r.chars_set + r.overset_chars == 35


def test_balanced_columns_never_end_on_a_subhead():
    from layout.paginate.story import balance

    blocks = [_para(0, 3), _para(1, 1, "subhead"), _para(2, 3)]
    slots = _slots(20, 20, 20)
    r = balance(blocks, slots, flow(blocks, slots))
    assert _subheads_stand_alone(r) == [] and r.overset_lines == 0 and r.lines_set == 7


def test_no_subhead_stands_alone_for_any_story_and_columns():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from layout.paginate.story import balance

    kinds = st.lists(st.tuples(st.booleans(), st.integers(1, 9)), min_size=1, max_size=8)

    @settings(max_examples=150, deadline=None)
    @given(kinds, st.lists(st.integers(1, 14), min_size=1, max_size=5), st.booleans())
    def check(paras, counts, balanced):
        blocks = [_para(k, n if not sub else min(n, 2), "subhead" if sub else "body")
                  for k, (sub, n) in enumerate(paras)]
        slots = _slots(*counts)
        r = flow(blocks, slots)
        if balanced and r.overset_lines == 0:
            r = balance(blocks, slots, r)
        # a sub-head that ends the story has no text to keep with; every other one keeps with it
        assert [p for p, _ in _subheads_stand_alone(r) if p != len(blocks) - 1] == []
        assert r.chars_set + r.overset_chars == sum(len(b.lines) for b in blocks) * 5  # nothing lost

    check()
