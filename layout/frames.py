"""The page description (PageFrame): the contract between layout and output.

Everything the PDF writer draws is here, with where it came from. Coordinates are points from
the top-left corner of the trim box, y growing downwards; text items give the baseline. The
renderer turns them into PDF coordinates; nothing else reads the edition.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass, field, fields

from layout.color import BLACK, CMYK
from layout.diagnostics import Diagnostic, Location, Severity
from layout.grid.grid import IDEO_ASCENT


@dataclass(frozen=True, slots=True)
class Source:
    """Where a placed item came from: a story (or page furniture), paragraph and characters."""

    story: str | None = None
    paragraph: int | None = None  # index into the story's paragraphs
    start: int = 0  # first character index in the paragraph text
    end: int = 0  # one past the last
    kind: str = "body"  # body, headline, kicker, deck, subhead, byline, caption, credit, folio, ...


@dataclass(frozen=True, slots=True)
class PlacedGlyph:
    gid: int  # glyph id in the face
    x: float  # glyph origin, pt from the trim's left edge
    y: float  # baseline, pt from the trim's top edge
    text: str  # the character(s) this glyph stands for (for ToUnicode and text checks)
    advance: float = 0.0  # set width in pt (after compression)
    box_x: float | None = None  # left edge of the set box when it is not the origin (a trimmed mark)
    box_y: float | None = None  # vertical runs: top of the set box when it is not the origin (issue 16)

    @property
    def left(self) -> float:
        return self.x if self.box_x is None else self.box_x


_NEW = object.__new__
# PlacedGlyph's slots, set straight through their descriptors (the frozen class's __setattr__
# refuses; object.__setattr__ would look each descriptor up again on every call)
_SET_GID, _SET_X, _SET_Y, _SET_TEXT, _SET_ADVANCE, _SET_BOX_X, _SET_BOX_Y = (
    PlacedGlyph.__dict__[f.name].__set__ for f in fields(PlacedGlyph))
_SET = object.__setattr__


def _view(gid, x, y, text, advance, box_x, box_y) -> PlacedGlyph:
    # PlacedGlyph(...) without the generated __init__'s keyword handling: a run's glyphs are
    # made as they are read, so this is the hot path of every reader that iterates them
    g = _NEW(PlacedGlyph)
    _SET_GID(g, gid)
    _SET_X(g, x)
    _SET_Y(g, y)
    _SET_TEXT(g, text)
    _SET_ADVANCE(g, advance)
    _SET_BOX_X(g, box_x)
    _SET_BOX_Y(g, box_y)
    return g


def _floats(data: bytes) -> array:
    out = array("d")
    out.frombytes(data)
    return out


def _optional(data: bytes, n: int) -> list:
    """A column of optional values (NaN stands for None; empty bytes: all None)."""
    if not data:
        return [None] * n
    return [None if v != v else v for v in _floats(data)]


def _optional_bytes(values) -> bytes:
    if values is None or all(v is None for v in values):
        return b""
    return array("d", [_NAN if v is None else v for v in values]).tobytes()


_NAN = float("nan")


@dataclass(frozen=True, slots=True)
class Glyphs:
    """The placed glyphs of one run, kept by column (issue 18): a page holds some 10 000 glyphs,
    and one object per glyph (with its floats) cost ~250 bytes where a column costs ~30. It reads
    like the tuple of PlacedGlyph it was made from (len, index, slice, iteration, equality with
    such a tuple); the glyphs are made as they are read. Columns are bytes (immutable, hashable,
    pickled as they are) of native machine numbers: unsigned 16-bit glyph ids (OpenType's limit)
    and float64 positions, exactly the floats given, so that what is drawn is what was placed."""

    gids: bytes  # array('H')
    xs: bytes  # array('d')
    ys: bytes  # array('d')
    advances: bytes  # array('d')
    text: str  # every glyph's text, joined
    lengths: bytes = b""  # array('H') of each glyph's text length; empty: one character each
    box_xs: bytes = b""  # array('d'), NaN where a glyph has none; empty: no glyph has one
    box_ys: bytes = b""

    @staticmethod
    def of(glyphs) -> Glyphs:
        """Glyphs from PlacedGlyphs (any iterable of them; a Glyphs is returned as it is)."""
        if isinstance(glyphs, Glyphs):
            return glyphs
        glyphs = tuple(glyphs)
        if not all(isinstance(g, PlacedGlyph) for g in glyphs):
            raise TypeError("a glyph run's glyphs must be PlacedGlyph")
        return Glyphs.from_columns([g.gid for g in glyphs], [g.x for g in glyphs], [g.y for g in glyphs],
                                   [g.text for g in glyphs], [g.advance for g in glyphs],
                                   [g.box_x for g in glyphs], [g.box_y for g in glyphs])

    @staticmethod
    def from_columns(gids, xs, ys, texts, advances, box_xs=None, box_ys=None) -> Glyphs:
        """Glyphs from one sequence per field of PlacedGlyph, all of one length (box_xs, box_ys:
        None where a glyph has none, or no sequence at all when none has one)."""
        n = len(gids)
        if not all(len(c) == n for c in (xs, ys, texts, advances)) \
                or any(c is not None and len(c) != n for c in (box_xs, box_ys)):
            raise ValueError("the columns of a glyph run differ in length")
        return Glyphs(
            gids=array("H", gids).tobytes(), xs=array("d", xs).tobytes(), ys=array("d", ys).tobytes(),
            advances=array("d", advances).tobytes(), text="".join(texts),
            lengths=b"" if all(len(t) == 1 for t in texts) else array("H", [len(t) for t in texts]).tobytes(),
            box_xs=_optional_bytes(box_xs), box_ys=_optional_bytes(box_ys))

    def __len__(self) -> int:
        return len(self.gids) // 2

    def texts(self) -> list[str]:
        """Each glyph's text."""
        if not self.lengths:
            return list(self.text)
        out, at = [], 0
        for n in array("H", self.lengths):
            out.append(self.text[at:at + n])
            at += n
        return out

    def columns(self) -> tuple[array, array, array, list[str], array, list, list]:
        """(gids, xs, ys, texts, advances, box_xs, box_ys), PlacedGlyph's fields in its order, one
        entry per glyph (None where a glyph has no box_x / box_y): what a reader of every glyph
        goes through without making them."""
        n = len(self)
        gids = array("H")
        gids.frombytes(self.gids)
        return (gids, _floats(self.xs), _floats(self.ys), self.texts(), _floats(self.advances),
                _optional(self.box_xs, n), _optional(self.box_ys, n))

    def _all(self) -> list[PlacedGlyph]:
        return [_view(*c) for c in zip(*self.columns(), strict=True)]

    def __iter__(self):
        return iter(self._all())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self._all()[index])
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("glyph index out of range")
        lengths = self.lengths
        if lengths:
            sizes = array("H", lengths)
            at = sum(sizes[:index])
            text = self.text[at:at + sizes[index]]
        else:
            text = self.text[index]
        box_x = _optional(self.box_xs[8 * index:8 * index + 8], 1)[0]
        box_y = _optional(self.box_ys[8 * index:8 * index + 8], 1)[0]
        gid = array("H", self.gids[2 * index:2 * index + 2])[0]
        x, y, advance = (_floats(c[8 * index:8 * index + 8])[0] for c in (self.xs, self.ys, self.advances))
        return _view(gid, x, y, text, advance, box_x, box_y)

    def __eq__(self, other) -> bool:
        if isinstance(other, Glyphs):
            return (self.gids, self.xs, self.ys, self.advances, self.text, self.lengths, self.box_xs,
                    self.box_ys) == (other.gids, other.xs, other.ys, other.advances, other.text,
                                     other.lengths, other.box_xs, other.box_ys)
        if isinstance(other, tuple | list):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.gids, self.xs, self.ys, self.advances, self.text, self.lengths, self.box_xs, self.box_ys))

    def __repr__(self) -> str:
        return f"Glyphs({tuple(self)!r})"


