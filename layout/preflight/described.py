"""Preflight of our own pages from the page description (layout/frames.py PageFrame), without
reading or rendering the PDF: the same findings as `preflight_pdf` on the page PDF (codes,
severities, messages, thresholds of the print profile) in milliseconds instead of a Ghostscript
render of a fifth of a second or more.

Everything the PDF writer (layout/render/pdf.py) draws is known here before it is written: every
glyph run with its face, size and the colour it prints in (`print_colour`), every rule, tint,
box, mark and prepared photo, the page boxes (`page_geometry`) and the document keys. The
checks are the ones the PDF preflight runs (layout/preflight/content.py, structure.py, ink.py),
fed from the description in the writer's painting order and with the overprint state each item
asks for (`_Overprint`; the writer keeps the PDF's state to it), so both report the same things
in the same words.

The ink checks (total area coverage, colour on a mono page) need plates: the description is
painted into four 8-bit plates at the profile's `preflight_dpi`, the way Ghostscript's tiffsep
device paints the PDF (any pixel a shape touches; knockout, or overprint mode 1 for solid black;
photos sampled at the pixel centres from their embedded JPEG), and the same `ink_findings` and
`mono_findings` read them. Text is painted as its glyphs' em boxes, a little more than the
outlines cover: exact on a flat tint, at most the darkest point of a photo under the em box.

What is not ours is checked with the existing code: a PDF ad placed on the page (frames.PdfItem)
is walked by the content-stream and resource checks where it sits (its sizes as placed, its
fonts, colour spaces and transparency), and its plates come from a Ghostscript render of the ad
file (once per file digest, placed scale and Ghostscript, kept in the build cache), pasted into
the page's plates over its placed box.

What holds by construction and is not re-derived: the writer embeds every face it draws as a
subset (layout/fonts/pdf.py), writes only DeviceCMYK colour and DeviceCMYK or DeviceGray photos,
no transparency, annotations or JavaScript, and draws the printer's marks outside the bleed."""

from __future__ import annotations

import hashlib
import io
import math
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from reportlab.lib.rl_accel import fp_str

from layout.color import CMYK
from layout.frames import Box, GlyphRun, ImageItem, Mark, PageFrame, PdfItem, Rule, item_bounds
from layout.grid.grid import IDEO_ASCENT
from layout.preflight.content import (
    IDENTITY,
    Colour,
    _Page,
    _record_fill,
    _record_image,
    _State,
    bbox_of,
    check_text,
    is_serif,
    mul,
)
from layout.preflight.content import _check_stroke as check_stroke
from layout.preflight.content import _do as draw_form
from layout.preflight.content import _image_ppi as image_ppi
from layout.preflight.findings import Finding, error, warning
from layout.preflight.ink import GhostscriptMissing, PagePlates, ink_findings, mono_findings, render_page
from layout.preflight.structure import DocumentFacts, box_findings, document_findings
from layout.printprofile import PrintProfile
from layout.render.pdf import overprints
from layout.render.pdfx import PageGeometry, _pdfx_version_keys, page_geometry
from layout.render.textcolour import print_colour

PROCESS = ("Cyan", "Magenta", "Yellow", "Black")  # tiffsep's plate names
EDGE = 0.02  # px: a shape that only grazes a pixel's edge (float noise) does not paint it
CELL = 8  # px: the blocks _Plates keeps track of as inked
AD_ROWS = 64  # px: rows of a placed PDF ad's box sampled at a time


# --- the writer's overprint state ----------------------------------------------------------------


@dataclass
class _Overprint:
    """The overprint flags in effect in the PDF. The writer (render/pdf.py `_Pen`) keeps them
    what each item asks for: a black rule's /OP does not leak into the next fill. Should it ever
    leak again, the Ghostscript oracle tests (tests/print/test_preflight_oracle.py,
    tests/preflight/test_described.py) see ink this model does not."""

    stroke: bool = False
    fill: bool = False

    def set_stroke(self, v: bool) -> None:
        self.stroke = v

    def set_fill(self, v: bool) -> None:
        self.fill = v


# --- the plates ------------------------------------------------------------------------------------


def _level(fraction: float) -> int:
    return int(min(max(fraction, 0.0), 1.0) * 255 + 0.5)


