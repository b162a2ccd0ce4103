"""Photos for print: load, crop to the frame around a focus point, resample to the target
resolution, separate to CMYK (or grey on mono pages) within the ink limit, and embed in a
reportlab canvas as DeviceCMYK / DeviceGray JPEG without passing through RGB.

Colour: with a shop ICC profile (print profile `icc_profile`) RGB photos are converted through
it with Pillow's ImageCms (perceptual intent, from the photo's own profile or sRGB). Without one
the built-in separation below is used. CMYK photos are separated again the same way, from their
naive RGB (R = (1 − C)(1 − K)) or, with a shop profile, from their own embedded CMYK profile: a
CMYK file made for another press (or with no K channel at all) otherwise keeps its heavy C, M, Y
shadows, merely scaled under the ink limit. It is an approximation, not a characterised newsprint
conversion:
  1. C', M', Y' = 1 − R, G, B (no dot-gain compensation);
  2. grey-component replacement: black starts at 20 % grey and reaches the shadow limit at full
     grey (smoothstep); 80 % of the black is taken out of C', M', Y';
  3. every plate is clamped: dots below the highlight minimum (3 %) are raised to it (tiny dots
     do not hold on newsprint), dots above the shadow maximum (95 %) are cut to it;
  4. where C + M + Y + K is above the ink limit, C, M and Y are scaled down (K is kept, so
     shadows keep their detail).
After JPEG encoding the result is decoded and checked again (JPEG ringing can add a few percent
at edges); if any pixel is within 2 % of the limit or above it, the image is separated again with
a larger margin.

Prepared photos are kept on disk by ImageCache (the build's default: $LAYOUT_CACHE/images, else
~/.cache/layout/images; LAYOUT_CACHE=off turns it off), so a rebuild reuses the final JPEG bytes.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hashlib
import io
import json
import math
import os
import signal
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps

from layout.cache import cache_root
from layout.diagnostics import Diagnostic, Location, Severity
from layout.printprofile import PrintProfile

BLACK_START = 0.20  # grey level where GCR black starts
UCR_SHARE = 0.80  # share of the black taken out of C, M, Y
NEAR_WHITE = 0.005  # below this a plate is paper white (no highlight clamp)
DECODER_ROOM_PCT = 2.0  # the decoded JPEG stays this far under the ink limit


@dataclass(frozen=True, eq=False)
class PreparedImage:
    key: str  # deterministic digest of (file, placed size, focus, mono, profile)
    image: Image.Image  # 'CMYK'; 'L' on mono pages and for grey sources; pixels at the final size
    effective_ppi: float  # of the source at the placed size, before any downsampling
    diagnostics: list[Diagnostic] = field(default_factory=list)
    data: bytes = b""  # the JPEG embedded in the PDF (encoded once, shared by all pages)
    width_pt: float = 0.0
    height_pt: float = 0.0
    source: str = ""

    @property
    def mono(self) -> bool:
        return self.image.mode == "L"

    @property
    def final_ppi(self) -> float:
        return self.image.width / (self.width_pt / 72.0) if self.width_pt else 0.0


# --- loading and normalising --------------------------------------------------------------------


def _flatten(img: Image.Image, mode: str) -> Image.Image:
    """Composite an image with alpha onto white paper."""
    rgba = img.convert("LA" if mode == "L" else "RGBA")
    base = Image.new(mode, img.size, 255 if mode == "L" else (255, 255, 255))
    base.paste(rgba.convert(mode), mask=rgba.getchannel("A"))
    return base


def _normalise(img: Image.Image) -> Image.Image:
    """Any Pillow mode to 'RGB', 'L' or 'CMYK' (8 bits per channel)."""
    mode = img.mode
    if mode in ("RGB", "L", "CMYK"):
        return img
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        arr = np.asarray(img, dtype=np.float64)
        # 16-bit data scaled by 257 (65535 -> 255); 'I' images within 0..255 are kept as they are.
        scale = 257.0 if (mode != "I" or arr.max(initial=0) > 255) else 1.0
        return Image.fromarray(np.clip(np.rint(arr / scale), 0, 255).astype(np.uint8), "L")
    if mode == "F":
        arr = np.asarray(img, dtype=np.float64)
        top = 1.0 if arr.max(initial=0) <= 1.0 else 255.0
        return Image.fromarray(np.clip(np.rint(arr / top * 255), 0, 255).astype(np.uint8), "L")
    if mode == "1":
        return img.convert("L")
    if mode == "P":
        has_alpha = "transparency" in img.info or img.palette.mode == "RGBA"
        return _flatten(img.convert("RGBA"), "RGB") if has_alpha else img.convert("RGB")
    if mode in ("LA", "La", "PA"):
        return _flatten(img, "L" if mode != "PA" else "RGB")
    if mode in ("RGBA", "RGBa"):
        return _flatten(img, "RGB")
    return img.convert("RGB")  # RGBX, YCbCr, LAB, HSV


def _crop_box(size: tuple[int, int], aspect: float, focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest box of the frame's aspect (w/h) inside the image, centred on the focus
    point as far as the edges allow."""
    w, h = size
    fx = min(max(focus[0], 0.0), 1.0)
    fy = min(max(focus[1], 0.0), 1.0)
    if w / h > aspect:
        cw, ch = max(1, round(h * aspect)), h
    else:
        cw, ch = w, max(1, round(w / aspect))
    left = min(max(round(fx * w - cw / 2), 0), w - cw)
    top = min(max(round(fy * h - ch / 2), 0), h - ch)
    return (left, top, left + cw, top + ch)


