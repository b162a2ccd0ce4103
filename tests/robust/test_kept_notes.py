"""What is slow to find out and the same every build is kept in the build cache and checked on
read: a display text's word spans (so jieba's dictionary is loaded only for a new headline) and a
face's glyph checks and full-width forms (so no CFF charstring is scanned again). An entry that is
damaged, or whose inputs changed, is not used; the answers are always those computed afresh."""

from __future__ import annotations

import json
import shutil

import pytest

import layout.text.words as words
from layout.fonts.cff import CffSource
from layout.fonts.face import FULLWIDTH_IN_CJK, Face, FaceSpec
from tests.robust.strategies import ROOT

TEXT = "雲渡科學城人工智能產業規模破千億"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    words._spans.cache_clear()
    yield tmp_path / "cache"
    words._spans.cache_clear()


def _no_segmenting(monkeypatch):
    def refuse(*_):
        raise AssertionError("segmented again")

    monkeypatch.setattr(words, "_segment", refuse)


def test_word_spans_come_back_from_the_cache_without_segmenting(cache, monkeypatch):
    fresh = words.word_spans(TEXT, ("雲渡",))
    assert len(list((cache / "words").rglob("*.json"))) == 1
    words._spans.cache_clear()  # a new process: only the disk remembers
    _no_segmenting(monkeypatch)
    assert words.word_spans(TEXT, ("雲渡",)) == fresh


def test_other_user_words_are_another_entry(cache, monkeypatch):
    plain = words.word_spans(TEXT)
    named = words.word_spans(TEXT, ("產業規",))  # a made-up word, so only the list can make it one
    assert (9, 12) in named and (9, 12) not in plain
    assert len(list((cache / "words").rglob("*.json"))) == 2


@pytest.mark.parametrize("bad", [[[0, 99]], [[3, 2]], [[0, 1]], [[0, 4], [2, 6]], "x", [["0", 2]]])
def test_a_damaged_word_entry_is_dropped_and_computed_again(cache, bad):
    fresh = words.word_spans(TEXT)
    (entry,) = (cache / "words").rglob("*.json")
    data = json.loads(entry.read_text("utf-8"))
    from layout.cache import value_digest

    data["value"], data["digest"] = bad, value_digest(bad)  # well-formed entry, wrong spans
    entry.write_text(json.dumps(data), "utf-8")
    words._spans.cache_clear()
    assert words.word_spans(TEXT) == fresh
    assert json.loads(entry.read_text("utf-8"))["value"] == [list(s) for s in fresh]


@pytest.fixture
def font(tmp_path):
    path = tmp_path / "NotoSerifCJKsc-Regular.otf"
    shutil.copy(ROOT / "fonts" / "NotoSerifCJKsc-Regular.otf", path)
    return path


def _checks(face: Face) -> dict:
    gids = [face.gid(ch) for ch in TEXT + "，。—…" + "AZ09"]
    return {g: face.glyph_problem(g) for g in gids if g is not None} | {"fw": face.fullwidth}


def test_a_faces_glyph_checks_are_kept_and_read_back_without_scanning(cache, font, monkeypatch):
    face = Face(FaceSpec(font))
    fresh = _checks(face)
    assert any(chr(cp) in FULLWIDTH_IN_CJK for cp in fresh["fw"])  # the face has fwid forms: kept too
    face.keep_notes()
    assert len(list((cache / "faces").rglob("*.json"))) == 1

    def refuse(*_):
        raise AssertionError("scanned again")

    monkeypatch.setattr(CffSource, "glyph_problem", refuse)
    monkeypatch.setattr("layout.fonts.face.single_substitutions", refuse)
    assert _checks(Face(FaceSpec(font))) == fresh


def test_a_changed_font_file_or_a_damaged_entry_is_not_used(cache, font):
    face = Face(FaceSpec(font))
    fresh = _checks(face)
    face.keep_notes()
    (entry,) = (cache / "faces").rglob("*.json")
    data = json.loads(entry.read_text("utf-8"))
    from layout.cache import value_digest

    gid = face.gid("雲")
    lie = {**data["value"], "problems": {**data["value"]["problems"], str(gid): "made up"}}
    for bad in (lie, {"problems": {"999999": None}}, {"fullwidth": [[65, 3]]}):
        entry.write_text(json.dumps({**data, "value": bad, "digest": value_digest(bad)}), "utf-8")
        if bad is lie:  # a well-formed lie is believed only for the file it was made for:
            font.touch()  # the same file written again (new mtime) is another face
        assert _checks(Face(FaceSpec(font))) == fresh


