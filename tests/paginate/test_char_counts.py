"""report.json's copyfit counts add up: for every story chars_set + overset_chars == chars. QA e1:
the lead, with a dateline (本報訊) and inline markup, gave chars 2069 but chars_set 2072 — the
dateline is set in front of the first paragraph and counted by the flow, but not in `chars`."""

from pathlib import Path

import pytest

from layout.build import prepare
from layout.report import story_copyfit

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"
LEAD = ROOT / "tests" / "data" / "counts" / "lead.txt"  # QA e1's lead: markup, a sub-head, rare characters


def _balanced(prep):
    out = []
    for sid, layout in prep.layout.stories.items():
        r = story_copyfit(layout)
        out.append((sid, r["chars"], r["chars_set"], r["overset_chars"]))
    return out


def _edition(tmp_path, *, module_lines, vertical=False):
    """The mini edition with QA e1's lead as its lead, with a dateline, in a module of `module_lines`."""
    text = MINI.read_text("utf-8")
    head = "    byline: 本報記者 陳思遠\n    jump: A04\n    body: |\n"
    assert head in text
    start = text.index(head)
    end = text.index("\n  ", start + len(head))
    while text[end + 3:end + 4] == " ":  # the body block's lines are indented six spaces
        end = text.index("\n  ", end + 1)
    lead = "    byline: 本報記者 陳思遠\n    dateline: 本報訊\n    jump: A04\n    body: lead.txt\n"
    if vertical:
        lead += "    direction: vertical\n"
    text = text[:start] + lead + text[end + 1:]
    (tmp_path / "lead.txt").write_text(LEAD.read_text("utf-8"), "utf-8")
    path = tmp_path / "ed.yaml"
    at = "at: {col: 1, line: 13, cols: 6, lines: 40}"
    assert at in text
    text = text.replace(at, at.replace("40", str(module_lines)), 1)
    cont = "at: {col: 5, line: 1, cols: 4, lines: 105}"  # the lead's continuation on A04
    assert cont in text
    if module_lines < 40:  # a short story module and a short continuation: the lead is overset
        text = text.replace(cont, cont.replace("105", "10"), 1)
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("module_lines", [40, 8])
def test_a_story_with_a_dateline_and_markup_sets_no_more_than_it_has(tmp_path, module_lines):
    prep = prepare(_edition(tmp_path, module_lines=module_lines))
    assert "lead" in prep.layout.stories and prep.layout.stories["lead"].story.dateline == "本報訊"
    counts = _balanced(prep)
    assert [c for c in counts if c[2] + c[3] != c[1]] == []
    lead = next(c for c in counts if c[0] == "lead")
    if module_lines == 8:
        assert lead[3] > 0  # overset: the count still balances


def test_the_sample_editions_stories_balance():
    prep = prepare(ROOT / "editions" / "sample.yaml")
    assert any(layout.story.dateline for layout in prep.layout.stories.values())
    assert [c for c in _balanced(prep) if c[2] + c[3] != c[1]] == []


def test_a_vertical_story_with_a_dateline_balances(tmp_path):
    prep = prepare(_edition(tmp_path, module_lines=40, vertical=True))
    assert prep.layout.stories["lead"].story.direction == "vertical"
    assert [c for c in _balanced(prep) if c[2] + c[3] != c[1]] == []
