"""`layout check` gives the verdict `layout build` gives: it runs the pages' preflight too (from the
page descriptions, as the build does), so an error only preflight finds (a delivered PDF ad over
the ink limit) fails both. Before, check did not preflight at all: it exited 0 where build exited
1, and `check --strict` passed where `build --strict` failed on a preflight warning."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.robust.test_bad_inputs import PHOTO_ITEM, run, write_base


@pytest.fixture(scope="module")
def inked(tmp_path_factory) -> Path:
    """The base edition with, in place of its photo, a PDF ad of its module's size whose ink is
    400 % (an advertiser's file): nothing but preflight finds anything wrong with it."""
    import tests.print.make_bad_ads as bad
    from layout.units import mm

    root = tmp_path_factory.mktemp("inked")
    old = bad.AD_W, bad.AD_H
    bad.AD_W, bad.AD_H = mm(85.7), mm(61.9)  # the module below, 2 columns × 13 lines
    try:
        corpus = bad.make_corpus(root / "corpus")
    finally:
        bad.AD_W, bad.AD_H = old
    ed = write_base(root / "ed")
    shutil.copy(corpus["ink_400"], ed.parent / "ink.pdf")
    text = ed.read_text("utf-8").replace("ads:\n", "ads:\n  bank:\n    kind: pdf\n    file: ink.pdf\n", 1)
    text = text.replace(PHOTO_ITEM, "      - ad: bank\n        at: {col: 5, line: 1, cols: 2, lines: 13}\n", 1)
    ed.write_text(text, "utf-8")
    return ed


def _counts(stdout: str) -> tuple[int, int]:
    """(preflight findings, of them errors) from check's or build's summary line."""
    m = re.search(r"(\d+) preflight findings \((\d+) errors\)", stdout)
    assert m, stdout
    return int(m[1]), int(m[2])


def test_check_fails_where_build_fails_on_a_preflight_error(inked, tmp_path):
    built = run("build", str(inked), "-o", str(tmp_path / "out"), "--no-proofs")
    checked = run("check", str(inked))
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert [f["code"] for f in report["preflight"] if f["severity"] == "error"] == ["INK-OVER-LIMIT"]
    assert report["summary"]["errors"] == 0  # the only error is preflight's
    assert built.returncode == 1, built.stderr
    assert checked.returncode == built.returncode, checked.stderr
    assert _counts(checked.stdout) == _counts(built.stdout)
    assert "A02.pdf: preflight error INK-OVER-LIMIT:" in checked.stderr, checked.stderr
    strict = run("check", str(inked), "--strict")
    assert strict.returncode == run("build", str(inked), "-o", str(tmp_path / "s"), "--no-proofs",
                                    "--strict").returncode == 1


def test_check_without_preflight_says_so_and_skips_it(inked):
    r = run("check", str(inked), "--no-preflight")
    assert r.returncode == 0, r.stderr  # as `build --no-preflight` would
    assert "preflight" not in r.stdout + r.stderr
