"""Segmentation: paragraph text -> units (never split) and the gaps between them.

A unit is what line breaking treats as one box: a Han character, a mark, a LONG unit (R21), a
chained ？！ (R15), or a Latin word / digit run with its signs and units (R9). Between two units
lies a gap with a natural width (0, Han–Latin glue R23, or a word space), a break permission
(R5, R9, R10) and a stretch class (R30). Punctuation widths by style (R13), adjacent
compression (R14, R15) and the blanks that may still be removed (R16, R17, R29) are settled
here too, per unit, because they do not depend on where lines break.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from layout.fonts.chain import FontChain
from layout.text import rules_zh as R
from layout.text.punct import MarkMetrics, mark_metrics
from layout.text.style import CompositionStyle

# Unit kinds (the break class of a mark unit is its punctuation class)
PUNCT = "punct"
CHAIN = "chain"

# Gap stretch classes (R30)
G_NONE = 0  # never stretched (R20, jlreq inseparable marks)
G_PLAIN = 1  # an ordinary inter-character gap: step 3
G_GLUE = 2  # Han–Latin glue: step 2, then step 3
G_SPACE = 3  # Latin word space: step 1, then step 3

_HAN_RE = re.compile(
    "[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in R.HAN_RANGES if hi < 0xFF00) + "]"
)
# Spaces are set as glue or a word space (the space glyph), never as their own glyph: a tab or a
# line separator pasted from a word processor is a space, not a missing glyph.
_SPACES = frozenset(" \t\n\r\u00a0\u2009\u202f\u2028\u2029")
# Invisible format characters left by copying from web pages and word processors (zero-width
# space and joiners, word joiner, a byte-order mark inside the text, soft hyphen): they draw
# nothing, so they are dropped like spaces the composer does not draw, not reported as missing.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_NBSP = frozenset("\u00a0\u202f")
# A web address in running text (https://…, www.…): ASCII only, so it ends at the first Han
# character, CJK mark or space; sentence punctuation typed after it is not part of it.
_URL_RE = re.compile(r"(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
                     r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")  # or an e-mail address
_URL_TAIL = ".,;:!?)]'"
_URL_BREAK_AFTER = frozenset("/.?&=#-_@")


class Unit:
    """One unbreakable box. Glyph x values are relative to the unit's natural set box."""

    __slots__ = ("kind", "cls", "start", "end", "glyphs", "width", "lead_cap", "trail_cap", "step", "han")

    def __init__(self, kind: str, cls: str, start: int, end: int, glyphs: list, width: float,
                 lead_cap: float = 0.0, trail_cap: float = 0.0, step: int = -1, han: int = 0):
        self.kind = kind
        self.cls = cls
        self.start = start
        self.end = end
        # [(char index, char, face key, gid, origin x, box x, set width)], x from the unit's left edge
        self.glyphs = glyphs
        self.width = width  # natural set width in em
        self.lead_cap = lead_cap  # blank that may still be removed on the left (R17, R29)
        self.trail_cap = trail_cap  # ... on the right (R16, R29)
        self.step = step  # R29 reduction step of those blanks, -1 if none
        self.han = han  # Han characters in the unit (R37)

    def __repr__(self) -> str:
        return f"Unit({self.kind}, {''.join(g[1] for g in self.glyphs)!r}, w={self.width:g})"


@dataclass
class Segmented:
    units: list[Unit]
    gap_width: list[float]  # natural width of the gap after unit k (0 after the last)
    gap_break: list[bool]  # may a line break there?
    gap_kind: list[int]  # G_* stretch class
    gap_space: list[int]  # char index of the word space drawn in the gap, or -1
    dropped: list[int] = field(default_factory=list)  # spaces replaced by glue or removed (R24)
    missing: list[str] = field(default_factory=list)
    text: str = ""
    space_glyph: tuple[str, int] = ("", 0)  # face key and gid drawn for a word space
    chopped: int = 0  # Latin words wider than the measure, cut into pieces that fit (never lost)
    # gaps k where a break is avoided, not forbidden: R10 (」|「) is a SHOULD. gap_break is False
    # there; the body's total-fit breaker may still take one, at a price, rather than set a line
    # far looser (plain style has no punctuation to compress: 展 覽 共 分「城 市 記 / 憶」「江…)
    gap_soft: set[int] = field(default_factory=set)
    # gaps k inside one web address or one over-long word cut between its letters: breakable, but
    # never opened up to justify a line (a space in a printed address sends the reader astray)
    gap_join: set[int] = field(default_factory=set)


