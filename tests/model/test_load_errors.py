"""Each kind of bad input gives one clear diagnostic: the right code, file, line (and column),
a message naming the problem and a hint (did-you-mean where a name is misspelt)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from modelkit import make_jpeg, make_pdf

from layout.diagnostics import InputError
from layout.model.load import load_edition


def where(diag):
    return diag.location.file, diag.location.line, diag.location.column


def col_of(ed, needle: str, line_needle: str | None = None) -> int:
    line = ed.path.read_text(encoding="utf-8").split("\n")[ed.line_of(line_needle or needle) - 1]
    return line.index(needle) + 1


# --- YAML itself -----------------------------------------------------------------------------


def test_yaml_syntax_error_has_parser_position(ed):
    ed.replace("  museum:\n    headline: 博物館之夜", "  museum:\n    headline: [博物館之夜")
    d = ed.only("YAML-SYNTAX")
    assert d.location.file == str(ed.path)
    assert d.location.line is not None and d.location.line >= ed.line_of("headline: [博物館之夜")
    assert d.hint


def test_tab_indent_hint(ed):
    ed.replace("    section: 城事\n    items:\n      - story: rail-link", "    section: 城事\n\titems:\n      - story: rail-link")
    d = ed.only("YAML-SYNTAX")
    assert d.location.line == ed.line_of("\titems:")
    assert "tab" in d.hint


def test_tab_indent_hint_when_the_parser_does_not_name_the_tab(ed):
    """libyaml says only "found character that cannot start any token" for a tab that indents a
    key; the hint must still say it is the tab, not "quote the value"."""
    ed.replace("  museum:\n    headline: 博物館之夜", "  museum:\n\theadline: 博物館之夜")
    d = ed.only("YAML-SYNTAX")
    assert d.location.line == ed.line_of("\theadline:")
    assert "tab" in d.hint and "quote" not in d.hint


def test_duplicate_key_names_both_lines(ed):
    ed.replace("    byline: 本報記者 陳思遠", "    byline: 本報記者 陳思遠\n    byline: 又一個")
    d = ed.only("YAML-DUPLICATE-KEY")
    assert where(d) == (str(ed.path), ed.line_of("byline: 又一個"), 5)
    assert f"line {ed.line_of('byline: 本報記者')}" in d.message
    assert "byline" in d.message


def test_duplicate_story_id(ed):
    ed.replace("  museum:\n", "  rail-link:\n    headline: again\n  museum:\n")
    d = ed.only("YAML-DUPLICATE-KEY")
    assert where(d) == (str(ed.path), ed.line_of("  rail-link:", nth=2), 3)


def test_unsupported_tag(ed):
    ed.replace("issue: 8123", "issue: !!python/object:os.system 8123")
    d = ed.only("YAML-TAG")
    assert where(d) == (str(ed.path), ed.line_of("issue:"), 8)


def test_control_character_in_yaml_source(ed):
    ed.replace("section: 要聞", "section: 要\x07聞")
    d = ed.only("TEXT-CONTROL-CHAR")
    assert where(d) == (str(ed.path), ed.line_of("section: 要"), 15)
    assert "U+0007" in d.message


def test_control_character_from_escape(ed):
    ed.replace("headline: 軌道新線開通", 'headline: "軌道\\x01新線"')
    d = ed.only("TEXT-CONTROL-CHAR")
    assert where(d) == (str(ed.path), ed.line_of("headline: \"軌道"), 15)
    assert "character 3" in d.message and "U+0001" in d.message
    assert d.hint


def test_unpaired_surrogate_from_escape(ed):
    # libyaml refuses the escape itself: a syntax error at the escape, with a hint
    ed.replace("headline: 軌道新線開通", 'headline: "軌道\\ud800新線"')
    d = ed.only("YAML-SYNTAX")
    assert d.location.line == ed.line_of("headline: \"軌道") and "surrogate" in d.hint


def test_unpaired_surrogate_from_python_parser():
    # PyYAML's Python parser accepts the escape: the text check reports it with its position
    from layout.model.load import _Ctx, _text
    from layout.model.yamlpos import parse_yaml

    tree, diags = parse_yaml('headline: "軌道\\ud800新線"\n', "e.yaml", pure=True)
    assert diags == []
    ctx = _Ctx(file="e.yaml", base_dir=Path("."), asset_roots=())
    _text(ctx, tree.get("headline"), "the headline")
    [d] = ctx.diags
    assert (d.code, where(d)) == ("TEXT-SURROGATE", ("e.yaml", 1, 11))
    assert "U+D800" in d.message and "character 3" in d.message


def test_edition_not_utf8(ed):
    ed.path.write_bytes(ed.path.read_text(encoding="utf-8").encode("gb18030"))
    d = ed.only("TEXT-ENCODING")
    assert d.location.file == str(ed.path) and d.location.line == 1  # 重慶晨報 on line 1
    assert "UTF-8" in d.hint


def test_not_a_mapping(ed):
    ed.write("- just\n- a list\n")
    d = ed.only("EDITION-TYPE")
    assert where(d) == (str(ed.path), 1, 1)


def test_empty_file(ed):
    ed.write("")
    assert ed.only("EDITION-EMPTY").location.line == 1


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        load_edition(tmp_path / "nope.yaml")
    assert [d.code for d in info.value.diagnostics] == ["EDITION-FILE"]


def test_alias_bomb_is_cheap_and_reported(ed):
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]\n" for i in range(1, 12)
    )
    ed.write(ed.path.read_text(encoding="utf-8").replace("ads:\n", "fonts:\n  " + bomb.replace("\n", "\n  ") + "\nads:\n"))
    d = ed.only("YAML-LIMIT")  # fonts are passed on as given: expanding them hits the budget, not memory
    assert d.location.line == ed.line_of("fonts:") + 1


def test_recursive_alias(ed):
    ed.replace("overrides" if False else "ads:\n", "fonts: &f {x: *f}\nads:\n")
    d = ed.only("YAML-LIMIT")
    assert d.location.line == ed.line_of("fonts: &f")


def test_deep_nesting(ed):
    ed.write(ed.path.read_text(encoding="utf-8") + "fonts: " + "[" * 5000 + "]" * 5000 + "\n")
    diags = ed.errors()
    assert any(d.code == "YAML-LIMIT" for d in diags)


# --- keys and types ----------------------------------------------------------------------------


def test_unknown_top_level_key_did_you_mean(ed):
    ed.replace("issue: 8123", "isue: 8123")
    diags = ed.errors()
    unknown = next(d for d in diags if d.code == "EDITION-UNKNOWN-KEY")
    assert where(unknown) == (str(ed.path), ed.line_of("isue:"), 1)
    assert "did you mean 'issue'" in unknown.hint
    missing = next(d for d in diags if d.code == "EDITION-MISSING-KEY")
    assert "'issue'" in missing.message


@pytest.mark.parametrize(
    "old,new,bad,expected",
    [
        ("    byline: 本報記者 陳思遠", "    bylin: 本報記者 陳思遠", "bylin", "byline"),  # story level
        ("    section: 要聞", "    sektion: 要聞", "sektion", "section"),  # page level
        ("      - story: ai-plan\n        at:", "      - story: ai-plan\n        att:", "att", "at"),  # item level
        ("{col: 1, line: 13, cols: 6", "{col: 1, lnie: 13, cols: 6", "lnie", "line"),  # at level
        ("        caption: 產業園展示中心", "        captoin: 產業園展示中心", "captoin", "caption"),  # photo level
        ("    title: 2027", "    titel: 2027", "titel", "title"),  # ad level
    ],
)
def test_unknown_key_at_every_level(ed, old, new, bad, expected):
    ed.replace(old, new)
    d = next(d for d in ed.errors() if d.code == "EDITION-UNKNOWN-KEY")
    line = ed.line_of(bad + ":")
    assert where(d) == (str(ed.path), line, col_of(ed, bad + ":", bad + ":"))
    assert f"did you mean '{expected}'" in d.hint, d.hint
    assert f"'{bad}'" in d.message


def test_missing_headline(ed):
    ed.replace("    headline: 博物館之夜\n", "")
    d = ed.only("EDITION-MISSING-KEY")
    assert where(d) == (str(ed.path), ed.line_of("  museum:"), 3)
    assert "headline" in d.message and "headline" in d.hint


def test_wrong_type_int(ed):
    ed.replace("issue: 8123", "issue: 第八千期")
    d = ed.only("EDITION-TYPE")
    assert where(d) == (str(ed.path), ed.line_of("issue:"), 8)
    assert "whole number" in d.message and "1 to" in d.hint


def test_wrong_type_bool_for_cols(ed):
    ed.replace("        cols: 3\n", "        cols: true\n")
    d = ed.only("EDITION-TYPE")
    assert where(d) == (str(ed.path), ed.line_of("cols: true"), 15)


def test_wrong_type_list_for_text(ed):
    ed.replace("headline: 軌道新線開通", "headline: [軌道, 新線]")
    d = ed.only("EDITION-TYPE")
    assert where(d) == (str(ed.path), ed.line_of("headline: [軌道"), 15)
    assert "must be text" in d.message and "a list" in d.message


def test_masthead_not_bool(ed):
    ed.replace("masthead: true", "masthead: maybe")
    d = ed.only("EDITION-TYPE")
    assert d.location.line == ed.line_of("masthead:") and "true or false" in d.hint


def test_number_out_of_range(ed):
    ed.replace("issue: 8123", "issue: 0")
    d = ed.only("EDITION-RANGE")
    assert where(d) == (str(ed.path), ed.line_of("issue:"), 8)


def test_focus_out_of_range(ed):
    ed.replace("focus: [0.5, 0.4]", "focus: [0.5, 1.4]")
    d = ed.only("EDITION-RANGE")
    assert where(d) == (str(ed.path), ed.line_of("focus:"), 16)


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "1800-01-01", "tomorrow", "2026-03-04 10:00:00"])
def test_bad_dates(ed, value):
    ed.replace("date: 2026-03-04", f"date: {value}")
    d = ed.only("EDITION-DATE")
    assert where(d) == (str(ed.path), 2, 7)
    assert d.hint


def test_quoted_date_is_fine(ed):
    ed.replace("date: 2026-03-04", 'date: "2026-03-04"')
    assert ed.load().date.isoformat() == "2026-03-04"


def test_template_did_you_mean(ed):
    ed.replace("template: broadsheet", "template: broadshet")
    d = ed.only("TEMPLATE-UNKNOWN")
    assert where(d) == (str(ed.path), ed.line_of("template:"), 11)
    assert "did you mean 'broadsheet'" in d.hint


def test_print_profile_did_you_mean(ed):
    ed.replace("print: newsprint", "print: comercial")
    d = ed.only("PRINT-PROFILE-UNKNOWN")
    assert where(d) == (str(ed.path), ed.line_of("print:"), 8)
    assert "did you mean 'commercial'" in d.hint


def test_ad_kind_did_you_mean(ed):
    ed.replace("kind: pdf", "kind: pfd")
    d = ed.only("AD-KIND")
    assert d.location.line == ed.line_of("kind: pfd") and "did you mean 'pdf'" in d.hint


def test_ad_colour_did_you_mean(ed):
    ed.replace("colour: red", "colour: rde")
    d = ed.only("EDITION-VALUE")
    assert d.location.line == ed.line_of("colour: rde") and "did you mean 'red'" in d.hint


def test_item_with_two_kinds(ed):
    ed.replace("      - ad: subscribe\n", "      - ad: subscribe\n        story: museum\n")
    d = ed.only("PAGE-ITEM-KIND")
    assert where(d) == (str(ed.path), ed.line_of("- ad: subscribe"), 9)
    assert "story:" in d.hint


def test_ad_written_out_on_a_page_says_where_it_belongs(ed):
    """A layout editor writes a box ad in place, as a booking may: the error says to define it under
    ads: and name it (it once said only "an id is one word such as A01")."""
    ed.replace("      - ad: subscribe\n", "      - ad: {kind: box, title: 冬季義診, lines: [預約電話：023-6000 1212]}\n")
    d = ed.only("EDITION-TYPE")
    assert where(d) == (str(ed.path), ed.line_of("- ad: {kind: box"), 13)
    assert "ads:" in d.hint and "bookings" in d.hint


# --- references --------------------------------------------------------------------------------


def test_missing_story_did_you_mean(ed):
    ed.replace("- story: museum", "- story: musuem")
    d = ed.only("STORY-MISSING")
    assert where(d) == (str(ed.path), ed.line_of("- story: musuem"), 16)
    assert "did you mean 'museum'" in d.hint and d.page == "A02"


def test_missing_teaser_story_points_at_the_id(ed):
    ed.replace("teasers: [rail-link, museum]", "teasers: [rail-link, musem]")
    d = ed.only("STORY-MISSING")
    assert where(d) == (str(ed.path), ed.line_of("teasers:"), col_of(ed, "musem"))
    assert "did you mean 'museum'" in d.hint


def test_missing_ad_did_you_mean(ed):
    ed.replace("- ad: bank", "- ad: bnak")
    d = ed.only("AD-MISSING")
    assert where(d) == (str(ed.path), ed.line_of("- ad: bnak"), 13)
    assert "did you mean 'bank'" in d.hint


def test_missing_continued_story(ed):
    ed.replace("- continued: ai-plan", "- continued: ai-plna")
    diags = ed.errors()
    d = next(d for d in diags if d.code == "STORY-MISSING")
    assert where(d) == (str(ed.path), ed.line_of("continued: ai-plna"), 20)
    assert "did you mean 'ai-plan'" in d.hint
    assert any(d.code == "JUMP-NO-SLOT" for d in diags)  # the story's jump now has no slot


def test_jump_to_missing_page(ed):
    ed.replace("jump: A03", "jump: A30")
    diags = ed.errors()
    d = next(d for d in diags if d.code == "PAGE-MISSING")
    assert where(d) == (str(ed.path), ed.line_of("jump: A30"), 11)
    assert "did you mean 'A03'" in d.hint
    assert any(d.code == "JUMP-ORPHAN-SLOT" for d in diags)


def test_jump_to_page_without_slot(ed):
    ed.replace("jump: A03", "jump: A02")
    diags = ed.errors()
    d = next(d for d in diags if d.code == "JUMP-NO-SLOT")
    assert where(d) == (str(ed.path), ed.line_of("jump: A02"), 11)
    assert "continued: ai-plan" in d.hint
    orphan = next(d for d in diags if d.code == "JUMP-ORPHAN-SLOT")
    assert orphan.location.line == ed.line_of("continued: ai-plan") and "jump: A03" in orphan.hint


def test_continued_slot_without_jump(ed):
    ed.replace("    jump: A03\n", "")
    d = ed.only("JUMP-ORPHAN-SLOT")
    assert where(d) == (str(ed.path), ed.line_of("continued: ai-plan"), 20)
    assert "jump: A03" in d.hint


def test_story_placed_twice(ed):
    ed.replace("      - ad: bank\n        at: {col: 1, line: 60, cols: 8, lines: 46}",
               "      - story: ai-plan\n        at: {col: 1, line: 60, cols: 8, lines: 46}")
    ed.replace("  bank:\n    kind: pdf\n    file: assets/bank.pdf\n", "")
    d = ed.only("STORY-PLACED-TWICE")
    assert where(d) == (str(ed.path), ed.line_of("- story: ai-plan", nth=2), 16)
    assert f"line {ed.line_of('- story: ai-plan')}" in d.message and "A01" in d.message


def test_duplicate_page_id(ed):
    ed.replace("- page: A02", "- page: A01")
    diags = ed.errors()
    d = next(d for d in diags if d.code == "PAGE-DUPLICATE")
    assert where(d) == (str(ed.path), ed.line_of("- page: A01", nth=2), 11)
    assert f"line {ed.line_of('- page: A01')}" in d.message


def test_colour_pages_unknown_page(ed):
    ed.replace("colour_pages: [A01]", "colour_pages: [A01, A04]")
    d = ed.only("PAGE-MISSING")
    assert where(d) == (str(ed.path), ed.line_of("colour_pages"), 21)


@pytest.mark.parametrize("count,word", [(4, "add 1"), (2, "remove 1")])
def test_page_count(ed, count, word):
    d = ed.only("PAGE-COUNT", page_count=count)
    assert d.location.line == ed.line_of("- page: A03") and word in d.hint


# --- grid --------------------------------------------------------------------------------------


def test_outside_grid(ed):
    ed.replace("{col: 1, line: 90, cols: 8, lines: 16}", "{col: 2, line: 90, cols: 8, lines: 16}")
    d = ed.only("GRID-OUTSIDE")
    assert where(d) == (str(ed.path), ed.line_of("{col: 2, line: 90"), 13)
    assert "columns 2–9 of 8" in d.message and "8 columns × 105 lines" in d.hint


def test_outside_grid_lines(ed):
    ed.replace("{col: 1, line: 60, cols: 8, lines: 46}", "{col: 1, line: 60, cols: 8, lines: 47}")
    d = ed.only("GRID-OUTSIDE")
    assert "lines 60–106 of 105" in d.message


def test_a_size_larger_than_the_grid_is_an_input_error(ed):
    """A booked size the grid cannot hold was a page the automatic layout failed on (exit 1,
    'no room for ad subscribe (9 × 20 = 180 column-lines) … 688 of 744 column-lines are free'),
    found by qapages; it is the edition's mistake, said at the item (exit 2)."""
    ed.replace("        at: {col: 7, line: 13, cols: 2, lines: 30}", "        size: {cols: 9, lines: 20}")
    d = ed.only("GRID-OUTSIDE")
    assert where(d)[:2] == (str(ed.path), ed.line_of("- ad: subscribe"))
    assert "ad subscribe on page A01 is sized 9 × 20" in d.message and "9 columns wide of 8" in d.message
    assert "8 columns × 105 lines" in d.hint


