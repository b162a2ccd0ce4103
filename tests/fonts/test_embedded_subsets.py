"""The sample edition's PDFs embed only font subsets that fontTools reads completely: every
charstring of every embedded CFF (FontFile3) decompiles and draws, with each subroutine call
resolved, and draws the same outline as the glyph in the font it came from; every glyph of an
embedded TrueType (FontFile2) draws. Checked with fontTools on the streams pikepdf reads out of the
files, independently of the engine's own subset check. .ci/run also runs this on Python 3.11.2."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from layout.build import build
from layout.fonts.catalog import DEFAULT_CONFIG, FONTS_DIR
from layout.fonts.face import Face, FaceSpec

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "editions" / "sample.yaml"


@pytest.fixture(scope="module")
def sample_pdfs(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip("editions/sample.yaml is not there")
    out = tmp_path_factory.mktemp("sample-fonts")
    build(SAMPLE, out, preflight=False)
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) >= 2
    return pdfs


def _source_faces() -> dict[str, list[Face]]:
    """PostScript name -> the faces the engine may have subset it from (shipped and Debian's)."""
    out: dict[str, list[Face]] = {}
    for entries in DEFAULT_CONFIG.values():
        for e in entries:
            path = Path(e["file"])
            path = path if path.is_absolute() else FONTS_DIR / path
            if path.exists():
                face = Face(FaceSpec(path, e.get("index", 0)))
                out.setdefault(face.ps_name, []).append(face)
    return out


def _embedded(pdf_path: Path):
    """(BaseFont, key, program bytes) of each embedded font file of the PDF."""
    seen = set()
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
                continue
            for key in ("/FontFile3", "/FontFile2"):
                stream = obj.get(key)
                if stream is not None and stream.objgen not in seen:
                    seen.add(stream.objgen)
                    yield str(obj.FontName)[1:], key, stream.read_bytes()


def _draw_cff(program: bytes) -> dict[str, list]:
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(program), None)
    top = cff[cff.fontNames[0]]
    drawn = {}
    for name in top.charset:
        cs = top.CharStrings[name]
        cs.decompile()
        pen = RecordingPen()
        cs.draw(pen)  # follows every callsubr/callgsubr: IndexError if one is out of range
        drawn[name] = pen.value
    return drawn


def test_every_embedded_glyph_decompiles_and_matches_its_font(sample_pdfs):
    sources = _source_faces()
    reference: dict[tuple[str, int], list] = {}

    def source_outline(face: Face, gid: int) -> list:
        key = (face.key, gid)
        if key not in reference:
            pen = RecordingPen()
            face.font.getGlyphSet()[face.glyph_order[gid]].draw(pen)
            reference[key] = pen.value
        return reference[key]

    checked = 0
    seen: set[tuple[str, str, bytes]] = set()
    for pdf_path in sample_pdfs:
        for base_font, key, program in _embedded(pdf_path):
            # edition.pdf embeds the very subsets of the page files (about half of all programs):
            # the same bytes under the same name check the same, so each is checked once.
            if (base_font, key, program) in seen:
                continue
            seen.add((base_font, key, program))
            where = f"{pdf_path.name} {base_font}"
            if key == "/FontFile2":
                font = TTFont(io.BytesIO(program))
                glyphs = font.getGlyphSet()
                for name in font.getGlyphOrder():
                    glyphs[name].draw(RecordingPen())
                continue
            drawn = _draw_cff(program)
            assert len(drawn) > 1, where
            candidates = sources.get(base_font.split("+", 1)[-1], [])
            assert candidates, f"{where}: no source face known for it"
            gids = {name: int(name[3:]) for name in drawn if name.startswith("cid")}
            matching = [f for f in candidates
                        if all(drawn[n] == source_outline(f, g) for n, g in gids.items())]
            assert matching, f"{where}: outlines differ from every candidate source face"
            checked += len(gids)
    assert checked > 1000