@dataclass
class _Plates:
    """8-bit ink plates over the MediaBox at `dpi`, row 0 at the top, as tiffsep writes them: the
    raster is the MediaBox rounded to whole pixels, with the page's origin at its bottom-left
    corner (so a MediaBox of 1547.72 pt has 1548 rows at 72 dpi, the top one 0.28 pt above
    the page: rows are counted from the bottom, or photos are sampled a row off)."""

    width: float  # MediaBox, pt
    height: float
    dpi: float
    planes: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.s = self.dpi / 72.0
        self.shape = (max(1, int(self.height * self.s + 0.5)), max(1, int(self.width * self.s + 0.5)))
        self.top = self.shape[0] / self.s  # pt above the origin of the raster's top edge
        # Which CELL × CELL pixel blocks something has inked (any ink; C, M, Y or spot ink), so
        # that asking what lies under a line of text is one look at a small array, not four
        # plates. Marks are never taken back (a knockout over ink leaves them): at worst a line
        # is painted glyph by glyph where its whole box would have done.
        cells = (-(-self.shape[0] // CELL), -(-self.shape[1] // CELL))
        self.inked = np.zeros(cells, bool)
        self.levels: dict[CMYK, tuple[int, ...]] = {}  # 8-bit plate levels by colour
        self.coloured = np.zeros(cells, bool)
        for name in PROCESS:
            self.planes[name] = np.zeros(self.shape, np.uint8)

    def window(self, x0: float, y0: float, x1: float, y1: float) -> tuple[slice, slice] | None:
        """The pixels a rectangle (PDF pt, y up) touches; None when none."""
        s, (rows, cols) = self.s, self.shape
        c0, c1 = max(0, math.floor(x0 * s + EDGE)), min(cols, math.ceil(x1 * s - EDGE))
        r0, r1 = max(0, math.floor((self.top - y1) * s + EDGE)), min(rows, math.ceil((self.top - y0) * s - EDGE))
        if c1 <= c0:  # thinner than a pixel: the pixel it lies in (a hairline prints)
            c = math.floor((x0 + x1) / 2 * s)
            c0, c1 = c, c + 1
        if r1 <= r0:
            r = math.floor((self.top - (y0 + y1) / 2) * s)
            r0, r1 = r, r + 1
        if c0 < 0 or r0 < 0 or c1 > cols or r1 > rows:
            return None
        return slice(r0, r1), slice(c0, c1)

    def paint(self, rect, colour: CMYK, overprint: bool) -> None:
        """A DeviceCMYK area: knockout sets every plate; overprint (with OPM 1, as on our pages)
        sets only the plates of its non-zero inks."""
        win = self.window(*rect)
        if win is None:
            return
        levels = self.levels.get(colour)
        if levels is None:
            levels = self.levels[colour] = tuple(_level(v) for v in colour.fractions())
        for name, v in zip(PROCESS, levels, strict=True):
            if v > 0 or not overprint:
                self.planes[name][win] = v
        if not overprint and len(self.planes) > len(PROCESS):
            for name, plane in self.planes.items():
                if name not in PROCESS:
                    plane[win] = 0
        if colour.total > 0:
            self._mark(win, colour.k < colour.total)

    def _mark(self, win: tuple[slice, slice], colour: bool = True) -> None:
        rows, cols = win
        cells = slice(rows.start // CELL, (rows.stop - 1) // CELL + 1), slice(cols.start // CELL, (cols.stop - 1) // CELL + 1)
        self.inked[cells] = True
        if colour:
            self.coloured[cells] = True

    def has_ink(self, rect, black: bool = True) -> bool:
        """Whether ink may lie under the rectangle already (`black` False: any but black), by the
        blocks inked so far."""
        win = self.window(*rect)
        if win is None:
            return False
        rows, cols = win
        cells = slice(rows.start // CELL, (rows.stop - 1) // CELL + 1), slice(cols.start // CELL, (cols.stop - 1) // CELL + 1)
        return bool((self.inked if black else self.coloured)[cells].any())

    def centres(self, rect) -> tuple[tuple[slice, slice], np.ndarray, np.ndarray] | None:
        """The pixels whose centres lie in `rect` (PDF pt): their window and the page points of
        those centres (x across, y down the rows); None when there are none."""
        win = self.window(*rect)
        if win is None:
            return None
        rows, cols = win
        xs = (np.arange(cols.start, cols.stop) + 0.5) / self.s
        ys = self.top - (np.arange(rows.start, rows.stop) + 0.5) / self.s
        inside_x = (xs >= rect[0]) & (xs <= rect[2])
        inside_y = (ys >= rect[1]) & (ys <= rect[3])
        if not inside_x.any() or not inside_y.any():
            return None
        xs, ys = xs[inside_x], ys[inside_y]
        c0 = cols.start + int(np.argmax(inside_x))
        r0 = rows.start + int(np.argmax(inside_y))
        return (slice(r0, r0 + ys.size), slice(c0, c0 + xs.size)), xs, ys

    def put(self, win: tuple[slice, slice], values: dict[str, np.ndarray]) -> None:
        """Replace what is below the window with `values` (plate name -> levels of its pixels)."""
        for plane in self.planes.values():
            plane[win] = 0
        for name, arr in values.items():
            plane = self.planes.setdefault(name, np.zeros(self.shape, np.uint8))
            plane[win] = arr
        self._mark(win)

    def place(self, rect, sample: Callable[[np.ndarray, np.ndarray], dict[str, np.ndarray] | None]) -> None:
        """Paint the pixels whose centres lie in `rect` (PDF pt) from `sample(x, y)`: the plate
        values at those page points (arrays), replacing what is below."""
        found = self.centres(rect)
        if found is None:
            return
        win, xs, ys = found
        values = sample(xs, ys)
        if values is not None:
            self.put(win, values)

    def as_page(self) -> PagePlates:
        return PagePlates(self.planes, self.dpi)


def image_levels(prepared) -> np.ndarray:
    """The embedded JPEG's samples as ink levels, plates first ((4 or 1), h, w): decoded from the
    bytes the PDF holds (what Ghostscript sees), never from the image kept in memory, which a
    build with a warm image cache does not have in the same state."""
    from PIL import Image

    with Image.open(io.BytesIO(prepared.data)) as im:
        arr = np.asarray(im)
    if arr.ndim == 2:  # DeviceGray: K = 1 - grey
        return (255 - arr)[None, :, :]
    return np.moveaxis(arr, 2, 0)


def _sample_indices(iw: int, ih: int, x: float, y: float, w: float, h: float, xs: np.ndarray, ys: np.ndarray):
    """The image rows and columns under the page points `ys` and `xs` for an image of iw × ih
    samples drawn into (x, y, w, h) (PDF pt, lower-left corner): Ghostscript samples, it does not
    average, at this resolution."""
    ci = np.clip(((xs - x) / w * iw).astype(np.int64), 0, iw - 1)
    ri = np.clip(((y + h - ys) / h * ih).astype(np.int64), 0, ih - 1)
    return ri, ci


def _picked(levels: np.ndarray, ri: np.ndarray, ci: np.ndarray) -> dict[str, np.ndarray]:
    names = ("Black",) if levels.shape[0] == 1 else PROCESS
    picked = levels.take(ri, axis=1).take(ci, axis=2)  # rows, then columns, of all plates at once
    return dict(zip(names, picked, strict=True))


def _image_sampler(levels: np.ndarray, x: float, y: float, w: float, h: float):
    """sample(xs, ys) for an image drawn into (x, y, w, h): the image sample under each page point."""
    n, ih, iw = levels.shape

    def sample(xs: np.ndarray, ys: np.ndarray) -> dict[str, np.ndarray]:
        return _picked(levels, *_sample_indices(iw, ih, x, y, w, h, xs, ys))

    return sample


def _decoded_pixels(prepared, box, xs: np.ndarray, ys: np.ndarray) -> dict[str, np.ndarray]:
    """What _image_sampler(image_levels(prepared), box)(xs, ys) gives, holding only the decoded
    image: the samples under the page's pixels are copied out of it a row at a time (a few hundred
    rows), not the whole photo (the decoded image and a copy of it were two photos' worth, ~24 MB each
    for a five-column photo)."""
    from PIL import Image

    x0, y0, x1, y1 = box
    with Image.open(io.BytesIO(prepared.data)) as im:
        iw, ih = im.size
        ri, ci = _sample_indices(iw, ih, x0, y0, x1 - x0, y1 - y0, xs, ys)
        rows, at = np.unique(ri, return_inverse=True)
        im.load()
        # each row's samples under the pixel centres: (rows, columns[, inks])
        band = np.stack([np.asarray(im.crop((0, int(r), iw, int(r) + 1)))[0].take(ci, axis=0) for r in rows])
    levels = (255 - band)[None, :, :] if band.ndim == 2 else np.moveaxis(band, 2, 0)  # as image_levels
    return _picked(levels, at.reshape(-1), np.arange(ci.size))


# --- PDF ads: the one thing on our pages that is not ours -------------------------------------------


@dataclass
class AdRenders:
    """Ghostscript renders of placed PDF ads, one per (file digest, page, resolution): in this
    process's memory and in the build cache (`cache`: a cache.BlobCache or None), so an ad is
    rendered once however many pages and builds place it. Values read back are the same arrays
    that were stored, so the findings do not depend on the cache."""

    cache: object | None = None
    memory: dict[str, PagePlates] = field(default_factory=dict)
    digests: dict[tuple, str] = field(default_factory=dict)

    def _digest(self, path: Path) -> str:
        st = path.stat()
        sig = (str(path), st.st_size, st.st_mtime_ns)
        if sig not in self.digests:
            self.digests[sig] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self.digests[sig]

    def plates(self, path: Path, page_index: int, dpi: float) -> PagePlates:
        key = hashlib.sha256(repr([self._digest(path), page_index, round(dpi, 4), shutil.which("gs")])
                             .encode("utf-8")).hexdigest()
        if key in self.memory:
            return self.memory[key]
        plates = None
        data = self.cache.load(key) if self.cache is not None else None
        if data is not None:
            plates = _unpack(data, dpi)
        if plates is None:
            plates = render_page(path, dpi, page_index)
            if self.cache is not None:
                self.cache.store(key, _pack(plates))
        self.memory[key] = plates
        return plates


def _pack(plates: PagePlates) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **{f"p{i}_{name}": arr for i, (name, arr) in enumerate(plates.plates.items())})
    return buf.getvalue()


def _unpack(data: bytes, dpi: float) -> PagePlates | None:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            items = sorted((int(k[1:].split("_", 1)[0]), k.split("_", 1)[1], z[k]) for k in z.files)
    except (OSError, ValueError, KeyError, IndexError):
        return None  # a damaged entry: rendered again
    if not items or any(a.dtype != np.uint8 or a.ndim != 2 or a.shape != items[0][2].shape for _, _, a in items):
        return None
    return PagePlates({name: arr for _, name, arr in items}, dpi)


_CM = re.compile(rb"(-?[\d.]+(?:e-?\d+)?)\s+" * 6 + rb"cm")


def _placement(form, rect) -> tuple[float, ...]:
    """The matrix the renderer's place_pdf_ads gives the ad's form (pikepdf's fit into the slot,
    computed the same way on a scratch page, so both agree to the last digit)."""
    import pikepdf

    scratch = pikepdf.new()
    scratch.add_blank_page()
    stand_in = scratch.make_stream(b"", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                   BBox=pikepdf.Array([float(v) for v in form.BBox]),
                                   Matrix=pikepdf.Array([float(v) for v in form.get("/Matrix", IDENTITY)]))
    placed = scratch.pages[0].calc_form_xobject_placement(stand_in, pikepdf.Name("/Ad"), rect, allow_expand=True)
    m = _CM.search(placed)
    return tuple(float(v) for v in m.groups()) if m else IDENTITY


def _invert(m) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    det = a * d - b * c
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def _check_ads(p: _Page, plates: _Plates | None, ads: Sequence[tuple[int, PdfItem, tuple[float, float, float, float]]],
               renders: AdRenders | None, profile: PrintProfile) -> list[Finding]:
    """The placed PDF ads of a page, in the order the renderer places them: their resources
    (returned: they come before the content findings, as in the PDF preflight), their content
    walked where it sits (into `p`) and their plates pasted into `plates`."""
    import pikepdf

    from layout.preflight.resources import _check_group, _Walk, _walk_resources

    walk = _Walk(profile, p.page)
    for n, item, rect in ads:
        name = f"/Ad{n}"
        try:
            ad = pikepdf.open(item.path)
        except (pikepdf.PdfError, OSError) as exc:
            p.once(("ad", item.path), error("PDF-UNREADABLE", f"the PDF ad {Path(item.path).name} cannot be read: "
                                            f"{exc}", p.page))
            continue
        with ad:
            form = ad.pages[item.page_index].as_form_xobject()
            placed = _placement(form, pikepdf.Rectangle(*rect))
            _check_group(walk, form, f"form {name}")
            _walk_resources(walk, form.get("/Resources"))
            draw_form(p, _State(ctm=placed), name, {"/XObject": {name: form}}, 0)
            matrix = mul(tuple(float(v) for v in form.get("/Matrix", IDENTITY)), placed)
            bbox = tuple(float(v) for v in form.BBox)
            media = tuple(float(v) for v in ad.pages[item.page_index].mediabox)
        if plates is None:
            continue
        scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]))
        dpi = plates.dpi * scale
        try:
            if renders is None:
                raise GhostscriptMissing("no renderer for placed PDF ads")
            rendered = renders.plates(Path(item.path), item.page_index, dpi)
        except GhostscriptMissing as exc:
            p.once(("ad-ink", item.path), warning("INK-NOT-CHECKED", f"the ink of the PDF ad "
                                                  f"{Path(item.path).name} is not checked: {exc}", p.page))
            continue
        except (subprocess.SubprocessError, OSError, RuntimeError) as exc:
            p.once(("ad-ink", item.path), error("PDF-RENDER", f"Ghostscript could not render the PDF ad "
                                                f"{Path(item.path).name}: {exc}", p.page))
            continue
        inverse = _invert(matrix)
        s = rendered.dpi / 72.0
        mx0, my0 = min(media[0], media[2]), min(media[1], media[3])
        bx0, by0, bx1, by1 = min(bbox[0], bbox[2]), min(bbox[1], bbox[3]), max(bbox[0], bbox[2]), max(bbox[1], bbox[3])

        def sample(xs, ys, rendered=rendered, inverse=inverse, s=s, mx0=mx0, my0=my0, clip=(bx0, by0, bx1, by1)):
            a, b, c, d, e, f = inverse
            rows, cols = next(iter(rendered.plates.values())).shape
            out = {name: np.empty((ys.size, xs.size), np.uint8) for name in rendered.plates}
            # A band of rows at a time: the float64 grids of a whole ad's box are ten arrays of
            # some megabytes each (a half-page ad: ~40 MB, the peak of a page's preflight).
            for r0 in range(0, ys.size, AD_ROWS):
                gx, gy = np.meshgrid(xs, ys[r0:r0 + AD_ROWS])
                ux, uy = a * gx + c * gy + e, b * gx + d * gy + f  # the ad's own coordinates
                ci = np.clip(((ux - mx0) * s).astype(np.int64), 0, cols - 1)
                ri = np.clip(((my0 + rows / s - uy) * s).astype(np.int64), 0, rows - 1)  # rows from the bottom, as ours
                keep = (ux >= clip[0]) & (ux <= clip[2]) & (uy >= clip[1]) & (uy <= clip[3])
                for name, arr in rendered.plates.items():
                    out[name][r0:r0 + gx.shape[0]] = np.where(keep, arr[ri, ci], 0)
            return out

        plates.place(bbox_of(matrix, bx0, by0, bx1, by1), sample)
    return walk.findings