def test_overlap_names_both_items_and_lines(ed):
    ed.replace("{col: 7, line: 13, cols: 2, lines: 30}", "{col: 6, line: 13, cols: 2, lines: 30}")
    d = ed.only("GRID-OVERLAP")
    assert where(d) == (str(ed.path), ed.line_of("{col: 6, line: 13"), 13)
    assert "ad subscribe" in d.message and "story ai-plan" in d.message
    assert f"line {ed.line_of('- ad: subscribe')}" in d.message
    assert f"line {ed.line_of('- story: ai-plan')}" in d.message
    assert "columns 1–6, lines 13–72" in d.hint


# --- files -------------------------------------------------------------------------------------


def test_missing_photo_did_you_mean(ed):
    ed.replace("      - file: assets/park.jpg", "      - file: assets/prak.jpg")
    d = ed.only("FILE-MISSING")
    assert where(d) == (str(ed.path), ed.line_of("assets/prak.jpg"), 15)
    assert "assets/park.jpg" in d.hint


def test_missing_story_text_file(ed):
    ed.replace("body: text/ai-plan.txt", "body: text/ai-plam.txt")
    d = ed.only("FILE-MISSING")
    assert where(d) == (str(ed.path), ed.line_of("body: text/ai-plam"), 11)
    assert "text/ai-plan.txt" in d.hint