class _Char:
    __slots__ = ("cls", "face", "gid", "advance", "ink", "missing")

    def __init__(self, cls, face, gid, advance, ink, missing):
        self.cls, self.face, self.gid, self.advance, self.ink, self.missing = cls, face, gid, advance, ink, missing


# Base classes of single characters (before context): extra ones only used while segmenting.
_C_AMBIG = "ambig"
_C_QE = "qe"
_C_LONGCH = "longch"
_C_EMDASH = "emdash"


def _joins(text: str, j: int) -> bool:
    """Does text[j] stay inside the Latin word or number around it (R9)?"""
    c, prev = text[j], text[j - 1]
    if c in R.SUFFIX_UNITS:
        return prev.isdigit()
    if j + 1 >= len(text):
        return False
    nxt = text[j + 1]
    if c in R.DIGIT_SEPARATORS and prev.isdigit() and nxt.isdigit():
        return True
    return (c in R.LATIN_INNER and prev.isalnum() and nxt.isalnum()
            and not R.is_han(ord(nxt)) and not R.is_han(ord(prev)))


class Segmenter:
    """Per (style, font chain): classifies each character once and cuts paragraphs into units."""

    def __init__(self, style: CompositionStyle, chain: FontChain):
        self.style = style
        self.chain = chain
        self.rule = R.PUNCT_STYLES[style.punct_style]
        self.level = R.LEVELS[style.level]
        self.grid = style.grid_mode
        self._chars: dict[str, _Char] = {}
        self._marks: dict[tuple[str, str], MarkMetrics] = {}
        hit = chain.resolve(" ")
        self.space_width = hit[0].advance(hit[1]) if hit else 0.25
        self.space_glyph = (hit[0].key, hit[1]) if hit else (chain.primary.key, 0)
        # In grid mode (R41) the gap is whole cells, so the characters after it stay on the grid.
        self._faces: list | None = None  # set for the duration of one segment() call
        self.phrase_gap = float(max(1, round(style.phrase_gap))) if style.grid_mode else style.phrase_gap

    # -- characters ---------------------------------------------------------------------------------

    def char(self, ch: str) -> _Char:
        info = self._chars.get(ch)
        if info is None:
            info = self._chars[ch] = self._classify(ch)
        return info

    def _classify(self, ch: str) -> _Char:
        cp = ord(ch)
        if ch in _SPACES:
            cls = R.SPACE
        elif ch in R.AMBIGUOUS_QUOTES:
            cls = _C_AMBIG
        elif ch in R.QE_MARKS:
            cls = _C_QE
        elif ch == "—":
            cls = _C_EMDASH
        elif ch in R.LONG_DOUBLED or ch in R.LONG_SINGLE:
            cls = _C_LONGCH
        elif ch in R.PUNCT_CLASS:
            cls = R.PUNCT_CLASS[ch]
        elif ch == "\u3000":
            cls = R.OTHER  # the ideographic space: a fixed 1 em gap, no Han–Latin glue beside it
        elif R.is_han(cp):
            cls = R.HAN
        elif ch.isalnum():
            cls = R.LATIN
        else:
            cls = R.OTHER
        hit = self.chain.resolve(ch)
        if hit is None:
            face = self.chain.primary
            # Shown as .notdef in a Han-sized cell, so the gap is visible on the proof.
            return _Char(cls, face.key, 0, 1.0 if cls == R.HAN else face.advance(0), None, True)
        face, gid = hit
        adv = face.advance(gid)
        ink = face.ink(gid) if cls not in (R.HAN, R.LATIN, R.SPACE) else None
        return _Char(cls, face.key, gid, adv, ink, False)

    def _mark(self, ch: str, cls: str) -> MarkMetrics:
        key = (ch, cls)
        m = self._marks.get(key)
        if m is None:
            info = self.char(ch)
            m = self._marks[key] = mark_metrics(cls, ch, info.advance, info.ink, self.style.convention)
        return m

    # -- units --------------------------------------------------------------------------------------

    def segment(self, text: str, max_unit: float | None = None, faces: list | None = None,
                fixed: tuple[tuple[int, float], ...] = (), ideographic_spaces: bool = False,
                keep: tuple[tuple[int, int], ...] = ()) -> Segmented:
        """Units and gaps of `text`. With `max_unit`, a Latin word or number wider than that many
        em (a URL, a 500-letter word) is cut into pieces that fit, so it is set, not lost.
        `faces`: per character, the Segmenter of another face role (an inline bold or Kai run,
        layout/text/inline.py) or None for this one; glyphs and widths come from that face, the
        rules from this style. `fixed`: (character index, width in em) of ideographic spaces set
        at a fixed width (the gap after the dateline). `ideographic_spaces` (display lines): an
        ideographic space U+3000 is the editor's space, as Taiwan and Hong Kong desks type it
        between a headline's phrases: the preferred break, 1 em wide where the line goes on, gone
        where it breaks (in body text it stays a fixed 1 em character). `keep`: (start, end)
        character spans no break may divide (the gaps between their units are not breakable)."""
        self._faces = faces
        chinese = _HAN_RE.search(text) is not None  # R3: curly quotes are CJK in Chinese context
        units: list[Unit] = []
        spaces: list[tuple[int, int] | None] = []  # author spaces before each unit
        dropped: list[int] = []
        missing: list[str] = []
        n = len(text)
        chars = self._chars
        HAN, SPACE = R.HAN, R.SPACE  # locals: this loop runs once per character
        i = 0
        pending: tuple[int, int] | None = None
        urls = url_spans(text)
        joined: set[int] = set()  # unit k and k + 1 are pieces of one web address
        while i < n:
            ch = text[i]
            if urls and i in urls:
                pieces = self._url(text, i, urls[i], missing)
                for u in pieces:
                    units.append(u)
                    spaces.append(pending)
                    pending = None
                joined.update(range(len(units) - len(pieces), len(units) - 1))
                i = urls[i]
                continue
            if faces is not None and faces[i] is not None:
                info = faces[i].char(ch)
            else:
                info = chars.get(ch) or self.char(ch)
            c = info.cls
            if ch in _INVISIBLE:
                dropped.append(i)
                i += 1
                continue
            if info.missing and c != SPACE:
                missing.append(ch)
            if c == SPACE or (ideographic_spaces and ch == "\u3000"):
                j = i + 1
                while j < n and (text[j] in _SPACES or (ideographic_spaces and text[j] == "\u3000")):
                    j += 1
                if pending is None:
                    pending = (i, j)
                else:
                    dropped.extend(range(i, j))
                i = j
                continue
            if c == HAN:
                adv = info.advance
                unit = Unit(HAN, HAN, i, i + 1, [(i, ch, info.face, info.gid, 0.0, 0.0, adv)], adv, 0.0, 0.0, -1, 1)
                i += 1
            elif c == R.LATIN or self._starts_latin(text, i, c, chinese):
                unit, i = self._latin(text, i, chinese, missing)
            elif c == _C_AMBIG:
                cls = R.PUNCT_CLASS[ch]
                unit = self._punct(text, i, cls) if chinese else self._other(text, i, info)
                i += 1
            elif c == _C_EMDASH:
                if i + 1 < n and text[i + 1] == "—":
                    unit = self._long(text, i, 2)
                    i += 2
                else:
                    unit = self._punct(text, i, R.CONNECTOR)
                    i += 1
            elif c == _C_LONGCH:
                k = 2 if (ch in R.LONG_DOUBLED and i + 1 < n and text[i + 1] == ch) else 1
                unit = self._long(text, i, k)
                i += k
            elif c == _C_QE:
                j = i + 1
                while j < n and text[j] in R.QE_MARKS:
                    j += 1
                unit = self._chain(text, i, j) if j - i > 1 else self._punct(text, i, R.STOP)
                i = j
            elif c in (R.OPEN, R.CLOSE, R.STOP, R.CONNECTOR, R.INTERPUNCT, R.SOLIDUS):
                unit = self._punct(text, i, c)
                i += 1
            else:
                unit = self._other(text, i, info)
                i += 1
            units.append(unit)
            spaces.append(pending)
            pending = None
        if pending is not None:
            dropped.extend(range(*pending))
        if spaces and spaces[0] is not None:
            dropped.extend(range(*spaces[0]))  # spaces before the first unit: no gap draws them
        if self.rule.adjacent and not self.grid:
            self._compress_adjacent(units)
        self._faces = None
        for at, width in fixed:
            for u in units:
                if u.start == at and u.kind == R.OTHER:
                    g = u.glyphs[0]
                    u.width = width
                    u.glyphs = [(g[0], g[1], g[2], g[3], g[4], g[5], width)]
        chopped = 0
        if max_unit is not None and any(u.kind == R.LATIN and u.width > max_unit + 1e-9 for u in units):
            units, spaces, chopped, joined = _chop(units, spaces, max_unit, joined)
        seg = Segmented(units, [], [], [], [], dropped, missing, text, self.space_glyph, chopped)
        self._gaps(seg, spaces, text)
        seg.gap_join = joined
        for k in joined:
            # R26: a web address is one Latin word: justification never opens it up (https: / /
            # www …), and a line may break only after its / . ? & = # - _ (its pieces' ends)
            seg.gap_kind[k] = G_NONE
            seg.gap_width[k] = 0.0
        for a, b in keep:
            for k in range(len(units) - 1):
                if a <= units[k].start and units[k + 1].end <= b:
                    seg.gap_break[k] = False
                    seg.gap_soft.discard(k)
        return seg

    def _src(self, i: int) -> Segmenter:
        """The Segmenter whose face sets character i (an inline face run's, or this one)."""
        faces = self._faces
        return self if faces is None or faces[i] is None else faces[i]

    def _starts_latin(self, text: str, i: int, c: str, chinese: bool) -> bool:
        """A sign or an opening ASCII bracket/quote that clings to the Latin word or number after it."""
        ch = text[i]
        if i + 1 >= len(text):
            return False
        nxt = text[i + 1]
        if ch in R.PREFIX_SIGNS and nxt.isdigit() and nxt.isascii():
            return True
        return bool((ch in R.LATIN_LEADING or not chinese and ch in "“‘") and self.char(nxt).cls == R.LATIN)

    def _latin(self, text: str, i: int, chinese: bool, missing: list[str]) -> tuple[Unit, int]:
        n = len(text)
        j = i
        char = self.char
        while j < n and char(text[j]).cls != R.LATIN:  # leading signs and brackets
            j += 1
        while j < n:
            c = text[j]
            if char(c).cls == R.LATIN or _joins(text, j):
                j += 1
            else:
                break
        while j < n and (text[j] in R.LATIN_TRAILING or (not chinese and text[j] in "”’")):
            j += 1
        return self._latin_run(text, i, j, missing, first_reported=True), j

    def _url(self, text: str, i: int, j: int, missing: list[str]) -> list[Unit]:
        """The web address text[i:j] as Latin pieces, each ending after a / . ? & = # - _ that is
        not followed by another (https:// stays whole), set with the Latin face's own widths."""
        out = []
        start = i
        for k in range(i, j):
            if text[k] in _URL_BREAK_AFTER and k + 1 < j and text[k + 1] not in _URL_BREAK_AFTER:
                out.append(self._latin_run(text, start, k + 1, missing))
                start = k + 1
        out.append(self._latin_run(text, start, j, missing))
        return out

    def _latin_run(self, text: str, i: int, j: int, missing: list[str], first_reported: bool = False) -> Unit:
        """text[i:j] as one Latin unit, its characters' missing glyphs added to `missing` (the first's
        not, with `first_reported`: the caller has)."""
        glyphs = []
        x = 0.0
        for k in range(i, j):
            info = self._src(k).char(text[k])
            if info.missing and not (first_reported and k == i):
                missing.append(text[k])
            glyphs.append((k, text[k], info.face, info.gid, x, x, info.advance))
            x += info.advance
        width = x
        if self.grid:
            # R41: a Latin/digit run with its glue is padded to whole ems, padding split equally.
            cell = math.ceil(width - 1e-9)
            pad = (cell - width) / 2
            glyphs = [(a, b, c, d, e + pad, f + pad, w) for a, b, c, d, e, f, w in glyphs]
            width = float(cell)
        return Unit(R.LATIN, R.LATIN, i, j, glyphs, width)

    def _other(self, text: str, i: int, info: _Char) -> Unit:
        glyphs = [(i, text[i], info.face, info.gid, 0.0, 0.0, info.advance)]
        return Unit(R.OTHER, R.OTHER, i, i + 1, glyphs, info.advance)

    def _punct(self, text: str, i: int, cls: str) -> Unit:
        ch = text[i]
        src = self._src(i)
        info = src.char(ch)
        m = src._mark(ch, cls)
        rule = self.rule
        lead_cap, trail_cap = m.cap_left, m.cap_right
        if self.grid or not rule.adjustable:
            lead_cap = trail_cap = 0.0
        lead = trail = 0.0
        if cls in rule.half_classes and (rule.half_sentence_end or ch not in R.SENTENCE_END):
            lead, trail = lead_cap, trail_cap  # kaiming / banjiao: half width in running text
        if cls in (R.OPEN, R.CLOSE):
            step = R.SHRINK_BRACKET
        elif cls == R.STOP:
            step = R.SHRINK_SENTENCE if ch in R.SENTENCE_END else R.SHRINK_PAUSE
            if step == R.SHRINK_SENTENCE and not self.style.shrink_sentence_end:
                step = -1
        elif cls == R.INTERPUNCT:
            step = R.SHRINK_INTERPUNCT
        else:
            step = -1
        width = m.box - lead - trail
        glyphs = [(i, ch, info.face, info.gid, m.dx - lead, 0.0, width)]
        return Unit(PUNCT, cls, i, i + 1, glyphs, width, lead_cap - lead, trail_cap - trail, step)

    def _chain(self, text: str, i: int, j: int) -> Unit:
        """？！ chains (R15): each pair shares one em; a mark left over keeps its full cell."""
        glyphs = []
        x = 0.0
        count = j - i
        trail_cap = 0.0
        adjust = self.rule.adjustable and not self.grid
        for k in range(i, j):
            ch = text[k]
            src = self._src(k)
            info = src.char(ch)
            m = src._mark(ch, R.STOP)
            paired = (k - i) < count - count % 2
            half = adjust and (paired or self.rule.half_sentence_end)
            trim = m.cap_right if half else 0.0
            glyphs.append((k, ch, info.face, info.gid, x + m.dx, x, m.box - trim))
            x += m.box - trim
            if k == j - 1 and adjust:
                trail_cap = m.cap_right - trim
        step = R.SHRINK_SENTENCE if self.style.shrink_sentence_end else -1
        return Unit(CHAIN, R.STOP, i, j, glyphs, x, 0.0, trail_cap, step)

    def _long(self, text: str, i: int, count: int) -> Unit:
        """⸺ ——  …… ⋯⋯: exactly 2 em (a single … 1 em), never stretched or compressed (R21, R4)."""
        ch = text[i]
        info = self._src(i).char(ch)
        ink = info.ink
        glyphs = []
        if count == 1 and ch in R.LONG_SINGLE:
            box = 2.0
            dx = box / 2 - ((ink[0] + ink[2]) / 2 if ink else info.advance / 2)
            glyphs.append((i, ch, info.face, info.gid, dx, 0.0, box))
        elif ch == "—" and ink is not None:
            # The two dashes' inks abut, so they read as one unbroken 2-em rule (R4).
            box = 2.0
            ink_w = ink[2] - ink[0]
            start = (box - count * ink_w) / 2
            for k in range(count):
                glyphs.append((i + k, ch, info.face, info.gid, start + k * ink_w - ink[0], float(k), 1.0))
        else:
            box = float(count)
            for k in range(count):
                centre = (ink[0] + ink[2]) / 2 if ink else info.advance / 2
                glyphs.append((i + k, ch, info.face, info.gid, k + 0.5 - centre, float(k), 1.0))
        return Unit(R.LONG, R.LONG, i, i + count, glyphs, box)

    def _compress_adjacent(self, units: list[Unit]) -> None:
        """R14: two adjacent marks whose facing blanks allow it occupy at most 1.5 em together; the
        first mark's trailing blank goes first, then the second's leading blank."""
        for k in range(len(units) - 1):
            a, b = units[k], units[k + 1]
            if a.kind not in (PUNCT, CHAIN) or b.kind not in (PUNCT, CHAIN) or a.end != b.start:
                continue
            excess = a.width + b.width - 1.5
            if excess <= 1e-9:
                continue
            take = min(excess, a.trail_cap)
            if take > 0:
                a.width -= take
                a.trail_cap -= take
                *head, g = a.glyphs
                a.glyphs = [*head, (g[0], g[1], g[2], g[3], g[4], g[5], g[6] - take)]
            rest = min(excess - take, b.lead_cap)
            if rest > 0:
                b.width -= rest
                b.lead_cap -= rest
                g, *tail = b.glyphs
                b.glyphs = [(g[0], g[1], g[2], g[3], g[4] - rest, g[5], g[6] - rest)]
                b.glyphs += [(t[0], t[1], t[2], t[3], t[4] - rest, t[5] - rest, t[6]) for t in tail]

    # -- gaps ---------------------------------------------------------------------------------------

    def _gaps(self, seg: Segmented, spaces: list, text: str) -> None:
        units = seg.units
        no_start, no_end = self.level.no_start, self.level.no_end
        glue = 0.0 if self.grid else self.style.han_latin
        gw, gb, gk, gs = seg.gap_width, seg.gap_break, seg.gap_kind, seg.gap_space
        dropped = seg.dropped
        newspaper = self.style.newspaper
        cjk = (R.HAN, PUNCT, CHAIN, R.LONG)
        HAN = R.HAN
        for k in range(len(units) - 1):
            a, b = units[k], units[k + 1]
            sp = spaces[k + 1]
            if a.kind is HAN and b.kind is HAN and sp is None:
                # the common case, Han next to Han: no glue, breakable at every level, step-3 gap
                gw.append(0.0)
                gb.append(True)
                gk.append(G_PLAIN)
                gs.append(-1)
                continue
            width, kind, space = 0.0, G_PLAIN, -1
            soft_r10 = False
            breakable = not (a.cls in no_end or b.cls in no_start)
            if not breakable and newspaper and a.cls not in no_end and text[b.start] in R.QE_MARKS:
                breakable = True  # R11
            if b.kind == R.LONG and text[b.start] in R.NO_BREAK_BEFORE_LONG:
                breakable = False  # R9, UAX #14 class IN
            elif a.cls == R.CLOSE and b.cls == R.OPEN and breakable:
                breakable = False  # R10: avoided (a SHOULD), so the gap is soft unless a space forbids it
                soft_r10 = True
            if sp is not None and "\u3000" in text[sp[0]:sp[1]]:
                # An ideographic space typed in a display line (segment(ideographic_spaces=True)),
                # beside Han or Latin (長者　乘車, 3.5%　長者): the editor's 1 em gap, kept as typed
                # (never glue, never stretched); a line may break there, and then it is not drawn.
                space = text.index("\u3000", sp[0])
                width, kind = max(1.0, self.phrase_gap), G_NONE
                dropped.extend(k for k in range(*sp) if k != space)
            elif sp is not None and a.kind not in cjk and b.kind not in cjk:
                # A word space between Latin words keeps its role (R24); extra spaces are dropped.
                width, kind, space = self.space_width, G_SPACE, sp[0]
                dropped.extend(range(sp[0] + 1, sp[1]))
                if text[sp[0]] in _NBSP:
                    breakable = False
            elif sp is not None and a.kind in cjk and b.kind in cjk:
                # The editor's space between Han characters or marks: a phrase gap, not R24's
                # concern (that one is about Han–Latin spacing). A line may break there; when it
                # does, the break itself is the gap.
                width, kind, space = self.phrase_gap, G_PLAIN, sp[0]
                dropped.extend(range(sp[0] + 1, sp[1]))
                if text[sp[0]] in _NBSP:
                    breakable = False
                if b.cls in R.NO_STRETCH_BEFORE or a.cls in R.NO_STRETCH_AFTER:
                    kind = G_NONE
            else:
                if sp is not None:
                    dropped.extend(range(*sp))  # R24: replaced by the glue below, never added to it
                if text[a.start] == "\u3000" or text[b.start] == "\u3000":
                    kind = G_NONE  # an ideographic space is a fixed gap itself: no glue, no stretch
                elif (a.kind == R.HAN and b.kind == R.LATIN) or (a.kind == R.LATIN and b.kind == R.HAN):
                    width, kind = glue, G_GLUE
                if b.cls in R.NO_STRETCH_BEFORE or a.cls in R.NO_STRETCH_AFTER:
                    kind = G_NONE
            if soft_r10 and not (sp is not None and text[sp[0]] in _NBSP):
                seg.gap_soft.add(k)
            gw.append(width)
            gb.append(breakable)
            gk.append(kind)
            gs.append(space)
        if units:
            gw.append(0.0)
            gb.append(True)
            gk.append(G_NONE)
            gs.append(-1)
        dropped.sort()


