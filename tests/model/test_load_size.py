"""Items the engine places may carry a module size without a position (`size:`)."""

from __future__ import annotations


def test_item_without_at_keeps_its_size(ed):
    ed.replace("      - ad: subscribe\n        at: {col: 7, line: 13, cols: 2, lines: 30}",
               "      - ad: subscribe\n        size: {cols: 2, lines: 30}")
    item = next(i for i in ed.load().pages[0].items if i.ref == "subscribe")
    assert item.at is None
    assert item.size == (2, 30)


def test_size_needs_both_numbers(ed):
    ed.replace("      - ad: subscribe\n        at: {col: 7, line: 13, cols: 2, lines: 30}",
               "      - ad: subscribe\n        size: {cols: 2}")
    d = ed.only("EDITION-MISSING-KEY")
    assert "lines" in d.message


def test_size_numbers_are_checked(ed):
    ed.replace("      - ad: subscribe\n        at: {col: 7, line: 13, cols: 2, lines: 30}",
               "      - ad: subscribe\n        size: {cols: 0, lines: 30}")
    assert ed.only("EDITION-RANGE").message.startswith("'cols' of the size")