# --- the page ---------------------------------------------------------------------------------------


def _written(v: float) -> float:
    """A number as reportlab writes it into the content stream (7 significant digits or so):
    what a reader of the PDF finds, so that sizes, places and resolutions come out the same."""
    return float(fp_str(v))


def _cmyk_colour(colour: CMYK) -> Colour:
    return Colour("cmyk", colour.fractions())


def _pdf_rect(geo: PageGeometry, height: float, x0: float, top: float, x1: float, bottom: float):
    """Frame coordinates (pt from the trim's top left, y down) to the PDF's (MediaBox, y up)."""
    return (geo.trim_x + x0, geo.trim_y + height - bottom, geo.trim_x + x1, geo.trim_y + height - top)


def _run_bounds(run: GlyphRun) -> tuple[float, float, float, float] | None:
    """frames.item_bounds of a run, in one pass over a horizontal run's glyphs (the checks ask
    it of every line on the page)."""
    if run.vertical or run.rotated or not run.glyphs:
        return item_bounds(run)
    first = run.glyphs[0]
    x0 = first.left
    x1 = x0 + first.advance
    top = bottom = first.y
    for g in run.glyphs:
        left = g.x if g.box_x is None else g.box_x
        if left < x0:
            x0 = left
        if left + g.advance > x1:
            x1 = left + g.advance
        if g.y < top:
            top = g.y
        elif g.y > bottom:
            bottom = g.y
    s = run.size
    return (x0, top - IDEO_ASCENT * s, x1, bottom + (1 - IDEO_ASCENT) * s)


