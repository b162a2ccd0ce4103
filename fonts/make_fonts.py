"""Build the shipped subset faces from Debian's fonts-noto-cjk collections.

    python fonts/make_fonts.py [--jobs N] [--only NAME ...]

Each output is face index 2 (SC: mainland punctuation positions, also covers Traditional code points)
of a Noto CJK collection, subset to the newspaper's repertoire with fontTools: Big5 levels 1-2 and
GB 2312 (derived from Python's codecs, so no hand-kept lists), CJK and full-width punctuation,
Latin-1, a few typographic blocks and a short list of common variant characters. Hinting is dropped (print output; it is ~10 % of the CFF);
only the `vert`/`vrt2` layout features (so vertical text can be set later, with vmtx/VORG) and `fwid`
are kept. `fwid` carries the full-width forms of marks whose cmap glyph is proportional Latin (U+2014
maps to a low 0.89 em dash; its `fwid` form is the centred 1 em CJK dash), which layout.fonts.face
reads for Chinese text (R4).
One face takes a minute or two; faces are built in parallel processes.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
SC_INDEX = 2  # collection order: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
HERE = Path(__file__).resolve().parent

# output file -> source collection
FACES: dict[str, str] = {
    "NotoSerifCJKsc-Regular.otf": "NotoSerifCJK-Regular.ttc",  # body
    "NotoSerifCJKsc-Bold.otf": "NotoSerifCJK-Bold.ttc",  # sub-heads, bold
    "NotoSansCJKsc-Bold.otf": "NotoSansCJK-Bold.ttc",  # kickers, decks, captions, folio
    "NotoSansCJKsc-Black.otf": "NotoSansCJK-Black.ttc",  # headlines
}

# Punctuation a Chinese newspaper sets, spelled out so that a codec gap can never drop one.
PUNCTUATION = "“”‘’「」『』《》〈〉—―…·•、。，；：！？（）【】〔〕〖〗～﹏・‧﹁﹂﹃﹄"

# Variant forms in everyday Traditional and Simplified text that neither Big5 levels 1-2 nor
# GB 2312 encode (e.g. 裏 for 裡, 峯 for 峰); a short list, checked against newspaper copy.
EXTRA = "裏嬢鱤峯綫衞麪啓爲僞眞着户敍敎靑淸晩吿値産銹滙鷄"

# Small blocks kept whole: (first, last) inclusive.
RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x2010, 0x2027),  # dashes, quotes, ellipsis
    (0x2030, 0x203B),  # per mille, primes, reference mark
    (0x2103, 0x2103),  # degree Celsius
    (0x2116, 0x2116),  # numero sign
    (0x2160, 0x216B),  # Roman numerals
    (0x2460, 0x2473),  # circled numbers
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFE10, 0xFE19),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms (vertical punctuation)
    (0xFF01, 0xFF5E),  # full-width ASCII
    (0xFF5F, 0xFF65),  # full-width brackets, half-width CJK punctuation
    (0xFFE0, 0xFFE6),  # full-width signs
)


def _double_byte(codec: str, leads: range, trails: range) -> set[int]:
    out: set[int] = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            out.update(ord(c) for c in text)
    return out


def big5_levels_1_2() -> set[int]:
    # Big5 symbols A140-A3BF, level 1 A440-C67E, level 2 C940-F9D5; trail bytes 40-7E and A1-FE.
    trails = range(0x40, 0xFF)
    return _double_byte("big5", range(0xA1, 0xFA), trails)


def gb2312() -> set[int]:
    return _double_byte("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))


def repertoire() -> set[int]:
    cps = big5_levels_1_2() | gb2312() | {ord(c) for c in PUNCTUATION + EXTRA}
    for first, last in RANGES:
        cps.update(range(first, last + 1))
    # Private-use code points that codecs map some Big5 slots to are not wanted in a shipped face.
    return {cp for cp in cps if not 0xE000 <= cp <= 0xF8FF}


def build_one(out_name: str, unicodes: list[int]) -> tuple[str, int, int, float]:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    t0 = time.perf_counter()
    src = NOTO_DIR / FACES[out_name]
    font = TTFont(str(src), fontNumber=SC_INDEX, recalcTimestamp=False)
    opts = subset.Options()
    # fwid: full-width forms (the CJK dash for U+2014, R4); vert/vrt2: vertical forms.
    opts.layout_features = ["fwid", "vert", "vrt2"]
    opts.hinting = False
    opts.desubroutinize = False
    opts.name_IDs = ["*"]  # keep copyright, licence and version strings
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.recalc_timestamp = False  # reproducible bytes
    opts.drop_tables += ["DSIG", "BASE"]
    sub = subset.Subsetter(options=opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    out = HERE / out_name
    font.save(str(out))
    return out_name, len(font.getGlyphOrder()), out.stat().st_size, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", nargs="*", default=None, help="output file names to build")
    args = ap.parse_args(argv)
    names = args.only or list(FACES)
    unicodes = sorted(repertoire())
    print(f"repertoire: {len(unicodes)} code points "
          f"(sha256 {hashlib.sha256(repr(unicodes).encode()).hexdigest()[:12]})")
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for name, glyphs, size, secs in pool.map(build_one, names, [unicodes] * len(names)):
            print(f"{name}: {glyphs} glyphs, {size / 1e6:.2f} MB, {secs:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
