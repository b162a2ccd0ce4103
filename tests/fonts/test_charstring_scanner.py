"""The subroutine closure on hand-written charstrings that exercise the awkward cases: a subroutine
number left on the stack by the caller, hint masks whose length depends on stems declared in
subroutines (or implied by operands before the mask), nested global/local calls, endchar in a
subroutine. A missed subroutine becomes `return` in the subset and changes the outline, so
comparing outlines before and after subsetting catches any mistake."""

from __future__ import annotations

import io

from fontTools.cffLib import GlobalSubrsIndex, SubrsIndex
from fontTools.fontBuilder import FontBuilder
from fontTools.misc.psCharStrings import T2CharString
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from layout.fonts.cff import CffSource
from layout.fonts.face import Face, FaceSpec

B = 107  # subroutine bias for fewer than 1240 subroutines


def _cs(program, private=None, gsubrs=None):
    return T2CharString(program=program, private=private, globalSubrs=gsubrs)


def _build(path):
    names = [".notdef", "a", "b", "c", "d", "e"]
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(n): n for n in names[1:]})
    box = [100, 0, "rmoveto", 0, 500, "rlineto", 300, 0, "rlineto", 0, -500, "rlineto"]
    fb.setupCFF("ScanTest", {"FullName": "ScanTest"}, {n: _cs([500] + box + ["endchar"]) for n in names}, {})
    cff = fb.font["CFF "].cff
    top = cff.topDictIndex[0]
    private = top.Private
    gsubrs = GlobalSubrsIndex()
    lsubrs = SubrsIndex()
    # local subrs 0..5 (numbers -107..-102), global subrs 0..2
    local_progs = [
        [50, 60, "rlineto", "return"],  # L0: a plain line
        [10, 20, 30, 40, "hstemhm", "return"],  # L1: two stems for a later hint mask
        ["callsubr", "return"],  # L2: calls the local subr whose number the caller pushed
        [-30, 0, "rlineto", "endchar"],  # L3: ends the glyph inside a subroutine
        [5, 5, "rlineto", "return"],  # L4: only reachable through the caller's operand in L2
        [7, 7, "rlineto", "return"],  # L5: never used
    ]
    for prog in local_progs:
        lsubrs.append(_cs(prog, private, gsubrs))
    global_progs = [
        [0 - B, "callsubr", "return"],  # G0: global -> local L0 (local subrs of the glyph's Private)
        [2 - B, "callgsubr", "return"],  # G1: global -> global G2
        [9, 9, "rlineto", "return"],  # G2: plain
    ]
    for prog in global_progs:
        gsubrs.append(_cs(prog, private, gsubrs))
    private.Subrs = lsubrs
    cff.GlobalSubrs = gsubrs
    top.GlobalSubrs = gsubrs
    glyphs = {
        # a: global calls, nested
        "a": [500, 100, 0, "rmoveto", 0 - B, "callgsubr", 1 - B, "callgsubr", "endchar"],
        # b: stems come from a subroutine, then a hint mask of one byte, then a line
        "b": [500, 1 - B, "callsubr", "hintmask", bytes([0b11000000]), 100, 0, "rmoveto", 0 - B, "callsubr", "endchar"],
        # c: the caller pushes the number of L4, then calls L2 which calls it
        "c": [500, 100, 0, "rmoveto", 4 - B, 2 - B, "callsubr", 3 - B, "callsubr"],
        # d: 9 hstems, one implicit vstem before the hint mask (10 stems -> 2 mask bytes), endchar in L3
        "d": [500, 0, 10, 20, 10, 40, 10, 60, 10, 80, 10, 100, 10, 120, 10, 140, 10, 160, 10, "hstem",
              0, 5, "hintmask", bytes([0x1D, 0x0A]),  # mask bytes that look like call operators
              100, 0, "rmoveto", 3 - B, "callsubr"],
        "e": [500, 100, 0, "rmoveto", 2 - B, "callgsubr", "endchar"],
    }
    order = top.charset
    for name, prog in glyphs.items():
        cs = _cs(prog, private, gsubrs)
        top.CharStrings[name] = cs
    assert order == names
    fb.setupHorizontalMetrics({n: (500, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "ScanTest", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))


def _outline(font: TTFont, name: str):
    pen = RecordingPen()
    font.getGlyphSet()[name].draw(pen)
    return pen.value


def test_closures_and_outlines(tmp_path):
    path = tmp_path / "scan.otf"
    _build(path)
    face = Face(FaceSpec(path))
    src = face.outlines
    gid = {n: face.gid(n) for n in "abcde"}
    assert src.closure(gid["a"]) == {(-1, 0), (-1, 1), (-1, 2), (0, 0)}
    assert src.closure(gid["b"]) == {(0, 1), (0, 0)}
    assert src.closure(gid["c"]) == {(0, 2), (0, 4), (0, 3)}
    assert src.closure(gid["d"]) == {(0, 3)}
    assert src.closure(gid["e"]) == {(-1, 2)}
    assert not src.keep_all_subrs

    original = TTFont(str(path))
    for name in "abcde":
        program = face.subset_program({gid[name]})
        sub = CffSource.parse(program)
        # everything outside the closure is a bare `return`
        used_local = {i for k, i in src.closure(gid[name]) if k == 0}
        for i in range(sub.fds[0].subrs.count if sub.fds[0].subrs else 0):
            assert (sub.fds[0].subrs[i] == b"\x0b") == (i not in used_local)
        from fontTools.cffLib import CFFFontSet

        cff = CFFFontSet()
        cff.decompile(io.BytesIO(program), None)
        top = cff[cff.fontNames[0]]
        ours = RecordingPen()
        top.CharStrings[f"cid{gid[name]:05d}"].draw(ours)
        assert ours.value == _outline(original, name), name
