"""Rules beyond the golden cases: strictness levels, spacing, reduction order, alignment, lints."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textkit import GOLDEN, box_xs, gap_between, lines_text

from layout.text.compose import compose_paragraph
from layout.text.lint import check_measure, lint_fullwidth_latin, lint_quotes

approx = pytest.approx


def test_r5_level_none_allows_marks_at_line_start(compose):
    assert lines_text(compose("甲乙丙丁戊，己庚", 5, level="none")) == ["甲乙丙丁戊", "，己庚"]
    assert lines_text(compose("甲乙丙丁戊，己庚", 5, level="basic")) == ["甲乙丙丁", "戊，己庚"]


def test_r5_solidus_at_line_end_only_below_gb(compose):
    assert lines_text(compose("甲乙丙丁/戊己庚", 4.5, level="basic"))[0].endswith("/")
    assert not lines_text(compose("甲乙丙丁/戊己庚", 4.5, level="gb"))[0].endswith("/")


def test_r10_no_break_between_close_and_open(compose):
    for measure in (3, 4, 5):
        texts = lines_text(compose("甲乙」「丙丁戊己", measure, level="basic"))
        assert not any(t.endswith("」") and n.startswith("「") for t, n in zip(texts, texts[1:], strict=False))


def _max_gap(line) -> float:
    gl = list(line.glyphs)
    return max((h.box_x - g.box_x - g.width for g, h in zip(gl, gl[1:], strict=False)), default=0.0)


def test_r10_is_avoided_not_forbidden(compose):
    """R10 (」|「) is a SHOULD. Kept as a prohibition, a Taiwan page in plain style (no mark to
    compress) set its first line 展 覽 共 分「城 市 記 with 2 em spread over 7 gaps (qa2's
    tabloid). The total-fit breaker takes 」|「 when the other way is that loose ..."""
    text = "展覽共分「城市記憶」「江岸人家」「新時代新氣象」三個單元，展出老照片。"
    par = compose(text, 12, punct_style="plain", level="loose", indent=2.0, breaker="total-fit")
    texts = lines_text(par)
    assert texts[0] == "展覽共分「城市記憶」" and texts[1].startswith("「江岸人家」")
    assert all(_max_gap(ln) < 0.25 for ln in par.lines[:-1]), texts
    assert not any(ln.forced for ln in par.lines)
    # ... and keeps 」「 together when that costs a little spacing only (21 Han over 23 em)
    text = "甲" * 22 + "」「" + "乙" * 20 + "。"
    texts = lines_text(compose(text, 23, punct_style="plain", level="loose", breaker="total-fit"))
    assert not any(t.endswith("」") and n.startswith("「") for t, n in zip(texts, texts[1:], strict=False))


def test_r11_newspaper_relaxation(compose):
    assert lines_text(compose("甲乙丙丁戊？己庚", 5))[1][0] != "？"
    assert lines_text(compose("甲乙丙丁戊？己庚", 5, newspaper=True)) == ["甲乙丙丁戊", "？己庚"]


def test_r17_keep_option(compose):
    par = compose("甲乙丙丁“戊己”", 5, open_at_line_start="keep")
    quote = par.lines[1].glyphs[0]
    assert quote.width == approx(1.0) and quote.x == approx(0.0)


def test_r23_no_glue_next_to_cjk_punctuation(compose):
    line = compose("他說（API）很好，API，好", 50).lines[0]
    assert gap_between(line, "（", "A") == approx(0) and gap_between(line, "I", "）") == approx(0)
    assert gap_between(line, "，", "A") == approx(0) and gap_between(line, "I", "，") == approx(0)


def test_r24_several_author_spaces_become_one_glue(compose):
    par = compose("使用  Python", 50)
    assert gap_between(par.lines[0], "用", "P") == approx(0.25)
    assert par.dropped == (2, 3)


def test_r24_word_spaces_between_latin_words_stay(compose):
    par = compose("用 New York 的", 50)
    spaces = [g for g in par.lines[0].glyphs if g.text == " "]
    assert len(spaces) == 1 and spaces[0].width == approx(0.25)


def test_r26_latin_run_gets_equal_glue_on_both_sides(compose):
    par = compose("甲乙API丙丁戊己庚辛壬癸", 9.5)
    line = par.lines[0]
    assert line.width == approx(9.5)
    assert gap_between(line, "乙", "A") == approx(gap_between(line, "I", "丙"))
    letters = [g for g in line.glyphs if g.text in "API"]
    assert [b.box_x - a.box_x for a, b in zip(letters, letters[1:], strict=False)] == approx([0.5, 0.5])


def test_r29_reduction_order_pause_before_sentence_end(compose):
    par = compose("甲，乙。丙丁，戊己", 6, punct_style="quanjiao")
    assert lines_text(par)[0] == "甲，乙。丙丁，"
    widths = [g.width for g in par.lines[0].glyphs]
    # step 1 (the line-end ，) then step 5 (，) settle it; 。 (step 7) keeps its full em
    assert widths[3] == approx(1.0)
    assert par.lines[0].width == approx(6.0)


def test_r31_last_line_alignment(compose):
    centred = compose("甲乙丙丁戊己", 4, last_line="centre", min_last_line_han=0)
    assert centred.lines[-1].glyphs[0].box_x == approx(1.0)
    spread = compose("甲乙丙丁戊己", 4, last_line="distribute", min_last_line_han=0)
    assert spread.lines[-1].width == approx(4.0)


def test_r34_indent_and_trimmed_open(compose):
    par = compose("“甲乙”丙丁戊己庚辛", 6, indent=2.0)
    quote = par.lines[0].glyphs[0]
    assert quote.box_x == approx(2.0) and quote.x == approx(1.5)
    assert compose("甲乙丙", 6, indent=2.0).lines[0].glyphs[0].box_x == approx(2.0)


def test_r19_taiwan_interpunct_is_one_em(compose):
    line = compose("克里·羅塞", 50, convention="taiwan").lines[0]
    assert [g.width for g in line.glyphs if g.text == "·"] == approx([1.0])


def test_r20_connector_widths(compose):
    line = compose("甲～乙–丙", 50).lines[0]
    widths = {g.text: g.width for g in line.glyphs}
    assert widths["～"] == approx(1.0) and widths["–"] == approx(0.5)


def test_missing_glyph_is_reported_and_drawn_as_notdef(compose):
    par = compose("甲\u0627乙", 50)
    assert par.missing == ("\u0627",)
    assert [g.gid for g in par.lines[0].glyphs if g.text == "\u0627"] == [0]


def test_empty_paragraph(compose):
    assert compose("", 10).lines == ()
    assert compose("   ", 10).dropped == (0, 1, 2)


def test_justified_han_gaps_are_equal(compose):
    par = compose("甲乙丙丁戊，己庚辛壬。", 5)
    xs = box_xs(par.lines[0])
    steps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    assert max(steps) == approx(min(steps))


def test_r22_quote_lint():
    assert lint_quotes(["他說：“第一段。", "“第二段。”"]) == []
    diags = lint_quotes(["他說：“第一段。", "第二段。"], story="s1")
    assert [d.code for d in diags] == ["TEXT-QUOTE-OPEN"] and diags[0].paragraph == 0


def test_r27_and_r39_lints():
    assert lint_fullwidth_latin("ＡＢ１號")[0].code == "TEXT-FULLWIDTH-LATIN"
    assert lint_fullwidth_latin("AB1號") == []
    assert check_measure(99, 9) is None
    assert check_measure(100, 9).code == "GRID-MEASURE"


@pytest.mark.parametrize("breaker", ["total-fit", "first-fit"])
def test_unit_wider_than_measure_is_cut_not_overfull(compose, breaker):
    """A Latin run longer than the measure (R9 cannot be kept) is cut between letters so that
    every line fits its column and no character is lost (issue 17: a 500-letter word vanished);
    the paragraph says how many words were cut, for the caller's warning."""
    for text in ("中Python10000.5", "中Python10000.5中文", "甲" + "x" * 500 + "乙"):
        par = compose(text, 6, breaker=breaker)
        assert all(ln.width <= 6.01 for ln in par.lines)
        assert "".join(g.text for ln in par.lines for g in ln.glyphs) == text
        assert par.chopped == 1


