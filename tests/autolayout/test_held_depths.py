"""A headline held under an earlier story's (search._Chain.hold) in a module measured only at its
larger sizes is measured again at the depths its text fills at the held size (plan._held_depths),
so the re-search can give the story a shallower module instead of leaving its columns white."""

from __future__ import annotations

import dataclasses

import pytest

from layout.autolayout.plan import plan_page
from layout.autolayout.score import placements
from layout.paginate.typeset import TextSetter


@pytest.mark.parametrize("page_id", ["A04", "A07", "A10"])
def test_a_held_headline_does_not_leave_its_columns_white(prepared, page_id):
    # Before: A10's fourth story, held at 28 pt in the 7 x 20 measured at 52 pt, left 23 lines
    # empty (3 a column); A07's third, 16 lines in 3 columns. Now each story of the page's best
    # layout leaves at most two lines a column.
    prep, written = prepared
    ctx = dataclasses.replace(prep.ctx, setter=TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style))
    plan = plan_page(ctx, written, written.page(page_id))
    best = plan.solutions[0]
    for p in placements(best.tree, 1, plan.problem.top):
        name = plan.problem.pieces[p.item].name
        assert p.option.empty_lines <= 2 * p.option.cols, (page_id, name, p.option)


def test_a_held_headline_keeps_its_modules_head_depth(prepared):
    """The held block (Story.head_lines) is as deep as asked, its lines moved down by half the
    added depth (centred), so the body starts where the module was measured to start it."""
    from layout.paginate.deck import head_block

    prep, written = prepared
    story = dataclasses.replace(written.stories["waste-sorting"], headline_size=18.0)
    width = prep.ctx.grid.span_width(8)
    own = head_block(prep.ctx, story, width, 8)
    held = head_block(prep.ctx, dataclasses.replace(story, head_lines=own.lines + 4), width, 8)
    assert held.lines == own.lines + 4
    shift = 2 * prep.ctx.grid.pitch
    assert [p.baseline for p in held.pieces] == pytest.approx([p.baseline + shift for p in own.pieces])
    # a block deeper than asked keeps its own depth
    assert head_block(prep.ctx, dataclasses.replace(story, head_lines=1), width, 8) == own


def test_a_plan_entry_keeps_a_held_block_depth():
    """The plan cache keeps the depth (a seventh field, after the notch or None) and checks it."""
    from layout.cache import plan_entry

    entry = {"decisions": [[0, [1, 1, 8, 15], [], None, 18.0, None, 6], [1, [1, 16, 8, 90], [], None, None]],
             "diagnostics": []}
    decisions, _ = plan_entry(entry, items=2, pinned={}, columns=8, lines=105)
    assert decisions[0] == (0, (1, 1, 8, 15), (), None, 18.0, None, 6) and len(decisions[1]) == 5
    for bad in (0, 16, "6", 2.5):
        entry["decisions"][0][6] = bad
        with pytest.raises((ValueError, TypeError)):
            plan_entry(entry, items=2, pinned={}, columns=8, lines=105)


def test_the_held_block_is_set_as_planned(prepared):
    """Pagination sets the held story's block at the depth its plan measured (A04's waste-sorting,
    held at 18 pt under water-price's in the 8 x 15 measured at 48 pt: its columns end level)."""
    prep, _ = prepared
    story = prep.ctx.edition.stories["waste-sorting"]
    assert story.head_lines and story.headline_size <= 18.0
    part = prep.layout.stories["waste-sorting"].parts[0]
    assert part.head.lines == story.head_lines
    from layout.autolayout.estimate import part_feet

    feet = part_feet(prep.layout.stories["waste-sorting"], 0)
    assert len(feet) == 8 and sum(feet) <= 8, feet  # (33 empty lines, 4 a column, before)
