"""The word segmenter behind layout/text/words.py: Traditional text, user words, determinism."""

from __future__ import annotations

from layout.text.words import inside_word, to_simplified, word_spans


def _words(text, user=()):
    return [text[a:b] for a, b in word_spans(text, user)]


def test_traditional_words_found_through_the_simplified_copy():
    # the broken headline words: each must come out as one word
    for text, word in [("雲渡科學城人工智能產業規模破千億", "人工智能"), ("平均67歲的合唱團奪得金獎", "合唱團"),
                       ("山地自行車賽下週開騎", "自行車"), ("8℃清晨 冬泳愛好者暢遊渝江", "愛好者"),
                       ("社區長者食堂開到了家門口", "家門口")]:
        at = text.index(word)
        assert any(a <= at and at + len(word) <= b for a, b in word_spans(text)), (text, _words(text))


def test_spans_index_the_original_text():
    text = "週五週六，博物館開到晚上九點"
    for a, b in word_spans(text):
        assert 0 <= a < b <= len(text)
    assert len(to_simplified(text)) == len(text)


def test_user_words_are_kept_whole_and_do_not_leak():
    text = "雲峰山山地自行車賽下週開騎"
    assert "雲峰山" in _words(text, ("雲峰山",))
    plain = _words("渝江交響樂團")
    assert "渝江" not in plain
    assert "渝江" in _words("渝江交響樂團", ("渝江",))
    assert _words("渝江交響樂團") == plain  # the edition's words stay with that edition


def test_deterministic():
    text = "全市高新區 規上工業總產值7308億元"
    assert word_spans(text) == word_spans(text)
    assert "總產值" in _words(text)


def test_inside_word_marks_boundaries():
    flags = inside_word(((1, 4),), 6)
    assert flags == [False, True, True, False, False]
