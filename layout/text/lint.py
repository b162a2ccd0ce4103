"""Checks on Chinese copy and measures that the composer reports but does not change.

R22: a quotation running over several paragraphs opens each one with “ and closes only in the last.
R27: full-width Latin letters and digits are set like Han; proportional Latin is preferred.
R39: a text column is a whole number of ems, or R33 (solid lines on integer positions) fails.
"""

from __future__ import annotations

from collections.abc import Sequence

from layout.diagnostics import Diagnostic, Severity

_FULLWIDTH_ALNUM = {chr(c) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


def quote_balance(text: str) -> int:
    """Open “ minus closed ” at the end of `text` (never below 0 on the way)."""
    depth = 0
    for ch in text:
        if ch == "“":
            depth += 1
        elif ch == "”" and depth:
            depth -= 1
    return depth


def lint_quotes(paragraphs: Sequence[str], story: str | None = None) -> list[Diagnostic]:
    """R22: a paragraph left inside a quotation must be followed by one that opens with “."""
    out = []
    for k, text in enumerate(paragraphs):
        if quote_balance(text) == 0:
            continue
        nxt = paragraphs[k + 1] if k + 1 < len(paragraphs) else None
        if nxt is not None and nxt.lstrip().startswith("“"):
            continue  # the quotation goes on: the next paragraph reopens it, as clreq asks
        where = "the story ends" if nxt is None else "the next paragraph does not open with “"
        out.append(Diagnostic("TEXT-QUOTE-OPEN", Severity.WARNING,
                              f"a “ is not closed and {where}", story=story, paragraph=k,
                              hint="close the quotation with ”, or start the next paragraph with “ (R22)"))
    return out


def lint_subheads(kinds: Sequence[str], story: str | None = None) -> list[Diagnostic]:
    """A sub-head (R45) heads the text after it: one that ends the story, or stands right over
    another sub-head, heads nothing (a sub-head left behind when a section was cut)."""
    out = []
    for k, kind in enumerate(kinds):
        if kind != "subhead":
            continue
        nxt = kinds[k + 1] if k + 1 < len(kinds) else None
        if nxt == "subhead" or nxt is None:
            where = "the story ends after it" if nxt is None else "another sub-head follows it"
            out.append(Diagnostic("TEXT-SUBHEAD-ALONE", Severity.WARNING,
                                  f"a sub-head with no text under it: {where}", story=story, paragraph=k,
                                  hint="add the text it heads, or delete the sub-head"))
    return out


def lint_fullwidth_latin(text: str, story: str | None = None, paragraph: int | None = None) -> list[Diagnostic]:
    found = sorted({ch for ch in text if ch in _FULLWIDTH_ALNUM})
    if not found:
        return []
    return [Diagnostic("TEXT-FULLWIDTH-LATIN", Severity.INFO,
                       f"full-width letters or digits {''.join(found)} are set like Han characters",
                       story=story, paragraph=paragraph,
                       hint="type ASCII letters and digits; the composer adds the ¼ em spacing (R27)")]


def check_measure(measure_pt: float, body_pt: float, what: str = "column") -> Diagnostic | None:
    """R39: warn when a text measure is not a whole number of body ems."""
    ems = measure_pt / body_pt
    if abs(ems - round(ems)) <= 1e-6:
        return None
    return Diagnostic("GRID-MEASURE", Severity.WARNING,
                      f"{what} measure {measure_pt:g} pt is {ems:.3f} em at {body_pt:g} pt, not a whole number",
                      hint=f"use {round(ems) * body_pt:g} pt ({round(ems)} characters) so solid lines stay on the grid")
