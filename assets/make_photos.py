"""Generate the sample edition's news photos procedurally (deterministic, seeded).

Run from the repository root:  python assets/make_photos.py
Writes assets/photos/*.jpg|png. The pictures are made from noise, gradients and simple shapes,
then given haze, grain, lens vignette and a little blur so that they read as photographs in a
proof rather than as flat clip-art. Most are RGB JPEG (quality 85); on purpose, one is saved as a
CMYK JPEG, one as a 16-bit greyscale PNG and one as a palette PNG, because the layout engine must
handle those modes. Sizes suit 3-4 columns (117 pt each, 9 pt gutters) at 200-250 ppi.

Needs Pillow and numpy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent / "photos"

# Pixel sizes: a 4-column module is 495 pt = 6.875 in, a 3-column one 369 pt = 5.125 in.
W4, W3 = 1520, 1150


@dataclass(frozen=True)
class Spec:
    name: str
    size: tuple[int, int]
    draw: Callable[[np.random.Generator, int, int], Image.Image]
    mode: str = "jpeg-rgb"  # jpeg-rgb | jpeg-cmyk | png-grey16 | png-palette


# ---------------------------------------------------------------- helpers (float RGB arrays 0..1)


def noise(rng: np.random.Generator, w: int, h: int, scale: float, octaves: int = 4) -> np.ndarray:
    """Fractal value noise in 0..1: random grids upscaled with bicubic filtering and summed."""
    acc = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        s = max(2, int(scale * 2**o))
        g = rng.random((max(2, s * h // w + 1), s + 1)).astype(np.float32)
        img = Image.fromarray((g * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
        acc += amp * np.asarray(img, np.float32) / 255
        total += amp
        amp *= 0.5
    return acc / total


def vgrad(h: int, w: int, top: tuple, bottom: tuple, gamma: float = 1.0) -> np.ndarray:
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None] ** gamma
    a, b = np.array(top, np.float32) / 255, np.array(bottom, np.float32) / 255
    return np.broadcast_to(a + (b - a) * t, (h, w, 3)).copy()


def to_img(a: np.ndarray) -> Image.Image:
    return Image.fromarray((np.clip(a, 0, 1) * 255 + 0.5).astype(np.uint8), "RGB")


def to_arr(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("RGB"), np.float32) / 255


def blend(base: np.ndarray, colour: tuple, mask: np.ndarray) -> np.ndarray:
    c = np.array(colour, np.float32) / 255
    m = mask[..., None] if mask.ndim == 2 else mask
    return base * (1 - m) + c * m


def mask_of(w: int, h: int, paint: Callable[[ImageDraw.ImageDraw], None], blur: float = 0) -> np.ndarray:
    m = Image.new("L", (w, h), 0)
    paint(ImageDraw.Draw(m))
    if blur:
        m = m.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(m, np.float32) / 255


def glow(img: Image.Image, lights: Image.Image, radius: float, strength: float) -> Image.Image:
    """Add a bloom around bright light sources, as a lens does at night."""
    halo = lights.filter(ImageFilter.GaussianBlur(radius))
    a = to_arr(img) + strength * to_arr(halo) + to_arr(lights)
    return to_img(a)


def finish(img: Image.Image, rng: np.random.Generator, grain: float = 0.02, vignette: float = 0.35,
           soften: float = 0.6) -> Image.Image:
    """Camera look: slight lens softness, vignette, luminance grain and a gentle tone curve."""
    if soften:
        img = img.filter(ImageFilter.GaussianBlur(soften))
    a = to_arr(img)
    h, w = a.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    r = np.hypot((x - w / 2) / (w / 2), (y - h / 2) / (h / 2)) / math.sqrt(2)
    a *= (1 - vignette * r**2.2)[..., None]
    if grain:
        a += (rng.normal(0, grain, (h, w)).astype(np.float32))[..., None]
    a = np.clip(a, 0, 1)
    a = a - 0.06 * np.sin(2 * math.pi * a)  # gentle S-curve: a little more contrast in the mid-tones
    img = to_img(a)
    return img.filter(ImageFilter.UnsharpMask(radius=1.2, percent=60, threshold=2))


def haze(a: np.ndarray, amount: np.ndarray | float, colour: tuple) -> np.ndarray:
    c = np.array(colour, np.float32) / 255
    m = amount[..., None] if isinstance(amount, np.ndarray) else amount
    return a * (1 - m) + c * m


def hills(rng, w, h, base_y, amp, scale) -> np.ndarray:
    """Ridge profile (one y per column) from 1-D noise."""
    n = noise(rng, w, 2, scale, 5)[0]
    return (base_y - amp * n).astype(np.int32)


def fill_below(w, h, ys: np.ndarray) -> np.ndarray:
    yy = np.arange(h)[:, None]
    return (yy >= ys[None, :]).astype(np.float32)


def water(rng, a, top, colour, sky_rows: np.ndarray | None = None, ripple: float = 6.0) -> np.ndarray:
    """Water from row `top` down: reflection of what is above, broken by ripples, darkened."""
    h, w = a.shape[:2]
    out = a.copy()
    rows = h - top
    n = noise(rng, w, rows, 60, 3) - 0.5
    for i in range(rows):
        y = top + i
        src = top - 1 - int(i * 0.9) + int(n[i, 0] * ripple)
        src = min(max(src, 0), top - 1)
        shift = (n[i] * ripple * (1 + i / rows * 3)).astype(np.int32)
        xs = np.clip(np.arange(w) + shift, 0, w - 1)
        out[y] = a[src, xs] * 0.55
    c = np.array(colour, np.float32) / 255
    t = np.linspace(0.35, 0.75, rows, dtype=np.float32)[:, None, None]
    out[top:] = out[top:] * (1 - t) + c * t
    streak = (noise(rng, w, rows, 220, 2) > 0.62).astype(np.float32) * 0.08
    out[top:] += streak[..., None]
    return out


# ---------------------------------------------------------------- scenes


def city_blocks(rng, a, horizon, layers, lit, tall=1.0, palette=((70, 76, 88), (96, 100, 110))):
    """Layers of buildings, far ones hazier; `lit` is the share of lit windows."""
    h, w = a.shape[:2]
    for li in range(layers):
        depth = li / max(1, layers - 1)  # 0 far .. 1 near
        m = Image.new("L", (w, h), 0)
        win = Image.new("L", (w, h), 0)
        d, dw = ImageDraw.Draw(m), ImageDraw.Draw(win)
        x = int(-rng.integers(0, 60))
        while x < w:
            bw = int(rng.integers(40, 120) * (0.6 + depth))
            bh = int(rng.integers(80, 420) * tall * (0.5 + 0.7 * (1 - depth)) * (1 + (rng.random() < 0.12)))
            top = horizon - bh + int(depth * 40)
            d.rectangle([x, top, x + bw, horizon + 20], fill=255)
            if rng.random() < 0.25:
                d.rectangle([x + bw // 3, top - bh // 8, x + bw // 2, top], fill=255)
            step = max(4, int(7 + depth * 6))
            for wy in range(top + 6, horizon, step):
                for wx in range(x + 4, x + bw - 4, step):
                    if rng.random() < lit:
                        dw.rectangle([wx, wy, wx + step // 2, wy + step // 2 - 1], fill=int(rng.integers(120, 255)))
            x += bw + int(rng.integers(0, 14))
        mk = np.asarray(m, np.float32) / 255
        base = np.array(palette[0], np.float32) * (1 - depth) + np.array(palette[1], np.float32) * depth
        tex = noise(rng, w, h, 90, 3)[..., None] * 0.12
        layer = base / 255 * (0.8 + tex) * (0.55 + 0.45 * depth)
        a = a * (1 - mk[..., None]) + layer * mk[..., None]
        wa = (np.asarray(win, np.float32) / 255) * mk
        a = blend(a, (255, 214, 150), wa * (0.35 + 0.5 * depth))
        a = haze(a, mk * (1 - depth) * 0.55, (190, 196, 204))
    return a


def skyline(rng, w, h):
    a = vgrad(h, w, (150, 168, 190), (222, 214, 204), 0.8)
    horizon = int(h * 0.72)
    a = city_blocks(rng, a, horizon, 4, lit=0.08, tall=2.2)
    fog = noise(rng, w, h, 4, 4)
    band = np.exp(-((np.arange(h)[:, None] - horizon * 0.8) / (h * 0.22)) ** 2)
    a = haze(a, np.clip(fog * band * 0.9, 0, 0.75), (214, 214, 212))
    a = water(rng, a, horizon + 10, (70, 86, 98))
    return finish(to_img(a), rng, grain=0.012)


def bridge(rng, w, h, foggy=False):
    a = vgrad(h, w, (128, 150, 178), (214, 206, 190))
    horizon = int(h * 0.62)
    for k, (amp, col) in enumerate([(0.22, (120, 132, 140)), (0.14, (76, 92, 84))]):
        ys = hills(rng, w, h, horizon - 4 + k * 6, h * amp, 3 + k * 2)
        m = fill_below(w, h, ys) * (np.arange(h)[:, None] < horizon + 8)
        tex = noise(rng, w, h, 40, 4)[..., None]
        a = a * (1 - m[..., None]) + (np.array(col) / 255 * (0.8 + 0.35 * tex)) * m[..., None]
    a = city_blocks(rng, a, horizon + 4, 2, lit=0.02, tall=0.6)
    a = water(rng, a, horizon + 8, (60, 82, 92))
    deck_y = int(h * 0.44)
    t1, t2 = int(w * 0.3), int(w * 0.72)
    lines = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(lines)
    d.rectangle([0, deck_y, w, deck_y + 14], fill=255)
    d.rectangle([0, deck_y + 14, w, deck_y + 18], fill=150)
    for tx in (t1, t2):
        top = int(h * 0.08)
        d.polygon([(tx - 16, deck_y + 80), (tx - 5, top), (tx + 5, top), (tx + 16, deck_y + 80)], fill=255)
        d.rectangle([tx - 22, deck_y + 80, tx + 22, horizon + 10], fill=255)
        for i in range(1, 15):
            yy = top + 10 + i * 7
            for sgn in (-1, 1):
                d.line([(tx, yy), (tx + sgn * i * w * 0.014, deck_y)], fill=200, width=2)
    for x in range(0, w, 60):
        d.rectangle([x, deck_y - 6, x + 2, deck_y], fill=200)
    m = np.asarray(lines.filter(ImageFilter.GaussianBlur(0.7)), np.float32) / 255
    a = blend(a, (54, 58, 64), m)
    if foggy:
        fog = noise(rng, w, h, 3, 5)
        a = haze(a, np.clip(0.45 + 0.45 * fog - np.linspace(0, 0.25, h)[:, None], 0, 0.92), (228, 228, 226))
    return finish(to_img(a), rng, grain=0.008 if foggy else 0.015)


def interior(rng, w, h, warm: bool, cases: bool):
    """A hall in one-point perspective: floor with reflections, ceiling lights, side objects."""
    vx, vy = w * 0.5 + rng.integers(-60, 60), h * 0.42
    base = (226, 214, 196) if warm else (214, 220, 226)
    a = vgrad(h, w, tuple(c * 0.75 for c in base), base)
    img = to_img(a)
    d = ImageDraw.Draw(img)
    floor = [(0, h), (w, h), (vx + w * 0.18, vy + h * 0.12), (vx - w * 0.18, vy + h * 0.12)]
    d.polygon(floor, fill=(150, 136, 120) if warm else (172, 176, 180))
    ceil = [(0, 0), (w, 0), (vx + w * 0.18, vy - h * 0.16), (vx - w * 0.18, vy - h * 0.16)]
    d.polygon(ceil, fill=(200, 196, 190) if warm else (226, 228, 230))
    back = [vx - w * 0.18, vy - h * 0.16, vx + w * 0.18, vy + h * 0.12]
    d.rectangle(back, fill=(236, 226, 210) if warm else (236, 240, 242))
    for i in range(1, 14):  # floor tile lines toward the vanishing point
        x = i * w / 14
        d.line([(x, h), (vx + (x - w / 2) * 0.36, vy + h * 0.12)], fill=(128, 116, 104) if warm else (150, 154, 160))
    for j in range(1, 8):
        t = (j / 8) ** 1.8
        y = vy + h * 0.12 + (h - vy - h * 0.12) * t
        d.line([(0, y), (w, y)], fill=(130, 118, 106) if warm else (152, 156, 162))
    lights = Image.new("RGB", (w, h), 0)
    ld = ImageDraw.Draw(lights)
    for k in range(1, 7):  # rows of ceiling lights
        t = 1 - k / 7
        y = vy - h * 0.16 - (vy - h * 0.16) * t * 0.95
        half = w * 0.18 + (w * 0.5 - w * 0.18) * t
        for s in (-0.55, 0, 0.55):
            cx = vx + s * half
            r = 3 + 10 * t
            ld.ellipse([cx - r * 2, y - r * 0.5, cx + r * 2, y + r * 0.5], fill=(255, 240, 210) if warm else (235, 245, 255))
    for side in (-1, 1):  # objects along both walls
        for k in range(5):
            t = 1 - k / 5.5
            depth = 0.25 + 0.75 * t
            cx = vx + side * (w * 0.2 + w * 0.3 * t)
            bw, bh = 110 * depth, (150 if cases else 90) * depth
            fy = vy + h * 0.12 + (h * 0.55) * t ** 1.6
            if cases:  # glass display case on a plinth, an object inside
                d.rectangle([cx - bw / 2, fy - bh * 0.45, cx + bw / 2, fy], fill=(70, 58, 48))
                d.rectangle([cx - bw / 2, fy - bh, cx + bw / 2, fy - bh * 0.45], fill=(196, 206, 204), outline=(120, 120, 116))
                d.ellipse([cx - bw / 5, fy - bh * 0.9, cx + bw / 5, fy - bh * 0.5], fill=(150, 104, 60))
                ld.ellipse([cx - bw / 6, fy - bh * 0.95, cx + bw / 6, fy - bh * 0.8], fill=(60, 52, 40))
            else:  # service counter with a monitor
                d.rectangle([cx - bw / 2, fy - bh * 0.6, cx + bw / 2, fy], fill=(238, 238, 236), outline=(90, 110, 140))
                d.rectangle([cx - bw / 2, fy - bh * 0.64, cx + bw / 2, fy - bh * 0.58], fill=(40, 90, 160))
                d.rectangle([cx - bw / 6, fy - bh, cx + bw / 6, fy - bh * 0.68], fill=(30, 34, 40))
                ld.rectangle([cx - bw / 7, fy - bh * 0.96, cx + bw / 7, fy - bh * 0.72], fill=(40, 70, 90))
    people(rng, img, int(vy + h * 0.2), h - 20, 9 if cases else 14, scale=h / 900)
    a = to_arr(img)
    a *= (0.95 + 0.1 * noise(rng, w, h, 30, 4))[..., None]
    img = glow(to_img(a), lights, 18, 1.2)
    # reflections of the lights in the polished floor
    refl = lights.transpose(Image.FLIP_TOP_BOTTOM).filter(ImageFilter.GaussianBlur(10))
    fl = mask_of(w, h, lambda dd: dd.polygon(floor, fill=255))
    a = to_arr(img) + to_arr(refl) * 0.5 * fl[..., None]
    return finish(to_img(a), rng, grain=0.012, vignette=0.45)


def people(rng, img, y0, y1, n, scale=1.0, night=False):
    """Blurred figures: heads and coats, larger when nearer (lower)."""
    w, _ = img.size
    d = ImageDraw.Draw(img)
    coats = [(40, 44, 60), (90, 40, 40), (60, 66, 58), (150, 120, 90), (30, 30, 34), (120, 130, 150)]
    for _ in range(n):
        y = rng.uniform(y0, y1)
        s = scale * (0.4 + 0.8 * (y - y0) / max(1, y1 - y0))
        x = rng.uniform(0, w)
        c = coats[rng.integers(len(coats))]
        if night:
            c = tuple(int(v * 0.5) for v in c)
        bw, bh = 34 * s, 110 * s
        d.rounded_rectangle([x - bw / 2, y - bh, x + bw / 2, y], radius=max(1, int(10 * s)), fill=c)
        d.ellipse([x - 11 * s, y - bh - 24 * s, x + 11 * s, y - bh + 2 * s], fill=(40, 30, 26) if rng.random() < 0.7 else (200, 170, 140))


def market(rng, w, h):
    a = vgrad(h, w, (14, 16, 30), (40, 30, 34))
    img = to_img(city_blocks(rng, a, int(h * 0.45), 2, lit=0.3, tall=0.7, palette=((26, 26, 36), (34, 30, 36))))
    d = ImageDraw.Draw(img)
    lights = Image.new("RGB", (w, h), 0)
    ld = ImageDraw.Draw(lights)
    awnings = [(190, 40, 40), (230, 150, 40), (40, 110, 170), (200, 200, 196), (60, 140, 80)]
    for row, (y, s) in enumerate([(h * 0.5, 0.6), (h * 0.62, 0.85), (h * 0.8, 1.2)]):
        x = -rng.integers(0, 80)
        while x < w:
            sw = int(rng.integers(150, 230) * s)
            col = awnings[rng.integers(len(awnings))]
            top = y - 120 * s
            for k in range(0, sw, max(6, int(22 * s))):  # striped awning
                c = col if (k // max(6, int(22 * s))) % 2 == 0 else (236, 230, 220)
                d.polygon([(x + k, top), (x + k + 22 * s, top), (x + k + 26 * s, top + 34 * s), (x + k + 4 * s, top + 34 * s)], fill=c)
            d.rectangle([x + 6, top + 34 * s, x + sw - 6, y], fill=(70, 52, 40))
            for gx in range(int(x + 14), int(x + sw - 14), max(5, int(12 * s))):  # goods on the counter
                gc = tuple(int(v) for v in rng.integers(80, 250, 3))
                d.ellipse([gx, y - 40 * s, gx + 10 * s, y - 30 * s], fill=gc)
            for bx in range(int(x + 20), int(x + sw), max(20, int(60 * s))):  # string of bulbs
                r = 4 * s
                ld.ellipse([bx - r, top - 8 * s - r, bx + r, top - 8 * s + r], fill=(255, 210, 140))
            x += sw + int(rng.integers(10, 40) * s)
        people(rng, img, y - 10, y + 60 * s, int(10 + 12 * row), scale=s * 1.2, night=True)
    a = to_arr(img) * (0.95 + 0.1 * noise(rng, w, h, 50, 3))[..., None]
    img = glow(to_img(a), lights, 24, 2.2)
    warm = to_arr(lights.filter(ImageFilter.GaussianBlur(80)))
    return finish(to_img(to_arr(img) + warm * 1.5), rng, grain=0.025, vignette=0.5, soften=0.8)


def stadium(rng, w, h):
    a = vgrad(h, w, (18, 22, 46), (40, 44, 70))
    img = to_img(a)
    d = ImageDraw.Draw(img)
    cx, cy = w / 2, h * 0.62
    d.ellipse([cx - w * 0.75, cy - h * 0.48, cx + w * 0.75, cy + h * 0.6], fill=(60, 60, 70))
    crowd = (rng.random((h, w)) < 0.5).astype(np.float32)
    pitch = [cx - w * 0.5, cy - h * 0.16, cx + w * 0.5, cy + h * 0.34]
    d.ellipse(pitch, fill=(48, 120, 56))
    a = to_arr(img)
    stands = mask_of(w, h, lambda dd: dd.ellipse([cx - w * 0.75, cy - h * 0.48, cx + w * 0.75, cy + h * 0.6], fill=255))
    field = mask_of(w, h, lambda dd: dd.ellipse(pitch, fill=255), blur=1.5)
    dots = np.asarray(Image.fromarray(rng.integers(30, 230, (h, w, 3)).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(1.2)), np.float32) / 255
    tiers = 0.75 + 0.25 * np.sin(np.arange(h)[:, None] / 5.0)
    a = a * (1 - stands[..., None]) + (dots * 0.55 * tiers[..., None] * (0.6 + 0.4 * crowd[..., None])) * stands[..., None]
    stripes = ((np.arange(w)[None, :] // 60) % 2) * 0.07
    grass = np.array([48, 128, 58], np.float32) / 255 * (0.85 + stripes + 0.15 * noise(rng, w, h, 80, 3))[..., None]
    a = a * (1 - field[..., None]) + grass * field[..., None]
    img = to_img(a)
    lines = mask_of(w, h, lambda dd: (dd.ellipse([cx - w * 0.46, cy - h * 0.13, cx + w * 0.46, cy + h * 0.31], outline=255, width=4),
                                      dd.line([(cx, cy - h * 0.13), (cx, cy + h * 0.31)], fill=255, width=3)), blur=0.8)
    a = blend(to_arr(img), (240, 240, 236), lines * 0.8)
    lights = Image.new("RGB", (w, h), 0)
    ld = ImageDraw.Draw(lights)
    for fx in (0.08, 0.3, 0.7, 0.92):
        for k in range(6):
            ld.ellipse([w * fx - 30 + k * 12, h * 0.06, w * fx - 22 + k * 12, h * 0.06 + 8], fill=(255, 255, 240))
    img = glow(to_img(a), lights, 30, 3.0)
    return finish(img, rng, grain=0.012, vignette=0.4)


def train(rng, w, h):
    a = vgrad(h, w, (120, 130, 140), (180, 176, 168))
    img = to_img(a)
    d = ImageDraw.Draw(img)
    vx, vy = w * 0.86, h * 0.4
    # platform, canopy and the train in one-point perspective toward the right
    d.polygon([(0, h * 0.72), (vx, vy + 20), (vx, vy + 30), (0, h)], fill=(150, 148, 144))
    d.polygon([(0, 0), (vx, vy - 90), (w, vy - 90), (w, 0)], fill=(96, 100, 108))
    body = [(0, h * 0.12), (vx, vy - 40), (vx, vy + 22), (0, h * 0.76)]
    d.polygon(body, fill=(226, 230, 232))
    d.polygon([(0, h * 0.52), (vx, vy + 6), (vx, vy + 12), (0, h * 0.58)], fill=(200, 40, 44))
    for i in range(18):  # windows shrinking toward the vanishing point
        t0, t1 = (i / 18) ** 0.6, ((i + 0.7) / 18) ** 0.6

        def at(t, frac):
            x = vx * t
            top = h * 0.12 + (vy - 40 - h * 0.12) * t
            bot = h * 0.76 + (vy + 22 - h * 0.76) * t
            return x, top + (bot - top) * frac

        p = [at(t0, 0.18), at(t1, 0.18), at(t1, 0.45), at(t0, 0.45)]
        d.polygon(p, fill=(40, 52, 64))
        if i % 4 == 1:
            d.polygon([at(t0, 0.15), at(t1, 0.15), at(t1, 0.85), at(t0, 0.85)], fill=(150, 156, 160), outline=(90, 94, 98))
    d.line([(0, h * 0.985), (vx, vy + 30)], fill=(230, 200, 60), width=8)  # platform edge line
    people(rng, img, h * 0.8, h * 0.99, 6, scale=h / 700)
    lights = Image.new("RGB", (w, h), 0)
    ld = ImageDraw.Draw(lights)
    for i in range(1, 12):
        t = (i / 12) ** 0.7
        x = vx * t
        y = h * 0.04 + (vy - 95 - h * 0.04) * t
        ld.rectangle([x - 40 * (1 - t) - 4, y - 3, x + 40 * (1 - t) + 4, y + 4 * (1 - t) + 2], fill=(255, 250, 235))
    a = to_arr(img) * (0.95 + 0.1 * noise(rng, w, h, 40, 4))[..., None]
    img = glow(to_img(a), lights, 20, 1.5)
    return finish(img, rng, grain=0.012, vignette=0.4)


def lab(rng, w, h):
    a = vgrad(h, w, (190, 206, 216), (150, 164, 176))
    img = to_img(a)
    d = ImageDraw.Draw(img)
    d.rectangle([0, h * 0.58, w, h], fill=(120, 130, 138))
    for k, y in enumerate((0.5, 0.62, 0.78)):  # benches with equipment, nearer is larger
        s = 0.6 + k * 0.35
        yy = h * y
        d.rectangle([0, yy, w, yy + 26 * s], fill=(230, 232, 234))
        d.rectangle([0, yy + 26 * s, w, yy + 120 * s], fill=(80, 92, 104))
        x = rng.integers(0, 60)
        while x < w:
            bw = int(rng.integers(60, 160) * s)
            bh = int(rng.integers(40, 130) * s)
            col = (int(rng.integers(180, 240)),) * 3 if rng.random() < 0.6 else (60, 70, 80)
            d.rectangle([x, yy - bh, x + bw, yy], fill=col, outline=(110, 116, 120))
            if rng.random() < 0.5:
                d.rectangle([x + 8, yy - bh + 8, x + bw - 8, yy - bh * 0.4], fill=(20, 60, 90))
            x += bw + int(rng.integers(10, 60) * s)
    people(rng, img, h * 0.7, h * 0.95, 3, scale=h / 600)
    lights = Image.new("RGB", (w, h), 0)
    ld = ImageDraw.Draw(lights)
    for x in range(40, w, 180):
        ld.rectangle([x, 10, x + 110, 22], fill=(230, 244, 255))
    for _ in range(30):  # status LEDs and screen glints
        x, y = rng.integers(0, w), rng.integers(int(h * 0.3), int(h * 0.8))
        ld.ellipse([x, y, x + 4, y + 4], fill=(60, 255, 140) if rng.random() < 0.6 else (80, 160, 255))
    a = to_arr(img) * (0.95 + 0.1 * noise(rng, w, h, 30, 4))[..., None]
    return finish(glow(to_img(a), lights, 14, 1.0), rng, grain=0.012)


def trees(rng, a, y0, y1, n, palette, fruit=None):
    """Round tree crowns built from many leaf blobs, shaded from the upper left."""
    h, w = a.shape[:2]
    img = to_img(a)
    d = ImageDraw.Draw(img)
    for i in range(n):
        y = y0 + (y1 - y0) * (i / n) ** 0.8 + rng.uniform(-10, 10)
        s = 0.3 + 1.2 * (y - y0) / max(1, y1 - y0)
        x = rng.uniform(-40, w + 40)
        r = 60 * s
        d.rectangle([x - 4 * s, y - r * 0.2, x + 4 * s, y + r * 0.9], fill=(70, 52, 40))
        for _ in range(int(40 * s) + 8):
            ox, oy = rng.normal(0, r * 0.45), rng.normal(-r * 0.4, r * 0.35)
            lr = rng.uniform(0.15, 0.35) * r
            light = 0.7 + 0.5 * (-(ox + oy) / (2 * r)) + rng.uniform(-0.1, 0.1)
            base = palette[rng.integers(len(palette))]
            c = tuple(int(min(255, max(0, v * light))) for v in base)
            d.ellipse([x + ox - lr, y + oy - lr, x + ox + lr, y + oy + lr], fill=c)
            if fruit and rng.random() < 0.35:
                fr = 5 * s
                fx, fy = x + ox + rng.uniform(-lr, lr), y + oy + rng.uniform(-lr, lr)
                d.ellipse([fx - fr, fy - fr, fx + fr, fy + fr], fill=fruit)
    return to_arr(img)


def park(rng, w, h):
    a = vgrad(h, w, (140, 176, 214), (220, 228, 232))
    horizon = int(h * 0.5)
    a = city_blocks(rng, a, horizon, 2, lit=0.0, tall=0.9)
    grass = np.array([96, 140, 70], np.float32) / 255 * (0.75 + 0.45 * noise(rng, w, h, 120, 4))[..., None]
    below = (np.arange(h)[:, None] >= horizon).astype(np.float32)
    a = a * (1 - below[..., None]) + grass * below[..., None]
    path = mask_of(w, h, lambda d: d.polygon([(w * 0.47, horizon), (w * 0.53, horizon), (w * 0.8, h), (w * 0.2, h)], fill=255), blur=2)
    a = blend(a, (196, 184, 160), path * (0.85 + 0.15 * noise(rng, w, h, 200, 2)))
    a = trees(rng, a, horizon - 30, h * 0.9, 26, [(70, 110, 50), (150, 140, 50), (200, 160, 40), (90, 120, 60)])
    img = to_img(a)
    people(rng, img, horizon + 40, h * 0.95, 8, scale=h / 800)
    return finish(img, rng, grain=0.012, vignette=0.3)


def orchard(rng, w, h):
    a = vgrad(h, w, (170, 196, 220), (226, 226, 214))
    horizon = int(h * 0.38)
    for k, col in enumerate([(130, 146, 150), (86, 110, 80)]):
        ys = hills(rng, w, h, horizon + k * 20, h * (0.2 - k * 0.06), 2 + k * 2)
        m = fill_below(w, h, ys)
        tex = (0.8 + 0.3 * noise(rng, w, h, 50, 4))[..., None]
        a = a * (1 - m[..., None]) + np.array(col, np.float32) / 255 * tex * m[..., None]
    a = trees(rng, a, horizon + 30, h * 1.05, 60, [(50, 96, 40), (64, 112, 46), (40, 80, 36)], fruit=(236, 140, 30))
    img = to_img(a)
    people(rng, img, h * 0.75, h * 0.95, 3, scale=h / 700)
    return finish(img, rng, grain=0.012)


def port(rng, w, h, ship=False):
    a = vgrad(h, w, (150, 170, 196), (226, 220, 206))
    horizon = int(h * 0.62)
    ys = hills(rng, w, h, horizon - 6, h * 0.12, 3)
    m = fill_below(w, h, ys) * (np.arange(h)[:, None] < horizon + 4)
    a = a * (1 - m[..., None]) + np.array([128, 138, 140], np.float32) / 255 * m[..., None]
    img = to_img(a)
    d = ImageDraw.Draw(img)
    colours = [(180, 50, 40), (40, 90, 150), (220, 160, 40), (60, 120, 80), (200, 200, 196), (120, 60, 40)]
    if ship:
        hull_top = horizon - 40
        d.polygon([(w * 0.05, hull_top), (w * 0.95, hull_top), (w * 0.9, horizon + 30), (w * 0.1, horizon + 30)], fill=(40, 46, 60))
        d.rectangle([w * 0.05, hull_top + 30, w * 0.95, hull_top + 40], fill=(150, 40, 40))
        d.rectangle([w * 0.8, hull_top - 160, w * 0.9, hull_top], fill=(226, 226, 220))
        for r in range(4):
            for c in range(int(w * 0.08), int(w * 0.78), 48):
                d.rectangle([c, hull_top - (r + 1) * 26, c + 46, hull_top - r * 26 - 2], fill=colours[rng.integers(6)])
    else:
        for row in range(3):  # stacks of containers on the quay, nearer rows lower and larger
            s = 0.7 + row * 0.3
            base_y = horizon + 10 + row * 50
            x = -rng.integers(0, 40)
            while x < w:
                for tier in range(int(rng.integers(1, 5))):
                    c = colours[rng.integers(6)]
                    cw, ch = 90 * s, 26 * s
                    d.rectangle([x, base_y - (tier + 1) * ch, x + cw, base_y - tier * ch - 2], fill=c)
                    for rx in range(int(x), int(x + cw), max(3, int(5 * s))):  # corrugation
                        d.line([(rx, base_y - (tier + 1) * ch), (rx, base_y - tier * ch - 2)], fill=tuple(int(v * 0.8) for v in c))
                x += int(92 * s)
    for cx in (0.18, 0.46, 0.74) if not ship else (0.3, 0.6):  # gantry cranes
        X = w * cx
        top = h * 0.12
        d.rectangle([X - 8, top, X, horizon + 20], fill=(200, 70, 40))
        d.rectangle([X + 120, top, X + 128, horizon + 20], fill=(200, 70, 40))
        d.rectangle([X - 140, top, X + 260, top + 14], fill=(200, 70, 40))
        for k in range(0, 400, 20):
            d.line([(X - 140 + k, top + 14), (X - 130 + k, top)], fill=(170, 60, 36), width=2)
        d.line([(X + 60, top + 14), (X + 60, horizon - 60)], fill=(40, 40, 40), width=2)
    a = to_arr(img) * (0.95 + 0.1 * noise(rng, w, h, 40, 4))[..., None]
    a = water(rng, a, horizon + 40 if ship else horizon + 150, (60, 80, 96), ripple=8)
    return finish(to_img(a), rng, grain=0.012)


def old_street(rng, w, h):
    a = vgrad(h, w, (150, 180, 210), (220, 224, 226))
    img = to_img(a)
    d = ImageDraw.Draw(img)
    x = -20
    while x < w:
        bw = int(rng.integers(260, 420))
        top = int(h * rng.uniform(0.08, 0.25))
        wall = tuple(int(v) for v in rng.integers(170, 225, 3))
        d.rectangle([x, top, x + bw, h], fill=wall)
        for fy in range(top + 20, int(h * 0.85), 70):  # storeys: windows and balconies
            for fx in range(x + 20, x + bw - 50, 80):
                d.rectangle([fx, fy, fx + 44, fy + 40], fill=(70, 80, 90), outline=(240, 240, 236), width=3)
                if rng.random() < 0.4:
                    d.rectangle([fx - 6, fy + 40, fx + 50, fy + 50], fill=(120, 120, 116))
                    for k in range(0, 56, 8):
                        d.line([(fx - 6 + k, fy + 40), (fx - 6 + k, fy + 56)], fill=(110, 110, 106), width=2)
                if rng.random() < 0.15:  # laundry hung out to dry
                    d.rectangle([fx + 10, fy + 42, fx + 24, fy + 62], fill=tuple(int(v) for v in rng.integers(60, 240, 3)))
        if rng.random() < 0.6:  # new elevator shaft in glass
            ex = x + bw // 2 - 30
            d.rectangle([ex, top - 20, ex + 60, h], fill=(150, 180, 196), outline=(90, 100, 110), width=4)
            for gy in range(top, h, 40):
                d.line([(ex, gy), (ex + 60, gy)], fill=(110, 130, 140), width=2)
        x += bw + 10
    a = to_arr(img)
    a *= (0.95 + 0.1 * noise(rng, w, h, 60, 5))[..., None]
    a = trees(rng, a, h * 0.78, h * 1.05, 8, [(70, 110, 50), (110, 130, 50)])
    return finish(to_img(a), rng, grain=0.012)


def wetland(rng, w, h):
    a = vgrad(h, w, (170, 190, 210), (232, 226, 210))
    horizon = int(h * 0.45)
    ys = hills(rng, w, h, horizon, h * 0.1, 3)
    m = fill_below(w, h, ys) * (np.arange(h)[:, None] < horizon + 4)
    a = a * (1 - m[..., None]) + np.array([140, 150, 150], np.float32) / 255 * m[..., None]
    a = water(rng, a, horizon + 2, (110, 130, 136), ripple=4)
    img = to_img(a)
    d = ImageDraw.Draw(img)
    for _ in range(2600):  # reeds: thin bent strokes, denser and taller near the camera
        t = rng.random() ** 0.5
        y = horizon + 20 + (h - horizon) * t
        if rng.random() < 0.55 and t < 0.7:
            continue
        x = rng.uniform(0, w)
        ln = 30 + 160 * t
        bend = rng.normal(0, 0.25)
        c = tuple(int(v) for v in (np.array([196, 170, 110]) * rng.uniform(0.6, 1.1)))
        d.line([(x, y), (x + bend * ln, y - ln)], fill=c, width=max(1, int(3 * t)))
        if rng.random() < 0.4:
            d.ellipse([x + bend * ln - 3, y - ln - 12 * t, x + bend * ln + 3 * t + 3, y - ln + 2], fill=(220, 206, 180))
    for _ in range(14):  # egrets in flight
        bx, by = rng.uniform(0, w), rng.uniform(h * 0.1, h * 0.4)
        s = rng.uniform(0.6, 1.4)
        d.polygon([(bx - 18 * s, by - 6 * s), (bx, by), (bx + 18 * s, by - 6 * s), (bx, by + 4 * s)], fill=(250, 250, 246))
    return finish(img, rng, grain=0.012)


SPECS = [
    Spec("train", (W4, 1000), train),
    Spec("skyline", (W4 - 320, 1700), skyline),
    Spec("river-bridge", (W3, 860), lambda r, w, h: bridge(r, w, h)),
    Spec("bridge-fog", (1030, 740), lambda r, w, h: bridge(r, w, h, foggy=True), "png-grey16"),
    Spec("market", (W3, 880), market),
    Spec("stadium", (W3, 780), stadium),
    Spec("museum-hall", (W4, 900), lambda r, w, h: interior(r, w, h, warm=True, cases=True)),
    Spec("service-hall", (W3, 800), lambda r, w, h: interior(r, w, h, warm=False, cases=False)),
    Spec("lab", (W3, 800), lab),
    Spec("park", (W3, 780), park, "png-palette"),
    Spec("port", (W4, 960), port),
    Spec("harbour", (1030, 740), lambda r, w, h: port(r, w, h, ship=True), "jpeg-cmyk"),
    Spec("orchard", (W3, 820), orchard),
    Spec("old-street", (W3, 860), old_street),
    Spec("wetland", (W4, 900), wetland),
    Spec("workshop", (W3, 800), lambda r, w, h: interior(r, w, h, warm=False, cases=False)),
]


def blur_float(a: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur in float (Pillow's blur works on 8-bit images only)."""
    r = int(3 * sigma) + 1
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    pad = np.pad(a, r, mode="edge")
    rows = sum(k[i] * pad[:, i:i + a.shape[1]] for i in range(2 * r + 1))
    return sum(k[i] * rows[i:i + a.shape[0], :] for i in range(2 * r + 1))


