"""Every setting applied or refused: the keys of `overrides:` take effect or are errors with a
suggestion, and composition can be chosen per edition, per page and per story."""

from __future__ import annotations

import pytest

from layout.build import prepare
from layout.diagnostics import InputError
from layout.frames import GlyphRun
from tests.edition.editionkit import edition_yaml, write_edition


def _errors(path):
    with pytest.raises(InputError) as info:
        prepare(path)
    return info.value.diagnostics


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


REFUSED = [
    ("overrides: {pages: 4}", "EDITION-UNKNOWN-KEY", "pages: 4", "number of pages listed under `pages:`"),
    ("overrides: {template: {pages: 4}}", "TEMPLATE-VALUE", "pages: 4", "page counts the template prints"),
    ("overrides: {grid: {columns: 6}}", "EDITION-UNKNOWN-KEY", "grid", "goes under `template:`"),
    ("overrides: {composition: {levle: strict}}", "TEMPLATE-UNKNOWN-KEY", "levle", "did you mean 'level'"),
    ("overrides: {composition: {level: strictt}}", "TEMPLATE-VALUE", "strictt", "did you mean 'strict'"),
    ("overrides: {template: {grid: {colums: 6}}}", "TEMPLATE-UNKNOWN-KEY", "colums", "did you mean 'columns'"),
    ("overrides: {print: {ink_limt: 240}}", "EDITION-UNKNOWN-KEY", "ink_limt", "did you mean 'ink_limit'"),
    ("overrides: {prnt: {ink_limit: 240}}", "EDITION-UNKNOWN-KEY", "prnt", "did you mean 'print'"),
]


@pytest.mark.parametrize("top,code,at,hint", REFUSED, ids=[r[0] for r in REFUSED])
def test_unknown_or_wrong_override_is_an_error_with_a_suggestion(tmp_path, top, code, at, hint):
    text = edition_yaml(8, extra_top=top)
    path = write_edition(tmp_path, text)
    found = [d for d in _errors(path) if d.code == code]
    assert found
    d = found[0]
    assert d.location.file == str(path) and d.location.line == _line(text, at), d.format()
    line = text.split("\n")[d.location.line - 1]
    key, _, value = at.partition(": ")
    key_col = line.index(key) + 1
    value_col = line.index(value, key_col) + 1 if value else key_col
    assert d.location.column in (key_col, value_col), d.format()  # an unknown key at the key, a bad value at the value
    assert hint in d.hint, d.format()


def test_template_override_takes_effect(tmp_path):
    path = write_edition(tmp_path, edition_yaml(8, extra_top="overrides: {template: {grid: {lines: 100}, "
                                                              "rules: {column_rule: 0.3}}}", lines=100))
    prep = prepare(path)
    assert prep.template.grid.lines == 100 and prep.template.rules["column_rule"] == 0.3
    # the pages are checked against the overridden grid: line 101 no longer exists
    text = edition_yaml(8, extra_top="overrides: {template: {grid: {lines: 100}}}")
    errors = _errors(write_edition(tmp_path / "b", text))
    assert any(d.code == "GRID-OUTSIDE" and "100 lines" in d.hint for d in errors)


def test_print_override_takes_effect(tmp_path):
    path = write_edition(tmp_path, edition_yaml(8, extra_top="overrides: {print: {ink_limit: 240, ink_warn: 230}}"))
    assert prepare(path).ctx.profile.ink_limit == 240


def _body_glyphs(prep, story):
    return [(round(g.x, 3), round(g.y, 3), g.text) for p in prep.layout.pages for r in p.frame.items
            if isinstance(r, GlyphRun) and r.source.story == story and r.source.kind == "body" for g in r.glyphs]


COMMAS = "一，二，三，四，五，六，七，八，九，十，一，二，三，四，五，六，七，八，九，十，一，二，三，四，五，六。"


def _with_commas(text: str) -> str:
    return text.replace("這是A03版的測試稿件。", COMMAS).replace("這是A05版的測試稿件。", COMMAS)


def test_edition_composition(tmp_path):
    base = prepare(write_edition(tmp_path / "a", _with_commas(edition_yaml(8))))
    quan = prepare(write_edition(tmp_path / "b", _with_commas(edition_yaml(
        8, extra_top="overrides: {composition: {punct_style: quanjiao}}"))))
    assert quan.ctx.setter.style.punct_style == "quanjiao" and base.ctx.setter.style.punct_style == "kaiming"
    assert _body_glyphs(base, "s-A03") != _body_glyphs(quan, "s-A03")