HEADLINES = ["雲渡科學城人工智能產業規模破千億", "平均67歲的合唱團奪得金獎", "山地自行車賽下週開騎",
             "8℃清晨 冬泳愛好者暢遊渝江", "社區長者食堂開到了家門口", "Wi-Fi 6E 覆蓋全市公交", "「十四五」收官之年"]
USER = ("雲渡", "渝江", "白鷺洲")


def _fresh_process():
    words._spans.cache_clear()
    words._tokenizer.cache_clear()
    words._base.cache_clear()
    words._writer.cache_clear()


def _segmented() -> list:
    return [words.word_spans(t, USER) for t in HEADLINES]


def test_the_kept_dictionary_gives_jiebas_words_without_loading_it(cache):
    _fresh_process()
    loaded = _segmented()  # writes the kept dictionary from jieba's (in a process of its own)
    assert len(list((cache / "jieba").glob("*.words"))) == 1
    for entry in (cache / "words").rglob("*.json"):
        entry.unlink()  # the spans themselves are not remembered: segmented again
    _fresh_process()
    assert _segmented() == loaded
    assert words._base.cache_info().currsize == 0  # jieba's own dictionary was never loaded
    _fresh_process()


@pytest.mark.parametrize("damage", ["garbage", "cut", "lie", "empty"])
def test_a_damaged_kept_dictionary_is_not_used(cache, damage):
    _fresh_process()
    loaded = _segmented()
    (kept,) = (cache / "jieba").glob("*.words")
    data = kept.read_bytes()
    if damage == "garbage":
        kept.write_bytes(b"not a dictionary" * 100)
    elif damage == "cut":
        kept.write_bytes(data[:4096])
    elif damage == "lie":  # one frequency changed: the file no longer matches its digest
        at = len(data) // 3
        kept.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    else:
        kept.write_bytes(b"")
    for entry in (cache / "words").rglob("*.json"):
        entry.unlink()
    _fresh_process()
    assert _segmented() == loaded
    assert words._KeptDictionary.read(kept) is not None  # written again, whole
    _fresh_process()


@pytest.mark.parametrize("name", ["LXGWWenKai-Regular.ttf", "NotoSerifCJKsc-Regular.otf"])
def test_a_faces_ink_boxes_are_kept_and_read_back_without_drawing(cache, tmp_path, monkeypatch, name):
    """Punctuation's ink boxes (which the composer measures marks by) are kept in the face's
    notes: a glyf face's first box decodes its whole glyf table and names every glyph. Read back
    without drawing a glyph, they are the boxes drawn; a box that is not four numbers is refused."""
    path = tmp_path / name
    shutil.copy(ROOT / "fonts" / name, path)
    face = Face(FaceSpec(path))
    gids = [face.gid(ch) for ch in "，。、「」—…（）" if face.gid(ch) is not None]
    fresh = {g: face.ink(g) for g in gids}
    assert any(box is not None for box in fresh.values())
    face.keep_notes()

    def refuse(*_):
        raise AssertionError("drawn again")

    with monkeypatch.context() as mp:
        mp.setattr("layout.fonts.face.draw_glyph", refuse)
        mp.setattr("layout.fonts.face.BoundsPen", refuse)
        again = Face(FaceSpec(path))
        assert {g: again.ink(g) for g in gids} == fresh
    (entry,) = (cache / "faces").rglob("*.json")
    data = json.loads(entry.read_text("utf-8"))
    from layout.cache import value_digest

    bad = {**data["value"], "ink": {str(gids[0]): [0.1, 0.2, 0.3]}}
    entry.write_text(json.dumps({**data, "value": bad, "digest": value_digest(bad)}), "utf-8")
    assert {g: Face(FaceSpec(path)).ink(g) for g in gids} == fresh
