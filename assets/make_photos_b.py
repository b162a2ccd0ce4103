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


def gallery(rng: np.random.Generator) -> Image.Image:
    """A museum gallery at night: dark walls, lit glass cases with bronzes, visitors in silhouette."""
    w, h = SIZE
    img = _gradient(w, h, (22, 20, 24), (48, 42, 40))
    d = ImageDraw.Draw(img)
    d.polygon([(0, 820), (w, 820), (w, h), (0, h)], fill=(58, 50, 44))  # polished floor
    for i, cx in enumerate((260, 700, 1140, 1560)):
        d.rectangle((cx - 150, 430, cx + 150, 760), fill=(40, 44, 50))  # case interior
        d.rectangle((cx - 170, 760, cx + 170, 900), fill=(30, 28, 28))  # plinth
        # a bronze vessel or jar in each case
        body = (150, 110, 60) if i % 2 else (120, 120, 90)
        d.ellipse((cx - 80, 540, cx + 80, 720), fill=body)
        d.rectangle((cx - 50, 500, cx + 50, 560), fill=body)
        d.rectangle((cx - 95, 715, cx + 95, 735), fill=(90, 70, 40))
        d.rectangle((cx - 150, 430, cx + 150, 760), outline=(120, 120, 120), width=3)
        img = _glow(img, (cx, 560), 260, (255, 225, 170), 0.7)
        d = ImageDraw.Draw(img)
    for x, s in ((480, 1.0), (930, 0.9), (1370, 1.1), (1700, 0.8)):  # visitors
        d.ellipse((x - 28 * s, 700 - 230 * s, x + 28 * s, 700 - 170 * s), fill=(14, 12, 14))
        d.rounded_rectangle((x - 45 * s, 700 - 175 * s, x + 45 * s, 1010), radius=30, fill=(14, 12, 14))
    return _finish(img, rng, blur=1.4, grain=7, vignette=0.5)


def stadium_night(rng: np.random.Generator) -> Image.Image:
    """A football match under floodlights: packed red and blue stands, green pitch, players."""
    w, h = SIZE
    img = _gradient(w, h, (12, 14, 26), (30, 30, 40))
    d = ImageDraw.Draw(img)
    for y in range(170, 600, 16):  # stands: red half and blue half, crowd as dots
        for x in range(0, w, 15):
            base = (150, 30, 36) if x < w * 0.5 else (30, 60, 140)
            j = rng.integers(-40, 40, size=3)
            c = tuple(int(np.clip(b + v, 0, 255)) for b, v in zip(base, j, strict=True))
            d.ellipse((x, y + rng.uniform(-3, 3), x + 11, y + 11), fill=c)
    d.rectangle((0, 600, w, 640), fill=(20, 20, 22))  # advertising boards
    d.polygon([(0, 640), (w, 640), (w, h), (0, h)], fill=(40, 120, 50))
    for i in range(8):  # mowing stripes
        if i % 2:
            d.polygon([(i * 225, 640), ((i + 1) * 225, 640), ((i + 1) * 260 - 150, h), (i * 260 - 150, h)],
                      fill=(46, 132, 56))
    d.line([(0, 900), (w, 840)], fill=(225, 230, 225), width=5)
    for px, py, kit in ((600, 900, (200, 30, 40)), (820, 860, (240, 240, 245)), (1000, 940, (200, 30, 40)),
                        (1250, 880, (240, 240, 245)), (1450, 920, (200, 30, 40))):
        d.ellipse((px - 16, py - 130, px + 16, py - 98), fill=(110, 80, 60))
        d.rectangle((px - 26, py - 98, px + 26, py - 30), fill=kit)
        d.rectangle((px - 24, py - 30, px + 24, py), fill=(30, 30, 30))
        d.line([(px - 12, py), (px - 30, py + 90)], fill=(110, 80, 60), width=14)
        d.line([(px + 12, py), (px + 28, py + 90)], fill=(110, 80, 60), width=14)
    d.ellipse((1110, 975, 1140, 1005), fill=(245, 245, 245))  # the ball
    for lx in (200, 1600):
        img = _glow(img, (lx, 60), 500, (255, 255, 235), 0.6)
    return _finish(img, rng, blur=1.2, grain=8, vignette=0.4)


