"""A small content-stream interpreter: follows the CTM, the colours, the overprint settings
(ExtGState /OP, /op, /OPM) and the text state to find text that is too small, printed on more
than one plate, reversed (white) out of too many inks or too small, surprinted on too dark a
tint, or black that knocks out the colour below instead of overprinting; rules that are too thin
or in several inks; device RGB colour set by operators; and the effective resolution of every
placed image (form XObjects included). Thresholds are the print profile's.

What lies under a piece of text is known from what the stream painted before it: every filled
area (its bounding box and colour) and every image, in painting order, on the page and in its
forms. The topmost one under the middle of the text is its background. Bounding boxes make this
an approximation for shapes that are not rectangles (text on a round logo), never for the
rectangular tints, boxes and photos of a newspaper page. A text's extent is estimated from its
character count (one em per code of a two-byte CID font, half an em per code of a simple font),
since glyph widths are not read."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pikepdf

from layout.preflight.findings import Finding, error, warning
from layout.preflight.resources import classify_colorspace, colorspace_problem
from layout.preflight.structure import inherited
from layout.printprofile import PrintProfile

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
LINE_ART_PPI = 600.0
MAX_DEPTH = 12  # nested forms


def mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention: m × n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def bbox_of(m: Matrix, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    pts = [apply(m, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class Colour:
    kind: str  # gray, cmyk, rgb, spot, pattern, icc-*, lab, unknown
    comps: tuple[float, ...] = ()

    def inks(self) -> int | None:
        """How many process plates this colour prints on (None: not known)."""
        if self.kind in ("gray", "icc-gray"):
            return 1 if self.comps and self.comps[0] < 1 else 0
        if self.kind in ("cmyk", "icc-cmyk"):
            return sum(1 for v in self.comps if v > 0)
        if self.kind in ("rgb", "icc-rgb"):
            return 0 if self.comps and all(v >= 1 for v in self.comps) else 4
        return None

    def describe(self) -> str:
        if self.kind in ("cmyk", "icc-cmyk") and len(self.comps) == 4:
            return "C{:.0f} M{:.0f} Y{:.0f} K{:.0f}".format(*(v * 100 for v in self.comps))
        return f"{self.kind} " + " ".join(f"{v:g}" for v in self.comps)

    def is_white(self) -> bool:
        """Paper: no ink at all (in a process colour space)."""
        return self.kind in ("cmyk", "gray", "icc-cmyk", "icc-gray") and self.inks() == 0

    def coverage(self) -> float | None:
        """Total ink in percent (None: not known)."""
        if self.kind in ("cmyk", "icc-cmyk") and len(self.comps) == 4:
            return sum(self.comps) * 100
        if self.kind in ("gray", "icc-gray") and self.comps:
            return (1 - self.comps[0]) * 100
        return None

    def is_solid_black(self) -> bool:
        """100 % K only (or grey 0): the black that must overprint."""
        if self.kind == "cmyk" and len(self.comps) == 4:
            c, m, y, k = self.comps
            return c == m == y == 0 and k >= 0.995
        return self.kind == "gray" and bool(self.comps) and self.comps[0] <= 0.005

    def has_colour_inks(self) -> bool | None:
        """Whether it prints on C, M or Y (None: not known)."""
        if self.kind in ("cmyk", "icc-cmyk") and len(self.comps) == 4:
            return any(v > 0 for v in self.comps[:3])
        if self.kind in ("gray", "icc-gray"):
            return False
        if self.kind == "image-cmyk":
            return True
        if self.kind == "image-gray":
            return False
        return None


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill: Colour = Colour("gray", (0.0,))
    fill_space: str = "gray"
    font_size: float = 0.0
    font: object = None  # the current font's dictionary (for its kind and name)
    render_mode: int = 0
    leading: float = 0.0
    stroke: Colour = Colour("gray", (0.0,))
    stroke_space: str = "gray"
    line_width: float = 1.0
    op_stroke: bool = False  # ExtGState /OP
    op_fill: bool = False  # /op (defaults to /OP when a state sets only that)
    opm: int = 0  # /OPM: 1 lets zero CMYK components leave the inks below alone


@dataclass(frozen=True)
class _Paint:
    """Something painted on the page: a filled area's or an image's bounding box, and its colour
    (kind image-cmyk / image-gray for images, whose pixels are not read)."""

    bbox: tuple[float, float, float, float]
    colour: Colour


PAINT_CELL = 72.0  # pt
MAX_CELL = 200  # cells either side of the origin: 14 400 pt, far larger than any printed page


def _cells(bbox) -> list[tuple[int, int]]:
    """The grid cells a bounding box overlaps (clipped to ±MAX_CELL, so a huge box stays cheap)."""
    x0, y0, x1, y1 = (min(max(int(math.floor(v / PAINT_CELL)), -MAX_CELL), MAX_CELL) for v in bbox)
    return [(cx, cy) for cx in range(x0, x1 + 1) for cy in range(y0, y1 + 1)]


@dataclass
class _Page:
    profile: PrintProfile
    page: int
    area: tuple[float, float, float, float] | None = None  # the printed area (BleedBox); None: all
    findings: list[Finding] = field(default_factory=list)
    reported: set = field(default_factory=set)
    path: list[list[tuple[float, float]]] = field(default_factory=list)  # subpaths, page space
    painted: list[_Paint] = field(default_factory=list)  # in painting order
    # Grid cells (PAINT_CELL pt) -> indices into `painted` of the paints that overlap them, so that
    # finding what lies under a text looks at a few paints, not all of a busy ad's thousands.
    cells: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def _paint_cells(self, bbox) -> list[tuple[int, int]]:
        a = self.area
        if a is not None:  # only the printed part matters (and a huge fill stays a few hundred cells)
            bbox = (max(bbox[0], a[0]), max(bbox[1], a[1]), min(bbox[2], a[2]), min(bbox[3], a[3]))
        return _cells(bbox)

    def paint(self, paint: _Paint) -> None:
        index = len(self.painted)
        self.painted.append(paint)
        for cell in self._paint_cells(paint.bbox):
            self.cells.setdefault(cell, []).append(index)

    def unpaint_last(self) -> _Paint:
        """Take back the last paint (to look at what lies under it)."""
        paint = self.painted.pop()
        for cell in self._paint_cells(paint.bbox):
            self.cells[cell].pop()
        return paint

    def background(self, bbox) -> Colour | None:
        """The colour of the topmost painted area under the middle of `bbox` (None: paper)."""
        x, y = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
        (cell,) = _cells((x, y, x, y))
        for index in reversed(self.cells.get(cell, ())):
            b = self.painted[index].bbox
            if b[0] <= x <= b[2] and b[1] <= y <= b[3]:
                colour = self.painted[index].colour
                return None if colour.is_white() else colour
        return None

    def printed(self, bbox) -> bool:
        """Whether a mark at bbox prints (slug content such as crop marks does not)."""
        a = self.area
        return a is None or (bbox[0] < a[2] and a[0] < bbox[2] and bbox[1] < a[3] and a[1] < bbox[3])

    def once(self, key, finding: Finding) -> None:
        if key not in self.reported:
            self.reported.add(key)
            self.findings.append(finding)


def _nums(operands) -> list[float]:
    out = []
    for v in operands:
        if isinstance(v, (str, bytes, pikepdf.Name, pikepdf.String, pikepdf.Array, pikepdf.Dictionary)):
            continue
        try:
            out.append(float(v))  # ints, Decimals (pikepdf's reals) and numeric pikepdf objects
        except (TypeError, ValueError):
            continue
    return out


def _font_info(font) -> tuple[bool, bool]:
    """(two-byte codes, serif) for a font dictionary: Type0 fonts are taken as two bytes a code
    (Identity-H, what CJK fonts use); serif from the descriptor's Serif flag or the name (Song,
    Ming and Mincho are the serif styles of CJK type)."""
    if not isinstance(font, pikepdf.Dictionary):
        return False, False
    try:
        two_byte = str(font.get("/Subtype", "")) == "/Type0"
        holder = font.DescendantFonts[0] if two_byte and "/DescendantFonts" in font else font
        fd = holder.get("/FontDescriptor")
        flags = int(fd.get("/Flags", 0)) if isinstance(fd, pikepdf.Dictionary) else 0
        name = str(font.get("/BaseFont", "")).lower()
    except (AttributeError, IndexError, TypeError, ValueError, pikepdf.PdfError):
        return False, False
    return two_byte, is_serif(name, flags)


def is_serif(name: str, flags: int = 0) -> bool:
    """Whether a font (by its PostScript name, subset tag or not, and descriptor flags) is a serif
    style: the Serif flag, or a serif name (Song, Ming, Mincho, Kai, FangSong) that is not a sans."""
    name = name.lower().lstrip("/").split("+", 1)[-1]
    sans = any(w in name for w in ("sans", "hei", "gothic", "arial", "helvetica", "yuan"))
    return bool(flags & 2) or (not sans and any(w in name for w in ("serif", "song", "ming", "mincho", "times",
                                                                    "fangsong", "kai")))


def _codes(operands, two_byte: bool) -> int:
    """How many character codes a Tj / TJ / ' / " shows."""
    n = 0
    for v in operands:
        items = list(v) if isinstance(v, pikepdf.Array) else [v]
        for item in items:
            if isinstance(item, (pikepdf.String, bytes)):
                n += len(bytes(item))
    return max(1, n // 2 if two_byte else n)


def _describe_bg(bg: Colour) -> str:
    if bg.kind == "image-cmyk":
        return "a CMYK image"
    if bg.kind == "image-gray":
        return "a greyscale image"
    return bg.describe()


def _bg_inks(bg: Colour) -> int | None:
    if bg.kind == "image-cmyk":
        return 4
    if bg.kind == "image-gray":
        return 1
    return bg.inks()


def _check_text(p: _Page, st: _State, tm: Matrix, operands=()) -> None:
    if st.render_mode in (3, 7):  # invisible (OCR layers) or clip only
        return
    m = mul(tm, st.ctm)
    size = abs(st.font_size) * math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
    if size <= 0:
        return
    two_byte, serif = _font_info(st.font)
    em = (1.0 if two_byte else 0.5) * _codes(operands, two_byte)
    fs = st.font_size or 1.0
    bbox = bbox_of(mul((fs, 0, 0, fs, 0, 0), m), 0, -0.2, em, 0.8)
    check_text(p, st, size, bbox, serif)


def check_text(p: _Page, st: _State, size: float, bbox, serif: bool) -> None:
    """The checks of one piece of text shown at `size` pt (as printed) over `bbox` (page space),
    in the fill colour and overprint state of `st` (also what the page-description preflight,
    layout/preflight/described.py, calls for every glyph run)."""
    if not p.printed(bbox):
        return
    prof = p.profile
    if size < prof.min_text_pt - 0.01:
        p.once(("tiny", round(size, 1)), error("TEXT-TOO-SMALL", f"{size:.1f} pt text (nothing under "
                                               f"{prof.min_text_pt:g} pt prints legibly)", p.page, bbox))
    fill = st.fill
    inks = fill.inks()
    if inks is not None and inks >= 2:
        rich = fill.kind in ("cmyk", "icc-cmyk") and len(fill.comps) == 4 and fill.comps[3] > 0
        if rich and size < prof.small_text_pt - 0.01:
            p.once(("TEXT-RICH-BLACK", round(size, 1), fill), error(
                "TEXT-RICH-BLACK", f"{size:.1f} pt text in {fill.describe()} ({inks} inks); black text under "
                f"{prof.small_text_pt:g} pt must be 100 % K only", p.page, bbox))
        elif size < prof.multi_ink_text_pt - 0.01:
            code = "TEXT-RICH-BLACK" if rich else "TEXT-SMALL-MULTI-INK"
            p.once((code, round(size, 1), fill), error(
                code, f"{size:.1f} pt text in {fill.describe()} ({inks} inks); text in two or more inks must be "
                f"at least {prof.multi_ink_text_pt:g} pt", p.page, bbox))
    bg = p.background(bbox)
    if bg is None:
        return
    if fill.is_white():
        _check_reversed(p, size, serif, bg, bbox)
        return
    cover = bg.coverage()
    if cover is not None and cover > prof.text_tint_max_pct + 0.5 and size < prof.multi_ink_text_pt - 0.01:
        p.once(("tint", round(size, 1), bg), error(
            "TEXT-ON-DARK-TINT", f"{size:.1f} pt text printed on a {cover:.0f} % tint ({bg.describe()}); the tint "
            f"behind text under {prof.multi_ink_text_pt:g} pt must be {prof.text_tint_max_pct:g} % or less",
            p.page, bbox))
    if fill.is_solid_black() and bg.has_colour_inks():
        _check_black_overprint(p, st, size, bg, bbox)
    elif st.op_fill and st.opm == 0 and st.fill_space == "cmyk":
        _check_opm(p, st.fill, bg, bbox, "text")


def _check_reversed(p: _Page, size: float, serif: bool, bg: Colour, bbox) -> None:
    """White text out of a background: big enough for the background's ink count, and no thin
    serif strokes at small sizes (they fill in on newsprint)."""
    prof = p.profile
    n = _bg_inks(bg)
    if n is None:
        return
    need = prof.reversed_multi_ink_pt if n >= 2 else prof.reversed_one_ink_pt
    if size < need - 0.01:
        p.once(("rev", round(size, 1), bg), error(
            "TEXT-REVERSED-SMALL", f"{size:.1f} pt white text out of {_describe_bg(bg)} ({n} ink{'s' if n != 1 else ''}); "
            f"reversed text must be at least {need:g} pt out of {'two or more inks' if n >= 2 else 'one ink'}",
            p.page, bbox))
    if serif and size < prof.reversed_serif_pt - 0.01:
        p.once(("rev-serif", round(size, 1)), error(
            "TEXT-REVERSED-SERIF", f"{size:.1f} pt white serif text out of {_describe_bg(bg)}; no reversed serif "
            f"text under {prof.reversed_serif_pt:g} pt (its thin strokes fill in)", p.page, bbox))


def _check_black_overprint(p: _Page, st: _State, size: float, bg: Colour, bbox) -> None:
    """100 % black text over colour must overprint: in DeviceCMYK with /op true and OPM 1 (with
    OPM 0 its zero C, M, Y knock out the colour below); DeviceGray never overprints the C, M, Y."""
    if st.fill_space == "cmyk" and st.op_fill and st.opm == 1:
        return
    if st.fill_space == "cmyk" and st.op_fill:
        _check_opm(p, st.fill, bg, bbox, f"{size:.1f} pt black text")
        return
    why = "is in DeviceGray (only DeviceCMYK 0/0/0/100 overprints)" if st.fill_space == "gray" else \
        "has overprint off"
    p.once(("knockout", round(size, 1), st.fill_space), error(
        "TEXT-BLACK-KNOCKOUT", f"{size:.1f} pt 100 % black text on {_describe_bg(bg)} {why}: it knocks out the "
        "colour below, and any misregistration shows paper round the letters", p.page, bbox))


def _check_opm(p: _Page, colour: Colour, bg: Colour, bbox, what: str) -> None:
    """/op true with OPM 0 in DeviceCMYK: the zero components still knock out, so the overprint
    the file asks for does not happen where the background has those inks."""
    zero = [i for i, v in enumerate(colour.comps[:4]) if v == 0]
    if not zero:
        return
    if bg.kind in ("cmyk", "icc-cmyk") and len(bg.comps) == 4 and not any(bg.comps[i] > 0 for i in zero):
        return  # nothing below on the plates it would knock out
    p.once(("opm0", what), error(
        "OVERPRINT-OPM0", f"{what} in {colour.describe()} sets overprint (op true) with overprint mode 0 over "
        f"{_describe_bg(bg)}: in DeviceCMYK its zero inks still knock out the colour below", p.page, bbox))


def _image_ppi(p: _Page, st: _State, width: int, height: int, one_bit: bool, name: str) -> None:
    a, b, c, d = st.ctm[:4]
    sx, sy = math.hypot(a, b), math.hypot(c, d)
    if sx <= 0 or sy <= 0 or width <= 1 or height <= 1:
        return
    ppi = min(width / (sx / 72.0), height / (sy / 72.0))
    bbox = bbox_of(st.ctm, 0, 0, 1, 1)
    floor = LINE_ART_PPI if one_bit else p.profile.min_ppi
    what = "line-art image" if one_bit else "image"
    if ppi < floor - 0.5:
        p.once(("ppi", name, round(ppi)), error("IMAGE-LOW-PPI", f"{what} {name}: {ppi:.0f} ppi at its placed size, "
                                                 f"below the minimum {floor:.0f}", p.page, bbox))
    elif not one_bit and ppi < p.profile.target_ppi - 0.5:
        p.once(("ppi", name, round(ppi)), warning("IMAGE-BELOW-TARGET-PPI", f"{what} {name}: {ppi:.0f} ppi at its "
                                                   f"placed size, below the target {p.profile.target_ppi:.0f}",
                                                   p.page, bbox))


def _add_path(p: _Page, st: _State, op: str, n: list[float]) -> None:
    if op == "re" and len(n) == 4:
        x, y, w, h = n
        p.path.append([apply(st.ctm, px, py) for px, py in ((x, y), (x + w, y + h), (x, y + h), (x + w, y))])
        return
    points = [apply(st.ctm, n[i], n[i + 1]) for i in range(0, len(n) - 1, 2)]
    if op == "m" or not p.path:
        p.path.append(points)
    else:
        p.path[-1].extend(points)


def _subpath_bbox(points) -> tuple[float, float, float, float]:
    xs, ys = [q[0] for q in points], [q[1] for q in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _check_stroke(p: _Page, st: _State) -> None:
    """Rules: at least 0.25 pt, and one ink when 4 pt or thinner (hairlines misregister)."""
    # Only the subpaths that print count (crop marks share one path, all in the slug).
    boxes = [b for b in (_subpath_bbox(sp) for sp in p.path if sp) if p.printed(b)]
    if not boxes:
        return
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    a, b, c, d = st.ctm[:4]
    width = st.line_width * math.sqrt(abs(a * d - b * c))
    prof = p.profile
    if width < prof.min_rule_pt - 0.005:
        what = "a hairline (0 width)" if st.line_width == 0 else f"{width:.2f} pt"
        p.once(("thin", round(width, 2)), error("RULE-TOO-THIN", f"stroke of {what}; rules must be at least "
                                                f"{prof.min_rule_pt:g} pt", p.page, bbox))
    inks = st.stroke.inks()
    if width <= prof.k_only_rule_pt and inks is not None and inks >= 2:
        p.once(("rule-inks", st.stroke), error("RULE-MULTI-INK", f"{width:.2f} pt rule in {st.stroke.describe()} "
                                               f"({inks} inks); rules of {prof.k_only_rule_pt:g} pt or thinner must "
                                               "print on one plate", p.page, bbox))
    if st.op_stroke and st.opm == 0 and st.stroke_space == "cmyk":
        bg = p.background(bbox)
        if bg is not None:
            _check_opm(p, st.stroke, bg, bbox, f"{width:.2f} pt rule")


def _set_colour(p: _Page, st: _State, op: str, operands, resources) -> None:
    nums = _nums(operands)
    if op == "G":
        st.stroke, st.stroke_space = Colour("gray", tuple(nums[:1])), "gray"
    elif op == "K":
        st.stroke, st.stroke_space = Colour("cmyk", tuple(nums[:4])), "cmyk"
    elif op == "RG":
        st.stroke, st.stroke_space = Colour("rgb", tuple(nums[:3])), "rgb"
    elif op == "CS" and operands:
        st.stroke_space = classify_colorspace(operands[0], resources)
    elif op in ("SC", "SCN"):
        st.stroke = Colour(st.stroke_space, tuple(nums))
    if op == "g":
        st.fill, st.fill_space = Colour("gray", tuple(nums[:1])), "gray"
    elif op == "k":
        st.fill, st.fill_space = Colour("cmyk", tuple(nums[:4])), "cmyk"
    elif op in ("rg", "RG"):
        if op == "rg":
            st.fill, st.fill_space = Colour("rgb", tuple(nums[:3])), "rgb"
        p.once(("rgbop",), error("COLOR-RGB", f"device RGB colour set in the content stream ({op})", p.page))
    elif op in ("cs", "CS"):
        kind = classify_colorspace(operands[0], resources) if operands else "unknown"
        problem = colorspace_problem(kind, p.profile)
        if problem:
            p.once(("cs", problem[0]), error(problem[0], f"{problem[1]} (set with {op})", p.page))
        if op == "cs":
            st.fill_space = kind
            st.fill = Colour(kind, (0.0,) if kind == "gray" else (0.0, 0.0, 0.0, 1.0) if kind == "cmyk" else ())
    elif op in ("sc", "scn"):
        st.fill = Colour(st.fill_space, tuple(nums))


def _walk(p: _Page, instructions, resources, st: _State, depth: int) -> None:
    stack: list[_State] = []
    tm = tlm = IDENTITY
    for operands, operator in instructions:
        op = str(operator)
        if op == "q":
            stack.append(replace(st))
        elif op == "Q":
            if stack:
                st = stack.pop()
        elif op == "cm":
            n = _nums(operands)
            if len(n) == 6:
                st.ctm = mul(tuple(n), st.ctm)
        elif op in ("g", "k", "rg", "RG", "cs", "CS", "sc", "scn", "G", "K", "SC", "SCN"):
            _set_colour(p, st, op, operands, resources)
        elif op == "w":
            n = _nums(operands)
            st.line_width = n[0] if n else st.line_width
        elif op in ("m", "l", "c", "v", "y", "re"):
            _add_path(p, st, op, _nums(operands))
        elif op in ("S", "s", "B", "B*", "b", "b*"):
            if op.startswith(("B", "b")):
                _record_fill(p, st)
            _check_stroke(p, st)
            p.path.clear()
        elif op in ("f", "F", "f*"):
            _record_fill(p, st)
            p.path.clear()
        elif op == "n":
            p.path.clear()
        elif op == "gs" and operands:
            _set_extgstate(st, str(operands[0]), resources)
        elif op == "BT":
            tm = tlm = IDENTITY
        elif op == "Tf":
            n = _nums(operands)
            st.font_size = n[-1] if n else st.font_size
            fonts = resources.get("/Font", {}) if resources is not None else {}
            name = str(operands[0]) if operands else ""
            st.font = fonts.get(name) if isinstance(fonts, pikepdf.Dictionary) else None
        elif op == "Tr":
            n = _nums(operands)
            st.render_mode = int(n[0]) if n else 0
        elif op == "TL":
            n = _nums(operands)
            st.leading = n[0] if n else st.leading
        elif op in ("Td", "TD"):
            n = _nums(operands)
            if len(n) == 2:
                if op == "TD":
                    st.leading = -n[1]
                tlm = mul((1, 0, 0, 1, n[0], n[1]), tlm)
                tm = tlm
        elif op == "Tm":
            n = _nums(operands)
            if len(n) == 6:
                tm = tlm = tuple(n)
        elif op in ("T*", "'", '"'):
            tlm = mul((1, 0, 0, 1, 0, -st.leading), tlm)
            tm = tlm
            if op != "T*":
                _check_text(p, st, tm, operands[-1:])
        elif op in ("Tj", "TJ"):
            _check_text(p, st, tm, operands)
        elif op == "Do" and operands:
            _do(p, st, str(operands[0]), resources, depth)
        elif op == "INLINE IMAGE" and operands:
            ii = operands[0]
            try:
                _image_ppi(p, st, int(ii.width), int(ii.height), int(ii.bits_per_component) == 1, "(inline)")
                kind = classify_colorspace(ii.obj.get("/ColorSpace", ii.obj.get("/CS")), resources)
            except Exception:  # noqa: BLE001 - a malformed inline image: skip its checks
                continue
            _record_image(p, st, kind, bool(ii.obj.get("/ImageMask", ii.obj.get("/IM", False))))
            problem = colorspace_problem(kind, p.profile)
            if problem:
                p.once(("ii", problem[0]), error(problem[0].replace("COLOR-", "IMAGE-"),
                                                 f"inline image: {problem[1]}", p.page))


def _record_fill(p: _Page, st: _State) -> None:
    for sp in p.path:
        if len(sp) >= 2:
            b = _subpath_bbox(sp)
            if b[2] > b[0] and b[3] > b[1] and p.printed(b):
                p.paint(_Paint(b, st.fill))
                if st.op_fill and st.opm == 0 and st.fill_space == "cmyk":
                    bg = _background_below(p, b)
                    if bg is not None:
                        _check_opm(p, st.fill, bg, b, "a filled area")


def _background_below(p: _Page, bbox) -> Colour | None:
    """The background under `bbox`, not counting the paint just recorded for it."""
    last = p.unpaint_last()
    try:
        return p.background(bbox)
    finally:
        p.paint(last)


def _record_image(p: _Page, st: _State, kind: str, mask: bool) -> None:
    bbox = bbox_of(st.ctm, 0, 0, 1, 1)
    if not p.printed(bbox):
        return
    if mask:  # a stencil mask paints in the fill colour
        colour = st.fill
    else:
        base = kind.split(":", 1)[-1]
        colour = Colour("image-gray" if base in ("gray", "icc-gray") else "image-cmyk")
    p.paint(_Paint(bbox, colour))


def _set_extgstate(st: _State, name: str, resources) -> None:
    """Overprint settings of a `gs` operator's ExtGState."""
    states = resources.get("/ExtGState", {}) if resources is not None else {}
    gs = states.get(name) if isinstance(states, pikepdf.Dictionary) else None
    if not isinstance(gs, pikepdf.Dictionary):
        return
    try:
        if "/OP" in gs:
            st.op_stroke = bool(gs.OP)
            if "/op" not in gs:
                st.op_fill = st.op_stroke
        if "/op" in gs:
            st.op_fill = bool(gs.op)
        if "/OPM" in gs:
            st.opm = 1 if int(gs.OPM) else 0
    except (TypeError, ValueError, pikepdf.PdfError):
        return


def _do(p: _Page, st: _State, name: str, resources, depth: int) -> None:
    xobjs = resources.get("/XObject", {}) if resources is not None else {}
    if name not in xobjs:
        return
    xo = xobjs[name]
    sub = str(xo.get("/Subtype", ""))
    if sub == "/Image":
        one_bit = bool(xo.get("/ImageMask", False)) or int(xo.get("/BitsPerComponent", 8)) == 1
        _image_ppi(p, st, int(xo.get("/Width", 0)), int(xo.get("/Height", 0)), one_bit, name.lstrip("/"))
        cs = xo.get("/ColorSpace")
        _record_image(p, st, classify_colorspace(cs, resources) if cs is not None else "unknown",
                      bool(xo.get("/ImageMask", False)))
    elif sub == "/Form" and depth < MAX_DEPTH:
        m = tuple(float(v) for v in xo.get("/Matrix", IDENTITY))
        inner = replace(st, ctm=mul(m, st.ctm))
        try:
            instructions = pikepdf.parse_content_stream(xo)
        except pikepdf.PdfError:
            p.once(("badform", name), error("PDF-CONTENT", f"form {name} has an unreadable content stream", p.page))
            return
        _walk(p, instructions, xo.get("/Resources", resources), inner, depth + 1)


def check_page_content(page: pikepdf.Page, number: int, profile: PrintProfile,
                       area: tuple[float, float, float, float] | None = None) -> list[Finding]:
    """Findings from the page's content; marks outside `area` (the BleedBox) are not checked."""
    p = _Page(profile, number, area)
    try:
        instructions = pikepdf.parse_content_stream(page)
    except pikepdf.PdfError as exc:
        return [error("PDF-CONTENT", f"unreadable content stream: {exc}", number)]
    _walk(p, instructions, inherited(page.obj, "/Resources"), _State(), 0)
    return p.findings
