"""diff_builds: which pages changed between two builds, with the changed areas highlighted.

Equal bytes mean an unchanged page without rendering. Otherwise both pages are rendered and
compared pixel by pixel, because two builds of the same content may differ in bytes (document
ids, dates) while showing exactly the same page."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw

DIFF_DPI = 72
TILE = 12  # px: changed pixels are grouped into tiles, tiles into boxes
THRESHOLD = 24  # per-channel difference below which anti-aliasing noise is ignored
HIGHLIGHT = (230, 0, 120)


def _page_files(build: Path) -> dict[str, str]:
    """Page id -> PDF file name, in page order: from report.json, else every PDF but the edition."""
    try:
        data = json.loads((build / "report.json").read_text(encoding="utf-8"))
        return {str(p["id"]): str(p.get("file", f"{p['id']}.pdf")) for p in data.get("pages", ()) if "id" in p}
    except (FileNotFoundError, ValueError, KeyError, TypeError, AttributeError):
        return {p.stem: p.name for p in sorted(build.glob("*.pdf")) if p.stem != "edition"}


def _render(pdf: Path, dpi: int) -> Image.Image | None:
    try:
        doc = pdfium.PdfDocument(str(pdf))
    except (pdfium.PdfiumError, FileNotFoundError, OSError):
        return None
    try:
        return doc[0].render(scale=dpi / 72, rev_byteorder=True).to_pil().convert("RGB")
    finally:
        doc.close()


def changed_boxes(old: Image.Image, new: Image.Image) -> list[tuple[int, int, int, int]]:
    """Boxes (px) around the changed areas: tiles with any changed pixel, merged where they touch."""
    w, h = max(old.width, new.width), max(old.height, new.height)
    a = Image.new("RGB", (w, h), "white")
    a.paste(old)
    b = Image.new("RGB", (w, h), "white")
    b.paste(new)
    mask = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > THRESHOLD else 0)
    if mask.getbbox() is None:
        return []
    # A tile is changed when any of its pixels is: the BOX mean of a 0/255 mask is then above 0.
    tw, th = (w + TILE - 1) // TILE, (h + TILE - 1) // TILE
    tiles = mask.resize((tw, th), Image.Resampling.BOX)
    changed = {(i % tw, i // tw) for i, v in enumerate(tiles.tobytes()) if v > 0}
    boxes = []
    while changed:  # flood fill over 8-neighbours: one box per connected group of tiles
        stack = [changed.pop()]
        x0 = x1 = stack[0][0]
        y0 = y1 = stack[0][1]
        while stack:
            x, y = stack.pop()
            x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    n = (x + dx, y + dy)
                    if n in changed:
                        changed.remove(n)
                        stack.append(n)
        boxes.append((x0 * TILE, y0 * TILE, min(w, (x1 + 1) * TILE), min(h, (y1 + 1) * TILE)))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def diff_image(old: Image.Image | None, new: Image.Image | None) -> tuple[Image.Image, bool]:
    """The new page washed out, changed pixels in magenta, boxes around changed areas. A page that
    exists in only one build is shown whole, boxed."""
    base = new or old
    assert base is not None
    if old is None or new is None:
        img = base.copy()
        ImageDraw.Draw(img).rectangle((0, 0, img.width - 1, img.height - 1), outline=HIGHLIGHT, width=8)
        return img, True
    boxes = changed_boxes(old, new)
    if not boxes:
        return new, False
    faded = Image.blend(new, Image.new("RGB", new.size, "white"), 0.6)
    w, h = new.size
    a = Image.new("RGB", (w, h), "white")
    a.paste(old.crop((0, 0, min(w, old.width), min(h, old.height))))
    mask = ImageChops.difference(a, new).convert("L").point(lambda v: 255 if v > THRESHOLD else 0)
    faded.paste(Image.new("RGB", new.size, HIGHLIGHT), mask=mask)
    draw = ImageDraw.Draw(faded, "RGBA")
    for x0, y0, x1, y1 in boxes:
        draw.rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), fill=HIGHLIGHT + (30,), outline=HIGHLIGHT + (255,),
                       width=3)
    return faded, True


def diff_builds(old: Path, new: Path, out: Path, *, dpi: int = DIFF_DPI) -> list[str]:
    """Page ids whose PDF differs between the builds in `old` and `new` (in the new build's page
    order, then pages only in the old one); writes out/<page>-diff.png for each."""
    old, new, out = Path(old), Path(new), Path(out)
    old_files, new_files = _page_files(old), _page_files(new)
    ids = list(new_files) + [p for p in old_files if p not in new_files]
    changed = []
    for pid in ids:
        a = old / old_files[pid] if pid in old_files else None
        b = new / new_files[pid] if pid in new_files else None
        if a is not None and b is not None and a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes():
            continue
        img_a = _render(a, dpi) if a is not None else None
        img_b = _render(b, dpi) if b is not None else None
        if img_a is None and img_b is None:
            continue  # neither build has a readable file: nothing to compare
        img, differs = diff_image(img_a, img_b)
        if not differs:
            continue
        out.mkdir(parents=True, exist_ok=True)
        img.save(out / f"{pid}-diff.png", format="PNG", compress_level=1)
        changed.append(pid)
    return changed