@dataclass(frozen=True, slots=True)
class GlyphRun:
    """Glyphs of one face, size and colour; usually one line or part of one."""

    face: str  # face key in the font catalogue
    size: float  # pt
    glyphs: Glyphs  # given as PlacedGlyphs (a tuple, a list), kept by column
    color: CMYK = BLACK
    source: Source = field(default_factory=Source)
    # Vertical text (issue 16; layout/text/vertical.py). vertical: each glyph stands upright in a
    # column, x the column's centre line and y the glyph's vertical origin (the top of its box),
    # advance its set height. rotated: horizontal glyphs turned 90° clockwise (Latin in a column),
    # x the baseline (a vertical line) and y each glyph's origin down the column.
    vertical: bool = False
    rotated: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.glyphs, Glyphs):
            _SET(self, "glyphs", Glyphs.of(self.glyphs))

    @property
    def text(self) -> str:
        return self.glyphs.text


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
    # (x, y, w, h) pt of the corner cut out of an L-shaped story module (issue 13: it wraps round
    # an ad there): not part of the module, nothing of the story may be drawn in it
    notch: tuple[float, float, float, float] | None = None

    def parts(self, gutter: float = 0.0) -> tuple[tuple[float, float, float, float], ...]:
        """The module as rectangles (x, y, w, h) that do not overlap: itself, or for a notched one
        the band over the notch (full width) and the columns beside it (as deep as the module;
        `gutter`: without the gutter between them and the notch)."""
        if self.notch is None:
            return ((self.x, self.y, self.w, self.h),)
        nx, ny, nw, nh = self.notch
        top = (self.x, self.y, self.w, ny - self.y)
        if nx <= self.x + TOLERANCE:  # the notch at the left
            side = (nx + nw + gutter, ny, self.x + self.w - (nx + nw + gutter), self.y + self.h - ny)
        else:
            side = (self.x, ny, nx - gutter - self.x, self.y + self.h - ny)
        return top, side


