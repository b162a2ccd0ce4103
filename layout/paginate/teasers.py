"""Front-page teasers (導讀): one entry per story with the page it starts on, filled in after
pagination from where the stories actually landed."""

from __future__ import annotations

from dataclasses import dataclass

from layout.color import CMYK
from layout.diagnostics import Location
from layout.frames import Box, Item, Source
from layout.grid.grid import Rect
from layout.paginate.context import Context
from layout.paginate.deck import display_lines
from layout.paginate.typeset import line_runs
from layout.text.lines import ComposedLine

TINT = CMYK(0, 0, 0, 10)
PER_COL_CHARS = 24  # a teaser sub-column is about this many characters of teaser type wide
SIZE_STEP = 0.5  # pt: teaser type shrinks in half-point steps, down to the style's min_size
LEAD = 1.35  # baseline to baseline of a teaser that wraps, × size
ROW = 1.8  # the least depth of a one-line entry (its line and the air under it), × size
_EPS = 1e-6


@dataclass(frozen=True)
class Entry:
    story: str
    text: str
    page: str
    ref: ComposedLine  # "A05版", flush right on the entry's first line
    lines: tuple[ComposedLine, ...]  # the teaser, at the room its column leaves beside the ref

    def depth(self, size: float) -> float:
        return (len(self.lines) - 1) * LEAD * size + ROW * size


@dataclass(frozen=True)
class TeaserFit:
    size: float
    entries: tuple[Entry, ...]
    ncols: int
    col_w: float
    room: float  # pt for the teaser text beside its page reference
    fits: bool


