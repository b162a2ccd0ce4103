"""Procedural stand-in photos for part B of the sample edition (culture and sports pages).

Each picture is painted from simple shapes, then given what makes a scan look photographic:
soft focus, uneven light (vignette), and film grain. RGB JPEG, quality 85, fixed seeds, so a rerun
gives the same bytes. Files are written with a `b-` prefix into assets/photos/.

Run:  python assets/make_photos_b.py
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "photos"
SIZE = (1800, 1200)  # 3:2, enough for a 4-column picture at ~200 ppi with room to crop


def _gradient(w: int, h: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    t = np.linspace(0.0, 1.0, h)[:, None, None]
    a = np.array(top, float)[None, None]
    b = np.array(bottom, float)[None, None]
    arr = np.broadcast_to(a * (1 - t) + b * t, (h, w, 3))
    return Image.fromarray(arr.astype(np.uint8), "RGB")


def _finish(img: Image.Image, rng: np.random.Generator, blur: float = 1.2, grain: float = 6.0,
            vignette: float = 0.35) -> Image.Image:
    """Lens softness, light fall-off towards the corners, and grain."""
    img = img.filter(ImageFilter.GaussianBlur(blur))
    a = np.asarray(img).astype(np.float64)
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot((xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2)) / np.sqrt(2)
    a *= (1.0 - vignette * r**2)[..., None]
    a += rng.normal(0, grain, size=(h, w, 1))  # luminance grain, like film
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def _glow(img: Image.Image, centre: tuple[float, float], radius: float, colour: tuple[int, int, int],
          strength: float) -> Image.Image:
    """Add a soft light pool (stage spot, lamp) by screening a radial falloff onto the image."""
    a = np.asarray(img).astype(np.float64)
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    d = np.hypot(xx - centre[0], yy - centre[1]) / radius
    f = np.clip(1.0 - d, 0, 1) ** 2 * strength
    col = np.array(colour, float)[None, None]
    a = 255 - (255 - a) * (1 - f[..., None] * col / 255)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def opera(rng: np.random.Generator) -> Image.Image:
    """A traditional opera stage: red curtains, a lit stage, two costumed performers, dark audience."""
    w, h = SIZE
    img = _gradient(w, h, (25, 12, 14), (60, 30, 22))
    d = ImageDraw.Draw(img)
    # Stage floor and back wall.
    d.rectangle((0, 760, w, h), fill=(95, 58, 36))
    d.rectangle((200, 180, w - 200, 760), fill=(120, 40, 36))
    # Folds of the curtain: vertical bands of alternating shade.
    for i, x in enumerate(range(0, 260, 26)):
        shade = 150 if i % 2 else 110
        d.rectangle((x, 0, x + 26, 780), fill=(shade, 22, 28))
        d.rectangle((w - x - 26, 0, w - x, 780), fill=(shade, 22, 28))
    d.rectangle((0, 0, w, 150), fill=(140, 24, 30))
    for x in range(0, w, 60):  # gold fringe on the valance
        d.polygon([(x, 150), (x + 60, 150), (x + 30, 185)], fill=(200, 160, 60))
    # Two performers: robes, sleeves, head-dresses.
    for cx, robe, sleeve in ((760, (200, 60, 50), (235, 225, 210)), (1060, (60, 90, 150), (230, 220, 200))):
        d.polygon([(cx - 90, 760), (cx + 90, 760), (cx + 55, 450), (cx - 55, 450)], fill=robe)
        d.ellipse((cx - 40, 360, cx + 40, 450), fill=(230, 200, 175))
        d.polygon([(cx - 55, 370), (cx + 55, 370), (cx + 30, 300), (cx - 30, 300)], fill=(190, 150, 50))
        d.line([(cx + 50, 480), (cx + 170, 560), (cx + 200, 700)], fill=sleeve, width=34)
        d.line([(cx - 50, 480), (cx - 140, 430)], fill=sleeve, width=30)
    # Audience heads in silhouette along the bottom.
    for _ in range(70):
        x = rng.uniform(0, w)
        y = rng.uniform(1040, 1230)
        r = rng.uniform(40, 60)
        d.ellipse((x - r, y - r, x + r, y + r * 1.2), fill=(18, 12, 12))
    img = _glow(img, (900, 560), 650, (255, 230, 180), 0.55)
    return _finish(img, rng, blur=1.6, grain=7, vignette=0.55)


def ferry(rng: np.random.Generator) -> Image.Image:
    """An old river ferry landing in winter mist: stone steps, moored boats, hills across the water."""
    w, h = SIZE
    img = _gradient(w, h, (198, 204, 208), (150, 160, 166))
    d = ImageDraw.Draw(img)
    x = np.arange(w)
    hills = 430 + 40 * np.sin(x / 230.0 + 1) + 22 * np.sin(x / 71.0)
    d.polygon([(0, h)] + [(int(i), int(hills[i])) for i in range(0, w, 10)] + [(w, h)], fill=(150, 158, 160))
    d.rectangle((0, 560, w, h), fill=(112, 124, 128))  # the river
    for y in range(570, h, 9):  # ripples
        xs = rng.uniform(0, w)
        d.line([(xs, y), (xs + rng.uniform(80, 260), y)], fill=(132, 144, 148), width=2)
    # Stone steps descending to the water from the lower left.
    for i in range(10):
        top = 700 + i * 50
        d.polygon([(0, top), (780 - i * 30, top + 20), (780 - i * 30, top + 50), (0, top + 50)],
                  fill=(120 - i * 4, 112 - i * 4, 100 - i * 4))
        d.line([(0, top), (780 - i * 30, top + 20)], fill=(160, 150, 135), width=3)
    # Moored boats: dark hulls with canopies.
    for bx, by, s in ((950, 690, 1.0), (1300, 640, 0.7), (1560, 610, 0.5)):
        d.polygon([(bx, by), (bx + 380 * s, by), (bx + 330 * s, by + 60 * s), (bx + 40 * s, by + 60 * s)],
                  fill=(45, 40, 38))
        d.chord((bx + 90 * s, by - 90 * s, bx + 290 * s, by + 40 * s), 180, 360, fill=(80, 70, 60))
    # A figure with a shoulder pole on the steps.
    d.ellipse((420, 612, 452, 646), fill=(40, 36, 34))
    d.rectangle((424, 646, 448, 730), fill=(55, 60, 70))
    d.line([(360, 655), (520, 640)], fill=(70, 55, 40), width=6)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    return _finish(img, rng, blur=1.0, grain=5, vignette=0.3)


def court(rng: np.random.Generator) -> Image.Image:
    """An indoor basketball court under arena lights, players mid-game, crowd in the stands."""
    w, h = SIZE
    img = _gradient(w, h, (30, 32, 40), (70, 60, 55))
    d = ImageDraw.Draw(img)
    # Stands: rows of spectators as dots of colour.
    for y in range(120, 520, 22):
        for x in range(0, w, 20):
            c = tuple(int(v) for v in rng.integers(35, 125, size=3))  # muted: the stands are in shadow
            d.ellipse((x + rng.uniform(-4, 4), y, x + 14, y + 14), fill=c)
    # Wooden floor in perspective.
    d.polygon([(0, 620), (w, 620), (w, h), (0, h)], fill=(196, 150, 96))
    for i in range(0, w, 70):
        d.line([(i, 620), (i * 1.3 - 250, h)], fill=(180, 136, 86), width=3)
    d.line([(0, 880), (w, 880)], fill=(240, 240, 235), width=6)
    d.ellipse((600, 760, 1200, 1000), outline=(240, 240, 235), width=6)
    d.rectangle((0, 540, w, 620), fill=(20, 60, 130))  # advertising boards
    # Hoop on the right.
    d.rectangle((1560, 250, 1760, 380), outline=(235, 235, 235), width=8)
    d.ellipse((1580, 380, 1660, 404), outline=(230, 100, 30), width=6)
    d.line([(1760, 300), (1800, 300)], fill=(120, 120, 120), width=14)
    # Players: two teams, jerseys red and white, one leaping with the ball.
    for px, py, jersey, jump in ((700, 600, (200, 30, 40), 0), (900, 640, (240, 240, 240), 0),
                                 (1320, 430, (200, 30, 40), 1), (1180, 620, (240, 240, 240), 0)):
        d.ellipse((px - 24, py - 150, px + 24, py - 100), fill=(120, 80, 60))
        d.rectangle((px - 36, py - 100, px + 36, py), fill=jersey)
        d.rectangle((px - 34, py, px + 34, py + 60), fill=jersey)
        d.line([(px - 20, py + 60), (px - 30 - 30 * jump, py + 190)], fill=(110, 75, 55), width=22)
        d.line([(px + 20, py + 60), (px + 30, py + 190 - 60 * jump)], fill=(110, 75, 55), width=22)
        d.line([(px + 36, py - 90), (px + 80, py - 190 - 60 * jump)], fill=(110, 75, 55), width=18)
    d.ellipse((1420, 220, 1470, 270), fill=(220, 110, 40))  # the ball
    img = _glow(img, (900, 300), 900, (255, 245, 220), 0.35)
    return _finish(img, rng, blur=1.3, grain=8, vignette=0.45)


PHOTOS: dict[str, tuple[Callable[[np.random.Generator], Image.Image], int]] = {
    "b-opera.jpg": (opera, 101),
    "b-ferry.jpg": (ferry, 102),
    "b-court.jpg": (court, 103),
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (paint, seed) in PHOTOS.items():
        img = paint(np.random.default_rng(seed))
        img.save(args.out / name, "JPEG", quality=85, optimize=False)


if __name__ == "__main__":
    main()
