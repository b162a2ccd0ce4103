"""A headline held under an earlier story's (search._Chain.hold) in a module measured only at its
larger sizes is measured again at the depths its text fills at the held size (plan._held_depths),
so the re-search can give the story a shallower module instead of leaving its columns white."""

from __future__ import annotations

import dataclasses

import pytest

from layout.autolayout.plan import plan_page
from layout.autolayout.score import placements
from layout.paginate.typeset import TextSetter


@pytest.mark.parametrize("page_id", ["A07", "A10"])
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