def _glyph_boxes(run: GlyphRun):
    """The em box of each glyph of a run, in frame coordinates (x0, top, x1, bottom), as
    frames.item_bounds bounds a run (the ideographic em box of each glyph's set width)."""
    s = run.size
    if not run.vertical and not run.rotated:
        above, below = IDEO_ASCENT * s, (1 - IDEO_ASCENT) * s
        for g in run.glyphs:
            if g.advance > 0:
                left = g.left
                yield (left, g.y - above, left + g.advance, g.y + below)
        return
    for g in run.glyphs:
        b = item_bounds(GlyphRun(run.face, s, (g,), vertical=run.vertical, rotated=run.rotated))
        if b is not None and b[2] > b[0] and b[3] > b[1]:
            yield b


def document_facts(profile: PrintProfile, title: str) -> DocumentFacts:
    """What the writer puts in every file (layout/render/pdfx.py apply_document): the profile's
    PDF/X version, Trapped false, the title, one OutputIntent for the profile's condition (with
    the ICC profile when the profile names one)."""
    return DocumentFacts(version=_pdfx_version_keys(profile)["GTS_PDFXVersion"], trapped="/False", title=title,
                         intents=((profile.output_condition_identifier, profile.icc_profile is not None),))


@dataclass
class _Pen:
    """The renderer's own record of the current fill (it sets one only when it changes)."""

    fill: tuple | None = None


