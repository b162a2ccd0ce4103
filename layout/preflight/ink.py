"""Total area coverage from a Ghostscript separation render (tiffsep): one 8-bit plate per ink,
summed per pixel inside each page's BleedBox (the marks in the slug print in registration colour,
400 %, by design)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from layout.preflight.findings import Finding, error, warning
from layout.printprofile import PrintProfile

GS_TIMEOUT_S = 120


@dataclass(frozen=True)
class PagePlates:
    """The plates of one rendered page: ink 0..255 per pixel (255 = solid), by separation name."""

    plates: dict[str, np.ndarray]
    dpi: float

    def total_levels(self) -> np.ndarray:
        """The plates summed per pixel, in 8-bit levels (255 a solid plate)."""
        total = None
        for arr in self.plates.values():
            if total is None:
                total = arr.astype(np.uint16)
            else:
                total += arr
        return total if total is not None else np.zeros((1, 1), np.uint16)

    def total_percent(self) -> np.ndarray:
        return self.total_levels() * PERCENT_PER_LEVEL


PERCENT_PER_LEVEL = 100.0 / 255.0


def _first_level_over(percent: float) -> int:
    """The least whole level L with L × PERCENT_PER_LEVEL > percent (the same float comparison
    as on the percentages, made on the levels: no float copy of a page raster)."""
    level = max(0, int(percent / PERCENT_PER_LEVEL) - 1)
    while level * PERCENT_PER_LEVEL <= percent:
        level += 1
    return level


class GhostscriptMissing(RuntimeError):
    pass


# Uncompressed plates: LZW costs Ghostscript more time to write (and Pillow to read) than the
# bytes cost the disk; a batch is capped so the temporary plates stay around 100 MB.
MAX_PAGES_PER_RUN = 8


def _gs() -> str:
    gs = shutil.which("gs")
    if gs is None:
        raise GhostscriptMissing("Ghostscript (gs) is not installed")
    return gs


def _read_plates(folder: Path, dpi: float) -> list[PagePlates]:
    pages: dict[int, dict[str, np.ndarray]] = {}
    for f in sorted(folder.glob("p*(*).tif")):
        m = re.fullmatch(r"p(\d+)\((.+)\)\.tif", f.name)
        if not m:
            continue
        with Image.open(f) as im:
            # tiffsep plates read as 255 = no ink: invert to ink amounts.
            pages.setdefault(int(m.group(1)), {})[m.group(2)] = 255 - np.asarray(im.convert("L"), np.uint8)
        f.unlink()  # free the space as we go (a batch of pages writes a lot of plates)
    return [PagePlates(pages[n], dpi) for n in sorted(pages)]


def _render(paths: list[Path], dpi: float) -> list[PagePlates]:
    """One Ghostscript run over the files in order; the page numbers of the output run on from
    one file to the next, so the result is every page of every file, in order."""
    with tempfile.TemporaryDirectory(prefix="preflight-") as tmp:
        out = Path(tmp) / "p%05d.tif"
        cmd = [_gs(), "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", "-sCompression=none",
               f"-r{dpi:g}", "-dMaxSpots=16", f"-sOutputFile={out}", *(str(p) for p in paths)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=GS_TIMEOUT_S * max(1, len(paths)))
        return _read_plates(Path(tmp), dpi)


def render_plates(path: Path, dpi: float) -> list[PagePlates]:
    """Render every page with Ghostscript's tiffsep device; returns the plates per page."""
    return _render([Path(path)], dpi)


def render_page(path: Path, dpi: float, page_index: int) -> PagePlates:
    """The plates of one page (0-based) of a file, from Ghostscript's tiffsep device (a placed PDF
    ad: only the page that is placed is rendered)."""
    with tempfile.TemporaryDirectory(prefix="preflight-") as tmp:
        out = Path(tmp) / "p%05d.tif"
        n = page_index + 1
        cmd = [_gs(), "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", "-sCompression=none",
               f"-r{dpi:g}", "-dMaxSpots=16", f"-dFirstPage={n}", f"-dLastPage={n}", f"-sOutputFile={out}",
               str(path)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=GS_TIMEOUT_S)
        pages = _read_plates(Path(tmp), dpi)
    if len(pages) != 1:
        raise RuntimeError(f"Ghostscript rendered {len(pages)} pages for page {n}")
    return pages[0]


def _batches(paths: list[Path], counts: list[int]):
    """Consecutive runs of files with at most MAX_PAGES_PER_RUN pages together (a longer file
    on its own)."""
    group: list[Path] = []
    group_counts: list[int] = []
    for path, n in zip(paths, counts, strict=True):
        if group and sum(group_counts) + n > MAX_PAGES_PER_RUN:
            yield group, group_counts
            group, group_counts = [], []
        group.append(path)
        group_counts.append(n)
    if group:
        yield group, group_counts


