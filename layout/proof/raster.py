"""Rendering page PDFs to proof PNGs (pypdfium2), one job per page so that jobs can run in a
process pool. A job carries only plain picklable data.

A proof image depends on the page PDF's bytes, the page's marks (modules, overset stories, missing
glyphs, grid: from report.json), the resolution and the software drawing it, and on nothing else
(no build time: proof.html draws the stamp over it). `proof_key` digests exactly that, and the
build cache keeps images under it, so a page whose PDF did not change is not rendered again."""

from __future__ import annotations

import hashlib
import io
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import PIL
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw

from layout.cache import BlobCache, code_version
from layout.proof.geometry import PageGeometry, geometry_for, geometry_from_json, geometry_json, image_size
from layout.proof.overlay import OverlayOptions, draw_overlays, label_font, label_font_source
from layout.proof.png import ENCODER, encode_png, png_size
from layout.proof.report import PageInfo, StoryInfo

# Pillow's zlib level for callers saving PNGs with Pillow (suggest's captioned alternatives): level 1
# is ~4x faster than the default 6 and only ~15 % larger on page images. Proofs use png.encode_png.
PNG_COMPRESS_LEVEL = 1
THUMB_WIDTH = 260
# Photos far larger than the proof needs are drawn from a copy at the proof's resolution (see
# _proxy_photos): made when the photo has at least this many times the pixels it covers, resampled
# with Pillow's box filter and handed to pdfium as a JPEG of this quality.
PROXY_MIN_RATIO = 1.5
PROXY_QUALITY = 95
# Everything besides the inputs that decides a proof's pixels and bytes.
RENDERER = (f"pdfium {pdfium.version.PDFIUM_INFO}; pypdfium2 {pdfium.version.PYPDFIUM_INFO}; "
            f"pillow {PIL.__version__}; {ENCODER}; thumb {THUMB_WIDTH}; "
            f"photo proxies box {PROXY_MIN_RATIO} q{PROXY_QUALITY}")


@dataclass(frozen=True)
class PageJob:
    page: PageInfo
    pdf: Path
    png: Path
    thumb: Path
    dpi: int
    overlay: OverlayOptions
    stories: dict[str, StoryInfo] = field(default_factory=dict)
    # Where the rendered image is kept for later builds, under `key` (see proof_key); None: not kept.
    cache: BlobCache | None = None
    key: str | None = None


@dataclass(frozen=True)
class PageOutput:
    id: str
    png: Path
    geometry: PageGeometry
    seconds: float
    error: str | None = None  # the PDF was missing or unreadable: a placeholder was written
    png_sha256: str = ""  # of the bytes written, for proof.html's cache-busting and the proofs' index
    thumb_sha256: str = ""


