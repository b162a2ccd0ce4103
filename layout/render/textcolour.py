"""Small text in several inks, made printable: on newsprint the four plates register to within a
few tenths of a millimetre, so text under the print profile's `multi_ink_text_pt` (14 pt) in two
or more inks (a red M+Y slogan, a C+Y ad line, a rich black) prints with coloured fringes and
fills in. Such text is set in 100 % K instead, and the build says so for each item
(TEXT-COLOUR-TO-BLACK, a warning naming the story or ad, the size and the colour asked for), so
the page prints and the editor can choose a larger size or a one-ink colour.

This is a rule of the page description to PDF step: `print_colour` is what the PDF writer uses for
every glyph run, and `colour_changes` / `colour_diagnostics` list the same decisions from the
same frames for the build's report (whether or not the page PDF comes from the page cache)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from layout.color import BLACK, CMYK
from layout.diagnostics import Diagnostic, Location, Severity
from layout.frames import GlyphRun, PageFrame, Source
from layout.printprofile import PrintProfile

SIZE_EPS = 0.01  # pt: a 14 pt line stays in colour despite float noise in its size


def needs_black(colour: CMYK, size: float, profile: PrintProfile) -> bool:
    """Whether text of this colour and size must print in 100 % K on this press."""
    return colour.inks >= 2 and size < profile.multi_ink_text_pt - SIZE_EPS


def print_colour(colour: CMYK, size: float, profile: PrintProfile) -> CMYK:
    """The colour text of `size` pt asked to be in `colour` prints in."""
    return BLACK if needs_black(colour, size, profile) else colour


@dataclass(frozen=True)
class ColourChange:
    """Text of one item (story or ad, and its kind of text) on one page that was set in K."""

    page: str
    source: Source
    size: float
    colour: CMYK
    lines: int  # glyph runs affected
    text: str  # the text of its first line, to find it on the page


def colour_changes(frames: Iterable[PageFrame], profile: PrintProfile) -> list[ColourChange]:
    """Every item whose text `print_colour` turns to K, once per (page, item, kind, size, colour)."""
    out: dict[tuple, ColourChange] = {}
    for frame in frames:
        for item in frame.items:
            if not isinstance(item, GlyphRun) or not needs_black(item.color, item.size, profile):
                continue
            key = (frame.page_id, item.source.story, item.source.kind, round(item.size, 2), item.color)
            seen = out.get(key)
            if seen is None:
                out[key] = ColourChange(frame.page_id, item.source, item.size, item.color, 1, item.text)
            else:
                out[key] = ColourChange(seen.page, seen.source, seen.size, seen.colour, seen.lines + 1, seen.text)
    return list(out.values())


def _describe(c: CMYK) -> str:
    return f"C{c.c:g} M{c.m:g} Y{c.y:g} K{c.k:g}"


def colour_diagnostics(frames: Iterable[PageFrame], profile: PrintProfile,
                       locate: Callable[[Source], tuple[Location, str]] | None = None) -> list[Diagnostic]:
    """TEXT-COLOUR-TO-BLACK warnings for `colour_changes`. `locate(source)` gives the place in the
    edition and a name for the item (e.g. "ad 'subscribe-2027'"); without it the source's ids are
    used."""
    out = []
    for ch in colour_changes(frames, profile):
        if locate is not None:
            loc, what = locate(ch.source)
        else:
            loc, what = Location(), f"{ch.source.kind} of {ch.source.story}" if ch.source.story else ch.source.kind
        lines = f"{ch.lines} line{'s' if ch.lines != 1 else ''}"
        quote = ch.text if len(ch.text) <= 16 else ch.text[:16] + "…"
        out.append(Diagnostic(
            "TEXT-COLOUR-TO-BLACK", Severity.WARNING,
            f"{what}: {ch.size:.1f} pt text in {_describe(ch.colour)} ({ch.colour.inks} inks, {lines}, "
            f"“{quote}”) printed in 100 % K: text in two or more inks must be at least "
            f"{profile.multi_ink_text_pt:g} pt on this press (print profile {profile.name})",
            location=loc, page=ch.page, story=None if ch.source.kind == "ad" else ch.source.story,
            hint=f"set it at {profile.multi_ink_text_pt:g} pt or larger, or in a one-ink colour "
                 "(e.g. [0, 100, 0, 0] for magenta)"))
    return out
