"""A CID-keyed CFF face's glyph names come from the engine's own charset parse, handed to fontTools
(issue 18: fontTools' parse of a CJK face's whole CFF table, only for the names, cost 20-30 ms a
face in every cold build). They must be fontTools' names exactly: GSUB lookups go by them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from layout.fonts.catalog import FONTS_DIR
from layout.fonts.face import Face, FaceSpec

FACES = sorted(FONTS_DIR.glob("*.otf")) + sorted(FONTS_DIR.glob("*.ttf"))


@pytest.mark.parametrize("path", FACES, ids=lambda p: p.name)
def test_glyph_names_are_fonttools_names(path: Path):
    face = Face(FaceSpec(path))
    assert face.glyph_order == TTFont(path, lazy=True).getGlyphOrder()


@pytest.mark.parametrize("path", [p for p in FACES if p.suffix == ".otf"], ids=lambda p: p.name)
def test_fonttools_never_reads_the_cff_table_for_the_names(path: Path, monkeypatch):
    from fontTools.cffLib import CFFFontSet

    face = Face(FaceSpec(path))
    face.__dict__["_notes"] = {}  # as in a cold build: nothing kept from an earlier one

    def refuse(*_a, **_k):
        raise AssertionError("fontTools parsed the CFF table")

    with monkeypatch.context() as m:
        m.setattr(CFFFontSet, "decompile", refuse)
        _ = face.fullwidth, face.glyph_order
    # and the full-width forms it finds by those names are the ones fontTools' names give
    ref = TTFont(path, lazy=True)
    for cp, alt in face.fullwidth.items():
        assert ref.getGlyphName(alt) == face.glyph_order[alt]
        assert face.font.getGlyphID(face.glyph_order[alt]) == alt
        assert face.cmap[cp] != alt
