"""The headline block of a story: kicker (引題), headline (主題), decks (副題) and byline, fitted to
its width and occupying a whole number of grid lines (R40, R44)."""

from __future__ import annotations

from dataclasses import dataclass

from layout.color import BLACK, CMYK
from layout.frames import Item, Source
from layout.paginate.context import Context
from layout.paginate.typeset import line_runs
from layout.text.compose import ComposedLine
from layout.text.headline import fit_headline as _fit

LEADING = 1.25  # display lines: baseline-to-baseline as a multiple of the size
HEADLINE_STEP = 2.0  # pt: headlines are fitted by stepping the size down
ONE_LINE_FLOOR = 0.8  # a headline may shrink to 80 % of its nominal size to stay on one line


def name_spaces(text: str) -> str:
    """Bylines and credits keep the space between a title and a name (本報記者 林曉): as an
    ideographic space, since the composer drops a plain space between two Han characters."""
    return text.replace(" ", "\u3000")


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


def fit_headline(ctx: Context, text: str, width: float, start: float):
    """The largest size from `start` down to the template minimum, in steps, at which the headline
    fits the template's maximum number of lines, with balanced lines; (size, lines, fitted)."""
    h = ctx.template.headline
    return ctx.setter.remember(("headline", text, width, start, h.font, h.min_size, h.max_lines),
                               lambda: _fit_headline(ctx, text, width, start))


def _fit_headline(ctx: Context, text: str, width: float, start: float):
    h = ctx.template.headline
    chain = ctx.setter.chains[h.font]
    sizes = []
    size = start
    while size >= h.min_size - 1e-9:
        sizes.append(size)
        size -= HEADLINE_STEP
    # One line at a slightly smaller size reads better than a headline broken mid-phrase.
    one_line = tuple(sz for sz in sizes if sz >= start * ONE_LINE_FLOOR)
    fit = _fit(text, width, one_line, h.min_size, chain, ctx.setter.style, 1) if one_line else None
    if fit is None:
        fit = _fit(text, width, tuple(sizes) or (h.min_size,), h.min_size, chain, ctx.setter.style, h.max_lines)
    if fit is not None:
        return fit.size_pt, fit.lines, True
    para = ctx.setter.block(text, h.font, h.min_size, width, justify=False)
    return h.min_size, para.lines, False


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
        para = ctx.setter.block(story.headline, t.headline.font, size, width, justify=False)
        stack.add(para.lines, size, BLACK, "headline", gap_before=size * 0.2)
    else:
        if story.kicker:
            st = t.style("kicker")
            stack.add(ctx.setter.block(story.kicker, st.font, st.size, width, justify=False).lines,
                      st.size, st.colour, "kicker")
        start = story.headline_size or t.headline.size_for(cols) * (t.headline.lead_factor if lead else 1.0)
        size, lines, fitted = fit_headline(ctx, story.headline, width, start)
        if not fitted and story.headline:  # no headline yet: a story still to be written (STORY-EMPTY)
            ctx.diagnostics.error(
                "HEADLINE-TOO-LONG",
                f"headline does not fit in {t.headline.max_lines} lines at {t.headline.min_size:g} pt "
                f"over {cols} columns",
                location=story.loc, story=story.id,
                hint="shorten the headline or give the story more columns (headline_cols)",
            )
        stack.add(lines, size, BLACK, "headline", gap_before=size * 0.15 if story.kicker else 0.0)
        for deck in story.decks:
            st = t.style("deck")
            stack.add(ctx.setter.block(deck, st.font, st.size, width, justify=False).lines,
                      st.size, st.colour, "deck", gap_before=st.size * 0.3)
        if story.byline:
            st = t.style("byline")
            stack.add(ctx.setter.block(name_spaces(story.byline), st.font, st.size, width, justify=False).lines,
                      st.size, st.colour, "byline", gap_before=st.size * 0.4)
    lines = ctx.grid.lines_for(stack.y + pitch * 0.5)
    return HeadBlock(lines, tuple(stack.pieces))
