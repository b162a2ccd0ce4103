"""Delivered ads: a PDF ad goes on the page as vector artwork at its module's size; an ad whose size
does not match its module is an error naming the ad."""

import shutil
import subprocess

import pikepdf
import pytest

from layout.build import build, prepare
from tests.e2e.conftest import MINI, ROOT, need

AD = ROOT / "assets" / "ads" / "bank-half.pdf"  # 999 x 540 pt: 8 columns x 40 lines


def _edition(tmp_path, at: str):
    shutil.copyfile(AD, tmp_path / "bank.pdf")
    text = MINI.read_text("utf-8")
    old = "      - story: s02\n        at: {col: 1, line: 1, cols: 4, lines: 105}\n"
    assert old in text
    text = text.replace(old, f"      - ad: bank\n        at: {at}\n", 1)
    text = text.replace("  s02:\n", "  s02-unused:\n", 1).replace("teasers: [s02, ", "teasers: [")
    text += "  bank:\n    kind: pdf\n    file: bank.pdf\n"
    path = tmp_path / "ads.yaml"
    path.write_text(text, "utf-8")
    return path


def test_a_pdf_ad_is_placed_as_vector_artwork(tmp_path):
    ed = _edition(tmp_path, "{col: 1, line: 1, cols: 8, lines: 40}")
    out = tmp_path / "out"
    result = build(ed, out, preflight=False)
    assert not [d for d in result.diagnostics if d.code == "AD-SIZE-MISMATCH"]
    with pikepdf.open(out / "A02.pdf") as pdf:
        xobjects = pdf.pages[0].Resources.get("/XObject", {})
        forms = [x for x in xobjects.values() if x.get("/Subtype") == "/Form"]
        images = [x for x in xobjects.values() if x.get("/Subtype") == "/Image"]
    assert forms, "the ad's page is drawn as a form XObject"
    assert not images, "nothing was rasterised"
    pdfimages = need("pdfimages")
    listing = subprocess.run([pdfimages, "-list", str(out / "A02.pdf")], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert listing == []


@pytest.mark.parametrize("at", ["{col: 1, line: 1, cols: 4, lines: 40}", "{col: 1, line: 1, cols: 8, lines: 30}"])
def test_an_ad_of_the_wrong_size_is_an_error(tmp_path, at):
    prep = prepare(_edition(tmp_path, at))
    errors = [d for d in prep.ctx.diagnostics if d.code == "AD-SIZE-MISMATCH"]
    assert len(errors) == 1
    assert "'bank'" in errors[0].message and errors[0].page == "A02"
    assert errors[0].location.line is not None


def test_a_page_with_a_pdf_ad_builds_to_the_same_bytes_twice(tmp_path):
    ed = _edition(tmp_path, "{col: 1, line: 1, cols: 8, lines: 40}")
    a = build(ed, tmp_path / "a", preflight=False)
    b = build(ed, tmp_path / "b", preflight=False)
    assert (a.outdir / "A02.pdf").read_bytes() == (b.outdir / "A02.pdf").read_bytes()
    assert (a.outdir / "edition.pdf").read_bytes() == (b.outdir / "edition.pdf").read_bytes()
