"""Bad font files named by an edition end as FONT-FILE input errors (exit 2) at the line that names
them, never as a traceback or a silent blank: truncated, damaged (64 KB of garbage in the CFF
table), a directory, not a font, or missing (named in the edition's folder, not the shipped one).
A font whose checksums were made to match its damage still never prints a damaged glyph."""

from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from layout.build import build
from layout.diagnostics import InputError
from layout.fonts.catalog import FONTS_DIR, FontCatalog
from layout.fonts.report import font_report

from .test_embedded_subsets import _draw_cff, _embedded

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"
SERIF = FONTS_DIR / "NotoSerifCJKsc-Regular.otf"


def _edition(tmp_path: Path, font_file: str, extra_text: str = "") -> Path:
    """The mini edition in tmp_path with `fonts: {body: [{file: font_file}]}` on its first line."""
    text = MINI.read_text("utf-8")
    if extra_text:
        text = text.replace("全市今日氣溫5至12℃，陰有小雨。", "全市今日氣溫5至12℃，陰有小雨。" + extra_text)
    path = tmp_path / "e.yaml"
    path.write_text(f"fonts: {{body: [{{file: {font_file}}}]}}\n" + text, "utf-8")
    return path


def _cff_table(data: bytes) -> tuple[int, int, int]:
    """(directory entry position, offset, length) of the CFF table."""
    (num,) = struct.unpack_from(">H", data, 4)
    for i in range(num):
        tag, _c, off, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"CFF ":
            return 12 + 16 * i, off, length
    raise AssertionError("no CFF table")


def _garbage_font(path: Path, fix_checksum: bool) -> None:
    """The shipped serif with 64 KB of random bytes over the charstrings of 網 and 絡 and their
    neighbours (the middle of its CFF table)."""
    from layout.fonts.face import Face, FaceSpec

    face = Face(FaceSpec(SERIF))
    cs = face.outlines.charstrings
    data = bytearray(SERIF.read_bytes())
    entry, off, length = _cff_table(data)
    start = off + cs.data_at + cs._offset(face.gid("網")) - 30000
    rnd = random.Random(17)
    data[start : start + 65536] = bytes(rnd.randrange(256) for _ in range(65536))
    if fix_checksum:
        block = bytes(data[off : off + length]) + b"\0" * (-length % 4)
        struct.pack_into(">I", data, entry + 4, sum(struct.unpack(f">{len(block) // 4}I", block)) & 0xFFFFFFFF)
    path.write_bytes(bytes(data))


def _font_error(edition: Path, tmp_path: Path):
    with pytest.raises(InputError) as info:
        build(edition, tmp_path / "out", preflight=False)
    (diag,) = info.value.diagnostics
    assert diag.code == "FONT-FILE"
    assert diag.location.line == 1 and diag.location.column > 1  # where the edition names the file
    return diag


def test_truncated_font(tmp_path):
    (tmp_path / "cut.otf").write_bytes(SERIF.read_bytes()[:300_000])
    diag = _font_error(_edition(tmp_path, "cut.otf"), tmp_path)
    assert "truncated" in diag.message and "cut.otf" in diag.message
    assert "copy it again" in diag.hint


@pytest.mark.parametrize("size", [0, 11, 20, 200])
def test_font_cut_inside_its_header(tmp_path, size):
    (tmp_path / "cut.otf").write_bytes(SERIF.read_bytes()[:size])
    diag = _font_error(_edition(tmp_path, "cut.otf"), tmp_path)
    assert "cut.otf" in diag.message
    assert any(w in diag.message for w in ("truncated", "too short", "not an OpenType"))


def test_garbage_in_the_cff_table_is_caught_by_its_checksum(tmp_path):
    _garbage_font(tmp_path / "garbage.otf", fix_checksum=False)
    diag = _font_error(_edition(tmp_path, "garbage.otf", "網絡"), tmp_path)
    assert "damaged" in diag.message and "checksum" in diag.message


