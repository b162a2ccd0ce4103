"""Page count from the edition: 8, 16 and 24 pages build with the right masthead count, folios,
jump lines and edition PDF; counts the template does not print are errors, half sheets and blank
pages warnings."""

from __future__ import annotations

import pikepdf
import pytest

from layout.build import build, prepare
from layout.diagnostics import InputError
from tests.edition.editionkit import edition_yaml, page_ids, text_of, write_edition


@pytest.mark.parametrize("count", [8, 16, 24])
def test_broadsheet_edition_of_any_count(tmp_path, count):
    path = write_edition(tmp_path / "ed", edition_yaml(count))
    result = build(path, tmp_path / "out", preflight=False)
    ids = page_ids({"A": count})
    assert [p.page.id for p in result.layout.pages] == ids
    assert sorted(f.name for f in result.files) == sorted([f"{p}.pdf" for p in ids] + ["edition.pdf", "report.json"])
    with pikepdf.open(tmp_path / "out" / "edition.pdf") as pdf:
        assert len(pdf.pages) == count
    front = result.layout.pages[0].frame
    assert f"今日{count}版" in text_of(front, "masthead")
    for page in result.layout.pages:
        assert page.page.id in text_of(page.frame, "folio")
    jump_page = ids[-2]
    assert f"（下轉{jump_page}版）" in text_of(front, "jump", "lead")
    assert "（上接A01版）" in text_of(result.layout.pages[-2].frame, story="lead")
    assert result.report["summary"]["pages"] == count
    # (the kit pins a few modules a page and leaves the rest white, and its one-paragraph stories
    # fill little of their modules: PAGE-GAP and STORY-UNDERSET say so, rightly)
    said = {"PAGE-GAP", "STORY-UNDERSET"}
    assert not [d for d in result.diagnostics if d.severity.value in ("error", "warning") and d.code not in said]


def _codes(path):
    try:
        prep = prepare(path)
    except InputError as err:
        return [(d.code, d.severity.value, d.location.line, d.hint) for d in err.diagnostics]
    return [(d.code, d.severity.value, d.location.line, d.hint) for d in prep.ctx.diagnostics]


def test_ten_pages_is_a_half_sheet_warning(tmp_path):
    path = write_edition(tmp_path, edition_yaml(10))
    found = [c for c in _codes(path) if c[0].startswith("PAGE") and c[0] != "PAGE-GAP"]
    assert [(c[0], c[1]) for c in found] == [("PAGE-HALF-SHEET", "warning")]
    assert "12 pages" in found[0][3]


@pytest.mark.parametrize("count,hint", [(7, "6 or 8"), (66, "between 2 and 64")])
def test_counts_the_template_does_not_print(tmp_path, count, hint):
    text = edition_yaml(count)
    path = write_edition(tmp_path, text)
    found = [c for c in _codes(path) if c[0] == "PAGE-COUNT"]
    assert len(found) == 1 and found[0][1] == "error" and hint in found[0][3]
    last = text.split("\n").index(f"  - page: A{count:02d}") + 1
    assert found[0][2] == last


def test_blank_page_is_a_warning_not_silence(tmp_path):
    path = write_edition(tmp_path, edition_yaml(8, blank=("A06",)))
    found = [c for c in _codes(path) if c[0] == "PAGE-BLANK"]
    assert len(found) == 1 and found[0][1] == "warning"
    result = build(path, tmp_path / "out", preflight=False)
    assert any(d.code == "PAGE-BLANK" and d.page == "A06" for d in result.diagnostics)
    assert any(d["code"] == "PAGE-BLANK" for d in result.report["diagnostics"])


def test_tabloid_prints_any_even_count_too(tmp_path):
    path = write_edition(tmp_path, edition_yaml(4, template="tabloid", columns=6, lines=72, masthead_lines=9))
    prep = prepare(path)
    assert len(prep.layout.pages) == 4
    assert "今日4版" in text_of(prep.layout.pages[0].frame, "masthead")
