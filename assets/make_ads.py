"""Generate the sample edition's delivered ads (part B): a vector PDF half-page and a CMYK JPEG.

Both advertisers are fictional. The ads stand in for artwork an agency would deliver, so they
follow the newsprint rules an agency would be held to (see shared print-spec): CMYK only, no
transparency, total ink at most 220 %, TrimBox = MediaBox, and no fonts at all in the PDF (the
Chinese text is drawn as outlines), so the ad can be placed without font licensing questions.

Run:  python assets/make_ads.py        (writes assets/ads/bank-half.pdf and assets/ads/travel.jpg)
Output is deterministic: reportlab's invariant mode, fixed seeds, no timestamps.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "ads"
BOLD_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
SC_FACE = 2  # the SC face: mainland punctuation positions, and it covers Traditional code points

BANK_SIZE = (999.0, 540.0)  # 8 columns x 40 lines of the broadsheet grid, in pt
TRAVEL_SIZE_PT = (495.0, 405.0)  # 4 columns x 30 lines
TRAVEL_PPI = 200
INK_LIMIT = 2.20  # newsprint total area coverage, as a fraction (220 %)
OUTPUT_CONDITION = "IFRA26"  # the newsprint characterisation the print profile names
INK_TARGET = 2.10  # stay a little under the limit so JPEG ringing cannot push a pixel over


# --------------------------------------------------------------------------- outlines -----


class _ReportlabPathPen(BasePen):
    """Draws fontTools glyph outlines into a reportlab path, scaled and moved to a pen position.

    BasePen turns quadratic segments into cubics for us, so TrueType and CFF glyphs both work."""

    def __init__(self, glyph_set, path, scale: float, dx: float, dy: float) -> None:
        super().__init__(glyph_set)
        self._path = path
        self._s = scale
        self._dx = dx
        self._dy = dy

    def _pt(self, p: tuple[float, float]) -> tuple[float, float]:
        return (self._dx + p[0] * self._s, self._dy + p[1] * self._s)

    def _moveTo(self, p0):  # noqa: N802 (fontTools' pen protocol names)
        self._path.moveTo(*self._pt(p0))

    def _lineTo(self, p1):  # noqa: N802
        self._path.lineTo(*self._pt(p1))

    def _curveToOne(self, p1, p2, p3):  # noqa: N802
        self._path.curveTo(*self._pt(p1), *self._pt(p2), *self._pt(p3))

    def _closePath(self):  # noqa: N802
        self._path.close()


@dataclass
class OutlineFont:
    """One face of a font collection, used only to turn strings into filled outlines."""

    font: TTFont

    @classmethod
    def load(cls, path: Path = BOLD_TTC, index: int = SC_FACE) -> OutlineFont:
        return cls(TTFont(str(path), fontNumber=index, lazy=True))

    @property
    def upem(self) -> int:
        return self.font["head"].unitsPerEm

    def _glyph(self, ch: str) -> str:
        name = self.font.getBestCmap().get(ord(ch))
        if name is None:
            raise ValueError(f"the outline font has no glyph for {ch!r} (U+{ord(ch):04X})")
        return name

    def width(self, text: str, size: float, tracking: float = 0.0) -> float:
        hmtx = self.font["hmtx"]
        adv = sum(hmtx[self._glyph(ch)][0] for ch in text) * size / self.upem
        return adv + tracking * size * max(len(text) - 1, 0)

    def draw(self, c: canvas.Canvas, text: str, x: float, y: float, size: float,
             fill: CMYKColor, tracking: float = 0.0) -> float:
        """Fill `text` as outlines with its baseline at y; returns the advance drawn."""
        glyph_set = self.font.getGlyphSet()
        hmtx = self.font["hmtx"]
        scale = size / self.upem
        path = c.beginPath()
        pen_x = x
        for ch in text:
            name = self._glyph(ch)
            glyph_set[name].draw(_ReportlabPathPen(glyph_set, path, scale, pen_x, y))
            pen_x += hmtx[name][0] * scale + tracking * size
        c.setFillColor(fill)
        # Non-zero winding: CFF outlines rely on it for counters (e.g. the inside of 口).
        c.drawPath(path, stroke=0, fill=1, fillMode=1)
        return pen_x - x

    def draw_centred(self, c: canvas.Canvas, text: str, cx: float, y: float, size: float,
                     fill: CMYKColor, tracking: float = 0.0) -> None:
        self.draw(c, text, cx - self.width(text, size, tracking) / 2, y, size, fill, tracking)


# ----------------------------------------------------------------------------- bank PDF ---

# Colours as CMYK fractions; each one's sum stays within the 220 % limit, and nothing is
# overprinted or transparent, so no point on the page carries more than one of them.
NAVY = CMYKColor(1.00, 0.75, 0.00, 0.20)  # 195 %
RIVER = CMYKColor(0.70, 0.25, 0.00, 0.00)  # 95 %
RIVER_LIGHT = CMYKColor(0.35, 0.10, 0.00, 0.00)
GOLD = CMYKColor(0.00, 0.25, 0.85, 0.00)  # 110 %
PAPER = CMYKColor(0.00, 0.00, 0.00, 0.00)
BLACK = CMYKColor(0.00, 0.00, 0.00, 1.00)
CREAM = CMYKColor(0.00, 0.03, 0.12, 0.00)


def _waves(c: canvas.Canvas, y0: float, width: float, amp: float, period: float, colour: CMYKColor,
           phase: float = 0.0, depth: float = 60.0) -> None:
    """A band of river water: a sine-ish top edge drawn with cubic curves, filled down to y0-depth."""
    p = c.beginPath()
    p.moveTo(0, y0 - depth)
    p.lineTo(0, y0)
    x = -phase
    while x < width:
        q = period / 4
        p.curveTo(x + q, y0 + amp, x + 2 * q, y0 + amp, x + 2 * q, y0)
        p.curveTo(x + 3 * q, y0 - amp, x + 4 * q, y0 - amp, x + 4 * q, y0)
        x += period
    p.lineTo(x, y0 - depth)
    p.close()
    c.setFillColor(colour)
    c.drawPath(p, stroke=0, fill=1)


class _FontlessCanvas(canvas.Canvas):
    """A canvas that does not set reportlab's initial Helvetica on each page.

    reportlab's page preamble selects a font even when no text is drawn, which puts an unembedded
    Helvetica into the page resources; a delivered ad with an unembedded font fails preflight.
    This overrides a reportlab internal (the version is pinned in pyproject) and keeps only the
    coordinate setup of the preamble."""

    def _make_preamble(self) -> None:
        self._preamble = "1 0 0 1 0 0 cm"


def make_bank_pdf(path: Path, font: OutlineFont) -> None:
    w, h = BANK_SIZE
    c = _FontlessCanvas(str(path), pagesize=(w, h), invariant=1, pageCompression=1)
    c.setTitle("渝江市民銀行 冬季理財季 半版廣告")
    c.setAuthor("layout sample edition (generated, CC0)")
    c.setCreator("assets/make_ads.py")
    c.setTrimBox((0, 0, w, h))
    c.setBleedBox((0, 0, w, h))

    # Background: navy field on the left two thirds, cream panel on the right.
    split = 640.0
    c.setFillColor(NAVY)
    c.rect(0, 0, split, h, stroke=0, fill=1)
    # River along the bottom of the navy field (a nod to the city on the river). The waves run
    # past the split; the cream panel drawn next covers the overrun (no clipping needed).
    _waves(c, 92, split, 9, 120, RIVER, phase=10, depth=92)
    _waves(c, 62, split, 7, 90, RIVER_LIGHT, phase=40, depth=62)
    c.setFillColor(CREAM)
    c.rect(split, 0, w - split, h, stroke=0, fill=1)

    # Logo: a gold disc with a white wave, and the bank's name.
    c.setFillColor(GOLD)
    c.circle(62, h - 62, 30, stroke=0, fill=1)
    c.setStrokeColor(PAPER)
    c.setLineWidth(5)
    wave = c.beginPath()
    wave.moveTo(40, h - 64)
    wave.curveTo(50, h - 52, 58, h - 52, 62, h - 62)
    wave.curveTo(66, h - 72, 74, h - 72, 84, h - 60)
    c.drawPath(wave, stroke=1, fill=0)
    font.draw(c, "渝江市民銀行", 106, h - 74, 30, PAPER, tracking=0.08)

    # Headline and offer, reversed out of the navy (all well above the 14 pt two-ink minimum).
    font.draw(c, "冬季理財季", 40, h - 190, 86, PAPER, tracking=0.04)
    font.draw(c, "穩穩的收益，暖暖的冬天", 44, h - 250, 34, GOLD, tracking=0.06)
    font.draw(c, "12月1日至12月31日  新客戶專享", 44, h - 300, 24, PAPER)
    font.draw(c, "三年期大額存單  手機銀行一鍵預約", 44, h - 336, 24, PAPER)

    # Right panel: the rate badge and the details, black (K only) on cream.
    cx = split + (w - split) / 2
    c.setFillColor(GOLD)
    c.circle(cx, h - 170, 112, stroke=0, fill=1)
    font.draw_centred(c, "年利率最高", cx, h - 128, 26, NAVY)
    font.draw_centred(c, "2.35%", cx, h - 200, 68, NAVY)
    font.draw_centred(c, "起存金額20萬元", cx, h - 240, 20, NAVY)
    lines = [
        "全市86家網點同步辦理",
        "客服熱線：023-6000 9595",
        "理財有風險，投資需謹慎",
    ]
    for i, line in enumerate(lines):
        font.draw_centred(c, line, cx, 170 - i * 36, 22, BLACK)
    font.draw_centred(c, "本廣告所涉利率以網點公告為準", cx, 40, 13, BLACK)

    # A thin K-only rule between the two halves (rules ≤ 4 pt are K only).
    c.setStrokeColor(BLACK)
    c.setLineWidth(0.75)
    c.line(split, 24, split, h - 24)

    c.showPage()
    c.save()
    _mark_pdfx1a(path)


def _mark_pdfx1a(path: Path) -> None:
    """Declare the file PDF/X-1a:2003, as an agency would deliver it.

    reportlab cannot write the PDF/X keys, so they are added afterwards: the version key and
    /Trapped in Info, and one /GTS_PDFX OutputIntent naming the registered newsprint condition
    (a registered name needs no embedded profile in X-1a). Saved as PDF 1.4 without object
    streams (X-1a:2003 is based on PDF 1.4) and with a content-derived /ID, so it stays
    deterministic."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        info = pdf.trailer.Info
        info[pikepdf.Name.GTS_PDFXVersion] = pikepdf.String("PDF/X-1a:2003")
        info[pikepdf.Name.Trapped] = pikepdf.Name("/False")
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
            OutputCondition=pikepdf.String("Newspaper coldset offset on newsprint, ISO 12647-3, 26 % dot gain"),
            RegistryName=pikepdf.String("http://www.color.org"),
            Info=pikepdf.String(OUTPUT_CONDITION),
        )
        pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
        pdf.save(path, force_version="1.4", object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 deterministic_id=True, compress_streams=True)


