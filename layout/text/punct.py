"""Punctuation metrics: where a mark's ink sits (R2) and how much blank may be removed.

Compression amounts come from the glyph's measured ink box, never from the region label: a font
whose ，。 are centred (Taiwan/Hong Kong design) gets no compression on those marks.
"""

from __future__ import annotations

from dataclasses import dataclass

from layout.text import rules_zh as R


@dataclass(frozen=True)
class MarkMetrics:
    box: float  # width of the mark's cell in em before any trimming
    dx: float  # glyph origin relative to the cell's left edge
    cap_left: float  # removable blank on the left of the cell (R2: never ink)
    cap_right: float  # removable blank on the right
    side: str  # 'left', 'right', 'centre' or 'blank': where the ink sits in the cell


def classify_ink(box: float, ink_left: float, ink_right: float) -> str:
    """Left, right or centre, from the ink's horizontal extent inside a cell of width `box` (R2)."""
    blank_left, blank_right = ink_left, box - ink_right
    half = box / 2 - R.INK_TOLERANCE
    if blank_right >= half and blank_right > blank_left:
        return "left"
    if blank_left >= half and blank_left > blank_right:
        return "right"
    return "centre"


def mark_metrics(cls: str, ch: str, advance: float, ink: tuple[float, float, float, float] | None,
                 convention: str) -> MarkMetrics:
    """The cell and removable blanks of one CJK mark of class `cls` (OPEN/CLOSE/STOP/centred classes)."""
    if cls in (R.OPEN, R.CLOSE, R.STOP):
        box, dx = advance, 0.0
        if advance < 0.99:
            # A proportional glyph (e.g. a Latin-style quote) in Chinese context: set it in a 1 em
            # cell with the ink on the inner side (R3).
            box, dx = 1.0, (1.0 - advance if cls == R.OPEN else 0.0)
        if ink is None:
            return MarkMetrics(box, dx, 0.0, 0.0, "blank")
        left, right = ink[0] + dx, ink[2] + dx
        side = classify_ink(box, left, right)
        if side == "left":
            return MarkMetrics(box, dx, 0.0, min(box - right, box / 2), side)
        if side == "right":
            return MarkMetrics(box, dx, min(left, box / 2), 0.0, side)
        return MarkMetrics(box, dx, 0.0, 0.0, side)
    # Centred classes: a fixed cell per convention (R19, R20), ink centred in it; ～ stays 1 em.
    target = 1.0 if ch in R.WIDE_CONNECTORS else R.CENTRED_WIDTH[convention][cls]
    if ink is None:
        return MarkMetrics(max(advance, target), 0.0, 0.0, 0.0, "blank")
    ink_w = ink[2] - ink[0]
    centre = (ink[0] + ink[2]) / 2
    if ink_w > target + 1e-9:
        # The ink is wider than the cell the convention asks for: never cut into ink (R2).
        return MarkMetrics(max(advance, ink_w), max(advance, ink_w) / 2 - centre, 0.0, 0.0, "centre")
    box = target
    dx = box / 2 - centre
    cap = 0.0
    if cls == R.INTERPUNCT and box > 0.5:
        # Taiwan 1 em interpunct: may be reduced to ½ em, equally on both sides (R19, R29 step 3).
        cap = min((box - 0.5) / 2, box / 2 - ink_w / 2)
    return MarkMetrics(box, dx, cap, cap, "centre")
