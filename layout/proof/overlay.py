"""Editors' marks drawn on proof images only; the print PDFs are never touched."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from layout.proof.badges import Rect, Shape, badge_lines, choose_shape, free_spot, label_corners, label_spot
from layout.proof.geometry import PageGeometry
from layout.proof.report import PageInfo, StoryInfo

# A CJK face so that section names and Chinese labels are legible; SC is index 2 of the collection.
_CJK_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)

KIND_COLOURS: dict[str, tuple[int, int, int]] = {
    "story": (0, 110, 220),
    "continued": (0, 150, 200),
    "ad": (0, 150, 60),
    "teasers": (220, 130, 0),
    "masthead": (130, 60, 180),
    "photo": (0, 150, 150),
}
OVERSET_RED = (225, 0, 0)
GRID_CYAN = (0, 190, 230, 90)


@lru_cache(maxsize=16)
def label_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Cached per process (fonts are immutable), so repeated pages do not reopen the file."""
    for path in _CJK_FONTS:
        if path.exists():
            try:
                return ImageFont.truetype(str(path), size, index=2)
            except OSError:
                continue
    return ImageFont.load_default(size)


def label_font_source() -> str:
    """Which face the labels are drawn in (the file and its size): part of a proof image's cache
    key, as another face draws other pixels."""
    for path in _CJK_FONTS:
        try:
            return f"{path} {path.stat().st_size}"
        except OSError:
            continue
    return "Pillow default"


@dataclass(frozen=True)
class OverlayOptions:
    outlines: bool = True  # module outlines with kind and id
    overset: bool = True  # red marks on modules of overset stories
    missing: bool = True  # a red box in the cell of each character no face has (not printed)
    grid: bool = False  # the baseline grid
    # Text under "PROOF" burnt into the image; None: no stamp. Build proofs leave it out: their stamp
    # is drawn over the image in proof.html, so that the image depends on the page alone and is cached.
    stamp: str | None = None