def preflight_frame(frame: PageFrame, *, profile: PrintProfile, catalog, images: Mapping[str, object], title: str,
                    mono: bool = False, ad_renders: AdRenders | None = None, ink: bool = True,
                    levels: dict[str, np.ndarray] | None = None,
                    photos: Mapping[int, PhotoPixels | None] | None = None) -> list[Finding]:
    """The findings `preflight_pdf` gives for the page PDF the renderer writes from `frame` (one
    page, so page 1), in the same order: document, boxes, resources, content, ink, mono.
    `images`: the prepared images by key (as the renderer gets them); `photos`: the plate pixels
    of the page's photos by item index, from `frame_photos` (made ahead in another thread);
    `levels`: decoded photo samples by image key, kept there and shared between pages (without
    it a photo is decoded where it is drawn and let go once its pixels are picked);
    `ink=False` leaves out the plates."""
    geo = page_geometry(profile, frame.width, frame.height)
    media, trim, bleed = geo.media_box, geo.trim_box, geo.bleed_box
    findings = document_findings(document_facts(profile, title), profile)
    findings += box_findings(1, profile, media, trim, bleed)
    p = _Page(profile, 1, bleed)
    plates = _Plates(geo.media_w, geo.media_h, profile.preflight_dpi) if ink else None
    op = _Overprint()
    pen = _Pen()
    h = frame.height
    pending: list[tuple[int, PdfItem, tuple]] = []
    serifs: dict[str, bool] = {}  # by face key (the writer names the font after the face)
    text_states: dict[tuple, _State] = {}

    def rect(x0, top, x1, bottom):
        return _pdf_rect(geo, h, x0, top, x1, bottom)

    def set_fill(colour: CMYK, overprint: bool) -> None:
        op.set_fill(overprint)
        pen.fill = (colour, overprint)

    def stroke_state(colour: CMYK, width: float) -> _State:
        op.set_stroke(overprints(colour))
        return _State(stroke=_cmyk_colour(colour), stroke_space="cmyk", line_width=width, op_stroke=op.stroke,
                      op_fill=op.fill, opm=1)

    tx, ty = _written(geo.trim_x), _written(geo.trim_y)

    def pdf_points(points) -> list[tuple[float, float]]:
        """Frame points as the PDF has them: written as reportlab writes numbers, then moved by
        the page's (written) translation to the trim, as a reader's CTM moves them."""
        return [(_written(x) + tx, _written(h - y) + ty) for x, y in points]

    def stroke(colour: CMYK, width: float, points: list[tuple[float, float]], bounds) -> None:
        st = stroke_state(colour, _written(width))
        p.path = [pdf_points(points)]
        check_stroke(p, st)
        p.path.clear()
        if plates is not None and bounds is not None:
            plates.paint(rect(*bounds), colour, op.stroke)

    for index, item in enumerate(frame.items):
        if isinstance(item, GlyphRun):
            colour = print_colour(item.color, item.size, profile)
            want = (colour, overprints(colour))
            if want != pen.fill:
                set_fill(*want)
            bounds = _run_bounds(item)
            if bounds is None:
                continue
            serif = serifs.get(item.face)
            if serif is None:
                serif = serifs[item.face] = is_serif(catalog.face(item.face).ps_name)
            whole = rect(*bounds)
            state_key = (colour, op.fill, op.stroke)
            st = text_states.get(state_key)  # the checks only read it: one per colour and overprint
            if st is None:
                st = text_states[state_key] = _State(fill=_cmyk_colour(colour), fill_space="cmyk", op_fill=op.fill,
                                                     op_stroke=op.stroke, opm=1)
            if item.vertical and not item.rotated:
                # Upright vertical text is shown glyph by glyph (render/vertical.py): each has
                # its own background, as each Tj has in the PDF.
                for b in _glyph_boxes(item):
                    check_text(p, st, item.size, rect(*b), serif)
            else:
                check_text(p, st, item.size, whole, serif)
            if plates is not None:
                if not plates.has_ink(whole, black=not op.fill):
                    # Nothing below that the glyphs' shapes would let show (for overprinting
                    # black: no colour): the line's box paints the same as its glyphs.
                    plates.paint(whole, colour, op.fill)
                else:
                    for b in _glyph_boxes(item):
                        plates.paint(rect(*b), colour, op.fill)
        elif isinstance(item, Rule):
            stroke(item.color, item.width, [(item.x0, item.y0), (item.x1, item.y1)], item_bounds(item))
        elif isinstance(item, Box):
            # `re` from the written lower-left corner, width and height (canvas.rect)
            rx, ry, rw, rh = _written(item.x), _written(h - item.y - item.h), _written(item.w), _written(item.h)
            box_path = [(rx + tx, ry + ty), (rx + rw + tx, ry + rh + ty), (rx + tx, ry + rh + ty),
                        (rx + rw + tx, ry + ty)]
            if item.fill is not None and (item.fill, False) != pen.fill:
                set_fill(item.fill, False)
            st = stroke_state(item.stroke, _written(item.stroke_width)) if item.stroke is not None else \
                _State(op_fill=op.fill, op_stroke=op.stroke, opm=1)
            if item.fill is not None:
                st.fill, st.fill_space = _cmyk_colour(item.fill), "cmyk"
                p.path = [box_path]
                _record_fill(p, st)
                if plates is not None:
                    plates.paint(rect(item.x, item.y, item.x + item.w, item.y + item.h), item.fill, op.fill)
            if item.stroke is not None:
                p.path = [box_path]
                check_stroke(p, st)
                if plates is not None:
                    half = item.stroke_width / 2
                    x0, y0, x1, y1 = item.x, item.y, item.x + item.w, item.y + item.h
                    for edge in ((x0 - half, y0 - half, x1 + half, y0 + half), (x0 - half, y1 - half, x1 + half, y1 + half),
                                 (x0 - half, y0 - half, x0 + half, y1 + half), (x1 - half, y0 - half, x1 + half, y1 + half)):
                        plates.paint(rect(*edge), item.stroke, op.stroke)
            p.path.clear()
        elif isinstance(item, ImageItem):
            prepared = images[item.image]
            ctm, box = _image_ctm(item, h, tx, ty)
            st = _State(ctm=ctm, op_fill=op.fill, op_stroke=op.stroke, opm=1)
            name = "FormXob.Img" + prepared.key
            image_ppi(p, st, prepared.image.width, prepared.image.height, False, name)
            _record_image(p, st, "gray" if prepared.mono else "cmyk", False)
            if plates is not None:
                if photos is not None and index in photos:
                    picked = photos[index]
                elif levels is not None:
                    if item.image not in levels:
                        levels[item.image] = image_levels(prepared)
                    picked = _photo_pixels(plates, box, prepared, levels[item.image])
                else:
                    picked = _photo_pixels(plates, box, prepared)
                if picked is not None:
                    plates.put(*picked)
            pen.fill = None
        elif isinstance(item, PdfItem):
            # the slot exactly as place_pdf_ads computes it (the placement is fitted into it)
            x0, y0 = geo.trim_x + item.x, geo.trim_y + h - item.y - item.h
            pending.append((len(pending), item, (x0, y0, x0 + item.w, y0 + item.h)))
        elif isinstance(item, Mark):
            bounds = item_bounds(item)
            if item.kind == "dot":
                want = (item.color, overprints(item.color))
                if want != pen.fill:
                    op.set_fill(want[1])
                pen.fill = want
                st = _State(fill=_cmyk_colour(item.color), fill_space="cmyk", op_fill=op.fill, op_stroke=op.stroke,
                            opm=1)
                x0, y0, x1, y1 = rect(*bounds)
                p.path = [[(x0, y0), (x1, y1)]]
                _record_fill(p, st)
                p.path.clear()
                if plates is not None:
                    plates.paint((x0, y0, x1, y1), item.color, op.fill)
            elif item.kind == "line":
                stroke(item.color, item.size, [(item.x, item.y), (item.x1, item.y)], bounds)
            else:  # wavy: the curve's control points reach `amp` either side of the centre line
                amp = item.size * 1.2
                stroke(item.color, item.size, [(item.x, item.y), (item.x, item.y - amp), (item.x1, item.y + amp),
                                               (item.x1, item.y)], (bounds[0], item.y - amp, bounds[2], item.y + amp))
    resources = _check_ads(p, plates, pending, ad_renders, profile) if pending else []
    findings += resources
    findings += p.findings
    if plates is not None:
        page = plates.as_page()
        findings += ink_findings(page, 1, media, bleed, profile)
        if mono:
            findings += mono_findings(page, 1, media, bleed)
    return findings



