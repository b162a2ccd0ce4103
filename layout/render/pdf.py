"""The PDF writer: PageFrames in, PDF bytes out. It sees nothing but the frames (and the fonts,
prepared images and print profile they refer to).

Frame coordinates run from the trim's top-left corner downwards; PDF's from the bottom-left.

Overprint: black (100 % K) text and rules overprint, as newspaper black does on the press, so a
misregistered plate never shows a white halo round a letter. In DeviceCMYK that needs the
overprint mode OPM 1 as well as /op (/OP) true: with OPM 0 the zero C, M and Y of 0/0/0/100
still knock out the inks below. Every page sets OPM 1 once, at its top. Tint boxes knock out
(a grey panel over a colour photo must hide it, not mix with it); white never overprints (it
would vanish).

Text under the profile's multi_ink_text_pt in two or more inks prints in 100 % K
(layout/render/textcolour.py, which also lists those items for the build's report)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from layout.color import CMYK
from layout.fonts.catalog import FontCatalog
from layout.fonts.pdf import PdfFonts
from layout.fonts.pdf import canvas_kwargs as font_canvas_kwargs
from layout.frames import Box, GlyphRun, ImageItem, Mark, PageFrame, PdfItem, Rule
from layout.printprofile import PrintProfile
from layout.render.pdfx import apply_document, apply_page, canvas_kwargs, page_geometry
from layout.render.textcolour import print_colour
from layout.render.vertical import VerticalFonts


def overprints(colour: CMYK) -> bool:
    """Whether text and rules in this colour overprint: solid black (0/0/0/100) only. A grey
    (a K tint) knocks out, or it would mix with a colour below and print darker than asked."""
    return colour.is_k_only and colour.k >= 100


@dataclass
class _Pen:
    """The fill colour and the two overprint flags as the PDF has them, so each is written only
    when it changes and never left different from what the next item asks.

    A PDF ExtGState with /OP but no /op sets the fill overprint too (/op defaults to /OP), and
    reportlab writes one key per state and only when its own record of that key changes: left to
    itself, a black rule's /OP true would make the next tint box overprint the colour below it
    (and a grey rule's /OP false make black text knock out). So after every stroke-overprint
    change the fill overprint is written again explicitly."""

    canvas: Canvas
    fill: tuple[CMYK, bool] | None = None  # None: the colour is not known (after an image)
    fill_op: bool = False  # in effect in the PDF
    stroke_op: bool = False

    def fill_with(self, colour: CMYK, overprint: bool) -> None:
        if (colour, overprint) == self.fill:
            return
        if self.fill is None or colour != self.fill[0]:
            self.canvas.setFillColorCMYK(*colour.fractions())
        if overprint != self.fill_op:
            self._write_fill_op(overprint)
        self.fill = (colour, overprint)

    def stroke_with(self, colour: CMYK) -> None:
        self.canvas.setStrokeColorCMYK(*colour.fractions())
        overprint = overprints(colour)
        if overprint != self.stroke_op:
            self.canvas.setStrokeOverprint(overprint)
            self.stroke_op = overprint
            want = self.fill_op
            self.fill_op = overprint  # what the /OP-only state just did to the fill
            if want != overprint:
                self._write_fill_op(want)

    def _write_fill_op(self, overprint: bool) -> None:
        # reportlab skips a write its record calls unchanged, and its record may differ from the
        # PDF's state (above): set the other value first, so that this one is always written.
        self.canvas.setFillOverprint(not overprint)
        self.canvas.setFillOverprint(overprint)
        self.fill_op = overprint

    def saved(self) -> tuple:
        return self.fill, self.fill_op, self.stroke_op

    def restore(self, state: tuple) -> None:
        """After the canvas's restoreState: the PDF's Q (and reportlab's record) are back as saved."""
        self.fill, self.fill_op, self.stroke_op = state


def render(
    frames: Sequence[PageFrame], *, catalog: FontCatalog, images: Mapping[str, object], profile: PrintProfile,
    title: str, date=None,
) -> tuple[bytes, list[tuple[int, PdfItem, tuple[float, float]]]]:
    """PDF bytes for `frames` (one page each) and the PDF ads still to be placed as vector artwork:
    (page index, item, trim origin) — see `place_pdf_ads`."""
    # Binary streams: reportlab's ASCII85 wrapping of page content costs a quarter of the file size and
    # a fifth of the render time (its encoder is pure Python), and print files need no 7-bit safety.
    rl_config.useA85 = 0
    buf = io.BytesIO()
    fonts = PdfFonts(catalog)
    vfonts = VerticalFonts(fonts)  # vertical text: upright glyphs in Identity-V fonts, rotated Latin
    first = page_geometry(profile, frames[0].width, frames[0].height)
    canvas = Canvas(buf, pagesize=(first.media_w, first.media_h), **canvas_kwargs(profile),
                    **font_canvas_kwargs())
    apply_document(canvas, profile, title, date)
    pending: list[tuple[int, PdfItem, tuple[float, float]]] = []
    for index, frame in enumerate(frames):
        geo = page_geometry(profile, frame.width, frame.height)
        apply_page(canvas, profile, geo)
        canvas.saveState()
        # OPM 1 for all our drawing (inside this page's q ... Q, so delivered PDF ads placed after
        # it keep their own overprint settings).
        canvas.setOverprintMask(1)
        canvas.translate(geo.trim_x, geo.trim_y)
        h = frame.height
        pen = _Pen(canvas)  # inside this page's q ... Q: nothing set yet
        for item in frame.items:
            if isinstance(item, GlyphRun):
                colour = print_colour(item.color, item.size, profile)  # small multi-ink text: K
                pen.fill_with(colour, overprints(colour))
                face = catalog.face(item.face)
                if item.vertical or item.rotated:
                    vfonts.draw_run(canvas, face, item, h)
                    continue
                gids, xs, ys, texts, _, _, _ = item.glyphs.columns()  # read by column, no glyph objects made
                fonts.draw(canvas, face, item.size, [(gid, x, h - y, text) for gid, x, y, text
                                                     in zip(gids, xs, ys, texts, strict=True)])
            elif isinstance(item, Rule):
                pen.stroke_with(item.color)
                canvas.setLineWidth(item.width)
                canvas.line(item.x0, h - item.y0, item.x1, h - item.y1)
            elif isinstance(item, Box):
                if item.fill is not None:
                    pen.fill_with(item.fill, False)  # tint boxes knock out
                if item.stroke is not None:
                    pen.stroke_with(item.stroke)
                    canvas.setLineWidth(item.stroke_width)
                canvas.rect(item.x, h - item.y - item.h, item.w, item.h,
                            fill=int(item.fill is not None), stroke=int(item.stroke is not None))
            elif isinstance(item, ImageItem):
                from layout.images import draw_image

                saved = pen.saved()
                draw_image(canvas, images[item.image], item.x, h - item.y - item.h, item.w, item.h)  # in q ... Q
                pen.restore(saved)
            elif isinstance(item, PdfItem):
                pending.append((index, item, (geo.trim_x, geo.trim_y)))
            elif isinstance(item, Mark):
                _draw_mark(canvas, item, h, pen)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buf.getvalue(), pending


def _draw_mark(canvas: Canvas, mark: Mark, h: float, pen: _Pen) -> None:
    """An emphasis dot, proper-noun line or wavy book-title line (frames.Mark). Marks overprint as
    the text they belong to does (solid black only)."""
    y = h - mark.y
    if mark.y1 is not None and mark.kind != "dot":
        # beside vertical text (R55): the horizontal line turned to run down the page from its start
        saved = pen.saved()
        canvas.saveState()
        canvas.transform(0, -1, 1, 0, mark.x, y)
        _draw_mark(canvas, replace(mark, x=0.0, x1=mark.y1 - mark.y, y=h, y1=None), h, pen)
        canvas.restoreState()
        pen.restore(saved)
        return
    if mark.kind == "dot":
        pen.fill_with(mark.color, overprints(mark.color))
        canvas.circle(mark.x, y, mark.size / 2, stroke=0, fill=1)
        return
    pen.stroke_with(mark.color)
    canvas.setLineWidth(mark.size)
    if mark.kind == "line":
        canvas.line(mark.x, y, mark.x1, y)
        return
    # wavy: half-waves of about 3.5 line thicknesses each side of the centre line
    amp = mark.size * 1.2
    step = max(mark.size * 3.5, 0.5)
    count = max(1, round((mark.x1 - mark.x) / step))
    step = (mark.x1 - mark.x) / count
    path = canvas.beginPath()
    path.moveTo(mark.x, y)
    for k in range(count):
        x0 = mark.x + k * step
        dy = amp if k % 2 == 0 else -amp
        path.curveTo(x0 + step / 3, y + dy, x0 + 2 * step / 3, y + dy, x0 + step, y)
    canvas.drawPath(path, stroke=1, fill=0)


def place_pdf_ads(data: bytes, pending, frames: Sequence[PageFrame]) -> bytes:
    """Delivered PDF ads go onto their pages as vector artwork (a form XObject of the ad's first
    page), never rasterised. Only pages that carry one pay for this second pass."""
    if not pending:
        return data
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        trailer_id = pdf.trailer.get("/ID")
        for n, (index, item, (tx, ty)) in enumerate(pending):
            h = frames[index].height
            with pikepdf.open(item.path) as ad:
                page = pdf.pages[index]
                x0 = tx + item.x
                y0 = ty + h - item.y - item.h
                form = pdf.copy_foreign(ad.pages[item.page_index].as_form_xobject())
                # A name of our own (pikepdf's overlay picks a random one): the same edition, the same bytes.
                name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/Ad{n}"))
                placement = page.calc_form_xobject_placement(
                    form, name, pikepdf.Rectangle(x0, y0, x0 + item.w, y0 + item.h), allow_expand=True)
                page.contents_add(pdf.make_stream(b"q " + placement + b" Q"), prepend=False)
        if trailer_id is not None:
            pdf.trailer.ID = trailer_id
        out = io.BytesIO()
        pdf.save(out, static_id=True, compress_streams=True, deterministic_id=False)
        return out.getvalue()
