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
  counts depend on (every slot's column, measure and number of lines, in order: see depth_key),
  so the same room reached from another photo depth or headline is flowed once.

All memos live in the `memo` dict the caller keeps per page item (plan.problem_for), so they last
for the plan of one page and no longer: nothing here is global."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from layout.paginate.flow import Block, FlowResult, Slot, _body_take, _counts, _keeps_with_text

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
    columns: int  # the id of its columns (see depth_key)
    counted: Body  # the body as the counting flow reads it (see count)
    by_depth: dict[int, Measured] = field(default_factory=dict)
    walks: dict = field(default_factory=dict)  # estimate._walk's, by its arguments
    spans: tuple[tuple[int, int], ...] = ()  # (first line, lines) of each slot

    def at(self, last_line: int) -> Measured:
        """The flow of the body into the module cut off at `last_line` (estimate._clip)."""
        hit = self.by_depth.get(last_line)
        if hit is not None:
            return hit
        key = depth_key(self.columns, self.spans, self.jump, last_line)
        hit = self.flows.get(key)
        if hit is None:
            est = _estimate()
            hit = self.flows[key] = est.measure(self.first_slots + est._clip(self.slots, last_line, self.jump),
                                                self.body, body=self.counted)
        self.by_depth[last_line] = hit
        return hit


@functools.cache
def _estimate():
    """layout.autolayout.estimate, which imports this module: imported on first use (an import
    statement in Trial.at cost more than the rest of a depth's lookup)."""
    from layout.autolayout import estimate

    return estimate


def columns_id(memo: dict, first_slots: list[Slot], slots: list[Slot]) -> int:
    """A number for the columns a flow runs through (the first part's slots as they are, then each
    slot's page, x and measure), the same for the same columns within one memo: with each slot's
    number of lines at a depth it makes a flow's key (depth_key)."""
    ids = memo.get("columns")
    if ids is None:
        ids = memo["columns"] = {}
    key = (_estimate()._room(first_slots), tuple((s.page, s.x, s.measure) for s in slots))
    hit = ids.get(key)
    if hit is None:
        hit = ids[key] = len(ids)
    return hit


def depth_key(columns: int, spans: tuple[tuple[int, int], ...], jump: bool, last_line: int) -> tuple[int, ...]:
    """A flow's key in the story's table (flows()): the columns' id and the lines each slot keeps
    when the module is cut off at `last_line` (0: none; the last slot that keeps any gives one up
    for the jump line), as estimate._clip cuts them. What a flow's counts depend on is each
    slot's column, measure and lines, in order, and the first part's slots: equal keys, equal
    flows. (The slots' own fields in a tuple, hashed at every depth of every trial, cost three
    times as much.)"""
    key = [columns]
    for first, count in spans:
        c = last_line - first + 1
        key.append(0 if c <= 0 else count if c > count else c)
    if jump:
        for j in range(len(key) - 1, 0, -1):
            if key[j]:
                key[j] -= 1
                break
    return tuple(key)


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
    key = ("trial", tuple((s.page, s.x, s.measure, s.first, s.count, s.module) for s in first_slots),
           tuple((s.page, s.x, s.measure, s.first, s.count, s.module) for s in slots), jump)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = Trial(first_slots, slots, jump, body, flows(memo), columns_id(memo, first_slots, slots),
                                body_of(memo, body), spans=tuple((s.first, s.count) for s in slots))
    return hit


class Body:
    """A story's body blocks as the trial flows read them: each block's line count, sub-head lead
    and characters, and what is left from each block on (for the overset), worked out once per
    memo: `count` pours the blocks through thousands of trial modules."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.n = [len(b.lines) for b in blocks]
        self.sub = [b.kind == "subhead" for b in blocks]
        self.lead = [b.lead for b in blocks]
        self.chars = [_counts(b) for b in blocks]
        k = len(blocks)
        # from block k on: lines (with the leads of the sub-heads after k) and characters
        self.rest_lines = [0] * (k + 1)
        self.rest_chars = [0] * (k + 1)
        for j in range(k - 1, -1, -1):
            self.rest_lines[j] = self.rest_lines[j + 1] + self.n[j] + (self.lead[j] if self.sub[j] else 0)
            self.rest_chars[j] = self.rest_chars[j + 1] + sum(self.chars[j])
        self.lines = sum(self.n)
        # lines with every block's lead: estimate._depths's first guess at a depth
        self.depth_lines = sum(len(b.lines) + b.lead for b in blocks)
        self.before = [0] * (k + 1)  # lines of the blocks before block k
        for j in range(k):
            self.before[j + 1] = self.before[j] + self.n[j]


def body_of(memo: dict, blocks: list[Block]) -> Body:
    """The Body of `blocks` (a story's, from `blocks`), made once per memo."""
    hit = memo.get("body")
    if hit is None or hit.blocks is not blocks:
        hit = memo["body"] = Body(blocks)
    return hit


_NEW = object.__new__
if tuple(f.name for f in fields(FlowResult)) != ("runs", "overset_lines", "overset_chars", "underset_lines",
                                                  "lines_set", "chars_set"):
    raise TypeError("measure._counted must set FlowResult's fields in order")


def _counted(overset_lines: int, overset_chars: int, underset_lines: int, lines_set: int,
             chars_set: int) -> FlowResult:
    """FlowResult((), overset_lines, ...), made without the frozen dataclass's __init__ (which sets
    each field through object.__setattr__): count makes one for each of thousands of flows."""
    o = _NEW(FlowResult)
    d = o.__dict__
    d["runs"] = ()
    d["overset_lines"] = overset_lines
    d["overset_chars"] = overset_chars
    d["underset_lines"] = underset_lines
    d["lines_set"] = lines_set
    d["chars_set"] = chars_set
    return o


def count(bd: Body, slots: list[Slot]) -> tuple[FlowResult, tuple[int, ...]]:
    """flow(bd.blocks, slots) with its counts only (no runs: FlowResult.runs is empty) and the
    empty lines at each column's foot (estimate.column_feet of that flow; () when overset). The
    very loop of layout.paginate.flow.flow, with its rules (_body_take, _keeps_with_text) called
    as they are, on integers instead of placed runs: the trial flows of the automatic layout are
    thousands a page (tests/autolayout/test_measure_count.py holds the two equal)."""
    n, sub, lead_of, blocks = bd.n, bd.sub, bd.lead, bd.blocks
    nb = len(n)
    b, i = 0, 0
    unused = 0
    placed = [0] * len(slots)
    last_index = len(slots) - 1
    for s_index, slot in enumerate(slots):
        last_slot = s_index == last_index
        cnt = slot.count
        row = 0
        put = 0
        while row < cnt and b < nb:
            nl = n[b]
            space = cnt - row
            if sub[b]:
                lead = lead_of[b] if row > 0 else 0
                if not _keeps_with_text(blocks, b, space - lead, last_slot):
                    break
                row += lead + nl
                put += nl
                b, i = b + 1, 0
                continue
            take = _body_take(nl, i, space, last_slot)
            if take <= 0:
                break
            row += take
            put += take
            i += take
            if i >= nl:
                b, i = b + 1, 0
            else:
                break
        placed[s_index] = put
        if b >= nb:
            unused += cnt - row
            unused += sum(sl.count for sl in slots[s_index + 1:])
            break
        unused += cnt - row
    if b < nb:
        over_lines = n[b] - i + bd.rest_lines[b + 1]
        over_chars = sum(bd.chars[b][i:]) + bd.rest_chars[b + 1]
        # every line before (b, i) is set, in order
        res = _counted(over_lines, over_chars, 0, bd.before[b] + i, bd.rest_chars[0] - over_chars)
        return res, ()
    res = _counted(0, 0, unused, bd.lines, bd.rest_chars[0])
    # estimate.column_feet: the last module's columns (slots sharing a page and x), in order
    last = max((sl.module for sl in slots), default=0)
    room: dict[tuple[str, float], int] = {}
    for sl, put in zip(slots, placed, strict=True):
        if sl.module == last:
            key = (sl.page, sl.x)
            room[key] = room.get(key, 0) + sl.count - put
    return res, tuple(room.values())
