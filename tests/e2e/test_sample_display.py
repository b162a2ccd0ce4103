"""Display lines of the whole sample edition, checked in the page description: no break inside a
word (by the segmenter and the edition's words) unless a DISPLAY-WORD-BROKEN warning says so, and
every space the editor typed between Chinese characters survives as a gap or as the line break.

Also prints the figures issue 15 measured (run with -s): display-line breaks and how many fall
inside a word; editor's spaces and how many survive."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from layout.build import prepare
from layout.text.words import word_spans

SAMPLE = Path(__file__).resolve().parents[2] / "editions" / "sample.yaml"
KINDS = ("kicker", "headline", "deck", "subhead", "caption")


@pytest.fixture(scope="module")
def sample():
    return prepare(SAMPLE)


def _texts(edition):
    """(story id, kind, paragraph) -> candidate texts as typed."""
    out = defaultdict(list)
    for sid, s in edition.stories.items():
        out[(sid, "kicker", None)].append(s.kicker)
        out[(sid, "headline", None)].append(s.headline)
        out[(sid, "deck", None)].extend(s.decks)
        for n, p in enumerate(s.paragraphs):
            if p.kind == "subhead":
                out[(sid, "subhead", n)].append(p.text)
        for n, ph in enumerate(s.photos):
            out[(sid, "caption", n)].append(ph.caption)
    return out


def _groups(frames):
    """(story, kind, paragraph) -> list of texts, each a list of lines (start, end, drawn text)."""
    lines = defaultdict(dict)
    for frame in frames:
        for r in frame.runs():
            src = r.source
            if src.kind not in KINDS or src.story is None:
                continue
            key = (src.story, src.kind, src.paragraph)
            line = lines[key].setdefault((frame.page_id, r.glyphs[0].y, src.start, src.end), [])
            line.append(r.text)
    out = {}
    for key, found in lines.items():
        texts, current = [], []
        for (_, _, start, end), parts in found.items():
            if start == 0 and current:
                texts.append(current)
                current = []
            current.append((start, end, "".join(parts)))
        texts.append(current)
        out[key] = texts
    return out


def test_sample_display_lines_break_between_words_and_keep_spaces(sample):
    edition = sample.ctx.edition
    words = edition.words
    frames = [p.frame for p in sample.layout.pages]
    candidates = _texts(edition)
    warned = {d.story for d in sample.ctx.diagnostics if d.code == "DISPLAY-WORD-BROKEN"}
    breaks = inside = spaces = kept = 0
    bad = []
    for key, groups in _groups(frames).items():
        for lines in groups:
            drawn = "".join(t for _, _, t in lines).replace(" ", "")
            text = next((c for c in candidates[key] if c.replace(" ", "") == drawn), None)
            if text is None:
                continue  # a continued headline (上接…) or the like: not one of the texts typed
            spans = word_spans(text, words)
            for _, end, _ in lines[:-1]:
                breaks += 1
                if any(a < end < b for a, b in spans):
                    inside += 1
                    if key[0] not in warned:
                        bad.append((key, [t for _, _, t in lines]))
            for c, ch in enumerate(text):
                if ch != " " or c == 0 or c == len(text) - 1 or text[c - 1].isascii() or text[c + 1].isascii():
                    continue
                spaces += 1
                at_break = any(end == c or start == c + 1 for start, end, _ in lines)
                drawn_gap = any(start <= c < end and " " in t for start, end, t in lines)
                kept += at_break or drawn_gap
    print(f"\nsample display lines: {breaks} breaks, {inside} inside a word; {spaces} editor's spaces, {kept} kept")
    assert breaks > 10 and spaces > 10
    assert bad == []
    assert kept == spaces
