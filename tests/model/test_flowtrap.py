"""YAML-FLOW-SPLIT: a deck list split at the comma of a number inside [ ] is warned about, with the
item's line and column and the quoted text to type; quoted items are left alone."""

from __future__ import annotations

from layout.model.flowtrap import flow_split_warnings
from layout.model.yamlpos import parse_yaml


def _decks(yaml_text: str):
    root, diags = parse_yaml(yaml_text, "e.yaml")
    assert not diags
    return root.get("decks").items


def test_number_split_in_a_flow_list_is_warned_with_its_position():
    found = flow_split_warnings(_decks("decks: [霧溪村今年網上賣出農產品1,860萬元, 23名年輕人回鄉創業]\n"), "the decks")
    assert [d.code for d in found] == ["YAML-FLOW-SPLIT"]
    d = found[0]
    assert (d.location.file, d.location.line, d.location.column) == ("e.yaml", 1, 9)
    assert "'霧溪村今年網上賣出農產品1,860萬元'" in d.hint


def test_an_item_that_is_only_a_number():
    found = flow_split_warnings(_decks("decks: [5,200名選手參賽]\n"), "the decks")
    assert len(found) == 1 and "only the number 5" in found[0].message


def test_quoted_and_ordinary_items_pass():
    assert flow_split_warnings(_decks("decks: ['霧溪村今年網上賣出農產品1,860萬元', 23名年輕人回鄉創業]\n"), "x") == []
    assert flow_split_warnings(_decks("decks: [全長63.5公里, 串聯九個城區]\n"), "x") == []
    assert flow_split_warnings(_decks("decks:\n  - 今年新增128個\n  - 2027年再建\n"), "x") == []


def test_the_sample_has_no_split_decks():
    from pathlib import Path

    from layout.diagnostics import Diagnostics
    from layout.model.load import load_edition

    sample = Path(__file__).resolve().parents[2] / "editions" / "sample.yaml"
    diags = Diagnostics()
    edition = load_edition(sample, asset_roots=[sample.parent.parent / "assets"], diagnostics=diags)
    assert not [d for d in diags if d.code == "YAML-FLOW-SPLIT"]
    assert edition.stories["village-livestream"].decks[0] == "霧溪村今年網上賣出農產品1,860萬元"
    assert edition.stories["esports-cup"].decks == ("5,200名選手參賽 設“樂齡組”",)
