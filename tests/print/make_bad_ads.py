"""A corpus of advertiser PDFs for the preflight tests: one clean PDF/X-1a ad and ads with one
deliberate fault each. Run as a script to write them to a directory:

    python tests/print/make_bad_ads.py out/ads

Each fault is made the way a careless DTP program would make it (reportlab calls, or an edit of
the clean file with pikepdf), not by our own renderer, so the preflight sees realistic files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from layout.images import draw_image, prepare_photo  # noqa: E402
from layout.printprofile import load_profile  # noqa: E402
from layout.render.pdfx import apply_document, apply_page, canvas_kwargs, page_geometry  # noqa: E402
from layout.units import mm  # noqa: E402

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT = "AdSans"
AD_W, AD_H = mm(90), mm(60)

# The error codes preflight must report for each ad (the clean one: none, and no warnings).
EXPECTED: dict[str, set[str]] = {
    "clean": set(),
    "rgb_image": {"IMAGE-RGB"},
    "ink_400": {"INK-OVER-LIMIT"},
    "unembedded_font": {"FONT-NOT-EMBEDDED"},
    "no_trimbox": {"BOX-TRIM-MISSING"},
    "transparency": {"TRANSPARENCY-ALPHA"},
    "soft_mask": {"TRANSPARENCY-SMASK"},
    "low_ppi": {"IMAGE-LOW-PPI"},
    "rich_black_text": {"TEXT-RICH-BLACK"},
    "rgb_text": {"COLOR-RGB"},
    "not_pdfx": {"PDFX-VERSION-MISSING", "PDFX-OUTPUTINTENT-MISSING"},
    # The blind spots of issue 17, each made the way a DTP program would make it.
    "two_ink_12pt": {"TEXT-SMALL-MULTI-INK"},  # 12 pt text in M+Y (at least 14 pt for two inks)
    "reversed_serif_8pt": {"TEXT-REVERSED-SMALL", "TEXT-REVERSED-SERIF"},  # white serif out of 3 inks
    "k_text_on_50_tint": {"TEXT-ON-DARK-TINT"},  # 9 pt K text on a 50 % tint (at most 30 %)
    "black_knockout": {"TEXT-BLACK-KNOCKOUT"},  # 100 % K text on colour, overprint off
    "overprint_opm0": {"OVERPRINT-OPM0"},  # op true but OPM 0: still knocks out in DeviceCMYK
    "text_4pt": {"TEXT-TOO-SMALL"},  # nothing under 6 pt
    "rule_0_1pt_two_inks": {"RULE-TOO-THIN", "RULE-MULTI-INK"},  # a 0.1 pt C+M hairline
}


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_PATH))


def synthetic_photo(path: Path, w: int, h: int, seed: int = 1) -> Path:
    """A deterministic 'photo': smooth colour gradients, a dark corner and some texture."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = 128 + 100 * np.sin(xx / w * 3.1 + seed)
    g = 128 + 90 * np.cos(yy / h * 2.3)
    b = 255 * (xx + yy) / (w + h)
    rgb = np.stack([r, g, b], -1) + rng.normal(0, 6, (h, w, 3))
    rgb[: h // 5, : w // 5] = 10  # near-black shadow area
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(path, quality=92)
    return path


def _start(path: Path, profile, *, pdfx: bool = True, font: bool = True) -> tuple[Canvas, object]:
    geo = page_geometry(profile, AD_W, AD_H)
    kwargs = canvas_kwargs(profile)
    if font:
        _register_font()
        kwargs["initialFontName"] = FONT
    c = Canvas(str(path), pagesize=(geo.media_w, geo.media_h), **kwargs)
    if pdfx:
        apply_document(c, profile, title=path.stem)
        apply_page(c, profile, geo)
    c.translate(geo.trim_x, geo.trim_y)
    return c, geo


def _overprint(c: Canvas, on: bool = True, mode: int = 1) -> None:
    """Black overprints: /OP and /op true with overprint mode 1 (what a correct export writes)."""
    c.setOverprintMask(mode)
    c.setFillOverprint(on)
    c.setStrokeOverprint(on)


def _clean_content(c: Canvas, photo) -> None:
    """What a correct ad has: a tint, a 2-ink headline at 18 pt, K-only small text and a K rule
    that overprint the tint, and a CMYK photo at about 200 ppi."""
    c.setFillColorCMYK(0.15, 0.05, 0, 0)
    c.rect(0, 0, AD_W, AD_H, fill=1, stroke=0)
    c.setFillColorCMYK(0, 1, 1, 0)
    c.setFont(FONT, 18)
    c.drawString(mm(5), AD_H - mm(10), "Grand Opening Sale")
    c.saveState()
    _overprint(c)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont(FONT, 8)
    c.drawString(mm(5), mm(5), "Open daily 9-21. Tel 6000 0000")
    c.setStrokeColorCMYK(0, 0, 0, 1)
    c.setLineWidth(0.5)
    c.line(mm(5), mm(9), AD_W - mm(5), mm(9))
    c.restoreState()
    if photo is not None:
        draw_image(c, photo, mm(50), mm(15), mm(35), mm(35))


def _reversed_serif(path: Path, profile) -> Path:
    """8 pt white text in a serif (Song) face out of a three-ink panel, drawn by our own PDF writer
    with the shipped Noto Serif CJK (reportlab cannot embed a CFF font, and the machine may have
    no serif TrueType font)."""
    from layout.color import CMYK, WHITE
    from layout.fonts.catalog import FONTS_DIR, FontCatalog
    from layout.frames import Box, GlyphRun, PageFrame, PlacedGlyph, Source
    from layout.render.pdf import render

    cat = FontCatalog.from_config({"body": [{"file": "NotoSerifCJKsc-Regular.otf"}]}, FONTS_DIR)
    glyphs, x = [], mm(8)
    for ch in "本報訊 反白小字":
        face, gid = cat.chain("body").resolve(ch)
        glyphs.append(PlacedGlyph(gid, x, mm(25), ch, advance=face.advance(gid) * 8))
        x += face.advance(gid) * 8
    frame = PageFrame(path.stem, AD_W, AD_H, (
        Box(mm(5), mm(15), mm(60), mm(15), fill=CMYK(40, 30, 30, 0)),
        GlyphRun(face.key, 8.0, tuple(glyphs), color=WHITE, source=Source(kind="body")),
    ))
    data, _ = render([frame], catalog=cat, images={}, profile=profile, title=path.stem)
    path.write_bytes(data)
    return path


def make_corpus(outdir: Path) -> dict[str, Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    profile = load_profile("newsprint")
    src = synthetic_photo(outdir / "photo.jpg", 400, 400)
    photo = prepare_photo(src, mm(35), mm(35), profile=profile)  # 400 px over 35 mm: ~290 ppi
    small = synthetic_photo(outdir / "small.jpg", 99, 99, seed=2)  # 99 px over 35 mm: ~72 ppi
    small_photo = prepare_photo(small, mm(35), mm(35), profile=profile)
    paths: dict[str, Path] = {}

    def new(name: str, **kw):
        paths[name] = outdir / f"{name}.pdf"
        return _start(paths[name], profile, **kw)

    c, _ = new("clean")
    _clean_content(c, photo)
    c.save()

    c, _ = new("rgb_image")
    _clean_content(c, None)
    # A light RGB picture, so that the only fault is its colour space (not also its ink).
    rgb = Image.new("RGB", (300, 300), (250, 220, 180))
    rgb.paste((120, 180, 230), (50, 50, 250, 250))
    c.drawImage(ImageReader(rgb), mm(50), mm(15), mm(35), mm(35))
    c.save()

    c, _ = new("ink_400")
    _clean_content(c, photo)
    c.setFillColorCMYK(1, 1, 1, 1)
    c.rect(mm(5), mm(20), mm(30), mm(20), fill=1, stroke=0)
    c.save()

    c, _ = new("unembedded_font")
    _clean_content(c, photo)
    _overprint(c)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont("Helvetica", 9)  # clear of the photo (black overprinting it would add to its ink)
    c.drawString(mm(5), mm(30), "Helvetica, not embedded")
    c.save()

    c, _ = new("transparency")
    _clean_content(c, photo)
    c.setFillColorCMYK(0, 0.5, 0, 0)
    c.setFillAlpha(0.5)
    c.rect(mm(5), mm(20), mm(30), mm(20), fill=1, stroke=0)
    c.save()

    c, _ = new("low_ppi")
    _clean_content(c, small_photo)
    c.save()

    c, _ = new("rich_black_text")
    _clean_content(c, photo)
    c.setFillColorCMYK(0.3, 0.2, 0.2, 1)  # 170 %: within the ink limit, but four plates for 8 pt text
    c.setFont(FONT, 8)
    c.drawString(mm(5), mm(14), "Terms and conditions apply (rich black)")
    c.save()

    c, _ = new("rgb_text")
    _clean_content(c, photo)
    c.setFillColorRGB(0.8, 0.1, 0.1)
    c.setFont(FONT, 16)
    c.drawString(mm(5), mm(30), "RGB red")
    c.save()

    c, _ = new("two_ink_12pt")
    _clean_content(c, photo)
    c.setFillColorCMYK(0, 1, 1, 0)
    c.setFont(FONT, 12)
    c.drawString(mm(5), mm(30), "Sale ends Sunday")
    c.save()

    paths["reversed_serif_8pt"] = _reversed_serif(outdir / "reversed_serif_8pt.pdf", profile)

    c, _ = new("k_text_on_50_tint")
    _clean_content(c, photo)
    c.setFillColorCMYK(0, 0, 0, 0.5)
    c.rect(mm(5), mm(20), mm(40), mm(15), fill=1, stroke=0)
    c.saveState()
    _overprint(c)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont(FONT, 9)
    c.drawString(mm(7), mm(26), "Black text on a dark tint")
    c.restoreState()
    c.save()

    c, _ = new("black_knockout")
    _clean_content(c, photo)
    c.setFillColorCMYK(0, 0, 0, 1)  # overprint left off: knocks out the tint below
    c.setFont(FONT, 10)
    c.drawString(mm(5), mm(30), "Knocked-out black text")
    c.save()

    c, _ = new("overprint_opm0")
    _clean_content(c, photo)
    c.saveState()
    _overprint(c, True, mode=0)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont(FONT, 10)
    c.drawString(mm(5), mm(30), "Overprint asked, OPM 0")
    c.restoreState()
    c.save()

    c, _ = new("text_4pt")
    _clean_content(c, photo)
    c.saveState()
    _overprint(c)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont(FONT, 4)
    c.drawString(mm(5), mm(30), "Small print at 4 pt")
    c.restoreState()
    c.save()

    c, _ = new("rule_0_1pt_two_inks")
    _clean_content(c, photo)
    c.setStrokeColorCMYK(0.5, 0.5, 0, 0)
    c.setLineWidth(0.1)
    c.line(mm(5), mm(40), mm(45), mm(40))
    c.save()

    c, _ = new("not_pdfx", pdfx=False)
    geo = page_geometry(profile, AD_W, AD_H)
    c.setTrimBox(geo.trim_box)
    c.setBleedBox(geo.bleed_box)
    _clean_content(c, photo)
    c.save()

    # Made from the clean ad: a DTP export that dropped the page boxes.
    paths["no_trimbox"] = outdir / "no_trimbox.pdf"
    with pikepdf.open(paths["clean"]) as pdf:
        for page in pdf.pages:
            for key in ("/TrimBox", "/ArtBox", "/BleedBox"):
                if key in page.obj:
                    del page.obj[key]
        pdf.save(paths["no_trimbox"], deterministic_id=True)
    # Made from the clean ad: the photo given an alpha channel (a soft mask).
    paths["soft_mask"] = outdir / "soft_mask.pdf"
    with pikepdf.open(paths["clean"]) as pdf:
        for _name, xo in pdf.pages[0].obj.Resources.XObject.items():
            if xo.get("/Subtype") == "/Image":
                w, h = int(xo.Width), int(xo.Height)
                mask = pikepdf.Stream(pdf, bytes([128]) * (w * h))
                mask.Type, mask.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
                mask.Width, mask.Height, mask.BitsPerComponent = w, h, 8
                mask.ColorSpace = pikepdf.Name.DeviceGray
                xo.SMask = mask
        pdf.save(paths["soft_mask"], deterministic_id=True)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out/bad-ads")
    for name, p in make_corpus(target).items():
        print(f"{name:18} {p}")
