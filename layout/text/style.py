"""Composition settings. Every style and level is a template setting, never a constant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PunctStyle = Literal["kaiming", "quanjiao", "quanjiao+lineend", "banjiao", "plain"]
Level = Literal["none", "basic", "gb", "strict"]


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
