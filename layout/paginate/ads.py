"""Ads: box ads drawn from their text lines (the subscription box), and delivered image and PDF
ads placed at their module's size."""

from __future__ import annotations

from layout.color import BLACK
from layout.frames import Box, ImageItem, Item, PdfItem, Source
from layout.grid.grid import Rect
from layout.model.edition import Ad
from layout.paginate.context import Context
from layout.paginate.typeset import line_runs
from layout.units import mm

SIZE_TOLERANCE = mm(1.0)


def box_ad(ctx: Context, ad: Ad, rect: Rect, colour_page: bool) -> list[Item]:
    g = ctx.grid
    t = ctx.template
    colour = ad.colour if colour_page else BLACK
    inset = g.pitch * 0.5
    inner = Rect(rect.x + inset, rect.y + inset, rect.w - 2 * inset, rect.h - 2 * inset)
    src = Source(story=ad.id, kind="ad")
    items: list[Item] = [Box(inner.x, inner.y, inner.w, inner.h, stroke=BLACK, stroke_width=1.5, source=src)]
    pad = t.style("ad_line").size
    width = inner.w - 2 * pad
    groups = []
    title = t.style("ad_title")
    groups.append((ctx.setter.block(ad.title, title.font, title.size, width, justify=False).lines, title, colour))
    body = t.style("ad_line")
    for text in ad.lines:
        groups.append((ctx.setter.block(text, body.font, body.size, width, justify=False).lines, body, BLACK))
    if ad.slogan:
        groups.append((ctx.setter.block(ad.slogan, title.font, body.size * 1.2, width, justify=False).lines,
                       type(body)(title.font, body.size * 1.2), colour))
    heights = [len(lines) * st.size * 1.4 for lines, st, _ in groups]
    spare = max(0.0, inner.h - 2 * pad - sum(heights))
    gap = spare / (len(groups) + 1)
    y = inner.y + pad + gap
    for lines, st, c in groups:
        for line in lines:
            y += st.size * 1.2
            x = inner.x + (inner.w - line.width * st.size) / 2
            items += line_runs(line, x, y, st.size, colour=c, source=src)
            y += st.size * 0.2
        y += gap
    return items


def placed_ad(ctx: Context, ad: Ad, rect: Rect, page: str, size: tuple[float, float] | None) -> list[Item]:
    """An image or PDF ad at its module; `size` is the ad's own size in pt, checked against the module."""
    src = Source(story=ad.id, kind="ad")
    if size is not None and (abs(size[0] - rect.w) > SIZE_TOLERANCE or abs(size[1] - rect.h) > SIZE_TOLERANCE):
        ctx.diagnostics.error(
            "AD-SIZE-MISMATCH",
            f"ad {ad.id!r} is {size[0] / mm(1):.1f} × {size[1] / mm(1):.1f} mm but its module is "
            f"{rect.w / mm(1):.1f} × {rect.h / mm(1):.1f} mm",
            location=ad.loc, page=page,
            hint="ask the advertiser for the booked size, or book a module of the ad's size",
        )
    if ad.kind == "pdf":
        return [PdfItem(rect.x, rect.y, rect.w, rect.h, str(ad.file), 0, src)]
    return [ImageItem(rect.x, rect.y, rect.w, rect.h, f"ad:{ad.file}|{rect.w:.2f}x{rect.h:.2f}", src)]


def ad_size(ad: Ad) -> tuple[float, float] | None:
    """The delivered ad's own size in pt (PDF TrimBox or MediaBox; image pixels at its resolution)."""
    if ad.kind == "pdf" and ad.file:
        import pikepdf

        with pikepdf.open(ad.file) as pdf:
            page = pdf.pages[0]
            box = page.obj.get("/TrimBox", page.mediabox)
            x0, y0, x1, y1 = (float(v) for v in box)
            return (x1 - x0, y1 - y0)
    if ad.kind == "image" and ad.file:
        from PIL import Image

        with Image.open(ad.file) as im:
            dpi = im.info.get("dpi")
            if not dpi or not dpi[0]:
                return None  # no resolution recorded: only the aspect ratio can be checked when fitted
            return (im.width / float(dpi[0]) * 72.0, im.height / float(dpi[1]) * 72.0)
    return None