@pytest.mark.parametrize("breaker", ["total-fit", "first-fit"])
def test_r36_hanging_indent(tf, breaker):
    from dataclasses import replace

    from textkit import GOLDEN

    from layout.text.compose import compose_paragraph

    style = replace(GOLDEN, breaker=breaker)
    par = compose_paragraph("問：甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳", 8, style, tf, indent=0.0, hang=3.0)
    assert par.lines[0].glyphs[0].box_x == 0
    for line in par.lines[1:]:
        assert line.glyphs[0].box_x == approx(3.0)
        assert line.indent == approx(3.0)
    for line in par.lines[:-1]:
        assert line.width == approx(8.0)


@pytest.mark.parametrize("breaker", ["total-fit", "first-fit"])
@pytest.mark.parametrize("tail", ["5。", "A。", "甲。"])
def test_r37_counts_content_characters_of_any_script(compose, breaker, tail):
    """Issue 15: a last line of one digit or letter plus a mark is as lone as one Han character
    plus a mark (the rule used to exempt any line holding Latin or digits)."""
    text = "一二三四五六七八九十" + tail  # G11's shape: with a 2 em indent the naive last line is the tail
    par = compose(text, 6, indent=2.0, breaker=breaker)
    last = "".join(g.text for g in par.lines[-1].glyphs)
    assert sum(ch.isalnum() for ch in last) >= 2, [("".join(g.text for g in ln.glyphs)) for ln in par.lines]
    assert "".join(g.text for ln in par.lines for g in ln.glyphs) == text



