"""A print page made only with the print-output APIs (pdfx, marks, images), the way the page
renderer uses them: a tint across the bleed, K-only body text and rules, a two-ink headline, and
two photos (one colour, one grey source). Used by the print tests; runnable as a script."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from make_bad_ads import FONT, _register_font, synthetic_photo  # noqa: E402

from layout.images import ImageStore, draw_image  # noqa: E402
from layout.printprofile import PrintProfile  # noqa: E402
from layout.render.pdfx import apply_document, apply_page, canvas_kwargs, page_geometry  # noqa: E402
from layout.units import mm  # noqa: E402

TRIM_W, TRIM_H = mm(273), mm(390)  # tabloid


def build_page(out: Path, profile: PrintProfile, photos_dir: Path, *, store: ImageStore | None = None,
               mono: bool = False, pages: int = 1) -> Path:
    store = store or ImageStore()
    big = photos_dir / "big.jpg"
    if not big.exists():
        synthetic_photo(big, 1600, 1000, seed=3)
    grey = photos_dir / "grey.png"
    if not grey.exists():
        from PIL import Image

        Image.open(big).convert("L").save(grey)
    _register_font()
    geo = page_geometry(profile, TRIM_W, TRIM_H)
    c = Canvas(str(out), pagesize=(geo.media_w, geo.media_h), initialFontName=FONT, **canvas_kwargs(profile))
    apply_document(c, profile, title=out.stem, date=dt.date(2026, 3, 4))
    for n in range(pages):
        apply_page(c, profile, geo)
        c.saveState()
        c.translate(geo.trim_x, geo.trim_y)
        # A tint strip that runs into the bleed on the left, bottom and right.
        c.setFillColorCMYK(0 if mono else 0.15, 0 if mono else 0.05, 0, 0.1 if mono else 0)
        c.rect(-geo.bleed, -geo.bleed, TRIM_W + 2 * geo.bleed, mm(40) + geo.bleed, fill=1, stroke=0)
        c.setFillColorCMYK(0, 0, 0, 1) if mono else c.setFillColorCMYK(0, 1, 1, 0)
        c.setFont(FONT, 36)
        c.drawString(mm(15), TRIM_H - mm(30), f"Headline {n + 1}")
        c.setFillColorCMYK(0, 0, 0, 1)
        c.setFont(FONT, 9)
        for i in range(30):
            c.drawString(mm(15), TRIM_H - mm(50) - i * 13.5, "Body text set in 9 pt, 100 % K only. " * 2)
        c.setStrokeColorCMYK(0, 0, 0, 1)
        c.setLineWidth(0.5)
        c.line(mm(15), TRIM_H - mm(40), TRIM_W - mm(15), TRIM_H - mm(40))
        p1 = store.prepare(big, mm(150), mm(100), focus=(0.3, 0.5), profile=profile, mono=mono)
        draw_image(c, p1, mm(110), mm(60), mm(150), mm(100))
        p2 = store.prepare(grey, mm(80), mm(60), profile=profile, mono=mono)
        draw_image(c, p2, mm(15), mm(60), mm(80), mm(60))
        c.restoreState()
        c.showPage()
    c.save()
    return out


if __name__ == "__main__":
    from layout.printprofile import load_profile

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out/print-sample")
    target.mkdir(parents=True, exist_ok=True)
    for name in ("newsprint", "commercial"):
        print(build_page(target / f"{name}.pdf", load_profile(name), target))