# --- separation -----------------------------------------------------------------------------------


def _smoothstep(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    t = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3 - 2 * t)


# The pixel maths works on separate channel planes (h × w each): numpy reduces across a short
# last axis slowly, and plane arithmetic is several times faster on large photos.
Planes = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _clamp_tones(ch: np.ndarray, profile: PrintProfile) -> np.ndarray:
    lo, hi = profile.highlight_pct / 100, profile.shadow_pct / 100
    out = np.where(ch <= NEAR_WHITE, 0.0, np.maximum(ch, lo))
    return np.minimum(out, hi, dtype=np.float32)


def _separate_planes(r: np.ndarray, g: np.ndarray, b: np.ndarray, profile: PrintProfile) -> Planes:
    c, m, y = 1.0 - r, 1.0 - g, 1.0 - b
    grey = np.minimum(np.minimum(c, m), y)
    k = (profile.shadow_pct / 100) * _smoothstep(grey, BLACK_START, 1.0)
    ucr = UCR_SHARE * k
    return (np.maximum(c - ucr, 0.0), np.maximum(m - ucr, 0.0), np.maximum(y - ucr, 0.0), k)


def _finish_planes(planes: Planes, profile: PrintProfile, margin_pct: float) -> list[np.ndarray]:
    """Tone clamps and ink limit; returns four uint8 planes of ink values (255 = solid)."""
    return _limit_planes(tuple(_clamp_tones(p, profile) for p in planes), profile, margin_pct)


def _limit_planes(planes: Planes, profile: PrintProfile, margin_pct: float) -> list[np.ndarray]:
    """The ink limit on tone-clamped planes; four uint8 planes of ink values (255 = solid)."""
    c, m, y, k = planes
    limit = (profile.ink_limit - margin_pct) / 100
    s = c + m + y
    room = np.maximum(limit - k, 0.0)
    # Scale C, M, Y where the total is above the limit (K is kept: shadows keep their detail);
    # only those pixels (few in most photos) pay for the division.
    over = s > room
    factor = np.full(s.shape, np.float32(255), dtype=np.float32)
    factor[over] = (room[over] / np.maximum(s[over], 1e-9)).astype(np.float32) * np.float32(255)
    # C, M, Y rounded down, so that quantising never pushes a pixel over the limit.
    out = [np.floor(plane * factor + np.float32(1e-4)).astype(np.uint8) for plane in (c, m, y)]
    out.append(np.rint(k * np.float32(255)).astype(np.uint8))
    return out


def _gcr_tables(profile: PrintProfile) -> tuple[np.ndarray, np.ndarray]:
    """The built-in separation of 8-bit RGB as lookup tables, tone clamps included: K by the
    pixel's max(R, G, B) (its grey component is 1 - max), and C (M, Y) by (R (G, B), max) in
    one flat 256 × 256 table. The same float32 operations as _separate_planes on the same 256
    input levels, so the tables give exactly its values, for a few lookups a pixel instead of
    a dozen array passes."""
    level = np.arange(256, dtype=np.float32) * np.float32(1 / 255)  # as _planes reads a channel
    ink = 1.0 - level  # C' for a channel level; the grey component for a max(R, G, B) level
    k = (profile.shadow_pct / 100) * _smoothstep(ink, BLACK_START, 1.0)
    cmy = np.maximum(ink[:, None] - UCR_SHARE * k[None, :], 0.0)
    return _clamp_tones(k, profile), _clamp_tones(cmy, profile).ravel()


def _separate_rgb8(img: Image.Image, profile: PrintProfile) -> Planes:
    """Tone-clamped C, M, Y, K planes of an 8-bit 'RGB' image by the built-in separation."""
    k_table, cmy_table = _gcr_tables(profile)
    r, g, b = (np.asarray(ch) for ch in img.split())
    top = np.maximum(np.maximum(r, g), b)
    col = top.astype(np.uint16)
    c, m, y = (cmy_table.take((ch.astype(np.uint16) << 8) | col) for ch in (r, g, b))
    return (c, m, y, k_table.take(top))


@dataclass(frozen=True)
class _InkTables:
    """The built-in separation of 8-bit RGB straight to the uint8 ink values _limit_planes writes,
    for the pixels the ink limit leaves alone, and a test that finds every pixel it may not.

    C (M, Y) = cmy[max * 256 + channel] and K = k[max]: _gcr_tables' values put through
    _limit_planes' own float32 rounding (factor 255), so equal to it bit for bit. The limit scales
    a pixel when C + M + Y > room(K); the channel with the least value carries the most ink, so
    C + M + Y is at most three times its ink, in float32 too (rounding to nearest is monotonic).
    `maybe_over[max * 256 + min]` says where that bound passes the room: only those pixels (few:
    dark, saturated colours) go through the float maths of _limit_planes."""

    k_float: np.ndarray  # 256 tone-clamped K fractions, by max(R, G, B)
    cmy_float: np.ndarray  # 65536 tone-clamped C' fractions, by max * 256 + channel
    k: np.ndarray  # uint8 by max
    cmy: np.ndarray  # uint8 by max * 256 + channel
    maybe_over: np.ndarray  # bool by max * 256 + min

    @staticmethod
    def of(profile: PrintProfile, margin_pct: float) -> _InkTables:
        k_float, by_channel = _gcr_tables(profile)
        cmy_float = by_channel.reshape(256, 256).T.ravel().copy()  # index max * 256 + channel
        k8 = np.rint(k_float * np.float32(255)).astype(np.uint8)
        cmy8 = np.floor(cmy_float * np.float32(255) + np.float32(1e-4)).astype(np.uint8)
        room = np.maximum((profile.ink_limit - margin_pct) / 100 - k_float, 0.0)
        most = cmy_float + cmy_float + cmy_float  # float32, added left to right as c + m + y is
        maybe_over = most > np.repeat(room, 256)
        return _InkTables(k_float, cmy_float, k8, cmy8, maybe_over)


