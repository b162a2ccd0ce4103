"""Where a proof's OVERSET badge goes and how it is broken, so that it can be read on any module.

A badge ("OVERSET +405字 / 31 lines") is drawn at the foot of its module. On one line at the
badge size it is about twice as wide as a column, so on 1-column modules side by side each badge
ran over its neighbours' and off the page's edge. A badge now takes the first of its shapes that
fits inside its module (one line, then two, then three, each at the badge size and then at the
label size, never smaller: what must be read is not shrunk further); when none fits, the shape
that stands out least. It is then put at the free spot nearest its module's foot: inside the page,
clear of the badges placed before it and of the modules' name labels (a badge over a module's
name no longer says whose text is over)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels


@dataclass(frozen=True)
class Shape:
    """A badge's lines at one type size and the box they take (pixels)."""

    lines: tuple[str, ...]
    size: int
    w: float
    h: float


def badge_lines(chars: int, lines: int) -> tuple[tuple[str, ...], ...]:
    """The badge's text broken three ways, widest first: the same words in each."""
    over, count = f"+{chars}字", f"{lines} lines"
    return ((f"OVERSET {over} / {count}",), ("OVERSET", f"{over} / {count}"), ("OVERSET", over, count))


def choose_shape(texts: Sequence[tuple[str, ...]], sizes: Sequence[int], room_w: float, room_h: float,
                 measure: Callable[[tuple[str, ...], int], tuple[float, float]]) -> Shape:
    """The first shape (each size in order, each text in order) that fits in room_w × room_h; when
    none does, the one standing out of the room least (by width first, then by height: a badge
    wider than its module covers its neighbour's, a deeper one only the lines above)."""
    shapes = []
    for size in sizes:
        for text in texts:
            w, h = measure(text, size)
            shape = Shape(text, size, w, h)
            if w <= room_w and h <= room_h:
                return shape
            shapes.append(shape)
    return min(shapes, key=lambda s: (max(0.0, s.w - room_w), max(0.0, s.h - room_h), -s.size))


def overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def free_spot(want: tuple[float, float], w: float, h: float, bounds: Rect, taken: Sequence[Rect],
              gap: float = 1.0) -> tuple[float, float]:
    """The top-left corner nearest `want` of a w × h box inside `bounds` that overlaps none of
    `taken`. The candidates are `want` itself, the bounds' edges and the sides of each taken box (a
    free box slid towards `want` stops against one of them), so the nearest free place is among
    them. When there is none (a page full of badges), `want` moved inside the bounds."""
    lo_x, lo_y, hi_x, hi_y = bounds[0], bounds[1], max(bounds[0], bounds[2] - w), max(bounds[1], bounds[3] - h)

    def inside(v: float, lo: float, hi: float) -> float:
        return min(max(v, lo), hi)

    wx, wy = inside(want[0], lo_x, hi_x), inside(want[1], lo_y, hi_y)

    def free(x: float, y: float) -> bool:
        box = (x, y, x + w, y + h)
        return not any(overlaps(box, r) for r in taken)

    if free(wx, wy):  # the usual label: where it was wanted
        return wx, wy
    xs = {wx, lo_x, hi_x}
    ys = {wy, lo_y, hi_y}
    for r in taken:
        xs.update((r[0] - w - gap, r[2] + gap))
        ys.update((r[1] - h - gap, r[3] + gap))
    spots = sorted(((x - want[0]) ** 2 + (y - want[1]) ** 2, y, x) for x in xs if lo_x <= x <= hi_x
                   for y in ys if lo_y <= y <= hi_y)
    for _, y, x in spots:  # nearest first: the first free one is the answer
        if free(x, y):
            return x, y
    return wx, wy


def label_corners(module: Rect, w: float, h: float, inset: float) -> list[tuple[float, float]]:
    """Where a module's name label may go, in the order tried: its top right corner (a title or
    headline starts at the left), top left, the two foot corners, then on the rule above the
    module, left and right. Top-left corners of the label box, pixels."""
    x0, y0, x1, y1 = module
    left, right = x0 + inset, x1 - inset - w
    return [(right, y0 + inset), (left, y0 + inset), (right, y1 - inset - h), (left, y1 - inset - h),
            (left, y0 - h), (right, y0 - h)]


def label_spot(spots: Sequence[tuple[float, float]], w: float, h: float, bounds: Rect, taken: Sequence[Rect],
               ink: Callable[[Rect], int]) -> tuple[float, float] | None:
    """The first of `spots` whose w × h box is inside `bounds`, clear of `taken` and over no ink of
    the page (`ink`: the count of inked pixels under a box), else the one of them over the least
    ink (the earlier on a tie); None when every spot is outside or taken. A name drawn at the top
    left covered a table's title or a story's headline, the very line that says what the module is."""
    best: tuple[int, int, tuple[float, float]] | None = None
    for k, (x, y) in enumerate(spots):
        box = (x, y, x + w, y + h)
        if x < bounds[0] or y < bounds[1] or box[2] > bounds[2] or box[3] > bounds[3] \
                or any(overlaps(box, r) for r in taken):
            continue
        count = ink(box)
        if count == 0:
            return x, y
        if best is None or count < best[0]:
            best = (count, k, (x, y))
    return best[2] if best is not None else None
