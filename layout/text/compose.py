"""The paragraph composer: text at a measure -> lines of positioned glyphs (in em).

`compose_paragraph` is the one entry point the rest of the engine uses; `Composer` is its cached
front for pagination (each paragraph is broken once per measure). The work is split by stage:
segment.py (units, punctuation widths), linemetrics.py + breaking.py (where lines end),
justify.py (setting each line). The rules themselves are data in rules_zh.py.
"""

from __future__ import annotations

from functools import lru_cache

from layout.fonts.chain import FontChain
from layout.text.breaking import first_fit, total_fit
from layout.text.justify import set_line
from layout.text.linemetrics import LineMetrics
from layout.text.lines import ComposedGlyph, ComposedLine, ComposedParagraph
from layout.text.segment import Segmenter
from layout.text.style import CompositionStyle

__all__ = ["ComposedGlyph", "ComposedLine", "ComposedParagraph", "Composer", "compose_paragraph"]


def _faces(style: CompositionStyle, text: str, runs: tuple) -> list | None:
    """Per character, the Segmenter of an inline face run ((start, end, chain) triples), or None."""
    if not runs:
        return None
    faces: list = [None] * len(text)
    for start, end, chain in runs:
        seg_er = _segmenter(style, chain)
        for k in range(max(0, start), min(end, len(text))):
            faces[k] = seg_er
    return faces


def _compose(seg_er: Segmenter, text: str, measure: float, indent: float | None,
             hang: float = 0.0, runs: tuple = (), fixed: tuple = (), keep: tuple = ()) -> ComposedParagraph:
    style = seg_er.style
    first_indent = style.indent if indent is None else indent
    faces = _faces(style, text, runs)
    seg = seg_er.segment(text, faces=faces, fixed=fixed, keep=keep)
    # A Latin word or number wider than any later line (measure less the hang), or a first one
    # wider than the first line (less its indent, R34): cut it rather than lose it or let it run
    # past the column (issue 17). The pieces fit the narrowest line, wherever each lands.
    too_wide = any(u.width > measure - hang + 1e-9 for u in seg.units) or (
        bool(seg.units) and seg.units[0].width > measure - first_indent + 1e-9)
    if too_wide:
        room = measure - max(first_indent, hang, 0.0)
        seg = seg_er.segment(text, max_unit=max(room, measure / 4), faces=faces, fixed=fixed, keep=keep)
    if not seg.units:
        return ComposedParagraph(text, measure, (), tuple(seg.missing), tuple(seg.dropped))
    m = LineMetrics(seg, style, measure, first_indent, hang)
    min_han = style.min_last_line_han
    if style.breaker == "first-fit":
        breaks, forced = first_fit(m, min_han)
    else:
        breaks, forced = total_fit(m, style.max_stretch, min_han)
    dropped = list(seg.dropped)
    lines = []
    for a, b in zip(breaks, breaks[1:], strict=False):
        is_forced = forced and b < m.n and not m.gap_break[b - 1] and b - 1 not in m.gap_soft
        lines.append(set_line(seg, m, style, a, b, is_forced, dropped))
    dropped.sort()
    return ComposedParagraph(text, measure, tuple(lines), tuple(seg.missing), tuple(dropped), seg.chopped)


# Segmenters hold per-character caches for one (style, chain); keeping a few alive lets repeated
# compose_paragraph calls skip re-measuring glyphs. Bounded, and it holds only derived data.
_segmenter = lru_cache(maxsize=8)(Segmenter)


def compose_paragraph(
    text: str, measure: float, style: CompositionStyle, chain: FontChain, *, indent: float | None = None,
    hang: float = 0.0, runs: tuple = (), fixed: tuple = (),
) -> ComposedParagraph:
    """Break `text` into lines of `measure` em. `indent` overrides the style's first-line indent;
    `hang` indents every later line (R36 凸排: lists, Q&A, speaker labels; typically 4 em).
    `runs`: (start, end, chain) of characters set in another face (inline bold or Kai runs);
    `fixed`: (index, em) of ideographic spaces of a fixed width (the dateline's gap)."""
    return _compose(_segmenter(style, chain), text, measure, indent, hang, runs, fixed)


class Composer:
    """A caching front: the same (text, measure, indent, hang) is composed once."""

    def __init__(self, style: CompositionStyle, chain: FontChain):
        self.style = style
        self.chain = chain
        self._segmenter = Segmenter(style, chain)
        self._cache: dict[tuple, ComposedParagraph] = {}

    def widest_piece(self, text: str) -> float:
        """em of the widest run of `text` that no legal break divides (a number, a Latin word, a Han
        character with the marks kinsoku keeps with it): the narrowest measure that sets it without
        cutting a unit (a table's wrapping column)."""
        seg = self._segmenter.segment(text)
        widest = run = 0.0
        units = seg.units
        for k, u in enumerate(units):
            run += u.width
            widest = max(widest, run)
            if k < len(units) - 1:
                run = 0.0 if seg.gap_break[k] else run + seg.gap_width[k]
        return widest

    def paragraph(self, text: str, measure: float, indent: float | None = None,
                  hang: float = 0.0, runs: tuple = (), fixed: tuple = (), keep: tuple = ()) -> ComposedParagraph:
        """`keep`: (start, end) spans of `text` no line break may divide (a vertical column's upright
        acronym, set as Han cells)."""
        key = (text, measure, indent, hang, runs, fixed, keep)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = _compose(self._segmenter, text, measure, indent, hang, runs, fixed, keep)
        return hit