STRIP_PIXELS = 1 << 16  # pixels separated at a time: the working arrays stay small (and in cache)


def _rgb8_inks(img: Image.Image, tables: _InkTables, profile: PrintProfile, margin_pct: float,
               out: list[np.ndarray]) -> None:
    """uint8 C, M, Y, K of an 8-bit 'RGB' image into the four h × w planes `out`, equal to
    _limit_planes(_separate_rgb8(...)) bit for bit, a strip of pixels at a time (flat arrays:
    numpy's 2-D nonzero and strided channel views cost more than the lookups)."""
    chans = [np.asarray(ch).reshape(-1) for ch in img.split()]
    flat = [plane.reshape(-1) for plane in out]
    n = chans[0].size
    base = np.empty(min(n, STRIP_PIXELS), np.intp)
    idx = np.empty_like(base)
    for p0 in range(0, n, STRIP_PIXELS):
        p1 = min(n, p0 + STRIP_PIXELS)
        r, g, b = (ch[p0:p1] for ch in chans)
        top = np.maximum(np.maximum(r, g), b)
        at, ix = base[:p1 - p0], idx[:p1 - p0]
        np.left_shift(top, 8, out=at, dtype=np.intp)
        for plane, ch in zip(flat, (r, g, b), strict=False):
            np.add(at, ch, out=ix)
            tables.cmy.take(ix, out=plane[p0:p1])
        tables.k.take(top, out=flat[3][p0:p1])
        np.add(at, np.minimum(np.minimum(r, g), b), out=ix)
        maybe = np.flatnonzero(tables.maybe_over.take(ix))
        if maybe.size == 0:
            continue
        # The few pixels the ink limit may scale: _limit_planes on exactly the values it is given.
        sel = at[maybe]
        planes = tuple(tables.cmy_float.take(sel + ch[maybe]) for ch in (r, g, b)) + \
            (tables.k_float.take(top[maybe]),)
        for plane, limited in zip(flat, _limit_planes(planes, profile, margin_pct), strict=True):
            plane[p0 + maybe] = limited


def _ink_planes(img: Image.Image, profile: PrintProfile, margin_pct: float) -> list[np.ndarray]:
    """An 'RGB', 'L' or 'CMYK' image as four uint8 planes of print-ready ink values (255 = solid),
    worked out a strip of rows at a time (a photo's float planes would hold ~40 bytes a pixel)."""
    w, h = img.size
    out = [np.empty((h, w), np.uint8) for _ in range(4)]
    if img.mode == "RGB" and profile.icc_profile is None:
        _rgb8_inks(img, _InkTables.of(profile, margin_pct), profile, margin_pct, out)
        return out
    # Colour-managed photos are converted whole (one transform); the tone clamps and the ink
    # limit, pixel by pixel, then go strip by strip.
    src, separate = img, _clamped_planes
    if profile.icc_profile is not None and img.mode != "L":
        src, separate = _managed(img, profile), _clamped_inks
    rows = max(1, STRIP_PIXELS // max(w, 1))
    for y0 in range(0, h, rows):
        strip = src.crop((0, y0, w, min(h, y0 + rows)))
        for plane, limited in zip(out, _limit_planes(separate(strip, profile), profile, margin_pct), strict=True):
            plane[y0:y0 + rows] = limited
    return out


def _managed(img: Image.Image, profile: PrintProfile) -> Image.Image:
    """A photo as 8-bit CMYK for the shop's press, through its ICC profile (see _reseparated)."""
    if img.mode == "CMYK" and not img.info.get("icc_profile"):
        planes = _cmyk_as_rgb(img)
        img = Image.merge("RGB", [Image.fromarray(np.rint(p * 255).astype(np.uint8)) for p in planes])
    return _icc_transform(img, profile, "CMYK")


def _clamped_inks(img: Image.Image, profile: PrintProfile) -> Planes:
    return tuple(_clamp_tones(p, profile) for p in _planes(img))


def _merge(planes: list[np.ndarray]) -> Image.Image:
    return Image.merge("CMYK", [Image.fromarray(p) for p in planes])


def separate_rgb(rgb: np.ndarray, profile: PrintProfile) -> np.ndarray:
    """Built-in RGB (floats 0..1, shape h×w×3) to CMYK fractions (h×w×4) with GCR, before the
    tone clamps and the ink limit (see the module doc)."""
    return np.stack(_separate_planes(rgb[..., 0], rgb[..., 1], rgb[..., 2], profile), axis=-1)


def finish_cmyk(cmyk: np.ndarray, profile: PrintProfile, margin_pct: float) -> np.ndarray:
    """Tone clamps and ink limit on CMYK fractions (h×w×4); returns uint8 0..255 ink values."""
    return np.stack(_finish_planes(tuple(cmyk[..., i] for i in range(4)), profile, margin_pct), axis=-1)


def _planes(img: Image.Image) -> list[np.ndarray]:
    return [np.asarray(ch, dtype=np.float32) * np.float32(1 / 255) for ch in img.split()]


def _icc_transform(img: Image.Image, profile: PrintProfile, out_mode: str) -> Image.Image:
    src = None
    if img.info.get("icc_profile"):
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(img.info["icc_profile"]))
        except (OSError, ImageCms.PyCMSError):
            src = None  # a broken embedded profile: assume sRGB like a browser would
    if src is None:
        src = ImageCms.createProfile("sRGB") if img.mode == "RGB" else None
    if src is None:
        return img
    dst = ImageCms.ImageCmsProfile(str(profile.icc_profile))
    return ImageCms.profileToProfile(
        img, src, dst, renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode=out_mode
    )


