"""Typed cells: what a figure, a percentage, a signed change, a date or a time looks like, the
direction of a change, the text actually set (signs in the table's style, thousands separators as
written) and the character a column of figures is aligned on."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cells that say "no value" in any typed column (suspended share, match not played): set centred
# under the column's figures as a non-figure, never aligned on a decimal point. The dashes as typed
# in Chinese copy too (the full-width hyphen, the horizontal bar), and "not available" in any case
# and with or without points (n.a., N.A.: a statistics office's usage), which was "not a number".
BLANKS = frozenset({"", "-", "--", "—", "——", "–", "…", "－", "－－", "―", "――"})
_NOT_AVAILABLE = frozenset({"n/a", "na", "n.a.", "n.a", "n/a."})

# The minus sign. The shipped faces have no U+2212; the en dash is drawn in its place (it has the
# figures' width) while the text the PDF carries for it stays U+2212, so copying gives a minus.
MINUS = "\u2212"
MINUS_GLYPH = "\u2013"
UP_SIGNS = "+▲↑"
DOWN_SIGNS = "-−–▼↓"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_NUMBER = re.compile(rf"^(?P<sign>[+\-−–▲▼↑↓]?)\s?(?P<num>{_DIGITS})(?P<pct>[%％]?)$")
_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
_DATE = re.compile(r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}|(?:\d{4}年)?\d{1,2}月\d{1,2}日)$")
# The figures ready to use as a literal of each type, for the hints.
EXAMPLES = {"number": "1,234.56", "percent": "12.5%", "change": "+0.35 or −1.20%", "date": "2026-12-01 or 12月1日",
            "time": "19:30"}
TYPE_WORDS = {"number": "a number", "percent": "a percentage", "change": "a signed change", "date": "a date",
              "time": "a time"}


@dataclass(frozen=True)
class Value:
    """A cell as it is set."""

    display: str  # the text to set (signs normalised; everything else as written)
    direction: int = 0  # +1 rising, -1 falling, 0 unchanged or not a change
    anchor: int | None = None  # index in `display` of the alignment point (the decimal point, or the
    # end of the figures); None: no alignment point (text, dates, blanks)
    blank: bool = False


def is_blank(text: str) -> bool:
    raw = text.strip()
    return raw in BLANKS or raw.casefold() in _NOT_AVAILABLE


def parse(kind: str, text: str, signs: str = "as-written") -> Value | None:
    """The cell `text` as a value of column type `kind`, or None when it is not one."""
    raw = text.strip()
    if kind == "text":
        return Value(raw)
    if is_blank(raw):
        return Value(raw, blank=True)  # as typed: the editor's mark for "no value"
    if kind in ("number", "percent", "change"):
        m = _NUMBER.match(raw)
        if m is None:
            return None
        sign, num, pct = m.group("sign"), m.group("num"), m.group("pct")
        if kind == "number" and (pct or sign in "▲▼↑↓" and sign):
            return None
        if kind == "percent" and not pct:
            return None
        # A change typed without a sign is a rise (0.35 = +0.35); zero is unchanged whatever the sign.
        direction = -1 if sign and sign in DOWN_SIGNS else 1
        if float(num.replace(",", "")) == 0:
            direction = 0  # +0.00 is unchanged, whatever sign was typed
        if kind != "change":
            direction = 0
        shown_sign = _sign(sign, direction, signs) if kind == "change" else (MINUS if sign in DOWN_SIGNS and sign else sign)
        display = shown_sign + num + pct
        dot = num.find(".")
        anchor = len(shown_sign) + (dot if dot >= 0 else len(num))
        return Value(display, direction, anchor)
    if kind == "time":
        return Value(raw, anchor=raw.index(":")) if _TIME.match(raw) else None
    if kind == "date":
        return Value(raw) if _DATE.match(raw) else None
    raise ValueError(f"unknown column type {kind!r}")


def _sign(typed: str, direction: int, style: str) -> str:
    if style == "as-written":
        return MINUS if typed in "-−–" and typed else typed
    if direction > 0:
        return "▲" if style == "arrows" else "+"
    if direction < 0:
        return "▼" if style == "arrows" else MINUS
    return ""


def infer(texts: list[str]) -> str:
    """The type of a column nobody declared: the type most of its non-blank cells have (a few
    cells that do not fit are then reported, the likeliest mistake being a typo in a figure)."""
    cells = [t.strip() for t in texts if not is_blank(t)]
    if not cells:
        return "text"
    best, best_n = "text", 0
    for kind in ("change", "percent", "number", "time", "date"):
        # Only a column where signs are typed is a column of changes.
        if kind == "change" and not any(t[0] in UP_SIGNS + DOWN_SIGNS for t in cells):
            continue
        n = sum(1 for t in cells if parse(kind, t) is not None)
        if n > best_n:
            best, best_n = kind, n
    return best if best_n * 2 > len(cells) else "text"
