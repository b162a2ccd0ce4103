"""The Taiwan and Hong Kong conventions keep the line-start prohibition of closing marks and the
orphan rule (R5, R37): a tester found a paragraph of the Taiwan edition ending on a line that held
only "。", and lines starting with "，" or "。". The conventions are taken from the shipped
template as an edition gets them (apply_convention), with the TC-region face they set."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.fonts.chain import FontChain
from layout.fonts.face import Face, FaceSpec
from layout.template import apply_convention, load_template
from layout.text import rules_zh as R
from layout.text.compose import compose_paragraph
from layout.text.style import CompositionStyle
from layout.text.vertical import VerticalComposer

FONTS = Path(__file__).resolve().parents[2] / "fonts"
CONVENTIONS = ("taiwan", "hongkong")
# Closing marks no line may start with, in any convention (clreq; cjk-rules R5 test list).
NO_START = "、，；：。．！？」』）》〉】〕”’"
MARKS = NO_START + "「『（《“‘"

HAN = "臺北市政府今天宣佈捷運新線年底通車民眾認為這一變化來得正是時候此為第段"
STOPS = ["，", "。", "、", "；", "：", "？", "！", "。」", "」，", "！」", "？」"]


def convention_style(name: str) -> CompositionStyle:
    return apply_convention(load_template("broadsheet"), name).composition


@pytest.fixture(scope="module")
def tc() -> FontChain:
    return FontChain("body", [Face(FaceSpec(FONTS / "NotoSerifCJKtc-Regular.otf"))])


@pytest.fixture(scope="module")
def vertical(tc) -> dict[str, VerticalComposer]:
    return {name: VerticalComposer(convention_style(name), tc) for name in CONVENTIONS}


def content(s: str) -> int:
    """Characters R37 counts: Han, letters and digits (marks and spaces do not count)."""
    return sum(1 for c in s if R.is_han(ord(c)) or c.isalnum())


def problems(lines: list[str]) -> list[str]:
    out = [f"line {k + 1} starts with {s[0]!r}: {s!r}" for k, s in enumerate(lines) if k and s and s[0] in NO_START]
    if len(lines) > 1 and content(lines[-1]) < 2:
        out.append(f"last line has {content(lines[-1])} content characters: {lines[-1]!r}")
    return out


def horizontal_lines(text: str, measure: float, style: CompositionStyle, chain: FontChain) -> list[str]:
    par = compose_paragraph(text, measure, style, chain)
    return [text[ln.start:ln.end].strip() for ln in par.lines]


def vertical_lines(text: str, measure: float, comp: VerticalComposer) -> list[str]:
    return ["".join(g.text for g in ln.glyphs).strip() for ln in comp.paragraph(text, measure).lines]


@st.composite
def paragraphs(draw):
    parts = [draw(st.text(alphabet=HAN, min_size=1, max_size=5))]
    for _ in range(draw(st.integers(1, 14))):
        parts.append(draw(st.sampled_from(STOPS)) if draw(st.booleans()) else "「")
        parts.append(draw(st.text(alphabet=HAN, min_size=1, max_size=6)))
        if parts[-2] == "「":  # R10 keeps 」「 together: text after a quote keeps runs breakable
            parts += ["」", draw(st.text(alphabet=HAN, min_size=1, max_size=3))]
    # The closing sentence ends on at least two Han characters, as real copy does: R37 can then
    # always be met at 6 em and more.
    parts.append(draw(st.sampled_from(STOPS[:3])))
    parts.append(draw(st.text(alphabet=HAN, min_size=2, max_size=6)))
    parts.append(draw(st.sampled_from(["。", "。」", "！", "？」", "……。"])))
    return "".join(parts)


# The tester's paragraph (page A02 of the Taiwan test edition): "此為第 23005 段" then "。".
REPRO = ("氣象部門日前宣佈，海水淡化廠二期投產後日產淡水5萬立方米，市民普遍表示歡迎。此為第23005段。")


@pytest.mark.parametrize("name", CONVENTIONS)
def test_the_testers_paragraph_never_ends_on_a_lone_full_stop(name, tc, vertical):
    style = convention_style(name)
    # From 6 em: at 4 the number 23005 fills a line by itself and no break can leave 2 characters
    # on the last line (the rule then yields, as it must, to setting every character).
    for measure in range(6, 40):
        lines = horizontal_lines(REPRO, float(measure), style, tc)
        assert not problems(lines), (name, measure, lines)
        vlines = vertical_lines(REPRO, float(measure), vertical[name])
        assert not problems(vlines), (name, "vertical", measure, vlines)


@pytest.mark.parametrize("name", CONVENTIONS)
def test_every_measure_of_a_punctuated_paragraph(name, tc, vertical):
    text = ("市民李女士在座談會上介紹，濱海步道二期工程已完成87%；不少人認為，這一變化來得正是時候。"
            "「我們希望讓更多人受益。」他說。老城區居民指出，新能源公交車佔比提高到九成、"
            "充電站增加到三百座；專家說：「還要完善！」此為第1段。")
    style = convention_style(name)
    for measure in range(5, 30):
        assert not problems(horizontal_lines(text, float(measure), style, tc)), (name, measure)
        assert not problems(vertical_lines(text, float(measure), vertical[name])), (name, "vertical", measure)


@settings(max_examples=60, deadline=None)
@given(text=paragraphs(), measure=st.integers(6, 26), name=st.sampled_from(CONVENTIONS),
       vertical_text=st.booleans(), first_fit=st.booleans())
def test_no_closing_mark_starts_a_line_and_no_lone_mark_ends_a_paragraph(tc, vertical, text, measure, name,
                                                                         vertical_text, first_fit):
    style = convention_style(name)
    if vertical_text:
        comp = vertical[name]
        if first_fit:
            comp = VerticalComposer(replace(style, breaker="first-fit"), tc)
        lines = vertical_lines(text, float(measure), comp)
    else:
        lines = horizontal_lines(text, float(measure), replace(style, breaker="first-fit") if first_fit else style,
                                 tc)
    assert "".join(lines).replace(" ", "") == text.replace(" ", ""), "every character is set once"
    assert not problems(lines), (name, measure, lines)


def test_a_last_line_of_marks_only_is_an_orphan_at_any_level(tc):
    """R37 counts content characters: a last line with none (only "。") is as much an orphan as one
    with a single Han character, whatever the kinsoku level lets start a line."""
    style = replace(convention_style("taiwan"), level="none")
    for measure in range(6, 40):
        lines = horizontal_lines(REPRO, float(measure), style, tc)
        assert len(lines) == 1 or content(lines[-1]) >= 2, (measure, lines)


def test_the_conventions_set_the_loose_level_and_it_relaxes_only_connectors_and_interpuncts(tc):
    assert convention_style("taiwan").level == convention_style("hongkong").level == "loose"
    assert convention_style("mainland").level == "gb"
    loose = R.LEVELS["loose"]
    assert loose.no_start == {R.STOP, R.CLOSE} and loose.no_end == {R.OPEN}
    assert R.LEVELS["basic"].no_start - loose.no_start == {R.CONNECTOR, R.INTERPUNCT}
    # 甲乙丙丁戊 fill a 5 em line: under loose the interpunct may start the next one, under basic
    # it takes 戊 with it (push-down); the comma never starts a line under either.
    style = replace(convention_style("taiwan"), indent=0.0)
    assert horizontal_lines("甲乙丙丁戊·己庚", 5.0, style, tc) == ["甲乙丙丁戊", "·己庚"]
    assert horizontal_lines("甲乙丙丁戊·己庚", 5.0, replace(style, level="basic"), tc) == ["甲乙丙丁", "戊·己庚"]
    assert horizontal_lines("甲乙丙丁戊，己庚", 5.0, style, tc) == ["甲乙丙丁", "戊，己庚"]
