"""Composition settings. Every style and level is a template setting, never a constant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PunctStyle = Literal["kaiming", "quanjiao", "quanjiao+lineend", "banjiao", "plain"]
Level = Literal["none", "loose", "basic", "gb", "strict"]


@dataclass(frozen=True)
class CompositionStyle:
    punct_style: PunctStyle = "kaiming"  # the sample paper's default (開明)
    level: Level = "gb"
    convention: Literal["mainland", "taiwan"] = "mainland"
    indent: float = 2.0  # first-line indent in em, on every paragraph (R34)
    han_latin: float = 0.25  # Han-Latin glue in em (R23)
    open_at_line_start: Literal["trim", "keep"] = "trim"  # R17
    justify: bool = True
    last_line: Literal["start", "distribute", "centre"] = "start"  # R31
    min_last_line_han: int = 2  # R37: a last line has at least this many Han characters
    breaker: Literal["total-fit", "first-fit"] = "total-fit"
    grid_mode: bool = False  # R41
    # Added by the composer (defaults keep the behaviour the fields above describe):
    shrink_sentence_end: bool = True  # R29 step 7: may 。？！ be reduced to ½ em inside a line?
    han_latin_pinned: bool = False  # R25: Han–Latin glue fixed at han_latin (no reduction/expansion)
    han_latin_max: float = 1 / 3  # R25: the most Han–Latin glue may grow to
    max_stretch: float = 0.5  # em per gap: a looser line is only chosen when nothing else works
    newspaper: bool = False  # R11: allow ？！ at a line start (Japanese-newspaper relaxation); off here
    # A space the editor typed between two Han characters or marks is a phrase break (80萬人次 沿線):
    # kept as a gap of this many em. R24 only replaces spaces next to Latin by the Han–Latin glue.
    phrase_gap: float = 0.5
    # The dateline (本報訊) before the first paragraph: its face role and the space after it, in em,
    # the same before digits, Latin or Han (the paper's convention: bold, one em).
    dateline_role: str = "bold"
    dateline_gap: float = 1.0
