"""Vertical composition (clreq; cjk-rules R50-R56): text set top to bottom in columns.

The horizontal composer does the work, along the column instead of along the line: a vertical
"face" (VerticalFace) answers the composer's questions with the metrics of each glyph as it
stands in a column, so every rule of horizontal text applies along the vertical axis unchanged:

- upright glyphs (Han, CJK punctuation, kana, full-width forms) use the face's `vert`/`vrt2`
  forms (﹁﹂ for 「」, the vertical ，。 in the top-right quadrant or centred as the face draws
  them, ︙ for …); their advance is the vertical advance (vmtx) and their "ink" is the ink's extent
  down the column from the vertical origin (VORG, or yMax + top side bearing for TrueType), so R2
  classification, compression (R14, R16, R17, R29) and kinsoku (R5) see the marks as they are set;
- Latin words and long numbers are rotated 90° clockwise (R53) and measured by their horizontal
  advance, with ¼ em glue to Han as in horizontal text;
- a run of one to three European digits is set upright in one em cell (縱中橫, R54): a
  placeholder Han cell during composition, the digits drawn side by side in it afterwards;
- a single capital or an acronym of up to four capitals is upright, one letter per em (R53),
  through its full-width form;
- “”‘’ become 「」『』 (R52) before anything else.

VerticalComposer.paragraph() composes through the horizontal Composer (inline bold and Kai runs
and fixed gaps as layout.paginate.typeset.TextSetter.paragraph takes them), each composed glyph's
x being its place down the column (em), and returns a VerticalParagraph whose VerticalGlyphs give
what the page needs per glyph. DisplayBreaker chooses the column breaks of display lines by the
rules of horizontal display lines (layout/text/display.py).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from layout.fonts.chain import FontChain
from layout.fonts.face import Face, single_substitutions
from layout.text import rules_zh as R
from layout.text.compose import Composer
from layout.text.lines import ComposedGlyph, ComposedLine, ComposedParagraph
from layout.text.segment import url_spans
from layout.text.style import CompositionStyle

# R52: the quotes of vertical text (and of the Taiwan / Hong Kong conventions) are corner brackets.
CORNER_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})

TCY_MAX = 3  # R54: runs of up to this many digits are set upright in one em
ACRONYM_MAX = 4  # R53: an acronym of up to this many capitals stands upright, one letter per em
TCY_CELL = "\u3007"  # 〇: a 1 em Han cell that holds a tate-chu-yoko run during composition

# A digit run stands alone: no letter, sign, unit or decimal part beside it (those keep the number
# with them, R9, and the whole is rotated instead).
_SIGNS = re.escape("".join(sorted(R.PREFIX_SIGNS | R.SUFFIX_UNITS)))
_TCY_RE = re.compile(rf"(?<![0-9A-Za-z.,{_SIGNS}])[0-9]{{1,{TCY_MAX}}}(?![0-9A-Za-z{_SIGNS}]|[.,][0-9])")
_ACRONYM_RE = re.compile(rf"(?<![A-Za-z0-9])[A-Z]{{1,{ACRONYM_MAX}}}(?![A-Za-z0-9])")


def corner_quotes(text: str) -> str:
    """“”‘’ → 「」『』 (R52; the default quotes of the Taiwan and Hong Kong conventions, R1)."""
    return text.translate(CORNER_QUOTES)


# R51: marks that are turned 90° in a column when the face has no vertical form for them (brackets,
# quotes, LONG units, connectors, solidus); with a `vert` form, that form is set upright.
ROTATE_WITHOUT_VERT = frozenset("“”‘’（）《》〈〉「」『』【】〖〗〔〕［］｛｝—―…‥⋯⸺～–/／")


def is_upright(ch: str) -> bool:
    """Upright in a vertical column (UAX #50 Vertical_Orientation U/Tu, for what a paper sets):
    Han, kana, Hangul, CJK punctuation and symbols, full-width forms. Latin, digits and
    Western punctuation are rotated (R)."""
    cp = ord(ch)
    return (R.is_han(cp) or 0x2E80 <= cp <= 0xA4CF or 0xF900 <= cp <= 0xFAFF or 0xFE10 <= cp <= 0xFE4F
            or 0xFF01 <= cp <= 0xFF60 or 0xFFE0 <= cp <= 0xFFE6 or 0x2460 <= cp <= 0x27BF
            or 0x2100 <= cp <= 0x218F or ch in "·•‧※" or cp >= 0x20000)


class VerticalMetrics:
    """The vertical side of one face: `vert` forms, vertical advances and origins (em)."""

    def __init__(self, face: Face):
        self.face = face

    @cached_property
    def vert(self) -> dict[int, int]:
        """gid -> gid of the vertical form (GSUB vert/vrt2)."""
        face = self.face
        order = face.glyph_order
        ids = {name: gid for gid, name in enumerate(order)}
        subst = single_substitutions(face.font, ("vert", "vrt2"))
        return {ids[a]: ids[b] for a, b in subst.items() if a in ids and b in ids}

    @cached_property
    def _vmtx(self):
        font = self.face.font
        return font["vmtx"].metrics if "vmtx" in font else None

    @cached_property
    def _vorg(self):
        font = self.face.font
        if "VORG" not in font:
            return None
        t = font["VORG"]
        return t.defaultVertOriginY, dict(t.VOriginRecords)

    @cached_property
    def default_origin(self) -> float:
        """The vertical origin most glyphs have (em above the baseline): VORG's default, else the
        typographic ascender (the em-box top of a CJK face; vhea's ascent is not always one)."""
        if self._vorg is not None:
            return self._vorg[0] / self.face.upem
        return self.face.ascent

    def advance(self, gid: int) -> float:
        m = self._vmtx
        name = self.face.glyph_order[gid]
        if m is None or name not in m:
            return 1.0
        return m[name][0] / self.face.upem

    def origin(self, gid: int) -> float:
        """Height of the vertical origin above the baseline, em (VORG; TrueType: yMax + tsb)."""
        name = self.face.glyph_order[gid]
        if self._vorg is not None:
            default, records = self._vorg
            return records.get(name, default) / self.face.upem
        m = self._vmtx
        ink = self.face.ink(gid)
        if m is None or name not in m or ink is None:
            return self.default_origin
        return ink[3] + m[name][1] / self.face.upem


class VerticalFace:
    """A face as the composer sees it in a column (see the module doc). Same key as the face,
    so the composed glyphs name the real face; the glyph ids are those drawn (vertical forms)."""

    def __init__(self, face: Face):
        self.face = face
        self.key = face.key
        self.metrics = VerticalMetrics(face)
        self.upright: dict[int, bool] = {}  # gid -> set upright (else rotated), decided per character

    def place(self, ch: str, gid: int) -> int:
        """The glyph drawn for `ch` (cmap glyph `gid`) in a column, remembering its orientation."""
        vert = self.metrics.vert.get(gid)
        if vert is not None:
            self.upright.setdefault(vert, True)
            return vert
        self.upright.setdefault(gid, is_upright(ch) and ch not in ROTATE_WITHOUT_VERT)
        return gid

    def advance(self, gid: int) -> float:
        if self.upright.get(gid, True):
            return self.metrics.advance(gid)
        return self.face.advance(gid)

    def ink(self, gid: int) -> tuple[float, float, float, float] | None:
        ink = self.face.ink(gid)
        if ink is None or not self.upright.get(gid, True):
            return ink
        top = self.metrics.origin(gid)
        return (top - ink[3], ink[0], top - ink[1], ink[2])  # down the column from the origin


def note_asked(asked) -> None:
    """Add the characters a vertical composition sets, by chain, to the chains' open records
    (FontChain.seen), on every use of the composition, cached or not. A page group records what
    its chains set, for its damaged-glyph warnings, and a group from the page cache brings that
    record along; the chains' resolve calls alone would record less in a group composed after
    another that set the same characters (this module's memos, the composer's segmenter cache
    answer them), so the record would depend on what the process composed before."""
    for chain, chars in asked:
        if chain.seen is not None:
            chain.seen.update(chars)


def _asked(prep: Prepared, chain: FontChain, runs: tuple) -> tuple[tuple[FontChain, frozenset[str]], ...]:
    """The characters of a prepared text and of its source by the chain that sets them: a run's
    (start, end, chain) its own, the rest `chain`'s."""
    def owner(src: int) -> FontChain:
        return next((c for a, b, c in runs if a <= src < b), chain)

    out: dict[int, tuple[FontChain, set[str]]] = {id(chain): (chain, set())}
    for k, ch in enumerate(prep.text):
        c = owner(prep.index[k] if k < len(prep.index) else k)
        out.setdefault(id(c), (c, set()))[1].add(ch)
    for i, ch in enumerate(prep.source):
        c = owner(i)
        out.setdefault(id(c), (c, set()))[1].add(ch)
    return tuple((c, frozenset(chars)) for c, chars in out.values())


class VerticalChain(FontChain):
    """A font chain whose faces answer in column terms (VerticalFace)."""

    def __init__(self, chain: FontChain, shared: dict[str, VerticalFace] | None = None):
        """`shared`: the VerticalFaces of other chains set in the same paragraphs (inline bold or
        Kai runs), so that a face in two chains has one record of which of its glyphs are upright."""
        self.base = chain
        self.role = chain.role
        self.faces = chain.faces
        shared = {} if shared is None else shared
        self.vfaces = {f.key: shared.setdefault(f.key, VerticalFace(f)) for f in chain.faces}
        self._memo = {}

    @property
    def primary(self):
        return self.vfaces[self.base.primary.key]

    def resolve(self, ch: str):
        if self.base.seen is not None:  # asked of the base chain even when this memo answers
            self.base.seen.add(ch)
        hit = self._memo.get(ch, False)
        if hit is False:
            base = self.base.resolve(ch)
            if base is None:
                hit = None
            else:
                vf = self.vfaces[base[0].key]
                hit = (vf, vf.place(ch, base[1]))
            self._memo[ch] = hit
        return hit


@dataclass(frozen=True)
class Prepared:
    """Text as composed vertically, and how it maps back to what the author typed."""

    text: str  # what the composer sets
    source: str  # the author's text (quotes already converted when the convention says so)
    index: tuple[int, ...]  # composed index -> source index
    tcy: dict[int, str]  # composed index of a 〇 cell -> the digits it holds
    upright_latin: dict[int, str]  # composed index of a full-width letter -> the letter typed


TCY_MIN_SCALE = 0.8  # a digit run squeezed more than this to fit its em is rotated instead (R54)


def prepare(text: str, tcy_width: Callable[[str], float] | None = None,
            rotate: frozenset[int] = frozenset()) -> Prepared:
    """R52 quotes, R54 tate-chu-yoko cells, R53 upright acronyms. `tcy_width(digits)` gives a
    run's natural width in em: a run that would have to shrink below TCY_MIN_SCALE to fit one em
    (three proportional digits, in most faces) is rotated like a longer number."""
    src = corner_quotes(text)
    out: list[str] = []
    index: list[int] = []
    tcy: dict[int, str] = {}
    upright: dict[int, str] = {}
    spans: dict[int, tuple[str, int]] = {}
    # a web or e-mail address is one Latin word, turned whole: its digits and capitals are no
    # upright cells (…/2026/ 12/ 03/ printed with gaps round the 縱中橫 cells, the address cut up)
    addresses = list(url_spans(src).items())

    def in_address(k: int) -> bool:
        return any(a <= k < b for a, b in addresses)

    for m in _TCY_RE.finditer(src):
        if in_address(m.start()):
            continue
        if tcy_width is None or tcy_width(m.group()) * TCY_MIN_SCALE <= 1.0 + 1e-9:
            spans[m.start()] = ("tcy", m.end())
    for m in _ACRONYM_RE.finditer(src):
        # `rotate`: acronyms a column break fell into, set as a rotated word
        if m.start() not in rotate and not in_address(m.start()):
            spans.setdefault(m.start(), ("acronym", m.end()))
    i = 0
    while i < len(src):
        span = spans.get(i)
        if span is not None and span[0] == "tcy":
            tcy[len(out)] = src[i:span[1]]
            out.append(TCY_CELL)
            index.append(i)
            i = span[1]
            continue
        if span is not None:
            for k in range(i, span[1]):
                upright[len(out)] = src[k]
                out.append(chr(ord(src[k]) + 0xFEE0))  # the full-width form, set like Han (R27)
                index.append(k)
            i = span[1]
            continue
        out.append(src[i])
        index.append(i)
        i += 1
    return Prepared("".join(out), src, tuple(index), tcy, upright)


def _acronym_spans(prep: Prepared) -> tuple[tuple[int, int], ...]:
    """(start, end) in the composed text of each upright acronym (consecutive upright letters of
    consecutive source characters)."""
    out: list[tuple[int, int]] = []
    for k in sorted(prep.upright_latin):
        if out and out[-1][1] == k and prep.index[k] == prep.index[k - 1] + 1:
            out[-1] = (out[-1][0], k + 1)
        else:
            out.append((k, k + 1))
    return tuple((a, b) for a, b in out if b - a > 1)


def _split_acronyms(prep: Prepared, par: ComposedParagraph) -> frozenset[int]:
    """Source starts of the upright acronyms that a column break falls inside."""
    out = set()
    for ln in par.lines[:-1]:
        end = ln.end  # composed index of the first character of the next column
        if end - 1 in prep.upright_latin and end in prep.upright_latin and prep.index[end] == prep.index[end - 1] + 1:
            k = end - 1
            while k - 1 in prep.upright_latin and prep.index[k - 1] == prep.index[k] - 1:
                k -= 1
            out.add(prep.index[k])
    return frozenset(out)


@dataclass(frozen=True)
class VerticalGlyph:
    """One glyph of a column, in em from the column's top and its centre line.

    kind: 'upright' (drawn at its vertical origin `y`, centred on the axis), 'rotated' (a
    horizontal glyph turned 90° clockwise, its origin `y` down the column), 'tcy' (horizontal
    glyphs side by side in the one em cell starting at `y`, `x` from the axis to the first
    glyph's origin, scaled by `scale`) or 'missing' (a character no face has: its cell from `y`,
    never drawn; layout.frames.MissingGlyph)."""

    kind: str
    text: str  # the characters it stands for, as typed
    face: str
    gid: int
    y: float
    advance: float  # along the column, em
    index: int  # index in the author's text
    x: float = 0.0
    scale: float = 1.0
    box: float | None = None  # top of the set box, em, when it is not the origin (a trimmed mark, R17)


@dataclass(frozen=True)
class VerticalLine:
    glyphs: tuple[VerticalGlyph, ...]
    line: ComposedLine  # the composed column (lengths in em along the axis)

    @property
    def start(self) -> int:
        return self.line.start

    @property
    def length(self) -> float:
        return self.line.width


@dataclass(frozen=True)
class VerticalParagraph:
    text: str  # the author's text
    measure: float  # column length, em
    lines: tuple[VerticalLine, ...]
    missing: tuple[str, ...] = ()

    @property
    def composed(self) -> int:
        return len(self.lines)


class VerticalComposer:
    """Vertical paragraphs for one (style, font chain); cached like Composer."""

    def __init__(self, style: CompositionStyle, chain: FontChain):
        self.style = style
        self.chain = chain
        self.vfaces: dict[str, VerticalFace] = {}  # every face this composer sets, by key
        self.vchain = VerticalChain(chain, self.vfaces)
        # by id of the horizontal chain, kept beside it so that the id stays that chain's
        self._vchains: dict[int, tuple[FontChain, VerticalChain]] = {id(chain): (chain, self.vchain)}
        self._composer = Composer(style, self.vchain)
        self._cache: dict[tuple, VerticalParagraph] = {}

    def vface(self, key: str) -> VerticalFace:
        """The column view of a face this composer set (the paragraph's own or an inline run's)."""
        return self.vfaces[key]

    def _vchain(self, chain: FontChain) -> VerticalChain:
        hit = self._vchains.get(id(chain))
        if hit is None:
            hit = self._vchains[id(chain)] = (chain, VerticalChain(chain, self.vfaces))
        return hit[1]

    def paragraph(self, text: str, measure: float, indent: float | None = None,
                  style: CompositionStyle | None = None, runs: tuple = (), fixed: tuple = ()) -> VerticalParagraph:
        """`runs`: (start, end, FontChain) of inline face runs (bold, Kai) and `fixed`: (index, em)
        of fixed-width ideographic spaces (the dateline's gap), both in indices of `text`, as
        layout.paginate.typeset.TextSetter.paragraph takes them."""
        key = (text, measure, indent, style, tuple((a, b, id(c)) for a, b, c in runs), fixed)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._compose(text, measure, indent, style, runs, fixed)
        note_asked(hit[1])
        return hit[0]

    def _compose(self, text: str, measure: float, indent: float | None, style: CompositionStyle | None,
                 runs: tuple, fixed: tuple) -> tuple[VerticalParagraph, tuple]:
        """The paragraph, and what it sets by chain (note_asked)."""
        composer = self._composer if style is None or style == self.style else Composer(style, self.vchain)
        rotate: frozenset[int] = frozenset()
        while True:
            prep = prepare(text, self._digits_width, rotate)
            vruns, vfixed = self._map(prep, runs, fixed)
            # An upright acronym is one word: its letters (Han cells to the composer) are kept
            # together, so the column breaks before it and it stays upright like the same acronym
            # elsewhere in the story (it was turned wherever a break first fell inside it: RCEP
            # upright in one column, turned in the next). Only an acronym longer than the column,
            # which must break, is set as a rotated word instead.
            par = composer.paragraph(prep.text, measure, indent, 0.0, vruns, vfixed, _acronym_spans(prep))
            split = _split_acronyms(prep, par)
            if not split:
                break
            rotate |= split
        return self._lines(prep, par, vruns), _asked(prep, self.chain, runs)

    def _map(self, prep: Prepared, runs: tuple, fixed: tuple) -> tuple[tuple, tuple]:
        """Runs and fixed gaps moved from the author's indices to the composed text's (a
        tate-chu-yoko cell stands for all its digits)."""
        if not runs and not fixed:
            return (), ()
        first: dict[int, int] = {}  # source index -> composed index
        for k, src in enumerate(prep.index):
            first.setdefault(src, k)
        vruns = []
        for start, end, chain in runs:
            ks = [k for k, src in enumerate(prep.index) if start <= src < end]
            if ks:
                vruns.append((ks[0], ks[-1] + 1, self._vchain(chain)))
        vfixed = tuple((first[i], em) for i, em in fixed if i in first)
        return tuple(vruns), vfixed

    def _digits_width(self, digits: str) -> float:
        width = 0.0
        for ch in digits:
            hit = self.chain.resolve(ch)
            width += hit[0].advance(hit[1]) if hit else 0.5
        return width

    def _lines(self, prep: Prepared, par: ComposedParagraph, vruns: tuple = ()) -> VerticalParagraph:
        lines = []
        for ln in par.lines:
            glyphs: list[VerticalGlyph] = []
            for g in ln.glyphs:
                src = prep.index[g.index] if g.index < len(prep.index) else g.index
                if g.gid == 0:  # no face has it: kept as its cell, never drawn (the page marks it)
                    glyphs.append(VerticalGlyph("missing", g.text, g.face, 0, g.x, g.width or 1.0, src))
                    continue
                if g.index in prep.tcy:
                    chain = next((c.base for a, b, c in vruns if a <= g.index < b), self.chain)
                    glyphs.extend(self._tcy(prep.tcy[g.index], g.x, g.width, src, chain))
                    continue
                vf = self.vfaces[g.face]
                text = prep.upright_latin.get(g.index, g.text)
                kind = "upright" if vf.upright.get(g.gid, True) else "rotated"
                box = None if g.box_x == g.x else g.box_x
                glyphs.append(VerticalGlyph(kind, text, g.face, g.gid, g.x, g.width, src, box=box))
            if any(g.index in prep.tcy for g in ln.glyphs):
                # The composed column names a tate-chu-yoko cell by its digits, not the 〇 it was
                # composed as: the flow counts a line's characters from its glyphs' text.
                ln = dataclasses.replace(ln, glyphs=tuple(
                    ComposedGlyph(g.index, prep.tcy[g.index], g.face, g.gid, g.x, g.width, g.box_x)
                    if g.index in prep.tcy else g for g in ln.glyphs))
            lines.append(VerticalLine(tuple(glyphs), ln))
        return VerticalParagraph(prep.source, par.measure, tuple(lines), par.missing)

    def _tcy(self, digits: str, y: float, cell: float, src: int, chain: FontChain) -> list[VerticalGlyph]:
        """R54: the digits composed solid, centred on the axis; scaled down to the cell if wider."""
        placed = []
        for k, ch in enumerate(digits):
            hit = chain.resolve(ch)
            if hit is None:
                continue
            placed.append((ch, hit[0], hit[1], hit[0].advance(hit[1]), src + k))
        width = sum(p[3] for p in placed)
        scale = min(1.0, cell / width) if width > 0 else 1.0
        x = -width * scale / 2
        out = []
        for ch, face, gid, adv, index in placed:
            out.append(VerticalGlyph("tcy", ch, face.key, gid, y, adv * scale, index, x, scale))
            x += adv * scale
        return out


@dataclass(frozen=True)
class DisplayBreaks:
    pieces: tuple[str, ...]  # the text of each column, as typed (the editor's spaces at a break dropped)
    inside_words: int  # breaks that had to fall inside a word (layout.text.display.DisplayLines)
    forced: bool  # a break against R5/R9/R10 had to be taken


class DisplayBreaker:
    """The column breaks of a vertical display line, chosen as horizontal display lines choose
    their line breaks (layout.text.display.compose_display: the editor's space first, then after a
    stop, then word and phrase boundaries, balanced, no stub column), measured in column terms:
    the text as composed vertically (prepare: 「」, 縱中橫 cells, upright acronyms) through the
    composer's VerticalChain. A callable `breaker(text, length)` for display_columns; `breaks()`
    also says whether a word had to be broken, for the caller to report."""

    def __init__(self, composer: VerticalComposer, words: tuple[str, ...] = (), max_columns: int | None = None):
        self.composer = composer
        self.words = words
        self.max_columns = max_columns
        self._memo: dict[tuple[str, float], tuple[DisplayBreaks, tuple]] = {}

    def __call__(self, text: str, length: float) -> list[str]:
        return list(self.breaks(text, length).pieces)

    def breaks(self, text: str, length: float) -> DisplayBreaks:
        key = (text, length)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = self._breaks(text, length)
        note_asked(hit[1])
        return hit[0]

    def _breaks(self, text: str, length: float) -> tuple[DisplayBreaks, tuple]:
        from layout.text.display import compose_display

        comp = self.composer
        prep = prepare(text, comp._digits_width)
        got = compose_display(prep.text, length, comp.style, comp.vchain, words=self.words,
                              max_lines=self.max_columns)
        n = len(prep.source)
        cuts = [prep.index[ln.end] if ln.end < len(prep.index) else n for ln in got.lines[:-1]]
        # An upright acronym is one word (R53): a break inside it moves to its start.
        letters = frozenset(prep.index[k] for k in prep.upright_latin)
        for k, c in enumerate(cuts):
            while c > 0 and c - 1 in letters and c in letters:
                c -= 1
            cuts[k] = c
        bounds = [0] + sorted(set(c for c in cuts if 0 < c < n)) + [n]
        pieces = tuple(p for a, b in zip(bounds, bounds[1:], strict=False) if (p := text[a:b].strip()))
        # what the trial composition set (note_asked), kept beside the breaks
        return DisplayBreaks(pieces or (text,), got.inside_words, got.forced), _asked(prep, comp.chain, ())


def display_columns(text: str, length: float, max_columns: int, composer: VerticalComposer,
                    breaker: Callable[[str, float], list[str]] | None = None) -> VerticalParagraph:
    """A vertical display line (headline, kicker, deck; R44 in columns): no indent, unjustified,
    kinsoku kept (levels none and loose → basic), balanced to even columns. `breaker`, when given, proposes
    the display break points (word boundaries) as a list of pieces; each piece is then set as
    its own column group."""
    from dataclasses import replace

    base = composer.style
    level = "basic" if base.level in ("none", "loose") else base.level
    style = replace(base, indent=0.0, justify=False, last_line="start", min_last_line_han=0, level=level)
    if breaker is not None:
        pieces = [p for p in breaker(text, length) if p]
        lines: list[VerticalLine] = []
        missing: list[str] = []
        offset = 0
        for piece in pieces:
            start = text.find(piece, offset)
            start = offset if start < 0 else start
            par = composer.paragraph(piece, length, 0.0, style)
            lines += [_shift(ln, start) for ln in par.lines]
            missing += par.missing
            offset = start + len(piece)
        return VerticalParagraph(text, length, tuple(lines), tuple(missing))
    par = composer.paragraph(text, length, 0.0, style)
    count = len(par.lines)
    if count < 2:
        return par
    lo, hi = length / count, length
    best = par
    for _ in range(14):  # balance: the shortest column length that keeps the column count
        mid = (lo + hi) / 2
        trial = composer.paragraph(text, mid, 0.0, style)
        if len(trial.lines) == count and all(ln.length <= mid + 1e-6 and not ln.line.forced for ln in trial.lines):
            best, hi = trial, mid
        else:
            lo = mid
    return VerticalParagraph(best.text, length, best.lines, best.missing)


def _shift(line: VerticalLine, by: int) -> VerticalLine:
    if not by:
        return line
    glyphs = tuple(VerticalGlyph(g.kind, g.text, g.face, g.gid, g.y, g.advance, g.index + by, g.x, g.scale,
                                 g.box) for g in line.glyphs)
    return VerticalLine(glyphs, line.line)