def _cmyk_as_rgb(img: Image.Image) -> Planes:
    """A CMYK image's colour as R, G, B fractions by the naive inverse R = (1 − C)(1 − K): what
    the separation was made from, up to the unknown press it was made for."""
    c, m, y, k = _planes(img)
    paper = 1.0 - k
    return ((1.0 - c) * paper, (1.0 - m) * paper, (1.0 - y) * paper)


def _reseparated(img: Image.Image, profile: PrintProfile) -> Planes:
    """A CMYK photo separated again for this press. A delivered separation was made for some other
    condition (a magazine's 300 % or more, or none at all: CMY with no K channel), so it gets the
    same treatment as an RGB photo: with a shop ICC profile, through it (from the photo's own
    CMYK profile when it has one, else from its naive RGB as sRGB); without one, the built-in
    GCR of its naive RGB (see the module doc), so greys and shadows move onto the K plate."""
    if profile.icc_profile is not None:
        if img.info.get("icc_profile"):
            return tuple(_planes(_icc_transform(img, profile, "CMYK")))
        rgb = Image.merge("RGB", [Image.fromarray(np.rint(p * 255).astype(np.uint8)) for p in _cmyk_as_rgb(img)])
        return tuple(_planes(_icc_transform(rgb, profile, "CMYK")))
    return _separate_planes(*_cmyk_as_rgb(img), profile)


def _clamped_planes(img: Image.Image, profile: PrintProfile) -> Planes:
    """An 'RGB', 'L' or 'CMYK' image as tone-clamped C, M, Y, K fractions (before the ink limit)."""
    if img.mode == "RGB" and profile.icc_profile is None:
        return _separate_rgb8(img, profile)
    if img.mode == "CMYK":
        planes = _reseparated(img, profile)
    elif img.mode == "L":
        k = 1.0 - _planes(img)[0]
        zero = np.zeros_like(k)
        planes = (zero, zero, zero, k)
    else:
        planes = tuple(_planes(_icc_transform(img, profile, "CMYK")))
    return tuple(_clamp_tones(p, profile) for p in planes)


def to_cmyk(img: Image.Image, profile: PrintProfile, margin_pct: float = 2.0) -> Image.Image:
    """An 'RGB', 'L' or 'CMYK' image to print-ready CMYK pixels."""
    return _merge(_ink_planes(img, profile, margin_pct))


def to_grey(img: Image.Image, profile: PrintProfile) -> Image.Image:
    """For mono pages: luminance to a K-only grey image (mode 'L', 255 = paper)."""
    if img.mode == "CMYK":
        img = img.convert("RGB")  # Pillow's naive inverse; approximate, fine for a grey rendering
    return img.convert("L").point(_grey_table(profile))


def _grey_table(profile: PrintProfile) -> list[int]:
    """The grey rendering of each luminance level: K = 1 − L, tone-clamped, back to paper-relative
    grey; the float32 maths of a plane on the 256 levels, so a lookup gives exactly its values."""
    level = np.arange(256, dtype=np.uint8).reshape(1, 256)
    k = _clamp_tones(1.0 - _planes(Image.fromarray(level, "L"))[0], profile)
    return np.rint((1.0 - k) * 255).astype(np.uint8).ravel().tolist()


# --- the whole step ---------------------------------------------------------------------------------


def _encode(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=False, progressive=False)
    return buf.getvalue()


def _max_ink(data: bytes) -> float:
    c, m, y, k = (np.asarray(ch) for ch in Image.open(io.BytesIO(data)).split())
    total = np.add(c, m, dtype=np.uint16)  # summed in place: no uint16 copy of each plane
    total += y
    total += k
    return float(total.max(initial=0)) / 255 * 100


def _ppi_diagnostics(ppi: float, path: Path, profile: PrintProfile) -> list[Diagnostic]:
    loc = Location(file=str(path))
    if ppi < profile.min_ppi:
        return [Diagnostic("IMAGE-LOW-PPI", Severity.ERROR,
                           f"{path.name}: {ppi:.0f} ppi at the placed size, below the minimum {profile.min_ppi:.0f}",
                           location=loc, hint="use a larger original or place the photo smaller")]
    if ppi < profile.target_ppi:
        return [Diagnostic("IMAGE-BELOW-TARGET-PPI", Severity.WARNING,
                           f"{path.name}: {ppi:.0f} ppi at the placed size, below the target {profile.target_ppi:.0f}",
                           location=loc)]
    return []