@dataclass(frozen=True)
class Mark:
    """An interlinear mark under horizontal text (cjk-rules R47, R48): an emphasis dot (着重號)
    centred at (x, y), or a proper-noun line (專名號, "line") or book-title wavy line (書名號,
    "wavy") from x to x1 with its centre line at y. Drawn in `color`; `size` is the dot's
    diameter or the line's thickness, pt."""

    kind: str  # dot | line | wavy
    x: float
    y: float
    x1: float = 0.0
    size: float = 1.0
    color: CMYK = BLACK
    source: Source = field(default_factory=Source)
    y1: float | None = None  # a line beside vertical text (R55): from (x, y) down to (x, y1); x1 unused


Item = GlyphRun | Rule | Box | ImageItem | PdfItem | Mark | MissingGlyph


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


@dataclass(frozen=True)
class PageFacts:
    """What the output stage reads of a page's items when it does not draw the page: the images
    and delivered PDFs it places (the photos to prepare, the page PDF's cache key), the faces its
    text is set in (the key names their files), how many glyphs it sets (a rendering's weight),
    the characters no face has (report.json), and the glyph runs in two or more inks (the only
    ones the print profile may turn to K: TEXT-COLOUR-TO-BLACK). A page from the page cache
    brings them along, so its placed glyphs need not be read at all."""

    images: tuple[ImageItem, ...]
    pdfs: tuple[PdfItem, ...]
    faces: tuple[str, ...]  # sorted
    glyphs: int
    missing: tuple[MissingGlyph, ...]
    inked: tuple[GlyphRun, ...]

    @staticmethod
    def of(frame: PageFrame) -> PageFacts:
        items = frame.items
        runs = [i for i in items if isinstance(i, GlyphRun)]
        return PageFacts(
            images=tuple(i for i in items if isinstance(i, ImageItem)),
            pdfs=tuple(i for i in items if isinstance(i, PdfItem)),
            faces=tuple(sorted({r.face for r in runs})),
            glyphs=sum(len(r.glyphs) for r in runs),
            missing=tuple(i for i in items if isinstance(i, MissingGlyph)),
            inked=tuple(r for r in runs if r.color.inks >= 2))


# ---------------------------------------------------------------------------------------------
# Containment: the safety net under every kind of item. Whatever a stage places, its marks must
# lie inside the module it belongs to and inside the page; an escape is a layout bug or content
# that did not fit, and it must be a diagnostic, never a mark printed over a neighbour.

TOLERANCE = 0.5  # pt: rounding, and strokes centred on a module's edge


@dataclass(frozen=True)
class Escape:
    """An item whose marks reach outside its module (`module` set) or the page (`module` None)."""

    item: Item
    bounds: tuple[float, float, float, float]  # x0, y0, x1, y1 of the item's marks
    limit: tuple[float, float, float, float]  # the rectangle it should have stayed in
    module: Module | None
    owners: tuple[Module, ...]  # the modules it may lie in (empty: its module is not on the page)

    @property
    def by(self) -> float:
        """pt beyond the limit, on its worst side."""
        (x0, y0, x1, y1), (l0, t0, l1, t1) = self.bounds, self.limit
        return max(l0 - x0, t0 - y0, x1 - l1, y1 - t1, 0.0)

    @property
    def side(self) -> str:
        (x0, y0, x1, y1), (l0, t0, l1, t1) = self.bounds, self.limit
        over = {"left of": l0 - x0, "above": t0 - y0, "right of": x1 - l1, "below": y1 - t1}
        return max(over, key=over.get)