def test_path_escape_dotdot(ed):
    (ed.root.parent / "secret.txt").write_text("x")
    ed.replace("body: text/ai-plan.txt", "body: ../secret.txt")
    d = ed.only("PATH-ESCAPE")
    assert where(d) == (str(ed.path), ed.line_of("body: ../secret"), 11)
    assert ".." in d.hint


def test_path_escape_absolute(ed):
    ed.replace("file: assets/bank.pdf", "file: /etc/passwd.pdf")
    d = ed.only("PATH-ESCAPE")
    assert d.location.line == ed.line_of("/etc/passwd") and "relative" in d.hint


def test_path_escape_symlink(ed):
    outside = ed.root.parent / "outside.jpg"
    outside.write_bytes(make_jpeg())
    os.symlink(outside, ed.root / "assets" / "link.jpg")
    ed.replace("      - file: assets/park.jpg", "      - file: assets/link.jpg")
    d = ed.only("PATH-ESCAPE")
    assert where(d) == (str(ed.path), ed.line_of("assets/link.jpg"), 15)
    assert "link" in d.message


def test_dotdot_inside_is_fine(ed):
    ed.replace("body: text/ai-plan.txt", "body: assets/../text/ai-plan.txt")
    assert ed.load().stories["ai-plan"].paragraphs


