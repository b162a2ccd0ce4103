"""Measure font work for an edition-sized job: `python -m layout.fonts.bench [text files...]`.

Spreads the given text (default: editions/sample/*.txt, padded with Big5 level-1 characters to
~3 500 distinct characters) over 13 output files with four roles, draws it through PdfFonts into
in-memory PDFs, and reports the time spent in font work (parsing, glyph closures, subset writing,
PDF font objects) separately from reportlab's own PDF writing. Not a test: timings vary by machine.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from layout.fonts.catalog import FontCatalog
from layout.fonts.pdf import PdfFonts, canvas_kwargs

REPO = Path(__file__).resolve().parent.parent.parent
ROLES = ("body", "bold", "sans", "headline")


def edition_text(paths: list[Path], target_distinct: int = 3500) -> str:
    text = "".join(p.read_text(encoding="utf-8") for p in paths)
    distinct = set(text)
    pad = []
    for code in range(0xA440, 0xC67F):  # Big5 level 1, in code order
        try:
            ch = code.to_bytes(2, "big").decode("big5")
        except UnicodeDecodeError:
            continue
        if len(distinct) + len(pad) >= target_distinct:
            break
        if ch not in distinct:
            pad.append(ch)
    return text + "".join(pad)


def run(text: str, files: int = 13) -> dict[str, float]:
    catalog = FontCatalog.default()
    chunk = -(-len(text) // files)
    timings = {"draw": 0.0, "fonts": 0.0, "save_total": 0.0, "bytes": 0, "cpu_fonts": 0.0}
    for n in range(files):
        part = text[n * chunk : (n + 1) * chunk]
        # most text is body; headlines, decks and sub-heads take slices of it
        by_role = {"body": part, "headline": part[:120], "sans": part[120:400], "bold": part[400:520]}
        buf = io.BytesIO()
        canvas = Canvas(buf, pagesize=(842, 1191), **canvas_kwargs())
        fonts = PdfFonts(catalog)
        # set the text first (the composer's work, not timed): one run per line and face
        runs = []
        for role in ROLES:
            chain = catalog.chain(role)
            x, y = 20.0, 1150.0
            run_face, glyphs = None, []
            for ch in by_role[role]:
                if ch.isspace():
                    continue
                hit = chain.resolve(ch)
                if hit is None:
                    continue
                face, gid = hit
                if face is not run_face and glyphs:
                    runs.append((run_face, glyphs))
                    glyphs = []
                run_face = face
                glyphs.append((gid, x, y, ch))
                x += face.advance(gid) * 9.0
                if x > 800:
                    runs.append((run_face, glyphs))
                    glyphs = []
                    x, y = 20.0, y - 12.0
            if glyphs:
                runs.append((run_face, glyphs))
        t0 = time.perf_counter()
        c0 = time.process_time()
        for face, glyphs in runs:
            fonts.draw(canvas, face, 9.0, glyphs)
        timings["draw"] += time.perf_counter() - t0
        doc = canvas._doc
        t1 = time.perf_counter()
        fonts.add_objects(doc)  # what save() would call; timed on its own
        timings["fonts"] += time.perf_counter() - t1
        timings["cpu_fonts"] += time.process_time() - c0
        doc.delayedFonts.clear()
        t2 = time.perf_counter()
        canvas.save()
        timings["save_total"] += time.perf_counter() - t2
        timings["bytes"] += len(buf.getvalue())
    return timings


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((REPO / "editions" / "sample").glob("*.txt"))
    text = edition_text(paths)
    t0 = time.perf_counter()
    c0 = time.process_time()
    timings = run(text)
    total = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(f"{len(text)} characters, {len(set(text))} distinct, 13 files x {len(ROLES)} roles")
    print(f"font work (draw calls + subset + font objects): {timings['draw'] + timings['fonts']:.3f} s wall, "
          f"{timings['cpu_fonts']:.3f} s CPU "
          f"(draw {timings['draw']:.3f}, subset+objects {timings['fonts']:.3f})")
    print(f"reportlab save (serialise, compress): {timings['save_total']:.3f} s; total {total:.3f} s; "
          f"PDF bytes {timings['bytes']}")
    print(f"process CPU time for everything above: {cpu:.3f} s (wall time suffers on a loaded machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
