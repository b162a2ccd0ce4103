"""Helpers of the composer tests (a module of its own: `conftest` is a name several test folders
use, so importing from it picks whichever was loaded first)."""

from __future__ import annotations

from layout.text import words
from layout.text.style import CompositionStyle

# The golden cases' settings (cjk-rules.md §d): quanjiao+lineend, level gb, no indent.
GOLDEN = CompositionStyle(punct_style="quanjiao+lineend", level="gb", indent=0.0, breaker="first-fit")


def lines_text(par) -> list[str]:
    return ["".join(g.text for g in ln.glyphs) for ln in par.lines]


def box_xs(line) -> list[float]:
    return [g.box_x for g in line.glyphs]


def gap_between(line, a: str, b: str) -> float:
    """The space between the set boxes of the adjacent glyphs `a` and `b` on a line, in em."""
    gl = list(line.glyphs)
    for g, h in zip(gl, gl[1:], strict=False):
        if g.text == a and h.text == b:
            return h.box_x - (g.box_x + g.width)
    raise AssertionError(f"{a}{b} not adjacent")


def forget_segmenter() -> None:
    """The segmenter's memos of this process forgotten, as a new process starts: the loaded and
    kept dictionaries, the tokenizers and the word spans found."""
    words._spans.cache_clear()
    words._tokenizer.cache_clear()
    words._base.cache_clear()
    words._writer.cache_clear()