def _label(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, colour: tuple[int, int, int],
           size: int, *, anchor_bottom: bool = False,
           taken: list[tuple[float, float, float, float]] | None = None,
           corners: tuple[Rect, Rect, float, Image.Image] | None = None) -> None:
    """A label with its top-left (bottom-left with `anchor_bottom`) at `xy`, kept inside the image
    (a name wider than a module at the page's right edge ran off it). With `taken`, put at the
    free spot nearest `xy` clear of the boxes in it (names of narrow modules side by side ran over
    each other), and its own box added to them. With `corners` (the module's box, the page's, the
    outline's width and the page's ink mask), at the first corner of the module over no text
    (layout.proof.badges.label_spot), before falling back to `xy`."""
    font = label_font(size)
    x, y = xy
    box = draw.textbbox((0, 0), text, font=font)
    w, h = box[2] - box[0], box[3] - box[1]
    pad = max(2, size // 5)
    if anchor_bottom:
        y -= h + 2 * pad
    width, height = draw.im.size
    bw, bh = w + 2 * pad, h + 2 * pad
    spot = None
    if corners is not None:
        module, page, inset, mask = corners
        spot = label_spot(label_corners(module, bw, bh, inset), bw, bh, page, taken or (),
                          lambda r: _ink(mask, r))
    if spot is not None:
        x, y = spot
        if taken is not None:
            taken.append((x, y, x + bw, y + bh))
    elif taken is not None:
        x, y = free_spot((x, y), bw, bh, (0.0, 0.0, float(width), float(height)), taken)
        taken.append((x, y, x + bw, y + bh))
    else:
        x, y = max(0.0, min(x, width - bw)), max(0.0, min(y, height - bh))
    draw.rectangle((x, y, x + bw, y + bh), fill=colour + (220,))
    draw.text((x + pad - box[0], y + pad - box[1]), text, font=font, fill=(255, 255, 255, 255))


INK_LEVEL = 200  # grey below which a pixel of the page is text or a rule (table tints are lighter)


def ink_mask(img: Image.Image) -> Image.Image:
    """The page's inked pixels (255) before any mark is drawn: where a label would hide something."""
    return img.convert("L").point([255 if v < INK_LEVEL else 0 for v in range(256)])


def _ink(mask: Image.Image, box: Rect) -> int:
    x0, y0, x1, y1 = (round(v) for v in box)
    return mask.crop((x0, y0, x1, y1)).histogram()[255] if x1 > x0 and y1 > y0 else 0


def _badge_size(draw: ImageDraw.ImageDraw, lines: tuple[str, ...], size: int) -> tuple[float, float]:
    """The box of a badge's lines at `size` (pixels): _label's padding round them, the lines a
    line of the face apart."""
    font = label_font(size)
    pad = max(2, size // 5)
    boxes = [draw.textbbox((0, 0), t, font=font) for t in lines]
    step = _line_step(font)
    w = max(b[2] - b[0] for b in boxes)
    h = boxes[0][3] - boxes[0][1] + step * (len(lines) - 1)
    return w + 2 * pad, h + 2 * pad


def _line_step(font) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent


def _draw_badge(draw: ImageDraw.ImageDraw, xy: tuple[float, float], shape: Shape) -> None:
    font = label_font(shape.size)
    pad = max(2, shape.size // 5)
    x, y = xy
    draw.rectangle((x, y, x + shape.w, y + shape.h), fill=OVERSET_RED + (220,))
    step = _line_step(font)
    top = draw.textbbox((0, 0), shape.lines[0], font=font)[1]
    for k, text in enumerate(shape.lines):
        draw.text((x + pad - draw.textbbox((0, 0), text, font=font)[0], y + pad - top + k * step), text, font=font,
                  fill=(255, 255, 255, 255))


def draw_overlays(img: Image.Image, page: PageInfo, geom: PageGeometry, stories: dict[str, StoryInfo],
                  opts: OverlayOptions) -> None:
    """Draw in place. ImageDraw in RGBA mode blends the translucent fills onto the RGB page."""
    # the page as printed, before the grid and outlines are drawn on it
    mask = ink_mask(img) if opts.outlines and page.modules else None
    draw = ImageDraw.Draw(img, "RGBA")
    s = geom.scale
    size = max(10, round(9 * s))
    if opts.grid and page.grid is not None and page.grid.pitch > 0:
        _draw_grid(draw, page, geom)
    names: list[tuple[float, float, float, float]] = []
    page_px = geom.trim_rect_px(0.0, 0.0, page.width, page.height) if page.width > 0 and page.height > 0 \
        else (0.0, 0.0, float(img.size[0]), float(img.size[1]))
    page_px = (max(0.0, page_px[0]), max(0.0, page_px[1]), min(float(img.size[0]), page_px[2]),
               min(float(img.size[1]), page_px[3]))
    if opts.outlines:
        width = max(1, round(s))
        for m in page.modules:
            colour = KIND_COLOURS.get(m.kind, (90, 90, 90))
            x0, y0, x1, y1 = geom.trim_rect_px(m.x, m.y, m.w, m.h)
            if m.notch is None:
                draw.rectangle((x0, y0, x1, y1), outline=colour + (200,), width=width)
            else:  # an L-shaped module (issue 13): its outline round the notch
                corners = [geom.trim_to_px(x, y) for x, y in m.outline()]
                draw.line(corners + corners[:1], fill=colour + (200,), width=width)
            _label(draw, (x0 + width, y0 + width), f"{m.kind} {m.ref or ''}".strip(), colour, size, taken=names,
                   corners=((x0, y0, x1, y1), page_px, width + 1, mask) if mask is not None else None)
    # Overset marks go on top of everything else: they are what the desk must act on. Their badges
    # are kept readable and apart (layout.proof.badges): inside the page, off each other and off
    # the modules' names.
    taken = list(names)
    line = max(3, round(3 * s))
    for m in page.modules if opts.overset else ():
        story = stories.get(m.ref or "")
        if story is None or not story.over_on(page.id) or m.kind not in ("story", "continued"):
            continue
        x0, y0, x1, y1 = geom.trim_rect_px(m.x, m.y, m.w, m.h)
        if m.notch is None:
            draw.rectangle((x0, y0, x1, y1), fill=OVERSET_RED + (40,), outline=OVERSET_RED + (255,), width=line)
        else:
            corners = [geom.trim_to_px(x, y) for x, y in m.outline()]
            draw.polygon(corners, fill=OVERSET_RED + (40,))
            draw.line(corners + corners[:1], fill=OVERSET_RED + (255,), width=line)
            # the badge over the deep columns' foot, as wide as they are
            if m.notch[0] > m.x + 0.5:
                x1 = geom.trim_to_px(m.notch[0], 0)[0]
            else:
                x0 = geom.trim_to_px(m.notch[0] + m.notch[2], 0)[0]
        shape = choose_shape(badge_lines(story.overset_chars, story.overset_lines), (round(size * 1.3), size),
                             x1 - x0 - 2 * line, y1 - y0 - 2 * line, lambda t, z: _badge_size(draw, t, z))
        at = free_spot((x0 + line, y1 - line - shape.h), shape.w, shape.h, page_px, taken)
        _draw_badge(draw, at, shape)
        taken.append((at[0], at[1], at[0] + shape.w, at[1] + shape.h))
    if opts.missing:
        _draw_missing(draw, page, geom)
    if opts.stamp is not None:
        _draw_stamp(draw, img.size, opts.stamp, s)


def _draw_missing(draw: ImageDraw.ImageDraw, page: PageInfo, geom: PageGeometry) -> None:
    """A red box where each missing character should be, and its code point above it: the print
    page has a blank there, which a reader of the proof would not see."""
    s = geom.scale
    width = max(2, round(1.5 * s))
    size = max(9, round(6 * s))
    for m in page.missing:
        x0, y0, x1, y1 = geom.trim_rect_px(m.x, m.y, m.w, m.h)
        # never thinner than the outline itself: a narrow Latin cell still shows as a box
        x1, y1 = max(x1, x0 + 2 * width + 2), max(y1, y0 + 2 * width + 2)
        draw.rectangle((x0, y0, x1, y1), fill=OVERSET_RED + (60,), outline=OVERSET_RED + (255,), width=width)
        _label(draw, (x0, y0 - 1), m.code or "?", OVERSET_RED, size, anchor_bottom=True)


def _draw_grid(draw: ImageDraw.ImageDraw, page: PageInfo, geom: PageGeometry) -> None:
    grid = page.grid
    assert grid is not None
    columns = grid.columns or ((0.0, page.width - 2 * grid.x),)
    offset = grid.baseline_offset if grid.baseline_offset is not None else default_baseline_offset(grid.pitch)
    # Columns may be given relative to the grid origin or absolute from the trim's left edge.
    relative = columns[0][0] < grid.x - 0.5
    for c0, c1 in columns:
        x0 = c0 + grid.x if relative else c0
        x1 = c1 + grid.x if relative else c1
        for n in range(grid.lines):
            y = grid.y + n * grid.pitch + offset
            (px0, py), (px1, _) = geom.trim_to_px(x0, y), geom.trim_to_px(x1, y)
            draw.line((px0, py, px1, py), fill=GRID_CYAN, width=1)


def default_baseline_offset(pitch: float) -> float:
    """Where the grid module puts a body baseline when the report does not say: body type of
    2/3 of the pitch (9 pt on 13.5), its ideographic em box (0.88 em above the baseline) centred
    in the line."""
    size = pitch / 1.5
    return (pitch - size) / 2 + 0.88 * size


def _draw_stamp(draw: ImageDraw.ImageDraw, size: tuple[int, int], text: str, s: float) -> None:
    big, small = label_font(max(14, round(28 * s))), label_font(max(9, round(9 * s)))
    pad = round(6 * s)
    lines = [("PROOF", big), (text, small)] if text else [("PROOF", big)]
    boxes = [draw.textbbox((0, 0), t, font=f) for t, f in lines]
    w = max(b[2] - b[0] for b in boxes) + 2 * pad
    h = sum(b[3] - b[1] for b in boxes) + (len(lines) + 1) * pad
    x, y = size[0] - w - pad, pad
    draw.rectangle((x, y, x + w, y + h), fill=(255, 255, 255, 170), outline=OVERSET_RED + (200,),
                   width=max(2, round(s)))
    cy = y + pad
    for (t, f), b in zip(lines, boxes, strict=True):
        draw.text((x + pad - b[0], cy - b[1]), t, font=f, fill=OVERSET_RED + (220,))
        cy += b[3] - b[1] + pad
