"""The lean CFF subsetter: outlines survive, only needed subroutines are kept, CIDs = glyph ids."""

from __future__ import annotations

import io
import random

import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen

from layout.fonts.cff import RETURN, CffSource, subr_bias
from layout.fonts.face import Face, FaceSpec

from .helpers import DEBIAN_NOTO, SAMPLE, shipped_catalog


def _decompile(program: bytes):
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(program), None)
    return cff[cff.fontNames[0]]


def _assert_same_outlines(face: Face, gids, program: bytes) -> None:
    top = _decompile(program)
    assert top.ROS == ("Adobe", "Identity", 0)
    glyphset = face.font.getGlyphSet()
    for gid in gids:
        ours, ref = RecordingPen(), RecordingPen()
        top.CharStrings[f"cid{gid:05d}"].draw(ours)
        glyphset[face.glyph_order[gid]].draw(ref)
        assert ours.value == ref.value, gid


@pytest.fixture(scope="module")
def body():
    return shipped_catalog().chain("body").primary


def test_shipped_face_subset_draws_like_the_original(body):
    gids = {body.gid(ch) for ch in SAMPLE}
    rnd = random.Random(7)
    gids |= set(rnd.sample(range(1, body.num_glyphs), 300))
    _assert_same_outlines(body, sorted(gids), body.subset_program(gids))


def test_unused_subroutines_become_return_and_numbering_is_kept(body):
    src: CffSource = body.outlines
    gid = body.gid("國")
    used = src.closure(gid)
    assert used, "the glyph should call subroutines"
    raw = _raw_global_subrs(body.subset_program({gid}))
    assert subr_bias(len(raw)) == subr_bias(src.gsubrs.count)  # bias unchanged
    used_g = {i for k, i in used if k < 0}
    for i, code in enumerate(raw):
        if i in used_g:
            assert code == src.gsubrs[i]
        else:
            assert code == RETURN
    assert len(raw) >= max(used_g, default=0) + 1


def _raw_global_subrs(program: bytes) -> list[bytes]:
    parsed = CffSource.parse(program)
    return [parsed.gsubrs[i] for i in range(parsed.gsubrs.count)]


def test_subset_of_subset_keeps_cids(body):
    gids = {body.gid(ch) for ch in "新華社"}
    parsed = CffSource.parse(body.subset_program(gids))
    assert parsed.is_cid and parsed.num_glyphs == 4
    top = _decompile(body.subset_program(gids))
    assert sorted(top.charset) == sorted([".notdef"] + [f"cid{g:05d}" for g in gids])


def test_size_grows_with_the_glyph_set(body):
    small = body.subset_program({body.gid("一")})
    large = body.subset_program({body.gid(ch) for ch in SAMPLE})
    assert len(small) < len(large) < 2_000_000


@pytest.mark.skipif(not DEBIAN_NOTO.exists(), reason="fonts-noto-cjk not installed")
def test_hinted_full_face_with_hint_masks():
    """Debian's faces keep their hints (hintmask data bytes, stems across subroutines): the exact
    scanner must follow them, and agree with the fast path wherever the fast path applies."""
    face = Face(FaceSpec(DEBIAN_NOTO, 2))
    rnd = random.Random(3)
    gids = set(rnd.sample(range(1, face.num_glyphs), 400)) | {face.gid(ch) for ch in SAMPLE}
    program = face.subset_program(gids)
    assert not face.outlines.keep_all_subrs
    _assert_same_outlines(face, sorted(gids), program)
    fresh = CffSource.parse(bytes(face.tables.table("CFF ")))
    for gid in sorted(gids)[:150]:
        exact = fresh._scan(fresh.charstrings[gid], fresh.fd_select(gid), 0, (), 0).calls
        assert exact == face.outlines.closure(gid)


def _name_keyed_otf(path):
    fb = FontBuilder(1000, isTTF=False)
    names = [".notdef", "A", "B"]
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({0x41: "A", 0x42: "B"})
    charstrings = {}
    for name, (w, h) in zip(names, [(500, 700), (600, 700), (400, 300)], strict=True):
        pen = T2CharStringPen(w, None)
        pen.moveTo((50, 0))
        pen.lineTo((50, h))
        pen.lineTo((w - 50, h))
        pen.closePath()
        charstrings[name] = pen.getCharString()
    fb.setupCFF("TestNameKeyed", {"FullName": "Test"}, charstrings, {})
    fb.setupHorizontalMetrics({n: (w, 50) for n, w in zip(names, [500, 600, 400], strict=True)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "TestNameKeyed", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))


def test_name_keyed_cff_becomes_cid_keyed(tmp_path):
    path = tmp_path / "nk.otf"
    _name_keyed_otf(path)
    face = Face(FaceSpec(path))
    assert face.is_cff and not face.outlines.is_cid
    gids = {face.gid("A"), face.gid("B")}
    _assert_same_outlines(face, sorted(gids), face.subset_program(gids))
