"""Property tests over random Chinese paragraphs mixing Han, punctuation, digits and Latin."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from textkit import GOLDEN

from layout.text import rules_zh as R
from layout.text.compose import compose_paragraph

HAN = "中國人民大會議經濟發展新聞報道記者城市工作學生"
STOPS = ["，", "。", "、", "；", "：", "？", "！", "？！", "……", "——", "。”", "」，"]
WORDS = ["API", "Python", "GDP", "e-mail", "iPhone", "OK"]

han_word = st.text(alphabet=HAN, min_size=1, max_size=4)
latin = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
number = st.tuples(st.sampled_from(["", "¥", "#"]), st.integers(0, 99999),
                   st.sampled_from(["", ".5", "%", "km"])).map(lambda t: f"{t[0]}{t[1]}{t[2]}")
spaced = st.tuples(st.sampled_from(["", " "]), st.one_of(latin, number), st.sampled_from(["", " "])) \
    .map(lambda t: "".join(t))
quoted = st.tuples(st.sampled_from(["“”", "「」", "《》", "（）", "‘’"]), han_word).map(lambda t: t[0][0] + t[1] + t[0][1])
name = st.tuples(han_word, han_word).map(lambda t: f"{t[0]}·{t[1]}")
token = st.one_of(han_word, han_word, han_word, spaced, quoted, name, st.sampled_from(STOPS), st.just("/"))


@st.composite
def paragraphs(draw):
    parts = [draw(han_word)]
    for tok in draw(st.lists(token, max_size=25)):
        if tok in STOPS and parts[-1][-1] not in HAN:
            parts.append(draw(han_word))  # marks follow text, as in real copy
        parts.append(tok)
        if tok == "/" or tok[-1] in "”」》）’":  # R10 makes 」「 unbreakable: keep runs short
            parts.append(draw(han_word))
    return "".join(parts)


styles = st.sampled_from(["kaiming", "quanjiao", "quanjiao+lineend", "banjiao", "plain"])
levels = st.sampled_from(["basic", "gb", "strict"])
breakers = st.sampled_from(["total-fit", "first-fit"])
measures = st.integers(6, 24)


def _no_break_inside(text: str, a: int, b: int) -> bool:
    """No R9 unit split between char a (end of a line) and char b (start of the next)."""
    if b - a > 1:
        return text[a + 1:b].isspace()  # a break at a word space
    x, y = text[a], text[b]
    if x.isascii() and y.isascii() and x.isalnum() and y.isalnum():
        return False
    if x == y and x in "—…⋯":
        return False
    if y in "…⋯":
        return False
    if x in "？！" and y in "？！":
        return False
    return not (x.isdigit() and y in R.SUFFIX_UNITS)


def _single_unit(line) -> bool:
    """One glyph, or one Latin word / number (which may even be wider than the measure, and then
    is cut between its letters: a line of its pieces alone is set flush, never spread)."""
    return len(line.glyphs) == 1 or all(g.text.isalnum() or g.text in "¥#.%-" or g.text.isascii() and
                                        not g.text.isspace() for g in line.glyphs)


@settings(max_examples=400, deadline=None)
@given(paragraphs(), measures, styles, levels, breakers, st.sampled_from([0.0, 2.0]))
def test_composer_invariants(tf, text, measure, style, level, breaker, indent):
    cs = replace(GOLDEN, punct_style=style, level=level, breaker=breaker, indent=indent)
    par = compose_paragraph(text, measure, cs, tf)
    lev = R.LEVELS[level]
    no_end = R.NO_END_CHARS_GB if "solidus" in lev.no_end else R.NO_END_CHARS
    drawn = [g.index for ln in par.lines for g in ln.glyphs]
    # every character exactly once, in order; what is not drawn is a space (R24) and accounted for
    assert drawn == sorted(drawn) and len(set(drawn)) == len(drawn)
    assert sorted(drawn + list(par.dropped)) == list(range(len(text)))
    assert all(text[k] == " " for k in par.dropped)
    for k, line in enumerate(par.lines):
        assert not line.forced
        first, last_g = line.glyphs[0], line.glyphs[-1]
        assert first.text not in R.NO_START_CHARS, (text, k)
        if not line.last:
            assert last_g.text not in no_end, (text, k)
            nxt = par.lines[k + 1].glyphs[0]
            # a Latin word wider than the measure is cut between letters (counted in par.chopped)
            assert _no_break_inside(text, last_g.index, nxt.index) or par.chopped, (text, k)
            if level == "strict":
                assert not (nxt.text in "—…" and text[nxt.index + 1:nxt.index + 2] == nxt.text)
            # justified lines fill the measure (a single unbreakable unit cannot be spread)
            if _single_unit(line):
                pass
            elif line.justified:
                assert abs(line.width - measure) <= 0.01, (text, k, line.width)
            else:  # only a single unit (one glyph, or one Latin word / number) cannot be spread
                raise AssertionError((text, k, "not justified"))
        else:
            assert line.width <= measure + 0.01 or _single_unit(line)
        assert first.box_x >= (line.indent if k == 0 else 0.0) - 1e-9


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=HAN, min_size=1, max_size=80), st.integers(4, 20))
def test_solid_han_lines_on_integer_positions(tf, text, measure):
    """R33: a pure-Han line exactly L em long keeps every glyph at x = i."""
    par = compose_paragraph(text, measure, replace(GOLDEN, indent=0.0, breaker="total-fit"), tf)
    assert sum(len(line.glyphs) == measure for line in par.lines) >= len(text) // measure - 1
    for line in par.lines[:-1]:
        if len(line.glyphs) != measure:
            continue  # a line short of a character (R37 moved one down) is spread, not solid
        assert [g.box_x for g in line.glyphs] == [float(i) for i in range(len(line.glyphs))]
