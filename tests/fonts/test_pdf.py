"""PDF embedding of the shipped CFF faces: pdffonts, pdftotext, qpdf, glyph counts, determinism."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pikepdf
import pytest
from fontTools.cffLib import CFFFontSet
from reportlab.pdfgen.canvas import Canvas

from layout.fonts.pdf import PdfFonts, canvas_kwargs, subset_tag

from .helpers import DEBIAN_NOTO, SAMPLE, draw_line, make_pdf, shipped_catalog

needs_poppler = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")

LINES = [
    ("body", SAMPLE),
    ("headline", "頭條：經濟穩中向好"),
    ("sans", "圖片說明 Photo 2026"),
    ("bold", "小標題「要聞」"),
]


@pytest.fixture(scope="module")
def catalog():
    return shipped_catalog()


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory, catalog):
    path = tmp_path_factory.mktemp("pdf") / "fonts.pdf"
    path.write_bytes(make_pdf(catalog, LINES))
    return path


def _run(*cmd) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def _embedded_fonts(path):
    """{BaseFont: (W array as Python values, font program bytes, descendant subtype)} per Type0 font."""
    out = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for _name, font in page.Resources.Font.items():
                desc = font.DescendantFonts[0]
                fd = desc.FontDescriptor
                stream = fd.get("/FontFile3") or fd.get("/FontFile2")
                w = [int(v) if isinstance(v, int) else [float(x) for x in v] for v in desc.W]
                out[str(font.BaseFont)[1:]] = (w, stream.read_bytes(), str(desc.Subtype))
    return out


@needs_poppler
def test_pdffonts_every_face_embedded_subset_unicode_once(pdf_path):
    rows = _run("pdffonts", str(pdf_path)).splitlines()[2:]
    assert len(rows) == 4  # one entry per face, not per 256-glyph chunk
    names = set()
    for row in rows:
        cols = row.split()
        name, emb, sub, uni = cols[0], cols[-5], cols[-4], cols[-3]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert "CID Type 0C" in row and "Identity-H" in row
        assert re.fullmatch(r"[A-Z]{6}\+Noto(Serif|Sans)CJKsc-\w+", name), name
        names.add(name.split("+")[1])
    assert names == {"NotoSerifCJKsc-Regular", "NotoSerifCJKsc-Bold", "NotoSansCJKsc-Bold", "NotoSansCJKsc-Black"}


@needs_poppler
def test_no_unembedded_font_anywhere(pdf_path):
    data = pdf_path.read_bytes()
    assert b"Helvetica" not in data
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                assert "/FontFile3" in obj or "/FontFile2" in obj


@needs_poppler
def test_pdftotext_returns_the_exact_text(pdf_path):
    text = _run("pdftotext", "-layout", str(pdf_path), "-")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert lines == [t for _role, t in LINES]


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_check_clean(pdf_path):
    res = subprocess.run(["qpdf", "--check", str(pdf_path)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "No syntax or stream encoding errors" in res.stdout
    assert "WARNING" not in res.stdout + res.stderr


def test_file_carries_only_its_glyphs(pdf_path, catalog):
    fonts = _embedded_fonts(pdf_path)
    for role, text in LINES:
        face = catalog.chain(role).primary
        (base, (_w, program, _subtype)), = [(k, v) for k, v in fonts.items() if k.endswith(face.ps_name)]
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(program), None)
        top = cff[cff.fontNames[0]]
        assert top.ROS == ("Adobe", "Identity", 0)
        expected = {face.gid(ch) for ch in text} | {0}
        # glyph names of a CID-keyed CFF are cidNNNNN: the CIDs are the face's glyph ids
        got = {int(name[3:]) if name != ".notdef" else 0 for name in top.charset}
        assert got == expected
        assert len(top.CharStrings) == len(expected)
        assert base.startswith(subset_tag(face, frozenset(expected)) + "+")


def test_widths_match_face_advances(pdf_path, catalog):
    fonts = _embedded_fonts(pdf_path)
    face = catalog.chain("body").primary
    w = next(v[0] for k, v in fonts.items() if k.endswith(face.ps_name))
    widths = {}
    k = 0
    while k < len(w):
        first, arr = int(w[k]), w[k + 1]
        for n, val in enumerate(arr):
            widths[first + n] = float(val)
        k += 2
    for ch in "ABC abc0123“”":
        gid = face.gid(ch)
        assert widths.get(gid, 1000.0) == pytest.approx(face.advance(gid) * 1000, abs=0.001)


def test_subsetting_is_deterministic(catalog):
    face = catalog.chain("body").primary
    gids = {face.gid(ch) for ch in SAMPLE}
    assert face.subset_program(gids) == face.subset_program(set(gids))
    assert make_pdf(catalog, LINES) == make_pdf(shipped_catalog(), LINES)


def test_subset_tag_depends_on_glyph_set(catalog):
    face = catalog.chain("body").primary
    a = subset_tag(face, frozenset({0, 5, 9}))
    assert re.fullmatch(r"[A-Z]{6}", a)
    assert a == subset_tag(face, frozenset({9, 5, 0}))
    assert a != subset_tag(face, frozenset({0, 5, 10}))


def test_text_emission_is_compact(catalog):
    """One Tf per draw call, one Tm per baseline run, TJ with position numbers only where needed."""
    face = catalog.chain("body").primary
    size = 10.0
    glyphs, x = [], 50.0
    for ch in "新華社北京電":
        glyphs.append((face.gid(ch), x, 700.0, ch))
        x += face.advance(face.gid(ch)) * size
    glyphs[3] = (glyphs[3][0], glyphs[3][1] + 1.5, 700.0, glyphs[3][3])  # a 1.5 pt nudge
    glyphs.append((face.gid("要"), 50.0, 688.0, "要"))  # next line
    ops = PdfFonts.operators("FL1", face, size, glyphs)
    assert ops.count(" Tf") == 1
    assert ops.count(" Tm") == 2
    assert ops.count(" TJ") == 2
    # the nudge is -150 thousandths of the font size before the 4th glyph and +150 after it
    tj = ops.splitlines()[2]
    assert re.fullmatch(r"\[<[0-9A-F]{12}> -150 <[0-9A-F]{4}> 150 <[0-9A-F]{8}>\] TJ", tj), tj


def test_one_pdffonts_object_per_document_only(catalog):
    face = catalog.chain("body").primary
    fonts = PdfFonts(catalog)
    c1 = Canvas(io.BytesIO(), **canvas_kwargs())
    c2 = Canvas(io.BytesIO(), **canvas_kwargs())
    fonts.draw(c1, face, 10, [(face.gid("字"), 10, 10, "字")])
    with pytest.raises(ValueError, match="one PDF document"):
        fonts.draw(c2, face, 10, [(face.gid("字"), 10, 10, "字")])


def test_pages_share_one_font_object_per_face(catalog, tmp_path):
    chain = catalog.chain("body")
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1, **canvas_kwargs())
    fonts = PdfFonts(catalog)
    draw_line(fonts, canvas, chain, "第一頁", 20, 700, 12)
    canvas.showPage()
    draw_line(fonts, canvas, chain, "第二頁", 20, 700, 12)
    canvas.save()
    path = tmp_path / "two.pdf"
    path.write_bytes(buf.getvalue())
    with pikepdf.open(path) as pdf:
        refs = {page.Resources.Font.FL1.objgen for page in pdf.pages}
        assert len(refs) == 1
    if shutil.which("pdftotext"):
        assert _run("pdftotext", str(path), "-").split() == ["第一頁", "第二頁"]


@needs_poppler
@pytest.mark.skipif(not DEBIAN_NOTO.exists(), reason="fonts-noto-cjk not installed")
def test_fallback_face_from_a_collection_embeds_too(tmp_path):
    from layout.fonts.catalog import FontCatalog

    cat = FontCatalog.from_config(
        {"body": [{"file": "NotoSerifCJKsc-Regular.otf"}, {"file": str(DEBIAN_NOTO), "index": 2}]}
    )
    chain = cat.chain("body")
    fallback = chain.faces[1]
    rare = next(chr(cp) for cp in sorted(fallback.cmap) if cp >= 0x4E00 and cp not in chain.primary.cmap)
    text = f"罕見字{rare}在此"
    path = tmp_path / "fallback.pdf"
    path.write_bytes(make_pdf(cat, [("body", text)]))
    rows = _run("pdffonts", str(path)).splitlines()[2:]
    assert len(rows) == 2 and all(r.split()[-5:-2] == ["yes", "yes", "yes"] for r in rows)
    tags = {r.split()[0].split("+")[0] for r in rows}
    assert len(tags) == 2
    assert _run("pdftotext", str(path), "-").strip() == text
    # the fallback's subset holds only its one glyph (and .notdef), out of ~65 000
    from layout.fonts.cff import CffSource

    counts = sorted(CffSource.parse(v[1]).num_glyphs for v in _embedded_fonts(path).values())
    assert counts == [2, len(set(text))]
