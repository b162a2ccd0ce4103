"""The segmenter's memory (layout/text/words.py, issue 18): jieba's dictionary (~53 MB loaded, as
much again to write it sorted) is never held by a build process that keeps it in its cache (it is
written in a process of its own and read a word at a time), and where it must be loaded (no
cache) every word list reads through the one loaded dictionary instead of a ~15 MB copy each;
the words found are the same either way."""

from __future__ import annotations

import tracemalloc

import pytest
from textkit import forget_segmenter

from layout.text import words

HEADLINES = ["雲渡科學城人工智能產業規模破千億", "平均67歲的合唱團奪得金獎", "山地自行車賽下週開騎",
             "社區長者食堂開到了家門口", "白鷺洲公園夜跑道亮燈", "渝江兩岸步道全線貫通"]
A, B = ("雲渡", "渝江"), ("白鷺洲", "夜跑道")


@pytest.fixture
def fresh():
    forget_segmenter()
    yield
    forget_segmenter()


def _spans(user: tuple[str, ...]) -> list:
    return [words.word_spans(t, user) for t in HEADLINES]


def test_the_kept_dictionary_is_written_without_loading_jieba_here(fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    loaded = {user: _spans(user) for user in (A, B)}  # jieba's own dictionary, in this process
    assert words._base.cache_info().currsize == 1
    forget_segmenter()
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    tracemalloc.start()
    try:
        kept = {user: _spans(user) for user in (A, B)}
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept == loaded
    assert len(list((tmp_path / "cache" / "jieba").glob("*.words"))) == 1
    assert words._base.cache_info().currsize == 0  # written by another process
    assert peak < 10 * 2**20, peak  # loading the dictionary here would be ~50 MB and more


def test_word_lists_share_the_loaded_dictionary(fresh, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    base = words._base()
    size = len(base.FREQ)
    a, b = words._tokenizer(A), words._tokenizer(B)
    assert len(base.FREQ) == size  # the user words went on top of it, not into it
    for tok in (a, b):
        assert isinstance(tok.FREQ, words._Frequencies) and tok.FREQ.kept is None
        assert tok.FREQ._lookup.__self__ is base.FREQ  # read through, not copied
    w = words.to_simplified("雲渡")  # user words go in as the Simplified copy is segmented
    assert w in a.FREQ and w not in b.FREQ and w not in base.FREQ
    # what jieba finds with either list is what a tokenizer with its own full copy finds
    import jieba

    for user, tok in ((A, a), (B, b)):
        own = jieba.Tokenizer()
        own.FREQ, own.total, own.initialized = dict(base.FREQ), base.total, True
        for w in (*words._shipped_words(), *user):
            if len(s := words.to_simplified(w.strip())) >= 2:
                own.add_word(s, words.USER_FREQ)
        assert own.total == tok.total
        for text in HEADLINES:
            simple = words.to_simplified(text)
            assert list(own.cut(simple, HMM=False)) == list(tok.cut(simple, HMM=False))


def test_frequencies_come_from_one_dictionary():
    with pytest.raises(ValueError):
        words._Frequencies()