def _columns(ctx: Context, rect: Rect, count: int) -> tuple[int, float]:
    st = ctx.template.style("teaser")
    pad = st.size
    ncols = max(1, min(count, int((rect.w - pad) // (PER_COL_CHARS * st.size))))
    if count:
        # Entries run down the sub-columns, so as few sub-columns as hold them in the same rows:
        # four entries in three sub-columns of two rows filled two and left a third of the strip
        # white (the sample's front page among them).
        ncols = -(-count // -(-count // ncols))
    return ncols, (rect.w - pad * (ncols + 1)) / ncols


def _rows(fit_entries: tuple[Entry, ...], ncols: int) -> int:
    return -(-len(fit_entries) // ncols) if fit_entries else 0


def _row_depths(entries: tuple[Entry, ...], ncols: int, size: float) -> list[float]:
    """Entries run down the sub-columns; a row is as deep as its deepest entry."""
    rows = _rows(entries, ncols)
    depths = [0.0] * rows
    for n, e in enumerate(entries):
        row = n % rows
        depths[row] = max(depths[row], e.depth(size))
    return depths


def _set_at(ctx: Context, entries, size: float, col_w: float, ncols: int, height: float, wrap: bool) -> TeaserFit:
    font = ctx.template.style("teaser").font
    out = []
    room = 0.0
    ok = True
    for story, text, page in entries:
        ref = ctx.setter.block(f"{page}版", font, size, 1e5 * size, justify=False).lines[0]  # never wrapped
        room = col_w - ref.width * size - size
        # broken like every display line: at phrase and word boundaries, the editor's spaces kept
        lines = display_lines(ctx, text, font, size, max(room, size)).set.lines if text else ()
        if room < size or any(ln.width * size > room + _EPS for ln in lines) or (len(lines) > 1 and not wrap):
            ok = False
        out.append(Entry(story, text, page, ref, lines))
    fitted = tuple(out)
    ok = ok and sum(_row_depths(fitted, ncols, size)) <= height + _EPS
    return TeaserFit(size, fitted, ncols, col_w, room, ok)


def fit_teasers(ctx: Context, rect: Rect, entries: list[tuple[str, str, str]]) -> TeaserFit:
    """The teasers' size: the largest step at which each entry keeps to one line; failing that, the
    largest at which the entries, wrapped, fit the module's depth; failing that, the smallest step
    (`fits` False). One size for all entries: a teaser box in mixed sizes looks like a mistake."""
    st = ctx.template.style("teaser")
    g = ctx.grid
    ncols, col_w = _columns(ctx, rect, len(entries))
    height = rect.h - g.pitch * 3
    low = st.min_size if st.min_size is not None else st.size
    sizes = [st.size - k * SIZE_STEP for k in range(int((st.size - low) / SIZE_STEP + _EPS) + 1)]
    for wrap in (False, True):
        for size in sizes:
            fit = _set_at(ctx, entries, size, col_w, ncols, height, wrap)
            if fit.fits:
                return fit
    return fit


def teasers(ctx: Context, rect: Rect, entries: list[tuple[str, str, str]], page: str = "",
            loc=None) -> list[Item]:
    """`entries`: (story id, teaser text, page id). A tinted box, a title, and the entries in as many
    sub-columns as the width allows, each entry flush left with its page flush right; a teaser
    longer than its line shrinks or wraps, and what does not fit is TEASER-OVERFLOW."""
    g = ctx.grid
    t = ctx.template
    title = t.style("kicker")
    items: list[Item] = [Box(rect.x, rect.y + g.pitch * 0.25, rect.w, rect.h - g.pitch * 0.5, fill=TINT,
                             source=Source(kind="teasers"))]
    pad = t.style("teaser").size
    line = ctx.setter.block("導讀", title.font, title.size, rect.w, justify=False).lines[0]
    if rect.y + g.pitch * 1.5 + 0.12 * title.size <= rect.y + rect.h - g.pitch * 0.25:
        # The title only where the module is deep enough for it (the entries then report themselves).
        items += line_runs(line, rect.x + pad, rect.y + g.pitch * 1.5, title.size, source=Source(kind="teasers"))
    if not entries:
        return items
    fit = fit_teasers(ctx, rect, entries)
    size = fit.size
    top = rect.y + g.pitch * 2.5
    bottom = rect.y + rect.h - g.pitch * 0.5  # the foot of the rows' area, inside the tint
    depths = _row_depths(fit.entries, fit.ncols, size)
    rows = len(depths)
    spare = max(0.0, bottom - top - sum(depths)) / rows
    row_tops = [top + sum(depths[:r]) + r * spare for r in range(rows)]
    for n, e in enumerate(fit.entries):
        col, row = divmod(n, rows)
        x = rect.x + pad + col * (fit.col_w + pad)
        src = Source(story=e.story, kind="teaser")
        lost = []
        for k, text_line in enumerate(e.lines):
            base = row_tops[row] + size + k * LEAD * size
            if base + 0.12 * size > bottom + _EPS or text_line.width * size > fit.room + _EPS:
                lost.append(text_line)
                continue
            items += line_runs(text_line, x, base, size, source=src)
        first_base = row_tops[row] + size
        if first_base + 0.12 * size <= bottom + _EPS and fit.room >= size:
            items += line_runs(e.ref, x + fit.col_w - e.ref.width * size, first_base, size, source=src)
        elif e.lines:
            lost = list(e.lines)
        if lost:
            _overflow(ctx, e, lost, size, page, loc)
    return items


def _overflow(ctx: Context, e: Entry, lost: list[ComposedLine], size: float, page: str, loc) -> None:
    text = "".join(e.text[ln.start:ln.end] for ln in lost)
    chars = sum(not ch.isspace() for ch in text)
    story = ctx.edition.stories.get(e.story)
    ctx.diagnostics.error(
        "TEASER-OVERFLOW",
        f"the teaser for {e.story!r} on page {page} does not fit its module even at {size:g} pt: "
        f"{chars} characters not printed: 「{text.strip()}」",
        location=story.loc if story is not None else (loc or Location()), page=page, story=e.story,
        hint="shorten the story's `teaser:`, drop an entry, or give the teasers a larger module",
    )