def item_bounds(item: Item) -> tuple[float, float, float, float] | None:
    """x0, y0, x1, y1 of what an item marks, in page pt (None: it marks nothing). Text by the
    ideographic em box of each glyph's set width; strokes by half their width either side."""
    if isinstance(item, GlyphRun):
        if not item.glyphs:
            return None
        s = item.size
        _, xs, ys, _, advances, box_xs, box_ys = item.glyphs.columns()
        if item.rotated or item.vertical:
            tops = [y if b is None else b for y, b in zip(ys, box_ys, strict=True)]
            bottom = max(t + a for t, a in zip(tops, advances, strict=True))
            if item.rotated:  # the em box turned: IDEO_ASCENT right of the baseline, the rest left of it
                return (min(xs) - (1 - IDEO_ASCENT) * s, min(tops), max(xs) + IDEO_ASCENT * s, bottom)
            # vertical: glyph origin at the top centre of its em box, advancing its set height downwards
            return (min(xs) - s / 2, min(tops), max(xs) + s / 2, bottom)
        lefts = [x if b is None else b for x, b in zip(xs, box_xs, strict=True)]
        return (min(lefts), min(ys) - IDEO_ASCENT * s,
                max(left + a for left, a in zip(lefts, advances, strict=True)), max(ys) + (1 - IDEO_ASCENT) * s)
    if isinstance(item, Rule):
        half = item.width / 2
        dx = half if item.x0 == item.x1 or item.y0 != item.y1 else 0.0  # butt caps: no reach along the rule
        dy = half if item.y0 == item.y1 or item.x0 != item.x1 else 0.0
        return (min(item.x0, item.x1) - dx, min(item.y0, item.y1) - dy,
                max(item.x0, item.x1) + dx, max(item.y0, item.y1) + dy)
    if isinstance(item, Box):
        half = item.stroke_width / 2 if item.stroke is not None else 0.0
        if item.fill is None and item.stroke is None:
            return None
        return (item.x - half, item.y - half, item.x + item.w + half, item.y + item.h + half)
    if isinstance(item, Mark):
        half = item.size / 2
        if item.kind == "dot":
            return (item.x - half, item.y - half, item.x + half, item.y + half)
        # a line's stroke, and a wavy line's curve (its control points reach 1.2 thicknesses out)
        reach = half + (item.size * 1.2 if item.kind == "wavy" else 0.0)
        if item.y1 is not None:
            return (item.x - reach, min(item.y, item.y1), item.x + reach, max(item.y, item.y1))
        return (min(item.x, item.x1), item.y - reach, max(item.x, item.x1), item.y + reach)
    return (item.x, item.y, item.x + item.w, item.y + item.h)  # ImageItem, PdfItem


def owner_modules(frame: PageFrame, item: Item) -> tuple[Module, ...] | None:
    """The modules an item may lie in, from where it came from; None for page furniture that has
    no module (the folio, the rules between modules), which only has to stay on the page."""
    src = item.source
    mods = frame.modules
    if src.kind in ("folio", "rule"):
        return None
    if src.kind == "masthead":
        return tuple(m for m in mods if m.kind == "masthead")
    if src.kind in ("teasers", "teaser"):
        return tuple(m for m in mods if m.kind == "teasers")
    if src.kind == "ad":
        return tuple(m for m in mods if m.kind == "ad" and m.ref == src.story)
    if src.kind.startswith("table"):
        # A table placed on the page has a module of its own; one set inside a story lies in that
        # story's module (its marks name the table, not the story).
        own = tuple(m for m in mods if m.kind == "table" and m.ref == src.story)
        return own or tuple(m for m in mods if m.kind in ("story", "continued"))
    if src.story is not None:
        return tuple(m for m in mods if m.kind in ("story", "continued") and m.ref == src.story)
    if src.kind in ("photo", "caption", "credit"):
        return tuple(m for m in mods if m.kind == "photo")
    return None


def _inside(b, limit, slack: float) -> bool:
    return (b[0] >= limit[0] - slack and b[1] >= limit[1] - slack
            and b[2] <= limit[2] + slack and b[3] <= limit[3] + slack)