# The plate pixels of one photo as drawn: the window of the page's plates and the levels of each
# plate there (only the samples under the pixel centres: a few kilobytes at the preflight's
# resolution, where the decoded photo is some megabytes).
PhotoPixels = tuple[tuple[slice, slice], dict[str, np.ndarray]]


def _image_ctm(item: ImageItem, height: float, tx: float, ty: float):
    """draw_image's `w 0 0 h x y cm` as written, after the page's (written) translation to the
    trim; with the box it maps the image's unit square to (PDF pt)."""
    ctm = mul((_written(item.w), 0.0, 0.0, _written(item.h), _written(item.x), _written(height - item.y - item.h)),
              (1.0, 0.0, 0.0, 1.0, tx, ty))
    return ctm, bbox_of(ctm, 0, 0, 1, 1)


def _photo_pixels(plates: _Plates, box, prepared, levels: np.ndarray | None = None) -> PhotoPixels | None:
    """The plate pixels of a photo drawn into `box`, from its decoded `levels` when given."""
    found = plates.centres(box)
    if found is None:
        return None
    win, xs, ys = found
    if levels is None:
        return win, _decoded_pixels(prepared, box, xs, ys)
    x0, y0, x1, y1 = box
    return win, _image_sampler(levels, x0, y0, x1 - x0, y1 - y0)(xs, ys)


