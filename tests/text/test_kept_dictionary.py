"""jieba's kept dictionary (layout/text/words.py, issue 18): a sorted file of dict.txt's words,
written by a process of its own at the start of a build and searched a word at a time. It must
answer every lookup exactly as jieba's loaded prefix dictionary does (a word's frequency, 0 for
a prefix of a word, None for anything else), read dict.txt exactly as jieba's loader does, and
never be used when damaged."""

from __future__ import annotations

import io
import random
import warnings

import pytest
from textkit import forget_segmenter

from layout.text import words

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import jieba


@pytest.fixture
def fresh():
    forget_segmenter()
    yield
    forget_segmenter()


def _jieba_reads(data: bytes):
    return jieba.Tokenizer.gen_pfdict(io.BytesIO(data))


def _prefix_dict(freq: dict[bytes, int]) -> dict[str, int]:
    """What jieba's loader makes of the words: every word's frequency, 0 for its other prefixes."""
    out: dict[str, int] = {}
    for key in freq:
        word = key.decode("utf-8")
        for n in range(1, len(word)):
            out.setdefault(word[:n], 0)
    for key, f in freq.items():
        out[key.decode("utf-8")] = f
    return out


@pytest.mark.parametrize("data", [
    b"a 3 n\nab 4\nabc 5 nz\n",
    b"abc 5\nab 4\n",  # a prefix set to 0 first, then a word: the word's frequency
    b"ab 4\nab 7\n",  # a word twice: the last frequency, the total counts both
    b"ab 4\r\n \tcd 2 x \n",  # stripped as jieba strips
    b"ab 4",  # no newline at the end
    "人工智能 12 n\n人工 30\n中華 ٣ ns\n".encode(),  # other digits, as int() reads them
    b"",
])
def test_dict_txt_is_read_as_jieba_reads_it(data):
    freq, total = words._parse_dictionary(data)
    assert (_prefix_dict(freq), total) == _jieba_reads(data)


@pytest.mark.parametrize("data", [b"ab 4\n\n", b"ab\n", b"ab x\n", b"ab  4\n", b"\xff\xfe 3\n", b"ab 4 \xff\n"])
def test_a_line_jieba_refuses_is_refused(data):
    with pytest.raises(ValueError):
        _jieba_reads(data)
    with pytest.raises(ValueError):
        words._parse_dictionary(data)


def test_the_kept_dictionary_answers_as_jiebas_loaded_one(fresh, tmp_path):
    path = tmp_path / "kept.words"
    words._write_dictionary(path, words._jieba_dictionary()[0])
    kept = words._KeptDictionary.read(path)
    base = words._base()
    assert kept.total == base.total
    rng = random.Random(18)
    keys = sorted(base.FREQ)
    some = [*keys[:200], *keys[-200:], *rng.sample(keys, 20_000)]
    for word in some:
        assert kept.lookup(word) == base.FREQ[word], word
    # words jieba does not know: two known ones run together, one cut short or run on, odd ones
    others = [a + b for a, b in zip(rng.sample(keys, 5000), rng.sample(keys, 5000), strict=True)]
    others += [w[:-1] + "\U0010ffff" for w in rng.sample(keys, 2000)] + [w + "\x00" for w in rng.sample(keys, 2000)]
    others += ["", "\x00", "\U0010ffff", "zzzzzz", " ", keys[0][:1] + "\uffff"]
    for word in others:
        assert kept.lookup(word) == base.FREQ.get(word), word
    # every entry: the file's words, with their prefixes, are jieba's prefix dictionary exactly
    with open(words._jieba_dictionary()[0], "rb") as f:
        freq, total = words._parse_dictionary(f.read())
    assert total == base.total
    assert [kept._key(i) for i in range(kept._count)] == sorted(freq)
    assert _prefix_dict(freq) == base.FREQ


def test_the_kept_dictionary_is_the_same_bytes_every_time(tmp_path):
    a, b = tmp_path / "a.words", tmp_path / "b.words"
    words._write_dictionary(a, words._jieba_dictionary()[0])
    words._Writer(str(b)).wait()  # as the build's writer process writes it
    assert a.read_bytes() == b.read_bytes()
    assert not list(tmp_path.glob(".tmp-*"))