def save(img: Image.Image, spec: Spec) -> Path:
    if spec.mode == "png-grey16":
        # A float blur of the grey image gives real in-between tones (not just 8-bit values x257);
        # fog is soft anyway, and a smooth image with 10 significant bits keeps the 16-bit PNG small.
        grey = blur_float(np.asarray(img.convert("L"), np.float32), 1.2)
        val = (np.clip(np.round(grey * 257 / 64), 0, 1023) * 64).astype(np.uint16)  # 10 bits: ample, and compact
        path = OUT / f"{spec.name}.png"
        Image.fromarray(val).save(path, optimize=True)
    elif spec.mode == "png-palette":
        path = OUT / f"{spec.name}.png"
        img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.FLOYDSTEINBERG).save(path, optimize=True)
    elif spec.mode == "jpeg-cmyk":
        path = OUT / f"{spec.name}.jpg"
        img.convert("CMYK").save(path, "JPEG", quality=85, dpi=(225, 225))
    else:
        path = OUT / f"{spec.name}.jpg"
        img.save(path, "JPEG", quality=85, optimize=True, dpi=(225, 225))
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for i, spec in enumerate(SPECS):
        rng = np.random.default_rng(20261201 + i)  # one seed per photo: each is reproducible alone
        img = spec.draw(rng, *spec.size)
        path = save(img, spec)
        print(f"{path.name:18} {spec.size[0]}x{spec.size[1]} {spec.mode:12} {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
