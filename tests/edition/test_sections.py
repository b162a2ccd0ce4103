"""Sections (疊): pages A01–A08 and B01–B04, each section numbered on its own, with its name on
the folios, its colour pages and a section front with its own flag; jumps and teasers name the
page in its section."""

from __future__ import annotations

import pytest

from layout.build import build, prepare
from layout.diagnostics import InputError
from tests.edition.editionkit import edition_yaml, page_ids, text_of, write_edition

TWO = {"A": 8, "B": 4}


@pytest.fixture(scope="module")
def two_sections(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sections")
    text = edition_yaml(TWO, section_meta=True, jump_to="B03", teasers=["B02", "A03", "B04"])
    text = text.replace("  B: {name: 第B疊, flag: 城市週刊}", "  B: {name: 城市, flag: 城市週刊, colour_pages: [B01]}")
    text = text.replace("issue: 8123\n", "issue: 8123\ncolour_pages: [A01]\n")
    path = write_edition(tmp / "ed", text)
    return build(path, tmp / "out", preflight=False)


def test_pages_and_files(two_sections):
    ids = page_ids(TWO)
    assert ids[7:9] == ["A08", "B01"] and ids[-1] == "B04"
    assert [p.page.id for p in two_sections.layout.pages] == ids
    assert {f.name for f in two_sections.files} >= {f"{p}.pdf" for p in ids}
    assert [(p.page.id, p.page.section_id) for p in two_sections.layout.pages][7:9] == [("A08", "A"), ("B01", "B")]


def test_masthead_counts_the_whole_edition_and_each_section(two_sections):
    front = text_of(two_sections.layout.pages[0].frame, "masthead")
    assert "今日12版" in front and "A疊8版　B疊4版" in front


def test_section_front_has_its_own_flag(two_sections):
    pages = {p.page.id: p for p in two_sections.layout.pages}
    b01 = text_of(pages["B01"].frame, "masthead")
    assert b01.startswith("城市週刊") and "B疊　本疊4版" in b01
    assert pages["B01"].page.flag == "城市週刊" and not pages["A01"].page.flag
    assert text_of(pages["A02"].frame, "masthead") == "" and text_of(pages["B02"].frame, "masthead") == ""
    # the section's pages carry its name on their folios
    assert "B02　城市" in text_of(pages["B02"].frame, "folio")
    assert "A05　第A疊" in text_of(pages["A05"].frame, "folio")


def test_colour_pages_from_the_edition_and_the_section(two_sections):
    colour = [p.page.id for p in two_sections.layout.pages if p.page.colour]
    assert colour == ["A01", "B01"]


def test_jumps_and_teasers_name_the_page_in_its_section(two_sections):
    pages = {p.page.id: p for p in two_sections.layout.pages}
    assert "（下轉B03版）" in text_of(pages["A01"].frame, "jump", "lead")
    assert "（上接A01版）" in text_of(pages["B03"].frame, story="lead")
    teasers = text_of(pages["A01"].frame, "teaser")
    assert "B02版導讀" in teasers and "B02版" in teasers.replace("B02版導讀", "") and "B04版" in teasers


def _errors(tmp_path, text):
    path = write_edition(tmp_path, text)
    with pytest.raises(InputError) as info:
        prepare(path)
    return info.value.diagnostics, text


def _line(text, needle):
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def test_section_numbering_gap(tmp_path):
    text = edition_yaml(TWO, section_meta=True, jump_to="A07").replace("page: B02", "page: B03").replace(
        "s-B02", "s-B03x")
    errors, text = _errors(tmp_path, text)
    d = next(d for d in errors if d.code == "SECTION-NUMBERING")
    assert d.location.line == _line(text, "page: B03") and "call it B02" in d.hint


def test_page_of_an_unknown_section(tmp_path):
    text = edition_yaml({"A": 8, "C": 4}, section_meta=True, jump_to="A07").replace("  C: {", "  B: {")
    errors, text = _errors(tmp_path, text)
    d = next(d for d in errors if d.code == "SECTION-PAGE")
    assert d.location.line == _line(text, "page: C01") and "B" in d.hint


def test_item_under_the_flag(tmp_path):
    text = edition_yaml(TWO, section_meta=True, jump_to="A07")
    text = text.replace("      - story: s-B01\n        at: {col: 1, line: 7,", "      - story: s-B01\n        at: {col: 1, line: 3,")
    errors, text = _errors(tmp_path, text)
    d = next(d for d in errors if d.code == "GRID-UNDER-MASTHEAD")
    assert d.page == "B01" and "line 7" in d.hint


def test_section_of_an_odd_count(tmp_path):
    text = edition_yaml({"A": 9, "B": 3}, section_meta=True, jump_to="A07")
    errors, _ = _errors(tmp_path, text)
    found = [d for d in errors if d.code == "PAGE-COUNT"]
    assert {d.message.split(" has")[0] for d in found} == {"section A", "section B"}


def test_a_section_of_one_page(tmp_path):
    """A one-page section passed: the count was below the template's range, and the range is the
    edition's, so the check that skipped it also skipped the odd count."""
    text = edition_yaml({"A": 11, "B": 1}, section_meta=True, jump_to="A07")
    errors, _ = _errors(tmp_path, text)
    found = [d for d in errors if d.code == "PAGE-COUNT"]
    assert {d.message.split(" has")[0] for d in found} == {"section A", "section B"}
    b = next(d for d in found if d.message.startswith("section B"))
    assert "1 page;" in b.message and "multiple of 2" in b.message and "remove" not in b.hint
