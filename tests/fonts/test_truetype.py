"""TrueType faces embed as CIDFontType2 (FontFile2, CIDToGIDMap Identity) with kept glyph ids."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from layout.fonts.catalog import FontCatalog

from .helpers import make_pdf
from .make_test_font import build_test_font

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TEXT = "Café déjà vu — «Ω» 12,5 %"


@pytest.fixture(scope="module")
def fonts_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("ttf")
    build_test_font(out / "TF.ttf")
    return out


def _outline(glyphset, name):
    pen = DecomposingRecordingPen(glyphset)
    glyphset[name].draw(pen)
    return pen.value


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans not installed")
def test_dejavu_embeds_as_cid_truetype(tmp_path):
    catalog = FontCatalog.from_config({"latin": [{"file": str(DEJAVU)}]})
    path = tmp_path / "tt.pdf"
    path.write_bytes(make_pdf(catalog, [("latin", TEXT)]))
    if shutil.which("pdffonts"):
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        (row,) = rows.splitlines()[2:]
        assert "CID TrueType" in row and "Identity-H" in row
        assert row.split()[-5:-2] == ["yes", "yes", "yes"]
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        assert text.strip() == TEXT
    if shutil.which("qpdf"):
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
    with pikepdf.open(path) as pdf:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        desc = font.DescendantFonts[0]
        assert desc.Subtype == "/CIDFontType2" and desc.CIDToGIDMap == "/Identity"
        program = desc.FontDescriptor.FontFile2.read_bytes()
    # the embedded program keeps glyph ids: each used glyph (composites included) draws as in the source
    face = catalog.chain("latin").primary
    sub = TTFont(io.BytesIO(program))
    src = TTFont(str(DEJAVU))
    used = {face.gid(ch) for ch in TEXT}
    sub_order, src_order = sub.getGlyphOrder(), src.getGlyphOrder()
    assert len(sub_order) == max(used) + 1  # cut after the highest used glyph
    sub_gs, src_gs = sub.getGlyphSet(), src.getGlyphSet()
    composites = 0
    for gid in used:
        composites += src["glyf"][src_order[gid]].isComposite()
        assert _outline(sub_gs, sub_order[gid]) == _outline(src_gs, src_order[gid])
    assert composites > 0, "the test text should exercise composite glyphs"
    unused = next(g for g in range(1, max(used)) if g not in face.outlines.closure(min(used)) and g not in used
                  and all(g not in face.outlines.closure(u) for u in used))
    assert sub["glyf"][sub_order[unused]].numberOfContours == 0


def test_built_truetype_font_round_trips(fonts_dir, tmp_path):
    catalog = FontCatalog.from_config({"test": [{"file": "TF.ttf"}]}, base_dir=fonts_dir)
    face = catalog.chain("test").primary
    assert not face.is_cff
    text = "漢「」，ABC xyz"  # TF draws every Han character with one glyph: use one
    assert len({face.gid(c) for c in text}) == len(set(text))
    path = tmp_path / "tf.pdf"
    path.write_bytes(make_pdf(catalog, [("test", text)]))
    if shutil.which("pdftotext"):
        got = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        assert got.strip() == text
    program = face.subset_program({face.gid(c) for c in text})
    assert program == face.subset_program({face.gid(c) for c in text})  # deterministic
    font = TTFont(io.BytesIO(program))
    assert font["maxp"].numGlyphs == max(face.gid(c) for c in text) + 1
    assert font["head"].indexToLocFormat == 1
