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


def test_an_overfull_box_ad_is_reported_and_prints_only_inside_its_module(tmp_path):
    """Issue 17: a box ad with more lines than its box drew them below it and off the page, and the
    build said 0 errors. Now the lines that fit print inside the module, the rest are AD-OVERFLOW."""
    import json

    text = MINI.read_text("utf-8")
    old = "    lines: [全年定價：360元, 零售價：2元, 發行熱線：6000 0000]\n"
    assert old in text
    lines = "".join(f"      - 第{k}期訂閱熱線6000\n" for k in range(1, 61))
    path = tmp_path / "ed.yaml"
    path.write_text(text.replace(old, "    lines:\n" + lines, 1), "utf-8")
    out = tmp_path / "out"
    result = build(path, out, preflight=False)
    [d] = [d for d in result.diagnostics if d.code == "AD-OVERFLOW"]
    assert "'subscribe'" in d.message and "to the slogan" in d.message
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert any(x["code"] == "AD-OVERFLOW" for x in report["diagnostics"])
    pdftotext = need("pdftotext")
    whole = subprocess.run([pdftotext, str(out / "A01.pdf"), "-"], capture_output=True, text=True, check=True).stdout.replace(" ", "")
    module = next(m for m in result.layout.pages[0].frame.modules if m.kind == "ad")
    crop = subprocess.run([pdftotext, "-x", str(int(module.x)), "-y", str(int(module.y)), "-W", str(int(module.w) + 1),
                           "-H", str(int(module.h) + 1), "-r", "72", str(out / "A01.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout.replace(" ", "")
    printed = [k for k in range(1, 61) if f"第{k}期" in whole]
    assert printed and printed == list(range(1, len(printed) + 1)) and len(printed) < 60
    assert all(f"第{k}期" in crop for k in printed)
    assert f"line {len(printed) + 1} 「第{len(printed) + 1}期" in d.message  # the first line left out
