"""The headline block of a story: kicker (引題), headline (主題), decks (副題) and byline, fitted to
its width and occupying a whole number of grid lines (R40, R44)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from layout.color import BLACK, CMYK
from layout.frames import Item, Source
from layout.paginate.context import Context
from layout.paginate.typeset import line_runs
from layout.text.compose import ComposedLine
from layout.text.display import DisplayFit, fit_display, prepare_display

LEADING = 1.25  # display lines: baseline-to-baseline as a multiple of the size
HEADLINE_STEP = 2.0  # pt: headlines are fitted by stepping the size down
ONE_LINE_FLOOR = 0.8  # a headline may shrink to 80 % of its nominal size to stay on one line


_NAME_SPACE = re.compile(r"(?<![A-Za-z0-9.,]) +| +(?![A-Za-z0-9])")


def name_spaces(text: str) -> str:
    """Bylines and credits keep the space between a title and a name (本報記者 林曉): as an
    ideographic space, since the composer drops a plain space between two Han characters. A space
    between two Latin words (Jean-Pierre Dupont, John Smith) stays a word space: an em there splits
    one name in two."""
    return _NAME_SPACE.sub("\u3000", text)


@dataclass(frozen=True)
class Piece:
    line: ComposedLine
    size: float
    dx: float  # pt from the block's left edge to the line start
    baseline: float  # pt from the block's top
    colour: CMYK
    kind: str


@dataclass(frozen=True)
class HeadBlock:
    lines: int  # grid lines the block occupies
    pieces: tuple[Piece, ...]
    rule_below: bool = False

    def items(self, story: str, x: float, y: float, width: float) -> list[Item]:
        out: list[Item] = []
        for p in self.pieces:
            src = Source(story=story, paragraph=None, kind=p.kind)
            out.extend(line_runs(p.line, x + p.dx, y + p.baseline, p.size, colour=p.colour, source=src))
        return out


class _Stack:
    """Stacks display lines downwards, centred or flush left, tracking the height used."""

    def __init__(self, width: float, align: str):
        self.width = width
        self.align = align
        self.y = 0.0
        self.pieces: list[Piece] = []

    def add(self, lines, size: float, colour: CMYK, kind: str, gap_before: float = 0.0) -> None:
        self.y += gap_before
        for line in lines:
            self.y += size * LEADING * (0.88 if not self.pieces or gap_before else 1.0)
            gap_before = 0.0
            w = line.width * size
            dx = (self.width - w) / 2 if self.align == "centre" else 0.0
            self.pieces.append(Piece(line, size, max(0.0, dx), self.y, colour, kind))
        self.y += size * (LEADING - 0.88)


DISPLAY_STEP = 0.5  # pt: decks, sub-heads, teasers and box lines step down by this much
DISPLAY_FLOOR = 0.9  # ... to 90 % of their template size unless the template sets min_size
DISPLAY_MAX_LINES = {"deck": 2, "subhead": 2, "kicker": 2, "teaser": 2}


def display_lines(
    ctx: Context, text: str, role: str, size: float, width: float, *, min_size: float | None = None,
    max_lines: int | None = None, balance: bool = True, justify: bool = False, step: float = DISPLAY_STEP,
) -> DisplayFit:
    """A display line set like a compositor sets it (layout/text/display.py): broken at word and
    phrase boundaries, the editor's spaces kept, balanced; fitted by stepping the size down from
    `size` to `min_size` (default `size`: no shrinking) before wrapping to more than `max_lines`.
    `.size` is the size chosen; `.set.lines` the lines; `.set.fits` False when even the smallest
    size needs more than `max_lines` lines (the caller reports it); `.set.inside_words` counts
    breaks that had to fall inside a word. For teasers, box-ad lines and the like."""
    floor = size if min_size is None else min(min_size, size)
    sizes = []
    sz = size
    while sz >= floor - 1e-9:
        sizes.append(round(sz, 3))
        sz -= step
    if not sizes:
        sizes = [size]
    key = ("display", text, role, tuple(sizes), width, max_lines, balance, justify, ctx.edition.words)
    chain = ctx.setter.chains[role]
    return ctx.setter.remember(key, lambda: fit_display(
        text, width, tuple(sizes), ctx.setter.style, chain, words=ctx.edition.words,
        max_lines=max_lines, balance=balance, justify=justify, prepared=_prepared(ctx, text, role, justify)))


def _prepared(ctx: Context, text: str, role: str, justify: bool = False):
    """The display text's units and break costs, made once per build (they depend on no width or
    size): the automatic layout fits a headline or deck at every width of every candidate module."""
    return ctx.setter.remember(("display-prepared", text, role, justify, ctx.edition.words),
                               lambda: prepare_display(text, ctx.setter.style, ctx.setter.chains[role],
                                                       words=ctx.edition.words, justify=justify))


def fit_headline(ctx: Context, text: str, width: float, start: float):
    """The largest size from `start` down to the template minimum, in steps, at which the headline
    fits the template's maximum number of lines, broken at word boundaries and balanced;
    (size, lines, fitted, words broken)."""
    h = ctx.template.headline
    return ctx.setter.remember(("headline", text, width, start, h.font, h.min_size, h.max_lines, ctx.edition.words),
                               lambda: _fit_headline(ctx, text, width, start))


def _fit_headline(ctx: Context, text: str, width: float, start: float):
    h = ctx.template.headline
    chain = ctx.setter.chains[h.font]
    words = ctx.edition.words
    sizes = []
    size = start
    while size >= h.min_size - 1e-9:
        sizes.append(size)
        size -= HEADLINE_STEP
    sizes = sizes or [h.min_size]
    # One line at a slightly smaller size reads better than a headline broken mid-phrase; but a
    # headline the editor broke (a newline) keeps its lines.
    one_line = tuple(sz for sz in sizes if sz >= start * ONE_LINE_FLOOR)
    if one_line and "\n" not in text:
        fit = fit_display(text, width, one_line, ctx.setter.style, chain, words=words, max_lines=1,
                          prepared=_prepared(ctx, text, h.font))
        if fit.set.fits and not fit.set.forced and fit.set.inside_words == 0:
            return fit.size, fit.set.lines, True, 0
    fit = fit_display(text, width, tuple(sizes), ctx.setter.style, chain, words=words, max_lines=h.max_lines,
                      prepared=_prepared(ctx, text, h.font))
    return fit.size, fit.set.lines, fit.set.fits and not fit.set.forced, fit.set.inside_words


def display_text(ctx: Context, text: str, kind: str, width: float, *, story=None, location=None,
                 justify: bool = False) -> DisplayFit:
    """A kicker, deck, sub-head or caption in its template style: fitted by size steps within the
    template's limits (`min_size`, `max_lines` of the style; defaults above), then wrapped. A word
    broken, or more lines than the style allows, is reported; nothing is cut."""
    st = ctx.template.style(kind)
    min_size = getattr(st, "min_size", None) or st.size * DISPLAY_FLOOR
    max_lines = getattr(st, "max_lines", None) or DISPLAY_MAX_LINES.get(kind)
    if justify:
        min_size, max_lines = st.size, None  # captions: body-like paragraphs at their own size
    fit = None
    if not justify and "\n" not in text:
        # Like a headline: one line at a smaller size step before two at the full size.
        one = display_lines(ctx, text, st.font, st.size, width, min_size=min_size, max_lines=1)
        if one.set.fits and not one.set.forced and not one.set.inside_words:
            fit = one
    if fit is None:
        fit = display_lines(ctx, text, st.font, st.size, width, min_size=min_size, max_lines=max_lines,
                            balance=not justify, justify=justify)
    where = {"location": location if location is not None else getattr(story, "loc", None),
             "story": getattr(story, "id", None)}
    report_display(ctx, fit, text, kind, max_lines, **where)
    return fit


def report_display(ctx: Context, fit: DisplayFit, text: str, kind: str, max_lines: int | None, **where) -> None:
    """The diagnostics of a display fit: words broken (warning), more lines than allowed (warning)."""
    got = fit.set
    shown = text if len(text) <= 24 else text[:23] + "…"
    if got.inside_words or got.forced:
        ctx.diagnostics.warning(
            "DISPLAY-WORD-BROKEN",
            f"{kind} {shown!r} could only be set with a break inside a word" if got.inside_words else
            f"{kind} {shown!r} has a word wider than its line, broken between letters",
            hint="shorten it, add a space where it may break, or give it more width", **where)
    if max_lines is not None and len(got.lines) > max_lines:
        ctx.diagnostics.warning(
            "DISPLAY-TOO-LONG",
            f"{kind} {shown!r} needs {len(got.lines)} lines at {fit.size:g} pt; the template allows {max_lines}",
            hint="shorten it or give it more columns", **where)


def head_block(
    ctx: Context, story, width: float, cols: int, *, lead: bool = False, continued_from: str | None = None
) -> HeadBlock:
    t = ctx.template
    align = "centre"
    stack = _Stack(width, align)
    pitch = ctx.grid.pitch
    stack.y = pitch * 0.5  # air above the block, under the rule or module edge
    if continued_from:
        st = t.style("jump")
        stack.add(ctx.setter.block(f"（上接{continued_from}版）", st.font, st.size, width, justify=False).lines,
                  st.size, BLACK, "jump")
        size = t.headline.size_for(cols) * 0.6
        fit = display_lines(ctx, story.headline, t.headline.font, size, width, min_size=t.headline.min_size * 0.6,
                            max_lines=t.headline.max_lines, step=HEADLINE_STEP / 2)
        stack.add(fit.set.lines, fit.size, BLACK, "headline", gap_before=fit.size * 0.2)
    else:
        if story.kicker:
            fit = display_text(ctx, story.kicker, "kicker", width, story=story)
            stack.add(fit.set.lines, fit.size, t.style("kicker").colour, "kicker")
        start = story.headline_size or t.headline.size_for(cols) * (t.headline.lead_factor if lead else 1.0)
        size, lines, fitted, broken = fit_headline(ctx, story.headline, width, start)
        # the editor's lines (newlines typed in the headline) are kept and printed; more of them than
        # the template allows is said as such ("does not fit in 2 lines … set in 3" sent the editor
        # to shorten a headline or widen a story that no width could set in 2 lines)
        typed = sum(1 for part in story.headline.split("\n") if part.strip())
        if not fitted and "\n" in story.headline and typed > t.headline.max_lines:
            ctx.diagnostics.error(
                "HEADLINE-TOO-LONG",
                f"the editor broke the headline into {typed} lines and the template allows "
                f"{t.headline.max_lines}; its {len(lines)} lines are printed at {size:g} pt",
                location=story.loc, story=story.id,
                hint=f"join its lines (remove a line break) so it has at most {t.headline.max_lines}, "
                     "or use a template whose headlines allow more lines",
            )
        elif not fitted and story.headline:  # no headline yet: a story still to be written (STORY-EMPTY)
            ctx.diagnostics.error(
                "HEADLINE-TOO-LONG",
                f"headline does not fit in {t.headline.max_lines} lines at {t.headline.min_size:g} pt "
                f"over {cols} columns; set in {len(lines)} lines",
                location=story.loc, story=story.id,
                hint="shorten the headline or give the story more columns (headline_cols)",
            )
        elif broken:
            ctx.diagnostics.warning(
                "DISPLAY-WORD-BROKEN", f"headline {story.headline!r} could only be set with a break inside a word",
                location=story.loc, story=story.id,
                hint="shorten it, add a space where it may break, or give it more columns")
        stack.add(lines, size, BLACK, "headline", gap_before=size * 0.15 if story.kicker else 0.0)
        for deck in story.decks:
            st = t.style("deck")
            fit = display_text(ctx, deck, "deck", width, story=story)
            stack.add(fit.set.lines, fit.size, st.colour, "deck", gap_before=st.size * 0.3)
        if story.byline:
            st = t.style("byline")
            stack.add(ctx.setter.block(name_spaces(story.byline), st.font, st.size, width, justify=False).lines,
                      st.size, st.colour, "byline", gap_before=st.size * 0.4)
    lines = ctx.grid.lines_for(stack.y + pitch * 0.5)
    if not continued_from and story.head_lines and story.head_lines > lines:
        # A headline held smaller than its module's size (Story.head_lines): the block keeps the
        # depth of the larger one's, its lines centred in it, white above and below.
        shift = (story.head_lines - lines) * pitch / 2
        return HeadBlock(story.head_lines, tuple(dataclasses.replace(p, baseline=p.baseline + shift)
                                                 for p in stack.pieces))
    return HeadBlock(lines, tuple(stack.pieces))


def clip_head(ctx: Context, head: HeadBlock, room_lines: int, story, page: str | None = None) -> HeadBlock:
    """A headline block deeper than its module would overprint whatever lies below (the next
    story's headline): keep the lines that fit and report the rest, never draw them."""
    if head.lines <= room_lines:
        return head
    bottom = room_lines * ctx.grid.pitch
    kept = tuple(p for p in head.pieces if p.baseline <= bottom + 1e-6)
    lost = [p for p in head.pieces if p.baseline > bottom + 1e-6]
    if not lost:
        # Only the air under the block's last line is cut: every line is set, nothing to report
        # (once 'HEAD-OVERFLOW … 0 line(s) of  (0 characters) not set', an error for nothing).
        return HeadBlock(room_lines, kept, head.rule_below)
    kinds = ", ".join(dict.fromkeys(p.kind for p in lost))
    chars = sum(len(g.text) for p in lost for g in p.line.glyphs if not g.text.isspace())
    ctx.diagnostics.error(
        "HEAD-OVERFLOW",
        f"the headline block needs {head.lines} grid lines but the module has {room_lines}: "
        f"{len(lost)} line(s) of {kinds} ({chars} characters) not set",
        location=getattr(story, "loc", None), story=getattr(story, "id", None), page=page,
        hint="shorten the deck or headline, or make the module deeper")
    return HeadBlock(room_lines, kept, head.rule_below)