def test_asset_root(ed, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "logo.jpg").write_bytes(make_jpeg())
    ed.replace("      - file: assets/park.jpg", "      - file: logo.jpg")
    assert ed.load(asset_roots=[shared]).stories["ai-plan"].photos[0].file == (shared / "logo.jpg").resolve()
    assert ed.only("FILE-MISSING").location.line == ed.line_of("file: logo.jpg")


def test_dotdot_into_an_asset_root_is_fine(ed, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "logo.jpg").write_bytes(make_jpeg())
    ed.replace("      - file: assets/park.jpg", "      - file: ../shared/logo.jpg")
    assert ed.load(asset_roots=[shared]).stories["ai-plan"].photos[0].file == (shared / "logo.jpg").resolve()
    assert ed.only("PATH-ESCAPE").location.line == ed.line_of("file: ../shared/logo.jpg")


def test_folder_is_not_a_file(ed):
    ed.replace("      - file: assets/park.jpg", "      - file: assets")
    assert ed.only("FILE-NOT-A-FILE").location.line == ed.line_of("- file: assets")


def test_photo_corrupt(ed):
    (ed.root / "assets" / "park.jpg").write_bytes(b"this is not a jpeg at all")
    diags = [d for d in ed.errors() if d.code == "PHOTO-CORRUPT"]
    # the same file is used twice: both places are named
    assert sorted(d.location.line for d in diags) == [ed.line_of("file: assets/park.jpg, caption"),
                                                      ed.line_of("- file: assets/park.jpg")]
    assert "park.jpg" in diags[0].message and diags[0].hint


