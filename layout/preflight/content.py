"""A small content-stream interpreter: follows the CTM, the fill colour and the text state to
find text that is too small or printed on more than the K plate, device RGB colour set by
operators, and the effective resolution of every placed image (form XObjects included)."""

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
MIN_TEXT_PT = 6.0  # nothing under 6 pt anywhere (print-spec)
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


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill: Colour = Colour("gray", (0.0,))
    fill_space: str = "gray"
    font_size: float = 0.0
    render_mode: int = 0
    leading: float = 0.0
    stroke: Colour = Colour("gray", (0.0,))
    stroke_space: str = "gray"
    line_width: float = 1.0


@dataclass
class _Page:
    profile: PrintProfile
    page: int
    area: tuple[float, float, float, float] | None = None  # the printed area (BleedBox); None: all
    findings: list[Finding] = field(default_factory=list)
    reported: set = field(default_factory=set)
    path: list[list[tuple[float, float]]] = field(default_factory=list)  # subpaths, page space

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


def _check_text(p: _Page, st: _State, tm: Matrix) -> None:
    if st.render_mode in (3, 7):  # invisible (OCR layers) or clip only
        return
    m = mul(tm, st.ctm)
    size = abs(st.font_size) * math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
    if size <= 0:
        return
    x, y = apply(m, 0, 0)
    bbox = (x, y, x + size, y + size)
    if not p.printed(bbox):
        return
    if size < MIN_TEXT_PT - 0.01:
        p.once(("tiny", round(size, 1)), warning("TEXT-TOO-SMALL", f"{size:.1f} pt text (nothing under "
                                                   f"{MIN_TEXT_PT:g} pt prints legibly)", p.page, bbox))
    inks = st.fill.inks()
    if size < p.profile.small_text_pt - 0.01 and inks is not None and inks >= 2:
        rich = st.fill.kind in ("cmyk", "icc-cmyk") and len(st.fill.comps) == 4 and st.fill.comps[3] > 0
        code = "TEXT-RICH-BLACK" if rich else "TEXT-SMALL-MULTI-INK"
        p.once((code, round(size, 1), st.fill), error(
            code, f"{size:.1f} pt text in {st.fill.describe()} ({inks} inks); text under "
            f"{p.profile.small_text_pt:g} pt must be one ink (black text 100 % K only)", p.page, bbox))


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


MIN_RULE_PT = 0.25
K_ONLY_RULE_PT = 4.0


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
    if width < MIN_RULE_PT - 0.005:
        what = "a hairline (0 width)" if st.line_width == 0 else f"{width:.2f} pt"
        p.once(("thin", round(width, 2)), warning("RULE-TOO-THIN", f"stroke of {what}; rules must be at least "
                                                  f"{MIN_RULE_PT:g} pt", p.page, bbox))
    inks = st.stroke.inks()
    if width <= K_ONLY_RULE_PT and inks is not None and inks >= 2:
        p.once(("rule-inks", st.stroke), warning("RULE-MULTI-INK", f"{width:.2f} pt rule in {st.stroke.describe()} "
                                                 f"({inks} inks); thin rules should print on one plate",
                                                 p.page, bbox))


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
            _check_stroke(p, st)
            p.path.clear()
        elif op in ("f", "F", "f*", "n"):
            p.path.clear()
        elif op == "BT":
            tm = tlm = IDENTITY
        elif op == "Tf":
            n = _nums(operands)
            st.font_size = n[-1] if n else st.font_size
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
                _check_text(p, st, tm)
        elif op in ("Tj", "TJ"):
            _check_text(p, st, tm)
        elif op == "Do" and operands:
            _do(p, st, str(operands[0]), resources, depth)
        elif op == "INLINE IMAGE" and operands:
            ii = operands[0]
            try:
                _image_ppi(p, st, int(ii.width), int(ii.height), int(ii.bits_per_component) == 1, "(inline)")
                kind = classify_colorspace(ii.obj.get("/ColorSpace", ii.obj.get("/CS")), resources)
            except Exception:  # noqa: BLE001 - a malformed inline image: skip its checks
                continue
            problem = colorspace_problem(kind, p.profile)
            if problem:
                p.once(("ii", problem[0]), error(problem[0].replace("COLOR-", "IMAGE-"),
                                                 f"inline image: {problem[1]}", p.page))


def _do(p: _Page, st: _State, name: str, resources, depth: int) -> None:
    xobjs = resources.get("/XObject", {}) if resources is not None else {}
    if name not in xobjs:
        return
    xo = xobjs[name]
    sub = str(xo.get("/Subtype", ""))
    if sub == "/Image":
        one_bit = bool(xo.get("/ImageMask", False)) or int(xo.get("/BitsPerComponent", 8)) == 1
        _image_ppi(p, st, int(xo.get("/Width", 0)), int(xo.get("/Height", 0)), one_bit, name.lstrip("/"))
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
