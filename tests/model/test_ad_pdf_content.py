"""An ad PDF that would print as an empty box is an error naming the file when the edition is
loaded: truncated, a content stream that does not decode or parse, a broken form, a blank page
(issue 17: these built with exit 0, a pikepdf UserWarning on stderr being all)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from layout.model.filecheck import check_ad_pdf

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "assets" / "ads" / "bank-half.pdf"


def _truncated(tmp_path):
    data = BANK.read_bytes()
    path = tmp_path / "ad.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def _bad_stream_data(tmp_path):
    data = bytearray(BANK.read_bytes())
    with pikepdf.open(BANK) as pdf:
        raw = pdf.pages[0].obj.Contents.read_raw_bytes()
    at = bytes(data).find(raw[:64])
    assert at > 0
    for k in range(at + 20, at + 60):
        data[k] ^= 0x5A
    path = tmp_path / "ad.pdf"
    path.write_bytes(bytes(data))
    return path


def _written(tmp_path, content: bytes, form: bytes | None = None):
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(200, 100))
    page.obj.Contents = pdf.make_stream(content)
    if form is not None:
        xobj = pdf.make_stream(form, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                               BBox=[0, 0, 200, 100])
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=xobj))
    path = tmp_path / "ad.pdf"
    pdf.save(path)
    return path


BROKEN = {
    "truncated": _truncated,
    "stream data": _bad_stream_data,
    "syntax": lambda p: _written(p, b"q 0 0 0 1 k (never closed 10 10 50 50 re f Q"),
    "form": lambda p: _written(p, b"/X0 Do", form=b"0 0 0 1 k 10 10 50 50 re f ( oops"),
    "missing form": lambda p: _written(p, b"/X9 Do", form=b"0 0 0 1 k 10 10 50 50 re f"),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_ad_pdf_is_an_error_naming_the_file(tmp_path, kind):
    [problem] = check_ad_pdf(BROKEN[kind](tmp_path))
    assert problem.code == "AD-PDF-CORRUPT"
    assert "ad.pdf" in problem.message and "empty box" in problem.message and problem.hint


def test_a_blank_ad_page_is_an_error(tmp_path):
    [problem] = check_ad_pdf(_written(tmp_path, b"q Q"))
    assert problem.code == "AD-PDF-EMPTY" and "ad.pdf" in problem.message


@pytest.mark.parametrize("content, form", [
    (b"0 0 0 1 k 10 10 50 50 re f", None),
    (b"q /X0 Do Q", b"0 0 0 1 K 2 w 10 10 m 100 50 l S"),
])
def test_ad_pdfs_that_draw_are_fine(tmp_path, content, form):
    assert check_ad_pdf(_written(tmp_path, content, form)) == []


def test_the_shipped_ad_is_fine():
    assert check_ad_pdf(BANK) == []


def test_the_loader_reports_a_truncated_ad_at_its_file_value(ed):
    data = BANK.read_bytes()
    (ed.root / "assets" / "bank.pdf").write_bytes(data[: len(data) // 2])
    d = ed.only("AD-PDF-CORRUPT")
    assert d.location.line == ed.line_of("file: assets/bank.pdf") and "bank.pdf" in d.message
