"""Issue 17, the display side: a 500-letter Latin word is set (cut between letters, reported), a
deck longer than its room is never drawn over what lies below (HEAD-OVERFLOW), a headline wider
than the page is fitted or reported and never drawn outside its module."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from layout.build import prepare

MINI = Path(__file__).resolve().parents[1] / "data" / "mini" / "mini.yaml"
WORD = "Pneumono" + "x" * 492  # 500 letters, no break opportunity


@pytest.fixture(scope="module")
def hard(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hard")
    data = yaml.safe_load(MINI.read_text("utf-8"))
    data["stories"]["s02"]["body"] = f"開頭的文字{WORD}結尾的文字。\n第二段。\n"
    brief = data["stories"]["brief"]
    brief["decks"] = ["本市今年新增綠地四十二公頃濱江步道延長三點五公里沿線新建口袋公園十八處" * 2] * 40
    data["stories"]["s03"]["headline"] = "Super" + "c" * 300 + "標題"
    path = tmp / "hard.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return prepare(path)


def _frame(prep, page):
    return next(p.frame for p in prep.layout.pages if p.page.id == page)


def _codes(prep, story):
    return {d.code for d in prep.ctx.diagnostics if d.story == story}


def test_a_500_letter_word_is_set_in_full_and_reported(hard):
    frame = _frame(hard, "A02")
    runs = [r for r in frame.runs() if r.source.story == "s02" and r.source.paragraph == 0]
    text = "".join(r.text for r in runs)
    assert WORD in text  # every letter printed, in order
    module = next(m for m in frame.modules if m.ref == "s02")
    for r in runs:
        for g in r.glyphs:
            assert module.x - 0.01 <= g.x and g.x + g.advance <= module.x + module.w + 0.01
    assert "LATIN-WORD-BROKEN" in _codes(hard, "s02")


def test_a_deck_longer_than_its_room_is_reported_not_overprinted(hard):
    frame = _frame(hard, "A01")
    module = next(m for m in frame.modules if m.ref == "brief")
    below = [r for r in frame.runs() if r.source.story == "brief" and r.source.kind in ("deck", "headline")
             and r.glyphs[0].y > module.y + module.h + 0.01]
    assert below == []
    found = [d for d in hard.ctx.diagnostics if d.code == "HEAD-OVERFLOW" and d.story == "brief"]
    assert found and "not set" in found[0].message and "deck" in found[0].message


def test_a_headline_wider_than_the_page_stays_in_its_module_and_is_reported(hard):
    frame = _frame(hard, "A03")
    module = next(m for m in frame.modules if m.ref == "s03")
    runs = [r for r in frame.runs() if r.source.story == "s03" and r.source.kind == "headline"]
    text = "".join(r.text for r in runs)
    assert text == "Super" + "c" * 300 + "標題"
    for r in runs:
        for g in r.glyphs:
            assert module.x - 0.01 <= g.x and g.x + g.advance <= module.x + module.w + 0.01
    assert _codes(hard, "s03") & {"HEADLINE-TOO-LONG", "DISPLAY-WORD-BROKEN"}
