"""Measure make_proofs on 12 dense broadsheet pages (not a test: run `python tests/proof/proof_bench.py`).

Each page carries ~11 000 CJK glyphs (8 columns x 105 lines x 13 characters) in an embedded
TrueType CJK face and a photo, about what a real page holds."""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

sys.path.insert(0, str(Path(__file__).parent))
from proof_fakebuild import BLEED, COL_W, GRID_Y, PITCH, TRIM_H, TRIM_W, column_x, make_fake_build  # noqa: E402

from layout.proof import make_proofs  # noqa: E402

FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
HANZI = "本市人工智能再加碼科技創新水平連續七年居西部首位產業園展示中心內市民體驗智能機器人港口規劃獲批"


def dense_page(path: Path, pid: str, photo: Path) -> None:
    w, h = TRIM_W + 2 * BLEED, TRIM_H + 2 * BLEED
    c = canvas.Canvas(str(path), pagesize=(w, h), invariant=1)
    c.setTrimBox((BLEED, BLEED, BLEED + TRIM_W, BLEED + TRIM_H))
    rng = random.Random(pid)
    c.setFont("cjk", 9)
    top = BLEED + TRIM_H
    for col in range(1, 9):
        x = BLEED + column_x(col)
        for line in range(1, 106):
            c.drawString(x, top - GRID_Y - line * PITCH + 3, "".join(rng.choice(HANZI) for _ in range(13)))
    c.drawImage(str(photo), BLEED + column_x(1), top - GRID_Y - 40 * PITCH, width=3 * COL_W + 18, height=30 * PITCH)
    c.showPage()
    c.save()


def main() -> None:
    pdfmetrics.registerFont(TTFont("cjk", FONT))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        make_fake_build(out)
        photo = out / "photo.jpg"
        Image.effect_mandelbrot((800, 600), (-2, -1.2, 1, 1.2), 60).convert("RGB").save(photo, quality=85)
        for n in range(1, 13):
            dense_page(out / f"A{n:02d}.pdf", f"A{n:02d}", photo)
        runs = (("12 pages", {}, True), ("12 pages, grid", {"grid": True}, True), ("1 page", {"pages": ["A03"]}, True),
                ("12 pages, 1 process", {"workers": 1}, True), ("nothing changed", {}, False))
        for label, kw, fresh in runs:
            if fresh:  # render from nothing: no images in the folder, no cache
                shutil.rmtree(out / "proofs", ignore_errors=True)
            t0 = time.perf_counter()
            r = make_proofs(out, cache=None, **kw)
            print(f"{label}: {time.perf_counter() - t0:.2f} s, {len(r.rendered)} rendered  {r.timings}")


if __name__ == "__main__":
    main()
