"""R4: —— comes from the CJK font's full-width dash (the `fwid` form, centred on the em box), not
from the proportional Latin dash the Noto CJK cmap maps U+2014 to; two of them make one 2-em rule."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from reportlab.pdfgen.canvas import Canvas

from layout.fonts.face import FULLWIDTH_IN_CJK, Face, FaceSpec
from layout.fonts.pdf import PdfFonts, canvas_kwargs
from layout.text.compose import compose_paragraph
from layout.text.style import CompositionStyle

from .helpers import DEBIAN_NOTO, shipped_catalog

# The CJK em box of Noto CJK: descender -0.12 em, ascender 0.88 em; its middle is 0.38 em.
EM_MIDDLE = (-0.12 + 0.88) / 2
STYLE = CompositionStyle(punct_style="quanjiao+lineend", level="gb", indent=0.0, breaker="first-fit")
TEXT = "甲乙——丙"


@pytest.fixture(scope="module")
def catalog():
    return shipped_catalog()


@pytest.fixture(scope="module")
def body(catalog) -> Face:
    return catalog.chain("body").primary


def test_dash_is_full_width_and_centred(body):
    gid = body.gid("—")
    assert gid != body.cmap[ord("—")]  # the cmap glyph is the proportional Latin dash
    assert body.advance(gid) == pytest.approx(1.0)
    ink = body.ink(gid)
    assert (ink[1] + ink[3]) / 2 == pytest.approx(EM_MIDDLE, abs=0.05)
    assert ink[0] >= 0.0 and ink[2] <= 1.0


def test_only_the_listed_marks_change(catalog):
    for role in ("body", "bold", "sans", "headline"):
        face = catalog.chain(role).primary
        assert ord("—") in face.fullwidth, role  # every shipped face keeps its fwid dash
        assert set(face.fullwidth) <= {ord(c) for c in FULLWIDTH_IN_CJK}
        for ch in "AZaz09·…“”，。":
            assert face.gid(ch) == face.cmap[ord(ch)], (role, ch)


def test_ellipsis_unchanged_and_centred(body):
    gid = body.gid("…")
    assert gid == body.cmap[ord("…")] and body.advance(gid) == pytest.approx(1.0)
    ink = body.ink(gid)
    assert (ink[1] + ink[3]) / 2 == pytest.approx(EM_MIDDLE, abs=0.1)


def _dashes(catalog):
    par = compose_paragraph(TEXT, 20, STYLE, catalog.chain("body"))
    (line,) = par.lines
    return line, [g for g in line.glyphs if g.text == "—"]


def test_composed_dashes_abut_inside_two_em(catalog, body):
    line, (a, b) = _dashes(catalog)
    assert a.gid == b.gid == body.gid("—")
    ink = body.ink(a.gid)
    gap = (b.x + ink[0]) - (a.x + ink[2])
    assert abs(gap) <= 0.02  # one unbroken rule
    assert b.box_x - a.box_x == pytest.approx(1.0) and a.width + b.width == pytest.approx(2.0)
    assert a.box_x == pytest.approx(2.0)  # after 甲乙
    assert a.x + ink[0] >= a.box_x - 1e-6 and b.x + ink[2] <= a.box_x + 2.0 + 1e-6
    rule = (b.x + ink[2]) - (a.x + ink[0])
    assert rule >= 1.7  # the rule fills most of the 2-em unit
    assert line.width == pytest.approx(5.0)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_round_trip_keeps_the_dashes(catalog, tmp_path):
    line, _ = _dashes(catalog)
    size = 12.0
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(300, 100), invariant=1, **canvas_kwargs())
    fonts = PdfFonts(catalog)
    face = catalog.chain("body").primary
    assert all(g.face == face.key for g in line.glyphs)
    fonts.draw(canvas, face, size, [(g.gid, 20 + g.x * size, 50, g.text) for g in line.glyphs])
    canvas.save()
    path = tmp_path / "dash.pdf"
    path.write_bytes(buf.getvalue())
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert out.strip() == TEXT


@pytest.mark.skipif(not DEBIAN_NOTO.exists(), reason="fonts-noto-cjk not installed")
def test_full_collection_face_two_em_dash():
    face = Face(FaceSpec(DEBIAN_NOTO, 2))
    assert face.advance(face.gid("—")) == pytest.approx(1.0)
    gid = face.gid("⸺")  # U+2E3A: the fwid form is the 2-em CJK rule, centred like the dash
    assert face.advance(gid) == pytest.approx(2.0)
    ink = face.ink(gid)
    assert (ink[1] + ink[3]) / 2 == pytest.approx(EM_MIDDLE, abs=0.05)