@pytest.mark.parametrize("breaker", ["total-fit", "first-fit"])
@pytest.mark.parametrize(("indent", "hang"), [(2.0, 0.0), (0.0, 3.0), (2.0, 4.0)])
def test_word_wider_than_measure_is_cut_to_fit_indented_lines(tf, breaker, indent, hang):
    """A word cut between letters must fit the line it lands on: the first line of a paragraph
    is shorter by its indent (R34) and later lines by a hang (R36). A tester's paragraph that was
    only a 45-letter word printed its first piece 2 em past the column (ITEM-OUTSIDE-MODULE)
    because the pieces were cut to the full measure."""
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"
    style = replace(GOLDEN, breaker=breaker, indent=indent)
    for text in (word, "甲乙" + word, word + "丙丁"):
        par = compose_paragraph(text, 6, style, tf, hang=hang)
        assert "".join(g.text for ln in par.lines for g in ln.glyphs) == text
        for ln in par.lines:
            right = max(g.x + g.width for g in ln.glyphs)
            assert right <= 6.01, (text, [g.text for g in ln.glyphs], right)


def test_pasted_tabs_and_invisible_characters_are_not_missing_glyphs(compose):
    """Text pasted from a word processor or a web page carries tabs, line separators (U+2028),
    zero-width spaces and joiners, a stray byte-order mark and soft hyphens. A tab is a space and
    the others draw nothing: none is a FONT-MISSING-GLYPH error (a tester's story with one tab
    failed the build with "no font has '\\t'"), and every visible character is still set."""
    text = "甲乙\t丙丁\u200b戊己\u2028庚\ufeff辛 ab\u00adcd\u200d壬\u2060癸"
    par = compose(text, 5)
    assert par.missing == ()
    drawn = "".join(g.text for ln in par.lines for g in ln.glyphs)
    assert "".join(drawn.split()) == "甲乙丙丁戊己庚辛abcd壬癸"  # a tab or U+2028 is set as a space
    kept = {g.text for ln in par.lines for g in ln.glyphs}
    assert not kept & set("\u200b\ufeff\u00ad\u200d\u2060")


