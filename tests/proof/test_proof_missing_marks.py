"""A character no face has is not printed; the proof marks its cell with a red box (from the
page's `missing_glyphs` in report.json), and only the proof: the PDF stays as it was."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PIL import Image, ImageChops
from proof_fakebuild import BLEED, make_fake_build

from layout.proof import make_proofs
from layout.proof.report import load_report

DPI = 100
CELL = {"char": "𠮷", "code": "U+20BB7", "x": 600.0, "y": 700.0, "w": 9.0, "h": 9.0, "story": "story-A02",
        "paragraph": 2, "kind": "body", "page": "A02", "file": "stories/a02.txt", "line": 3, "column": 14}


def _with_mark(tmp_path: Path, marks: list[dict]) -> None:
    make_fake_build(tmp_path)
    path = tmp_path / "report.json"
    report = json.loads(path.read_text("utf-8"))
    next(p for p in report["pages"] if p["id"] == "A02")["missing_glyphs"] = marks
    path.write_text(json.dumps(report, ensure_ascii=False), "utf-8")


def _red(img: Image.Image, box: tuple[int, int, int, int]) -> float:
    r, g, b = img.convert("RGB").crop(box).split()
    mask = ImageChops.multiply(ImageChops.multiply(r.point(lambda v: 255 if v > 180 else 0),
                                                   g.point(lambda v: 255 if v < 90 else 0)),
                               b.point(lambda v: 255 if v < 90 else 0))
    return mask.histogram()[255] / (mask.width * mask.height)


def _px(x: float, y: float, w: float, h: float, pad: float = 0) -> tuple[int, int, int, int]:
    s = DPI / 72
    return (round((BLEED + x) * s - pad), round((BLEED + y) * s - pad),
            round((BLEED + x + w) * s + pad), round((BLEED + y + h) * s + pad))


def test_red_box_in_the_cell_on_the_proof_only(tmp_path):
    _with_mark(tmp_path, [CELL])
    before = hashlib.sha256((tmp_path / "A02.pdf").read_bytes()).hexdigest()
    make_proofs(tmp_path, pages=["A02"], workers=1, dpi=DPI)
    assert hashlib.sha256((tmp_path / "A02.pdf").read_bytes()).hexdigest() == before
    with Image.open(tmp_path / "proofs" / "A02.png") as proof:
        cell = _px(CELL["x"], CELL["y"], CELL["w"], CELL["h"], pad=2)
        assert _red(proof, cell) > 0.3
        # nowhere else on the page body: a box the size of the cell, away from it, stays clean
        assert _red(proof, _px(300.0, 700.0, 9.0, 9.0, pad=2)) == 0


def test_no_mark_without_overlays_nor_without_missing_glyphs(tmp_path):
    _with_mark(tmp_path, [CELL])
    make_proofs(tmp_path, pages=["A02"], workers=1, dpi=DPI, overlays=False)
    with Image.open(tmp_path / "proofs" / "A02.png") as proof:
        assert _red(proof, _px(CELL["x"], CELL["y"], CELL["w"], CELL["h"], pad=2)) == 0
    _with_mark(tmp_path, [])
    make_proofs(tmp_path, pages=["A02"], workers=1, dpi=DPI)
    with Image.open(tmp_path / "proofs" / "A02.png") as proof:
        assert _red(proof, _px(CELL["x"], CELL["y"], CELL["w"], CELL["h"], pad=2)) < 0.05


def test_report_reading_keeps_the_source_and_skips_entries_without_a_place(tmp_path):
    _with_mark(tmp_path, [CELL, {"char": "x", "code": "U+0078"}, {**CELL, "x": "bad"}])
    page = load_report(tmp_path).page("A02")
    (mark,) = page.missing
    assert mark.source == "stories/a02.txt:3:14" and mark.code == "U+20BB7" and mark.kind == "body"


def test_proof_html_boxes_the_cell_with_its_source(tmp_path):
    _with_mark(tmp_path, [CELL])
    result = make_proofs(tmp_path, pages=["A02"], workers=1, dpi=DPI)
    html = result.html.read_text("utf-8")
    (tag,) = [t for t in html.split("<a ") if 'class="box missing"' in t]
    assert "U+20BB7" in tag and "stories/a02.txt:3:14" in tag and 'href="#' in tag
