"""Rendering page PDFs to proof PNGs (pypdfium2), one job per page so that jobs can run in a
process pool. A job carries only plain picklable data."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from layout.proof.geometry import PageGeometry, geometry_for, image_size
from layout.proof.overlay import OverlayOptions, draw_overlays, label_font
from layout.proof.report import PageInfo, StoryInfo

# PNG: zlib level 1 is ~4x faster than the default 6 and only ~15 % larger on page images.
PNG_COMPRESS_LEVEL = 1
THUMB_WIDTH = 260


@dataclass(frozen=True)
class PageJob:
    page: PageInfo
    pdf: Path
    png: Path
    thumb: Path
    dpi: int
    overlay: OverlayOptions
    stories: dict[str, StoryInfo] = field(default_factory=dict)


@dataclass(frozen=True)
class PageOutput:
    id: str
    png: Path
    geometry: PageGeometry
    seconds: float
    error: str | None = None  # the PDF was missing or unreadable: a placeholder was written


def _boxes(pdf_page: pdfium.PdfPage) -> tuple[tuple[float, float, float, float], tuple[float, ...] | None]:
    crop = tuple(float(v) for v in pdf_page.get_cropbox())
    trim = tuple(float(v) for v in pdf_page.get_trimbox())
    return crop, trim  # type: ignore[return-value]


def read_geometry(pdf: Path, page: PageInfo, dpi: int) -> PageGeometry:
    """The geometry of a page without rendering it (opening a PDF with pdfium is lazy and cheap)."""
    try:
        doc = pdfium.PdfDocument(str(pdf))
    except (pdfium.PdfiumError, FileNotFoundError, OSError):
        return geometry_from_report(page, dpi)
    try:
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


def render_page(job: PageJob) -> PageOutput:
    """Render, mark up, and write the proof PNG and its contact-sheet thumbnail."""
    t0 = time.perf_counter()
    error = None
    try:
        doc = pdfium.PdfDocument(str(job.pdf))
        try:
            pdf_page = doc[0]
            crop, trim = _boxes(pdf_page)
            geom = geometry_for(job.page, crop, trim, job.dpi)  # type: ignore[arg-type]
            img = pdf_page.render(scale=geom.scale, rev_byteorder=True).to_pil().convert("RGB")
        finally:
            doc.close()
    except (pdfium.PdfiumError, FileNotFoundError, OSError) as exc:
        error = f"{job.pdf.name}: {exc}" if job.pdf.exists() else f"{job.pdf.name} is missing"
        geom = geometry_from_report(job.page, job.dpi)
        img = _placeholder(geom, error)
    if img.size != geom.size:  # pdfium rounding differs from ours: trust the bitmap
        geom = PageGeometry(geom.crop, geom.trim_left, geom.trim_top, geom.scale, img.size)
    draw_overlays(img, job.page, geom, job.stories, job.overlay)
    job.png.parent.mkdir(parents=True, exist_ok=True)
    _save_png(img, job.png)
    thumb = img.resize((THUMB_WIDTH, max(1, round(img.height * THUMB_WIDTH / img.width))),
                       Image.Resampling.BILINEAR, reducing_gap=2.0)
    job.thumb.parent.mkdir(parents=True, exist_ok=True)
    _save_png(thumb, job.thumb)
    return PageOutput(id=job.page.id, png=job.png, geometry=geom, seconds=time.perf_counter() - t0, error=error)


def _save_png(img: Image.Image, path: Path) -> None:
    """Write beside and rename, so a browser reloading during `watch` never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    img.save(tmp, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    tmp.replace(path)


__all__ = ["PNG_COMPRESS_LEVEL", "PageJob", "PageOutput", "image_size", "read_geometry", "render_page"]
