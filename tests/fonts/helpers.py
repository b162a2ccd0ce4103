"""Shared helpers for the font tests: lay a string out on one baseline and draw it with PdfFonts."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from layout.fonts.catalog import FONTS_DIR, FontCatalog
from layout.fonts.chain import FontChain
from layout.fonts.pdf import PdfFonts, canvas_kwargs

SHIPPED = {
    "body": "NotoSerifCJKsc-Regular.otf",
    "bold": "NotoSerifCJKsc-Bold.otf",
    "sans": "NotoSansCJKsc-Bold.otf",
    "headline": "NotoSansCJKsc-Black.otf",
}
SAMPLE = "“新華社北京電”「國務院」『總理』——研究部署……、。ABC abc 0123456789，（完）"
DEBIAN_NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def shipped_catalog() -> FontCatalog:
    return FontCatalog.from_config({role: [{"file": f}] for role, f in SHIPPED.items()}, FONTS_DIR)


def draw_line(fonts: PdfFonts, canvas, chain: FontChain, text: str, x: float, y: float, size: float,
              skip_spaces: bool = True) -> float:
    """Draw `text` from (x, y), one draw call per run of one face; returns the end x."""
    run_face, run = None, []
    for ch in text:
        hit = chain.resolve(ch)
        assert hit is not None, f"no glyph for {ch!r}"
        face, gid = hit
        if face is not run_face and run:
            fonts.draw(canvas, run_face, size, run)
            run = []
        run_face = face
        if not (skip_spaces and ch == " "):
            run.append((gid, x, y, ch))
        x += face.advance(gid) * size
    if run:
        fonts.draw(canvas, run_face, size, run)
    return x


def make_pdf(catalog: FontCatalog, lines: list[tuple[str, str]], size: float = 12.0,
             page: tuple[float, float] = (720, 300)) -> bytes:
    """A one-page PDF with each (role, text) on its own line; invariant, so bytes are reproducible."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=page, invariant=1, **canvas_kwargs())
    fonts = PdfFonts(catalog)
    canvas.setFillColorCMYK(0, 0, 0, 1)
    y = page[1] - 30
    for role, text in lines:
        draw_line(fonts, canvas, catalog.chain(role), text, 20, y, size, skip_spaces=False)
        y -= size * 1.6
    canvas.save()
    return buf.getvalue()