def runners(rng: np.random.Generator) -> Image.Image:
    """Runners crossing a cable-stayed bridge in morning light, river and city behind."""
    w, h = SIZE
    img = _gradient(w, h, (200, 214, 228), (236, 226, 210))
    d = ImageDraw.Draw(img)
    for _ in range(28):  # distant towers
        x = rng.uniform(0, w)
        bw = rng.uniform(40, 110)
        bh = rng.uniform(120, 360)
        g = int(rng.uniform(150, 185))
        d.rectangle((x, 560 - bh, x + bw, 560), fill=(g, g + 6, g + 14))
    d.rectangle((0, 560, w, 700), fill=(120, 140, 156))  # river
    d.polygon([(900, 80), (960, 80), (980, 760), (880, 760)], fill=(210, 210, 205))  # pylon
    for k in range(9):  # stay cables fanning out from the pylon
        d.line([(930, 120 + k * 12), (60 + k * 100, 760)], fill=(235, 235, 230), width=4)
        d.line([(930, 120 + k * 12), (1800 - k * 100, 760)], fill=(235, 235, 230), width=4)
    d.rectangle((0, 740, w, 790), fill=(150, 150, 150))  # deck edge
    d.polygon([(0, 790), (w, 790), (w, h), (0, h)], fill=(92, 92, 96))  # road surface
    for i in range(40):  # runners: small figures in bright shirts, larger when nearer
        y = rng.uniform(800, 1150)
        s = 0.4 + (y - 800) / 350 * 0.9
        x = rng.uniform(0, w)
        shirt = [(230, 60, 50), (240, 180, 40), (60, 140, 210), (250, 250, 250), (90, 190, 110)][i % 5]
        d.ellipse((x - 12 * s, y - 110 * s, x + 12 * s, y - 86 * s), fill=(120, 85, 60))
        d.rectangle((x - 18 * s, y - 86 * s, x + 18 * s, y - 40 * s), fill=shirt)
        d.line([(x - 6 * s, y - 40 * s), (x - 22 * s, y)], fill=(40, 40, 48), width=max(2, int(9 * s)))
        d.line([(x + 6 * s, y - 40 * s), (x + 20 * s, y - 6 * s)], fill=(40, 40, 48), width=max(2, int(9 * s)))
    img = _glow(img, (1500, 200), 700, (255, 240, 210), 0.4)
    return _finish(img, rng, blur=1.0, grain=6, vignette=0.3)


def village(rng: np.random.Generator) -> Image.Image:
    """A mountain village above the clouds: terraces, orange trees, tiled houses, a mast on the ridge."""
    w, h = SIZE
    img = _gradient(w, h, (170, 195, 220), (230, 232, 228))
    d = ImageDraw.Draw(img)
    x = np.arange(w)
    far = 380 + 60 * np.sin(x / 260.0) + 25 * np.sin(x / 90.0 + 2)
    d.polygon([(0, h)] + [(int(i), int(far[i])) for i in range(0, w, 8)] + [(w, h)], fill=(120, 150, 130))
    d.line([(1380, int(far[1380]) - 150), (1380, int(far[1380]))], fill=(90, 90, 95), width=8)  # mast
    d.polygon([(1350, int(far[1380]) - 150), (1410, int(far[1380]) - 150), (1380, int(far[1380]) - 190)],
              fill=(90, 90, 95))
    for k in range(12):  # terraces: curved bands stepping down the slope
        top = 520 + k * 55
        shade = (96 + k * 3, 130 + k * 2, 70)
        pts = [(i, int(top + 18 * np.sin(i / 180.0 + k))) for i in range(0, w + 1, 30)]
        d.polygon(pts + [(w, h), (0, h)], fill=shade)
        d.line(pts, fill=(140, 160, 110), width=3)
    for _ in range(120):  # orange trees with fruit
        tx = rng.uniform(0, w)
        ty = rng.uniform(600, 1180)
        r = 18 + (ty - 600) / 600 * 30
        d.ellipse((tx - r, ty - r, tx + r, ty + r), fill=(40, 90, 40))
        for _ in range(5):
            fx = tx + rng.uniform(-r, r) * 0.7
            fy = ty + rng.uniform(-r, r) * 0.7
            d.ellipse((fx - 4, fy - 4, fx + 4, fy + 4), fill=(240, 150, 30))
    for hx, hy in ((300, 560), (520, 600), (1650, 640)):  # houses with dark tiled roofs
        d.rectangle((hx, hy, hx + 170, hy + 100), fill=(220, 214, 200))
        d.polygon([(hx - 20, hy), (hx + 190, hy), (hx + 85, hy - 60)], fill=(60, 62, 66))
    # cloud sea below the far ridge
    a = np.asarray(img).astype(np.float64)
    yy = np.arange(h)[:, None]
    fog = np.exp(-((yy - 470) / 60.0) ** 2) * 0.55
    a = a * (1 - fog[..., None]) + 245 * fog[..., None]
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    return _finish(img, rng, blur=1.1, grain=5, vignette=0.3)


