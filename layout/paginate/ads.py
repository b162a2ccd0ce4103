"""Ads: box ads drawn from their text lines (the subscription box), and delivered image and PDF
ads placed whole in their module (at their own size, centred)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from layout.color import BLACK, CMYK
from layout.frames import Box, ImageItem, Item, PdfItem, Source
from layout.grid.grid import Rect
from layout.model.edition import Ad
from layout.paginate.context import Context
from layout.paginate.deck import display_lines
from layout.paginate.typeset import line_runs
from layout.render.textcolour import needs_black
from layout.template import TextStyle
from layout.text.display import PHRASE_FLOOR
from layout.text.lines import ComposedLine
from layout.units import mm

SIZE_TOLERANCE = mm(1.0)
SIZE_STEP = 0.5  # pt: a box ad's type shrinks in half-point steps (of its lines' size) to fit
LINE_DEPTH = 1.4  # a box-ad line takes 1.4 × its size: baseline 1.2 below the line's top, 0.2 below
BASELINE = 1.2
_EPS = 1e-6
# A box ad that gives no `colour:` is in the house red (M100 Y100) where the press prints two inks
# (text of the profile's multi_ink_text_pt and more: the title, the slogan); text of it the box
# makes smaller is in one-ink magenta, the nearest red one plate can print, so the default never
# turns black with a warning. A colour the edition gives is kept as given (and warned when small).
ONE_INK_RED = CMYK(0, 100, 0, 0)


@dataclass(frozen=True)
class AdGroup:
    """One text of a box ad (its title, one of its lines, its slogan) composed at one size."""

    what: str  # "title", "line 2", "slogan": how the edition names the text, for diagnostics
    text: str
    lines: tuple[ComposedLine, ...]
    font: str
    size: float
    colour: CMYK

    @property
    def depth(self) -> float:
        return len(self.lines) * self.size * LINE_DEPTH


@dataclass(frozen=True)
class BoxFit:
    """A box ad's texts at the sizes chosen for its box; `fits` False when even the template's
    smallest sizes leave lines over (or a line wider than the box)."""

    groups: tuple[AdGroup, ...]
    width: float  # pt, the measure inside the border and its padding
    height: float  # pt, the depth inside the border and its padding
    scale: float  # the sizes as a fraction of the template's

    @property
    def depth(self) -> float:
        return sum(g.depth for g in self.groups)

    @property
    def fits(self) -> bool:
        return self.depth <= self.height + _EPS and all(
            ln.width * g.size <= self.width + _EPS for g in self.groups for ln in g.lines)


def _inner(ctx: Context, rect: Rect) -> Rect:
    inset = ctx.grid.pitch * 0.5
    return Rect(rect.x + inset, rect.y + inset, rect.w - 2 * inset, rect.h - 2 * inset)


def _default_colour(ad: Ad, colour: CMYK) -> bool:
    """Whether the ad's text is in the engine's default red (no `colour:`), not the edition's."""
    return not ad.colour_given and colour == ad.colour


def _texts(ctx: Context, ad: Ad, colour: CMYK) -> list[tuple[str, str, TextStyle, CMYK]]:
    """(name, text, style at full size, colour) of each text of the ad, top to bottom."""
    t = ctx.template
    title, body = t.style("ad_title"), t.style("ad_line")
    out = [("title", ad.title, title, colour)] if ad.title else []
    out += [(f"line {n}", text, body, BLACK) for n, text in enumerate(ad.lines, start=1) if text]
    if ad.slogan:
        # The slogan: in the title's face, a fifth larger than the lines (and shrinking with them);
        # in the default red at least the press's size for text in two inks, so that it prints red
        # (at 12 pt it printed black on every booked box ad). A colour the edition gives keeps the
        # slogan's own size, and the warning when that cannot print.
        size = body.size * 1.2
        if _default_colour(ad, colour) and colour.inks >= 2 and ctx.profile is not None:
            size = max(size, ctx.profile.multi_ink_text_pt)
        low = body.min_size * 1.2 if body.min_size is not None else None
        out.append(("slogan", ad.slogan, TextStyle(title.font, size, colour, low), colour))
    return out


