"""Headline fitting (R43, R44): the largest size at which a headline fits in at most `max_lines`
balanced lines, set unjustified, centred or start-aligned. Line breaking still obeys R5 and
R14, so no line ends with an opening mark."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from layout.fonts.chain import FontChain
from layout.text.compose import compose_paragraph
from layout.text.lines import ComposedLine
from layout.text.style import CompositionStyle

_EPS = 1e-6


@dataclass(frozen=True)
class HeadlineFit:
    size_pt: float
    measure_em: float  # the full width in em at this size
    lines: tuple[ComposedLine, ...]  # glyph x in em from the line's own start
    offsets: tuple[float, ...]  # em from the block's left edge to each line's start (alignment)
    align: str


@dataclass(frozen=True)
class HeadlineMiss:
    """Why nothing fitted: the smallest size tried and the lines it needed."""

    text: str
    min_size_pt: float
    lines_needed: int
    max_lines: int


def _headline_style(style: CompositionStyle) -> CompositionStyle:
    level = "basic" if style.level == "none" else style.level  # R44: headlines keep R5
    return replace(style, indent=0.0, justify=False, last_line="start", min_last_line_han=0, level=level)


def _lines_at(text: str, measure: float, style: CompositionStyle, chain: FontChain) -> tuple[ComposedLine, ...]:
    return compose_paragraph(text, measure, style, chain, indent=0.0).lines


def _fits(lines: tuple[ComposedLine, ...], measure: float, max_lines: int) -> bool:
    return 0 < len(lines) <= max_lines and all(ln.width <= measure + _EPS and not ln.forced for ln in lines)


def fit_headline(
    text: str, width_pt: float, sizes_pt: list[float] | tuple[float, ...], min_size: float, chain: FontChain,
    style: CompositionStyle, max_lines: int, *, align: Literal["centre", "start"] = "centre",
) -> HeadlineFit | None:
    """The first size (largest first, none below `min_size`) at which `text` fits; None when even
    the smallest does not (see `headline_miss` for the reason)."""
    hs = _headline_style(style)
    for size in sizes_pt:
        if size < min_size - _EPS:
            break
        measure = width_pt / size
        lines = _lines_at(text, measure, hs, chain)
        if not _fits(lines, measure, max_lines):
            continue
        lines = _balance(text, measure, len(lines), hs, chain, lines)
        offsets = tuple((measure - ln.width) / 2 if align == "centre" else 0.0 for ln in lines)
        return HeadlineFit(size, measure, lines, offsets, align)
    return None


def _balance(text: str, measure: float, count: int, style: CompositionStyle, chain: FontChain,
             lines: tuple[ComposedLine, ...]) -> tuple[ComposedLine, ...]:
    """Narrow the measure as far as the line count allows, so the lines come out even."""
    if count < 2:
        return lines
    lo, hi = measure / count, measure
    best = lines
    for _ in range(16):
        mid = (lo + hi) / 2
        trial = _lines_at(text, mid, style, chain)
        if _fits(trial, mid, count) and len(trial) == count:
            best, hi = trial, mid
        else:
            lo = mid
    return best


def headline_miss(text: str, width_pt: float, min_size: float, chain: FontChain, style: CompositionStyle,
                  max_lines: int) -> HeadlineMiss:
    lines = _lines_at(text, width_pt / min_size, _headline_style(style), chain)
    return HeadlineMiss(text, min_size, len(lines), max_lines)
