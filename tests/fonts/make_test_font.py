"""Build the purpose-made test font TF (cjk-rules.md, preamble of §d) with fontTools.

Every glyph is a rectangle, so a composed line's geometry can be checked exactly:
- Han (and full-width letters/digits, kana): a full-em solid square, advance 1 em;
- CJK punctuation: advance 1 em, ink in the half or corner given by the class table (mainland
  positions), or centred for the TC-like variant's STOP marks (the R2 test);
- ASCII letters, digits and symbols: advance 0.5 em; U+0020: 0.25 em.

Run as a script to write the two fonts into a folder: python tests/fonts/make_test_font.py OUTDIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

UPEM = 1000
ASCENT, DESCENT = 880, -120

# (x0, y0, x1, y1) ink rectangles in font units, per mark class; mainland (GB) positions.
OPEN_INK = (520, 0, 900, 800)  # right half: blank on the left
CLOSE_INK = (100, 0, 480, 800)  # left half: blank on the right
STOP_INK = (80, -100, 400, 200)  # bottom-left corner
STOP_INK_TC = (400, 200, 600, 500)  # centred (Taiwan/Hong Kong positions)
CENTRE_INK = (350, 250, 650, 450)
DASH_INK = (0, 320, 1000, 380)  # full advance, so —— joins into one rule
DOTS_INK = (100, 320, 900, 400)

OPEN = "“‘（《〈「『【〖〔［｛"
CLOSE = "”’）》〉」』】〗〕］｝"
STOP = "、，；：。．！？‼⁇⁈⁉"
CENTRED = "～·・‧／"  # connector ～, interpuncts, full-width solidus: 1 em, ink centred
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x3040, 0x30FA))


def _rect(x0: int, y0: int, x1: int, y1: int):
    pen = TTGlyphPen(None)
    pen.moveTo((x0, y0))
    pen.lineTo((x0, y1))
    pen.lineTo((x1, y1))
    pen.lineTo((x1, y0))
    pen.closePath()
    return pen.glyph()


def _blank():
    return TTGlyphPen(None).glyph()


def build_test_font(path: Path, variant: str = "sc") -> Path:
    """Write TF (variant 'sc': mainland punctuation) or TF-TC ('tc': centred STOP marks) to `path`."""
    glyphs: dict[str, object] = {".notdef": _rect(50, 0, 450, 700), "space": _blank()}
    advances: dict[str, int] = {".notdef": 500, "space": 250}
    cmap: dict[int, str] = {0x20: "space"}

    def add(name: str, cps, glyph, advance: int) -> None:
        glyphs[name] = glyph
        advances[name] = advance
        for cp in cps:
            cmap[cp] = name

    han_cps = [cp for lo, hi in HAN_RANGES for cp in range(lo, hi + 1)]
    han_cps += [0x3007] + list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))
    add("han", han_cps, _rect(0, -120, 1000, 880), UPEM)
    add("ideospace", [0x3000], _blank(), UPEM)
    stop_ink = STOP_INK_TC if variant == "tc" else STOP_INK
    for i, ch in enumerate(OPEN):
        add(f"open{i}", [ord(ch)], _rect(*OPEN_INK), UPEM)
    for i, ch in enumerate(CLOSE):
        add(f"close{i}", [ord(ch)], _rect(*CLOSE_INK), UPEM)
    for i, ch in enumerate(STOP):
        add(f"stop{i}", [ord(ch)], _rect(*stop_ink), UPEM)
    for i, ch in enumerate(CENTRED):
        add(f"centred{i}", [ord(ch)], _rect(*CENTRE_INK), UPEM)
    add("emdash", [0x2014], _rect(*DASH_INK), UPEM)
    add("twoemdash", [0x2E3A], _rect(0, 320, 2000, 380), 2 * UPEM)
    add("ellipsis", [0x2026, 0x22EF], _rect(*DOTS_INK), UPEM)
    add("endash", [0x2013], _rect(100, 320, 400, 380), UPEM // 2)
    for cp in range(0x21, 0x7F):  # ASCII letters, digits, symbols: half-em boxes
        add(f"a{cp:02x}", [cp], _rect(50, 0, 450, 700), UPEM // 2)
    for ch in "%‰℃°′″¥£€№":
        add(f"u{ord(ch):04x}", [ord(ch)], _rect(50, 0, 450, 700), UPEM // 2)

    order = list(glyphs)
    fb = FontBuilder(UPEM, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(cmap)
    fb.setupGlyf(glyphs)
    metrics = {}
    for name in order:
        g = glyphs[name]
        g.recalcBounds(fb.font["glyf"])
        metrics[name] = (advances[name], getattr(g, "xMin", 0))
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    family = "TF-TC" if variant == "tc" else "TF"
    fb.setupNameTable({"familyName": family, "styleName": "Regular", "psName": f"{family}-Regular"})
    fb.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, usWinAscent=ASCENT, usWinDescent=-DESCENT)
    fb.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    print(build_test_font(out / "TF.ttf"), build_test_font(out / "TF-TC.ttf", "tc"))