def _scales(styles: list[TextStyle]) -> list[float]:
    """The sizes tried, as fractions of the template's: full size, then down in SIZE_STEP steps of
    the smallest style until a style would go under its `min_size` (none: no shrinking)."""
    if not styles:
        return [1.0]
    floor = max((st.min_size or st.size) / st.size for st in styles)
    smallest = min(st.size for st in styles)
    steps = int((1.0 - floor) * smallest / SIZE_STEP + _EPS)
    return [1.0 - k * SIZE_STEP / smallest for k in range(steps + 1)]


def fit_box_ad(ctx: Context, ad: Ad, rect: Rect, colour: CMYK = BLACK) -> BoxFit:
    """The largest size step at which every text of the box ad fits its module, wrapped at the
    box's measure; the smallest step (not fitting) when none does. Also for the automatic layout,
    which books a box ad's size."""
    inner = _inner(ctx, rect)
    pad = ctx.template.style("ad_line").size
    width, height = inner.w - 2 * pad, inner.h - 2 * pad
    texts = _texts(ctx, ad, colour)
    default = _default_colour(ad, colour)
    fit = None
    for scale in _scales([st for _, _, st, _ in texts]):
        groups = []
        for what, text, st, c in texts:
            size = st.size * scale
            # At least one em of measure: in a box too narrow for that the lines are left out, and said so.
            # broken like every display line: at phrase and word boundaries, the editor's spaces kept;
            # a text may go a little smaller than the others (not under its style's minimum) to keep a
            # phrase whole: 2027年度 / 《嘉陵都市報》 / 徵訂開始, not 2027 / 年度《嘉陵 / 都市報》
            least = max(st.min_size or size, size * PHRASE_FLOOR)
            if ctx.profile is not None and not needs_black(c, size, ctx.profile):
                # ... but not so small that its colour of several inks would print in black
                least = max(least, min(size, ctx.profile.multi_ink_text_pt)) if c.inks >= 2 else least
            fitted = display_lines(ctx, text, st.font, size, max(width, size), min_size=least)
            lines, size = fitted.set.lines, fitted.size
            if default and ctx.profile is not None and needs_black(c, size, ctx.profile):
                c = ONE_INK_RED  # the default red, too small for two inks: one ink (ONE_INK_RED)
            # Shrunk coloured type keeps its colour here: the PDF writer's one rule for small text in
            # several inks (layout/render/textcolour.py) sets it in K and reports it.
            groups.append(AdGroup(what, text, lines, st.font, size, c))
        fit = BoxFit(tuple(groups), width, height, scale)
        if fit.fits:
            return fit
    return fit


def box_ad(ctx: Context, ad: Ad, rect: Rect, colour_page: bool, page: str = "") -> list[Item]:
    """The box ad drawn inside its module: a border, and its texts centred, shrunk and wrapped to
    fit. What fits at none of the template's sizes is AD-OVERFLOW, never drawn past the border."""
    colour = ad.colour if colour_page else BLACK
    inner = _inner(ctx, rect)
    src = Source(story=ad.id, kind="ad")
    items: list[Item] = [Box(inner.x, inner.y, inner.w, inner.h, stroke=BLACK, stroke_width=1.5, source=src)]
    fit = fit_box_ad(ctx, ad, rect, colour)
    pad = ctx.template.style("ad_line").size
    # The room left over goes between the texts, evenly; none when they do not fit.
    gap = max(0.0, fit.height - fit.depth) / (len(fit.groups) + 1)
    y = inner.y + pad + gap
    bottom = inner.y + pad + fit.height
    lost: list[tuple[AdGroup, ComposedLine]] = []
    full = False
    for group in fit.groups:
        for line in group.lines:
            w = line.width * group.size
            if full or y + group.size * LINE_DEPTH > bottom + _EPS or w > fit.width + _EPS:
                full = full or y + group.size * LINE_DEPTH > bottom + _EPS
                lost.append((group, line))
                continue
            x = inner.x + (inner.w - w) / 2
            items += line_runs(line, x, y + group.size * BASELINE, group.size, colour=group.colour, source=src)
            y += group.size * LINE_DEPTH
        y += gap
    if lost:
        _overflow(ctx, ad, fit, lost, rect, page)
    return items


