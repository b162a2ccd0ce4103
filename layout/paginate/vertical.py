"""Vertical text on the page (issue 16): columns of a VerticalParagraph turned into glyph runs,
vertical display lines (豎題) and vertical story modules.

A column's glyphs hang from its top: `top` is the y of the column's first em, `axis` the x of its
centre line. Upright glyphs and tate-chu-yoko digits become `vertical` runs (drawn in PDF vertical
mode, layout/render/vertical.py), rotated Latin `rotated` runs.
"""

from __future__ import annotations

from layout.color import BLACK, CMYK
from layout.frames import GlyphRun, PlacedGlyph, Source
from layout.grid.grid import IDEO_ASCENT
from layout.text.vertical import VerticalComposer, VerticalLine


def column_runs(line: VerticalLine, composer: VerticalComposer, axis: float, top: float, size: float, *,
                source: Source, colour: CMYK = BLACK) -> list[GlyphRun]:
    """Glyph runs of one vertical column: one per face and kind, in reading order."""
    runs: list[GlyphRun] = []
    current: list[PlacedGlyph] = []
    key = None  # (face, kind, size) of the run being collected
    src = Source(source.story, source.paragraph, line.start, line.line.end, source.kind)

    def flush():
        if current:
            face, kind, run_size = key
            runs.append(GlyphRun(face=face, size=run_size, glyphs=tuple(current), color=colour, source=src,
                                 vertical=kind != "rotated", rotated=kind == "rotated"))
            current.clear()

    for g in line.glyphs:
        y = top + g.y * size
        if g.kind == "tcy":
            run_size = size * g.scale
            metrics = composer.vchain.vfaces[g.face].metrics
            baseline = y + (size - run_size) / 2 + IDEO_ASCENT * run_size
            placed = PlacedGlyph(g.gid, axis + (g.x + g.advance / 2) * size,
                                 baseline - metrics.origin(g.gid) * run_size, g.text, run_size)
            want = (g.face, "upright", run_size)
        elif g.kind == "rotated":
            placed = PlacedGlyph(g.gid, axis - (IDEO_ASCENT - 0.5) * size, y, g.text, g.advance * size)
            want = (g.face, "rotated", size)
        else:
            placed = PlacedGlyph(g.gid, axis, y, g.text, g.advance * size)
            want = (g.face, "upright", size)
        if want != key:
            flush()
            key = want
        current.append(placed)
    flush()
    return runs
