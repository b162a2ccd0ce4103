"""Characters no face has are listed with their file:line:column in the source text, in the
diagnostics and in report.json (with the cell they were set in on the page, for the proofs' red
box), for body text and for headlines alike; nothing is printed in their place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layout.build import build

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"
MISSING = "\U0001F600"  # no CJK face has emoji


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("missing")
    text = MINI.read_text("utf-8")
    text = text.replace("      全市今日氣溫5至12℃，陰有小雨。", f"      全市今日氣溫5至12℃，陰{MISSING}有小雨。")
    text = text.replace("    headline: 簡訊", f"    headline: 簡{MISSING}訊")
    edition = tmp / "e.yaml"
    edition.write_text(text, "utf-8")
    result = build(edition, tmp / "out", preflight=False)
    return edition, result, json.loads((tmp / "out" / "report.json").read_text("utf-8"))


def _where(edition: Path, needle: str) -> tuple[int, int]:
    for n, line in enumerate(edition.read_text("utf-8").split("\n"), 1):
        if needle in line:
            return n, line.index(needle) + needle.index(MISSING) + 1
    raise AssertionError(needle)


def test_diagnostics_give_line_and_column(built):
    edition, result, _report = built
    found = {(d.location.line, d.location.column) for d in result.diagnostics
             if d.code == "FONT-MISSING-GLYPH" and MISSING in d.message}
    assert _where(edition, f"陰{MISSING}有") in found  # body paragraph (block scalar in the edition)
    assert _where(edition, f"簡{MISSING}訊") in found  # headline


def test_report_lists_each_with_its_cell_and_source(built):
    edition, _result, report = built
    marks = [m for p in report["pages"] for m in p["missing_glyphs"]]
    kinds = {m["kind"] for m in marks if m["char"] == MISSING}
    assert {"body", "headline"} <= kinds
    for m in marks:
        assert m["code"] == f"U+{ord(MISSING):04X}" and m["w"] > 0 and m["h"] > 0
        assert m["file"] == str(edition) and (m["line"], m["column"]) in {
            _where(edition, f"陰{MISSING}有"), _where(edition, f"簡{MISSING}訊")}
        page = next(p for p in report["pages"] if m in p["missing_glyphs"])
        assert 0 <= m["x"] < m["x"] + m["w"] <= page["width"] and 0 <= m["y"] < page["height"]


def _shown_codes(pdf: Path) -> list[int]:
    """Every 2-byte glyph code the page content shows (Tj/TJ with the engine's Identity-H fonts)."""
    import pikepdf

    codes: list[int] = []
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) not in ("Tj", "TJ"):
                    continue
                parts = operands[0] if str(op) == "TJ" else [operands[0]]
                for part in parts:
                    if isinstance(part, pikepdf.String):
                        raw = bytes(part)
                        codes += [int.from_bytes(raw[k : k + 2], "big") for k in range(0, len(raw), 2)]
    return codes


def test_nothing_is_printed_for_them(built):
    _edition, result, report = built
    pages = {m["page"] for p in report["pages"] for m in p["missing_glyphs"]}
    assert pages
    for pid in pages:
        codes = _shown_codes(Path(result.outdir) / f"{pid}.pdf")
        assert codes and 0 not in codes  # text is shown, never .notdef
