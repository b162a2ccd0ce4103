"""Drawing vertical glyph runs (issue 16): upright glyphs through an Identity-V font, rotated
Latin through the horizontal font in a turned coordinate system.

Upright glyphs are shown in PDF vertical writing mode: a Type0 font with Encoding /Identity-V
per face (its own subset of the glyphs drawn upright), whose W2 gives every glyph's position
vector (half its width across, its VORG origin up: PDF 9.7.4.3), so that a glyph placed at a
point stands with its vertical origin there, exactly as the font's vmtx/VORG say. Text
extraction sees a font in vertical mode and reads each column top to bottom, the columns from
right to left (checked with pdftotext in tests/vertical).

Rotated glyphs (Latin words, long numbers: R53) are horizontal glyphs drawn with the page's
horizontal fonts (layout/fonts/pdf.py) inside `q 0 -1 1 0 x y cm … Q`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase import pdfdoc

from layout.fonts.face import Face
from layout.fonts.pdf import PdfFonts, deflate, subset_tag, to_unicode_cmap, widths
from layout.frames import GlyphRun
from layout.text.vertical import VerticalMetrics


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


@dataclass
class _VUse:
    face: Face
    metrics: VerticalMetrics
    name: str
    gids: set[int] = field(default_factory=set)
    text: dict[int, str] = field(default_factory=dict)


class VerticalFonts:
    """One per output document, beside its PdfFonts: the Identity-V fonts of the upright glyphs."""

    def __init__(self, fonts: PdfFonts):
        self.fonts = fonts
        self._uses: dict[str, _VUse] = {}
        self._doc: Any = None

    def draw_run(self, canvas: Any, face: Face, run: GlyphRun, height: float) -> None:
        """A GlyphRun of the page description, with frame y (down from the trim top) turned into
        PDF y by `height`."""
        if run.rotated:
            self._rotated(canvas, face, run, height)
        else:
            self._upright(canvas, face, run, height)

    def _upright(self, canvas: Any, face: Face, run: GlyphRun, height: float) -> None:
        use = self._use(canvas, face)
        parts = [f"BT /{use.name} {_num(run.size)} Tf"]
        glyphs = list(run.glyphs)  # read here by index, several times each
        k = 0
        while k < len(glyphs):
            # Glyphs side by side at one height: a tate-chu-yoko cell. Text extraction would read
            # them as two columns, so the cell carries its text as ActualText (PDF 14.9.4).
            j = k + 1
            while j < len(glyphs) and abs(glyphs[j].y - glyphs[k].y) < 1e-6 and glyphs[j].x != glyphs[k].x:
                j += 1
            cell = glyphs[k:j]
            if len(cell) > 1:
                actual = "".join(g.text for g in cell).encode("utf-16-be").hex().upper()
                parts.append(f"/Span <</ActualText <FEFF{actual}>>> BDC")
            for g in cell:
                use.gids.add(g.gid)
                if g.text and g.gid not in use.text:
                    use.text[g.gid] = g.text
                parts.append(f"1 0 0 1 {_num(g.x)} {_num(height - g.y)} Tm <{g.gid:04X}> Tj")
            if len(cell) > 1:
                parts.append("EMC")
            k = j
        parts.append("ET")
        canvas._code.append("\n".join(parts))

    def _rotated(self, canvas: Any, face: Face, run: GlyphRun, height: float) -> None:
        first = run.glyphs[0]
        x0, y0 = first.x, first.y
        canvas.saveState()
        canvas.transform(0, -1, 1, 0, x0, height - y0)  # the glyphs' baseline runs down the page
        gids, xs, ys, texts, _, _, _ = run.glyphs.columns()
        self.fonts.draw(canvas, face, run.size, [(gid, y - y0, x - x0, text) for gid, x, y, text
                                                 in zip(gids, xs, ys, texts, strict=True)])
        canvas.restoreState()

    def _use(self, canvas: Any, face: Face) -> _VUse:
        doc = canvas._doc
        if self._doc is None:
            self._doc = doc
            doc.delayedFonts.append(self)
        use = self._uses.get(face.key)
        if use is None:
            use = self._uses[face.key] = _VUse(face, VerticalMetrics(face), f"FV{len(self._uses) + 1}")
            doc.fontMapping[f"layout-v:{face.key}"] = f"/{use.name}"
        return use

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's delayedFonts protocol
        font_dict = doc.idToObject["BasicFonts"].dict
        for use in self._uses.values():
            font_dict[use.name] = _type0_vertical(doc, use, self.fonts.problems)


def _w2(use: _VUse, gids: frozenset[int], default_origin: float) -> str:
    """W2: `c [w1y vx vy]` for each glyph whose vertical advance or origin differs from DW2."""
    face, m = use.face, use.metrics
    out = []
    for g in sorted(gids):
        adv, org = m.advance(g), m.origin(g)
        if abs(adv - 1.0) < 1e-9 and abs(org - default_origin) < 1e-9:
            continue
        out.append(f"{g} [{_num(-adv * 1000)} {_num(face.advance(g) * 500)} {_num(org * 1000)}]")
    return "[" + " ".join(out) + "]"


def _type0_vertical(doc: Any, use: _VUse, problems: list[tuple[str, int, str, str]]) -> Any:
    """The Identity-V Type0 font of one face's upright glyphs; glyphs its subset does not reproduce
    go on `problems`, the PdfFonts list the horizontal subsets report theirs on."""
    face = use.face
    gids = frozenset(use.gids | {0})
    base_font = f"{subset_tag(face, gids | {0xFFFF})}+{face.ps_name}"  # a tag of its own: another subset
    program, bad = face.subset_checked(gids, base_font)
    problems += [(face.key, gid, use.text.get(gid, ""), why) for gid, why in sorted(bad.items())]
    font_file = pdfdoc.PDFStream(content=deflate(program))  # as the horizontal subsets are
    font_file.dictionary["Filter"] = "/FlateDecode"
    if face.is_cff:
        font_file.dictionary["Subtype"] = "/CIDFontType0C"
        file_key = "FontFile3"
    else:
        font_file.dictionary["Length1"] = len(program)
        file_key = "FontFile2"
    x0, y0, x1, y1 = face.bbox
    descriptor = pdfdoc.PDFDictionary({
        "Type": "/FontDescriptor", "FontName": "/" + base_font, "Flags": 4,
        "FontBBox": f"[{_num(x0 * 1000)} {_num(y0 * 1000)} {_num(x1 * 1000)} {_num(y1 * 1000)}]",
        "ItalicAngle": 0, "Ascent": _num(face.ascent * 1000), "Descent": _num(-face.descent * 1000),
        "CapHeight": _num(face.cap_height * 1000), "StemV": 80, file_key: doc.Reference(font_file),
    })
    origin = use.metrics.default_origin
    cid_font = pdfdoc.PDFDictionary({
        "Type": "/Font", "Subtype": "/CIDFontType0" if face.is_cff else "/CIDFontType2",
        "BaseFont": "/" + base_font,
        "CIDSystemInfo": "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>",
        "FontDescriptor": doc.Reference(descriptor), "DW": 1000, "W": widths(face, gids),
        "DW2": f"[{_num(origin * 1000)} -1000]", "W2": _w2(use, gids, origin),
    })
    if not face.is_cff:
        cid_font["CIDToGIDMap"] = "/Identity"
    to_unicode = pdfdoc.PDFStream(content=to_unicode_cmap(use.text), filters=[pdfdoc.PDFZCompress])
    return doc.Reference(pdfdoc.PDFDictionary({
        "Type": "/Font", "Subtype": "/Type0", "BaseFont": "/" + base_font, "Encoding": "/Identity-V",
        "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font)]), "ToUnicode": doc.Reference(to_unicode),
    }))