def placed_ppi_diagnostics(path, width_pt: float, height_pt: float, *, focus=(0.5, 0.5),
                           profile: PrintProfile) -> list[Diagnostic]:
    """IMAGE-LOW-PPI / IMAGE-BELOW-TARGET-PPI of a photo at its placed size, from the file's
    header only (no pixels decoded): what prepare_photo reports, for `layout check`, which lays
    out but prepares nothing. The same crop box and pixel count as prepare_photo."""
    path = Path(path)
    with Image.open(path) as img:
        full_w, full_h = img.size
        if img.getexif().get(0x0112, 1) in (5, 6, 7, 8):
            full_w, full_h = full_h, full_w
    box = _crop_box((full_w, full_h), width_pt / height_pt, focus)
    return _ppi_diagnostics((box[2] - box[0]) / (width_pt / 72.0), path, profile)


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def photo_key(digest: str, width_pt: float, height_pt: float, focus, profile: PrintProfile, mono: bool) -> str:
    parts = (digest, round(width_pt, 3), round(height_pt, 3), round(focus[0], 4), round(focus[1], 4), mono,
             profile.digest_fields())
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def prepare_photo(path, width_pt: float, height_pt: float, *, focus=(0.5, 0.5), profile: PrintProfile,
                  mono: bool = False, digest: str | None = None) -> PreparedImage:
    """A photo ready to place in a width_pt × height_pt frame (see the module doc)."""
    path = Path(path)
    if width_pt <= 0 or height_pt <= 0:
        raise ValueError(f"photo frame must have a positive size, got {width_pt} × {height_pt} pt")
    raw = path.read_bytes()
    digest = digest or hashlib.sha256(raw).hexdigest()
    img = Image.open(io.BytesIO(raw))
    orientation = img.getexif().get(0x0112, 1)
    full_w, full_h = img.size
    if orientation in (5, 6, 7, 8):
        full_w, full_h = full_h, full_w
    box = _crop_box((full_w, full_h), width_pt / height_pt, focus)
    effective_ppi = (box[2] - box[0]) / (width_pt / 72.0)
    target = None
    if effective_ppi > profile.max_ppi:
        target = (max(1, round(width_pt / 72.0 * profile.target_ppi)),
                  max(1, round(height_pt / 72.0 * profile.target_ppi)))
        if img.format == "JPEG":
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the photo is far larger than needed.
            scale = target[0] / (box[2] - box[0])
            img.draft(img.mode, (max(1, int(img.width * scale)), max(1, int(img.height * scale))))
    icc = img.info.get("icc_profile")
    if orientation != 1:  # (exif_transpose copies an upright photo: 2-3 ms for nothing)
        img = ImageOps.exif_transpose(img)
    img = _normalise(img)
    if icc and "icc_profile" not in img.info:
        img.info["icc_profile"] = icc
    # The crop box in the (possibly draft-reduced) image's pixels.
    sx, sy = img.width / full_w, img.height / full_h
    fbox = (box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy)
    if target is not None:
        img2 = img.resize(target, Image.Resampling.LANCZOS, box=fbox, reducing_gap=3.0)
    else:
        img2 = img.crop(tuple(round(v) for v in fbox))
    img2.info = dict(img.info)

    if mono or img2.mode == "L":
        # Grey sources stay grey on colour pages too: DeviceGray prints on the K plate only.
        final = to_grey(img2, profile)
        data = _encode(final, profile.jpeg_quality)
    else:
        margin = 2.0
        for _ in range(4):
            final = to_cmyk(img2, profile, margin)
            data = _encode(final, profile.jpeg_quality)
            # 2 % of room for other JPEG decoders (a RIP's IDCT may round differently from libjpeg).
            over = _max_ink(data) - (profile.ink_limit - DECODER_ROOM_PCT)
            if over <= 0:
                break
            margin += over + 2.0  # JPEG ringing pushed some pixels over: separate with more room
    key = photo_key(digest, width_pt, height_pt, focus, profile, mono)
    return PreparedImage(key=key, image=final, effective_ppi=effective_ppi,
                         diagnostics=_ppi_diagnostics(effective_ppi, path, profile), data=data,
                         width_pt=width_pt, height_pt=height_pt, source=str(path))


# --- the persistent cache ---------------------------------------------------------------------------

CACHE_MAGIC = b"layout-prepared-image 1\n"


def _code_version() -> str:
    """What else decides the bytes: this module's code (the separation) and Pillow's encoder."""
    import PIL

    return hashlib.sha256(Path(__file__).read_bytes() + PIL.__version__.encode()).hexdigest()[:16]