def url_spans(text: str) -> dict[int, int]:
    """Start -> end of each web address in `text` (none without '://' or 'www.': most text)."""
    if "://" not in text and "www." not in text and "@" not in text:
        return {}
    out = {}
    for m in _URL_RE.finditer(text):
        a, b = m.span()
        while b > a and text[b - 1] in _URL_TAIL:
            b -= 1
        if b - a > 4:
            out[a] = b
    return out


def _chop(units: list[Unit], spaces: list, max_unit: float, joined: set[int]
          ) -> tuple[list[Unit], list, int, set[int]]:
    """Latin units wider than `max_unit` em cut between their letters, so that a line may end at
    any letter of the word (two at least on each side of a cut) and be filled, instead of the
    word going whole pieces of the measure to lines of their own and leaving the line before it
    spread letter by letter (德　　　語 / 單詞Donau…). The cuts are joins (no stretch). `joined`,
    the joins of web addresses, comes back renumbered with the new ones added."""
    out_u: list[Unit] = []
    out_s: list = []
    out_j: set[int] = set()
    count = 0
    for k, (u, sp) in enumerate(zip(units, spaces, strict=True)):
        if u.kind != R.LATIN or u.width <= max_unit + 1e-9:
            out_u.append(u)
            out_s.append(sp)
        else:
            count += 1
            g = u.glyphs
            cuts = list(range(2, len(g) - 1)) if len(g) >= 4 else list(range(1, len(g)))
            for a, b in zip([0, *cuts], [*cuts, len(g)], strict=True):
                out_u.append(_piece(g[a:b], g[a][5]))
                out_s.append(sp if a == 0 else None)
                if b < len(g):
                    out_j.add(len(out_u) - 1)
        if k in joined:
            out_j.add(len(out_u) - 1)
    return out_u, out_s, count, out_j


def _piece(glyphs: list, x0: float) -> Unit:
    moved = [(a, b, c, d, e - x0, f - x0, w) for a, b, c, d, e, f, w in glyphs]
    width = moved[-1][5] + moved[-1][6]
    return Unit(R.LATIN, R.LATIN, glyphs[0][0], glyphs[-1][0] + 1, moved, width)
