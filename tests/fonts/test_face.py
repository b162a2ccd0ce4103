"""Face metrics read from the raw tables agree with fontTools' decompiled tables."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fontTools.pens.boundsPen import BoundsPen

from layout.fonts.face import Face, FaceSpec

from .helpers import DEBIAN_NOTO, SHIPPED
from .make_test_font import build_test_font

FONTS = Path(__file__).resolve().parents[2] / "fonts"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _faces(tmp_path):
    out = [Face(FaceSpec(FONTS / SHIPPED["body"])), Face(FaceSpec(FONTS / SHIPPED["headline"]))]
    build_test_font(tmp_path / "TF.ttf")
    out.append(Face(FaceSpec(tmp_path / "TF.ttf")))
    if DEJAVU.exists():
        out.append(Face(FaceSpec(DEJAVU)))
    return out


def test_cmap_and_advances_match_fonttools(tmp_path):
    for face in _faces(tmp_path):
        best = face.font.getBestCmap()
        assert {cp: face.font.getGlyphID(name) for cp, name in best.items()} == face.cmap
        hmtx = face.font["hmtx"].metrics
        assert [hmtx[name][0] / face.upem for name in face.glyph_order] == face.advances


def test_ink_boxes_match_fonttools(tmp_path):
    for face in _faces(tmp_path):
        glyphs = face.font.getGlyphSet()
        gids = random.Random(11).sample(range(face.num_glyphs), min(200, face.num_glyphs))
        gids += [g for g in (face.gid(c) for c in "、。「」“”——…A g") if g is not None]
        for gid in gids:
            pen = BoundsPen(glyphs)
            glyphs[face.glyph_order[gid]].draw(pen)
            ref = None if pen.bounds is None else tuple(v / face.upem for v in pen.bounds)
            assert face.ink(gid) == ref, (face, gid)


def test_mainland_punctuation_sits_low_left(tmp_path):
    body = Face(FaceSpec(FONTS / SHIPPED["body"]))
    for ch in "、。，":
        x0, y0, x1, y1 = body.ink(body.gid(ch))
        assert x1 < 0.5 and y1 < 0.3, (ch, (x0, y0, x1, y1))  # SC face: lower-left corner


@pytest.mark.skipif(not DEBIAN_NOTO.exists(), reason="fonts-noto-cjk not installed")
def test_collection_face_metrics():
    face = Face(FaceSpec(DEBIAN_NOTO, 2))
    assert face.ps_name == "NotoSerifCJKsc-Regular"
    assert face.num_glyphs == len(face.glyph_order)
    assert face.advance(face.gid("中")) == 1.0
    assert face.digest != Face(FaceSpec(DEBIAN_NOTO, 3)).digest
