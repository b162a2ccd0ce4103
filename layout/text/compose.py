"""The paragraph composer: text at a measure -> lines of positioned glyphs (in em).

This is the one entry point the rest of the engine uses (`compose_paragraph`). This first
version breaks greedily with basic kinsoku and distributes spare space evenly; the clreq
composer replaces its insides without changing the signature.
"""

from __future__ import annotations

from dataclasses import dataclass

from layout.fonts.chain import FontChain
from layout.text.style import CompositionStyle

_NO_START = set("、，；：。．！？”’）》〉」』】〗〕］｝–～·")
_NO_END = set("“‘（《〈「『【〖〔［｛")


@dataclass(frozen=True)
class ComposedGlyph:
    index: int  # character index in the paragraph text
    text: str
    face: str  # face key
    gid: int
    x: float  # glyph origin from the line start, em
    width: float  # set width, em


@dataclass(frozen=True)
class ComposedLine:
    glyphs: tuple[ComposedGlyph, ...]
    start: int  # first character index
    end: int  # one past the last character index
    width: float  # em, from the line start to the end of the last glyph's box
    last: bool  # last line of its paragraph


@dataclass(frozen=True)
class ComposedParagraph:
    text: str
    measure: float  # em
    lines: tuple[ComposedLine, ...]
    missing: tuple[str, ...] = ()  # characters no face in the chain has


def compose_paragraph(
    text: str, measure: float, style: CompositionStyle, chain: FontChain, *, indent: float | None = None
) -> ComposedParagraph:
    first_indent = style.indent if indent is None else indent
    cells = []  # (index, char, face, gid, width)
    missing = []
    for i, ch in enumerate(text):
        hit = chain.resolve(ch)
        if hit is None:
            missing.append(ch)
            continue
        face, gid = hit
        cells.append((i, ch, face.key, gid, face.advance(gid)))
    lines: list[ComposedLine] = []
    pos = 0
    offset = first_indent
    while pos < len(cells):
        width = offset
        end = pos
        while end < len(cells) and width + cells[end][4] <= measure + 1e-9:
            width += cells[end][4]
            end += 1
        if end == pos:
            end = pos + 1  # one glyph wider than the measure: set it anyway
        if end < len(cells):
            while end - pos > 1 and (cells[end][1] in _NO_START or cells[end - 1][1] in _NO_END):
                end -= 1
        chunk = cells[pos:end]
        last = end >= len(cells)
        natural = offset + sum(c[4] for c in chunk)
        gap = 0.0 if last or len(chunk) < 2 or not style.justify else (measure - natural) / (len(chunk) - 1)
        x = offset
        glyphs = []
        for k, (i, ch, face, gid, w) in enumerate(chunk):
            glyphs.append(ComposedGlyph(i, ch, face, gid, x, w))
            x += w + gap
        lines.append(ComposedLine(tuple(glyphs), chunk[0][0], chunk[-1][0] + 1, x - gap if chunk else 0, last))
        pos = end
        offset = 0.0
    return ComposedParagraph(text, measure, tuple(lines), tuple(missing))
