"""Display lines (layout/text/display.py): word and phrase boundaries, kept spaces, balance, stubs,
forced breaks; and 60 realistic headlines over one to eight columns in the broadsheet's faces."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.fonts.chain import FontChain
from layout.fonts.face import Face, FaceSpec
from layout.text.display import compose_display, fit_display, prepare_display
from layout.text.style import CompositionStyle
from layout.text.words import word_spans

FONTS = Path(__file__).resolve().parents[2] / "fonts"
STYLE = CompositionStyle()  # the sample paper's: kaiming, gb


@pytest.fixture(scope="module")
def black() -> FontChain:
    path = FONTS / "NotoSansCJKsc-Black.otf"
    if not path.exists():
        pytest.skip("the shipped headline face is missing")
    return FontChain("headline", [Face(FaceSpec(path))])


def texts(result) -> list[str]:
    return ["".join(g.text for g in ln.glyphs) for ln in result.lines]


def breaks_inside_words(text: str, result, words=()) -> list[int]:
    spans = word_spans(text, words)
    ends = [ln.end for ln in result.lines[:-1]]
    return [e for e in ends if any(a < e < b for a, b in spans)]


@pytest.mark.parametrize(("text", "measure", "bad"), [
    ("雲渡科學城人工智能產業規模破千億", 11, "人工智|能"),
    ("平均67歲的合唱團奪得金獎", 8, "合|唱團"),
    ("雲峰山山地自行車賽下週開騎", 9, "自行|車"),
    ("全市高新區 規上工業總產值7308億元", 11, "總產|值"),
    # jieba has no 占比 and takes 比达 for a word: a deck printed 發明專利佔 / 比達38.5% (qa2)
    ("發明專利佔比達38.5%", 8, "佔|比"),
])
def test_never_inside_a_word_when_another_break_fits(black, text, measure, bad):
    got = compose_display(text, measure, STYLE, black, max_lines=3)
    assert got.fits and got.inside_words == 0
    assert not breaks_inside_words(text, got)
    assert bad.replace("|", "") in "".join(texts(got))  # nothing lost
    assert bad not in "|".join(texts(got))


def test_editor_space_is_kept_as_a_phrase_gap_and_preferred(black):
    one = compose_display("城際鐵路全線鋪軌 明年6月通車", 30, STYLE, black)
    glyphs = list(one.lines[0].glyphs)
    k = next(i for i, g in enumerate(glyphs) if g.text == " ")
    gap = glyphs[k + 1].box_x - (glyphs[k - 1].box_x + glyphs[k - 1].width)
    assert gap == pytest.approx(0.5)  # ½ em, the template's phrase_gap
    two = compose_display("城際鐵路全線鋪軌 明年6月通車", 9, STYLE, black)
    assert texts(two) == ["城際鐵路全線鋪軌", "明年6月通車"]  # the space is the break


def test_phrase_gap_is_a_template_setting(black):
    from dataclasses import replace

    got = compose_display("雄奇山水 新韻重慶", 30, replace(STYLE, phrase_gap=1.0), black)
    glyphs = list(got.lines[0].glyphs)
    k = next(i for i, g in enumerate(glyphs) if g.text == " ")
    assert glyphs[k + 1].box_x - (glyphs[k - 1].box_x + glyphs[k - 1].width) == pytest.approx(1.0)


def test_body_text_keeps_a_space_between_han_and_replaces_it_next_to_latin(black):
    from layout.text.compose import compose_paragraph

    par = compose_paragraph("對弈 最小6歲，使用 Python 編程", 40, STYLE, black, indent=0.0)
    line = par.lines[0]
    gl = list(line.glyphs)
    sp = [g for g in gl if g.text == " "]
    assert len(sp) == 1 and sp[0].width == pytest.approx(0.5)  # 對弈 最小: kept
    # R24: the spaces beside Python are replaced by the ¼ em glue, not added to it
    i = next(k for k, g in enumerate(gl) if g.text == "P")
    assert gl[i].box_x - (gl[i - 1].box_x + gl[i - 1].width) == pytest.approx(0.25)


def test_newline_is_a_forced_break(black):
    got = compose_display("一報在手\n知曉天下", 30, STYLE, black)
    assert texts(got) == ["一報在手", "知曉天下"]


def test_two_lines_are_balanced_and_no_stub(black):
    text = "市博物館建館68年來首次常態化夜間開放"
    got = compose_display(text, 14, STYLE, black, max_lines=2)
    a, b = (ln.width for ln in got.lines)
    assert len(got.lines) == 2 and abs(a - b) <= 3.0, texts(got)
    for text in ("軌道環線今日全線貫通運營了", "冬季書展下週開幕 展銷圖書約20萬種"):
        for measure in (6, 7, 8, 9, 10, 11, 12):
            got = compose_display(text, measure, STYLE, black, max_lines=3)
            last = texts(got)[-1]
            assert len(got.lines) == 1 or len(last.replace(" ", "")) >= 3, (measure, texts(got))


def test_no_line_ends_with_an_opening_mark_or_starts_with_a_closing_one(black):
    for measure in range(5, 16):
        got = compose_display("老紡織廠變身“二紡1958”文創園，市民說“好”", measure, STYLE, black, max_lines=4)
        for t in texts(got):
            assert t[-1] not in "“‘（《「『", texts(got)
            assert t[0] not in "”’）》」』，。、", texts(got)


def test_number_stays_with_its_unit(black):
    got = compose_display("日均客流預計突破80萬人次沿線市民通勤平均縮短18分鐘", 12, STYLE, black, max_lines=3)
    for t in texts(got):
        assert not t.endswith(("80", "18")), texts(got)


def test_a_word_wider_than_the_line_is_cut_and_flagged(black):
    text = "新品" + "A" * 80 + "上市"
    got = compose_display(text, 10, STYLE, black, max_lines=2)
    assert all(ln.width <= 10 + 1e-6 for ln in got.lines)
    assert "".join(texts(got)) == text
    assert not got.fits and got.forced


def test_fit_display_steps_the_size_before_wrapping(black):
    fit = fit_display("渝江交響樂團冬日音樂季下週開幕", 13 * 13.0, (13.0, 12.5, 12.0, 11.5, 11.0), STYLE, black,
                      max_lines=1)
    assert fit.set.fits and len(fit.set.lines) == 1 and fit.size < 13.0


# 60 realistic headlines of 6 to 30 characters (made up for these tests, in the paper's style).
HEADLINES = """
軌道環線今日全線貫通運營
江心島迎來首批越冬候鳥
市人大常委會審議明年預算草案
全市5G基站突破3萬個
消失多年的魚群又回來了
萬餘個崗位等待高校畢業生
社區長者食堂開到了家門口
九道巷夜市重新亮燈
望川大橋完成建成以來最大規模體檢
白鷺洲公園二期建成開放
老樓加裝電梯 住戶上下樓不再難
家庭醫生簽約居民突破300萬人
居民用水階梯價格調整舉行聽證
全市GDP增長6.1% 總量突破1.2萬億元
雲渡科學城人工智能產業規模破千億
北濱港集裝箱吞吐量創新高
跨境電商進出口額同比增長23.6%
一場直播賣出柑橘40萬斤
冬季消費季發放惠民券1.5億元
小微企業貸款餘額增長14.2%
新編川劇《江城雪》首演
全市城市書房增至52家
渝江交響樂團冬日音樂季下週開幕
手機拍的《補網》摘得最佳短片
週五週六，博物館開到晚上九點
老紡織廠變身“二紡1958”文創園
冬季書展下週開幕 展銷圖書約20萬種
平均67歲的合唱團奪得金獎
一頁紙修三天，她們與時間賽跑
快遞小哥球隊勇奪業餘聯賽冠軍
校園足球聯賽參賽學生創新高
千名棋手同場對弈 最小6歲最大81歲
雲峰山山地自行車賽下週開騎
2027渝江環江國際馬拉松今起報名
首屆渝江市民電子競技大賽落幕
8℃清晨 冬泳愛好者暢遊渝江
渝江有了第一座國際標準冰場
城際鐵路全線鋪軌 明年6月通車
全市高新區 規上工業總產值7308億元
本週冷空氣來襲 山區或迎今冬首場雪
用氣高峰 請注意燃氣安全
冬季“菜籃子”供應充足價格平穩
中心城區基本實現“15分鐘助餐圈”
呼吸道疾病進入高發期
港口城市借港出海拓展國際市場
新能源汽車產銷兩旺 充電樁建設提速
市民熱議“一老一小”服務清單
高校科研成果就地轉化率提高到四成
老舊管網改造完成 停水投訴下降六成
鄉村振興示範村建設全面鋪開
全市普通高中錄取率提高至百分之九十
年輕人愛上“夜跑” 濱江步道燈光延長到零點
首批外籍人才服務專員上崗
醫保異地結算覆蓋全部定點醫院
這個冬天，渝江的天空更藍了
渝江兩岸燈光秀跨年夜上演 觀眾可在六處觀景台免費觀看
非遺年貨市集今起開市
公積金貸款額度上調
新能源公交車佔比超過九成
冬季長跑賽吸引五萬名跑者參加 創歷屆之最
"""
HEADS = [h for h in HEADLINES.split("\n") if h]
COLUMN = 13 * 9 + 9  # a broadsheet column and its gutter, pt
SIZES = {1: 18, 2: 26, 3: 32, 4: 40, 5: 44, 6: 48, 7: 52, 8: 60}


def test_sixty_headlines_at_one_to_eight_columns_break_only_between_words(black):
    assert len(HEADS) >= 50 and all(6 <= len(h.replace(" ", "")) <= 30 for h in HEADS)
    words = ("渝江", "雲峰山", "雲渡", "北濱港", "望川", "白鷺洲", "九道巷")
    checked = broken = 0
    for text in HEADS:
        for cols in range(1, 9):
            width = cols * COLUMN - 9
            start = SIZES[cols]
            sizes = [s for s in (start - 2 * k for k in range(20)) if s >= 16] or [16]
            fit = fit_display(text, width, sizes, STYLE, black, words=words, max_lines=2)
            got = fit.set
            checked += 1
            bad = breaks_inside_words(text, got, words)
            # a word is broken only when nothing else could be set, and then it is counted
            assert len(bad) <= got.inside_words, (text, cols, texts(got))
            broken += bool(bad)
            # only a one-column head (7 characters a line at the 16 pt minimum) runs out of word breaks
            assert not bad or cols == 1, (text, cols, texts(got))
            assert "".join(t.replace(" ", "") for t in texts(got)) == text.replace(" ", "")
            if got.fits:
                assert all(ln.width * fit.size <= width + 1e-3 for ln in got.lines)
            # every editor's space survives: drawn as a gap, or as the line break itself
            drawn = sum(t.count(" ") for t in texts(got)) + (len(got.lines) - 1)
            assert drawn >= text.count(" "), (text, texts(got))
    assert checked == len(HEADS) * 8
    assert broken <= len(HEADS) // 4


def test_an_ideographic_space_is_the_editors_space(black):
    """Taiwan and Hong Kong desks type U+3000 between a headline's phrases. It was a 1 em
    character like any other, so the break fell inside a phrase: 「八達通」車資上調3.5%　長者 /
    乘車優惠不變　學生月票每張減20元 (qa2's tabloid front page). It is the preferred break, 1 em
    wide where the line goes on, not drawn where it breaks; nothing is lost."""
    text = "「八達通」車資上調3.5%　長者乘車優惠不變　學生月票每張減20元"
    got = compose_display(text, 20, STYLE, black, max_lines=2)
    assert texts(got) == ["「八達通」車資上調3.5%", "長者乘車優惠不變　學生月票每張減20元"]
    one = compose_display(text, 40, STYLE, black, max_lines=2).lines[0]
    gl = list(one.glyphs)
    after = [(g, h) for g, h in zip(gl, gl[1:], strict=False) if g.text == "　"]
    assert len(after) == 2  # the space is the gap itself, 1 em
    assert all(h.box_x - g.box_x == pytest.approx(1.0) for g, h in after)
    got = compose_display("天文台：今冬或較往年寒冷　最低氣溫跌至8℃", 16, STYLE, black, max_lines=2)
    assert texts(got) == ["天文台：今冬或較往年寒冷", "最低氣溫跌至8℃"]
    assert all(not t.startswith("　") and not t.endswith("　") for t in texts(got))


def test_a_headline_is_set_a_little_smaller_rather_than_split_a_phrase(black):
    """qa2's tabloid lead: at the largest size with no word broken the break fell inside the
    editor's middle phrase (長者 / 乘車優惠不變); two steps smaller it breaks between phrases."""
    text = "「八達通」車資上調3.5%　長者乘車優惠不變　學生月票每張減20元"
    sizes = [40.8 - 2 * k for k in range(10)]
    fit = fit_display(text, 693, sizes, STYLE, black, max_lines=2)
    assert texts(fit.set) == ["「八達通」車資上調3.5%", "長者乘車優惠不變　學生月票每張減20元"]
    assert fit.size >= 40.8 * 0.8 and fit.set.off_phrase == 0
    # a text without the editor's spaces keeps the largest size (nothing to keep whole)
    plain = text.replace("　", "")
    assert fit_display(plain, 693, sizes, STYLE, black, max_lines=2).size == 40.8
    # phrases that cannot be kept whole within the floor: the largest size, as before
    far = fit_display("本市人工智能產業規模突破千億元　再創新高", 200, [20, 18, 16], STYLE, black, max_lines=2)
    assert far.size == 20 and far.set.fits and far.set.off_phrase == 1


def _naive_fit(text, width, sizes, style, chain, **kw):
    """fit_display's rule with every size composed from scratch (the largest size with no word
    broken, a little smaller to keep the editor's phrases whole)."""
    from layout.text.display import PHRASE_FLOOR, DisplayFit

    first = last = whole = None
    for size in sizes:
        if whole is not None and size < whole.size * PHRASE_FLOOR - 1e-9:
            return whole
        got = compose_display(text, width / size, style, chain, **kw)
        last = DisplayFit(size, got)
        if got.fits and not got.forced:
            if got.inside_words == 0:
                if got.off_phrase == 0:
                    return last
                whole = whole or last
            first = first or last
    return whole or first or last


@pytest.mark.parametrize("max_lines", [1, 2, 3, None])
def test_fit_display_is_every_size_composed_from_scratch(black, max_lines):
    # fit_display segments a text once and skips the sizes that cannot fit by its width alone
    # (a headline is fitted over many sizes and widths): the same fit as composing each size anew,
    # also for a forced newline, a word wider than the line, captions (justify) and unbalanced sets.
    extra = ["一報在手\n知曉天下", "https://example.org/a-very-long-address-of-a-page 網址", "", "短"]
    sizes = tuple(30.0 - 1.5 * k for k in range(12))
    for text in [t.strip() for t in HEADLINES.strip().splitlines()][::3] + extra:
        for cols in (1, 2, 3, 5):
            width = cols * 52.0
            for kw in ({}, {"balance": False}, {"justify": True}):
                want = _naive_fit(text, width, sizes, STYLE, black, max_lines=max_lines, **kw)
                got = fit_display(text, width, sizes, STYLE, black, max_lines=max_lines, **kw)
                assert got == want, (text, cols, kw)
                prepared = prepare_display(text, STYLE, black, justify=kw.get("justify", False))
                again = fit_display(text, width, sizes, STYLE, black, max_lines=max_lines, prepared=prepared, **kw)
                assert again == want, (text, cols, kw)


def test_fit_display_refuses_a_text_prepared_for_another(black):
    with pytest.raises(ValueError):
        fit_display("新韻重慶", 100.0, (20.0,), STYLE, black, prepared=prepare_display("雄奇山水", STYLE, black))
