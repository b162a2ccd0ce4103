"""`layout proof OUT`: a summary a person reads (pages, where the files are, what the build found),
and the exit codes of the other commands: 0 done, 1 done with problems, 2 not a build to proof."""

from __future__ import annotations

import json
from pathlib import Path

from proof_fakebuild import PAGE_IDS, make_fake_build

from layout.cli import main


def test_proof_prints_a_summary_not_the_result_object(tmp_path: Path, capsys) -> None:
    make_fake_build(tmp_path)
    assert main(["proof", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "ProofResult" not in out and "PosixPath" not in out
    assert f"proofs of {len(PAGE_IDS)} pages in {tmp_path / 'proofs'}" in out
    assert f"open {tmp_path / 'proofs' / 'proof.html'}" in out
    assert f"contact sheet {tmp_path / 'proofs' / 'contact.png'}" in out
    assert "the build they show:" in out and err == ""


def test_a_page_pdf_missing_is_an_error_and_exit_1(tmp_path: Path, capsys) -> None:
    make_fake_build(tmp_path)
    (tmp_path / "A06.pdf").unlink()
    assert main(["proof", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert "1 placeholder" in out
    assert "error: page A06: A06.pdf is missing" in err and "exit status 1: 1 error" in err


def test_the_builds_findings_are_counted(tmp_path: Path, capsys) -> None:
    make_fake_build(tmp_path)
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    report["diagnostics"] = [{"code": "STORY-OVERSET", "severity": "error", "message": "m"},
                             {"code": "X", "severity": "warning", "message": "m"}]
    report["preflight"] = [{"file": "A02.pdf", "page": "A02", "code": "P", "severity": "error", "message": "m"}]
    (tmp_path / "report.json").write_text(json.dumps(report), "utf-8")
    assert main(["proof", str(tmp_path)]) == 0  # the proofs were made: the build's errors are its own
    out, _ = capsys.readouterr()
    assert "the build they show: 2 errors, 1 warning, overset: harbour-plan (marked" in out


def test_a_damaged_report_is_invalid_input_exit_2(tmp_path: Path, capsys) -> None:
    make_fake_build(tmp_path)
    for text in ('{"pages": [', "[1]"):
        (tmp_path / "report.json").write_text(text, "utf-8")
        assert main(["proof", str(tmp_path)]) == 2
        out, err = capsys.readouterr()
        assert f"error: {tmp_path / 'report.json'}: not a build's report" in err and "hint:" in err
        assert "internal error" not in out + err
