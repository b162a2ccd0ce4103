"""Vertical text on the page (issue 16): columns of a VerticalParagraph turned into glyph runs,
vertical display lines (豎題) and vertical story modules.

A column's glyphs hang from its top: `top` is the y of the column's first em, `axis` the x of its
centre line. Upright glyphs and tate-chu-yoko digits become `vertical` runs (drawn in PDF vertical
mode, layout/render/vertical.py), rotated Latin `rotated` runs, characters no face has
MissingGlyph cells; emphasis dots stand right of the column, proper-noun and book-title lines left
of it (column_marks, R55).
"""

from __future__ import annotations

from dataclasses import dataclass

from layout.color import BLACK, CMYK
from layout.frames import GlyphRun, Mark, MissingGlyph, PlacedGlyph, Source
from layout.grid.grid import IDEO_ASCENT
from layout.paginate.typeset import DOT_D, DOT_Y, EM_BOTTOM, LINE_INSET, LINE_W, LINE_Y
from layout.text.vertical import DisplayBreaker, VerticalComposer, VerticalLine, display_columns


def column_runs(line: VerticalLine, composer: VerticalComposer, axis: float, top: float, size: float, *,
                source: Source, colour: CMYK = BLACK) -> list[GlyphRun | MissingGlyph]:
    """Glyph runs of one vertical column: one per face and kind, in reading order; then a
    MissingGlyph for each character no face has (never printed, marked on the proofs and reported
    from the page, as layout.paginate.typeset.line_runs does for horizontal lines)."""
    runs: list[GlyphRun | MissingGlyph] = []
    missing: list[MissingGlyph] = []
    current: list[PlacedGlyph] = []
    key = None  # (face, kind, size) of the run being collected
    src = Source(source.story, source.paragraph, line.start, line.line.end, source.kind)

    def flush():
        if current:
            face, kind, run_size = key
            runs.append(GlyphRun(face=face, size=run_size, glyphs=tuple(current), color=colour, source=src,
                                 vertical=kind != "rotated", rotated=kind == "rotated"))
            current.clear()

    for g in line.glyphs:
        y = top + g.y * size
        if g.kind == "missing":
            missing.append(MissingGlyph(axis - size / 2, y, size, g.advance * size, g.text,
                                        Source(source.story, source.paragraph, g.index, g.index + 1, source.kind)))
            continue
        if g.kind == "tcy":
            run_size = size * g.scale
            metrics = composer.vface(g.face).metrics
            baseline = y + (size - run_size) / 2 + IDEO_ASCENT * run_size
            placed = PlacedGlyph(g.gid, axis + (g.x + g.advance / 2) * size,
                                 baseline - metrics.origin(g.gid) * run_size, g.text, size, box_y=y)
            want = (g.face, "upright", run_size)
        elif g.kind == "rotated":
            placed = PlacedGlyph(g.gid, axis - (IDEO_ASCENT - 0.5) * size, y, g.text, g.advance * size)
            if g.box is not None:
                placed = PlacedGlyph(placed.gid, placed.x, y, g.text, placed.advance, box_x=placed.x,
                                     box_y=top + g.box * size)
            want = (g.face, "rotated", size)
        else:
            placed = PlacedGlyph(g.gid, axis, y, g.text, g.advance * size,
                                 box_y=None if g.box is None else top + g.box * size)
            want = (g.face, "upright", size)
        if want != key:
            flush()
            key = want
        current.append(placed)
    flush()
    return runs + missing


# ---------------------------------------------------------------------------------------------
# Display lines in columns: kicker, headline, decks, byline standing vertically (豎題)

LEADING = 1.25  # column pitch of display lines, as a multiple of the size (deck.py's leading)
HEADLINE_STEP = 2.0  # pt


def vcomposer(ctx, role: str) -> VerticalComposer:
    """The build's vertical composer for a font role (kept by the text setter, like its composers)."""
    setter = ctx.setter
    return setter.remember(("vertical-composer", role, setter.style),
                           lambda: VerticalComposer(setter.style, setter.chains[role]))