def render_batch(paths: list[Path], page_counts: list[int], dpi: float):
    """For each file in order, its plates (a list of PagePlates, one per page) or the exception
    that rendering it raised; from as few Ghostscript runs as possible (starting Ghostscript and
    loading its resources is a good part of the time of one page). A generator: only one batch of
    plates is held at a time. `page_counts` are the files' page counts: when a run does not give
    exactly that many pages (a file Ghostscript cannot read stops or shortens the run) its files
    are rendered again one by one, so that every page is matched to its own file."""
    for group, counts in _batches(list(paths), list(page_counts)):
        pages = None
        if len(group) > 1:
            try:
                pages = _render(group, dpi)
            except subprocess.SubprocessError:
                pages = None
        if pages is not None and len(pages) == sum(counts):
            at = 0
            for n in counts:
                yield pages[at:at + n]
                at += n
            continue
        for path in group:
            try:
                yield render_plates(path, dpi)
            except GhostscriptMissing:
                raise
            except Exception as exc:  # noqa: BLE001 - reported as a finding for this file
                yield exc


def crop_to_box(arr: np.ndarray, media, box, dpi: float) -> tuple[np.ndarray, int, int]:
    """The part of a page raster (rendered from the MediaBox) inside `box`; with its pixel offset."""
    s = dpi / 72.0
    h, w = arr.shape[:2]
    x0 = max(0, int(round((box[0] - media[0]) * s)))
    x1 = min(w, int(round((box[2] - media[0]) * s)))
    y0 = max(0, int(round((media[3] - box[3]) * s)))
    y1 = min(h, int(round((media[3] - box[1]) * s)))
    return arr[y0:y1, x0:x1], x0, y0


def _extent(mask: np.ndarray) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(first, last) row and (first, last) column of the True pixels; None when there are none
    (from the rows and columns that have any: far cheaper than listing every pixel)."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return (int(rows[0]), int(rows[-1])), (int(cols[0]), int(cols[-1]))


def ink_findings(plates: PagePlates, number: int, media, bleed, profile: PrintProfile) -> list[Finding]:
    total, ox, oy = crop_to_box(plates.total_levels(), media, bleed, plates.dpi)
    if total.size == 0:
        return []
    worst = int(total.max()) * PERCENT_PER_LEVEL
    if worst <= profile.ink_warn + 0.5:  # half a percent: 8-bit plates
        return []
    iy, ix = np.unravel_index(int(total.argmax()), total.shape)
    s = 72.0 / plates.dpi
    limit = profile.ink_limit if worst > profile.ink_limit + 0.5 else profile.ink_warn
    ys, xs = _extent(total >= _first_level_over(limit + 0.5))
    # The area over the limit, in PDF points (y up) on the page.
    bbox = (media[0] + (ox + xs[0]) * s, media[3] - (oy + ys[1] + 1) * s,
            media[0] + (ox + xs[1] + 1) * s, media[3] - (oy + ys[0]) * s)
    px, py = media[0] + (ox + ix + 0.5) * s, media[3] - (oy + iy + 0.5) * s
    where = f"worst at ({px:.0f}, {py:.0f}) pt"
    if worst > profile.ink_limit + 0.5:
        return [error("INK-OVER-LIMIT", f"total ink {worst:.0f} % exceeds the limit {profile.ink_limit:.0f} % "
                                        f"({where})", number, bbox)]
    return [warning("INK-HIGH", f"total ink {worst:.0f} % above {profile.ink_warn:.0f} % ({where})", number, bbox)]


INK_LEVEL = 2  # the 8-bit level above which a plate has ink: a little above zero (8-bit rounding)


def mono_findings(plates: PagePlates, number: int, media, area) -> list[Finding]:
    """A mono page prints on the K plate only: any C, M, Y (or spot) ink in the area is an error."""
    colour = None
    for name, arr in plates.plates.items():
        if name != "Black":
            colour = arr if colour is None else np.maximum(colour, arr)
    if colour is None:
        return []
    sub, ox, oy = crop_to_box(colour, media, area, plates.dpi)
    found = _extent(sub > INK_LEVEL)
    if found is None:
        return []
    ys, xs = found
    s = 72.0 / plates.dpi
    bbox = (media[0] + (ox + xs[0]) * s, media[3] - (oy + ys[1] + 1) * s,
            media[0] + (ox + xs[1] + 1) * s, media[3] - (oy + ys[0]) * s)
    inks = sorted(n for n, a in plates.plates.items()
                  if n != "Black" and crop_to_box(a, media, area, plates.dpi)[0].max() > INK_LEVEL)
    return [error("COLOR-ON-MONO-PAGE", f"a mono (K only) page has {', '.join(inks)} ink", number, bbox)]