def test_a_sub_head_heading_nothing_is_linted():
    from layout.text.lint import lint_subheads

    assert lint_subheads(["body", "subhead", "body"]) == []
    found = lint_subheads(["body", "subhead", "subhead", "body", "subhead"], story="s")
    assert [(d.code, d.paragraph) for d in found] == [("TEXT-SUBHEAD-ALONE", 1), ("TEXT-SUBHEAD-ALONE", 4)]
    assert "ends" in found[1].message and "follows" in found[0].message


def test_r26_a_web_address_is_one_latin_word(compose):
    """Justification never opens a web address up, and a line breaks inside one only after its
    / . ? & = # - _ (qapages' front page printed 'https: / / www.yiaic2026.org.cn / zh-hant /
    programme /day-one? lang = zh')."""
    url = "https://www.yujiang.gov.cn/zwgk/day-one?lang=zh&id=8123"
    text = "大會官網" + url + "同步直播，市民也可以登錄網站查看。"
    start = text.index(url)
    for measure in (9, 10.5, 13):
        par = compose(text, measure)
        assert "".join(lines_text(par)) == text
        _set_tight(par, start, start + len(url), alone_free=True)
        _broken_after(par, text, start, len(url), "/.?&=#-_")


def _set_tight(par, start: int, end: int, *, alone_free: bool = False) -> None:
    """No gap opened between the glyphs of text[start:end] on any line (`alone_free`: a line of
    those glyphs alone may be spread, justification's last resort)."""
    for line in par.lines:
        inside = [g for g in line.glyphs if start <= g.index < end]
        if alone_free and len(inside) == len(line.glyphs):
            continue
        for g, h in zip(inside, inside[1:], strict=False):
            assert h.box_x - (g.box_x + g.width) == approx(0, abs=1e-6), lines_text(par)


def _broken_after(par, text: str, start: int, n: int, marks: str) -> None:
    """Every line break inside text[start:start + n] falls after one of `marks`."""
    for line, nxt in zip(par.lines, par.lines[1:], strict=False):
        last = line.glyphs[-1]
        if start <= last.index < start + n - 1 and nxt.glyphs[0].index < start + n:
            assert text[last.index] in marks, lines_text(par)


def test_r26_a_line_of_a_web_address_alone_is_set_flush_not_spread(compose):
    """A line holding only pieces of a web address has no gap justification may open: it is set
    flush, the address never spread into 'www.      example-' (a space a reader would type)."""
    url = "https://www.example-government-portal.gov.cn/notice/2026/12/03/index.html"
    text = "詳情請訪問" + url + "查詢。"
    start = text.index(url)
    for measure in (9, 10.5, 13):
        par = compose(text, measure)
        assert "".join(lines_text(par)) == text
        _set_tight(par, start, start + len(url))


def test_r26_an_email_address_breaks_after_its_marks_not_between_letters(compose):
    mail = "service.department@chongqing-evening-news.com.cn"
    text = "電子郵箱：" + mail + "，電話：023-61880000。"
    start = text.index(mail)
    for measure in (9, 10.5, 13):
        par = compose(text, measure)
        assert "".join(lines_text(par)) == text and par.chopped == 0
        _set_tight(par, start, start + len(mail) + 1)  # nor spread before the comma that follows it
        _broken_after(par, text, start, len(mail), "./@-")


def test_a_word_wider_than_the_column_is_cut_where_the_line_ends(compose):
    """Issue 17 cut a word wider than the column into pieces of the measure, each on a line of
    its own, and the line before it was spread letter by letter (德　　　　語 / 單詞Donau…). Cut
    between any two letters instead, every line but the last is filled with its own text."""
    text = "德語單詞Donaudampfschifffahrtsgesellschaftskapitaen很長，化學名稱" \
           "Pneumonoultramicroscopicsilicovolcanoconiosis更長。"
    for measure in (9, 10.5, 13):
        par = compose(text, measure, indent=2.0)
        assert "".join(lines_text(par)) == text and par.chopped == 2
        for line in par.lines[:-1]:
            assert line.adjust < 1.0, (measure, lines_text(par), line.adjust)
