"""Inline styles in body text: the markup of story files, parsed into plain text plus spans.

    **粗體**            bold (the template's `bold` face role)
    {kai:楷體引文}       a run in another face role (any role of the template: kai, sans, bold…)
    {dots:重點}          emphasis dots (着重號): one dot centred under each Han character, none
                         under punctuation (clreq; cjk-rules R47)
    {name:渝江}          proper-noun line (專名號): a straight line under the run (R48)
    {book:江城雪}        book-title line (書名號, 甲式): a wavy line under the run (R48)
    \\*  \\{  \\}  \\\\      a literal *, {, } or backslash

Marks may nest ({dots:…} inside **…**), but not a mark inside itself. The markup never prints:
the composer sees the plain text, so styled runs break and justify like the rest; the spans say
which characters take which face or mark. A malformed mark (an unclosed ** or {, a } with no
mark open, an empty run, {…} without a name) is an error at its column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKS = ("dots", "name", "book")  # interlinear marks; every other name is a face role
_NAME = re.compile(r"\{([a-z][a-z0-9-]{0,30}):")


@dataclass(frozen=True)
class Span:
    start: int  # character index in the plain text
    end: int  # one past the last
    kind: str  # "face" or one of MARKS
    role: str = ""  # face role for kind "face"


@dataclass(frozen=True)
class MarkupError:
    column: int  # 0-based index in the raw text
    message: str
    hint: str


def parse_inline(raw: str) -> tuple[str, tuple[Span, ...], tuple[MarkupError, ...]]:
    """(plain text, spans in the plain text, errors). Text without markup comes back unchanged."""
    if "*" not in raw and "{" not in raw and "}" not in raw and "\\" not in raw:
        return raw, (), ()
    out: list[str] = []
    spans: list[Span] = []
    errors: list[MarkupError] = []
    stack: list[tuple[str, str, int, int]] = []  # (kind, role, plain start, raw column)
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\" and i + 1 < n and raw[i + 1] in "*{}\\":
            out.append(raw[i + 1])
            i += 2
            continue
        if raw.startswith("**", i):
            open_bold = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == "bold"), None)
            if open_bold is None:
                stack.append(("bold", "bold", len(out), i))
            elif open_bold != len(stack) - 1:
                errors.append(MarkupError(i, "** closes bold while a {…} mark inside it is still open",
                                          "close the inner mark with } before the **"))
                del stack[open_bold:]
            else:
                _, role, start, col = stack.pop()
                if start == len(out):
                    errors.append(MarkupError(col, "empty bold run ****", "remove the ** pair"))
                else:
                    spans.append(Span(start, len(out), "face", role))
            i += 2
            continue
        if ch == "{":
            m = _NAME.match(raw, i)
            if m is None:
                errors.append(MarkupError(i, "a { that starts no mark",
                                          "write {dots:…}, {name:…}, {book:…} or {role:…}; \\{ for a literal brace"))
                i += 1
                continue
            name = m.group(1)
            kind = name if name in MARKS else "face"
            if any(s[0] == kind and (kind != "face" or s[1] == name) for s in stack):
                errors.append(MarkupError(i, f"{{{name}:…}} inside another {{{name}:…}}", "close the first one with }"))
            stack.append((kind, name, len(out), i))
            i = m.end()
            continue
        if ch == "}":
            top = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] != "bold"), None)
            if top is None:
                errors.append(MarkupError(i, "a } with no mark open", "remove it, or write \\} for a literal brace"))
            elif top != len(stack) - 1:
                errors.append(MarkupError(i, "} closes a mark while a ** inside it is still open",
                                          "close the bold run with ** before the }"))
                del stack[top:]
            else:
                kind, role, start, col = stack.pop()
                if start == len(out):
                    errors.append(MarkupError(col, f"empty {{{role}:}} mark", "put the text inside it or remove it"))
                else:
                    spans.append(Span(start, len(out), kind, role if kind == "face" else ""))
            i += 1
            continue
        if ch == "*":
            # a single * is text (footnote marks, ratings); only ** is markup
            out.append(ch)
            i += 1
            continue
        out.append(ch)
        i += 1
    for kind, role, _, col in stack:
        what = "**" if kind == "bold" else f"{{{role}:"
        close = "**" if kind == "bold" else "}"
        errors.append(MarkupError(col, f"{what} is not closed in this paragraph", f"end the run with {close}"))
    spans.sort(key=lambda s: (s.start, s.end))
    return "".join(out), tuple(spans), tuple(errors)


def face_at(spans: tuple[Span, ...], length: int) -> list[str | None]:
    """The face role of each character (the innermost face span), None for the paragraph's own."""
    out: list[str | None] = [None] * length
    for s in sorted((s for s in spans if s.kind == "face"), key=lambda s: s.start - s.end):
        for k in range(s.start, min(s.end, length)):
            out[k] = s.role
    return out


def shift(spans: tuple[Span, ...], by: int) -> tuple[Span, ...]:
    """Spans moved right by `by` characters (text put in front: the dateline)."""
    return tuple(Span(s.start + by, s.end + by, s.kind, s.role) for s in spans)
