"""The score of a page layout (lower is better), and the parts it is made of, so that a report can
say what a layout traded.

A layout is a guillotine tree: a leaf is one item in one module; an inner node cuts its rectangle
straight down (`v`, left | right) or straight across (`h`, top / bottom). The score adds:

- each item's own cost (empty lines, photos resized, and in the relaxed pass underset and overset);
- importance: each story's rank weight times how far below the top of the page it starts, so the
  stories listed first sit higher;
- tombstones: two stories side by side across a cut whose headlines both start at the top of it.

The optimiser computes exactly this sum piece by piece; `score_tree` computes it from a finished
tree in one walk and is what the tests compare against."""

from __future__ import annotations

from dataclasses import dataclass

from layout.autolayout.estimate import Option

POSITION = 0.05  # per line below the top, times the story's rank weight
TOMBSTONE = 8.0  # two headlines side by side at the same height


@dataclass(frozen=True)
class Leaf:
    item: int  # index into the page's pieces
    option: Option


@dataclass(frozen=True)
class Cut:
    kind: str  # "v": first | second side by side; "h": first over second
    at: int  # columns (v) or lines (h) of the first part
    first: Tree
    second: Tree


Tree = Leaf | Cut


def rank_weight(rank: int, stories: int) -> float:
    """How much it matters that a story is high on the page: most for the lead."""
    return float(stories - rank) if rank >= 0 else 0.0


@dataclass(frozen=True)
class Placement:
    item: int
    col: int  # 1-based, within the page
    line: int
    cols: int
    lines: int
    option: Option


def placements(tree: Tree, col: int = 1, line: int = 1) -> list[Placement]:
    if isinstance(tree, Leaf):
        o = tree.option
        return [Placement(tree.item, col, line, o.cols, o.lines, o)]
    if tree.kind == "v":
        return placements(tree.first, col, line) + placements(tree.second, col + tree.at, line)
    return placements(tree.first, col, line) + placements(tree.second, col, line + tree.at)


@dataclass(frozen=True)
class Breakdown:
    items: float
    position: float
    tombstones: int

    @property
    def total(self) -> float:
        return self.items + self.position + TOMBSTONE * self.tombstones


def _corners(tree: Tree, is_story) -> tuple[bool, bool]:
    """Whether a story's headline starts at the top-left and at the top-right corner."""
    if isinstance(tree, Leaf):
        s = is_story(tree.item)
        return s, s
    if tree.kind == "h":
        return _corners(tree.first, is_story)
    return _corners(tree.first, is_story)[0], _corners(tree.second, is_story)[1]


def score_tree(tree: Tree, ranks: list[int], is_story, top: int = 1) -> Breakdown:
    """The score of a finished tree placed with its top on grid line `top`."""
    stories = sum(1 for r in ranks if r >= 0)
    items = 0.0
    position = 0.0
    for p in placements(tree, 1, top):
        items += p.option.cost
        position += POSITION * rank_weight(ranks[p.item], stories) * (p.line - top)
    tombs = 0

    def walk(t: Tree) -> None:
        nonlocal tombs
        if isinstance(t, Leaf):
            return
        if t.kind == "v" and _corners(t.first, is_story)[1] and _corners(t.second, is_story)[0]:
            tombs += 1
        walk(t.first)
        walk(t.second)

    walk(tree)
    return Breakdown(items, position, tombs)


def tombstone_pairs(tree: Tree, is_story) -> list[tuple[int, int]]:
    """(left, right) items whose headlines stand side by side at the top of a cut: the story at
    the top-right corner of the left part and the one at the top-left of the right part."""
    out: list[tuple[int, int]] = []

    def corner(t: Tree, right: bool) -> int | None:
        while not isinstance(t, Leaf):
            t = t.second if (t.kind == "v" and right) else t.first
        return t.item if is_story(t.item) else None

    def walk(t: Tree) -> None:
        if isinstance(t, Leaf):
            return
        if t.kind == "v":
            a, b = corner(t.first, True), corner(t.second, False)
            if a is not None and b is not None:
                out.append((a, b))
        walk(t.first)
        walk(t.second)

    walk(tree)
    return out
