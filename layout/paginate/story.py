"""A story on the page: its headline block, photos with captions, body text flowing through the
module's columns around the photos (圖文互斥), and on into its jump slot (轉版)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from layout.color import BLACK, CMYK
from layout.fonts.report import SourceLines
from layout.frames import Box, ImageItem, Item, Module, Source
from layout.grid.grid import Rect
from layout.model.edition import At, Photo, Story
from layout.paginate.context import Context
from layout.paginate.deck import HeadBlock, head_block, name_spaces
from layout.paginate.flow import Block, FlowResult, Slot, flow
from layout.paginate.typeset import line_runs
from layout.text.lint import lint_fullwidth_latin, lint_quotes

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
        lines += [(ln, cap, 0.0, "caption") for ln in ctx.setter.block(photo.caption, cap.font, cap.size, text_w).lines]
    if photo.credit:
        ln = ctx.setter.block(name_spaces(photo.credit), cred.font, cred.size, text_w, justify=False).lines[0]
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
    jump_to: str | None, module_index: int,
) -> Part:
    grid = ctx.grid
    rect = grid.rect(at.col, at.line, at.cols, at.lines)
    head_cols = at.cols
    if continued_from is None and story.headline_cols:
        head_cols = min(story.headline_cols, at.cols)
    head = head_block(ctx, story, grid.span_width(head_cols), head_cols, lead=lead, continued_from=continued_from)
    part = Part(page, at, rect, head, [])
    if story.box:
        part.items.append(story_box(ctx, story, rect))
    part.items.extend(head.items(story.id, rect.x, rect.y, grid.span_width(head_cols)))
    body_top = [at.line + (head.lines if c < head_cols else 0) for c in range(at.cols)]
    last_line = at.line + at.lines - 1
    busy: list[set[int]] = [set() for _ in range(at.cols)]
    if continued_from is None:
        for n, photo in enumerate(story.photos):
            _place_photo(ctx, story, photo, n, part, body_top, busy, page)
    for c in range(at.cols):
        x = grid.col_x(at.col + c)
        row = body_top[c]
        while row <= last_line:
            if row in busy[c]:
                row += 1
                continue
            start = row
            while row <= last_line and row not in busy[c]:
                row += 1
            part.slots.append(Slot(page, x, float(grid.column_chars), start, row - start, module_index))
    if jump_to and part.slots:
        last = part.slots[-1]
        part.slots[-1] = Slot(last.page, last.x, last.measure, last.first, last.count - 1, last.module)
        part.jump_line = last.first + last.count - 1
        st = ctx.template.style("jump")
        line = ctx.setter.block(f"（下轉{jump_to}版）", st.font, st.size, 100.0 * st.size, justify=False).lines[0]
        x = last.x + grid.column_width - line.width * st.size
        part.items.extend(line_runs(line, x, grid.baseline(part.jump_line), st.size,
                                    source=Source(story=story.id, kind="jump")))
        if last.count - 1 <= 0:
            part.slots.pop()
    return part


BOX_TINT = CMYK(0, 0, 0, 10)  # surprinted text needs a tint of 30 % or less (print-spec)


def story_box(ctx: Context, story: Story, rect: Rect) -> Box:
    """A story set off in a box: the border runs down the middle of the gutters around the module
    and along its top and bottom lines, so the text inside keeps its place on the grid."""
    half = ctx.grid.gutter / 2
    tint = BOX_TINT if story.box in ("tint", "both") else None
    border = BLACK if story.box in ("border", "both") else None
    return Box(rect.x - half, rect.y, rect.w + 2 * half, rect.h, fill=tint, stroke=border, stroke_width=0.75,
               source=Source(story=story.id, kind="box"))


def _place_photo(ctx, story: Story, photo: Photo, n: int, part: Part, body_top, busy, page: str) -> None:
    grid = ctx.grid
    at = part.at
    cols = min(photo.cols, at.cols)
    if photo.cols > at.cols:
        ctx.diagnostics.error("PHOTO-TOO-WIDE", f"photo is {photo.cols} columns wide in a {at.cols}-column module",
                              location=photo.loc, story=story.id, page=page,
                              hint=f"use cols: {at.cols} or fewer")
    if photo.at:
        rel_col, rel_line = photo.at
    else:
        rel_col, rel_line = at.cols - cols + 1, 1
    rel_col = max(1, min(rel_col, at.cols - cols + 1))
    col0 = rel_col - 1
    top = max(body_top[c] for c in range(col0, col0 + cols)) + rel_line - 1
    width = grid.span_width(cols)
    reserve, pieces = photo_reserve(ctx, photo, width)
    bottom = at.line + at.lines - 1
    if top + reserve - 1 > bottom:
        ctx.diagnostics.error("PHOTO-DOES-NOT-FIT",
                              f"photo needs {reserve} lines from line {top} but the module ends at line {bottom}",
                              location=photo.loc, story=story.id, page=page,
                              hint="make the photo fewer lines deep or the module deeper")
        top = max(at.line, bottom - reserve + 1)
    for c in range(col0, col0 + cols):
        busy[c].update(range(top, top + reserve))
    items, request = set_photo(ctx, photo, grid.col_x(at.col + col0), grid.line_top(top), width, pieces,
                               story=story.id, index=n, page=page)
    part.items.extend(items)
    part.photos.append(request)


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


def free_photo(ctx, photo: Photo, rect, page: str) -> tuple[list[Item], PhotoRequest]:
    """A photo placed on the page by itself (not in a story): picture on top, caption under it."""
    reserve, pieces = photo_reserve(ctx, photo, rect.w)
    if reserve - 1 > round(rect.h / ctx.grid.pitch):
        ctx.diagnostics.error("PHOTO-DOES-NOT-FIT",
                              f"photo with caption needs {reserve - 1} lines; its module has {round(rect.h / ctx.grid.pitch)}",
                              location=photo.loc, page=page, hint="make the module deeper or the photo shallower")
    return set_photo(ctx, photo, rect.x, rect.y, rect.w, pieces, story=None, index=0, page=page)


def lint_story(ctx: Context, story: Story) -> None:
    """The composition lints that look at the text as typed (R22 quotes over paragraphs, R27
    full-width letters), placed at the paragraph's line in its text file."""
    body = [(n, p) for n, p in enumerate(story.paragraphs) if p.kind == "body"]
    found = lint_quotes([p.text for _, p in body], story=story.id)
    for n, p in body:
        found += lint_fullwidth_latin(p.text, story=story.id, paragraph=n)
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
    lines = SourceLines()  # the story's source, read only if a character is missing
    for n, para in enumerate(story.paragraphs):
        if para.kind == "subhead":
            composed = ctx.setter.block(para.text, sub.font, sub.size, measure * body.size, justify=False)
            blocks.append(Block(n, "subhead", composed.lines, lead=1, size=sub.size, role=sub.font))
            continue
        text = para.text
        if first_body and story.dateline:
            text = f"{story.dateline}　{text}"
        first_body = False
        composed = ctx.setter.paragraph(text, body.font, measure)
        for ch in dict.fromkeys(composed.missing):  # once per character and paragraph, at its column
            ctx.diagnostics.error(
                "FONT-MISSING-GLYPH", f"no font of role {body.font!r} has {ch!r} (U+{ord(ch):04X})",
                location=lines.locate(para.loc, ch, para.text, para.text.find(ch)), story=story.id, paragraph=n,
                hint="replace the character or add a face that has it to the role's fallback chain",
            )
        blocks.append(Block(n, "body", composed.lines, size=body.size, role=body.font))
    return blocks


def flow_story(ctx: Context, layout: StoryLayout) -> None:
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
        last = first.slots[-1]
        if last.first + last.count == first.jump_line:
            first.slots[-1] = Slot(last.page, last.x, last.measure, last.first, last.count + 1, last.module)
        else:
            first.slots.append(Slot(first.page, last.x, last.measure, first.jump_line, 1, last.module))
        first.jump_line = None
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
    out: dict[str, list[Item]] = {}
    grid = ctx.grid
    body = ctx.template.style("body")
    for p in layout.result.placed:
        line = p.block.lines[p.index]
        size = p.block.size
        x = p.slot.x
        if p.block.kind == "subhead":
            x += (p.slot.measure * body.size - line.width * size) / 2
        src = Source(story=layout.story.id, paragraph=p.block.paragraph, kind=p.block.kind)
        out.setdefault(p.slot.page, []).extend(ctx.setter.body_runs(line, x, grid.baseline(p.row, size), size, src))
    return out


def module_of(part: Part, story: str, kind: str = "story") -> Module:
    r = part.rect
    return Module(r.x, r.y, r.w, r.h, kind, story)
