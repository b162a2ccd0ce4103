"""R2 (ink classification) with the TC-like test font, and kaiming widths with the real Noto Serif
CJK SC face (system file; the shipped fonts in fonts/ are another engineer's)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textkit import GOLDEN, lines_text

from layout.text.compose import Composer, compose_paragraph
from layout.text.display import fit_display
from layout.text.punct import classify_ink

approx = pytest.approx
KAIMING = replace(GOLDEN, punct_style="kaiming", breaker="total-fit")


def _ink_inside_boxes(par, chain):
    face = chain.primary
    for line in par.lines:
        for g in line.glyphs:
            ink = face.ink(g.gid)
            if ink is None or not (0.99 <= face.advance(g.gid) <= 1.01) or g.text.isascii():
                continue
            assert g.x + ink[0] >= g.box_x - 1e-6, g.text
            assert g.x + ink[2] <= g.box_x + g.width + 1e-6, g.text


@pytest.mark.parametrize("style", ["quanjiao", "quanjiao+lineend", "kaiming", "banjiao"])
def test_r2_centred_marks_keep_their_ink(tf_tc, compose, style):
    """A TC font's centred ，。 are never compressed: nothing ink-bearing is removed."""
    par = compose("甲，「乙」。丙，", 50, chain=tf_tc, punct_style=style)
    widths = {g.text: g.width for g in par.lines[0].glyphs}
    assert widths["，"] == approx(1.0) and widths["。"] == approx(1.0)
    _ink_inside_boxes(par, tf_tc)
    sc = compose("甲，「乙」。丙，", 50, punct_style=style)
    assert sc.lines[0].width <= par.lines[0].width
    if style in ("kaiming", "banjiao"):
        assert sc.lines[0].width < par.lines[0].width  # the SC-position font's ， goes to ½ em


def test_r2_classification_of_real_glyphs(noto):
    face = noto.primary
    for ch, side in (("，", "left"), ("。", "left"), ("“", "right"), ("”", "left"), ("「", "right"), ("》", "left")):
        ink = face.ink(face.gid(ch))
        assert classify_ink(face.advance(face.gid(ch)), ink[0], ink[2]) == side, ch


def test_kaiming_widths_with_noto(noto):
    par = compose_paragraph("他說：“好。”", 50, KAIMING, noto)
    assert par.lines[0].width == approx(5.5)
    widths = [g.width for g in par.lines[0].glyphs]
    assert widths == approx([1, 1, 0.5, 0.5, 1, 1, 0.5])
    _ink_inside_boxes(par, noto)


def test_noto_interpunct_dash_and_ellipsis(noto):
    par = compose_paragraph("克里斯蒂娜·羅塞蒂——好……", 50, KAIMING, noto)
    g = {x.text: x for x in par.lines[0].glyphs}
    assert g["·"].width == approx(0.5)
    ink = noto.primary.ink(g["·"].gid)
    centre = g["·"].x + (ink[0] + ink[2]) / 2
    assert centre == approx(g["·"].box_x + 0.25, abs=0.01)
    dashes = [x for x in par.lines[0].glyphs if x.text == "—"]
    ink = noto.primary.ink(dashes[0].gid)
    gap = (dashes[1].x + ink[0]) - (dashes[0].x + ink[2])
    assert abs(gap) <= 0.02  # R4: one unbroken rule
    dots = [x for x in par.lines[0].glyphs if x.text == "…"]
    assert dots[1].box_x - dots[0].box_x == approx(1.0)
    dink = noto.primary.ink(dots[0].gid)
    assert (dink[1] + dink[3]) / 2 == approx(0.38, abs=0.1)  # vertically centred in the em box


def test_noto_body_paragraph_fills_measure(noto):
    text = "本報訊（記者 王小明）今年以來，全市規模以上工業增加值同比增長11.6%，其中高技術製造業增長20.3%。" * 3
    par = Composer(replace(KAIMING, indent=2.0), noto).paragraph(text, 13.0)
    assert par.lines[0].glyphs[0].box_x == approx(2.0)
    for line in par.lines[:-1]:
        assert line.width == approx(13.0, abs=0.01)


def test_composer_caches(tf):
    c = Composer(GOLDEN, tf)
    a = c.paragraph("甲乙丙丁戊己", 4)
    assert c.paragraph("甲乙丙丁戊己", 4) is a
    assert c.paragraph("甲乙丙丁戊己", 5) is not a


def test_headline_fits_largest_size_without_breaking_a_word(tf):
    # 9 Han at 18 pt fit two lines of 5 em only by splitting 人工智能; the largest size with a
    # break between words is 12 pt (7.5 em): 本市人工智能 | 再加碼
    fit = fit_display("本市人工智能再加碼", 90, [30, 24, 18, 12], GOLDEN, tf, max_lines=2)
    assert fit.set.fits and fit.size == 12 and fit.set.inside_words == 0
    assert [lines_text_line(ln) for ln in fit.set.lines] == ["本市人工智能", "再加碼"]


def test_headline_never_ends_with_open_mark(tf):
    fit = fit_display("科技創新“水平”連續七年居首位", 100, [20, 16], GOLDEN, tf, max_lines=3)
    assert fit.set.fits
    assert all(not lines_text_line(ln).endswith("“") for ln in fit.set.lines)


def lines_text_line(line) -> str:
    return "".join(g.text for g in line.glyphs)


def test_headline_miss(tf):
    text = "一二三四五六七八九十" * 3
    fit = fit_display(text, 60, [30, 20], GOLDEN, tf, max_lines=2)
    assert not fit.set.fits and fit.size == 20 and len(fit.set.lines) == 10  # set in full, flagged


def test_lines_text_helper_is_consistent(compose):
    assert lines_text(compose("甲乙丙", 10)) == ["甲乙丙"]
