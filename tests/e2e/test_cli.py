"""The command line: `layout fonts` lists faces and missing characters; `layout check` exits 0 on a
valid edition and 1 when its layout has errors; a bug is one line, not a traceback."""

import subprocess
import sys

import pytest

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
    # not printed: an error, as the build counts it (it exited 0 here), at its file:line:column
    assert r.returncode == 1 and "exit status 1: 1 error" in r.stderr, r.stderr
    line = next(n for n, t in enumerate(ed.read_text("utf-8").splitlines(), 1) if "\U0002A6A5" in t)
    assert f"{ed}:{line}:" in r.stdout and "U+2A6A5" in r.stdout


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


def test_check_exits_1_when_the_layout_has_errors(tmp_path):
    """Errors found after loading (here a character no face has) are errors: exit 1, not 0."""
    ed = tmp_path / "ed.yaml"
    ed.write_text(MINI.read_text("utf-8").replace("全市今日氣溫", "全市今日氣溫\U0002A6A5", 1), "utf-8")
    r = _run("check", str(ed))
    assert r.returncode == 1, r.stderr
    assert "1 errors" in r.stdout and "exit status 1: 1 error" in r.stderr


def test_a_bug_met_by_some_input_is_one_line_and_exit_2(monkeypatch, capsys):
    import layout.build
    from layout.cli import main

    def broken(*a, **kw):
        raise IndexError("list index out of range")

    monkeypatch.setattr(layout.build, "prepare", broken)
    monkeypatch.delenv("LAYOUT_TRACEBACK", raising=False)
    assert main(["check", str(MINI)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("internal error: IndexError: list index out of range\n") and "Traceback" not in err
    monkeypatch.setenv("LAYOUT_TRACEBACK", "1")  # for reporting the bug: the exception goes through
    with pytest.raises(IndexError):
        main(["check", str(MINI)])


def test_timings_give_every_stage_and_the_whole_process(tmp_path):
    import re

    r = _run("build", str(MINI), "-o", str(tmp_path / "out"), "--no-proofs", "--timings")
    assert r.returncode in (0, 1), r.stderr
    stages = dict(re.findall(r"^  (\S+)\s+(\d+\.\d+) s$", r.stderr.split("timings:")[1], re.M))
    for name in ("load", "compose_paginate", "pdf", "preflight", "total", "process"):
        assert name in stages, r.stderr
    # the stages of the build fit in the build's total, and the total in the process
    assert float(stages["load"]) + float(stages["pdf"]) <= float(stages["total"]) <= float(stages["process"])


def test_an_overset_story_counts_as_one_error_whether_said_or_not():
    """The exit line once said "4 errors" for two AUTOLAYOUT-OVERSET errors: each overset story was
    counted again beside its own diagnostic. A story overset with no overset diagnostic (a pinned
    story) still counts, once; another error of the same story does not hide its overset."""
    from types import SimpleNamespace

    from layout.cli import _unsaid_overset
    from layout.diagnostics import Diagnostic, Severity

    def story(chars):
        return SimpleNamespace(result=SimpleNamespace(overset_chars=chars, overset_lines=chars // 12))

    layout = SimpleNamespace(stories={"a": story(846), "b": story(120), "c": story(0), "d": story(30)})
    diags = [Diagnostic("AUTOLAYOUT-OVERSET", Severity.ERROR, "story a is over", story="a"),
             Diagnostic("FONT-MISSING-GLYPH", Severity.ERROR, "a character no face has", story="d"),
             Diagnostic("AUTOLAYOUT-UNDERSET", Severity.WARNING, "story c is short", story="c")]
    assert _unsaid_overset(layout, diags) == 2  # b (pinned, nothing said) and d (its error is another)


def test_no_error_is_left_out_of_the_printed_diagnostics():
    """`layout check` once ended "… and 14 more (see report.json)" — check writes no report.json —
    with the one error of the edition among the lines left out."""
    from layout.cli import _diagnostic_lines
    from layout.diagnostics import Diagnostic, Severity

    diags = [Diagnostic("AUTOLAYOUT-UNDERSET", Severity.WARNING, f"story s{k} is short") for k in range(60)]
    diags.insert(55, Diagnostic("AD-OVERFLOW", Severity.ERROR, "the ad 'crowded' does not fit"))
    lines = _diagnostic_lines(diags, 50, rest="layout check --all prints them")
    assert any("AD-OVERFLOW" in ln for ln in lines)
    assert sum("AUTOLAYOUT-UNDERSET" in ln for ln in lines) == 50
    assert lines[-1] == "… and 10 more warnings (layout check --all prints them)"
    assert len(_diagnostic_lines(diags, sys.maxsize)) == 61


def test_input_errors_are_counted_apart_from_warnings(tmp_path):
    """One error and two warnings were "3 input errors: nothing was written"."""
    ed = tmp_path / "ed.yaml"
    text = MINI.read_text("utf-8")
    # an unplaced story (a warning) and a typo in a story id on a page (the error)
    ed.write_text(text.replace("- story: brief", "- story: breif", 1), "utf-8")
    for name in ("photos", "text", "assets"):
        src = MINI.parent / name
        if src.exists():
            (tmp_path / name).symlink_to(src)
    r = _run("check", str(ed))
    assert r.returncode == 2, r.stderr
    errors = sum(": error " in ln for ln in r.stderr.splitlines())
    warnings = sum(": warning " in ln for ln in r.stderr.splitlines())
    assert errors >= 1
    tail = r.stderr.strip().splitlines()[-1]
    assert tail.startswith(f"{errors} input error")
    assert (f"and {warnings} warning" in tail) == bool(warnings)


def test_check_reports_a_photo_too_small_for_its_place_as_build_does(tmp_path):
    """`layout check` lays out without preparing photos; it must still find the IMAGE-LOW-PPI
    error that makes `layout build` exit 1 (a tester's edition checked clean and then built
    with an error: a 40-pixel photo across four columns), at the same page."""
    from PIL import Image

    from layout.build import build

    Image.new("RGB", (60, 40), (120, 140, 160)).save(tmp_path / "small.jpg")
    ed = tmp_path / "ed.yaml"
    text = MINI.read_text("utf-8")
    photo = ("      - photo: {file: small.jpg, caption: 一張很小的圖片。}\n"
             "        at: {col: 5, line: 1, cols: 4, lines: 30}\n")
    anchor = "        at: {col: 1, line: 1, cols: 4, lines: 105}\n  - page: A03\n"
    assert anchor in text
    ed.write_text(text.replace(anchor, anchor.replace("  - page: A03\n", "") + photo + "  - page: A03\n", 1), "utf-8")
    built = [d for d in build(ed, tmp_path / "out", preflight=False).diagnostics if d.code == "IMAGE-LOW-PPI"]
    assert [(d.page, d.story) for d in built] == [("A02", None)]
    r = _run("check", str(ed))
    assert r.returncode == 1, r.stderr
    assert "A02" in r.stderr and "IMAGE-LOW-PPI" in r.stderr and "story :" not in r.stderr


def test_check_counts_an_overset_table_as_build_does(tmp_path):
    """A table with rows left over is in the overset count of `layout check`'s summary, with its
    line, as in `layout build`'s (check said "0 overset" where build said "1 overset")."""
    ed = tmp_path / "ed.yaml"
    text = MINI.read_text("utf-8")
    rows = "".join(f"      - [隊{i}, {i}, {400 - i}]\n" for i in range(300))
    table = "      - table: scores\n        at: {col: 5, line: 1, cols: 2, lines: 10}\n"
    anchor = "        at: {col: 1, line: 1, cols: 4, lines: 105}\n  - page: A03\n"
    text = text.replace(anchor, anchor.replace("  - page: A03\n", "") + table + "  - page: A03\n", 1)
    ed.write_text(text + f"tables:\n  scores:\n    title: 積分榜\n    header: [球隊, 場次, 積分]\n    rows:\n{rows}", "utf-8")
    r = _run("check", str(ed))
    assert r.returncode == 1, r.stderr
    assert "TABLE-OVERSET" in r.stderr and "overset table scores:" in r.stderr
    assert ", 1 overset," in r.stdout


def test_check_warns_of_small_colour_text_set_in_black_as_build_does(tmp_path):
    """TEXT-COLOUR-TO-BLACK is found as the pages are written; `layout check --strict` must fail
    on it as `layout build --strict` does (a red 11 pt slogan checked clean under --strict)."""
    from layout.build import build

    ed = tmp_path / "ed.yaml"
    ed.write_text(MINI.read_text("utf-8").replace("    slogan: 一報在手 知曉天下", "    slogan: 一報在手 知曉天下\n    colour: red"),
                  "utf-8")
    built = [d for d in build(ed, tmp_path / "out", preflight=False).diagnostics if d.code == "TEXT-COLOUR-TO-BLACK"]
    assert built
    r = _run("check", str(ed), "--strict")
    assert r.returncode == 1 and r.stderr.count("TEXT-COLOUR-TO-BLACK") == len(built), r.stderr


def test_an_empty_output_folder_name_is_refused(tmp_path):
    """`-o "$OUT"` with OUT unset gives -o an empty name: refused (exit 2, nothing written), not
    taken as the default out/<edition> folder the script never asked for."""
    ed = tmp_path / "ed.yaml"
    ed.write_text(MINI.read_text("utf-8"), "utf-8")
    r = _run("build", str(ed), "-o", "", cwd=tmp_path)
    assert r.returncode == 2 and "OUTPUT-FOLDER" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_fonts_names_characters_of_every_text_not_only_body_and_headlines(tmp_path):
    """`layout fonts` read only body paragraphs and headlines: a character no face has in a box
    ad's line (or a caption, deck, teaser, table) was "no missing characters" there and a
    FONT-MISSING-GLYPH error in the build."""
    ed = tmp_path / "ed.yaml"
    text = MINI.read_text("utf-8").replace("零售價：2元", "零售價：2元\U0001F9B7", 1)
    assert "\U0001F9B7" in text
    ed.write_text(text, "utf-8")
    r = _run("fonts", str(ed))
    assert r.returncode == 1, r.stderr
    assert "U+1F9B7" in r.stdout and "no missing characters" not in r.stdout


def test_a_preflight_error_of_the_build_is_printed_with_its_page():
    """qapages' 8-page edition ended 'built … 7 preflight findings (1 errors)' and 'exit status 1:
    1 error' with no line saying which page or what (a colour PDF ad booked on a mono page)."""
    from layout.cli import _preflight_lines

    findings = [{"file": "B02.pdf", "page": "B02", "code": "COLOR-ON-MONO-PAGE", "severity": "error",
                 "message": "a mono (K only) page has Cyan, Magenta, Yellow ink", "bbox": [53.0, 56.7, 1052.0, 596.7]},
                {"file": "A01.pdf", "page": "A01", "code": "IMAGE-BELOW-TARGET-PPI", "severity": "warning",
                 "message": "167 ppi", "bbox": None}]
    assert _preflight_lines(findings) == [
        "B02.pdf, page B02: error COLOR-ON-MONO-PAGE: a mono (K only) page has Cyan, Magenta, Yellow ink "
        "[at 53, 57, 1052, 597 pt]"]
    # with report.json's pages, the item under the finding is named (the bbox is y up, the modules y down)
    pages = [{"id": "B02", "height": 1547.7, "trim_x": 0.0, "trim_y": 0.0,
              "modules": [{"kind": "story", "ref": "citrus-live", "x": 53.3, "y": 73.7, "w": 999.0, "h": 877.5},
                          {"kind": "ad", "ref": "bank", "x": 53.3, "y": 951.2, "w": 999.0, "h": 540.0}]}]
    (line,) = _preflight_lines(findings, pages)
    assert "Yellow ink (ad bank) [at" in line