def test_the_writer_started_with_the_build_is_the_one_waited_for(fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    words.start_kept_dictionary()
    (writer,) = [words._writer(p) for p in [str(words._kept_path(words._dictionary_store()))]]
    assert writer.ran
    started = []
    monkeypatch.setattr(words, "_Writer", lambda path: started.append(path))  # no second writer
    spans = words.word_spans("雲渡科學城人工智能產業規模破千億")
    assert not started
    assert (2, 5) in spans and (5, 9) in spans  # 科學城, 人工智能
    assert words._base.cache_info().currsize == 0
    words.start_kept_dictionary()  # kept now: nothing started
    assert not started


def test_no_writer_for_a_build_without_cache(fresh, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    monkeypatch.setattr(words, "_Writer", lambda path: pytest.fail("a writer without a cache"))
    words.start_kept_dictionary()


def test_a_failed_writer_leaves_jiebas_own_words(fresh, tmp_path, monkeypatch):
    """A writer that cannot write (here: a file where the cache's folder should be) changes
    nothing: jieba loads its own dictionary and finds the same words."""
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    text = "社區長者食堂開到了家門口"
    expected = words.word_spans(text)
    forget_segmenter()
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "jieba").write_text("not a folder")
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    words.start_kept_dictionary()
    assert words.word_spans(text) == expected
    assert words._base.cache_info().currsize == 1


def test_without_a_second_interpreter_it_is_written_here(fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(words.sys, "executable", "")
    text = "山地自行車賽下週開騎"
    spans = words.word_spans(text)
    assert list((tmp_path / "cache" / "jieba").glob("*.words"))
    assert words._base.cache_info().currsize == 0
    forget_segmenter()
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    assert words.word_spans(text) == spans


@pytest.mark.parametrize("lie", ["count", "total", "offsets"])
def test_a_well_sealed_file_that_lies_about_its_parts_is_not_used(tmp_path, lie):
    """A file whose digest matches (written that way on purpose) but whose header or offsets do not
    add up: refused as a whole, never read past its end."""
    import hashlib
    import struct

    path = tmp_path / "kept.words"
    words._write_dictionary(path, words._jieba_dictionary()[0])
    data = bytearray(path.read_bytes()[:-32])
    at = len(words._KeptDictionary.MAGIC)
    count, total = struct.unpack_from("=Qq", data, at)
    if lie == "count":
        struct.pack_into("=Qq", data, at, count + 1000, total)
    elif lie == "total":
        struct.pack_into("=Qq", data, at, count, 0)
    else:
        struct.pack_into("=I", data, at + 16 + 4 * count, 10**9)
    path.write_bytes(bytes(data) + hashlib.sha256(data).digest())
    assert words._KeptDictionary.read(path) is None


def test_word_spans_are_keyed_by_the_installed_segmenter(fresh, tmp_path, monkeypatch):
    """Another jieba or OpenCC installed (its package file written again) is another key: the
    spans are segmented again, not taken from the cache."""
    import os

    from layout import cache

    origin, size, mtime = cache.library_signature("jieba")
    assert origin.endswith("__init__.py") and os.stat(origin).st_size == size
    assert cache.library_signature("no_such_library_here") is None
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    text = "平均67歲的合唱團奪得金獎"
    segmented = []
    real = words._segment
    monkeypatch.setattr(words, "_segment", lambda *a: segmented.append(a) or real(*a))
    words._segmenter_version.cache_clear()
    first = words.word_spans(text)
    words._spans.cache_clear()
    assert words.word_spans(text) == first and len(segmented) == 1  # from the cache
    real_sig = cache.library_signature
    monkeypatch.setattr(cache, "library_signature",
                        lambda name: (origin, size + 1, mtime) if name == "jieba" else real_sig(name))
    words._segmenter_version.cache_clear()
    words._spans.cache_clear()
    try:
        assert words.word_spans(text) == first and len(segmented) == 2  # segmented again
    finally:
        words._segmenter_version.cache_clear()
