"""The valid edition loads into the model with positions."""

from __future__ import annotations

import datetime as dt

import pytest

from layout.diagnostics import Diagnostics


def test_valid_edition_loads(ed):
    diags = Diagnostics()
    edition = ed.load(diagnostics=diags)
    assert [d.format() for d in diags] == []
    assert edition.paper == "重慶晨報"
    assert edition.date == dt.date(2026, 3, 4)
    assert edition.issue == 8123
    assert [p.id for p in edition.pages] == ["A01", "A02", "A03"]
    assert [p.colour for p in edition.pages] == [True, False, False]
    assert edition.pages[0].credits == (("責任編輯", "王小明"), ("校對", "張三"))
    assert edition.pages[0].items[2].refs == ("rail-link", "museum")
    assert edition.stories["ai-plan"].jump == "A03"
    assert edition.ads["bank"].file.name == "bank.pdf"
    assert edition.ads["subscribe"].lines == ("全年定價：360元", "訂閱熱線：023-6000 0000")


def test_item_and_at_positions(ed):
    edition = ed.load()
    item = edition.pages[0].items[0]
    assert (item.loc.file, item.loc.line, item.loc.column) == (str(ed.path), ed.line_of("- story: ai-plan"), 9)
    assert item.at.loc.line == ed.line_of("at: {col: 1, line: 13, cols: 6")
    assert (item.at.col, item.at.line, item.at.cols, item.at.lines) == (1, 13, 6, 60)


def test_body_file_paragraphs_bom_crlf_subheads_and_lines(ed):
    story = ed.load().stories["ai-plan"]
    texts = [(p.kind, p.text, p.loc.line) for p in story.paragraphs]
    # BOM dropped, CRLF handled, blank line skipped, typed full-width indent removed, "## " a sub-head
    assert texts == [("body", "本市人工智能產業規模突破千億元。", 1), ("subhead", "產業園", 3), ("body", "園區已有企業三百家。", 4)]
    assert all(p.loc.file == str(ed.root / "text" / "ai-plan.txt") for p in story.paragraphs)


def test_inline_literal_body_lines(ed):
    story = ed.load().stories["rail-link"]
    assert [(p.kind, p.text) for p in story.paragraphs] == [("body", "第一段。"), ("subhead", "小標題"), ("body", "第二段。")]
    assert [p.loc.line for p in story.paragraphs] == [ed.line_of("第一段"), ed.line_of("## 小標題"), ed.line_of("第二段")]


def test_photo_free_standing_and_story_photo(ed):
    edition = ed.load()
    photo_item = edition.pages[2].items[1]
    assert photo_item.kind == "photo" and photo_item.photo.caption == "公園"
    photo = edition.stories["ai-plan"].photos[0]
    assert (photo.cols, photo.lines, photo.focus) == (3, 24, (0.5, 0.4))
    assert photo.file == (ed.root / "assets" / "park.jpg").resolve()


def test_numbers_as_ids_keep_their_text(ed):
    ed.replace("- page: A03", "- page: 103")
    ed.replace("jump: A03", "jump: 103")
    edition = ed.load()
    assert edition.pages[2].id == "103"


def test_merge_keys_and_anchors(ed):
    ed.replace("  museum:\n    headline: 博物館之夜", "  museum:\n    <<: {kicker: 引題}\n    headline: 博物館之夜")
    assert ed.load().stories["museum"].kicker == "引題"


def test_unplaced_story_is_a_warning(ed):
    ed.replace("stories:\n", "stories:\n  spare:\n    headline: 備用\n")
    diags = Diagnostics()
    ed.load(diagnostics=diags)
    assert [(d.code, d.location.line) for d in diags] == [("STORY-UNPLACED", ed.line_of("  spare:"))]


def test_custom_templates_parameter(ed):
    ed.replace("template: broadsheet", "template: weekend")
    assert ed.load(templates=("weekend",)).template == "weekend"


@pytest.mark.parametrize("typed, expected", [
    ("##小標題", [("subhead", "小標題")]),     # no space after the marks
    ("### 小標題", [("subhead", "小標題")]),   # three marks, as a Markdown habit
    ("##", []),                                # an empty sub-head: nothing to print
])
def test_sub_head_marks_never_print(ed, typed, expected):
    ed.replace("      ## 小標題\n", f"      {typed}\n")
    story = ed.load().stories["rail-link"]
    middle = [(p.kind, p.text) for p in story.paragraphs][1:-1]
    assert middle == expected
    assert not any("#" in p.text for p in story.paragraphs)
