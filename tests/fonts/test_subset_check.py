"""Every CFF subset is checked against its font before it is embedded (CffSource.subset_checked),
and the regex fast path finds the same subroutine calls as the exact scanner on any Python.

The fast path once used a possessive repeat holding a negative lookahead; CPython 3.11.2's `re`
mis-matches that (gh-100061) and found no call at all in Sans Bold's `A` (`-28 -66 callsubr`), so the
subset lost the subroutines (Sans Black's 一 printed blank). These tests run on whatever Python runs
the suite; .ci/run also runs this folder on Debian 12's python3 (3.11.2)."""

from __future__ import annotations

import io
import struct

import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import RecordingPen
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.fonts.cff import CffSource, _Complex, _literal_calls
from layout.fonts.chain import FontChain
from layout.fonts.face import Face, FaceSpec
from layout.fonts.sfnt import FontFileError

from .helpers import shipped_catalog


def _draw_all(program: bytes) -> dict[str, list]:
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(program), None)
    top = cff[cff.fontNames[0]]
    out = {}
    for name in top.charset:
        pen = RecordingPen()
        top.CharStrings[name].draw(pen)
        out[name] = pen.value
    return out


@pytest.fixture(scope="module")
def catalog():
    return shipped_catalog()


def test_call_after_two_operands_is_found():
    # Sans Bold's `A` (cid 34) and `C` (cid 36), verbatim: two operands, then callsubr
    assert _literal_calls(bytes.fromhex("6f490a")) == [(-66, b"\x0a")]
    assert _literal_calls(bytes.fromhex("7e6c0a")) == [(-31, b"\x0a")]
    # Sans Black's 一 (gid 880): a two-byte operand, then callgsubr
    assert _literal_calls(bytes.fromhex("f8f71d")) == [(611, b"\x1d")]


@pytest.mark.parametrize("role, ch", [("sans", "A"), ("sans", "C"), ("headline", "一")])
def test_the_glyphs_that_broke_keep_their_subroutines(catalog, role, ch):
    face = catalog.chain(role).primary
    src = face.outlines
    gid = face.gid(ch)
    assert src.closure(gid) == src.exact_closure(gid) != frozenset()


# ---------------------------------------------------------------- the regex against a reference

_OPS = [bytes([b]) for b in range(32) if b not in (10, 12, 28, 29)] + [b"\x0c" + bytes([e]) for e in (0, 3, 34, 35)]


