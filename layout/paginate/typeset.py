"""Setting text for pagination: composed lines (cached per text, measure and role) turned into
glyph runs at page positions."""

from __future__ import annotations

from layout.color import BLACK, CMYK
from layout.fonts.chain import FontChain
from layout.frames import GlyphRun, MissingGlyph, PlacedGlyph, Source
from layout.text.compose import ComposedLine, ComposedParagraph, Composer
from layout.text.style import CompositionStyle


class TextSetter:
    """One per build: font chains by role and one composer per (role, style), so the same text at
    the same measure is composed once."""

    def __init__(self, chains: dict[str, FontChain], style: CompositionStyle):
        self.chains = chains
        self.style = style
        self._composers: dict[tuple[str, CompositionStyle], Composer] = {}
        self._memo: dict = {}

    def composer(self, role: str, style: CompositionStyle | None = None) -> Composer:
        style = style or self.style
        key = (role, style)
        if key not in self._composers:
            self._composers[key] = Composer(style, self.chains[role])
        return self._composers[key]

    def paragraph(
        self, text: str, role: str, measure: float, *, indent: float | None = None,
        style: CompositionStyle | None = None,
    ) -> ComposedParagraph:
        return self.composer(role, style).paragraph(text, measure, indent)

    def block(self, text: str, role: str, size: float, width: float, *, justify: bool = True) -> ComposedParagraph:
        """Display text (no paragraph indent) composed for a box `width` pt wide at `size` pt."""
        style = self.style if justify else _unjustified(self.style)
        return self.paragraph(text, role, width / size, indent=0.0, style=style)


    def remember(self, key, make):
        """`make()` once per key for as long as this setter lives (across rebuilds in `layout watch`):
        for work derived from composed text only, such as a headline's fitted size."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def body_runs(self, line: ComposedLine, x: float, baseline: float, size: float, source: Source) -> tuple:
        """line_runs of a body line, kept: a rebuild places most lines where they were. The line is
        part of the key by identity (the composer keeps it alive, and so does this entry)."""
        key = ("runs", id(line), x, baseline, size, source)
        hit = self._memo.get(key)
        if hit is None or hit[0] is not line:
            hit = (line, tuple(line_runs(line, x, baseline, size, source=source)))
            self._memo[key] = hit
        return hit[1]


def _unjustified(style: CompositionStyle) -> CompositionStyle:
    from dataclasses import replace

    return replace(style, justify=False, indent=0.0)


def line_runs(
    line: ComposedLine, x: float, baseline: float, size: float, *, colour: CMYK = BLACK,
    source: Source, tracking: float = 0.0,
) -> list[GlyphRun | MissingGlyph]:
    """Glyph runs (one per face) for a composed line whose start is at x and baseline y, in pt; then
    a MissingGlyph for each character no face has (never printed, marked on the proofs)."""
    runs: list[GlyphRun | MissingGlyph] = []
    current: list[PlacedGlyph] = []
    missing: list[MissingGlyph] = []
    face = None
    for g in line.glyphs:
        if g.gid == 0:  # a character no face has: reported as FONT-MISSING-GLYPH, never printed as a box
            w = (g.width or 1.0) * size
            missing.append(MissingGlyph(x + (g.x + tracking) * size, baseline - 0.88 * size, w, size, g.text,
                                        Source(source.story, source.paragraph, g.index, g.index + 1, source.kind)))
            continue
        if g.face != face and current:
            runs.append(_run(face, size, current, colour, source, line))
            current = []
        face = g.face
        box = getattr(g, "box_x", g.x)
        current.append(PlacedGlyph(g.gid, x + (g.x + tracking) * size, baseline, g.text, g.width * size,
                                   None if box == g.x else x + (box + tracking) * size))
    if current:
        runs.append(_run(face, size, current, colour, source, line))
    return runs + missing


def _run(face, size, glyphs, colour, source, line) -> GlyphRun:
    src = Source(source.story, source.paragraph, line.start, line.end, source.kind)
    return GlyphRun(face=face, size=size, glyphs=tuple(glyphs), color=colour, source=src)
