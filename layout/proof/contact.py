"""The contact sheet: every page of the edition in order, as a labelled flatplan."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from layout.proof.overlay import OVERSET_RED, label_font
from layout.proof.png import encode_png
from layout.proof.report import Report

PER_ROW = 6  # 12 broadsheet pages: two rows, A01-A06 over A07-A12
GAP = 16
LABEL_H = 44
TITLE_H = 56
BACKGROUND = (228, 228, 224)


def page_flags(report: Report, page_id: str) -> list[str]:
    """Short warnings shown under a page: what an editor should look at on it."""
    flags = []
    page = report.page(page_id)
    stories = {st.id: st for st in report.stories}
    if page and any(m.ref in stories and stories[m.ref].over_on(page_id) and m.kind in ("story", "continued")
                    for m in page.modules):
        flags.append("OVERSET")
    if any(f.page == page_id and f.severity == "error" for f in report.preflight):
        flags.append("PREFLIGHT")
    if page and page.missing:
        flags.append("MISSING GLYPHS")
    return flags


def make_contact_sheet(report: Report, thumbs: dict[str, Path], out: Path, *, thumb_width: int,
                       proof_id: str = "") -> Path:
    """Compose the sheet from the per-page thumbnails written with each proof PNG, so a `watch`
    rebuild of one page does not have to re-read the eleven full-size images. The title names the
    proof by `proof_id` (a digest of its page images, also in proof.html), not by the build's time:
    the same edition gives the same sheet."""
    images: dict[str, Image.Image] = {}
    for pid, path in thumbs.items():
        try:
            with Image.open(path) as im:
                images[pid] = im.convert("RGB")
        except (FileNotFoundError, OSError):
            continue
    heights = [im.height for im in images.values()]
    thumb_h = max(heights) if heights else round(thumb_width * 1.4)
    n = max(1, len(report.pages))
    per_row = min(PER_ROW, n)
    rows = (n + per_row - 1) // per_row
    cell_w, cell_h = thumb_width + GAP, thumb_h + LABEL_H + GAP
    sheet = Image.new("RGB", (per_row * cell_w + GAP, TITLE_H + rows * cell_h + GAP), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    title = f"{report.paper}  {report.date}  第{report.issue}期   PROOF {proof_id}".strip()
    draw.text((GAP, GAP), title, font=label_font(24), fill=(30, 30, 30))
    font, small = label_font(18), label_font(14)
    for i, page in enumerate(report.pages):
        x = GAP + (i % per_row) * cell_w
        y = TITLE_H + (i // per_row) * cell_h
        im = images.get(page.id)
        if im is not None:
            sheet.paste(im, (x, y))
        else:
            draw.rectangle((x, y, x + thumb_width, y + thumb_h), fill=(200, 200, 200))
            draw.text((x + 10, y + 10), "no proof", font=small, fill=OVERSET_RED)
        draw.rectangle((x, y, x + thumb_width - 1, y + thumb_h - 1), outline=(120, 120, 120))
        draw.text((x, y + thumb_h + 6), f"{page.id} {page.section}", font=font, fill=(20, 20, 20))
        flags = page_flags(report, page.id)
        if flags:
            draw.text((x, y + thumb_h + 26), " ".join(flags), font=small, fill=OVERSET_RED)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(encode_png(sheet))
    tmp.replace(out)
    return out