def test_garbage_with_a_matching_checksum_never_prints_a_damaged_glyph(tmp_path):
    """A tool wrote the damage and fixed the checksum: the glyphs that no longer decode are not
    embedded but reported (the role has no other face, so as missing glyphs, with the reason)."""
    _garbage_font(tmp_path / "garbage.otf", fix_checksum=True)
    result = build(_edition(tmp_path, "garbage.otf", "網絡"), tmp_path / "out", preflight=False)
    missing = [d for d in result.diagnostics if d.code == "FONT-MISSING-GLYPH"]
    (damaged,) = [d for d in result.diagnostics if d.code == "FONT-GLYPH-DAMAGED"]
    assert damaged.location.line == 1 and damaged.location.column > 1  # the fonts: entry naming it
    from layout.fonts.face import Face, FaceSpec

    face = Face(FaceSpec(tmp_path / "garbage.otf"))
    broken = {ch for ch in "網絡" if face.glyph_problem(face.gid(ch))}
    assert broken, "the garbage should break 網 or 絡"
    assert {ch for ch in "網絡" if any(repr(ch) in d.message for d in missing)} == broken
    assert all(ch in damaged.message for ch in broken) and "garbage.otf" in damaged.message
    # nothing damaged went into the files: fontTools draws every embedded charstring
    for pdf in sorted((tmp_path / "out").glob("*.pdf")):
        for _name, key, program in _embedded(pdf):
            if key == "/FontFile3":
                _draw_cff(program)
    # and the font report says why (FONT-GLYPH-DAMAGED, naming the characters)
    catalog = FontCatalog.from_config({"body": [{"file": str(tmp_path / "garbage.otf")}]})
    report = font_report(catalog, [("body", "brief", 0, "全市網絡")])
    (warning,) = [d for d in report.diagnostics if d.code == "FONT-GLYPH-DAMAGED"]
    assert all(ch in warning.message for ch in broken) and "garbage.otf" in warning.message
    assert all("damaged" in d.message for d in report.diagnostics if d.code == "FONT-MISSING-GLYPH")


def test_a_directory_is_not_a_font(tmp_path):
    (tmp_path / "fonts.otf").mkdir()
    diag = _font_error(_edition(tmp_path, "fonts.otf"), tmp_path)
    assert "is a directory" in diag.message and "not found" not in diag.message


def test_a_missing_font_is_named_in_the_editions_folder(tmp_path):
    diag = _font_error(_edition(tmp_path, "NoSuchFont.otf"), tmp_path)
    assert f"font file not found: {tmp_path.resolve() / 'NoSuchFont.otf'}" in diag.message
    assert str(FONTS_DIR) not in diag.message


def test_a_shipped_face_may_be_named_by_its_file_name(tmp_path):
    result = build(_edition(tmp_path, "NotoSerifCJKsc-Bold.otf"), tmp_path / "out", preflight=False)
    assert not [d for d in result.diagnostics if d.code.startswith("FONT-")]


def test_a_file_in_the_editions_folder_wins_over_a_shipped_one(tmp_path):
    # the edition's own file of the same name: it is the one used (here: truncated, so refused)
    (tmp_path / "NotoSerifCJKsc-Bold.otf").write_bytes(SERIF.read_bytes()[:1000])
    diag = _font_error(_edition(tmp_path, "NotoSerifCJKsc-Bold.otf"), tmp_path)
    assert str(tmp_path.resolve()) in diag.message


def test_not_a_font(tmp_path):
    shutil.copy(MINI, tmp_path / "notes.ttf")
    diag = _font_error(_edition(tmp_path, "notes.ttf"), tmp_path)
    assert "not an OpenType/TrueType font" in diag.message


def test_cli_exit_2_and_no_traceback(tmp_path):
    (tmp_path / "cut.otf").write_bytes(SERIF.read_bytes()[:300_000])
    edition = _edition(tmp_path, "cut.otf")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "layout", "build", str(edition), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "FONT-FILE" in proc.stderr + proc.stdout and "truncated" in proc.stderr + proc.stdout
    assert not (tmp_path / "out" / "A01.pdf").exists()


@pytest.mark.parametrize("value", ["'  '", "[a, b]", "{x: 1}", "true"])
def test_a_file_that_is_not_a_name(tmp_path, value):
    diag = _font_error_any_place(_edition(tmp_path, value), tmp_path)
    assert "'file' must be the font file's name or path" in diag.message


def _font_error_any_place(edition: Path, tmp_path: Path):
    with pytest.raises(InputError) as info:
        build(edition, tmp_path / "out", preflight=False)
    (diag,) = info.value.diagnostics
    assert diag.code == "FONT-FILE" and diag.location.line == 1
    return diag


@pytest.mark.parametrize("magic, says", [(b"wOF2", "web font"), (b"wOFF", "web font"), (b"%!PS-AdobeFont", "Type 1")])
def test_font_formats_that_are_not_opentype_are_named(tmp_path, magic, says):
    (tmp_path / "face.otf").write_bytes(magic + bytes(200))
    diag = _font_error(_edition(tmp_path, "face.otf"), tmp_path)
    assert says in diag.message and "not an OpenType/TrueType font" in diag.message


def test_a_font_without_a_unicode_cmap(tmp_path):
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "a"])
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.closePath()
    fb.setupCFF("NoCmap", {"FullName": "NoCmap"}, {".notdef": pen.getCharString(), "a": pen.getCharString()}, {})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "a": (500, 0)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "NoCmap", "styleName": "Regular"})
    fb.setupCharacterMap({})  # OS/2 needs one; an empty cmap maps nothing
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(tmp_path / "nocmap.otf"))
    diag = _font_error(_edition(tmp_path, "nocmap.otf"), tmp_path)
    assert "no Unicode character map" in diag.message