def _overflow(ctx: Context, ad: Ad, fit: BoxFit, lost, rect: Rect, page: str) -> None:
    g = ctx.grid
    chars = sum(not ch.isspace() for group, line in lost for ch in group.text[line.start:line.end])
    # The lines left out, joined per text of the ad (a title wrapped into two lines is one title).
    parts: list[tuple[AdGroup, str]] = []
    for group, line in lost:
        piece = group.text[line.start:line.end]
        if parts and parts[-1][0] is group:
            parts[-1] = (group, parts[-1][1] + piece)
        else:
            parts.append((group, piece))
    texts = "; ".join(f"{group.what} 「{piece.strip()}」" for group, piece in parts[:6])
    more = f" and {len(parts) - 6} more, to the {parts[-1][0].what}" if len(parts) > 6 else ""
    cols = round((rect.w + g.gutter) / (g.column_width + g.gutter))
    lines = round(rect.h / g.pitch)
    smallest = min(group.size for group in fit.groups)
    ctx.diagnostics.error(
        "AD-OVERFLOW",
        f"box ad {ad.id!r} does not fit its {cols}-column × {lines}-line module even at {smallest:g} pt: "
        f"{len(lost)} line{'s' if len(lost) != 1 else ''} ({chars} characters) not printed: {texts}{more}",
        location=ad.loc, page=page,
        hint="shorten or drop lines of the ad, or book it a larger module",
    )


def art_rect(rect: Rect, size: tuple[float, float]) -> tuple[Rect, float]:
    """Where a delivered ad of `size` (pt, or only its proportions) goes in its module, and the
    scale it is drawn at: whole (the advertiser's art is never cropped), its own proportions,
    scaled down only to fit, up by no more than SIZE_TOLERANCE in either direction (what the
    print shop accepts of a file "of the booked size"), centred with the rest of the module white."""
    w, h = size
    scale = min(rect.w / w, rect.h / h, (w + SIZE_TOLERANCE) / w, (h + SIZE_TOLERANCE) / h)
    pw, ph = w * scale, h * scale
    return Rect(rect.x + (rect.w - pw) / 2, rect.y + (rect.h - ph) / 2, pw, ph), scale


def pixel_size(ad: Ad) -> tuple[float, float] | None:
    """An image ad's size in pixels (upright): its proportions when no resolution is recorded."""
    if ad.kind != "image" or not ad.file:
        return None
    from PIL import Image

    with Image.open(ad.file) as im:
        w, h = im.size
        if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # turned a quarter by its EXIF orientation
            w, h = h, w
    return (float(w), float(h))


