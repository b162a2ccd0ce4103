"""The composition rules on the built sample edition, checked through the page description:
no kinsoku breach, no one-Han-character last line, and the spacing that justification added."""

import statistics

import pytest

from layout.build import prepare
from layout.text.rules_zh import NO_END_CHARS_GB, NO_START_CHARS, is_han
from tests.e2e.conftest import SAMPLE


@pytest.fixture(scope="module")
def sample_lines():
    if not SAMPLE.exists():
        pytest.skip("no sample edition")
    prep = prepare(SAMPLE)
    lines = []
    for lay in prep.layout.stories.values():
        for placed in lay.result.placed:
            if placed.block.kind == "body":
                lines.append(placed.block.lines[placed.index])
    return lines


def _visible(line):
    return [g for g in line.glyphs if not g.text.isspace()]


def test_no_line_breaks_a_kinsoku_rule(sample_lines):
    breaches = []
    for line in sample_lines:
        glyphs = _visible(line)
        if glyphs and (glyphs[0].text in NO_START_CHARS or glyphs[-1].text in NO_END_CHARS_GB):
            breaches.append("".join(g.text for g in glyphs))
    assert breaches == []


def test_no_last_line_holds_a_single_character(sample_lines):
    """R37 (孤字): a last line of one Han character, or one Han and punctuation, is forbidden. A
    number with its classifier (3,980個。) is more than a lone character and may end a paragraph."""
    def content(line):
        return [g for g in line.glyphs if is_han(ord(g.text[0])) or g.text.isalnum()]

    orphans = ["".join(g.text for g in line.glyphs) for line in sample_lines
               if line.last and len(content(line)) < 2]
    assert orphans == []


def test_justified_lines_fill_the_measure_and_report_their_spacing(sample_lines, capsys):
    gaps = []
    for line in sample_lines:
        if line.last:
            continue
        g = line.glyphs
        assert g[-1].box_x + g[-1].width == pytest.approx(13.0, abs=0.01)
        for a, b in zip(g, g[1:], strict=False):
            if is_han(ord(a.text[0])) and is_han(ord(b.text[0])):
                gaps.append(b.box_x - (a.box_x + a.width))
    mean, biggest = statistics.fmean(gaps), max(gaps)
    with capsys.disabled():
        print(f"\nsample edition: {len(sample_lines)} body lines, Han-Han expansion mean {mean:.4f} em, "
              f"max {biggest:.4f} em")
    assert 0 <= mean < 0.05
    assert biggest <= 0.5
