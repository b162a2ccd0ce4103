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
The Traditional-region faces (`tc`, face index 3: Taiwan glyph shapes, centred ，。) are cut to Big5
only. The Kai face (LXGW WenKai, OFL) comes from the npm package lxgw-wenkai-webfont 1.7.0
(`npm pack lxgw-wenkai-webfont`, then --wenkai PATH): its woff2 pieces are merged back into one
face (reading woff2 needs the brotli module) and subset the same way.
One face takes a minute or two; faces are built in parallel processes.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
SC_INDEX = 2  # collection order: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
TC_INDEX = 3  # Traditional-region face: Taiwan glyph shapes, 、。，！？ centred in the em
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class FaceJob:
    source: str  # a Noto collection in NOTO_DIR, or "wenkai" (the npm tarball, see --wenkai)
    index: int = SC_INDEX
    repertoire: str = "full"  # full: Big5 + GB 2312; big5: Big5 only (Traditional-region faces)


# output file -> where it comes from
FACES: dict[str, FaceJob] = {
    "NotoSerifCJKsc-Regular.otf": FaceJob("NotoSerifCJK-Regular.ttc"),  # body
    "NotoSerifCJKsc-Bold.otf": FaceJob("NotoSerifCJK-Bold.ttc"),  # sub-heads, bold
    "NotoSansCJKsc-Bold.otf": FaceJob("NotoSansCJK-Bold.ttc"),  # kickers, decks, captions, folio
    "NotoSansCJKsc-Black.otf": FaceJob("NotoSansCJK-Black.ttc"),  # headlines
    # The Traditional-region faces of the Taiwan / Hong Kong convention (issue 16): only the roles
    # whose punctuation a reader sees most (body; kickers and decks in the Sans Bold; headlines in
    # the Sans Black, as the mainland convention's), Big5 only, to keep the repository lean; the
    # other roles fall back to these. The Black collection is in fonts-noto-cjk-extra.
    "NotoSerifCJKtc-Regular.otf": FaceJob("NotoSerifCJK-Regular.ttc", TC_INDEX, "big5"),
    "NotoSansCJKtc-Bold.otf": FaceJob("NotoSansCJK-Bold.ttc", TC_INDEX, "big5"),
    "NotoSansCJKtc-Black.otf": FaceJob("NotoSansCJK-Black.ttc", TC_INDEX, "big5"),
    # Kai (楷) for bylines, captions and notes: LXGW WenKai, TrueType outlines, OFL.
    "LXGWWenKai-Regular.ttf": FaceJob("wenkai", 0, "full"),
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


def repertoire(kind: str = "full") -> set[int]:
    cps = big5_levels_1_2() | {ord(c) for c in PUNCTUATION + EXTRA}
    if kind == "full":
        cps |= gb2312()
    for first, last in RANGES:
        cps.update(range(first, last + 1))
    # Private-use code points that codecs map some Big5 slots to are not wanted in a shipped face.
    return {cp for cp in cps if not 0xE000 <= cp <= 0xF8FF}


def wenkai_source(tgz: Path, weight: str = "regular") -> TTFont:
    """LXGW WenKai from the npm package `lxgw-wenkai-webfont` (`npm pack lxgw-wenkai-webfont`): the
    font is shipped there as ~100 woff2 pieces split by Unicode range (read with brotli), all cut
    from the same face, so merging them gives back one face with its cmap, outlines, vmtx and vert."""
    import io
    import tarfile
    import tempfile

    from fontTools import merge
    from fontTools.ttLib import TTFont

    drop = ["morx", "feat", "bsln", "prop", "FFTM", "GPOS"]  # AAT tables and kerning: not used
    with tarfile.open(tgz) as tar, tempfile.TemporaryDirectory() as tmp:
        names = sorted(m.name for m in tar.getmembers()
                       if re.fullmatch(rf"package/files/lxgwwenkai-{weight}-subset-\d+\.woff2", m.name))
        if not names:
            raise SystemExit(f"{tgz}: no lxgwwenkai-{weight} woff2 files (is it lxgw-wenkai-webfont?)")
        paths = []
        for name in names:
            piece = TTFont(io.BytesIO(tar.extractfile(name).read()), recalcTimestamp=False)
            piece.flavor = None
            for tag in drop:
                if tag in piece:
                    del piece[tag]
            path = Path(tmp) / (Path(name).stem + ".ttf")
            piece.save(str(path))
            paths.append(str(path))
        font = merge.Merger(options=merge.Options(drop_tables=drop)).merge(paths)
        buf = io.BytesIO()
        font.save(buf)
    return TTFont(io.BytesIO(buf.getvalue()), recalcTimestamp=False)


# The Debian package that ships each source collection (fonts-noto-cjk has Regular and Bold only).
PACKAGES = {"NotoSansCJK-Black.ttc": "fonts-noto-cjk-extra", "NotoSerifCJK-Black.ttc": "fonts-noto-cjk-extra"}


def missing_sources(names: list[str], noto_dir: Path, wenkai: Path | None) -> list[str]:
    """What the faces `names` are cut from that is not here, one line each (checked before any
    work starts, so a missing source is a message, not a worker's traceback minutes later)."""
    out = []
    for name in names:
        job = FACES[name]
        if job.source == "wenkai":
            if wenkai is None or not wenkai.is_file():
                out.append(f"{name}: give --wenkai PATH, the tarball of `npm pack lxgw-wenkai-webfont@1.7.0`")
            continue
        path = noto_dir / job.source
        if not path.is_file():
            out.append(f"{name}: needs {path} (Debian package {PACKAGES.get(job.source, 'fonts-noto-cjk')}; "
                       "or give --noto-dir)")
    return out


def build_one(out_name: str, unicodes: list[int], wenkai: Path | None = None,
              noto_dir: Path = NOTO_DIR) -> tuple[str, int, int, float]:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    t0 = time.perf_counter()
    job = FACES[out_name]
    if job.source == "wenkai":
        if wenkai is None:
            raise SystemExit(f"{out_name}: give --wenkai PATH (the tarball of `npm pack lxgw-wenkai-webfont`)")
        font = wenkai_source(wenkai)
    else:
        font = TTFont(str(noto_dir / job.source), fontNumber=job.index, recalcTimestamp=False)
    unicodes = [cp for cp in unicodes if cp in repertoire_cache(job.repertoire)]
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


_REPERTOIRES: dict[str, set[int]] = {}


def repertoire_cache(kind: str) -> set[int]:
    if kind not in _REPERTOIRES:
        _REPERTOIRES[kind] = repertoire(kind)
    return _REPERTOIRES[kind]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", nargs="*", default=None, help="output file names to build")
    ap.add_argument("--wenkai", type=Path, default=None,
                    help="lxgw-wenkai-webfont-1.7.0.tgz (from `npm pack lxgw-wenkai-webfont`) for the Kai face")
    ap.add_argument("--noto-dir", type=Path, default=NOTO_DIR,
                    help=f"folder of the Noto CJK collections (default {NOTO_DIR})")
    args = ap.parse_args(argv)
    names = args.only or list(FACES)
    unknown = [n for n in names if n not in FACES]
    if unknown:
        print(f"unknown face {', '.join(unknown)}; the faces are {', '.join(FACES)}", file=sys.stderr)
        return 2
    missing = missing_sources(names, args.noto_dir, args.wenkai)
    if missing:
        print("sources not found, nothing built:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 2
    unicodes = sorted(repertoire())
    print(f"repertoire: {len(unicodes)} code points "
          f"(sha256 {hashlib.sha256(repr(unicodes).encode()).hexdigest()[:12]})")
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        jobs = pool.map(build_one, names, [unicodes] * len(names), [args.wenkai] * len(names),
                        [args.noto_dir] * len(names))
        for name, glyphs, size, secs in jobs:
            print(f"{name}: {glyphs} glyphs, {size / 1e6:.2f} MB, {secs:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