def placed_ad(ctx: Context, ad: Ad, rect: Rect, page: str, size: tuple[float, float] | None) -> list[Item]:
    """An image or PDF ad in its module; `size` is the ad's own size in pt (None: unknown, an image
    without a recorded resolution, fitted by its proportions). See `art_rect`."""
    src = Source(story=ad.id, kind="ad")
    at = rect
    if size is not None:
        at, scale = art_rect(rect, size)
        if abs(size[0] - rect.w) > SIZE_TOLERANCE or abs(size[1] - rect.h) > SIZE_TOLERANCE:
            if scale < 1.0 - _EPS:
                how = f"scaled down to {scale * 100:.0f} % ({at.w / mm(1):.1f} × {at.h / mm(1):.1f} mm) to fit whole"
            elif scale > 1.0 + _EPS:  # up to the module's edge, by less than the 1 mm tolerance
                how = f"placed at {scale * 100:.1f} % of its own size ({at.w / mm(1):.1f} × {at.h / mm(1):.1f} mm)"
            else:
                how = "placed at its own size"
            done = f"{how}, centred, the rest of the module left white"
            ctx.diagnostics.error(
                "AD-SIZE-MISMATCH",
                f"ad {ad.id!r} is {size[0] / mm(1):.1f} × {size[1] / mm(1):.1f} mm but its module is "
                f"{rect.w / mm(1):.1f} × {rect.h / mm(1):.1f} mm: {done} (never enlarged or cropped)",
                location=ad.loc, page=page,
                hint="ask the advertiser for the booked size, or book a module of the ad's size",
            )
    elif (pixels := pixel_size(ad)) is not None:
        # Size unknown: fill the module as far as the art's proportions allow, never cropped.
        scale = min(rect.w / pixels[0], rect.h / pixels[1])
        at, _ = art_rect(rect, (pixels[0] * scale, pixels[1] * scale))
        ctx.diagnostics.warning(
            "AD-SIZE-UNKNOWN",
            f"ad {ad.id!r}: its image records no resolution, so its print size is unknown: fitted by "
            f"its proportions ({pixels[0]:.0f} × {pixels[1]:.0f} pixels) into its module, "
            f"{at.w / mm(1):.1f} × {at.h / mm(1):.1f} mm",
            location=ad.loc, page=page,
            hint="book a size (size: {cols: …, lines: …}) or ask for the file with its resolution (dpi) recorded",
        )
    if ad.kind == "pdf":
        return [PdfItem(at.x, at.y, at.w, at.h, str(ad.file), 0, src)]
    return [ImageItem(at.x, at.y, at.w, at.h, f"ad:{ad.file}|{at.w:.2f}x{at.h:.2f}", src)]


def art_module(grid, size: tuple[float, float], max_lines: int) -> tuple[int, int, bool]:
    """The module (cols, lines) a delivered ad of `size` pt takes when it is given none, and
    whether the art is that module's size (within SIZE_TOLERANCE). Art of no module's size takes
    the smallest module that holds it whole, as deep as `max_lines` at most and as wide as the
    page: it is placed there at its own size, or scaled down to fit, and reported
    (AD-SIZE-MISMATCH, placed_ad), never left off the page for being the wrong size."""
    w, h = size
    for cols in range(1, grid.columns + 1):
        if abs(grid.span_width(cols) - w) <= SIZE_TOLERANCE:
            lines = round(h / grid.pitch)
            if 1 <= lines <= max_lines and abs(lines * grid.pitch - h) <= SIZE_TOLERANCE:
                return cols, lines, True
    cols = next((c for c in range(1, grid.columns + 1) if grid.span_width(c) + SIZE_TOLERANCE >= w), grid.columns)
    h *= min(1.0, grid.span_width(cols) / w)  # wider than the page: as deep as it is drawn, scaled down
    lines = min(max(1, math.ceil((h - SIZE_TOLERANCE) / grid.pitch)), max_lines)
    return cols, lines, False


def ad_size(ad: Ad) -> tuple[float, float] | None:
    """The delivered ad's own size in pt (PDF TrimBox or MediaBox; image pixels at its resolution)."""
    if ad.kind == "pdf" and ad.file:
        import pikepdf

        with pikepdf.open(ad.file) as pdf:
            page = pdf.pages[0]
            box = page.obj.get("/TrimBox", page.mediabox)
            x0, y0, x1, y1 = (float(v) for v in box)
            w, h = abs(x1 - x0), abs(y1 - y0)
            # A page turned a quarter (/Rotate 90 or 270) is placed turned (layout/render/pdf.py's
            # form XObject keeps the rotation): its size on the page is the box's, swapped.
            if int(page.obj.get("/Rotate", 0)) % 180 == 90:
                w, h = h, w
            return (w, h)
    if ad.kind == "image" and ad.file:
        from PIL import Image

        with Image.open(ad.file) as im:
            dpi = im.info.get("dpi")
            if not dpi or not dpi[0]:
                return None  # no resolution recorded: only the aspect ratio can be checked when fitted
            return (im.width / float(dpi[0]) * 72.0, im.height / float(dpi[1]) * 72.0)
    return None
