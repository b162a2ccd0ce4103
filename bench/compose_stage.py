"""The body composer and the font side of the PDF writer alone, in CPU seconds.

    python bench/compose_stage.py record EDITION WORK.pkl     # one build, its calls captured
    python bench/compose_stage.py time WORK.pkl [--runs N]    # the captured work done again

`record` builds EDITION in this process (build cache off, no forks, no proofs or preflight) and
keeps what the composer and the font code were asked to do: every paragraph composition
(text/compose.py `_compose`), every display preparation and composition (text/display.py),
every font subset (Face.subset_checked) and every TJ text run (PdfFonts.operators). `time`
loads the same faces afresh and does that work again N times, printing the least CPU seconds of
each part and a digest of every result: run it under two checkouts (`PYTHONPATH=CHECKOUT`,
alternated) to compare their speed and to check that their output is the same. The faces'
first use (glyph checks, ink boxes, glyph names) is timed once, before the rest, as a cold build
pays it. CPU time, so other jobs on the machine inflate it less than wall time; compare runs
made side by side."""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import sys
import time
from pathlib import Path


def record(edition: str, out: str) -> None:
    os.environ["LAYOUT_CACHE"] = "off"
    os.environ["LAYOUT_NO_FORK"] = "1"
    import layout.autolayout.parallel as parallel
    import layout.fonts.face as F
    import layout.fonts.pdf as P
    import layout.text.compose as C
    import layout.text.display as D
    from layout.cli import main
    from layout.fonts.catalog import FontCatalog

    parallel.start = lambda job: None  # every page planned here, so every call is seen
    rec: dict = {"cfg": None, "compose": [], "prepare": [], "at": [], "subsets": [], "runs": []}
    from_config = FontCatalog.from_config.__func__

    def catalog(cls, cfg, base_dir=None):
        rec["cfg"] = (cfg, base_dir)
        return from_config(cls, cfg, base_dir)

    FontCatalog.from_config = classmethod(catalog)
    compose = C._compose

    def composed(seg_er, text, measure, indent, hang=0.0, runs=(), fixed=(), keep=()):
        rec["compose"].append((seg_er.style, seg_er.chain.role, text, measure, indent, hang,
                               tuple((a, b, c.role) for a, b, c in runs), fixed, keep))
        return compose(seg_er, text, measure, indent, hang, runs, fixed, keep)

    C._compose = composed
    prepare = D._prepare

    def prepared(text, style, chain, words, justify):
        p = prepare(text, style, chain, words, justify)
        p._bench = len(rec["prepare"])
        rec["prepare"].append((text, style, chain.role, words, justify))
        return p

    D._prepare = prepared
    compose_at = D._compose_at

    def composed_at(prep, measure, max_lines, balance):
        rec["at"].append((prep._bench, measure, max_lines, balance))
        return compose_at(prep, measure, max_lines, balance)

    D._compose_at = composed_at
    subset = F.Face.subset_checked

    def subset_checked(self, gids, font_name=None):
        rec["subsets"].append((str(self.spec.path), self.spec.index, sorted(gids), font_name))
        return subset(self, gids, font_name)

    F.Face.subset_checked = subset_checked
    operators = P.PdfFonts.operators

    def ops(name, face, size, glyphs):
        rec["runs"].append((name, str(face.spec.path), face.spec.index, size, list(glyphs)))
        return operators(name, face, size, glyphs)

    P.PdfFonts.operators = staticmethod(ops)
    with open(os.devnull, "w") as quiet:
        err, sys.stderr = sys.stderr, quiet
        try:
            main(["build", edition, "-o", str(Path(out).with_suffix(".out")), "--no-proofs", "--no-preflight"])
        finally:
            sys.stderr = err
    with open(out, "wb") as f:
        pickle.dump(rec, f)
    print(f"{len(rec['compose'])} compositions, {len(rec['prepare'])} display texts at {len(rec['at'])} widths, "
          f"{len(rec['subsets'])} subsets, {len(rec['runs'])} text runs -> {out}")