@dataclass(frozen=True)
class VColumn:
    """One display column of a vertical head: `dx` pt from the strip's right edge to its axis,
    `dy` pt from the strip's top to its first em."""

    line: VerticalLine
    role: str
    size: float
    dx: float
    dy: float
    colour: CMYK
    kind: str


@dataclass(frozen=True)
class VerticalHead:
    width: float  # pt the strip takes, from its right edge
    columns: tuple[VColumn, ...]
    fitted: bool = True
    inside_words: int = 0  # column breaks of the headline that fall inside a word

    def items(self, ctx, story: str, right: float, top: float) -> list[GlyphRun]:
        out: list[GlyphRun] = []
        for c in self.columns:
            out += column_runs(c.line, vcomposer(ctx, c.role), right - c.dx, top + c.dy, c.size,
                               source=Source(story=story, kind=c.kind), colour=c.colour)
        return out


def display_breaker(ctx, role: str, max_columns: int | None = None) -> DisplayBreaker:
    """The build's display breaker for vertical lines of a font role: word and phrase boundaries
    (the edition's `words:` too), as horizontal display lines break (layout.text.display)."""
    setter = ctx.setter
    return setter.remember(("vertical-breaker", role, setter.style, max_columns, ctx.edition.words),
                           lambda: DisplayBreaker(vcomposer(ctx, role), ctx.edition.words, max_columns))


def _display(ctx, text: str, role: str, size: float, length: float, max_columns: int, breaker=None):
    comp = vcomposer(ctx, role)
    par = display_columns(text, length / size, max_columns, comp, breaker)
    return par, all(ln.length <= length / size + 1e-6 and not ln.line.forced for ln in par.lines)


def _broken_words(breaker, text: str, length: float) -> int:
    """Breaks inside a word the breaker had to take (0 for a breaker that does not say)."""
    breaks = getattr(breaker, "breaks", None)
    return breaks(text, length).inside_words if breaks is not None else 0


def vertical_head(ctx, story, height: float, max_width: float, cols: int, *, lead: bool = False,
                  continued_from: str | None = None, breaker=None) -> VerticalHead:
    """The head of a story as vertical columns from the right: kicker, headline (fitted: the
    largest size from the template's for `cols` down to its minimum at which it takes at most
    max_lines columns and the whole head fits `max_width`), decks, byline. `breaker(text, length)`
    may give display break points (word boundaries); see layout.text.vertical.display_columns."""
    t = ctx.template
    h = t.headline
    air = ctx.grid.pitch * 0.5
    length = height - 2 * air
    extras: list[tuple[str, str, float, CMYK, str]] = []  # text, role, size, colour, kind
    if continued_from:
        st = t.style("jump")
        extras.append((f"（上接{continued_from}版）", st.font, st.size, BLACK, "jump"))
    elif story.kicker:
        st = t.style("kicker")
        extras.append((story.kicker, st.font, st.size, st.colour, "kicker"))
    after: list[tuple[str, str, float, CMYK, str]] = []
    if not continued_from:
        for deck in story.decks:
            st = t.style("deck")
            after.append((deck, st.font, st.size, st.colour, "deck"))
        if story.byline:
            st = t.style("byline")
            after.append((story.byline.replace(" ", "\u3000"), st.font, st.size, st.colour, "byline"))
    fixed = []
    for text, role, size, colour, kind in extras + after:
        # kickers and decks break at word boundaries like the headline; a byline or jump line as set
        words = display_breaker(ctx, role, 2) if kind in ("kicker", "deck") else None
        par, _ = _display(ctx, text, role, size, length, 99, words)
        fixed.append((par, role, size, colour, kind))
    fixed_w = sum(len(p.lines) * s * LEADING for p, _, s, _, _ in fixed)
    start = story.headline_size or h.size_for(cols) * (h.lead_factor if lead else 1.0)
    if continued_from:
        start = h.size_for(cols) * 0.6
    if breaker is None:
        breaker = display_breaker(ctx, h.font, h.max_lines)
    chosen = None
    # As horizontal headlines are fitted (layout.paginate.deck.fit_headline): the largest size at
    # which no word is broken, else the largest at which it fits at all (the broken word reported).
    for whole_words in (True, False):
        size = start
        while chosen is None and size >= h.min_size - 1e-9:
            par, ok = _display(ctx, story.headline, h.font, size, length, h.max_lines, breaker)
            if (ok and len(par.lines) <= h.max_lines and fixed_w + len(par.lines) * size * LEADING <= max_width + 1e-6
                    and not (whole_words and _broken_words(breaker, story.headline, length / size))):
                chosen = (par, size)
            size -= HEADLINE_STEP
        if chosen is not None:
            break
    fitted = chosen is not None
    broken = _broken_words(breaker, story.headline, length / chosen[1]) if fitted else 0
    if chosen is None:
        size = h.min_size
        chosen = (_display(ctx, story.headline, h.font, size, length, h.max_lines, breaker)[0], size)
    columns: list[VColumn] = []
    x = 0.0
    n_extra = len(extras)
    order = fixed[:n_extra] + [(chosen[0], h.font, chosen[1], BLACK, "headline")] + fixed[n_extra:]
    for par, role, sz, colour, kind in order:
        for ln in par.lines:
            pitch = sz * LEADING
            dy = air  # every column hangs from the strip's top, as vertical heads are set
            columns.append(VColumn(ln, role, sz, x + pitch / 2, dy, colour, kind))
            x += pitch
    return VerticalHead(x, tuple(columns), fitted, broken)


