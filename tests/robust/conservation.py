"""Nothing lost: the checks shared by the generated-edition and sample-edition tests.

A story's text is what the loader made of it: its body paragraphs and sub-heads in order, the
dateline set before the first body paragraph. What the page description draws for the story,
page by page in reading order, must be that text's beginning, character by character (spaces are
glue, not glyphs, so whitespace is left out on both sides), and the rest must be exactly the
count report.json gives as overset. The PDF is checked against the page description: pdftotext's
raw text of each page is the page's glyph runs, in order.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from layout.frames import GlyphRun

BODY_KINDS = ("body", "subhead")


def squeeze(text: str) -> str:
    return "".join(text.split())


def story_source(story) -> str:
    parts = []
    first_body = True
    for para in story.paragraphs:
        text = para.text
        if para.kind == "body" and first_body:
            first_body = False
            if story.dateline:
                text = f"{story.dateline}　{text}"
        parts.append(text)
    return squeeze("".join(parts))


def placed_text(frames, sid: str, kinds=BODY_KINDS) -> str:
    return squeeze("".join(r.text for f in frames for r in f.items
                           if isinstance(r, GlyphRun) and r.source.story == sid and r.source.kind in kinds))


def _runs_by_story(frames) -> dict[str, list[tuple[str, str]]]:
    """story -> (kind, text) of its glyph runs, in the order placed_text reads them."""
    out: dict[str, list[tuple[str, str]]] = {}
    for f in frames:
        for r in f.items:
            if isinstance(r, GlyphRun):
                out.setdefault(r.source.story, []).append((r.source.kind, r.text))
    return out


def check_stories(prep, report: dict) -> int:
    """Every story's text placed in order or counted overset; returns the characters checked."""
    runs = _runs_by_story(prep.layout.frames())

    def placed_in(sid: str, kinds=BODY_KINDS) -> str:
        # placed_text(frames, sid, kinds), from the runs indexed once: going through every item of
        # every page for each story and kind was most of the generated-edition test's own time.
        return squeeze("".join(text for kind, text in runs.get(sid, ()) if kind in kinds))

    by_id = {s["id"]: s for s in report["stories"]}
    diagnosed = {(d.story, d.code) for d in prep.ctx.diagnostics}
    checked = 0
    for sid, story in prep.ctx.edition.stories.items():
        source = story_source(story)
        placed = placed_in(sid)
        assert placed == source[:len(placed)], _first_difference(sid, placed, source)
        over = by_id[sid]["overset_chars"]
        assert len(placed) + over == len(source), (sid, len(placed), over, len(source))
        if placed and (sid, "HEADLINE-TOO-LONG") not in diagnosed:
            # the display lines of a placed story are printed whole (a jump page repeats the headline)
            for kind, text in (("headline", story.headline), ("kicker", story.kicker), ("deck", "".join(story.decks))):
                want, got = squeeze(text), placed_in(sid, (kind,))
                assert got.startswith(want) and got == want * (len(got) // max(len(want), 1)), (sid, kind, got)
        checked += len(source)
    return checked


def _first_difference(sid: str, placed: str, source: str) -> str:
    k = next((i for i, (a, b) in enumerate(zip(placed, source, strict=False)) if a != b), min(len(placed), len(source)))
    return f"{sid}: character {k}: placed {placed[k:k + 20]!r}, source {source[k:k + 20]!r}"


def pdftotext() -> str | None:
    return shutil.which("pdftotext")


def check_pdf_text(pdf: Path, frames) -> None:
    """pdftotext -raw of each page equals the page description's glyph runs, character by character."""
    out = subprocess.run([pdftotext(), "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    assert len(pages) >= len(frames)
    for n, frame in enumerate(frames):
        want = squeeze("".join(r.text for r in frame.items if isinstance(r, GlyphRun)))
        got = squeeze(pages[n])
        assert got == want, f"page {n + 1} of {pdf.name}: " + _first_difference("page", got, want)
