"""The `layout` command. Thin: parses arguments, calls the pipeline, prints, sets the exit code.

Exit codes: 0 built (or checked) fine; 1 built, but --strict found errors or warnings (or
preflight found errors); 2 invalid input (no traceback: the diagnostics say what and where)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from layout.diagnostics import InputError, Severity


def _print_diagnostics(diags, stream=sys.stderr, limit: int = 50) -> None:
    items = list(diags)
    for d in items[:limit]:
        print(d.format(), file=stream)
    if len(items) > limit:
        print(f"… and {len(items) - limit} more (see report.json)", file=stream)


def _default_outdir(edition: Path) -> Path:
    return Path("out") / edition.stem


def cmd_build(args) -> int:
    from layout.build import build

    edition = Path(args.edition)
    outdir = Path(args.output) if args.output else _default_outdir(edition)
    tty = sys.stderr.isatty()

    def progress(page: str) -> None:
        if tty:
            print(f"\r  page {page} written", end="", file=sys.stderr, flush=True)
        elif args.verbose:
            print(f"  page {page} written", file=sys.stderr)

    started = time.perf_counter()
    result = build(edition, outdir, progress=progress, proofs=not args.no_proofs, preflight=not args.no_preflight,
                   print_profile=args.print)
    if tty:
        print(file=sys.stderr)
    diags = result.diagnostics
    _print_diagnostics([d for d in diags if d.severity is not Severity.INFO])
    s = result.report["summary"]
    over = [st for st in result.report["stories"] + result.report.get("tables", []) if st["status"] == "over"]
    pre_err = [f for f in result.report["preflight"] if f["severity"] == "error"]
    print(f"built {s['pages']} pages, {s['stories']} stories into {outdir} in {time.perf_counter() - started:.2f} s: "
          f"{len(over)} overset, {s['errors']} errors, {s['warnings']} warnings, "
          f"{len(result.report['preflight'])} preflight findings ({len(pre_err)} errors)")
    for st in over:
        if st.get("kind") == "table":
            print(f"  overset table {st['id']}: {st['overset_rows']} rows, {st['overset_chars']} characters",
                  file=sys.stderr)
            continue
        print(f"  overset {st['id']}: {st['overset_chars']} characters, {st['overset_lines']} lines", file=sys.stderr)
    if args.strict and (s["errors"] or s["warnings"] or pre_err):
        return 1
    return 0


def cmd_suggest(args) -> int:
    from layout.autolayout.suggest import report, suggest_plan, write_proofs
    from layout.build import prepare
    from layout.model import load_edition

    path = Path(args.edition)
    prep = prepare(path)
    # The page as written (pagination replaced the context's edition by the laid-out one).
    roots = [(path.parent / r).resolve() for r in prep.template.asset_roots]
    edition = load_edition(path, asset_roots=roots, page_count=prep.template.pages,
                           grid=(prep.template.grid.columns, prep.template.grid.lines))
    from layout.ads.plan import plan_ads

    edition, _ = plan_ads(edition, prep.template)  # with its booked ads pinned, as the build has it
    page = edition.page(args.page)
    if page is None:
        print(f"no page {args.page!r}; pages: {', '.join(p.id for p in edition.pages)}", file=sys.stderr)
        return 2
    plan, chosen = suggest_plan(prep.ctx, edition, page, args.n)
    print(report(plan, chosen))
    if plan.solutions and not args.no_proofs:
        folder = Path(args.proofs) if args.proofs else _default_outdir(path) / "suggest" / page.id
        index = write_proofs(prep, edition, page, plan, folder, dpi=args.dpi, chosen=chosen)
        print(f"\nproofs: {index}")
    return 0 if plan.solutions else 1


def cmd_check(args) -> int:
    from layout.build import prepare

    prep = prepare(Path(args.edition))
    diags = prep.ctx.diagnostics
    _print_diagnostics(diags)
    errors = sum(1 for d in diags if d.severity is Severity.ERROR)
    print(f"{args.edition}: {len(prep.ctx.edition.pages)} pages, {len(prep.ctx.edition.stories)} stories, "
          f"{errors} errors, {len(diags) - errors} warnings")
    return 1 if (args.strict and len(diags)) else 0


def cmd_fonts(args) -> int:
    from layout.build import prepare
    from layout.fonts.report import font_report

    prep = prepare(Path(args.edition))
    items = []
    for sid, story in prep.ctx.edition.stories.items():
        for n, para in enumerate(story.paragraphs):
            items.append(("body" if para.kind == "body" else "sans", sid, n, para.text))
        for text in (story.headline,):
            items.append((prep.template.headline.font, sid, None, text))
    report = font_report(prep.catalog, items)
    print(report.format() if hasattr(report, "format") else report)
    return 0


def cmd_preflight(args) -> int:
    from layout.preflight.cli import run

    return run([Path(p) for p in args.files], args.profile, args.json)


def cmd_proof(args) -> int:
    from layout.proof.proofs import make_proofs

    result = make_proofs(Path(args.outdir), dpi=args.dpi, grid=args.grid)
    print(result)
    return 0


def cmd_diff(args) -> int:
    from layout.proof.diff import diff_builds

    out = Path(args.output) if args.output else Path(args.new) / "diff"
    changed = diff_builds(Path(args.old), Path(args.new), out)
    print("changed pages: " + (", ".join(changed) if changed else "none"))
    return 0


def cmd_dummy(args) -> int:
    from layout.ads.dummy import make_dummy

    edition = Path(args.edition)
    result = make_dummy(edition, Path(args.output) if args.output else _default_outdir(edition) / "dummy")
    _print_diagnostics([d for d in result.diagnostics if d.severity is not Severity.INFO])
    t = result.data["total"]
    print(f"ad dummy of {len(result.summary)} pages in {result.outdir}: {t['placed']} of {t['booked']} bookings "
          f"placed, ads {t['ad_share']:.1%} of the live area, {t['editorial_col_lines']} column-lines editorial")
    return 1 if any(d.severity is Severity.ERROR for d in result.diagnostics) else 0


def cmd_watch(args) -> int:
    from layout.proof.watch import watch
    from layout.watchbuild import Rebuilder

    edition = Path(args.edition)
    outdir = Path(args.output) if args.output else _default_outdir(edition)
    watch(edition, outdir, Rebuilder(), once=args.once)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="layout", description="Lay out a Chinese daily newspaper edition.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build page PDFs, edition.pdf, report.json and proofs")
    b.add_argument("edition")
    b.add_argument("-o", "--output", help="output folder (default out/<edition name>)")
    b.add_argument("--strict", action="store_true", help="exit 1 on any error or warning")
    b.add_argument("--no-proofs", action="store_true", help="skip the proof images and proof.html")
    b.add_argument("--no-preflight", action="store_true", help="skip preflight of the written PDFs")
    b.add_argument("--print", metavar="PROFILE", help="print profile instead of the edition's (newsprint, commercial, or a file)")
    b.add_argument("-v", "--verbose", action="store_true")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="validate an edition without writing anything")
    c.add_argument("edition")
    c.add_argument("--strict", action="store_true")
    c.set_defaults(func=cmd_check)
    f = sub.add_parser("fonts", help="list the faces serving the edition and any missing characters")
    f.add_argument("edition")
    f.set_defaults(func=cmd_fonts)
    pf = sub.add_parser("preflight", help="check PDFs (ours or delivered ads) against a print profile")
    pf.add_argument("files", nargs="+")
    pf.add_argument("--profile", default="newsprint")
    pf.add_argument("--json", action="store_true")
    pf.set_defaults(func=cmd_preflight)
    pr = sub.add_parser("proof", help="(re)make proofs of an existing build")
    pr.add_argument("outdir")
    pr.add_argument("--dpi", type=int, default=100)
    pr.add_argument("--grid", action="store_true", help="draw the baseline grid on the proofs")
    pr.set_defaults(func=cmd_proof)
    d = sub.add_parser("diff", help="pages that changed between two builds, with highlighted images")
    d.add_argument("old")
    d.add_argument("new")
    d.add_argument("-o", "--output")
    d.set_defaults(func=cmd_diff)
    sg = sub.add_parser("suggest", help="the best few automatic layouts of one page, with scores, trades and proofs")
    sg.add_argument("edition")
    sg.add_argument("page")
    sg.add_argument("-n", type=int, default=3, help="how many layouts (default 3)")
    sg.add_argument("--proofs", metavar="DIR",
                    help="where the proofs and index.html go (default out/<edition name>/suggest/<PAGE>)")
    sg.add_argument("--no-proofs", action="store_true", help="print the text report only")
    sg.add_argument("--dpi", type=int, default=72, help="proof resolution (default 72)")
    sg.set_defaults(func=cmd_suggest)
    dm = sub.add_parser("dummy", help="the ad dummy: booked ads placed, before any story (PDF, PNGs, dummy.json)")
    dm.add_argument("edition")
    dm.add_argument("-o", "--output", help="output folder (default out/<edition name>/dummy)")
    dm.set_defaults(func=cmd_dummy)
    w = sub.add_parser("watch", help="rebuild proofs on every save")
    w.add_argument("edition")
    w.add_argument("-o", "--output")
    w.add_argument("--once", action="store_true", help=argparse.SUPPRESS)
    w.set_defaults(func=cmd_watch)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as err:
        _print_diagnostics(err.diagnostics, limit=100)
        n = len(err.diagnostics)
        print(f"{n} input error{'s' if n != 1 else ''}: nothing was written", file=sys.stderr)
        return 2
    except FileNotFoundError as err:
        print(f"error: {err.filename}: no such file", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the previous output is untouched", file=sys.stderr)
        return 130
