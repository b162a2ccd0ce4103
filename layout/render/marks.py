"""Printer's marks in the slug: crop marks at the corners of the trim and registration targets
at the middle of each side, all outside the bleed, in registration colour (100 % of all four
inks, so they print on every plate)."""

from __future__ import annotations

from layout.printprofile import PrintProfile
from layout.units import mm

REGISTRATION = (1.0, 1.0, 1.0, 1.0)  # reportlab CMYK fractions


def mark_extent_mm(profile: PrintProfile) -> float:
    """How far the marks reach outside the bleed edge (the slug they need)."""
    return profile.mark_offset_mm + profile.mark_length_mm + 1.0


def crop_mark_lines(profile: PrintProfile, trim_box, bleed: float) -> list[tuple[float, float, float, float]]:
    """Eight lines: two per corner, on the extension of the trim edges, starting the mark offset
    outside the bleed so they never show on a trimmed page."""
    x0, y0, x1, y1 = trim_box
    start = bleed + mm(profile.mark_offset_mm)
    end = start + mm(profile.mark_length_mm)
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append((x + sx * start, y, x + sx * end, y))  # horizontal, along the trim's edge
            lines.append((x, y + sy * start, x, y + sy * end))  # vertical
    return lines


def registration_targets(profile: PrintProfile, trim_box, bleed: float) -> list[tuple[float, float, float]]:
    """(cx, cy, radius) of a target in the middle of each side of the slug."""
    x0, y0, x1, y1 = trim_box
    r = mm(profile.mark_length_mm) / 2 * 0.8
    dist = bleed + mm(profile.mark_offset_mm) + mm(profile.mark_length_mm) / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return [(cx, y0 - dist, r), (cx, y1 + dist, r), (x0 - dist, cy, r), (x1 + dist, cy, r)]


def draw_marks(canvas, profile: PrintProfile, trim_box, bleed: float) -> None:
    canvas.saveState()
    canvas.setStrokeColorCMYK(*REGISTRATION)
    canvas.setLineWidth(profile.mark_weight_pt)
    canvas.lines(crop_mark_lines(profile, trim_box, bleed))
    for cx, cy, r in registration_targets(profile, trim_box, bleed):
        canvas.circle(cx, cy, r * 0.6, stroke=1, fill=0)
        canvas.lines([(cx - r, cy, cx + r, cy), (cx, cy - r, cx, cy + r)])
    canvas.restoreState()