def report_head(ctx, story, head: VerticalHead, cols: int, page: str) -> None:
    if head.fitted and head.inside_words:
        ctx.diagnostics.warning(
            "DISPLAY-WORD-BROKEN", f"vertical headline {story.headline!r} could only be set with a column break "
            "inside a word", location=story.loc, story=story.id, page=page,
            hint="shorten it, add a space where it may break, or give it more width or depth")
    if not head.fitted:
        ctx.diagnostics.error(
            "HEADLINE-TOO-LONG",
            f"vertical headline does not fit in {ctx.template.headline.max_lines} columns at "
            f"{ctx.template.headline.min_size:g} pt in its strip of the {cols}-column module",
            location=story.loc, story=story.id, page=page,
            hint="shorten the headline or make the module deeper")


# ---------------------------------------------------------------------------------------------
# A vertical story module (直排): the head as columns at the right, the body in bands (欄) stacked
# down the module, each band's lines running top to bottom and following each other from right to
# left. The flow of layout/paginate/flow.py pours the lines: a slot is a run of free lines of one
# band, its rows numbered band × BAND_ROWS + line, so widows, orphans and sub-heads kept with their
# text (R38, R45) and the overset count work as in horizontal text.

BAND_ROWS = 1000


@dataclass(frozen=True)
class VSlot:
    """Where a vertical slot's lines go: the axis of its first (right-most) line, the top of its
    band, the line pitch (lines run leftwards)."""

    axis: float
    top: float
    pitch: float


def _bands(ctx, top: float, height: float) -> list[float]:
    """Tops of the bands that fit in `height` pt from `top`: bands of the template's column length
    (column_chars characters of body type), a gutter apart."""
    g = ctx.grid
    length = g.column_chars * g.body_size
    gap = g.gutter_chars * g.body_size
    out = []
    y = top
    while y + length <= top + height + 1e-6:
        out.append(y)
        y += length + gap
    return out


