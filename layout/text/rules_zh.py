"""Chinese composition rules as data (W3C clreq; cross-checked with jlreq and GB/T 15834).

Only tables live here: character classes, line-breaking prohibitions per strictness level,
punctuation widths per style, and the reduction/expansion priorities. The algorithms that read
them are in segment.py (units), punct.py (widths) and compose.py (breaking, justification).
Rule numbers (R1…R44) refer to /work/shared/cjk-rules.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# --- Character classes (cjk-rules §0; clreq "Categories and usage of punctuation marks") -------------

HAN: Final = "han"  # ideographs, kana, full-width alphanumerics (R27: set like Han)
OPEN: Final = "open"
CLOSE: Final = "close"
STOP: Final = "stop"
CONNECTOR: Final = "connector"
INTERPUNCT: Final = "interpunct"
SOLIDUS: Final = "solidus"
LONG: Final = "long"  # a 2-em unit: ⸺ —— …… ⋯⋯ (R21)
LATIN: Final = "latin"  # a Latin word or a digit run with its signs and units (R9)
SPACE: Final = "space"
OTHER: Final = "other"  # symbols set at their own advance, breakable like Han

PUNCT_CLASS: Final[dict[str, str]] = {
    **dict.fromkeys("“‘（《〈「『【〖〔［｛", OPEN),
    **dict.fromkeys("”’）》〉」』】〗〕］｝", CLOSE),
    **dict.fromkeys("、，；：。．！？‼⁇⁈⁉", STOP),
    **dict.fromkeys("–～~", CONNECTOR),  # a single — is a connector too (handled in segment.py)
    **dict.fromkeys("·・‧", INTERPUNCT),
    **dict.fromkeys("/／", SOLIDUS),
}

# Quotes shared with Latin (U+2018/2019/201C/201D): CJK only next to Han or CJK punctuation (R3).
AMBIGUOUS_QUOTES: Final = frozenset("“‘”’")

# Sentence-end marks: full width in kaiming; reduced last (R29 step 7).
SENTENCE_END: Final = frozenset("。．？！‼⁇⁈⁉")
# Marks that form a chained ?! unit (R9, R15).
QE_MARKS: Final = frozenset("？！")

# LONG units (R9, R21): a doubled mark, or the single two-em dash.
LONG_DOUBLED: Final = frozenset("—…⋯")
LONG_SINGLE: Final = frozenset("⸺")
# UAX #14 class IN: never break before these, at any level (R9, G10).
NO_BREAK_BEFORE_LONG: Final = frozenset("…⋯")

# Han ranges (preamble "Han"), plus kana, 〇 and full-width alphanumerics, which are set solid (R27).
HAN_RANGES: Final = (
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F),
    (0x3040, 0x30FA), (0x30FC, 0x30FF), (0xAC00, 0xD7AF), (0x3007, 0x3007),
    (0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0x3000, 0x3000),
)
# Digit-run joiners (R9): a separator between two digits stays inside the run.
DIGIT_SEPARATORS: Final = frozenset(".,:")
PREFIX_SIGNS: Final = frozenset("$¥￥£€#№+-±")  # R9: never split from the number that follows
SUFFIX_UNITS: Final = frozenset("%‰℃℉°′″")  # R9: never split from the number before
# ASCII punctuation that clings to the Latin word it touches (Latin text inside Chinese).
LATIN_TRAILING: Final = frozenset(",.;:!?)]}'\"")
LATIN_LEADING: Final = frozenset("([{'\"")
LATIN_INNER: Final = frozenset("-'’&_@.")


def is_han(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in HAN_RANGES)


# --- Line breaking (R5, clreq "Prohibition rules for line start and line end") ---------------------

_BASIC_NO_START = frozenset({STOP, CLOSE, CONNECTOR, INTERPUNCT})


@dataclass(frozen=True)
class BreakLevel:
    name: str
    no_start: frozenset[str]  # unit classes that may not begin a line
    no_end: frozenset[str]  # unit classes that may not end a line


LEVELS: Final[dict[str, BreakLevel]] = {
    "none": BreakLevel("none", frozenset(), frozenset()),  # no prohibition at all (explicit only)
    # The Taiwan and Hong Kong conventions: looser than basic (a connector ～ or an interpunct ·
    # may start a line, which short, unadjusted CNS lines need), but stops and closing marks never
    # start one and openers never end one; clreq keeps the line-start prohibition of closing
    # punctuation even where looser rules apply.
    "loose": BreakLevel("loose", frozenset({STOP, CLOSE}), frozenset({OPEN})),
    "basic": BreakLevel("basic", _BASIC_NO_START, frozenset({OPEN})),  # clreq's recommendation
    "gb": BreakLevel("gb", _BASIC_NO_START, frozenset({OPEN, SOLIDUS})),  # sample paper's default
    "strict": BreakLevel("strict", _BASIC_NO_START | {LONG}, frozenset({OPEN, SOLIDUS})),
}

# Characters the R5 tests enumerate (for property tests and lints).
NO_START_CHARS: Final = "、，；：。．！？‼⁇⁈⁉”’）》〉」』】〗〕］｝–～·・‧"
NO_END_CHARS: Final = "“‘（《〈「『【〖〔［｛"
NO_END_CHARS_GB: Final = NO_END_CHARS + "/／"


# --- Punctuation widths by style (R13) ---------------------------------------------------------------


@dataclass(frozen=True)
class PunctStyleRule:
    name: str
    half_classes: frozenset[str]  # classes set at half width in running text
    half_sentence_end: bool  # are 。．？！ half width too?
    adjacent: bool  # R14 adjacent compression
    line_end_trim: bool  # R16: a mark with its blank at the line end is set at ½ em
    line_start_trim: bool  # R17 applies (still subject to style.open_at_line_start)
    adjustable: bool  # may justification reduce marks (R29 steps 3-5, 7)?


_HALF_MARKS = frozenset({OPEN, CLOSE, STOP})

PUNCT_STYLES: Final[dict[str, PunctStyleRule]] = {
    # 全角式: every mark 1 em; adjacent pairs compressed (xeCJK/ctex, Typst default)
    "quanjiao": PunctStyleRule("quanjiao", frozenset(), False, True, False, True, True),
    # GB 5.1.10 行末半角, as clreq describes for the mainland
    "quanjiao+lineend": PunctStyleRule("quanjiao+lineend", frozenset(), False, True, True, True, True),
    # 開明式: 。．？！ 1 em, every other mark ½ em. A full sentence-end mark at the line end is
    # trimmed like GB 5.1.10, so the right margin stays straight.
    "kaiming": PunctStyleRule("kaiming", _HALF_MARKS, False, True, True, True, True),
    # 全部半角: every mark ½ em
    "banjiao": PunctStyleRule("banjiao", _HALF_MARKS, True, True, True, True, True),
    # no adjustment: every mark keeps its advance (Taiwan, strict-grid users)
    "plain": PunctStyleRule("plain", frozenset(), False, False, False, False, False),
}

# Fixed widths of the centred classes (R19, R20), per convention. Taken equally from both sides,
# and never more than the measured blank (R2).
CENTRED_WIDTH: Final[dict[str, dict[str, float]]] = {
    "mainland": {INTERPUNCT: 0.5, SOLIDUS: 0.5, CONNECTOR: 0.5},
    "taiwan": {INTERPUNCT: 1.0, SOLIDUS: 0.5, CONNECTOR: 0.5},
}
WIDE_CONNECTORS: Final = frozenset("～")  # ～ stays 1 em (R20)

# Ink classification (R2): a side counts as blank when at least this share of the box is empty.
INK_TOLERANCE: Final = 0.05  # em

# --- Justification priorities (R29, R30) ---------------------------------------------------------------

# Reduction steps, in order (R29). Each key names what shrinks; the minimum is in the comments.
SHRINK_LINE_END = 0  # 1. the line-end mark, down to ½ em
SHRINK_WORD_SPACE = 1  # 2. Latin word spaces, down to ¼ em
SHRINK_INTERPUNCT = 2  # 3. interpuncts, both sides equally, down to ½ em
SHRINK_BRACKET = 3  # 4. brackets, on the outer side, down to ½ em
SHRINK_PAUSE = 4  # 5. ，、；： down to ½ em
SHRINK_GLUE = 5  # 6. Han–Latin glue, down to ⅛ em (skipped when the style pins it)
SHRINK_SENTENCE = 6  # 7. 。？！ down to ½ em (a style may forbid it)
SHRINK_STEPS: Final = 7

WORD_SPACE_MIN: Final = 0.25
WORD_SPACE_MAX: Final = 0.5  # R30 step 1
GLUE_MIN: Final = 0.125  # R23/R29 step 6
GLUE_MAX: Final = 1 / 3  # R25/R30 step 2

# Expansion steps (R30): word spaces, then Han–Latin glue, then every remaining gap equally.
# Excluded from step 3: inside units (R9), both sides of connectors and solidi (R20), before a
# CLOSE or STOP, after an OPEN (jlreq inseparable characters).
NO_STRETCH_BEFORE: Final = frozenset({CLOSE, STOP, CONNECTOR, SOLIDUS})
NO_STRETCH_AFTER: Final = frozenset({OPEN, CONNECTOR, SOLIDUS})
