"""The command line: `layout fonts` lists faces and missing characters; `layout check` exits 0."""

import subprocess
import sys

from tests.e2e.conftest import MINI, ROOT


def _run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True, text=True, cwd=cwd)


def test_fonts_lists_the_faces_and_finds_nothing_missing():
    r = _run("fonts", str(MINI))
    assert r.returncode == 0, r.stderr
    assert "NotoSerifCJKsc-Regular" in r.stdout and "no missing characters" in r.stdout


def test_fonts_names_a_character_no_face_has(tmp_path):
    ed = tmp_path / "ed.yaml"
    ed.write_text(MINI.read_text("utf-8").replace("全市今日氣溫", "全市今日氣溫\U0002A6A5", 1), "utf-8")
    r = _run("fonts", str(ed))
    assert r.returncode == 0, r.stderr
    assert "U+2A6A5" in r.stdout


def test_check_accepts_a_valid_edition():
    r = _run("check", str(MINI))
    assert r.returncode == 0, r.stderr
    assert "12 pages" in r.stdout


def test_report_lists_a_missing_character_with_its_story_and_paragraph(tmp_path):
    from layout.build import build

    ed = tmp_path / "ed.yaml"
    ed.write_text(MINI.read_text("utf-8").replace("全市今日氣溫", "全市今日'氣溫\U0002A6A5", 1), "utf-8")
    result = build(ed, tmp_path / "out", preflight=False)
    brief = next(s for s in result.report["stories"] if s["id"] == "brief")
    assert brief["missing_glyphs"] == [{"char": "\U0002A6A5", "code": "U+2A6A5", "paragraph": 0}]
    said = [d for d in result.diagnostics if d.code == "FONT-MISSING-GLYPH"]
    assert len(said) == 1 and said[0].story == "brief" and said[0].paragraph == 0