def test_page_and_story_composition(tmp_path):
    text = _with_commas(edition_yaml(8))
    base = prepare(write_edition(tmp_path / "a", text))
    # A03's stories in full-width punctuation; A05's story without the paragraph indent
    text = text.replace("  - page: A03\n", "  - page: A03\n    composition: {punct_style: quanjiao}\n")
    text = text.replace("  s-A05:\n", "  s-A05:\n    composition: {indent: 0}\n")
    text = text.replace("  s-A04:\n", "  s-A04:\n    composition: {punct_style: quanjiao}\n")
    changed = prepare(write_edition(tmp_path / "b", text))
    assert _body_glyphs(base, "s-A03") != _body_glyphs(changed, "s-A03")
    assert _body_glyphs(base, "s-A02") == _body_glyphs(changed, "s-A02")
    first_base, first = _body_glyphs(base, "s-A05")[0], _body_glyphs(changed, "s-A05")[0]
    g = changed.template.grid
    assert abs(first_base[0] - (g.col_x(1) + 2 * g.body_size)) < 0.01  # the 2-character indent …
    assert abs(first[0] - g.col_x(1)) < 0.01  # … gone for this story only
    assert first[1] == first_base[1]


def test_story_composition_over_page_composition(tmp_path):
    text = _with_commas(edition_yaml(8))
    base = prepare(write_edition(tmp_path / "a", text))
    text = text.replace("  - page: A03\n", "  - page: A03\n    composition: {punct_style: quanjiao}\n")
    text = text.replace("  s-A03:\n", "  s-A03:\n    composition: {punct_style: kaiming}\n")
    assert _body_glyphs(base, "s-A03") == _body_glyphs(prepare(write_edition(tmp_path / "b", text)), "s-A03")


@pytest.mark.parametrize("where", ["page", "story"])
def test_bad_composition_on_a_page_or_story(tmp_path, where):
    text = edition_yaml(8)
    if where == "page":
        text = text.replace("  - page: A03\n", "  - page: A03\n    composition: {kinsoku: strict}\n")
    else:
        text = text.replace("  s-A03:\n", "  s-A03:\n    composition: {punct_style: full}\n")
    path = write_edition(tmp_path, text)
    d = next(d for d in _errors(path) if d.code.startswith("EDITION-"))
    assert d.location.line == _line(text, "composition:")
    assert ("allowed keys" in d.hint) if where == "page" else ("quanjiao" in d.hint)


def test_unknown_font_role_is_refused(tmp_path):
    text = edition_yaml(8, extra_top="fonts: {bdy: [{file: NotoSerifCJKsc-Regular.otf}]}")
    d = next(d for d in _errors(write_edition(tmp_path, text)) if d.code == "EDITION-UNKNOWN-KEY")
    assert d.location.line == _line(text, "bdy") and "did you mean 'body'" in d.hint


@pytest.mark.parametrize("style,key", [("body", "colour: red"), ("caption", "colour: red"),
                                       ("lead_headline", "font: sans")])
def test_a_template_setting_the_engine_would_not_apply_is_refused(tmp_path, style, key):
    value = "{size_factor: 1.2, " + key + "}" if style == "lead_headline" else "{font: sans, size: 8, " + key + "}"
    if style == "body":
        value = "{font: body, " + key + "}"
    text = edition_yaml(8, extra_top=f"overrides: {{template: {{styles: {{{style}: {value}}}}}}}")
    d = next(d for d in _errors(write_edition(tmp_path, text)) if d.code == "TEMPLATE-UNKNOWN-KEY")
    assert key.split(":")[0] in d.message and "allowed keys" in d.hint


def test_trim_override_takes_effect(tmp_path):
    path = write_edition(tmp_path, edition_yaml(8, extra_top="overrides: {template: {trim_mm: [380, 540]}}"))
    prep = prepare(path)
    assert abs(prep.template.trim_w - 380 * 72 / 25.4) < 1e-6
    assert all(abs(p.frame.width - prep.template.trim_w) < 1e-6 for p in prep.layout.pages)


def test_kinsoku_level_reaches_the_composer_of_that_story_only(tmp_path):
    text = edition_yaml(8, extra_top="overrides: {composition: {level: strict}}")
    text = text.replace("  s-A03:\n", "  s-A03:\n    composition: {level: basic, punct_style: banjiao}\n")
    prep = prepare(write_edition(tmp_path, text))
    styles = {style for (role, style) in prep.ctx.setter._composers if role == "body"}
    assert prep.ctx.setter.style.level == "strict"
    assert any(s.level == "basic" and s.punct_style == "banjiao" for s in styles)
    assert prep.ctx.edition.composition_of("s-A03") == {"level": "basic", "punct_style": "banjiao"}
    assert prep.ctx.edition.composition_of("s-A02") == {}