class ImageCache:
    """Prepared photos on disk, so a rebuild loads the final JPEG bytes instead of separating the
    photo again. One file per entry (a header line, a JSON line of metadata, the JPEG), written to
    a temporary name and renamed, so a reader never sees half an entry. An entry that does not
    read back exactly (another version, a foreign or damaged file) is treated as missing. The cache
    is only an optimisation: failing to read or write it never fails a build."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.version = _code_version()

    @staticmethod
    def default() -> ImageCache | None:
        """The images/ folder of the build cache (layout.cache.cache_root); None when it is off."""
        root = cache_root()
        return None if root is None else ImageCache(root / "images")

    def _path(self, key: str) -> Path:
        name = hashlib.sha256(f"{key}:{self.version}".encode()).hexdigest()[:32]
        return self.folder / name[:2] / f"{name}.img"

    def load(self, key: str, path: Path, profile: PrintProfile) -> PreparedImage | None:
        try:
            blob = self._path(key).read_bytes()
        except OSError:
            return None
        if not blob.startswith(CACHE_MAGIC):
            return None
        head, sep, data = blob[len(CACHE_MAGIC):].partition(b"\n")
        try:
            meta = json.loads(head)
            if not sep or not isinstance(meta, dict) or meta.get("key") != key or meta.get("version") != self.version:
                return self._drop(key)
            if meta.get("sha256") != hashlib.sha256(data).hexdigest() or meta.get("length") != len(data):
                return self._drop(key)
            image = Image.open(io.BytesIO(data))  # lazy: reads the header, decodes on demand
            if image.format != "JPEG" or image.mode != meta["mode"] or list(image.size) != meta["size"]:
                return self._drop(key)
            numbers = [meta["effective_ppi"], meta["width_pt"], meta["height_pt"]]
            # Types and ranges too: a value that merely parses (a bool, a string, NaN) is not a size.
            if any(type(v) not in (int, float) or not math.isfinite(v) or v <= 0 for v in numbers) \
                    or image.mode not in ("CMYK", "L"):
                return self._drop(key)
            ppi, width_pt, height_pt = (float(v) for v in numbers)
        except (ValueError, KeyError, TypeError, OSError, SyntaxError):
            return self._drop(key)
        # The diagnostics are made again: they name the photo by its current path.
        return PreparedImage(key=key, image=image, effective_ppi=ppi, diagnostics=_ppi_diagnostics(ppi, path, profile),
                             data=data, width_pt=width_pt, height_pt=height_pt, source=str(path))

    def _drop(self, key: str) -> None:
        """Delete a damaged entry (the photo is prepared again and stored in its place); None."""
        with contextlib.suppress(OSError):
            self._path(key).unlink()

    def store(self, prepared: PreparedImage) -> None:
        meta = {"key": prepared.key, "version": self.version, "mode": prepared.image.mode,
                "size": list(prepared.image.size), "effective_ppi": prepared.effective_ppi,
                "width_pt": prepared.width_pt, "height_pt": prepared.height_pt,
                "length": len(prepared.data), "sha256": hashlib.sha256(prepared.data).hexdigest()}
        target = self._path(prepared.key)
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=target.parent, prefix=".tmp-", delete=False) as f:
                tmp = Path(f.name)
                f.write(CACHE_MAGIC + json.dumps(meta, sort_keys=True).encode() + b"\n" + prepared.data)
            os.replace(tmp, target)
            tmp = None
        except OSError:
            pass  # a read-only or full disk: the build goes on without caching
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class PhotoRequest:
    """One photo to prepare: its file, placed size, focus point and whether its page is mono."""

    path: Path
    width_pt: float
    height_pt: float
    focus: tuple[float, float] = (0.5, 0.5)
    mono: bool = False


class PhotoPrefetch:
    """Photos prepared into the build cache by a forked child while the pages are still being laid
    out (pagination is one process's work, so the second core is otherwise idle then): pagination
    sends each laid-out page group's photos (`send`), the child prepares them in that order and
    stores each in the ImageCache, and the output stage (`ImageStore.prepare_many`, `drain`) takes
    over what is left, from the other end, and finds every photo in the cache. A photo is claimed
    (a file made with O_EXCL in a folder of this prefetch's) by whichever process starts it, so
    none is prepared twice. The child works only through the cache: one that fails or is killed
    leaves photos missing there, which the output stage prepares as it would without it; the bytes
    are those of `prepare_photo` either way (a cache hit is what a warm build reads)."""

    def __init__(self, cache: ImageCache) -> None:
        self.cache = cache
        self.claims = Path(tempfile.mkdtemp(prefix=".tmp-claims-", dir=_mkdirs(cache.folder)))
        self.sent: list[tuple[Path, PhotoRequest, PrintProfile, str, str]] = []
        self.pid: int | None = None
        self._pipe: int | None = None
        self.digests: dict[tuple[str, int, int], str] = {}

    def claim(self, key: str) -> bool:
        try:
            os.close(os.open(self.claims / key, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            return True
        except OSError:
            return False

    def _prepare(self, path: Path, req: PhotoRequest, profile: PrintProfile, digest: str, key: str) -> None:
        if self.cache._path(key).exists() or not self.claim(key):
            return  # prepared before, or by the other process
        prepared = prepare_photo(path, req.width_pt, req.height_pt, focus=req.focus, profile=profile,
                                 mono=req.mono, digest=digest)
        self.cache.store(prepared)

    def send(self, requests: list[PhotoRequest], profile: PrintProfile) -> None:
        """Queue these photos for the child (started with the first of them)."""
        import pickle

        for req in requests:
            path = Path(req.path)
            try:
                st = path.stat()
                sig = (str(path.resolve()), st.st_size, st.st_mtime_ns)
                if sig not in self.digests:
                    self.digests[sig] = file_digest(path)
            except OSError:
                continue  # the output stage says what is wrong with it
            digest = self.digests[sig]
            key = photo_key(digest, req.width_pt, req.height_pt, req.focus, profile, req.mono)
            if any(k == key for *_, k in self.sent) or self.cache._path(key).exists():
                continue
            job = (path, req, profile, digest, key)
            if self.pid is None and not self._start():
                return
            try:
                data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
                os.write(self._pipe, len(data).to_bytes(8, "little") + data)
            except (OSError, pickle.PicklingError, TypeError, AttributeError):
                self._close()  # a child that cannot be told more: the output stage does the rest
                return
            self.sent.append(job)

    def _start(self) -> bool:
        import threading

        if not hasattr(os, "fork") or os.environ.get("LAYOUT_NO_FORK") or threading.active_count() > 1:
            return False
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return False
        if pid == 0:  # the child: prepare what comes down the pipe until it is closed
            try:
                from layout.render.heap import freeze_inherited

                freeze_inherited()  # the edition being laid out is not this child's to sweep
                os.close(write)
                self._serve(read)
            finally:
                os._exit(0)
        os.close(read)
        self.pid, self._pipe = pid, write
        return True

    def _serve(self, read: int) -> None:
        import pickle

        with os.fdopen(read, "rb") as pipe:
            while len(head := pipe.read(8)) == 8:
                data = pipe.read(int.from_bytes(head, "little"))
                with contextlib.suppress(Exception):  # a photo that fails is the output stage's to report
                    self._prepare(*pickle.loads(data))

    def _close(self) -> None:
        if self._pipe is not None:
            with contextlib.suppress(OSError):
                os.close(self._pipe)
            self._pipe = None

    def stop(self) -> None:
        """End the child without preparing what it has not (a build that will not use them)."""
        from layout.cache import stop_child

        self._close()
        if self.pid is not None:
            stop_child(self.pid)
            self.pid = None
        self.sent = []
        import shutil

        shutil.rmtree(self.claims, ignore_errors=True)

    def drain(self) -> None:
        """Prepare here, from the end, what the child has not started; wait for it; tidy up."""
        self._close()  # nothing more to come: the child stops when its queue is done
        for job in reversed(self.sent):
            with contextlib.suppress(Exception):  # failing here too: the output stage's own path says why
                self._prepare(*job)
        if self.pid is not None:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(self.pid, 0)
            self.pid = None
        self.sent = []
        import shutil

        shutil.rmtree(self.claims, ignore_errors=True)


def _mkdirs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# The build's photo prefetch in force (`prefetching`), and those not drained yet: a build sets one
# up around laying out its pages, its output stage drains it (process-wide, as its child is).
_PREFETCH: contextvars.ContextVar[PhotoPrefetch | None] = contextvars.ContextVar("layout_photo_prefetch",
                                                                                 default=None)
_UNDRAINED: list[PhotoPrefetch] = []


@contextlib.contextmanager
def prefetching():
    """Within it, `prefetch` sends photos to a PhotoPrefetch (when the build cache is on and its
    folder can be made); the next `ImageStore.prepare_many`, or `drain_prefetches`, takes over."""
    cache = ImageCache.default()
    prefetch = None
    if cache is not None:
        with contextlib.suppress(OSError):
            prefetch = PhotoPrefetch(cache)
    token = _PREFETCH.set(prefetch)
    try:
        yield prefetch
    except BaseException:
        # The build failed or was interrupted before its output stage: its child stops now (it
        # would go on preparing photos after the command has ended).
        if prefetch is not None:
            prefetch.stop()
        raise
    finally:
        _PREFETCH.reset(token)
    if prefetch is not None:
        prefetch._close()
        _UNDRAINED.append(prefetch)


def prefetch_wanted() -> bool:
    """Whether a prefetch is in force (so that its caller works out the requests at all)."""
    return _PREFETCH.get() is not None


def prefetch(requests: list[PhotoRequest], profile: PrintProfile) -> None:
    """Send photos the build will prepare to the prefetch in force, if any (nothing otherwise)."""
    current = _PREFETCH.get()
    if current is not None and requests:
        current.send(requests, profile)


def stop_prefetches() -> None:
    """Stop every prefetch not drained yet (a build that failed after laying out its pages): the
    children end and are reaped, their claims removed; what they stored in the cache stays."""
    while _UNDRAINED:
        _UNDRAINED.pop().stop()


def drain_prefetches() -> tuple[dict[tuple[str, int, int], str], list[ImageCache]]:
    """Drain every prefetch not drained yet: the photo files' digests they read (by path, size and
    time, as ImageStore keeps them: not read again) and the caches they prepared photos into."""
    digests: dict[tuple[str, int, int], str] = {}
    caches: list[ImageCache] = []
    while _UNDRAINED:
        prefetch = _UNDRAINED.pop()
        prefetch.drain()
        digests.update(prefetch.digests)
        caches.append(prefetch.cache)
    return digests, caches


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _prepare_job(path: Path, req: PhotoRequest, profile: PrintProfile, digest: str) -> tuple[bytes, float]:
    """A worker's job: the JPEG bytes and effective ppi of one photo (all the parent needs)."""
    prepared = prepare_photo(path, req.width_pt, req.height_pt, focus=req.focus, profile=profile,
                             mono=req.mono, digest=digest)
    return prepared.data, prepared.effective_ppi


class ImageStore:
    """The build's prepared photos, by key. One per build (no global cache); the same photo at
    the same size, focus and profile is prepared once and embedded from the same bytes. With an
    ImageCache, photos prepared by an earlier build are loaded from disk."""

    def __init__(self, cache: ImageCache | None = None) -> None:
        self._by_key: dict[str, PreparedImage] = {}
        self._digests: dict[tuple[str, int, int], str] = {}
        self.cache = cache

    def _digest(self, path: Path) -> str:
        st = path.stat()
        sig = (str(path.resolve()), st.st_size, st.st_mtime_ns)
        if sig not in self._digests:
            self._digests[sig] = file_digest(path)
        return self._digests[sig]

    def prepare(self, path, width_pt: float, height_pt: float, *, focus=(0.5, 0.5), profile: PrintProfile,
                mono: bool = False) -> PreparedImage:
        path = Path(path)
        digest = self._digest(path)
        key = photo_key(digest, width_pt, height_pt, focus, profile, mono)
        if key not in self._by_key:
            found = self.cache.load(key, path, profile) if self.cache is not None else None
            if found is None:
                found = prepare_photo(path, width_pt, height_pt, focus=focus, profile=profile, mono=mono,
                                      digest=digest)
                if self.cache is not None:
                    self.cache.store(found)
                # The store keeps the JPEG, not the decoded pixels (a 4-column photo is ~6 MB of CMYK);
                # the image it hands on is that JPEG opened lazily, as a cache hit gives.
                found = dataclasses.replace(found, image=Image.open(io.BytesIO(found.data)))
            self._by_key[key] = found
        return self._by_key[key]

    def prepare_many(self, requests: list[PhotoRequest], *, profile: PrintProfile) -> None:
        """Prepare every photo of `requests` that is neither in the store nor in the cache, several
        at a time in forked worker processes when there are several (each photo is one independent
        job; the result is the same bytes whichever process makes it). Afterwards `prepare` finds
        them all. Where fork is not available (or LAYOUT_NO_FORK is set) they are prepared here."""
        # photos a child prepared while the pages were laid out are in the cache now; a store
        # without a cache of its own (`layout watch` keeps its photos in memory) reads them there
        digests, caches = drain_prefetches()
        self._digests.update(digests)
        source = self.cache if self.cache is not None else next(iter(caches), None)
        todo: dict[str, tuple[Path, PhotoRequest, str]] = {}
        for req in requests:
            path = Path(req.path)
            digest = self._digest(path)
            key = photo_key(digest, req.width_pt, req.height_pt, req.focus, profile, req.mono)
            if key in self._by_key or key in todo:
                continue
            found = source.load(key, path, profile) if source is not None else None
            if found is not None:
                self._by_key[key] = found
            else:
                todo[key] = (path, req, digest)
        workers = min(len(todo), _cores())
        if workers < 2 or not hasattr(os, "fork") or os.environ.get("LAYOUT_NO_FORK"):
            return  # `prepare` makes them one by one, in this process
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        # The largest sources first, so that no worker is left with a big photo at the end.
        order = sorted(todo, key=lambda k: (-todo[k][0].stat().st_size, k))
        try:
            # Ctrl-C (sent to the whole process group) ends a worker silently (the default action,
            # not Python's KeyboardInterrupt and its traceback); this process stops the build and
            # says so once. (Ignoring it instead left workers blocked on a full result pipe for
            # ever once the build had gone.)
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                     initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_DFL)) as pool:
                jobs = {key: pool.submit(_prepare_job, todo[key][0], todo[key][1], profile, todo[key][2])
                        for key in order}
                try:
                    for key in order:
                        path, req, _ = todo[key]
                        data, ppi = jobs[key].result()
                        self._add(PreparedImage(key=key, image=Image.open(io.BytesIO(data)), effective_ppi=ppi,
                                                diagnostics=_ppi_diagnostics(ppi, path, profile), data=data,
                                                width_pt=req.width_pt, height_pt=req.height_pt, source=str(path)))
                except KeyboardInterrupt:
                    pool.shutdown(wait=False, cancel_futures=True)  # not every queued photo first
                    raise
        except (BrokenProcessPool, OSError):
            # No workers to be had (a killed worker, no semaphores in a sandbox), or a file a worker
            # could not read: `prepare` makes what is missing here, and says so if it fails again.
            pass

    def _add(self, prepared: PreparedImage) -> None:
        if self.cache is not None:
            self.cache.store(prepared)
        self._by_key[prepared.key] = prepared

    def get(self, key: str) -> PreparedImage:
        return self._by_key[key]

    def __contains__(self, key: str) -> bool:
        return key in self._by_key

    def __len__(self) -> int:
        return len(self._by_key)


