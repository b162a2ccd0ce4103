"""The preflight on a corpus of deliberately bad ads (tests/print/make_bad_ads.py): each fault
is found with the right code, nothing else is an error, and the clean ad passes."""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
from pathlib import Path

import pytest

from layout.diagnostics import Severity
from layout.preflight import preflight_pdf
from layout.preflight.cli import run
from layout.printprofile import load_profile

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript missing")
SCRIPT = Path(__file__).resolve().parents[1] / "print" / "make_bad_ads.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("make_bad_ads", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


BAD_ADS = _load_script()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return BAD_ADS.make_corpus(tmp_path_factory.mktemp("ads"))


@pytest.fixture(scope="module")
def results(corpus):
    profile = load_profile("newsprint")
    return {name: preflight_pdf(path, profile) for name, path in corpus.items()}


@pytest.mark.parametrize("name", sorted(BAD_ADS.EXPECTED))
def test_each_ad_gets_exactly_its_errors(results, name):
    errors = {f.code for f in results[name] if f.severity is Severity.ERROR}
    assert errors == BAD_ADS.EXPECTED[name], [f.format() for f in results[name]]


def test_clean_ad_has_no_warnings_either(results):
    assert results["clean"] == []


def test_ink_finding_points_at_the_400_percent_box(results):
    (f,) = [f for f in results["ink_400"] if f.code == "INK-OVER-LIMIT"]
    assert "400 %" in f.message
    # The box was drawn at (5, 20) mm, 30 × 20 mm, on a page with no bleed or slug.
    x0, y0, x1, y1 = f.bbox
    mm = 72 / 25.4
    assert x0 == pytest.approx(5 * mm, abs=2) and x1 == pytest.approx(35 * mm, abs=2)
    assert y0 == pytest.approx(20 * mm, abs=2) and y1 == pytest.approx(40 * mm, abs=2)
    assert f.page == 1


def test_low_ppi_finding_gives_the_resolution(results):
    (f,) = [f for f in results["low_ppi"] if f.code == "IMAGE-LOW-PPI"]
    assert "72 ppi" in f.message and f.bbox is not None


def test_rich_black_finding_names_the_colour(results):
    (f,) = [f for f in results["rich_black_text"] if f.code == "TEXT-RICH-BLACK"]
    assert "8.0 pt" in f.message and "C30 M20 Y20 K100" in f.message


def test_commercial_profile_wants_bleed(corpus):
    findings = preflight_pdf(corpus["clean"], load_profile("commercial"))
    codes = {f.code for f in findings if f.is_error}
    assert "BOX-BLEED-SMALL" in codes


def test_cli_exit_codes_and_json(corpus):
    out = io.StringIO()
    assert run([corpus["clean"]], "newsprint", as_json=False, out=out) == 0
    assert "ok" in out.getvalue()
    out = io.StringIO()
    assert run([corpus["clean"], corpus["ink_400"]], "newsprint", as_json=True, out=out) == 1
    report = json.loads(out.getvalue())
    assert [r["ok"] for r in report] == [True, False]
    assert report[1]["findings"][0]["code"] == "INK-OVER-LIMIT"
    assert report[1]["findings"][0]["page"] == 1


def test_cli_text_report_lists_findings(corpus):
    out = io.StringIO()
    assert run([corpus["unembedded_font"]], "newsprint", as_json=False, out=out) == 1
    text = out.getvalue()
    assert "FAIL" in text and "FONT-NOT-EMBEDDED" in text and "Helvetica" in text


def test_cli_unknown_profile_is_exit_2(corpus, capsys):
    assert run([corpus["clean"]], "newsprnt", as_json=False) == 2
    assert "newsprint" in capsys.readouterr().err  # the did-you-mean


def test_unreadable_and_encrypted_files(tmp_path, corpus):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    assert [f.code for f in preflight_pdf(junk, load_profile("newsprint"))] == ["PDF-UNREADABLE"]
    import pikepdf

    enc = tmp_path / "enc.pdf"
    with pikepdf.open(corpus["clean"]) as pdf:
        pdf.save(enc, encryption=pikepdf.Encryption(owner="o", user="u"))
    assert [f.code for f in preflight_pdf(enc, load_profile("newsprint"))] == ["PDF-ENCRYPTED"]


def test_preflight_many_matches_one_by_one(corpus, results):
    from layout.preflight import preflight_many

    names = ["ink_400", "clean", "low_ppi", "rgb_text"]
    many = preflight_many([corpus[n] for n in names], load_profile("newsprint"))
    assert list(many) == [corpus[n] for n in names]
    for n in names:
        assert many[corpus[n]] == results[n]


BLIND_SPOTS = ["two_ink_12pt", "reversed_serif_8pt", "k_text_on_50_tint", "black_knockout", "overprint_opm0",
               "text_4pt", "rule_0_1pt_two_inks"]


def test_layout_preflight_flags_each_blind_spot(corpus):
    """`layout preflight` (the command, as the print shop runs it on delivered files) fails each
    of the blind-spot PDFs with its own codes, as errors."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    files = [str(corpus[n]) for n in BLIND_SPOTS]
    r = subprocess.run([sys.executable, "-m", "layout", "preflight", "--json", *files], capture_output=True,
                       text=True, timeout=600, cwd=root, env={**__import__("os").environ, "PYTHONPATH": str(root)})
    assert r.returncode == 1, r.stderr
    report = json.loads(r.stdout)
    assert [x["ok"] for x in report] == [False] * len(BLIND_SPOTS)
    for name, entry in zip(BLIND_SPOTS, report, strict=True):
        errors = {f["code"] for f in entry["findings"] if f["severity"] == "error"}
        assert errors == BAD_ADS.EXPECTED[name], (name, entry["findings"])
