"""Measuring a story's candidate modules incrementally, with memos whose keys are exact.

The optimiser's options (estimate.story_options) come from thousands of trial flows of one story:
every width, headline size, first-photo depth and module depth. Most of them repeat: a depth is
tried again for the next photo depth, and again in the next pass of the page (plan.py). What
repeats is looked up here instead of being made again, and every key holds everything the result
depends on, so a result from a memo is the result the measure would give (no approximation):

- a story's body blocks (composed once per measure: `blocks`);
- a trial column layout (`Trial`: the first part's slots, the candidate's slots as deep as the
  grid, whether one line is kept for the jump line), measured at any depth; each depth's flow is
  looked up first in the trial's own table, then in the story's flows, keyed by what a flow's
  counts depend on (every slot's column, measure and number of lines, in order: see
  estimate.measure), so the same room reached from another photo depth or headline is flowed once.

All memos live in the `memo` dict the caller keeps per page item (plan.problem_for), so they last
for the plan of one page and no longer: nothing here is global."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from layout.paginate.flow import Block, Slot

if TYPE_CHECKING:  # estimate imports this module
    from layout.autolayout.estimate import Measured


def blocks(memo: dict, make, measure: float) -> list[Block]:
    """The story's body blocks at `measure`, made by `make()` once per memo (a memo belongs to one
    story of one page: plan.problem_for)."""
    key = ("blocks", measure)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = make()
    return hit


@dataclass
class Trial:
    """One column layout of a story measured at any depth (see the module's docstring)."""

    first_slots: list[Slot]  # a continuation's first part (its flow starts there); [] otherwise
    slots: list[Slot]  # the candidate module's slots, as deep as the grid
    jump: bool  # one line of the last slot kept for the jump line
    body: list[Block]
    flows: dict  # the story's flows by room (shared by its trials: see flows())
    room: tuple  # the first part's share of a flow's key
    by_depth: dict[int, Measured] = field(default_factory=dict)

    def at(self, last_line: int) -> Measured:
        """The flow of the body into the module cut off at `last_line` (estimate._clip)."""
        hit = self.by_depth.get(last_line)
        if hit is not None:
            return hit
        from layout.autolayout.estimate import _clip, measure

        # The key as estimate._measure_at makes it: a depth measured by either is flowed once.
        rows = [(sl.page, sl.x, sl.measure, min(sl.count, last_line - sl.first + 1)) for sl in self.slots
                if sl.first <= last_line]
        if self.jump and rows:
            page, x, em, count = rows.pop()
            if count > 1:
                rows.append((page, x, em, count - 1))
        key = self.room + tuple(rows)
        hit = self.flows.get(key)
        if hit is None:
            hit = self.flows[key] = measure(self.first_slots + _clip(self.slots, last_line, self.jump), self.body)
        self.by_depth[last_line] = hit
        return hit


def flows(memo: dict) -> dict:
    """The story's flows by room, kept in its memo: a dict of their own, so that a Trial (kept in the
    memo too) refers to it and not to the memo: no reference cycle, the memo is freed as soon as
    the plan is made rather than at the cyclic collector's next full sweep."""
    out = memo.get("flows")
    if out is None:
        out = memo["flows"] = {}
    return out


def trial(memo: dict, first_slots: list[Slot], slots: list[Slot], jump: bool, body: list[Block]) -> Trial:
    """The story's trial for these slots, made once per memo: the next pass of a page tries the
    same modules again. Keyed by every field of every slot (a slot's first line decides where a
    depth cuts it), the first part's slots and the jump."""
    from layout.autolayout.estimate import _room

    key = ("trial", tuple((s.page, s.x, s.measure, s.first, s.count, s.module) for s in first_slots),
           tuple((s.page, s.x, s.measure, s.first, s.count, s.module) for s in slots), jump)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = Trial(first_slots, slots, jump, body, flows(memo), _room(first_slots))
    return hit
