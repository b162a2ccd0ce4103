"""The page description (PageFrame): the contract between layout and output.

Everything the PDF writer draws is here, with where it came from. Coordinates are points from
the top-left corner of the trim box, y growing downwards; text items give the baseline. The
renderer turns them into PDF coordinates; nothing else reads the edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from layout.color import BLACK, CMYK


@dataclass(frozen=True)
class Source:
    """Where a placed item came from: a story (or page furniture), paragraph and characters."""

    story: str | None = None
    paragraph: int | None = None  # index into the story's paragraphs
    start: int = 0  # first character index in the paragraph text
    end: int = 0  # one past the last
    kind: str = "body"  # body, headline, kicker, deck, subhead, byline, caption, credit, folio, ...


@dataclass(frozen=True)
class PlacedGlyph:
    gid: int  # glyph id in the face
    x: float  # glyph origin, pt from the trim's left edge
    y: float  # baseline, pt from the trim's top edge
    text: str  # the character(s) this glyph stands for (for ToUnicode and text checks)
    advance: float = 0.0  # set width in pt (after compression)
    box_x: float | None = None  # left edge of the set box when it is not the origin (a trimmed mark)

    @property
    def left(self) -> float:
        return self.x if self.box_x is None else self.box_x


@dataclass(frozen=True)
class GlyphRun:
    """Glyphs of one face, size and colour; usually one line or part of one."""

    face: str  # face key in the font catalogue
    size: float  # pt
    glyphs: tuple[PlacedGlyph, ...]
    color: CMYK = BLACK
    source: Source = field(default_factory=Source)
    vertical: bool = False

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


@dataclass(frozen=True)
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.5
    color: CMYK = BLACK
    source: Source = field(default_factory=Source)


@dataclass(frozen=True)
class Box:
    """A rectangle: a tint (fill) and/or a border (stroke)."""

    x: float
    y: float
    w: float
    h: float
    fill: CMYK | None = None
    stroke: CMYK | None = None
    stroke_width: float = 0.5
    source: Source = field(default_factory=Source)


@dataclass(frozen=True)
class ImageItem:
    """A photo or image ad, already prepared for print (CMYK or grey, resampled)."""

    x: float
    y: float
    w: float
    h: float
    image: str  # key of the prepared image in the build's image store
    source: Source = field(default_factory=Source)


@dataclass(frozen=True)
class PdfItem:
    """A page of a delivered PDF (an ad) placed as vector artwork."""

    x: float
    y: float
    w: float
    h: float
    path: str
    page_index: int = 0
    source: Source = field(default_factory=Source)


@dataclass(frozen=True)
class MissingGlyph:
    """A character no face of its role has: nothing is printed (the print files never show a
    .notdef box), but the cell it was set in is kept here so that the proofs can mark it.
    x, y: top-left of the character's em box, pt from the trim's top-left; w, h: its size."""

    x: float
    y: float
    w: float
    h: float
    text: str
    source: Source = field(default_factory=Source)  # start: the character's index in its paragraph


@dataclass(frozen=True)
class Module:
    """A rectangle the layout reserved for a story, ad or furniture (for proofs and checks)."""

    x: float
    y: float
    w: float
    h: float
    kind: str  # story, ad, teasers, masthead, folio, photo, jump
    ref: str | None = None  # story or ad id


Item = GlyphRun | Rule | Box | ImageItem | PdfItem | MissingGlyph


@dataclass(frozen=True)
class PageFrame:
    page_id: str
    width: float  # trim width, pt
    height: float  # trim height, pt
    items: tuple[Item, ...]
    modules: tuple[Module, ...] = ()
    colour: bool = True  # False: a mono (K only) page
    baseline_grid: tuple[float, float] | None = None  # (first baseline y, pitch) of body text

    def runs(self) -> list[GlyphRun]:
        return [i for i in self.items if isinstance(i, GlyphRun)]
