"""Flow: a story's body lines poured through its column slots in reading order.

A slot is a run of consecutive free grid lines in one body column. Lines are moved, never re-broken
(each paragraph is composed once per measure). Widow and orphan lines (R38) and sub-heads kept with
their text (R45) are settled here; whatever does not fit is overset and counted exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from layout.text.compose import ComposedLine

MIN_SPLIT = 2  # R38: lines of a paragraph on each side of a column break


@dataclass(frozen=True)
class Slot:
    page: str
    x: float  # left edge, pt
    measure: float  # em
    first: int  # first grid line (1-based, page grid)
    count: int  # number of grid lines
    module: int = 0  # index of the module in the story's chain (0: first part, 1: continuation)


@dataclass(frozen=True)
class Block:
    """A paragraph (or sub-head) of a story, composed for the chain's measure."""

    paragraph: int  # index into the story's paragraphs
    kind: str  # body | subhead
    lines: tuple[ComposedLine, ...]
    lead: int = 0  # blank grid lines before it when it is not at the top of a slot (sub-heads)
    size: float = 9.0
    role: str = "body"


@dataclass(frozen=True)
class PlacedLine:
    slot: Slot
    row: int  # grid line on the page
    block: Block
    index: int  # line index within the block


@dataclass(frozen=True)
class PlacedRun:
    """Consecutive lines of one block in one slot: what the flow decides (lines come later)."""

    slot: Slot
    row: int  # grid line of the first
    block: Block
    index: int  # line index of the first within the block
    count: int


@dataclass(frozen=True)
class FlowResult:
    runs: tuple[PlacedRun, ...]
    overset_lines: int
    overset_chars: int
    underset_lines: int  # empty lines left in the used columns and unused slots
    lines_set: int
    chars_set: int

    @cached_property
    def placed(self) -> tuple[PlacedLine, ...]:
        """Every placed line; built on demand, since trial flows (the optimiser's) need only the counts."""
        return tuple(PlacedLine(r.slot, r.row + k, r.block, r.index + k) for r in self.runs for k in range(r.count))


def _chars(line: ComposedLine) -> int:
    # A glyph may stand for more than one character: two or three digits set upright in one cell
    # of vertical text (縱中橫), a ligature.
    return sum(len(g.text) for g in line.glyphs if not g.text.isspace())


def _counts(block: Block) -> tuple[int, ...]:
    """Characters per line of a block, counted once: the optimiser flows the same blocks through
    thousands of trial modules."""
    counts = block.__dict__.get("_counts")
    if counts is None:
        counts = tuple(_chars(line) for line in block.lines)
        object.__setattr__(block, "_counts", counts)
    return counts


def _body_take(n: int, i: int, space: int, last_slot: bool) -> int:
    """How many lines of a paragraph of n lines, i of them already set, go into `space` lines."""
    remaining = n - i
    if remaining <= space:
        return remaining
    take = space
    if not last_slot:
        if remaining - take < MIN_SPLIT and n >= MIN_SPLIT:
            take = remaining - MIN_SPLIT  # widow: carry a second line over
        if i == 0 and take < MIN_SPLIT and n > 1:
            take = 0  # orphan: the paragraph starts in the next column
    return max(take, 0)


def _keeps_with_text(blocks: list[Block], b: int, space: int, last_slot: bool) -> bool:
    """R45: whether the sub-head blocks[b] (and any sub-heads right after it) fits in `space` lines
    with at least the first lines of the text that follows: as many as the body flow will put there
    (none when the widow and orphan rules carry the paragraph over), so it never ends a column."""
    k = b
    while k < len(blocks) and blocks[k].kind == "subhead":
        space -= len(blocks[k].lines) + (blocks[k].lead if k > b else 0)
        k += 1
    if space < 0:
        return False
    if k == len(blocks):
        return True  # sub-heads that end the story have no text to keep with
    return _body_take(len(blocks[k].lines), 0, space, last_slot) > 0


def flow(blocks: list[Block], slots: list[Slot]) -> FlowResult:
    runs: list[PlacedRun] = []
    b, i = 0, 0  # block, line within block
    unused = 0
    for s_index, slot in enumerate(slots):
        last_slot = s_index == len(slots) - 1
        row = 0
        while row < slot.count and b < len(blocks):
            block = blocks[b]
            n = len(block.lines)
            space = slot.count - row
            if block.kind == "subhead":
                lead = block.lead if row > 0 else 0
                if not _keeps_with_text(blocks, b, space - lead, last_slot):
                    # R45: the sub-head moves to the next column with its text (from the top of a
                    # column too short for both as well), or, in the last slot, goes overset with it.
                    break
                row += lead  # it fits whole (checked above): a sub-head is never split
                runs.append(PlacedRun(slot, slot.first + row, block, 0, n))
                row += n
                b, i = b + 1, 0
                continue
            take = _body_take(n, i, space, last_slot)
            if take <= 0:
                break
            runs.append(PlacedRun(slot, slot.first + row, block, i, take))
            row += take
            i += take
            if i >= n:
                b, i = b + 1, 0
            else:
                break
        if b >= len(blocks):
            unused += slot.count - row
            unused += sum(s.count for s in slots[s_index + 1:])
            break
        unused += slot.count - row
    over_lines = 0
    over_chars = 0
    if b < len(blocks):
        for k, block in enumerate(blocks[b:]):
            rest = block.lines[i:] if k == 0 else block.lines
            over_lines += len(rest) + (block.lead if k > 0 and block.kind == "subhead" else 0)
            over_chars += sum(_counts(block)[i:] if k == 0 else _counts(block))
    lines_set = sum(r.count for r in runs)
    chars_set = sum(sum(_counts(r.block)[r.index:r.index + r.count]) for r in runs)
    underset = unused if b >= len(blocks) else 0  # an overset story has no empty lines to speak of
    return FlowResult(tuple(runs), over_lines, over_chars, underset, lines_set, chars_set)