def _operand(v: int) -> bytes:
    if -107 <= v <= 107:
        return bytes([v + 139])
    if 108 <= v <= 1131:
        v -= 108
        return bytes([247 + v // 256, v % 256])
    if -1131 <= v <= -108:
        v = -v - 108
        return bytes([251 + v // 256, v % 256])
    return b"\x1c" + struct.pack(">h", v)


_TOKEN = st.one_of(
    st.integers(-32768, 32767).map(lambda v: ("num", v)),
    st.sampled_from(_OPS).map(lambda op: ("op", op)),
    st.sampled_from([b"\x0a", b"\x1d"]).map(lambda op: ("call", op)),
    st.just(("fixed", b"\xff\x00\x01\x00\x00")),
)


def _reference(tokens) -> list | None:
    """What _literal_calls must say, from the token list itself; None where it must give up."""
    special = {1, 3, 18, 19, 20, 23}
    out = []
    prev = None
    for kind, v in tokens:
        if kind == "op" and (v[0] in special or (v[0] == 12 and 3 <= v[1] <= 33)):
            return None
        if kind == "call":
            if prev is None or prev[0] != "num":
                return None
            out.append((prev[1], v))
        prev = (kind, v)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKEN, max_size=24), st.integers(0, 4))
def test_literal_calls_match_a_reference_tokenizer(tokens, cut):
    code = b"".join(_operand(v) if kind == "num" else v for kind, v in tokens)
    expected = _reference(tokens)
    try:
        got = _literal_calls(code)
    except _Complex:
        got = None
    assert got == expected
    # a token cut off by the end is never taken for a call
    if cut and tokens and tokens[-1][0] in ("num", "fixed") and len(code) > cut:
        last = _operand(tokens[-1][1]) if tokens[-1][0] == "num" else tokens[-1][1]
        if cut < len(last):
            with pytest.raises(_Complex):
                _literal_calls(code[:-cut])


def test_fast_path_agrees_with_the_exact_scanner_on_the_shipped_faces(catalog):
    for face in catalog.faces:
        fast = CffSource.parse(bytes(face.tables.table("CFF ")))
        exact = CffSource.parse(bytes(face.tables.table("CFF ")))
        for gid in range(0, fast.num_glyphs, 11):  # ~1 500 glyphs a face
            try:
                got = fast._fast_closure(fast.charstrings[gid], fast.fd_select(gid), 0)
            except _Complex:
                continue
            assert got == exact.exact_closure(gid), (face.key, gid)


def test_writer_takes_the_checks_exact_calls_and_writes_the_same_subset(catalog, monkeypatch):
    """The check scans every glyph exactly anyway, so subset_checked hands those calls to the
    writer and never runs the fast path; the subset is the one the fast path's calls give."""
    text = "新華社記者報道，市政府今日公佈港口計劃。ABC 2026年12月「一」"
    for role in ("body", "sans", "headline"):
        face = catalog.chain(role).primary
        gids = sorted({0, *(g for g in map(face.gid, text) if g is not None)})
        by_fast = CffSource.parse(bytes(face.tables.table("CFF ")))._write(gids, b"T", False)
        src = CffSource.parse(bytes(face.tables.table("CFF ")))
        with monkeypatch.context() as m:
            def no_fast_path(self, code, fd, level):
                raise AssertionError("the fast path ran")

            m.setattr(CffSource, "_fast_closure", no_fast_path)
            program, left = src.subset_checked(set(gids), b"T")
        assert left == {}
        assert program == by_fast, role


# ---------------------------------------------------------------- the check and its fall-backs


def test_a_subset_missing_subroutines_is_caught_and_rewritten(catalog, monkeypatch):
    """The 3.11.2 failure, simulated on any Python: a fast path that finds no calls."""
    face = catalog.chain("sans").primary
    src = CffSource.parse(bytes(face.tables.table("CFF ")))
    gids = sorted({face.gid(ch) for ch in "ABC一新華社"})
    monkeypatch.setattr(CffSource, "_fast_closure", lambda self, code, fd, level: frozenset())
    broken = src._write(sorted({0, *gids}), b"T", False)
    bad = src.check_subset(broken, sorted({0, *gids}))
    assert {face.gid("A"), face.gid("C")} <= set(bad)
    assert all("subroutine" in why for why in bad.values())
    program, left = src.subset_checked(set(gids), b"T")
    assert left == {}
    reference = CffSource.parse(bytes(face.tables.table("CFF "))).subset(set(gids), b"T")
    assert _draw_all(program) == _draw_all(reference)


def test_last_resort_keeps_every_subroutine(catalog, monkeypatch):
    face = catalog.chain("body").primary
    src = CffSource.parse(bytes(face.tables.table("CFF ")))
    gids = {face.gid(ch) for ch in "新華社"}
    # both the fast path and the exact closures handed to the writer lose every call
    monkeypatch.setattr(CffSource, "closure", lambda self, gid: frozenset())
    program, left = src.subset_checked(gids, b"T")
    assert left == {}
    parsed = CffSource.parse(program)
    assert parsed.gsubrs.count == src.gsubrs.count


def test_subset_that_cannot_be_read_back_fails_every_glyph(catalog):
    face = catalog.chain("body").primary
    src = face.outlines
    glyphs = sorted({0, face.gid("新")})
    program = src._write(glyphs, b"T", False)
    assert src.check_subset(program[: len(program) // 2], glyphs).keys() == set(glyphs)


def _fix_checksum(data: bytearray, tag: bytes) -> None:
    """Write the table's true checksum into the directory, as a font tool writing bad data would."""
    (num,) = struct.unpack_from(">H", data, 4)
    for i in range(num):
        entry = 12 + 16 * i
        t, _c, off, length = struct.unpack_from(">4sIII", data, entry)
        if t == tag:
            block = bytes(data[off : off + length]) + b"\0" * (-length % 4)
            total = sum(struct.unpack(f">{len(block) // 4}I", block)) & 0xFFFFFFFF
            struct.pack_into(">I", data, entry + 4, total)


def _damaged_copy(face: Face, tmp_path, gid: int, code: bytes, fix_checksum: bool = True):
    """A copy of `face`'s file with the charstring of `gid` overwritten in place by `code`, padded
    in front with moveto operators to the same length (so no offset moves); the CFF checksum is
    made right again unless `fix_checksum` is False."""
    data = bytearray(face.spec.path.read_bytes())
    off, _length = face.tables.tables["CFF "]
    cs = face.outlines.charstrings
    start = off + cs.data_at + cs._offset(gid)
    size = cs._offset(gid + 1) - cs._offset(gid)
    assert len(code) <= size
    pad = size - len(code)
    assert pad != 1
    # hmoveto with one operand (2 bytes) and rmoveto with two (3 bytes): legal, and any length but 1
    data[start : start + size] = b"\x8b\x8b\x15" * (pad % 2) + b"\x8b\x16" * ((pad - 3 * (pad % 2)) // 2) + code
    if fix_checksum:
        _fix_checksum(data, b"CFF ")
    path = tmp_path / "damaged.otf"
    path.write_bytes(bytes(data))
    return Face(FaceSpec(path))


@pytest.mark.parametrize("code, why", [
    (b"\x8b\x8b\x15\x1c\x7f\xff\x0a", "out of range"),  # rmoveto, then local subr 32767+bias
    (b"\x8b\x8b\x15", "no endchar"),
    (b"\x8b\x8b\xf7", "cut off"),
    (b"\x8b\x05\x0e", "operator 5 with 1 operands"),  # rlineto takes pairs
    (b"\x8b" * 49 + b"\x0e", "stack grows past 48"),
])
def test_damaged_glyph_is_found_and_reported(catalog, tmp_path, code, why):
    face = catalog.chain("body").primary
    gid = face.gid("網")
    damaged = _damaged_copy(face, tmp_path, gid, code)
    assert why in damaged.outlines.glyph_problem(gid)
    assert damaged.outlines.glyph_problem(face.gid("新")) is None
    _program, left = damaged.outlines.subset_checked({gid, face.gid("新")}, b"T")
    assert set(left) == {gid}


def test_damage_the_checksum_shows_is_refused_at_load(catalog, tmp_path):
    face = catalog.chain("body").primary
    with pytest.raises(FontFileError, match="'CFF' table's checksum"):
        _damaged_copy(face, tmp_path, face.gid("網"), b"\x8b\x8b\x15", fix_checksum=False)


def test_a_chain_skips_a_damaged_glyph(catalog, tmp_path):
    """The damaged face's 網 is never handed out: the next face of the chain serves it, and the
    chain records the skip; a chain with no other face reports it missing."""
    face = catalog.chain("body").primary
    damaged = _damaged_copy(face, tmp_path, face.gid("網"), b"\x8b\x8b\x15")
    fallback = catalog.chain("bold").primary
    chain = FontChain("body", [damaged, fallback])
    assert chain.resolve("網") == (fallback, fallback.gid("網"))
    assert chain.resolve("新") == (damaged, damaged.gid("新"))
    assert chain.damaged == {"網": [damaged.key]}
    assert FontChain("body", [damaged]).resolve("網") is None


# ---------------------------------------------------------------- TrueType


def _tt_damaged(tmp_path, ch: str, cut: int):
    """The test font TF with the glyf data of `ch` cut short by `cut` bytes in place (the rest of the
    glyph's bytes become zeros past its coordinate arrays), checksums fixed again."""
    from .make_test_font import build_test_font

    path = build_test_font(tmp_path / "TF.ttf")
    face = Face(FaceSpec(path))
    src = face.outlines
    gid = face.gid(ch)
    data = bytearray(path.read_bytes())
    off, _length = face.tables.tables["glyf"]
    start, end = off + src.loca[gid], off + src.loca[gid + 1]
    # claim more points than the glyph has coordinates for: the last contour end grows by `cut`
    (n_contours,) = struct.unpack_from(">h", data, start)
    last = start + 10 + 2 * (n_contours - 1)
    struct.pack_into(">H", data, last, struct.unpack_from(">H", data, last)[0] + cut)
    assert end > last
    _fix_checksum(data, b"glyf")
    out = tmp_path / "TF-damaged.ttf"
    out.write_bytes(bytes(data))
    return Face(FaceSpec(out)), gid


def test_truetype_damaged_glyph_is_found_and_kept_out(tmp_path):
    face, gid = _tt_damaged(tmp_path, "A", 40)
    src = face.outlines
    assert "past" in src.glyph_problem(gid)
    sound = face.gid("新")
    assert sound != gid and src.glyph_problem(sound) is None
    _program, left = face.subset_checked({gid, sound})
    assert set(left) == {gid}
    chain = FontChain("body", [face])
    assert chain.resolve("A") is None and chain.resolve("新") == (face, sound)


def test_truetype_subset_is_checked(tmp_path):
    from .make_test_font import build_test_font

    face = Face(FaceSpec(build_test_font(tmp_path / "TF.ttf")))
    gids = {face.gid(ch) for ch in "新華社A。"}
    program, left = face.subset_checked(gids)
    assert left == {}
    assert face.outlines.check_subset(program[: len(program) // 2], gids).keys() == gids
