"""A story with `jump:` that fits its first module gives back the line its 下轉 line held
(story._drop_jump). That line goes back to its own column, also when it was the only line left
there (a photo down to the line above): it used to be added at the last slot's x, another
column's, so two slots lay on one place and the jump column's foot stayed empty."""

from types import SimpleNamespace

from layout.diagnostics import Diagnostics
from layout.grid.grid import Rect
from layout.model.edition import At
from layout.paginate.flow import Slot
from layout.paginate.story import Part, StoryLayout, _drop_jump


def _layout(slots: list[Slot], jump_line: int, jump_x: float) -> tuple[StoryLayout, SimpleNamespace]:
    first = Part("A02", At(1, 1, 2, 26), Rect(0, 0, 10, 10), None, slots, jump_line=jump_line, jump_x=jump_x)
    cont = Part("A03", At(1, 1, 2, 10), Rect(0, 0, 10, 10), None, [Slot("A03", 0.0, 10.0, 1, 10, 1)])
    story = SimpleNamespace(id="s0", loc=None)
    return StoryLayout(story, [first, cont]), SimpleNamespace(diagnostics=Diagnostics())


def test_the_line_of_a_column_left_one_line_deep_goes_back_to_that_column():
    # column 1 (x 0) lines 1–26; column 2 (x 100) only line 26 was free, and 下轉 took it
    layout, ctx = _layout([Slot("A02", 0.0, 10.0, 1, 26, 0)], jump_line=26, jump_x=100.0)
    _drop_jump(ctx, layout)
    slots = layout.parts[0].slots
    assert slots == [Slot("A02", 0.0, 10.0, 1, 26, 0), Slot("A02", 100.0, 10.0, 26, 1, 0)]
    assert len({(s.x, s.first) for s in slots}) == len(slots)  # no two slots on one place
    assert [c.code for c in ctx.diagnostics.items] == ["JUMP-UNUSED"]


def test_the_line_under_a_deeper_slot_lengthens_it():
    layout, ctx = _layout([Slot("A02", 0.0, 10.0, 1, 26, 0), Slot("A02", 100.0, 10.0, 1, 25, 0)],
                          jump_line=26, jump_x=100.0)
    _drop_jump(ctx, layout)
    assert layout.parts[0].slots[-1] == Slot("A02", 100.0, 10.0, 1, 26, 0)
    assert len(layout.parts) == 1 and layout.parts[0].jump_line is None