def greens(rng: np.random.Generator) -> Image.Image:
    """A vegetable stall seen close up: crates of greens, radishes and cabbages, scales and a price board."""
    w, h = SIZE
    img = _gradient(w, h, (70, 60, 50), (110, 90, 70))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 260), fill=(40, 80, 120))  # a blue awning
    for x in range(0, w, 120):
        d.rectangle((x, 0, x + 60, 260), fill=(235, 235, 235))
    d.rectangle((0, 520, w, h), fill=(120, 92, 60))  # the wooden counter
    crates = [((30, 430, 600, 760), "greens"), ((620, 430, 1180, 760), "radish"),
              ((1200, 430, 1770, 760), "cabbage"), ((100, 800, 800, 1180), "peas"),
              ((820, 800, 1500, 1180), "greens")]
    for (x0, y0, x1, y1), kind in crates:
        d.rectangle((x0, y0, x1, y1), fill=(150, 110, 70))
        for _ in range(160):
            cx = rng.uniform(x0 + 20, x1 - 20)
            cy = rng.uniform(y0 + 10, y1 - 20)
            if kind == "greens":
                r = rng.uniform(20, 40)
                g = int(rng.uniform(110, 170))
                d.ellipse((cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), fill=(40, g, 50))
            elif kind == "radish":
                r = rng.uniform(16, 26)
                d.ellipse((cx - r * 2.4, cy - r, cx + r * 2.4, cy + r), fill=(236, 236, 226))
            elif kind == "cabbage":
                r = rng.uniform(34, 50)
                d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(170, 200, 120))
                d.arc((cx - r * 0.7, cy - r * 0.7, cx + r * 0.7, cy + r * 0.7), 200, 340, fill=(120, 160, 90), width=4)
            else:
                r = rng.uniform(8, 14)
                d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(100, 170, 70))
    d.rectangle((1560, 820, 1760, 1000), fill=(200, 200, 205))  # scales
    d.rectangle((1600, 780, 1720, 820), fill=(60, 60, 64))
    d.rectangle((1540, 300, 1760, 420), fill=(250, 245, 230))  # price board
    for k in range(3):
        d.line([(1560, 330 + k * 30), (1740, 330 + k * 30)], fill=(200, 40, 40), width=8)
    return _finish(img, rng, blur=1.0, grain=6, vignette=0.35)


PHOTOS: dict[str, tuple[Callable[[np.random.Generator], Image.Image], int]] = {
    "b-opera.jpg": (opera, 101),
    "b-ferry.jpg": (ferry, 102),
    "b-court.jpg": (court, 103),
    "b-gallery.jpg": (gallery, 104),
    "b-derby.jpg": (stadium_night, 105),
    "b-runners.jpg": (runners, 106),
    "b-village.jpg": (village, 107),
    "b-greens.jpg": (greens, 108),
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