def proof_key(job: PageJob, pdf_sha256: str) -> str:
    """The digest of all a page's proof depends on: the PDF's bytes (by their digest), the page's
    marks as report.json gives them (modules, grid, missing glyphs), what is drawn of the stories on
    it (copyfit status and overset amounts), the overlay options, the resolution, and the software
    (pdfium, Pillow, the PNG encoder, the label face) and the engine's own version: the cache
    entries' names hold it too (layout/cache.py), but the proofs folder's index is keyed by this
    alone, and `layout proof` on a folder proofed by an older engine kept its old marks."""
    drawn = sorted((ref, s.status, s.overset_chars, s.overset_lines) for ref, s in job.stories.items())
    text = repr((pdf_sha256, job.page, drawn, job.overlay, job.dpi, RENDERER, label_font_source(), code_version()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _boxes(pdf_page: pdfium.PdfPage) -> tuple[tuple[float, float, float, float], tuple[float, ...] | None]:
    crop = tuple(float(v) for v in pdf_page.get_cropbox())
    trim = tuple(float(v) for v in pdf_page.get_trimbox())
    return crop, trim  # type: ignore[return-value]


def read_geometry(pdf: Path | bytes, page: PageInfo, dpi: int) -> PageGeometry:
    """The geometry of a page (from its file, or the file's bytes) without rendering it: opening a
    PDF with pdfium is lazy and cheap."""
    try:
        doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    except (pdfium.PdfiumError, FileNotFoundError, OSError):
        return geometry_from_report(page, dpi)
    try:
        if len(doc) == 0:
            return geometry_from_report(page, dpi)
        crop, trim = _boxes(doc[0])
        return geometry_for(page, crop, trim, dpi)  # type: ignore[arg-type]
    finally:
        doc.close()


def geometry_from_report(page: PageInfo, dpi: int) -> PageGeometry:
    """From the report alone: the media box is the trim plus trim_x/trim_y on each side."""
    w = (page.width or 595.0) + 2 * page.trim_x
    h = (page.height or 842.0) + 2 * page.trim_y
    return geometry_for(page, (0.0, 0.0, w, h), None, dpi)


def _placeholder(geom: PageGeometry, message: str) -> Image.Image:
    img = Image.new("RGB", geom.size, (235, 235, 235))
    draw = ImageDraw.Draw(img)
    draw.text((20 * geom.scale, 20 * geom.scale), message, font=label_font(max(12, round(14 * geom.scale))),
              fill=(200, 0, 0))
    return img


def _page_images(pdf_page: pdfium.PdfPage) -> list[pdfium.PdfImage]:
    """The image objects on the page itself (not inside form XObjects). Found through pdfium's own
    calls: get_objects wraps every object in a Python helper first, and a newspaper page has
    hundreds of text objects for its few photos."""
    images = []
    for i in range(pdfium_c.FPDFPage_CountObjects(pdf_page)):
        raw = pdfium_c.FPDFPage_GetObject(pdf_page, i)
        if raw and pdfium_c.FPDFPageObj_GetType(raw) == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images.append(pdfium.PdfObject(raw, page=pdf_page, pdf=pdf_page.pdf))
    return images


def _proxy_photos(pdf_page: pdfium.PdfPage, scale: float) -> None:
    """Swap each photo of the loaded page (in memory only; the file is not touched) for a copy of
    the size it is drawn at in the proof. A page photo is a CMYK JPEG at print resolution (200 ppi
    and more, layout/images.py) and pdfium turns every one of its pixels into RGB before scaling
    it down to the proof's 100 dpi: two thirds of the time of rendering a photo page. Pillow
    decodes the JPEG at a reduced DCT scale and resamples it to the covered pixels; pdfium then
    separates only those. The colours stay pdfium's (it still converts the CMYK), the rest of the
    page is drawn as before, and the result differs from drawing the full photo only by the
    resampling filter. Only plain cases are swapped: an axis-aligned photo on the page itself (not
    inside a placed PDF ad), a baseline JPEG of Pillow's modes for print (CMYK, L) drawn once on
    the page; anything else, or anything that does not decode, pdfium draws as it is."""
    candidates = []
    seen: dict[bytes, int] = {}
    for obj in _page_images(pdf_page):
        a, b, c, d, _, _ = obj.get_matrix().get()
        if b or c:
            continue  # rotated or skewed
        width, height = (max(1, round(abs(v) * scale)) for v in (a, d))
        px_w, px_h = obj.get_px_size()
        if px_w * px_h < PROXY_MIN_RATIO * width * height or obj.get_filters() != ["DCTDecode"]:
            continue
        data = bytes(obj.get_data(decode_simple=False))
        digest = hashlib.sha256(data).digest()
        seen[digest] = seen.get(digest, 0) + 1
        candidates.append((obj, data, digest, (px_w, px_h), (width, height)))
    for obj, data, digest, px_size, size in candidates:
        if seen[digest] > 1:
            continue  # one image drawn twice: its stream is shared, so it keeps its pixels
        try:
            src = Image.open(io.BytesIO(data))
            if src.format != "JPEG" or src.mode not in ("CMYK", "L") or src.size != px_size:
                continue
            src.draft(src.mode, size)  # libjpeg decodes at 1/2, 1/4 or 1/8 where that still covers it
            buf = io.BytesIO()
            src.resize(size, Image.Resampling.BOX).save(buf, "JPEG", quality=PROXY_QUALITY)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            continue
        buf.seek(0)
        try:
            obj.load_jpeg(buf, pages=[pdf_page], inline=True)
        except pdfium.PdfiumError:
            continue


def render_page(job: PageJob) -> PageOutput:
    """Render, mark up, and write the proof PNG and its contact-sheet thumbnail (and keep both in
    the job's cache, unless the page could not be rendered)."""
    t0 = time.perf_counter()
    error = None
    try:
        doc = pdfium.PdfDocument(str(job.pdf))
        try:
            pdf_page = doc[0]
            crop, trim = _boxes(pdf_page)
            geom = geometry_for(job.page, crop, trim, job.dpi)  # type: ignore[arg-type]
            _proxy_photos(pdf_page, geom.scale)
            # pdfium draws 4-byte pixels natively (~30 % faster than 3-byte ones, the same values);
            # the copy to RGB is what the overlays are drawn on.
            img = pdf_page.render(scale=geom.scale, rev_byteorder=True, prefer_bgrx=True).to_pil().convert("RGB")
        finally:
            doc.close()
    except (pdfium.PdfiumError, FileNotFoundError, OSError, IndexError) as exc:
        error = f"{job.pdf.name}: {exc}" if job.pdf.exists() else f"{job.pdf.name} is missing"
        geom = geometry_from_report(job.page, job.dpi)
        img = _placeholder(geom, error)
    if img.size != geom.size:  # pdfium rounding differs from ours: trust the bitmap
        geom = PageGeometry(geom.crop, geom.trim_left, geom.trim_top, geom.scale, img.size)
    draw_overlays(img, job.page, geom, job.stories, job.overlay)
    png = encode_png(img)
    thumb = encode_png(img.resize((THUMB_WIDTH, max(1, round(img.height * THUMB_WIDTH / img.width))),
                                  Image.Resampling.BILINEAR, reducing_gap=2.0))
    del img  # the full-size bitmap (13 MB at 100 dpi) is not needed past this point
    write_file(job.png, png)
    write_file(job.thumb, thumb)
    if job.cache is not None and job.key is not None and error is None:
        job.cache.store(job.key, pack_entry(geom, png, thumb))
    return PageOutput(id=job.page.id, png=job.png, geometry=geom, seconds=time.perf_counter() - t0, error=error,
                      png_sha256=hashlib.sha256(png).hexdigest(), thumb_sha256=hashlib.sha256(thumb).hexdigest())


def pack_entry(geom: PageGeometry, png: bytes, thumb: bytes) -> bytes:
    """A cache entry of a proof: a JSON line (the geometry, the two images' lengths), then the page
    image and its thumbnail. The geometry is kept so that a page taken from the cache needs no
    parse of its PDF (loading a dense page in pdfium costs a third of rendering it)."""
    head = json.dumps({"geometry": geometry_json(geom), "png": len(png), "thumb": len(thumb)})
    return head.encode("utf-8") + b"\n" + png + thumb


def unpack_entry(data: bytes) -> tuple[PageGeometry, bytes, bytes] | None:
    """(geometry, page image, thumbnail) of a cache entry, or None when it is not one: a header that
    does not parse, lengths that do not add up, images that are not PNGs of the geometry's size and
    of the thumbnail width."""
    head, sep, rest = data.partition(b"\n")
    try:
        meta = json.loads(head) if sep else None
        geom = geometry_from_json(meta["geometry"])  # type: ignore[index]
        n_png, n_thumb = meta["png"], meta["thumb"]  # type: ignore[index]
    except (ValueError, TypeError, KeyError):
        return None
    if type(n_png) is not int or type(n_thumb) is not int or n_png < 0 or n_png + n_thumb != len(rest):
        return None
    png, thumb = rest[:n_png], rest[n_png:]
    tsize = png_size(thumb)
    if png_size(png) != geom.size or tsize is None or tsize[0] != THUMB_WIDTH:
        return None
    return geom, png, thumb


def write_file(path: Path, data: bytes) -> None:
    """Write beside and rename, so a browser reloading during `watch` never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


__all__ = ["PNG_COMPRESS_LEVEL", "PageJob", "PageOutput", "image_size", "pack_entry", "proof_key", "read_geometry",
           "render_page", "unpack_entry", "write_file"]
