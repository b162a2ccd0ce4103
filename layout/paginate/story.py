"""A story on the page: its headline block, photos with captions, body text flowing through the
module's columns around the photos (圖文互斥), and on into its jump slot (轉版)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from layout.color import BLACK, CMYK
from layout.fonts.report import SourceLines
from layout.frames import Box, ImageItem, Item, Module, Rule, Source
from layout.grid.grid import Rect
from layout.model.edition import At, Photo, Story
from layout.paginate.context import Context
from layout.paginate.deck import HeadBlock, clip_head, display_text, head_block, name_spaces
from layout.paginate.flow import Block, FlowResult, Slot, flow
from layout.paginate.typeset import line_marks, line_runs, mark_gap_problem, styled_paragraph
from layout.template import apply_composition
from layout.text.lint import lint_fullwidth_latin, lint_quotes, lint_subheads

CAPTION_LEADING = 1.35


@dataclass(frozen=True)
class PhotoRequest:
    """A photo to prepare for print at its placed size (the images stage does the work)."""

    key: str
    file: str
    w: float
    h: float
    focus: tuple[float, float]
    story: str
    page: str


@dataclass
class Part:
    """One module of a story: the first one, or its continuation on the jump page."""

    page: str
    at: At
    rect: Rect
    head: HeadBlock
    slots: list[Slot]
    items: list[Item] = field(default_factory=list)
    photos: list[PhotoRequest] = field(default_factory=list)
    jump_line: int | None = None  # grid line reserved for 下轉 at the end of a first part
    jump_x: float | None = None  # the column (its x) of that line: its slot may be gone, one line deep
    tables: list = field(default_factory=list)  # layout.table.setting.TableResult of tables set in it
    strip_cols: int = 0  # columns at the module's right taken by a vertical head (issue 16)
    vslots: dict = field(default_factory=dict)  # vertical story: (page, first row) -> VSlot
    notch: Rect | None = None  # the corner cut out of an L-shaped module (issue 13), on the page


@dataclass
class StoryLayout:
    story: Story
    parts: list[Part]
    result: FlowResult | None = None

    @property
    def pages(self) -> list[str]:
        used = {p.slot.page for p in self.result.placed} if self.result else set()
        return [p.page for p in self.parts if p.page in used or p is self.parts[0]]


def picture_box(ctx: Context, photo: Photo, width: float) -> tuple[float, float]:
    """(offset, width) of the picture inside a photo frame `width` pt wide: the whole frame, or all
    but one column when the caption stands beside it."""
    side = getattr(photo, "caption_side", "below")
    beside = ctx.grid.column_width + ctx.grid.gutter
    if side in ("left", "right") and width > beside + ctx.grid.column_width / 2:
        return (beside if side == "left" else 0.0), width - beside
    return 0.0, width


def photo_reserve(ctx: Context, photo: Photo, width: float) -> tuple[int, list]:
    """Grid lines a photo takes (picture, caption, credit, one line of air) and its caption pieces,
    placed relative to the frame's top-left corner. A caption beside the picture is set in the
    frame's last (or first) column, its last line on the picture's foot."""
    t = ctx.template
    cap = t.style("caption")
    cred = t.style("credit")
    pic_dx, pic_w = picture_box(ctx, photo, width)
    pic_h = photo.lines * ctx.grid.pitch
    beside = pic_w < width
    text_x = (0.0 if pic_dx else pic_w + ctx.grid.gutter) if beside else 0.0
    text_w = ctx.grid.column_width if beside else width
    lines = []
    if photo.caption:
        fit = display_text(ctx, photo.caption, "caption", text_w, location=photo.loc, justify=True)
        lines += [(ln, cap, 0.0, "caption") for ln in fit.set.lines]
    if photo.credit:  # flush right, every line of it (a long credit wraps rather than losing its end)
        for ln in ctx.setter.block(name_spaces(photo.credit), cred.font, cred.size, text_w, justify=False).lines:
            lines.append((ln, cred, text_w - ln.width * cred.size, "credit"))
    depth = sum(st.size * CAPTION_LEADING for _, st, _, _ in lines)
    # Below: from the picture's foot down. Beside: ending on the picture's foot (or below it when taller).
    y = pic_h + cap.size * 0.5 if not beside else max(pic_h - depth, 0.0) - cap.size * 0.25
    pieces = []
    for line, st, dx, kind in lines:
        y += st.size * CAPTION_LEADING
        pieces.append((line, st, text_x + dx, y, kind))
    bottom = max(y, pic_h) if beside else y
    return ctx.grid.lines_for(bottom + cap.size * 0.4) + 1, pieces


def layout_part(
    ctx: Context, story: Story, page: str, at: At, *, lead: bool, continued_from: str | None,
    jump_to: str | None, module_index: int, trial: bool = False,
) -> Part:
    """The story's part in the module `at`: head block, photos, tables and the body's slots.
    `trial`: the automatic layout's measurement (layout/autolayout/estimate.py), which reads only
    the geometry — the head block's depth and pieces, the slots, a vertical head's strip — so the
    glyph runs of the head block, captions and jump line, the box and the photo requests are not
    made (they were ~a quarter of a trial's cost); every diagnostic is still reported. A vertical
    head's runs are kept: they carry its fitted size (estimate.headline_pt)."""
    grid = ctx.grid
    rect = grid.rect(at.col, at.line, at.cols, at.lines)
    cut = at.notch_cells()
    if cut is not None and (story.direction == "vertical" or story.tables):
        # (the loader's checks refuse these; an edition built in code gets the full rectangle's
        # columns cut at the notch's top instead of a module that its text would overrun)
        at = replace(at, lines=at.lines - at.notch.lines, notch=None)
        rect, cut = grid.rect(at.col, at.line, at.cols, at.lines), None
    if story.direction == "vertical":  # issue 16: the whole story in vertical columns
        from layout.paginate.vertical import layout_vertical_part

        return layout_vertical_part(ctx, story, page, at, rect, lead=lead, continued_from=continued_from,
                                    jump_to=jump_to, module_index=module_index)
    head_cols = at.cols
    if continued_from is None and story.headline_cols:
        head_cols = min(story.headline_cols, at.cols)
    vhead = None
    narrow = continued_from is None and story.headline_direction == "vertical" and at.cols == 1
    if narrow:
        ctx.diagnostics.warning("HEADLINE-VERTICAL-NARROW",
                                f"story {story.id!r} has a vertical headline in a one-column module on {page}: "
                                "it is set horizontally", location=story.loc, story=story.id, page=page,
                                hint="give the story two or more columns, or set the whole story vertically "
                                     "(direction: vertical)")
    if continued_from is None and story.headline_direction == "vertical" and not narrow:
        # issue 16: the head stands vertically in whole columns at the module's right (豎題)
        from layout.paginate.vertical import report_head, vertical_head

        most = grid.span_width(max(1, at.cols // 2))
        # at the module's right: as deep as its right-hand column (a notch there cuts it short)
        high = (at.last_line(at.cols - 1) - at.line + 1) * grid.pitch
        vhead = vertical_head(ctx, story, high, most, at.cols, lead=lead)
        report_head(ctx, story, vhead, at.cols, page)
        strip = min(at.cols - 1, max(1, -int(-(vhead.width + grid.gutter) // (grid.column_width + grid.gutter))))
        head = HeadBlock(0, ())
    else:
        head = head_block(ctx, story, grid.span_width(head_cols), head_cols, lead=lead, continued_from=continued_from)
        # a head block over the module's width stands above its notch
        head = clip_head(ctx, head, at.lines - (at.notch.lines if at.notch else 0), story, page)
    part = Part(page, at, rect, head, [], notch=grid.rect(*cut) if cut else None)
    if story.box and not trial:
        part.items.extend(story_box(ctx, story, rect, part.notch))
    if not trial:
        part.items.extend(head.items(story.id, rect.x, rect.y, grid.span_width(head_cols)))
    body_top = [at.line + (head.lines if c < head_cols else 0) for c in range(at.cols)]
    last_line = at.line + at.lines - 1
    busy: list[set[int]] = [set() for _ in range(at.cols)]
    if vhead is not None:
        right = rect.x + rect.w
        part.items.extend(vhead.items(ctx, story.id, right - (grid.span_width(strip) - vhead.width) / 2, rect.y))
        for c in range(at.cols - strip, at.cols):
            busy[c].update(range(at.line, at.last_line(c) + 1))
        part.strip_cols = strip
    if continued_from is None:
        for n, photo in enumerate(story.photos):
            _place_photo(ctx, story, photo, n, part, body_top, busy, page, trial=trial)
    if continued_from is None and story.tables:  # at the module's foot, under the text (layout/table)
        from layout.table.story import story_tables

        top = max(max(body_top), *(max(b) + 1 for b in busy if b)) if any(busy) else max(body_top)
        t_items, part.tables, used = story_tables(ctx, story, at, page, top)
        part.items.extend(t_items)
        last_line -= used
    for c in range(at.cols):
        x = grid.col_x(at.col + c)
        row = body_top[c]
        foot = min(last_line, at.last_line(c))  # a column over the notch ends above it
        while row <= foot:
            if row in busy[c]:
                row += 1
                continue
            start = row
            while row <= foot and row not in busy[c]:
                row += 1
            part.slots.append(Slot(page, x, float(grid.column_chars), start, row - start, module_index))
    if jump_to and part.slots:
        last = part.slots[-1]
        part.slots[-1] = Slot(last.page, last.x, last.measure, last.first, last.count - 1, last.module)
        part.jump_line = last.first + last.count - 1
        part.jump_x = last.x
        if not trial:
            st = ctx.template.style("jump")
            line = ctx.setter.block(f"（下轉{jump_to}版）", st.font, st.size, 100.0 * st.size, justify=False).lines[0]
            x = last.x + grid.column_width - line.width * st.size
            part.items.extend(line_runs(line, x, grid.baseline(part.jump_line), st.size,
                                        source=Source(story=story.id, kind="jump")))
        if last.count - 1 <= 0:
            part.slots.pop()
    return part


BOX_TINT = CMYK(0, 0, 0, 10)  # surprinted text needs a tint of 30 % or less (print-spec)


def story_box(ctx: Context, story: Story, rect: Rect, notch: Rect | None = None) -> list[Item]:
    """A story set off in a box: the border runs down the middle of the gutters around the module
    and along its top and bottom lines, so the text inside keeps its place on the grid. Round an
    L-shaped module (a `notch`) the tint is its two rectangles and the border its outline, down
    the gutter beside the notch and along the notch's top."""
    half = ctx.grid.gutter / 2
    tint = BOX_TINT if story.box in ("tint", "both") else None
    border = BLACK if story.box in ("border", "both") else None
    src = Source(story=story.id, kind="box")
    if notch is None:
        return [Box(rect.x - half, rect.y, rect.w + 2 * half, rect.h, fill=tint, stroke=border, stroke_width=0.75,
                    source=src)]
    out: list[Item] = []
    x0, x1, y0, y1 = rect.x - half, rect.x1 + half, rect.y, rect.y1
    left = notch.x <= rect.x + 0.5
    inner = notch.x + notch.w + half if left else notch.x - half  # down the gutter beside the notch
    if tint is not None:
        out.append(Box(x0, y0, x1 - x0, notch.y - y0, fill=tint, source=src))
        a, b = (inner, x1) if left else (x0, inner)
        out.append(Box(a, notch.y, b - a, y1 - notch.y, fill=tint, source=src))
    if border is not None:
        corner = [(x0, y0), (x1, y0)]
        corner += [(x1, y1), (inner, y1), (inner, notch.y), (x0, notch.y)] if left else \
            [(x1, notch.y), (inner, notch.y), (inner, y1), (x0, y1)]
        corner.append((x0, y0))
        out += [Rule(a[0], a[1], b[0], b[1], 0.75, color=BLACK, source=src)
                for a, b in zip(corner, corner[1:], strict=False)]
    return out


def _place_photo(ctx, story: Story, photo: Photo, n: int, part: Part, body_top, busy, page: str, *,
                 trial: bool = False) -> None:
    grid = ctx.grid
    at = part.at
    cols = min(photo.cols, at.cols)
    if photo.cols > at.cols:
        ctx.diagnostics.error("PHOTO-TOO-WIDE", f"photo is {photo.cols} columns wide in a {at.cols}-column module",
                              location=photo.loc, story=story.id, page=page,
                              hint=f"use cols: {at.cols} or fewer")
    width = grid.span_width(cols)
    if photo.at:
        rel_col, rel_line = photo.at
        starts = [max(1, min(rel_col, at.cols - cols + 1))]
    else:  # the top right first; then, right to left, the other columns it may stand in
        rel_line = 1
        starts = list(range(max(1, at.cols - part.strip_cols - cols + 1), 0, -1))
    col0, top, bottom = _photo_spot(at, body_top, busy, starts[0] - 1, cols, rel_line)
    pushed = top > max(body_top[c] for c in range(col0, col0 + cols)) + rel_line - 1  # under another photo
    need = photo_reserve(ctx, photo, width)[0] if pushed and len(starts) > 1 else 0
    if bottom - top + 1 < need:  # the first spot that holds the whole photo, or else the one with most room
        spots = [_photo_spot(at, body_top, busy, c - 1, cols, rel_line) for c in starts]
        col0, top, bottom = next((s for s in spots if s[2] - s[1] + 1 >= need),
                                 max(spots, key=lambda s: s[2] - s[1]))
    photo, reserve, pieces = _fit_photo(ctx, photo, width, bottom - top + 1, f"from line {top}, where the module "
                                        f"ends at line {bottom}", story=story.id, page=page, air=0)
    if photo is None:
        return
    for c in range(col0, col0 + cols):
        busy[c].update(range(top, top + reserve))
    if trial:
        return  # the lines it takes are all a trial reads
    items, request = set_photo(ctx, photo, grid.col_x(at.col + col0), grid.line_top(top), width, pieces,
                               story=story.id, index=n, page=page)
    part.items.extend(items)
    part.photos.append(request)


def _photo_spot(at: At, body_top: list[int], busy: list[set[int]], col0: int, cols: int,
                rel_line: int) -> tuple[int, int, int]:
    """(first column, top line, bottom line) of the room a photo gets in columns col0…col0+cols-1:
    from `rel_line` of the body area, but under any photo already standing in those columns (two
    photos with no `at:` would otherwise both go to the top right, one drawn over the other)."""
    span = range(col0, col0 + cols)
    top = max(body_top[c] for c in span) + rel_line - 1
    taken = [line for c in span for line in busy[c] if line >= top]
    if taken:
        top = max(taken) + 1
    return col0, top, min(at.last_line(c) for c in span)  # above a notch under it


def set_photo(ctx, photo: Photo, x: float, y: float, width: float, pieces, *, story: str | None, index: int,
              page: str) -> tuple[list[Item], PhotoRequest]:
    """The picture frame and its caption lines at (x, y), and the request to prepare the picture."""
    h = photo.lines * ctx.grid.pitch
    dx, w = picture_box(ctx, photo, width)
    key = f"{photo.file}|{w:.2f}x{h:.2f}|{photo.focus[0]:.3f},{photo.focus[1]:.3f}"
    request = PhotoRequest(key, str(photo.file), w, h, photo.focus, story or "", page)
    items: list[Item] = [ImageItem(x + dx, y, w, h, key, Source(story=story, paragraph=index, kind="photo"))]
    for line, st, dx, dy, kind in pieces:
        items.extend(line_runs(line, x + dx, y + dy, st.size, colour=BLACK,
                               source=Source(story=story, paragraph=index, kind=kind)))
    return items, request


MIN_PICTURE_LINES = 3  # a picture cut to fewer grid lines than this is not worth printing


def _fit_photo(ctx, photo: Photo, width: float, room: int, where: str, *, story: str | None, page: str,
               air: int = 1):
    """The photo as deep as `room` grid lines allow (its picture cut shorter, never drawn past the
    module): (photo, reserve, pieces), or (None, 0, []) when not even a picture of
    MIN_PICTURE_LINES lines and its caption fit. `air` lines of the reserve may fall outside."""
    reserve, pieces = photo_reserve(ctx, photo, width)
    if reserve - air <= room:
        return photo, reserve, pieces
    fitted = photo
    while reserve - air > room and fitted.lines > MIN_PICTURE_LINES:
        fitted = replace(fitted, lines=fitted.lines - 1)
        reserve, pieces = photo_reserve(ctx, fitted, width)
    name = photo.file.name
    if reserve - air > room:
        ctx.diagnostics.error("PHOTO-DOES-NOT-FIT",
                              f"photo {name} with its caption needs at least {reserve - air} lines {where}: "
                              f"there are {max(room, 0)}, so the photo and its caption are not printed",
                              location=photo.loc, story=story, page=page,
                              hint="make the module deeper, or move the photo up or into a wider module")
        return None, 0, []
    ctx.diagnostics.error("PHOTO-DOES-NOT-FIT",
                          f"photo {name} is {photo.lines} lines deep but only {fitted.lines} fit {where} "
                          "with its caption: the picture is cropped to that depth",
                          location=photo.loc, story=story, page=page,
                          hint=f"use lines: {fitted.lines} or fewer, or make the module deeper")
    return fitted, reserve, pieces


def free_photo(ctx, photo: Photo, rect, page: str) -> tuple[list[Item], PhotoRequest | None]:
    """A photo placed on the page by itself (not in a story): picture on top, caption under it."""
    lines = round(rect.h / ctx.grid.pitch)
    photo, _, pieces = _fit_photo(ctx, photo, rect.w, lines, f"in its {lines}-line module", story=None, page=page)
    if photo is None:
        return [], None
    return set_photo(ctx, photo, rect.x, rect.y, rect.w, pieces, story=None, index=0, page=page)


def lint_story(ctx: Context, story: Story) -> None:
    """The composition lints that look at the text as typed (R22 quotes over paragraphs, R27
    full-width letters), placed at the paragraph's line in its text file."""
    body = [(n, p) for n, p in enumerate(story.paragraphs) if p.kind == "body"]
    found = lint_quotes([p.text for _, p in body], story=story.id)
    for n, p in body:
        found += lint_fullwidth_latin(p.text, story=story.id, paragraph=n)
    if body:  # a story of sub-heads only is STORY-NO-TEXT
        found += lint_subheads([p.kind for p in story.paragraphs], story=story.id)
    for d in found:
        if d.code == "TEXT-QUOTE-OPEN":  # lint_quotes counts body paragraphs only
            d = replace(d, paragraph=body[d.paragraph][0])
        ctx.diagnostics.add(replace(d, location=story.paragraphs[d.paragraph].loc))


def body_blocks(ctx: Context, story: Story, measure: float) -> list[Block]:
    t = ctx.template
    body = t.style("body")
    sub = t.style("subhead")
    blocks: list[Block] = []
    first_body = True
    # per page and per story composition (kinsoku level, punctuation style…) over the edition's
    style = apply_composition(ctx.setter.style, ctx.edition.composition_of(story.id))
    marked = next((p for p in story.paragraphs if any(s.kind != "face" for s in p.spans)), None)
    if marked is not None and (problem := mark_gap_problem(ctx.grid.pitch, body.size)):
        ctx.diagnostics.warning("TEXT-MARK-GAP", problem, location=marked.loc, story=story.id,
                                hint="raise the template's grid pitch to 1.5 × the body size, or drop the marks")
    lines = SourceLines()  # the story's source, read only if a character is missing
    for n, para in enumerate(story.paragraphs):
        if para.kind == "subhead":
            fit = display_text(ctx, para.text, "subhead", measure * body.size, story=story, location=para.loc)
            blocks.append(Block(n, "subhead", fit.set.lines, lead=1, size=fit.size, role=sub.font))
            continue
        text, runs, fixed, _ = styled_paragraph(ctx.setter, para, story.dateline if first_body else "",
                                                ctx.diagnostics, story.id)
        first_body = False
        composed = ctx.setter.paragraph(text, body.font, measure, style=style, runs=runs, fixed=fixed)
        for ch in dict.fromkeys(composed.missing):  # once per character and paragraph, at its column
            ctx.diagnostics.error(
                "FONT-MISSING-GLYPH", f"no font of role {body.font!r} has {ch!r} (U+{ord(ch):04X})",
                location=lines.locate(para.loc, ch, para.text, para.text.find(ch)), story=story.id, paragraph=n,
                hint="replace the character or add a face that has it to the role's fallback chain",
            )
        if composed.chopped:
            ctx.diagnostics.warning(
                "LATIN-WORD-BROKEN", f"{composed.chopped} Latin word(s) wider than the column broken between letters",
                location=para.loc, story=story.id, paragraph=n,
                hint="shorten it, or add spaces or hyphens where it may break")
        blocks.append(Block(n, "body", composed.lines, size=body.size, role=body.font))
    return blocks


def report_no_text(ctx: Context, layout: StoryLayout) -> None:
    """A placed story without body text (an empty text file, no `body:`, or only sub-heads) sets
    its headline over an empty module: a hole in the page. An error, since the page cannot go to
    press like that; a warning for a picture story (photos, no text), which is a form papers use
    but whose empty lines still need an editor's look."""
    story = layout.story
    if any(p.kind == "body" and p.text.strip() for p in story.paragraphs):
        return
    if not story.headline and not story.paragraphs and not story.photos:
        return  # a place to fill that `layout new` left: the loader reports it (STORY-EMPTY)
    first = layout.parts[0]
    empty = sum(s.count for part in layout.parts for s in part.slots)
    why = "only sub-heads" if story.paragraphs else "no body text (its text file is empty, or it has no `body:`)"
    report = ctx.diagnostics.warning if story.photos else ctx.diagnostics.error
    report("STORY-NO-TEXT",
           f"story {story.id!r} is placed on {first.page} but has {why}: its module prints the headline over "
           f"{empty} empty line{'s' if empty != 1 else ''}",
           location=story.loc, story=story.id, page=first.page,
           hint="fill the story's text file (or its `body:`), or take the story off the page")


def flow_story(ctx: Context, layout: StoryLayout) -> None:
    if layout.story.direction == "vertical":  # issue 16
        from layout.paginate.vertical import flow_vertical

        flow_vertical(ctx, layout)
        return
    report_no_text(ctx, layout)
    slots = [s for part in layout.parts for s in part.slots]
    measure = slots[0].measure if slots else float(ctx.grid.column_chars)
    blocks = body_blocks(ctx, layout.story, measure)
    lint_story(ctx, layout.story)
    result = flow(blocks, slots)
    if len(layout.parts) > 1 and not any(r.slot.module == 1 for r in result.runs):
        _drop_jump(ctx, layout)
        slots = list(layout.parts[0].slots)
        result = flow(blocks, slots)
    if result.overset_lines == 0 and len(layout.parts) == 1:
        result = balance(blocks, slots, result)
    layout.result = result


def _drop_jump(ctx: Context, layout: StoryLayout) -> None:
    """The story fits its first module: no jump line, and the continuation slot stays empty."""
    first, cont = layout.parts[0], layout.parts[1]
    ctx.diagnostics.warning(
        "JUMP-UNUSED", f"story {layout.story.id!r} fits on {first.page}: its continuation slot on {cont.page} stays empty",
        location=layout.story.loc, story=layout.story.id, page=cont.page,
        hint=f"remove `jump: {cont.page}` and the `continued:` slot, or give the slot to another story")
    first.items = [i for i in first.items if i.source.kind != "jump"]
    if first.jump_line is not None and first.slots:
        # the line goes back to its own column: when it was a one-line slot, that slot was dropped
        # and the last slot left is another column's (giving it that column's x set text twice there)
        last = first.slots[-1]
        x = last.x if first.jump_x is None else first.jump_x
        if last.x == x and last.first + last.count == first.jump_line:
            first.slots[-1] = Slot(last.page, last.x, last.measure, last.first, last.count + 1, last.module)
        else:
            first.slots.append(Slot(first.page, x, last.measure, first.jump_line, 1, last.module))
        first.jump_line = first.jump_x = None
    layout.parts = [first]


def balance(blocks: list[Block], slots: list[Slot], result: FlowResult) -> FlowResult:
    """R42: the columns of a story that fits with room to spare end on the same line (only the last
    may be shorter): the lowest bottom line at which everything still fits, found by bisection."""
    if result.underset_lines <= len({s.x for s in slots}) or not slots:
        return result
    capacity = sum(s.count for s in slots)

    def cut(bottom: int) -> list[Slot]:
        out = []
        for s in slots:
            count = min(s.count, bottom - s.first + 1)
            if count > 0:
                out.append(Slot(s.page, s.x, s.measure, s.first, count, s.module))
        return out

    lo = min(s.first for s in slots)
    hi = max(s.first + s.count - 1 for s in slots)
    best = result
    while lo <= hi:
        mid = (lo + hi) // 2
        trial_slots = cut(mid)
        trial = flow(blocks, trial_slots) if trial_slots else None
        if trial is not None and trial.overset_lines == 0:
            used = sum(s.count for s in trial_slots) - trial.underset_lines
            best = FlowResult(trial.runs, 0, 0, capacity - used, trial.lines_set, trial.chars_set)
            hi = mid - 1
        else:
            lo = mid + 1
    return best


def body_items(ctx: Context, layout: StoryLayout) -> dict[str, list[Item]]:
    """Glyph runs of the placed body lines, by page."""
    if layout.story.direction == "vertical":  # issue 16
        from layout.paginate.vertical import vertical_body_items

        return vertical_body_items(ctx, layout)
    out: dict[str, list[Item]] = {}
    grid = ctx.grid
    body = ctx.template.style("body")
    story = layout.story
    first_body = next((n for n, para in enumerate(story.paragraphs) if para.kind == "body"), None)
    for p in layout.result.placed:
        line = p.block.lines[p.index]
        size = p.block.size
        x = p.slot.x
        if p.block.kind == "subhead":
            x += (p.slot.measure * body.size - line.width * size) / 2
        src = Source(story=story.id, paragraph=p.block.paragraph, kind=p.block.kind)
        baseline = grid.baseline(p.row, size)
        out.setdefault(p.slot.page, []).extend(ctx.setter.body_runs(line, x, baseline, size, src))
        para = story.paragraphs[p.block.paragraph] if p.block.paragraph < len(story.paragraphs) else None
        if para is not None and para.spans and p.block.kind == "body":
            dateline = story.dateline if p.block.paragraph == first_body else ""
            spans = styled_paragraph(ctx.setter, para, dateline)[3]
            floor = grid.line_top(p.slot.first + p.slot.count)  # the foot of the slot's last line
            out[p.slot.page].extend(line_marks(line, spans, x, baseline, size, source=src, floor=floor))
    return out


def module_of(part: Part, story: str, kind: str = "story") -> Module:
    r = part.rect
    n = part.notch
    return Module(r.x, r.y, r.w, r.h, kind, story, None if n is None else (n.x, n.y, n.w, n.h))
