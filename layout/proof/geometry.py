"""From report coordinates (pt from the trim's top-left, y down) and PDF coordinates (pt, origin
bottom-left) to pixels of a rendered proof image.

pdfium renders the page's CropBox (the MediaBox when there is none), so the image origin is the
crop box's top-left corner. Where the trim sits inside it is taken from the PDF's own TrimBox when
it has one, else from the report's trim_x/trim_y."""

from __future__ import annotations

import math
from dataclasses import dataclass

from layout.proof.report import PageInfo


@dataclass(frozen=True)
class PageGeometry:
    crop: tuple[float, float, float, float]  # (left, bottom, right, top) in PDF units
    trim_left: float  # trim box left edge, PDF units
    trim_top: float  # trim box top edge, PDF units
    scale: float  # px per pt
    size: tuple[int, int]  # image size in px

    def trim_to_px(self, x: float, y: float) -> tuple[float, float]:
        """A point in report coordinates (trim top-left origin, y down) to image pixels."""
        return ((self.trim_left - self.crop[0] + x) * self.scale, (self.crop[3] - self.trim_top + y) * self.scale)

    def trim_rect_px(self, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        x0, y0 = self.trim_to_px(x, y)
        return (x0, y0, x0 + w * self.scale, y0 + h * self.scale)

    def pdf_rect_px(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """A rectangle in PDF user space (origin bottom-left) to image pixels (top-left, y down)."""
        s = self.scale
        left, right = sorted((x0, x1))
        bottom, top = sorted((y0, y1))
        return ((left - self.crop[0]) * s, (self.crop[3] - top) * s, (right - self.crop[0]) * s,
                (self.crop[3] - bottom) * s)


def image_size(crop: tuple[float, float, float, float], scale: float) -> tuple[int, int]:
    """The bitmap size pdfium produces for a page of this crop box at this scale (it rounds up)."""
    return (math.ceil((crop[2] - crop[0]) * scale - 1e-6), math.ceil((crop[3] - crop[1]) * scale - 1e-6))


def geometry_for(page: PageInfo, crop: tuple[float, float, float, float],
                 trimbox: tuple[float, float, float, float] | None, dpi: int) -> PageGeometry:
    scale = dpi / 72.0
    if trimbox is not None and trimbox != crop:
        left, top = trimbox[0], trimbox[3]
    else:
        # No TrimBox in the file: the report says where the trim starts; its height gives the top.
        left = crop[0] + page.trim_x
        height = page.height if page.height > 0 else (crop[3] - crop[1]) - 2 * page.trim_y
        top = crop[1] + page.trim_y + height
    return PageGeometry(crop=crop, trim_left=left, trim_top=top, scale=scale, size=image_size(crop, scale))


def geometry_json(geom: PageGeometry) -> dict:
    """The geometry as JSON (kept with a cached proof image, so that using it needs no PDF parse)."""
    return {"crop": list(geom.crop), "trim_left": geom.trim_left, "trim_top": geom.trim_top, "scale": geom.scale,
            "size": list(geom.size)}


def geometry_from_json(value) -> PageGeometry:
    """The inverse of geometry_json, checked: raises ValueError/TypeError/KeyError when the value is
    not a geometry (finite numbers, four of them in the crop box, a positive size and scale)."""
    crop = tuple(float(v) for v in value["crop"])
    numbers = (*crop, float(value["trim_left"]), float(value["trim_top"]), float(value["scale"]))
    size = value["size"]
    if len(crop) != 4 or not all(math.isfinite(v) for v in numbers) or numbers[-1] <= 0:
        raise ValueError(f"{value!r} is not a page geometry")
    if len(size) != 2 or not all(type(v) is int and v > 0 for v in size):
        raise ValueError(f"{size!r} is not an image size")
    return PageGeometry(crop=crop, trim_left=numbers[4], trim_top=numbers[5], scale=numbers[6],  # type: ignore[arg-type]
                        size=(size[0], size[1]))