def layout_vertical_part(ctx, story, page: str, at, rect, *, lead: bool, continued_from: str | None,
                         jump_to: str | None, module_index: int):
    from layout.paginate.deck import HeadBlock
    from layout.paginate.flow import Slot
    from layout.paginate.story import Part, _fit_photo, set_photo, story_box

    g = ctx.grid
    head = vertical_head(ctx, story, rect.h, rect.w / 2, at.cols, lead=lead, continued_from=continued_from)
    if continued_from is None:
        report_head(ctx, story, head, at.cols, page)
    part = Part(page, at, rect, HeadBlock(0, ()), [])
    if story.box:
        part.items.extend(story_box(ctx, story, rect))
    right = rect.x + rect.w
    part.items.extend(head.items(ctx, story.id, right, rect.y))
    pitch = g.pitch
    body_right = right - head.width - g.body_size  # one em of air between the head and the body
    lines_per_band = int((body_right - rect.x + 1e-6) // pitch)
    air = g.pitch * 0.5
    used = 0  # grid lines the story's tables take at the module's foot
    if continued_from is None and story.tables:
        # Tables stay horizontal (layout/table), at the foot of the module as in a horizontal story,
        # across the columns left of the head's strip; the bands are cut above them.
        from layout.model.edition import At
        from layout.table.story import story_tables

        strip = -int(-(head.width + g.body_size) // (g.column_width + g.gutter))
        t_at = At(at.col, at.line, at.cols - strip, at.lines)
        if t_at.cols < 1:
            for tid in story.tables:
                ctx.diagnostics.error("TABLE-OVERSET", f"table {tid} of story {story.id}: no room left of the "
                                      f"vertical head in the story's {at.cols}-column module on {page}",
                                      location=story.loc, page=page, story=story.id,
                                      hint="make the story's module wider, or place the table on the page by itself")
        else:
            t_items, part.tables, used = story_tables(ctx, story, t_at, page, at.line + 1)
            part.items.extend(t_items)
    tops = _bands(ctx, rect.y + air, rect.h - 2 * air - used * g.pitch)
    busy: dict[int, set[int]] = {b: set() for b in range(len(tops))}
    band_len = g.column_chars * g.body_size
    if continued_from is None:
        for n, photo in enumerate(story.photos):
            # At the module's top left, in whole line pitches across and whole bands down.
            width = min(g.span_width(min(photo.cols, at.cols)), body_right - rect.x)
            lines_across = min(lines_per_band, int(-(-(width + g.body_size) // pitch)))
            room = int(rect.h // g.pitch) - used
            photo_, reserve, pieces = _fit_photo(ctx, photo, width, room, f"in the {at.lines}-line module",
                                                 story=story.id, page=page)
            if photo_ is None:
                continue
            items, request = set_photo(ctx, photo_, rect.x, rect.y + air, width, pieces, story=story.id,
                                       index=n, page=page)
            part.items.extend(items)
            part.photos.append(request)
            bottom = rect.y + air + reserve * g.pitch
            for b, y in enumerate(tops):
                if y < bottom:
                    busy[b].update(range(lines_per_band - lines_across, lines_per_band))
            break  # one photo per vertical module; the others are reported below
        for photo in story.photos[1:]:
            ctx.diagnostics.error("PHOTO-DOES-NOT-FIT",
                                  f"photo {photo.file.name}: a vertical story module holds one photo; it is not printed",
                                  location=photo.loc, story=story.id, page=page,
                                  hint="give the photo a module of its own (`- photo:` on the page)")
    vslots: list[tuple[Slot, VSlot]] = []
    for b, top in enumerate(tops):
        k = 0
        while k < lines_per_band:
            if k in busy[b]:
                k += 1
                continue
            start = k
            while k < lines_per_band and k not in busy[b]:
                k += 1
            slot = Slot(page, body_right - (start + 0.5) * pitch, float(g.column_chars), b * BAND_ROWS + start + 1,
                        k - start, module_index)
            vslots.append((slot, VSlot(body_right - (start + 0.5) * pitch, top, pitch)))
    if jump_to and vslots:
        slot, vs = vslots[-1]
        last = slot.first + slot.count - 1
        st = ctx.template.style("jump")
        comp = vcomposer(ctx, st.font)
        par = comp.paragraph(f"（下轉{jump_to}版）", band_len / st.size, 0.0)
        if par.lines:  # at the foot of the last line of the module
            ln = par.lines[0]
            axis = vs.axis - (last - slot.first) * pitch
            part.items.extend(column_runs(ln, comp, axis, vs.top + band_len - ln.length * st.size, st.size,
                                          source=Source(story=story.id, kind="jump")))
        part.jump_line = last
        if slot.count > 1:
            vslots[-1] = (Slot(slot.page, slot.x, slot.measure, slot.first, slot.count - 1, slot.module), vs)
        else:
            vslots.pop()
    part.slots = [s for s, _ in vslots]
    part.vslots = {(s.page, s.first): v for s, v in vslots}
    return part


def flow_vertical(ctx, layout) -> None:
    """The body lines of a vertical story, composed vertically at the band length, poured through
    its slots (no balancing across bands: a vertical story reads band by band)."""
    from layout.paginate.flow import flow
    from layout.paginate.story import lint_story, report_no_text

    report_no_text(ctx, layout)
    story = layout.story
    slots = [s for part in layout.parts for s in part.slots]
    measure = slots[0].measure if slots else float(ctx.grid.column_chars)
    blocks = vertical_blocks(ctx, story, measure)
    lint_story(ctx, story)
    result = flow(blocks, slots)
    if len(layout.parts) > 1 and not any(r.slot.module == 1 for r in result.runs):
        # It fits its first module: no jump line, the continuation stays empty (as horizontal).
        first, cont = layout.parts[0], layout.parts[1]
        ctx.diagnostics.warning(
            "JUMP-UNUSED", f"story {story.id!r} fits on {first.page}: its continuation slot on {cont.page} stays empty",
            location=story.loc, story=story.id, page=cont.page,
            hint=f"remove `jump: {cont.page}` and the `continued:` slot, or give the slot to another story")
        first.items = [i for i in first.items if i.source.kind != "jump"]
        layout.parts = [first]
        result = flow(blocks, list(first.slots))
    layout.result = result


def vertical_blocks(ctx, story, measure: float):
    """The story's paragraphs composed vertically at the band length, as body_blocks composes them
    horizontally: the story's composition settings, the dateline in its face with its fixed gap,
    inline bold and Kai runs in their faces (layout.paginate.typeset.styled_paragraph)."""
    from layout.paginate.flow import Block
    from layout.paginate.typeset import mark_gap_problem, styled_paragraph
    from layout.template import apply_composition

    t = ctx.template
    body = t.style("body")
    sub = t.style("subhead")
    style = apply_composition(ctx.setter.style, ctx.edition.composition_of(story.id))
    marked = next((p for p in story.paragraphs if any(s.kind != "face" for s in p.spans)), None)
    if marked is not None and (problem := mark_gap_problem(ctx.grid.pitch, body.size)):
        # R49 across the columns: the marks stand in the gap between vertical lines
        ctx.diagnostics.warning("TEXT-MARK-GAP", problem, location=marked.loc, story=story.id,
                                hint="raise the template's grid pitch to 1.5 × the body size, or drop the marks")
    blocks = []
    first_body = True
    for n, para in enumerate(story.paragraphs):
        if para.kind == "subhead":
            comp = vcomposer(ctx, sub.font)
            par = display_columns(para.text, measure * body.size / sub.size, 99, comp, display_breaker(ctx, sub.font, 2))
            blocks.append(_vblock(Block, n, "subhead", par, 1, sub.size, sub.font))
            continue
        text, runs, fixed, _ = styled_paragraph(ctx.setter, para, story.dateline if first_body else "",
                                                ctx.diagnostics, story.id)
        first_body = False
        chains = tuple((a, b, ctx.setter.chains[r]) for a, b, r in runs)
        par = vcomposer(ctx, body.font).paragraph(text, measure, style=style, runs=chains, fixed=fixed)
        for ch in dict.fromkeys(par.missing):
            ctx.diagnostics.error(
                "FONT-MISSING-GLYPH", f"no font of role {body.font!r} has {ch!r} (U+{ord(ch):04X})",
                location=para.loc, story=story.id, paragraph=n,
                hint="replace the character or add a face that has it to the role's fallback chain")
        blocks.append(_vblock(Block, n, "body", par, 0, body.size, body.font))
    return blocks


def _vblock(block_type, n, kind, par, lead, size, role):
    """A flow Block of the composed columns; the vertical lines ride along by the same index."""
    block = block_type(n, kind, tuple(ln.line for ln in par.lines), lead=lead, size=size, role=role)
    object.__setattr__(block, "_vlines", par.lines)
    return block


def vertical_body_items(ctx, layout) -> dict[str, list]:
    out: dict[str, list] = {}
    vslots = {}
    for part in layout.parts:
        vslots.update(getattr(part, "vslots", {}))
    from layout.paginate.typeset import styled_paragraph

    body = ctx.template.style("body")
    story = layout.story
    first_body = next((n for n, para in enumerate(story.paragraphs) if para.kind == "body"), None)
    for p in layout.result.placed:
        vs = vslots[(p.slot.page, p.slot.first)]
        vline = p.block._vlines[p.index]  # an attribute read: a block from the page cache reads it then
        axis = vs.axis - (p.row - p.slot.first) * vs.pitch
        top = vs.top
        if p.block.kind == "subhead":  # centred down the band
            top += (p.slot.measure * body.size - vline.length * p.block.size) / 2
        src = Source(story=layout.story.id, paragraph=p.block.paragraph, kind=p.block.kind)
        comp = vcomposer(ctx, p.block.role)
        out.setdefault(p.slot.page, []).extend(column_runs(vline, comp, axis, top, p.block.size, source=src))
        para = story.paragraphs[p.block.paragraph] if p.block.paragraph < len(story.paragraphs) else None
        if para is not None and para.spans and p.block.kind == "body":
            dateline = story.dateline if p.block.paragraph == first_body else ""
            spans = styled_paragraph(ctx.setter, para, dateline)[3]
            out[p.slot.page].extend(column_marks(vline, spans, axis, top, p.block.size, source=src))
    return out


# Interlinear marks beside vertical text (cjk-rules R55): emphasis dots on the right of the
# characters, proper-noun and book-title lines on the left, as far out from the em box as under
# horizontal text (layout.paginate.typeset: the em box's edge is ½ em from the axis).
DOT_X = 0.5 + (DOT_Y - EM_BOTTOM)  # em right of the axis, the dot's centre
LINE_X = 0.5 + (LINE_Y - EM_BOTTOM)  # em left of the axis, the line's centre


def column_marks(line: VerticalLine, spans, axis: float, top: float, size: float, *, colour: CMYK = BLACK,
                 source: Source) -> list[Mark]:
    """Emphasis dots and proper-noun / book-title lines (layout/text/inline.py spans of kinds
    dots, name, book) of one vertical column: a dot right of each Han character, letter or digit
    (one for a tate-chu-yoko cell, which reads as one character), none beside punctuation (R47,
    R55); a line left of the run from its first glyph's top to its last glyph's foot in this
    column, never into the glue beyond them (R28), broken only at the column's end (R48)."""
    from layout.text import rules_zh as R

    out: list[Mark] = []
    src = Source(source.story, source.paragraph, line.start, line.line.end, source.kind)
    for span in spans:
        if span.kind not in ("dots", "name", "book"):
            continue
        glyphs = [g for g in line.glyphs if span.start <= g.index < span.end and not g.text.isspace()
                  and g.kind != "missing"]
        if not glyphs:
            continue
        if span.kind == "dots":
            seen: set[float] = set()
            for g in glyphs:
                if g.text in R.PUNCT_CLASS or not (g.text.isalnum() or R.is_han(ord(g.text[0]))):
                    continue
                start, length = _extent(g)
                if g.kind == "tcy":
                    if g.y in seen:
                        continue  # the cell's other digits
                    seen.add(g.y)
                centre = top + (start + length / 2) * size
                x = axis + DOT_X * size
                out.append(Mark("dot", x, centre, x, DOT_D * size, colour, src))
            continue
        first, last = _extent(glyphs[0]), _extent(glyphs[-1])
        y0 = top + (first[0] + LINE_INSET) * size
        y1 = top + (last[0] + last[1] - LINE_INSET) * size
        x = axis - LINE_X * size
        out.append(Mark("line" if span.kind == "name" else "wavy", x, y0, x, LINE_W * size, colour, src, y1=y1))
    return out


def _extent(g) -> tuple[float, float]:
    """(top, length) of a glyph's set box down the column, em: a tate-chu-yoko digit's is its
    whole one em cell, a trimmed mark's starts at its box."""
    if g.kind == "tcy":
        return g.y, 1.0
    start = g.y if g.box is None else g.box
    return start, g.advance