def frame_photos(frame: PageFrame, images: Mapping[str, object], profile: PrintProfile) -> dict[int, PhotoPixels | None]:
    """The plate pixels of every photo a page draws, by item index: each photo decoded, sampled
    where the page's pixels fall and let go, so that only one decoded photo is held at a time."""
    geo = page_geometry(profile, frame.width, frame.height)
    raster = _Plates(geo.media_w, geo.media_h, profile.preflight_dpi)  # its geometry only (untouched zeros)
    tx, ty = _written(geo.trim_x), _written(geo.trim_y)
    out: dict[int, PhotoPixels | None] = {}
    for index, item in enumerate(frame.items):
        if isinstance(item, ImageItem):
            _, box = _image_ctm(item, frame.height, tx, ty)
            out[index] = _photo_pixels(raster, box, images[item.image])
    return out


def preflight_frames(pages: Sequence[tuple[PageFrame, str, bool]], *, profile: PrintProfile, catalog,
                     images: Mapping[str, object], ad_renders: AdRenders | None = None,
                     workers: int = 2) -> Iterator[list[Finding]]:
    """preflight_frame for each (frame, title, mono), in order. Decoding the photos' JPEGs is most
    of the work, so it runs in a thread of its own (Pillow decodes without the GIL) `workers`
    pages ahead of the checks, which go on meanwhile in this one; a photo is held decoded only
    while its pixels under the page's raster are picked (some megabytes decoded against kilobytes
    picked: the pages ahead keep only those). One photo is decoded at a time: a second decoding
    thread saved little time beside the checks and held a second photo (and a second malloc
    arena that does not give its memory back: ~20 MB more at the sample's peak)."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    todo = iter(pages)
    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead: deque = deque()

        def submit() -> None:
            page = next(todo, None)
            if page is not None:
                ahead.append((page, pool.submit(frame_photos, page[0], images, profile)))

        for _ in range(max(1, workers)):
            submit()
        while ahead:
            (frame, title, mono), decoding = ahead.popleft()
            submit()
            yield preflight_frame(frame, profile=profile, catalog=catalog, images=images, title=title, mono=mono,
                                  ad_renders=ad_renders, photos=decoding.result())