def time_it(work: str, runs: int) -> None:
    os.environ["LAYOUT_CACHE"] = "off"
    import layout.text.compose as C
    import layout.text.display as D
    from layout.fonts.catalog import FontCatalog
    from layout.fonts.face import Face, FaceSpec
    from layout.fonts.pdf import PdfFonts
    from layout.text.segment import Segmenter

    with open(work, "rb") as f:
        rec = pickle.load(f)
    cfg, base = rec["cfg"]
    cat = FontCatalog.from_config(cfg, base_dir=base)
    t = time.process_time()
    for style, role, text, *_ in rec["compose"]:  # first use of the faces, as a cold build pays it
        Segmenter(style, cat.chain(role)).segment(text)
    for text, style, role, words, justify in rec["prepare"]:
        D._prepare(text, style, cat.chain(role), words, justify)
    first = time.process_time() - t
    best: dict[str, float] = {}
    digest = hashlib.sha256()
    subset_faces: dict = {}
    for r in range(runs):
        parts: dict[str, float] = {}
        C._segmenter.cache_clear()
        segmenters: dict = {}
        t = time.process_time()
        for style, role, text, measure, indent, hang, face_runs, fixed, keep in rec["compose"]:
            seg_er = segmenters.get((style, role))
            if seg_er is None:
                seg_er = segmenters[(style, role)] = Segmenter(style, cat.chain(role))
            chains = tuple((a, b, cat.chain(rl)) for a, b, rl in face_runs)
            par = C._compose(seg_er, text, measure, indent, hang, chains, fixed, keep)
            if r == 0:
                digest.update(repr(par).encode())
        parts["body composition"] = time.process_time() - t
        C._segmenter.cache_clear()
        t = time.process_time()
        preps = [D._prepare(text, style, cat.chain(role), words, justify)
                 for text, style, role, words, justify in rec["prepare"]]
        parts["display preparation"] = time.process_time() - t
        t = time.process_time()
        for i, measure, max_lines, balance in rec["at"]:
            got = D._compose_at(preps[i], measure, max_lines, balance)
            if r == 0:
                digest.update(repr(got).encode())
        parts["display composition"] = time.process_time() - t
        # subsets: faces loaded afresh, their glyphs checked first (composition does that)
        faces = {}
        for path, index, gids, _name in rec["subsets"]:
            face = faces.get((path, index))
            if face is None:
                face = faces[(path, index)] = Face(FaceSpec(Path(path), index))
            for g in gids:
                face.glyph_problem(g)
        t = time.process_time()
        for path, index, gids, name in rec["subsets"]:
            src = faces[(path, index)].outlines
            program, bad = (src.subset_checked(frozenset(gids), name.encode()) if faces[(path, index)].is_cff
                            else src.subset_checked(frozenset(gids)))
            if r == 0:
                digest.update(program)
                digest.update(repr(sorted(bad.items())).encode())
        parts["font subsets + checks"] = time.process_time() - t
        subset_faces = faces
        t = time.process_time()
        for name, path, index, size, glyphs in rec["runs"]:
            text = PdfFonts.operators(name, subset_faces.get((path, index)) or Face(FaceSpec(Path(path), index)),
                                      size, glyphs)
            if r == 0:
                digest.update(text.encode())
        parts["TJ text operators"] = time.process_time() - t
        for k, v in parts.items():
            best[k] = min(best.get(k, v), v)
    print(f"faces' first use: {first:.3f} s CPU (once)")
    for k, v in best.items():
        print(f"{k:24s} {v:.3f} s CPU (least of {runs})")
    print(f"{'sum':24s} {sum(best.values()):.3f} s; digest of every result {digest.hexdigest()[:16]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("edition")
    r.add_argument("work")
    t = sub.add_parser("time")
    t.add_argument("work")
    t.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if args.cmd == "record":
        record(args.edition, args.work)
    else:
        time_it(args.work, args.runs)


if __name__ == "__main__":
    main()
