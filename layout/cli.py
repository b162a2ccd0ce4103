"""The `layout` command. Thin: parses arguments, calls the pipeline, prints, sets the exit code.

Exit codes, the same for every command that builds or checks:
  0  built (or checked) clean, or with warnings only;
  1  built, but with errors: overset text, a page not laid out, missing glyphs, preflight errors
     (any diagnostic of severity error after loading); with --strict warnings count as errors;
  2  nothing built: invalid input (the edition, a file it names, an argument) or an output folder
     that cannot take the build. No traceback for any of these: the messages say what and where."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

from layout.diagnostics import InputError, OutputError, Severity


def _diagnostic_lines(diags, limit: int = 50, rest: str = "all of them are in report.json") -> list[str]:
    """The diagnostics as printed, in their order: every error, and warnings up to `limit` (a
    night's edition can have hundreds of warnings; an error is never among those left out)."""
    lines = []
    left = 0
    for d in diags:
        if d.severity is Severity.ERROR or len(lines) < limit:
            lines.append(d.format())
        else:
            left += 1
    if left:
        lines.append(f"… and {left} more warning{'s' if left != 1 else ''} ({rest})")
    return lines


def _print_diagnostics(diags, stream=sys.stderr, limit: int = 50, rest: str = "all of them are in report.json") -> None:
    for line in _diagnostic_lines(diags, limit, rest):
        print(line, file=stream)


CHECK_LIMIT = 50  # warnings `layout check` prints unless --all (errors are always printed)


def _default_outdir(edition: Path) -> Path:
    return Path("out") / edition.stem


def exit_code(errors: int, warnings: int, strict: bool) -> int:
    """1 when the build has errors (or, with --strict, warnings), else 0; see the module's note."""
    return 1 if errors or (strict and warnings) else 0


def _overset(layout) -> list:
    """The placed stories with text left over: each is an error of the build."""
    return [sid for sid, st in layout.stories.items() if st.result.overset_lines or st.result.overset_chars]


def _unsaid_overset(layout, diagnostics) -> int:
    """Overset stories no error diagnostic names: each still counts as an error, once (a story
    reported AUTOLAYOUT-OVERSET is already one of the errors the summary counts)."""
    said = {d.story for d in diagnostics if d.severity is Severity.ERROR and d.story and "OVERSET" in d.code}
    return sum(1 for sid in _overset(layout) if sid not in said)


def _preflight_lines(findings: list[dict], pages: list[dict] = ()) -> list[str]:
    """The preflight errors of the written pages, one line each (file, page, code, message, the
    items of report.json's `pages` its area covers, where): the summary counted them and the exit
    status failed on them, but nothing said which page or what (a colour ad on a mono page gave
    'exit status 1: 1 error' and no line about it). The warnings are in report.json and proof.html."""
    by_id = {p["id"]: p for p in pages}
    out = []
    for f in findings:
        if f.get("severity") != "error":
            continue
        where = ", ".join(x for x in (f.get("file") or "", f"page {f['page']}" if f.get("page") else "") if x)
        text = f"{where or 'edition'}: error {f['code']}: {f['message']}"
        items = _items_under(f.get("bbox"), by_id.get(f.get("page") or ""))
        if items:
            text += " (" + ", ".join(items) + ")"
        if f.get("bbox"):
            text += " [at " + ", ".join(f"{v:.0f}" for v in f["bbox"]) + " pt]"
        out.append(text)
    return out


def _items_under(bbox, page: dict | None) -> list[str]:
    """The modules of `page` (report.json's, y down from the trim's top) that a finding's bbox (PDF
    points of the media box, y up) overlaps."""
    if not bbox or page is None:
        return []
    tx, ty, height = page.get("trim_x", 0.0), page.get("trim_y", 0.0), page["height"]
    left, right = bbox[0] - tx, bbox[2] - tx
    top, bottom = height - (bbox[3] - ty), height - (bbox[1] - ty)
    out = []
    for m in page.get("modules", ()):
        w = min(right, m["x"] + m["w"]) - max(left, m["x"])
        h = min(bottom, m["y"] + m["h"]) - max(top, m["y"])
        if w > 1 and h > 1:
            out.append(f"{m['kind']} {m['ref']}" if m.get("ref") else m["kind"])
    return out


def _verdict(code: int, errors: int, warnings: int, strict: bool) -> None:
    if code:
        what = f"{errors} error{'s' if errors != 1 else ''}"
        if strict and warnings:
            what += f" and {warnings} warning{'s' if warnings != 1 else ''} (--strict)"
        print(f"exit status 1: {what}", file=sys.stderr)


def _build_options(args) -> dict:
    """The options of `layout build` that change what it writes (the replay's key has them)."""
    return {"proofs": not args.no_proofs, "preflight": not args.no_preflight, "print": args.print,
            "edition_pdf": True}


def cmd_build(args) -> int:
    # Only the standard library and layout.replay up to the decision: a build whose inputs are all
    # as a recorded build found them is given again without loading the engine (layout/replay.py).
    from layout import replay

    started = time.perf_counter()
    edition = Path(args.edition)
    if args.output is not None and not args.output.strip():
        # `-o "$OUT"` with OUT unset: not the default folder, which the script did not ask for
        from layout.outfolder import output_error

        raise output_error("OUTPUT-FOLDER", "-o", "the output folder is an empty name",
                           "give -o a folder, or leave -o out for out/<edition name>")
    outdir = Path(args.output) if args.output else _default_outdir(edition)
    options = _build_options(args)
    memo = replay.Memo.open(replay.Request(str(edition), str(outdir), options))
    if memo is not None:
        done = memo.replay()
        if done is not None:
            return _replayed(args, done, started)
    tty = sys.stderr.isatty()
    written: list[str] = []

    def progress(page: str) -> None:
        written.append(page)
        if tty:
            print(f"\r  page {page} written", end="", file=sys.stderr, flush=True)
        elif args.verbose:
            print(f"  page {page} written", file=sys.stderr)

    recorder = memo.recorder() if memo is not None else None
    from layout.runner import running

    # the runner forked now, small, inside the recording (layout/runner.py): edition.pdf, preflight, proofs
    with recorder if recorder is not None else contextlib.nullcontext(), running() as runner:
        from layout.build import build  # (after the fork: the runner does not need it)

        result = build(edition, outdir, progress=progress, proofs=options["proofs"], preflight=options["preflight"],
                       print_profile=options["print"], edition_pdf=options["edition_pdf"],
                       staged=recorder.staged if recorder is not None else None, runner=runner)
    if tty:
        print(file=sys.stderr)
    lines: list[tuple[str, str]] = []  # what is printed, as the replay prints it again
    diags = result.diagnostics
    lines += [("err", t) for t in _diagnostic_lines([d for d in diags if d.severity is not Severity.INFO])]
    lines += [("err", t) for t in _preflight_lines(result.report["preflight"], result.report["pages"])]
    s = result.report["summary"]
    over = [st for st in result.report["stories"] + result.report.get("tables", []) if st["status"] == "over"]
    pre_err = [f for f in result.report["preflight"] if f["severity"] == "error"]
    lines.append(("out", f"built {s['pages']} pages, {s['stories']} stories into {outdir} in {replay.TIMED} s: "
                         f"{len(over)} overset, {s['errors']} errors, {s['warnings']} warnings, "
                         f"{len(result.report['preflight'])} preflight findings ({len(pre_err)} errors)"))
    for st in over:
        if st.get("kind") == "table":
            lines.append(("err", f"  overset table {st['id']}: {st['overset_rows']} rows, "
                                 f"{st['overset_chars']} characters"))
            continue
        lines.append(("err", f"  overset {st['id']}: {st['overset_chars']} characters, {st['overset_lines']} lines"))
    pre_warn = [f for f in result.report["preflight"] if f["severity"] == "warning"]
    # Text left over in a placed story is an error even where no diagnostic says it (a story on no
    # page is its STORY-NOT-PLACED warning).
    errors = s["errors"] + len(pre_err) + _unsaid_overset(result.layout, diags)
    warnings = s["warnings"] + len(pre_warn)
    _show(lines, time.perf_counter() - started)
    # A warning about tidying up beside the folder is this run's, not the inputs': such a build is
    # not recorded (the next one builds again and tidies).
    if recorder is not None and not any(d.code == "OUTPUT-LEFTOVER" for d in diags):
        with contextlib.suppress(Exception):  # recording only saves time: it never fails a build
            memo.save(recorder, lines, written, errors, warnings)
    code = exit_code(errors, warnings, args.strict)
    _verdict(code, errors, warnings, args.strict)
    if args.timings:
        _print_timings(result.timings, time.perf_counter() - started)
    return code


def _show(lines: list[tuple[str, str]], seconds: float) -> None:
    from layout.replay import show_line

    for stream, text in lines:  # the summary, the one line on stdout, shows this command's time
        if stream == "out":
            print(show_line(text, seconds))
        else:
            print(text, file=sys.stderr)


def _replayed(args, done, started: float) -> int:
    """A recorded build given again: its lines, its exit code (with this command's --strict)."""
    m = done.manifest
    if args.verbose and not sys.stderr.isatty():
        for page in m.progress:
            print(f"  page {page} written", file=sys.stderr)
    if args.verbose:
        print(f"  replayed: no input changed since the build of {m.built_at or 'an earlier run'} "
              "(its outputs written again from the build cache)", file=sys.stderr)
    from layout.diagnostics import Diagnostic, Location

    for problem in done.leftovers:  # as build() says them: the folder is in place, tidying failed
        print(Diagnostic("OUTPUT-LEFTOVER", Severity.WARNING, f"could not tidy up after the build: {problem}",
                         Location(str(done.folder.parent)),
                         hint="remove the hidden folder named, or check its permissions").format(), file=sys.stderr)
    _show(m.lines, time.perf_counter() - started)
    code = exit_code(m.errors, m.warnings, args.strict)
    _verdict(code, m.errors, m.warnings, args.strict)
    if args.timings:
        _print_timings({"replay": done.seconds}, time.perf_counter() - started)
    return code


def _print_timings(timings: dict[str, float], whole: float) -> None:
    """The build's stages in the order they ran, seconds of wall time each (bench/sidebyside.py
    reads these lines); `process` is the whole command after the interpreter started."""
    print("timings:", file=sys.stderr)
    for name, seconds in timings.items():
        if isinstance(seconds, int | float):
            print(f"  {name:<22} {seconds:8.3f} s", file=sys.stderr)
    print(f"  {'process':<22} {whole:8.3f} s", file=sys.stderr)


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
    from layout.output import check_outputs

    prep = prepare(Path(args.edition))
    # What the build's output stage says too (a photo too small, text set in K) and, unless
    # --no-preflight, the preflight findings the build counts: check and build give one verdict.
    findings = check_outputs(prep, preflight=not args.no_preflight)
    diags = prep.ctx.diagnostics
    every = getattr(args, "all", False)
    _print_diagnostics([d for d in diags if d.severity is not Severity.INFO],
                       limit=sys.maxsize if every else CHECK_LIMIT, rest="layout check --all prints them")
    from layout.report import tables_copyfit

    over = _overset(prep.layout)
    for sid in over:
        r = prep.layout.stories[sid].result
        print(f"  overset {sid}: {r.overset_chars} characters, {r.overset_lines} lines", file=sys.stderr)
    # Tables left over count and print as the build's summary has them.
    over_tables = [t for t in tables_copyfit(prep) if t["status"] == "over"]
    for t in over_tables:
        print(f"  overset table {t['id']}: {t['overset_rows']} rows, {t['overset_chars']} characters", file=sys.stderr)
    pre_err = [f for f in findings if f["severity"] == "error"]
    pre_warn = [f for f in findings if f["severity"] == "warning"]
    shown = 0
    for f in pre_err + pre_warn:  # every error, warnings up to the limit (as the diagnostics)
        if f["severity"] == "error" or every or shown < CHECK_LIMIT:
            print(f"{f['file']}: preflight {f['severity']} {f['code']}: {f['message']}", file=sys.stderr)
            shown += f["severity"] == "warning"
    if len(pre_warn) > shown:
        print(f"… and {len(pre_warn) - shown} more preflight warnings (layout check --all prints them)", file=sys.stderr)
    errors = len(diags.errors) + _unsaid_overset(prep.layout, diags) + len(pre_err)
    warnings = len(diags.warnings) + len(pre_warn)
    pre = "" if args.no_preflight else f", {len(findings)} preflight findings ({len(pre_err)} errors)"
    print(f"{args.edition}: {len(prep.ctx.edition.pages)} pages, {len(prep.ctx.edition.stories)} stories, "
          f"{len(over) + len(over_tables)} overset, {len(diags.errors)} errors, {len(diags.warnings)} warnings{pre}")
    code = exit_code(errors, warnings, args.strict)
    _verdict(code, errors, warnings, args.strict)
    return code


def cmd_fonts(args) -> int:
    from layout.build import prepare
    from layout.fonts.report import edition_texts, font_report

    # The faces and the edition's texts only: nothing needs laying out to know what no face has.
    prep = prepare(Path(args.edition), layout=False)
    report = font_report(prep.catalog, edition_texts(prep.ctx.edition, prep.template))
    print(report.format())
    # A character no face has is not printed: an error, as the build counts it (exit 1).
    errors = sum(1 for d in report.diagnostics if d.severity is Severity.ERROR)
    warnings = sum(1 for d in report.diagnostics if d.severity is Severity.WARNING)
    code = exit_code(errors, warnings, strict=False)
    _verdict(code, errors, warnings, strict=False)
    return code


def cmd_preflight(args) -> int:
    from layout.preflight.cli import run

    paths = [Path(p) for p in args.files]
    bad = [(p, _not_a_file(p)) for p in paths if _not_a_file(p)]
    for path, why in bad:
        print(f"error: {path}: {why}", file=sys.stderr)
    if bad:
        return 2
    return run(paths, args.profile, args.json)


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as an input file, or None."""
    try:
        if not path.exists():
            return "no such file"
        if not path.is_file():
            return "not a regular file (a folder, a named pipe or a device?)"
        with open(path, "rb"):
            pass
    except OSError as err:
        return err.strerror or str(err)
    return None


def _not_a_build(folder: Path) -> str | None:
    """Why `folder` is not the output folder of a build, or None."""
    if not folder.exists():
        return "no such folder"
    if not folder.is_dir():
        return "not a folder"
    if not (folder / "report.json").is_file():
        return "not a build's output folder (it has no report.json)"
    return None


def cmd_proof(args) -> int:
    from layout.proof.proofs import make_proofs

    why = _not_a_build(Path(args.outdir))
    if why:
        print(f"error: {args.outdir}: {why}", file=sys.stderr)
        return 2
    try:
        result = make_proofs(Path(args.outdir), dpi=args.dpi, grid=args.grid)
    except ValueError as err:  # report.json cut short or not a build's (JSON, UTF-8, an object)
        print(f"error: {Path(args.outdir) / 'report.json'}: not a build's report ({err})", file=sys.stderr)
        print("    hint: build the edition again into this folder (`layout build EDITION.yaml -o OUT`)",
              file=sys.stderr)
        return 2
    for line in proof_summary(result):
        print(line)
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)
    if result.problems:
        n = len(result.problems)
        print(f"exit status 1: {n} error{'s' if n != 1 else ''}", file=sys.stderr)
    return 1 if result.problems else 0


def proof_summary(result) -> list[str]:
    """What `layout proof` did, in lines for a person: the pages proofed, where the files are, and
    what the build they show found (the proofs mark it; the command only counts it)."""
    n = len(result.images)
    rendered, kept = len(result.rendered), len(result.reused)
    lines = [f"proofs of {n} page{'s' if n != 1 else ''} in {result.html.parent} in {result.seconds:.2f} s: "
             f"{rendered} rendered, {kept} unchanged"
             + (f", {len(result.problems)} placeholder{'s' if len(result.problems) != 1 else ''}"
                if result.problems else ""),
             f"  open {result.html}", f"  contact sheet {result.contact}"]
    report = result.report
    if report is not None:
        sev = [d.severity for d in report.diagnostics]
        errors = sev.count("error") + sum(f.severity == "error" for f in report.preflight)
        warnings = sev.count("warning") + sum(f.severity == "warning" for f in report.preflight)
        over = sorted(report.overset_refs())
        found = (f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
                 + (f", overset: {', '.join(over)}" if over else ""))
        lines.append(f"the build they show: {found}" + (" (marked on the proofs and listed in proof.html)"
                                                         if errors or warnings or over else ""))
    return lines


def cmd_diff(args) -> int:
    from layout.proof.diff import diff_builds

    for folder in (args.old, args.new):
        why = _not_a_build(Path(folder))
        if why:
            print(f"error: {folder}: {why}", file=sys.stderr)
            return 2
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
    why = _not_a_file(edition)
    if why:
        print(f"error: {edition}: {why}", file=sys.stderr)
        return 2
    from layout.output import OutputFolder, check_destination

    check_destination(OutputFolder.of(outdir), edition)

    def published(pages: list[str], seconds: float) -> None:
        # the refresh layout staff wait for: the page PDF is there; its proof is rendered after
        what = f"{pages[0]}.pdf" if len(pages) == 1 else f"{len(pages)} page PDFs"
        print(f"[{time.strftime('%H:%M:%S')}] {what} published in {seconds:.2f} s; proofs follow", flush=True)

    watch(edition, outdir, Rebuilder(announce=published), once=args.once)
    return 0


def _publication_for(args, near: Path | None):
    from layout.calendar import FILE_NAME, find_publication, load_publication

    if args.publication:
        path = Path(args.publication)
    else:
        path = (find_publication(near) if near is not None else None) or find_publication(Path.cwd())
        if path is None:
            print(f"error: no {FILE_NAME} found beside the edition or in editions/; name one with --publication",
                  file=sys.stderr)
            return None
    return load_publication(path)


def _latest_edition(folder: Path) -> Path | None:
    """The newest edition named by its date (2026-12-01.yaml) in the publication's folder."""
    import datetime as dt

    dated = []
    for p in folder.glob("*.yaml"):
        try:
            dated.append((dt.date.fromisoformat(p.stem), p))
        except ValueError:
            continue
    return max(dated)[1] if dated else None


def _new_target(output: str | None) -> tuple[Path | None, Path | None]:
    """`layout new -o`: (the file to write, the folder to write <date>.yaml in). A folder, as every
    other command's -o is one: a name that is a folder, ends in a slash or has no .yaml/.yml
    suffix (and is no file); otherwise the file itself."""
    if output is None:
        return None, None
    if not output.strip():
        # `-o "$NEXT"` with NEXT unset: not the default, which the script did not ask for
        from layout.outfolder import output_error

        raise output_error("EDITION-FILE", "-o", "the output is an empty name",
                           "give -o a folder or a .yaml file, or leave -o out for <date>.yaml beside the base edition")
    path = Path(output)
    if output.endswith(("/", os.sep)) or path.is_dir() or (
            not os.path.lexists(path) and path.suffix.lower() not in (".yaml", ".yml")):
        return None, path
    return path, None


def cmd_new(args) -> int:
    import datetime as dt

    from layout.calendar import WEEKDAY_ZH, new_edition

    base = Path(args.base) if args.base else None
    publication = _publication_for(args, base.parent if base else None)
    if publication is None:
        return 2
    if base is None:
        base = _latest_edition(Path(publication.file).parent)
        if base is None:
            print("error: no dated edition (YYYY-MM-DD.yaml) beside the publication file; name one with --from",
                  file=sys.stderr)
            return 2
    date = None
    if args.date:
        try:
            date = dt.date.fromisoformat(args.date)
        except ValueError:
            print(f"error: --date {args.date}: not a day (write it as 2027-01-04)", file=sys.stderr)
            return 2
    out, into = _new_target(args.output)
    made = new_edition(publication, base, date=date, out=out, into=into, pages=args.pages, force=args.force)
    print(f"wrote {made.path}: {made.date.isoformat()} 星期{WEEKDAY_ZH[made.date.weekday()]}, 第{made.issue}期, "
          f"{made.pages} pages planned from {base.name}; fill in its stories (`layout check {made.path}` lists them)")
    for note in made.notes:
        print(f"  {note}")
    return 0


def cmd_calendar(args) -> int:
    from layout.calendar import format_year

    publication = _publication_for(args, None)
    if publication is None:
        return 2
    if not 1900 <= args.year <= 2199:
        print(f"error: year {args.year} outside 1900..2199", file=sys.stderr)
        return 2
    text = format_year(publication, args.year)
    print(text if not args.count else text.splitlines()[-1])
    return 0


DPI_RANGE = (10, 600)  # proofs: below 10 dpi a page is a few pixels (it failed to crop), above 600 tens of GB


def _whole(lo: int, hi: int):
    """An argparse type: a whole number in lo..hi, else the usage error (exit 2) saying so."""
    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{value} is outside {lo}..{hi}")
        return value
    whole.__name__ = "whole number"
    return whole


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="layout", description="Lay out a Chinese daily newspaper edition.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build page PDFs, edition.pdf, report.json and proofs")
    b.add_argument("edition")
    b.add_argument("-o", "--output", help="output folder (default out/<edition name>)")
    b.add_argument("--strict", action="store_true", help="count warnings as errors (exit 1)")
    b.add_argument("--no-proofs", action="store_true", help="skip the proof images and proof.html")
    b.add_argument("--no-preflight", action="store_true", help="skip preflight of the written PDFs")
    b.add_argument("--print", metavar="PROFILE", help="print profile instead of the edition's (newsprint, commercial, or a file)")
    b.add_argument("-v", "--verbose", action="store_true")
    b.add_argument("--timings", action="store_true", help="print the time each stage of the build took")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="validate an edition without writing anything")
    c.add_argument("edition")
    c.add_argument("--strict", action="store_true", help="count warnings as errors (exit 1)")
    c.add_argument("--all", action="store_true", help="print every warning (by default errors and the first 50)")
    c.add_argument("--no-preflight", action="store_true",
                   help="skip the preflight of the pages (as build --no-preflight; faster, photos not prepared)")
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
    pr.add_argument("--dpi", type=_whole(*DPI_RANGE), default=100, help="proof resolution, 10..600 (default 100)")
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
    sg.add_argument("-n", type=_whole(1, 50), default=3, help="how many layouts, 1..50 (default 3)")
    sg.add_argument("--proofs", metavar="DIR",
                    help="where the proofs and index.html go (default out/<edition name>/suggest/<PAGE>)")
    sg.add_argument("--no-proofs", action="store_true", help="print the text report only")
    sg.add_argument("--dpi", type=_whole(*DPI_RANGE), default=72, help="proof resolution, 10..600 (default 72)")
    sg.set_defaults(func=cmd_suggest)
    nw = sub.add_parser("new", help="write the next edition file from the publication calendar and a base edition")
    nw.add_argument("--date", metavar="DATE", help="the new edition's day, as 2027-01-04 (default: the next publication day)")
    nw.add_argument("--from", dest="base", metavar="EDITION",
                    help="the edition whose page plan is copied (default: the newest YYYY-MM-DD.yaml)")
    nw.add_argument("--publication", metavar="FILE", help="the publication file (default: publication.yaml beside it)")
    nw.add_argument("--pages", type=int, help="page count (default: the publication's for that weekday)")
    nw.add_argument("-o", "--output", help="the folder to write <date>.yaml in (created if missing), or the .yaml "
                                         "file to write (default: <date>.yaml beside the base edition)")
    nw.add_argument("--force", action="store_true", help="replace the output file if it exists")
    nw.set_defaults(func=cmd_new)
    ca = sub.add_parser("calendar", help="the publication days and issue numbers of a year")
    ca.add_argument("year", type=int)
    ca.add_argument("--publication", metavar="FILE", help="the publication file (default: editions/publication.yaml)")
    ca.add_argument("--count", action="store_true", help="print only the count")
    ca.set_defaults(func=cmd_calendar)
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
    finished = False
    try:
        code = args.func(args)
        finished = True
        return code
    except OutputError as err:
        _print_diagnostics(err.diagnostics, limit=100)
        print("nothing was written: the output folder is as it was", file=sys.stderr)
        return 2
    except InputError as err:
        _print_diagnostics(err.diagnostics, limit=100, rest="fix the errors first")
        n = sum(1 for d in err.diagnostics if d.severity is Severity.ERROR)
        w = sum(1 for d in err.diagnostics if d.severity is Severity.WARNING)
        also = f" and {w} warning{'s' if w != 1 else ''}" if w else ""
        print(f"{n} input error{'s' if n != 1 else ''}{also}: nothing was written", file=sys.stderr)
        return 2
    except OSError as err:
        # A file the command reads or writes (other than the edition's, which are diagnostics).
        where = f"{err.filename}: " if err.filename else ""
        print(f"error: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the previous output is untouched", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - the last resort: a bug met by some input
        # Nothing was published (a build only swaps its folder in when all of it succeeded). The
        # user gets one line, not a traceback; a developer sets LAYOUT_TRACEBACK=1 to see where.
        if os.environ.get("LAYOUT_TRACEBACK"):
            raise
        kind = type(err).__name__ if type(err).__module__ == "builtins" else \
            f"{type(err).__module__}.{type(err).__name__}"
        print(f"internal error: {kind}: {str(err)[:300]}", file=sys.stderr)
        print("nothing was written: the previous output is untouched. This is a bug in layout, met by something "
              "in the input: please report it with the edition (LAYOUT_TRACEBACK=1 shows where)", file=sys.stderr)
        return 2
    finally:
        # No child of this command (a cache writer, a photo prefetch, the word dictionary's writer)
        # runs on after it: waited for when the command finished, stopped when it failed.
        if "layout.cache" in sys.modules:
            sys.modules["layout.cache"].end_background(stop=not finished)