# -------------------------------------------------------------------------- travel JPEG ---


def rgb_to_cmyk_limited(rgb: np.ndarray, limit: float = INK_TARGET) -> np.ndarray:
    """Naive separation with full grey-component replacement, then a total-ink cap.

    Full GCR keeps the ink sum low (grey is carried by K alone); where the sum still exceeds the
    limit, C, M and Y are scaled down together so the hue survives and K (the detail) is kept."""
    f = rgb.astype(np.float64) / 255.0
    k = 1.0 - f.max(axis=2)
    denom = np.where(k < 1.0, 1.0 - k, 1.0)
    cmy = (1.0 - f - k[..., None]) / denom[..., None] * (1.0 - k[..., None])
    k = np.minimum(k, 0.95)  # shadows at most 95 %
    cmy_sum = cmy.sum(axis=2)
    room = np.clip(limit - k, 0.0, None)
    scale = np.where(cmy_sum > room, room / np.maximum(cmy_sum, 1e-9), 1.0)
    cmy *= scale[..., None]
    out = np.concatenate([cmy, k[..., None]], axis=2)
    return np.clip(np.round(out * 255.0), 0, 255).astype(np.uint8)


def _vertical_gradient(w: int, h: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> np.ndarray:
    t = np.linspace(0.0, 1.0, h)[:, None, None]
    a = np.array(top, dtype=np.float64)[None, None, :]
    b = np.array(bottom, dtype=np.float64)[None, None, :]
    return np.broadcast_to(a * (1 - t) + b * t, (h, w, 3)).copy()


def _ridge(rng: np.random.Generator, w: int, base: float, rough: float) -> np.ndarray:
    """A mountain skyline: summed random sines, so it is smooth and repeatable."""
    x = np.arange(w, dtype=np.float64)
    y = np.full(w, float(base))
    for octave in range(1, 6):
        freq = rng.uniform(0.6, 1.4) * octave * 2 * np.pi / w * 2
        y += rough / octave * np.sin(freq * x + rng.uniform(0, 2 * np.pi))
    return y


def make_travel_jpeg(path: Path, seed: int = 2026) -> None:
    rng = np.random.default_rng(seed)
    w = round(TRAVEL_SIZE_PT[0] / 72 * TRAVEL_PPI)  # 1375 px
    h = round(TRAVEL_SIZE_PT[1] / 72 * TRAVEL_PPI)  # 1125 px
    img = _vertical_gradient(w, h, (246, 196, 150), (252, 236, 214))  # winter dusk sky

    yy = np.arange(h)[:, None]
    # Three mountain ranges, paler with distance (aerial perspective).
    for base, rough, colour in ((560, 70, (178, 160, 170)), (640, 55, (120, 110, 130)),
                                (720, 40, (70, 72, 92))):
        ridge = _ridge(rng, w, base, rough)[None, :]
        mask = yy > ridge
        img[mask] = np.array(colour, dtype=np.float64)
    # The river: a wide band with soft horizontal ripples reflecting the sky.
    river_top = 780
    ripple = 12 * np.sin(np.arange(h)[:, None] * 0.35 + np.arange(w)[None, :] * 0.004)
    water = _vertical_gradient(w, h, (150, 170, 190), (60, 90, 120)) + ripple[..., None]
    img[river_top:] = water[river_top:]
    noise = rng.normal(0, 3.0, size=(h, w, 1))  # a little grain, so it prints like a photo
    img = np.clip(img + noise, 0, 255).astype(np.uint8)
    pic = Image.fromarray(img, "RGB").filter(ImageFilter.GaussianBlur(0.8))

    d = ImageDraw.Draw(pic)
    # Sun low over the hills.
    d.ellipse((960, 330, 1110, 480), fill=(250, 150, 70))
    # A boat on the river: hull and cabin in dark tones.
    d.polygon([(260, 900), (560, 900), (520, 945), (300, 945)], fill=(40, 36, 40))
    d.rectangle((340, 850, 470, 900), fill=(150, 40, 40))

    title = ImageFont.truetype(str(BOLD_TTC), 130, index=SC_FACE)
    sub = ImageFont.truetype(str(BOLD_TTC), 56, index=SC_FACE)
    small = ImageFont.truetype(str(BOLD_TTC), 40, index=SC_FACE)
    d.text((80, 70), "冬遊渝江", font=title, fill=(120, 20, 30))
    d.text((86, 235), "峽江夜航 · 溫泉小鎮 · 江畔老街", font=sub, fill=(40, 40, 40))
    # Bottom band for the booking details, text reversed out of dark water.
    d.rectangle((0, h - 170, w, h), fill=(28, 52, 80))
    d.text((80, h - 150), "兩天一夜套餐 每人699元起", font=sub, fill=(255, 255, 255))
    d.text((80, h - 75), "渝江青旅 預訂熱線 023-6000 3838", font=small, fill=(255, 220, 150))

    cmyk = rgb_to_cmyk_limited(np.asarray(pic))
    out = Image.fromarray(cmyk, "CMYK")
    # Pillow writes Adobe-style (inverted) CMYK JPEGs, as Photoshop does, and reads them back the
    # same way; dpi records the intended 200 ppi at the ad's placed size.
    out.save(path, "JPEG", quality=90, dpi=(TRAVEL_PPI, TRAVEL_PPI), optimize=False, subsampling=0)


# ------------------------------------------------------------------------------- main -----


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    make_bank_pdf(args.out / "bank-half.pdf", OutlineFont.load())
    make_travel_jpeg(args.out / "travel.jpg")


if __name__ == "__main__":
    main()