def test_photo_truncated(ed):
    data = make_jpeg(size=(400, 300))
    (ed.root / "assets" / "cut.jpg").write_bytes(data[: len(data) // 2])
    ed.replace("      - file: assets/park.jpg", "      - file: assets/cut.jpg")
    d = ed.only("PHOTO-CORRUPT")
    assert where(d) == (str(ed.path), ed.line_of("assets/cut.jpg"), 15)
    assert "truncated" in d.message


def test_photo_unsupported_format(ed):
    from PIL import Image

    Image.new("RGB", (10, 10)).save(ed.root / "assets" / "pic.gif")
    ed.replace("      - file: assets/park.jpg", "      - file: assets/pic.gif")
    d = ed.only("PHOTO-FORMAT")
    assert d.location.line == ed.line_of("assets/pic.gif") and "GIF" in d.message and "JPEG" in d.hint


def test_photo_decompression_bomb(ed):
    from PIL import Image

    # a tiny PNG that claims 20000 × 20000 pixels
    Image.new("1", (20000, 20000)).save(ed.root / "assets" / "bomb.png", optimize=True)
    ed.replace("      - file: assets/park.jpg", "      - file: assets/bomb.png")
    d = ed.only("PHOTO-TOO-LARGE")
    assert d.location.line == ed.line_of("assets/bomb.png") and "400000000 pixels" in d.message
    assert "resample" in d.hint


@pytest.mark.parametrize("mode", ["CMYK", "P", "I;16", "L", "RGB"])
def test_photo_modes_are_fine(ed, mode):
    from PIL import Image

    fmt, name = ("TIFF", "p.tif") if mode == "CMYK" else ("PNG", "p.png")
    Image.new(mode, (20, 10)).save(ed.root / "assets" / name, fmt)
    ed.replace("      - file: assets/park.jpg", f"      - file: assets/{name}")
    assert ed.load().stories["ai-plan"].photos[0].file.name == name


def test_ad_pdf_encrypted(ed):
    (ed.root / "assets" / "bank.pdf").write_bytes(make_pdf(encrypt=True))
    d = ed.only("AD-PDF-ENCRYPTED")
    assert where(d) == (str(ed.path), ed.line_of("file: assets/bank.pdf"), 11)
    assert "unprotected" in d.hint


def test_ad_pdf_corrupt(ed):
    (ed.root / "assets" / "bank.pdf").write_bytes(b"%PDF-1.4\n garbage garbage\n")
    d = ed.only("AD-PDF-CORRUPT")
    assert d.location.line == ed.line_of("file: assets/bank.pdf")


def test_ad_pdf_not_a_pdf(ed):
    (ed.root / "assets" / "bank.pdf").write_bytes(make_jpeg())
    d = ed.only("AD-PDF-CORRUPT")
    assert "not a PDF" in d.message


# --- story text files --------------------------------------------------------------------------


def test_text_file_control_char_position(ed):
    (ed.root / "text" / "ai-plan.txt").write_text("第一段。\n第二\x0c段。\n", encoding="utf-8")
    d = ed.only("TEXT-CONTROL-CHAR")
    assert where(d) == (str(ed.root / "text" / "ai-plan.txt"), 2, 3)
    assert d.story == "ai-plan" and "U+000C" in d.message and d.hint


def test_text_file_not_utf8(ed):
    (ed.root / "text" / "ai-plan.txt").write_bytes("第一段。\n第二段。\n".encode() + "第三段".encode("big5"))
    d = ed.only("TEXT-ENCODING")
    assert where(d) == (str(ed.root / "text" / "ai-plan.txt"), 3, 1)


def test_text_file_surrogate_bytes_are_an_encoding_error(ed):
    # UTF-8 encoded surrogates (CESU/WTF-8) are not valid UTF-8: reported with the position
    (ed.root / "text" / "ai-plan.txt").write_bytes("第一段".encode() + b"\xed\xa0\x80")
    d = ed.only("TEXT-ENCODING")
    assert where(d) == (str(ed.root / "text" / "ai-plan.txt"), 1, 4)


def test_many_errors_in_one_run(ed):
    ed.replace("issue: 8123", "isue: 8123")
    ed.replace("- story: museum", "- story: musuem")
    ed.replace("kind: pdf", "kind: pfd")
    ed.replace("      - file: assets/park.jpg", "      - file: assets/prak.jpg")
    codes = {d.code for d in ed.errors()}
    assert {"EDITION-UNKNOWN-KEY", "EDITION-MISSING-KEY", "STORY-MISSING", "AD-KIND", "FILE-MISSING"} <= codes


def test_formatted_message_is_readable(ed):
    ed.replace("- story: museum", "- story: musuem")
    with pytest.raises(InputError) as info:
        ed.load()
    text = str(info.value)
    assert f"{ed.path}:{ed.line_of('musuem')}:16" in text and "did you mean 'museum'" in text


def test_two_continued_slots(ed):
    ed.replace("      - continued: ai-plan\n", "      - continued: ai-plan\n      - continued: ai-plan\n")
    d = ed.only("JUMP-SLOT-TWICE")
    assert where(d) == (str(ed.path), ed.line_of("- continued: ai-plan", nth=2), 20)


def test_empty_text_file_is_a_warning(ed):
    from layout.diagnostics import Diagnostics

    (ed.root / "text" / "ai-plan.txt").write_text("\n\n", encoding="utf-8")
    diags = Diagnostics()
    ed.load(diagnostics=diags)
    [d] = list(diags)
    assert (d.code, d.location.file, d.location.line) == ("STORY-EMPTY", str(ed.root / "text" / "ai-plan.txt"), 1)


def test_empty_file_name(ed):
    ed.replace("file: assets/bank.pdf", 'file: " "')
    d = ed.only("PATH-INVALID")
    assert d.location.line == ed.line_of('file: " "') and d.hint


def test_box_ad_without_title_and_pdf_ad_without_file(ed):
    ed.replace("    title: 2027年度報紙徵訂開始\n", "")
    ed.replace("    file: assets/bank.pdf\n", "")
    diags = [d for d in ed.errors() if d.code == "EDITION-MISSING-KEY"]
    assert sorted(d.location.line for d in diags) == [ed.line_of("  subscribe:"), ed.line_of("  bank:")]
    assert any("'title'" in d.message for d in diags) and any("'file'" in d.message for d in diags)


def test_tag_on_a_collection(ed):
    ed.replace("decks: [科技", "decks: !!set [科技")
    assert ed.only("YAML-TAG").location.line == ed.line_of("decks: !!set")


@pytest.mark.parametrize("empty", ["pages: []\n", "pages:\n", "pages: ~\n"])
def test_an_edition_with_no_pages_is_an_input_error(ed, empty):
    """`pages:` with nothing after it (null) is no pages, like `pages: []`: an input error at the
    key's value, not an edition that checks clean and then fails to build as an internal error."""
    text = ed.path.read_text("utf-8")
    start, end = text.index("pages:\n"), text.index("stories:\n")
    ed.write(text[:start] + empty + text[end:])
    d = ed.only("EDITION-VALUE")
    assert "no pages" in d.message and d.location.line == ed.line_of("pages:", nth=2)  # (1: colour_pages)


def test_a_broken_entry_is_not_also_reported_missing(ed):
    """A story or ad that is in the file but wrong (a story written as one line of text, an ad of
    an unknown kind) has its own error; the pages that place it do not add "which does not exist"
    (a tester got three errors, two of them false, with 'there are no ad ids in this edition')."""
    ed.replace("  museum:\n    headline: 博物館之夜\n    body: 博物館今晚延時開放。", "  museum: 博物館之夜")
    ed.replace("kind: box", "kind: boxx")
    diags = ed.errors()
    codes = sorted(d.code for d in diags if d.severity.value == "error")
    assert codes == ["AD-KIND", "EDITION-TYPE"], "\n".join(d.format() for d in diags)


def test_a_story_named_twice_in_the_teasers_is_warned_and_set_once(ed):
    """`teasers: [rail-link, rail-link]` printed the same teaser twice without a word."""
    from layout.diagnostics import Diagnostics

    ed.replace("teasers: [rail-link, museum]", "teasers: [rail-link, museum, rail-link]")
    diags = Diagnostics()
    edition = ed.load(diagnostics=diags)
    teasers = next(i for i in edition.pages[0].items if i.kind == "teasers")
    assert teasers.refs == ("rail-link", "museum")
    found = [d for d in diags if d.code == "TEASER-DUPLICATE"]
    assert len(found) == 1 and found[0].location.line == ed.line_of("teasers:")
    assert found[0].location.column == col_of(ed, "rail-link]")


def test_the_fast_scan_for_bad_characters_finds_exactly_what_the_character_check_names():
    """A text is looked at character by character only when the regex finds a character that
    _bad_char names: the two must agree on every code point (or a bad character would slip by)."""
    from layout.model import load as L

    named = [c for c in range(0x110000) if L._bad_char(chr(c))]
    found = [c for c in range(0x110000) if L._MAYBE_BAD.search(chr(c))]
    assert named == found
    assert {0x00, 0x0B, 0x1F, 0x7F, 0x9F, 0xD800, 0xDFFF} <= set(named) and 0x0A not in named


def test_a_number_that_cannot_be_used_is_one_error(ed):
    """`cols: .inf` is EDITION-VALUE at the value; the reader of `cols` does not add "must be a
    whole number, not an empty value" at the same place (two errors for one slip)."""
    ed.replace("        cols: 3\n        lines: 24", "        cols: .inf\n        lines: 24")
    diags = [d for d in ed.errors() if d.location.line == ed.line_of("cols: .inf")]
    assert [d.code for d in diags] == ["EDITION-VALUE"], "\n".join(d.format() for d in diags)


def test_an_empty_story_file_has_a_hint_that_says_what_to_do(ed):
    from layout.diagnostics import Diagnostics

    (ed.root / "text" / "ai-plan.txt").write_text("\n\n", "utf-8")
    diags = Diagnostics()
    ed.load(diagnostics=diags)
    d = next(d for d in diags if d.code == "STORY-EMPTY")
    assert "fill the text file" in d.hint


@pytest.mark.parametrize(("written", "hint"), [
    ("text\\ai-plan.txt", "write paths with '/', not '\\': did you mean 'text/ai-plan.txt'?"),
    ("text/AI-Plan.TXT", "did you mean 'text/ai-plan.txt'?"),
])
def test_a_windows_path_or_a_name_in_the_wrong_case_gets_the_right_name(ed, written, hint):
    """An editor on Windows writes text\\ai-plan.txt, one on a Mac AI-Plan.TXT (their file systems
    do not mind); the build's is case-sensitive and knows only '/': the hint gives the name that
    works (it gave no suggestion for either)."""
    ed.replace("body: text/ai-plan.txt", f"body: '{written}'")
    d = ed.only("FILE-MISSING")
    assert d.hint == hint, d.format()


@pytest.mark.parametrize(("codec", "named", "iconv"), [
    ("gb18030", "GBK", "iconv -f GB18030"), ("big5", "Big5", "iconv -f BIG5"), ("utf-16", "UTF-16", "iconv -f UTF-16")])
def test_a_file_in_a_legacy_encoding_is_named(ed, codec, named, iconv):
    """A story saved by a newsroom's Windows tools in GBK, a Taiwan desk's in Big5, or a UTF-16
    export: the error says which encoding the file is in and how to convert it, not only the first
    byte UTF-8 cannot read."""
    text = "第一段：重慶晨報記者報道。\n第二段。\n"
    if codec == "big5":
        text = "第一段：臺灣記者報導。\n第二段。\n"
    (ed.root / "text" / "ai-plan.txt").write_bytes(text.encode(codec))
    d = ed.only("TEXT-ENCODING")
    assert named in d.message and iconv.lower() in d.hint.lower(), d.format()
    assert where(d) == (str(ed.root / "text" / "ai-plan.txt"), 1, 1)


@pytest.mark.parametrize("text", ["全市今日氣溫五至十二度，陰有小雨。\n", "全市今日气温五至十二度，阴有小雨。\n"])
def test_a_gbk_file_whose_first_bytes_read_as_utf8_is_named(ed, text):
    """全 in GBK is C8 AB, which is valid UTF-8 (U+022B): the first bad byte came after it, so the
    file was 'not UTF-8 (byte 0xCA at byte 2)' instead of GBK with the iconv command."""
    data = text.encode("gb18030")
    assert data[:2].decode("utf-8") == "\u022b"
    (ed.root / "text" / "ai-plan.txt").write_bytes(data)
    d = ed.only("TEXT-ENCODING")
    assert "GBK" in d.message and "iconv -f gb18030" in d.hint.lower(), d.format()
    assert where(d) == (str(ed.root / "text" / "ai-plan.txt"), 1, 1)


@pytest.mark.parametrize(("old", "new", "line"), [
    ("  museum:\n    headline: 博物館之夜\n    body: 博物館今晚延時開放。\n", "  museum:\n", "  museum:"),
    ("  bank:\n    kind: pdf\n    file: assets/bank.pdf\n", "  bank:\n", "  bank:")])
def test_an_empty_story_or_ad_is_one_error(ed, old, new, line):
    """`museum:` with nothing under it was two errors for one slip: EDITION-MISSING-KEY "is empty"
    and EDITION-TYPE "must be a mapping, not an empty value"."""
    ed.replace(old, new)
    diags = [d for d in ed.errors() if d.location.line == ed.line_of(line)]
    assert [d.code for d in diags] == ["EDITION-MISSING-KEY"], "\n".join(d.format() for d in diags)


def test_a_jump_to_an_earlier_page_is_warned(ed):
    """Story ai-plan starts on A03 and continues on A01: readers turn forward, so a jump back is
    most often a slip of the page id; it was accepted without a word (qa1's j-back edition)."""
    ed.replace("- story: ai-plan", "- continued: TMP")
    ed.replace("- continued: ai-plan", "- story: ai-plan")
    ed.replace("- continued: TMP", "- continued: ai-plan")
    ed.replace("jump: A03", "jump: A01")
    from layout.diagnostics import Diagnostics

    diags = Diagnostics()
    ed.load(diagnostics=diags)
    [d] = [d for d in diags if d.code == "JUMP-BACKWARD"]
    assert d.severity.value == "warning" and d.story == "ai-plan" and d.page == "A03"
    assert "A01, an earlier page" in d.message and "start the story on an earlier page" in d.hint  # A03 is the last
    assert where(d) == (str(ed.path), ed.line_of("jump: A01"), 11)


@pytest.mark.parametrize("slot", [True, False], ids=["with-a-slot", "without"])
def test_a_jump_onto_the_storys_own_page_is_an_error(ed, slot):
    """Story ai-plan on A01 with `jump: A01`: with a continued: slot on A01 it was accepted and
    printed （下轉A01版） on A01 itself; without one, JUMP-NO-SLOT said to add the slot there."""
    ed.replace("jump: A03", "jump: A01")
    if slot:
        ed.replace("      - ad: subscribe\n", "      - continued: ai-plan\n        at: {col: 7, line: 50, cols: 2, "
                   "lines: 20}\n      - ad: subscribe\n")
    ed.replace("      - continued: ai-plan\n        at: {col: 1, line: 1, cols: 4, lines: 40}\n", "")
    diags = ed.errors()
    assert "JUMP-NO-SLOT" not in [d.code for d in diags], "\n".join(d.format() for d in diags)
    d = ed.only("JUMP-SAME-PAGE")
    assert d.story == "ai-plan" and d.page == "A01"
    assert "starts on page A01 and jumps to page A01, its own page" in d.message
    assert "jump to a later page (A02, A03" in d.hint and "jump: auto" in d.hint
    assert where(d) == (str(ed.path), ed.line_of("jump: A01"), col_of(ed, "A01", "jump: A01"))


def test_a_jump_to_no_such_page_names_the_value(ed):
    ed.replace("jump: A03", "jump: A3")
    d = ed.only("PAGE-MISSING")
    assert "jumps to page A3, which does not exist" in d.message and "A03" in d.hint
    assert where(d) == (str(ed.path), ed.line_of("jump: A3"), col_of(ed, "A3", "jump: A3"))


def test_a_table_jumping_onto_its_own_page_is_an_error(ed):
    ed.replace("stories:\n", "tables:\n  prices:\n    title: 菜價\n    jump: A02\n    header: [品名, 價格]\n"
               "    rows:\n      - [白菜, '2.50']\n\nstories:\n")
    ed.replace("      - ad: bank\n        at: {col: 1, line: 60, cols: 8, lines: 46}\n",
               "      - table: prices\n        at: {col: 1, line: 60, cols: 8, lines: 46}\n")
    d = ed.only("TABLE-JUMP-SAME-PAGE")
    assert "table prices starts on page A02 and jumps to page A02, its own page" in d.message
    assert "A03" in d.hint and where(d)[:2] == (str(ed.path), ed.line_of("  prices:"))
    assert "TABLE-JUMP-NO-SLOT" not in [x.code for x in ed.errors()]


def test_a_slot_on_the_storys_own_page_is_not_told_to_jump_there(ed):
    """A continued: slot on A01 for ai-plan (which starts on A01 and jumps to A03): the hint said
    "set 'jump: A01'", which is the jump onto its own page."""
    ed.replace("      - ad: subscribe\n", "      - continued: ai-plan\n        at: {col: 7, line: 50, cols: 2, "
               "lines: 20}\n      - ad: subscribe\n")
    d = next(d for d in ed.errors() if d.code == "JUMP-ORPHAN-SLOT" and d.page == "A01")
    assert "jump: A01" not in d.hint and "move this slot to page A03" in d.hint, d.format()


def test_a_jump_to_no_such_page_from_the_last_page_suggests_no_earlier_one(ed):
    """A story starting on the last page, A03, with `jump: A09`: 'did you mean A02?' sent it back."""
    ed.replace("      - story: rail-link\n", "      - story: TMP\n")
    ed.replace("      - continued: ai-plan\n", "      - story: rail-link\n")
    ed.replace("      - story: TMP\n", "      - continued: ai-plan\n")
    ed.replace("jump: A03", "jump: A02")
    ed.replace("  rail-link:\n", "  rail-link:\n    jump: A09\n")
    d = ed.only("PAGE-MISSING")
    assert "rail-link jumps to page A09" in d.message and d.hint.startswith("page A03 is the last"), d.format()