# --- embedding -----------------------------------------------------------------------------------------


def _xobject(prepared: PreparedImage):
    from reportlab.pdfbase import pdfdoc

    img = prepared.image
    d = {
        "Type": pdfdoc.PDFName("XObject"),
        "Subtype": pdfdoc.PDFName("Image"),
        "Width": img.width,
        "Height": img.height,
        "BitsPerComponent": 8,
        "ColorSpace": pdfdoc.PDFName("DeviceGray" if prepared.mono else "DeviceCMYK"),
        "Filter": pdfdoc.PDFName("DCTDecode"),
    }
    if not prepared.mono:
        # Pillow writes Adobe-style CMYK JPEGs (inverted samples); PDF readers need the Decode
        # array to read them as ink amounts.
        d["Decode"] = pdfdoc.PDFArray([1, 0, 1, 0, 1, 0, 1, 0])
    return pdfdoc.PDFStream(pdfdoc.PDFDictionary(d), prepared.data, filters=[])


def draw_image(canvas, prepared: PreparedImage, x: float, y: float, w: float, h: float) -> None:
    """Place the prepared image with its lower-left corner at (x, y), w × h pt, in the canvas's
    current coordinates. The JPEG bytes go into the PDF as they are (DeviceCMYK or DeviceGray,
    never RGB); the XObject is written once per document however often it is drawn."""
    doc = canvas._doc
    name = "Img" + prepared.key
    reg = doc.getXObjectName(name)
    if reg not in doc.idToObject:
        doc.Reference(_xobject(prepared), reg)
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.transform(w, 0, 0, h, x, y)
    canvas._code.append(f"/{reg} Do")
    canvas.restoreState()
    if name not in canvas._formsinuse:
        canvas._formsinuse.append(name)
