"""The composer's results: positioned glyphs in em, per line, per paragraph."""

from __future__ import annotations

from dataclasses import dataclass


# Not frozen: an edition makes ~40 000 of these and a frozen dataclass's __init__ costs about five
# times as much (it goes through object.__setattr__). Treat it as immutable all the same.
@dataclass(slots=True)
class ComposedGlyph:
    index: int  # character index in the paragraph text
    text: str
    face: str  # face key
    gid: int
    x: float  # glyph ORIGIN from the line start, em (left of the set box for a trimmed opening mark)
    width: float  # set width, em
    box_x: float = 0.0  # left edge of the set box, em (where the goldens' x(c) is measured)


@dataclass(frozen=True, slots=True)
class ComposedLine:
    glyphs: tuple[ComposedGlyph, ...]
    start: int  # first character index
    end: int  # one past the last character index
    width: float  # em, from the line start to the end of the last glyph's box
    last: bool  # last line of its paragraph
    indent: float = 0.0  # em before the first glyph's box (R34)
    adjust: float = 0.0  # em added by justification (negative: removed by reduction, R29)
    justified: bool = False  # the line was brought to the measure
    forced: bool = False  # a break that violates R5/R9/R10 had to be taken (nothing else fitted)


@dataclass(frozen=True, slots=True)
class ComposedParagraph:
    text: str
    measure: float  # em
    lines: tuple[ComposedLine, ...]
    missing: tuple[str, ...] = ()  # characters no face in the chain has (drawn as .notdef)
    dropped: tuple[int, ...] = ()  # indices of spaces not drawn: replaced by glue (R24) or at a break
    chopped: int = 0  # Latin words wider than the measure, broken between letters to be set at all
