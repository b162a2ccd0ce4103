"""fontTools parses a CFF face's whole table to name its glyphs (GSUB lookups go by name); the
engine reads outlines through its own parser, so the parse is let go once the names are known
(issue 18: ~5 MB a CJK face, held for the whole build). The names, the full-width forms and the
outlines must be what they were."""

from pathlib import Path

from fontTools.ttLib import TTFont

from layout.fonts.face import Face, FaceSpec, single_substitutions

FONTS = Path(__file__).resolve().parents[2] / "fonts"
FACE = FONTS / "NotoSansCJKsc-Bold.otf"


def test_the_cff_parse_is_let_go_and_the_names_stay():
    face = Face(FaceSpec(FACE))
    order = face.glyph_order
    assert "CFF " not in face.font.tables  # fontTools' parse is gone ...
    assert "CFF " in face.font and face.is_cff  # ... the table is still the face's
    fresh = TTFont(FACE, lazy=True)
    assert order == fresh.getGlyphOrder()
    assert single_substitutions(face.font, ("fwid",)) == single_substitutions(TTFont(FACE, lazy=True), ("fwid",))
    assert "CFF " not in face.font.tables
    # the outlines come from the engine's own parse, unchanged
    gid = face.gid("國")
    assert gid and face.ink(gid) is not None and face.subset_program({gid})
