"""Pixel test: text drawn through our PDF embedding (rendered by pdfium) against the same glyphs
rasterised straight from the font file by FreeType (Pillow), at the same scale and positions."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont
from reportlab.pdfgen.canvas import Canvas

from layout.fonts.catalog import FONTS_DIR
from layout.fonts.pdf import PdfFonts, canvas_kwargs

from .helpers import shipped_catalog

pdfium = pytest.importorskip("pypdfium2")

TEXT = "新華社「國務院」——研究……、。ABC abc 0123"
SIZE = 24.0  # pt
SCALE = 3  # px per pt: 72 pt -> 216 dpi
PAGE = (560.0, 60.0)
BASELINE = 20.0  # pt above the bottom edge


def _positions(face, text):
    """Glyph origins on whole pixels (so both rasterisers get the same positions)."""
    out, x = [], 10.0
    for ch in text:
        gid = face.gid(ch)
        out.append((ch, gid, round(x * SCALE) / SCALE))
        x += face.advance(gid) * SIZE
    return out


def _render_pdf(catalog, role) -> Image.Image:
    face = catalog.chain(role).primary
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=PAGE, invariant=1, **canvas_kwargs())
    fonts = PdfFonts(catalog)
    canvas.setFillGray(0)
    fonts.draw(canvas, face, SIZE, [(gid, x, BASELINE, ch) for ch, gid, x in _positions(face, TEXT) if ch != " "])
    canvas.save()
    doc = pdfium.PdfDocument(buf.getvalue())
    img = doc[0].render(scale=SCALE).to_pil().convert("L")
    doc.close()
    return img


def _render_freetype(catalog, role, font_file, dx: float = 0.0) -> Image.Image:
    face = catalog.chain(role).primary
    img = Image.new("L", (round(PAGE[0] * SCALE), round(PAGE[1] * SCALE)), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(font_file), round(SIZE * SCALE), layout_engine=ImageFont.Layout.BASIC)
    y = round((PAGE[1] - BASELINE) * SCALE)
    for ch, _gid, x in _positions(face, TEXT):
        draw.text((round(x * SCALE + dx), y), ch, font=font, fill=0, anchor="ls")
    return img


def _compare(a: Image.Image, b: Image.Image) -> tuple[float, float]:
    """(intersection over union of the ink masks, mean absolute grey difference 0..255)."""
    assert a.size == b.size
    ma = a.point(lambda v: 255 if v < 128 else 0)
    mb = b.point(lambda v: 255 if v < 128 else 0)
    inter = ImageChops.multiply(ma, mb).histogram()[255]
    union = ImageChops.lighter(ma, mb).histogram()[255]
    diff = ImageChops.difference(a, b).histogram()
    mad = sum(i * n for i, n in enumerate(diff)) / (a.size[0] * a.size[1])
    return inter / union, mad


@pytest.fixture(scope="module")
def catalog():
    return shipped_catalog()


@pytest.mark.parametrize(
    "role,file",
    [("body", "NotoSerifCJKsc-Regular.otf"), ("headline", "NotoSansCJKsc-Black.otf")],
)
def test_pdf_glyphs_match_font_file_rasterisation(catalog, role, file):
    ours = _render_pdf(catalog, role)
    ref = _render_freetype(catalog, role, FONTS_DIR / file)
    iou, mad = _compare(ours, ref)
    assert ours.histogram()[0:128] != [0] * 128, "nothing drawn"
    assert iou > 0.93, (iou, mad)
    assert mad < 4.0, (iou, mad)


def test_pixel_comparison_can_fail(catalog):
    """The same comparison rejects a wrong face and a 2-pixel shift (the test has teeth)."""
    ours = _render_pdf(catalog, "body")
    wrong_face = _render_freetype(catalog, "body", FONTS_DIR / "NotoSansCJKsc-Black.otf")
    shifted = _render_freetype(catalog, "body", FONTS_DIR / "NotoSerifCJKsc-Regular.otf", dx=2)
    for other in (wrong_face, shifted):
        iou, mad = _compare(ours, other)
        assert iou < 0.93 or mad >= 4.0, (iou, mad)
