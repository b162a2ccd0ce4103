"""Composer speed on the sample edition's story texts (not a test: run it by hand).

    python tests/text/bench_compose.py [FONT [FACE_INDEX]] [--measure 13]

Reports CPU time (process time, so other jobs on the machine do not inflate it) for composing
every paragraph once, per breaker and punctuation style, with warm glyph caches.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from layout.fonts.chain import FontChain
from layout.fonts.face import Face, FaceSpec
from layout.text.compose import Composer
from layout.text.style import CompositionStyle

ROOT = Path(__file__).resolve().parents[2]


def sample_paragraphs() -> list[str]:
    out = []
    for path in sorted((ROOT / "editions" / "sample").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("font", nargs="?", default="/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
    ap.add_argument("index", nargs="?", type=int, default=2)
    ap.add_argument("--measure", type=float, default=13.0)
    args = ap.parse_args()
    paras = sample_paragraphs()
    print(f"{len(paras)} paragraphs, {sum(map(len, paras))} characters, measure {args.measure:g} em")
    chain = FontChain("body", [Face(FaceSpec(Path(args.font), args.index))])
    for breaker in ("total-fit", "first-fit"):
        for punct in ("kaiming", "quanjiao+lineend"):
            style = CompositionStyle(punct_style=punct, breaker=breaker)
            warm = Composer(style, chain)
            for p in paras:
                warm.paragraph(p, args.measure)
            composer = Composer(style, chain)
            composer._segmenter = warm._segmenter  # warm per-character caches, cold paragraph cache
            t = time.process_time()
            lines = sum(len(composer.paragraph(p, args.measure).lines) for p in paras)
            print(f"{breaker:10} {punct:17} {time.process_time() - t:.3f} s CPU, {lines} lines")


if __name__ == "__main__":
    main()