def escapes(frame: PageFrame, *, gutter: float = 0.0, tolerance: float = TOLERANCE) -> list[Escape]:
    """Every item of the page whose marks leave its module or the page. Borders and rules may
    reach half a gutter past their module (a boxed story's border runs down the gutters' middle);
    text and pictures only the tolerance."""
    page = (0.0, 0.0, frame.width, frame.height)
    out: list[Escape] = []
    for item in frame.items:
        b = item_bounds(item)
        if b is None:
            continue
        if not _inside(b, page, tolerance):
            out.append(Escape(item, b, page, None, ()))
            continue
        owners = owner_modules(frame, item)
        if owners is None:
            continue
        slack = tolerance + (gutter / 2 if isinstance(item, Rule | Box) else 0.0)
        rects = [(m.x, m.y, m.x + m.w, m.y + m.h) for m in owners]
        if not any(_inside(b, r, slack) and not _in_notch(b, m.notch, slack)
                   for r, m in zip(rects, owners, strict=True)):
            # Measured against the module it overlaps most (its own module, in all likelihood).
            best = max(owners, key=lambda m: _overlap(b, (m.x, m.y, m.x + m.w, m.y + m.h)), default=None)
            limit = (best.x, best.y, best.x + best.w, best.y + best.h) if best else page
            if best is not None and best.notch is not None:
                # into the notch: measured against the part of the module it overlaps most
                x, y, w, h = max(best.parts(), key=lambda q: _overlap(b, (q[0], q[1], q[0] + q[2], q[1] + q[3])))
                limit = (x, y, x + w, y + h)
            out.append(Escape(item, b, limit, best, owners))
    return out


def _in_notch(b, notch, slack: float) -> bool:
    """Whether marks with bounds `b` reach more than `slack` into a module's notch."""
    if notch is None:
        return False
    x, y, w, h = notch
    return min(b[2], x + w) - max(b[0], x) > slack and min(b[3], y + h) - max(b[1], y) > slack


def _overlap(a, b) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _owner_label(src: Source) -> str:
    if src.kind == "ad":
        return f"ad {src.story!r}"
    if src.kind in ("teaser", "teasers"):
        return "the teasers" + (f" (entry for {src.story!r})" if src.story else "")
    if src.story is not None:
        return f"story {src.story!r}"
    return {"folio": "the folio", "masthead": "the masthead", "rule": "a column rule"}.get(src.kind, src.kind)


def _item_label(item: Item) -> str:
    if isinstance(item, GlyphRun):
        text = item.text.strip()
        return f"{item.source.kind} text 「{text[:24]}{'…' if len(text) > 24 else ''}」"
    if isinstance(item, Mark):
        return {"dot": "emphasis dots", "line": "proper-noun line", "wavy": "book-title line"}.get(
            item.kind, "interlinear mark") + (f" ({item.source.kind})" if item.source.kind else "")
    if isinstance(item, MissingGlyph):
        return "missing-glyph cell" + (f" ({item.source.kind})" if item.source.kind else "")
    return {Rule: "rule", Box: "box", ImageItem: "picture", PdfItem: "PDF artwork"}.get(type(item), "item") + (
        f" ({item.source.kind})" if item.source.kind else "")


def escape_diagnostics(frame: PageFrame, found: list[Escape],
                       locate: Callable[[Source], Location] | None = None) -> list[Diagnostic]:
    """One error per owner, item kind and limit: ITEM-OUTSIDE-PAGE for marks off the page,
    ITEM-OUTSIDE-MODULE for marks outside their module (or with no module on the page), giving
    how many items, how far and the first of them. `locate` places an item's source in the edition."""
    groups: dict[tuple, list[Escape]] = {}
    for e in found:
        src = e.item.source
        key = (src.story, src.kind, e.module is None and not e.owners, e.module)
        groups.setdefault(key, []).append(e)
    out = []
    for (_, _, off_page, module), group in groups.items():
        worst = max(group, key=lambda e: e.by)
        src = worst.item.source
        owner = _owner_label(src)
        many = f" and {len(group) - 1} more item{'s' if len(group) > 2 else ''} like it" if len(group) > 1 else ""
        where = locate(src) if locate is not None else Location()
        story = src.story if src.kind not in ("ad",) else None
        if off_page:
            code = "ITEM-OUTSIDE-PAGE" if worst.by > 0 else "ITEM-OUTSIDE-MODULE"
            if worst.by > 0:
                message = (f"{_item_label(worst.item)} of {owner} reaches {worst.by:.1f} pt {worst.side} the page "
                           f"{frame.page_id}{many}")
            else:
                message = f"{_item_label(worst.item)} of {owner} is drawn on page {frame.page_id}, which has no module for it{many}"
        else:
            code = "ITEM-OUTSIDE-MODULE"
            message = (f"{_item_label(worst.item)} of {owner} reaches {worst.by:.1f} pt {worst.side} its "
                       f"{module.kind} module on page {frame.page_id}{many}")
        out.append(Diagnostic(code, Severity.ERROR, message, location=where, story=story, page=frame.page_id,
                              hint="give the item a larger module or less content; if that is not the cause, "
                                   "it is a layout bug: report it with the edition"))
    return out
