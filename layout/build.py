"""One build: edition file -> page PDFs, edition.pdf, report.json (and proofs), written safely.

Everything (page PDFs, edition.pdf, report.json, proofs/) is written into a staging folder beside
the output folder, which replaces the output folder in one step only when all of it succeeded
(layout/output.py), so a failed or killed build leaves the previous good output untouched and a
reader never sees a mixed set; a lock keeps two builds into the same folder from interleaving."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from layout.autolayout.plan import plan_edition
from layout.autolayout.verify import report_short_columns
from layout.diagnostics import Diagnostic, Diagnostics, InputError, Location, Severity
from layout.fonts.catalog import FontCatalog
from layout.model.load import load_with_template
from layout.paginate.context import Context
from layout.paginate.edition import EditionLayout, paginate
from layout.paginate.typeset import TextSetter
from layout.printprofile import load_profile
from layout.template import Template, apply_convention


@dataclass
class BuildResult:
    outdir: Path
    layout: EditionLayout
    report: dict
    diagnostics: Diagnostics
    timings: dict[str, float] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def _font_error(edition_path: Path, fonts: dict, message: str) -> Diagnostic:
    """A font the edition names that cannot be used, placed at the line that names it (the loader
    passes `fonts:` on as given, so the place is found again in the file's text)."""
    text = edition_path.read_text("utf-8", errors="replace").splitlines()
    needles = [str(e.get("file")) for faces in fonts.values() for e in (faces if isinstance(faces, list) else [faces])
               if isinstance(e, dict) and e.get("file") and str(e.get("file")) in message]
    needles += [str(e) for faces in fonts.values() for e in (faces if isinstance(faces, list) else [faces])
                if isinstance(e, str) and e in message]
    needles += ["fonts:"]
    line = col = None
    for needle in needles:
        hit = next(((n, t.index(needle)) for n, t in enumerate(text, 1) if needle in t), None)
        if hit:
            line, col = hit[0], hit[1] + 1
            break
    if "not an OpenType" in message:
        hint = ("name an OpenType or TrueType font file (.otf, .ttf, or a collection .otc, .ttc); convert a web "
                "font (.woff, .woff2) to one first; Type 1 fonts are not supported")
    elif "damaged" in message or "truncated" in message:
        hint = ("the file is not a complete, intact font: copy it again from where it came from (or export it "
                "again from the font tool); `layout fonts` lists what serves each role")
    elif "is a directory" in message:
        hint = "name the font file inside that folder (a .otf, .ttf, .otc or .ttc file)"
    else:
        hint = ("check the font file's path (relative paths are looked up in the edition's folder, then in the "
                "shipped fonts/ folder; or give an absolute path) and its `index` in a collection; "
                "`layout fonts` lists what serves each role")
    return Diagnostic("FONT-FILE", Severity.ERROR, message, Location(str(edition_path), line, col), hint=hint)


def _print_override_location(edition_path: Path, overrides: dict | None, message: str) -> Location:
    """Where the edition sets what a print profile's error names: the setting under `overrides:
    print:` the message names (or that `print:` key), found in the file's text (the loader passes
    `overrides` on as plain values). The edition file alone when it overrides nothing there: the
    profile itself is wrong (its file is named in the message)."""
    settings = (overrides or {}).get("print")
    if not isinstance(settings, dict):
        return Location(str(edition_path))
    try:
        text = edition_path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return Location(str(edition_path))
    start = next((n for n, t in enumerate(text) if re.match(r"overrides\s*:", t)), None)
    if start is None:
        return Location(str(edition_path))
    named = [k for k in settings if isinstance(k, str) and re.search(rf"\b{re.escape(k)}\b", message)]
    for needle in [*named, "print"]:
        pattern = re.compile(rf"(?<![\w-]){re.escape(needle)}\s*:")
        for n in range(start, len(text)):
            if n > start and text[n][:1] not in (" ", "\t", "#", ""):
                break  # past the overrides mapping
            hit = pattern.search(text[n], len("overrides") if n == start else 0)
            if hit:
                return Location(str(edition_path), n + 1, hit.start() + 1)
    return Location(str(edition_path), start + 1, 1)


def _edition_fonts(fonts: dict, base: Path) -> dict:
    """The edition's font roles, with relative files made absolute: in the edition's folder, or
    else the shipped fonts/ folder (so an edition may name a shipped face by its file name). A file
    in neither is named in the edition's folder, which is where the error message should point."""
    from layout.fonts.catalog import FONTS_DIR

    out = {}
    for role, faces in fonts.items():
        entries = faces if isinstance(faces, list) else [faces]
        fixed = []
        for entry in entries:
            entry = dict(entry) if isinstance(entry, dict) else {"file": entry}
            if isinstance(entry.get("file"), str | int | float) and not isinstance(entry["file"], bool) \
                    and str(entry["file"]).strip():
                path = Path(str(entry["file"]).strip()).expanduser()
                if not path.is_absolute():
                    local = base / path
                    shipped = FONTS_DIR / path
                    path = shipped if not local.exists() and shipped.is_file() else local
                entry["file"] = str(path.resolve())
            fixed.append(entry)
        out[role] = fixed
    return out


@dataclass
class Prepared:
    """Everything up to the page descriptions: what `layout check` and the proofs also need."""

    template: Template
    ctx: Context
    layout: EditionLayout
    catalog: FontCatalog
    timings: dict[str, float]


def prepare(edition_path: Path, *, catalog_cache: dict | None = None, template_overrides: dict | None = None,
            setters: dict | None = None, print_profile: str | None = None, layout: bool = True,
            groups: dict | None = None) -> Prepared:
    """Load, compose and paginate. `catalog_cache` and `setters` may be kept by a long-lived caller
    (watch, the benchmark) so that faces are loaded and paragraphs composed once across rebuilds;
    `groups` so that the laid-out page groups of the last build stay in memory (paginate's memo)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    from layout.text.words import start_kept_dictionary

    if layout:  # once per cache: jieba's kept dictionary, written while the edition loads
        start_kept_dictionary()
    # The loader reads the edition's `template:` (and `overrides:`) first, loads that template,
    # then checks the pages against its counts and grid: one load order, one set of positions.
    load_diags = Diagnostics()
    edition, template = load_with_template(edition_path, template_overrides=template_overrides,
                                           diagnostics=load_diags)
    # The regional convention (issue 16): faces, punctuation and kinsoku settings, default quotes.
    template = apply_convention(template, edition.convention)
    if template.quotes == "corner":
        from layout.model.convention import with_corner_quotes

        edition = with_corner_quotes(edition)
    from layout.ads.plan import plan_ads

    edition, ad_plan = plan_ads(edition, template)  # booked ads pinned on their pages (issue 19)
    timings["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    font_cfg = {**template.fonts, **_edition_fonts(edition.fonts or {}, edition_path.parent)}
    key = json.dumps(font_cfg, sort_keys=True, default=str)
    if catalog_cache is not None and key in catalog_cache:
        catalog = catalog_cache[key]
    else:
        try:
            catalog = FontCatalog.from_config(font_cfg, base_dir=None)
        except ValueError as err:
            raise InputError([_font_error(edition_path, edition.fonts or {}, str(err))]) from None
        if catalog_cache is not None:
            catalog_cache[key] = catalog
    chains = {role: catalog.chain(role) for role in font_cfg}
    from layout.fonts.clusters import compose_edition

    # e + U+0301 typed decomposed, set as é where the role's faces have it (layout.fonts.clusters)
    from layout.fonts.report import edition_texts, selector_diagnostics

    # a variation selector is left out (its base set in the default form): said, not silent
    dropped = selector_diagnostics(edition_texts(edition, template))
    edition = compose_edition(edition, template, lambda role: lambda ch: catalog.chain(role).resolve(ch) is not None)
    diagnostics = Diagnostics()
    diagnostics.extend(dropped)
    # The loader's warnings (a blank page, a half sheet, an empty text file) belong in the build's
    # report; an unplaced story is reported by pagination with its character count instead.
    diagnostics.extend(d for d in load_diags if d.code != "STORY-UNPLACED")
    from layout.calendar import calendar_warnings

    diagnostics.extend(calendar_warnings(edition))  # a date without an issue, an issue number off the calendar
    diagnostics.extend(ad_plan.diagnostics)
    try:
        profile = load_profile(print_profile or edition.print_profile,
                               edition.overrides.get("print") if edition.overrides else None)
    except ValueError as err:  # a shop profile file or an override that is wrong (a clear message)
        raise InputError([Diagnostic("PRINT-PROFILE-INVALID", Severity.ERROR, str(err),
                                     location=_print_override_location(edition_path, edition.overrides, str(err)),
                                     hint="fix the print profile file or the edition's overrides: print: "
                                          "(settings in docs/print.md)")]) from None
    setter_key = (key, template.composition)
    if setters is not None and setter_key in setters:
        setter = setters[setter_key]
    else:
        setter = TextSetter(chains, template.composition)
        if setters is not None:
            setters[setter_key] = setter
    from layout.cache import JsonCache

    ctx = Context(edition, template, setter, diagnostics, profile=profile, plans=JsonCache.default("autolayout"))
    timings["fonts_load"] = time.perf_counter() - t0
    if not layout:  # the ad dummy: the pages before any story is placed
        return Prepared(template, ctx, None, catalog, timings)
    t0 = time.perf_counter()
    # The plan first (items without `at` placed), then pagination of the placed edition.
    lay = lay_out(ctx, groups)
    timings["compose_paginate"] = time.perf_counter() - t0
    return Prepared(template, ctx, lay, catalog, timings)


def lay_out(ctx: Context, groups: dict | None = None) -> EditionLayout:
    """The automatic layout's plan (items without `at` placed; ctx.edition becomes the placed
    edition), pagination of it, and the plan's promises checked on the pages as set."""
    written = ctx.edition
    from layout.paginate.gaps import report_pinned_gaps

    report_pinned_gaps(ctx, written.pages)  # white space on pages pinned item by item
    ctx.edition, _ = plan_edition(ctx, ctx.plans)
    from layout.cache import ObjectCache
    from layout.output import prefetch_photos

    lay = paginate(ctx, ObjectCache.default("paginated"), memo=groups, laid_out=prefetch_photos)
    report_short_columns(ctx, written, lay)
    return lay


# Errors only writing gives: whatever file they name, the output could not be written.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})


def _error_path(err: OSError) -> Path | None:
    """The file an OSError names: qpdf names an open file by its repr ("<_io.BufferedWriter
    name='…/edition.pdf'>"), which is turned back into the path."""
    name = err.filename
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if not isinstance(name, (str, os.PathLike)) or not str(name):
        return None
    match = re.fullmatch(r"<_io\.\w+ name='(.*)'>", str(name))
    return Path(match.group(1) if match else name)


# The lock of an output folder (layout/outfolder.py), by its old name here.
from layout.outfolder import locked as _locked  # noqa: E402


def build(
    edition_path: Path, outdir: Path, *, progress: Callable[[str], None] | None = None,
    proofs: bool = False, preflight: bool = True, catalog_cache: dict | None = None,
    setters: dict | None = None, template_overrides: dict | None = None, print_profile: str | None = None,
    page_cache: dict | None = None, image_store=None, edition_pdf: bool = True, keep: tuple[str, ...] = (),
    staged: Callable[[Prepared, Path], None] | None = None, groups: dict | None = None, tidy: bool = True,
    runner=None,
) -> BuildResult:
    """Build the edition; raises InputError (exit 2) on invalid input, OutputError (also exit 2)
    when the output folder cannot take the build. Content problems are diagnostics in the result
    and report.json. A long-lived caller (watch, the benchmark) may keep `catalog_cache`,
    `setters`, `page_cache`, `image_store` and `groups` between builds: faces stay loaded,
    paragraphs composed, photos prepared, unchanged pages laid out and rendered.

    The output folder is replaced as a whole or not at all (layout/output.py): everything,
    proofs included, is written into a staging folder beside it, which is then swapped in.
    `keep`: entries of the previous folder carried into the new one (watch keeps its proofs/ and
    re-renders only the pages that changed). `staged`: called with the prepared edition and the
    finished staging folder just before it is published, under the lock (layout/replay.py records
    the build's outputs from it). `tidy`: wait for the build's deferred cache writes and keep the
    cache to its size before returning; a long-lived caller that does this later itself (watch,
    between saves) passes False, so that what it waits for is only the output. `runner`: a small
    process the one-shot command forked before loading anything (layout/runner.py), which puts
    edition.pdf together, preflights the pages and makes the proofs, so that their memory does
    not come on top of this process's (issue 18)."""
    from layout.output import (
        OutputFolder,
        check_destination,
        output_error,
        publish,
        recover_leftovers,
        remove_tree,
        stage_folder,
        write_outputs,
    )

    started = time.perf_counter()
    folder = OutputFolder.of(outdir)
    check_destination(folder, edition_path)  # before the work: a wrong -o is said at once
    from layout.cache import deferred_writes, end_background
    from layout.images import prefetching

    # the laid-out page groups kept by a child beside the output stage, and the photos prepared by
    # another while the pages are laid out
    from layout.render.heap import frozen

    done = False
    heap = contextlib.ExitStack()
    try:
        with deferred_writes(), prefetching():
            prep = prepare(edition_path, catalog_cache=catalog_cache, setters=setters,
                           template_overrides=template_overrides, print_profile=print_profile, groups=groups)
            # the laid-out edition kept out of the collector's sweeps from here on, before the
            # deferred cache writer is forked (render/heap.py: ~0.4 s a sweep at 12 pages, and a
            # child collecting it copies the whole heap)
            heap.enter_context(frozen())
        with _locked(folder):
            # Folders beside this one only exist while their build holds the lock: any found now were
            # left by a killed build (half-written files, or the previous output moved aside).
            leftovers = recover_leftovers(folder)
            check_destination(folder, edition_path)  # again: the folder may have changed meanwhile
            stage = None
            try:
                stage = stage_folder(folder)
                files, report, timings = write_outputs(prep, stage, progress=progress, preflight=preflight,
                                                         page_cache=page_cache, image_store=image_store,
                                                         edition_pdf=edition_pdf, runner=runner)
                if proofs:
                    t0 = time.perf_counter()
                    from layout.proof.proofs import make_proofs

                    if runner is not None:
                        runner.run(make_proofs, stage)
                    else:
                        make_proofs(stage)
                    timings["proofs"] = time.perf_counter() - t0
                if staged is not None:
                    staged(prep, stage)
                leftovers += publish(stage, folder, keep=keep)
                stage = None
                if tidy:
                    from layout.cache import cache_limit, cache_root, prune

                    prune(cache_root(), cache_limit())  # the cache is kept to its size (oldest entries go)
            except OSError as err:
                where = _error_path(err) or stage or folder.path
                if (stage is not None and where != stage and stage not in where.parents and where != folder.path
                        and err.errno not in _WRITE_ERRNOS):
                    # A file the edition names, gone or unreadable since it was loaded (an upload replaced
                    # mid-build): said as the input problem it is.
                    raise output_error("FILE-UNREADABLE", where, f"{where} cannot be read: {err.strerror or err}; the "
                                       f"previous output in {folder.path} is untouched",
                                       "check the file is there and readable, then build again") from None
                if stage is not None and (where == stage or stage in where.parents):
                    # said as the file of the output folder it was to be (the staging folder is
                    # hidden, and removed by now)
                    what = "the output" if where == stage else str(where.relative_to(stage))
                    if what.startswith("."):  # a working file of the build's, never published
                        what = f"the build's working file {what}"
                    raise output_error("OUTPUT-WRITE", folder.path, f"cannot write {what} of {folder.path}: "
                                       f"{err.strerror or err}; the previous output there is untouched",
                                       "free some space or fix the permissions, then build again") from None
                raise output_error("OUTPUT-WRITE", where, f"cannot write {where}: {err.strerror or err}; the previous "
                                   f"output in {folder.path} is untouched",
                                   "free some space or fix the permissions, then build again") from None
            finally:
                if stage is not None:
                    remove_tree(stage)
        done = True
    finally:
        # Nothing of this build runs on after it: its children are waited for when it succeeded,
        # stopped when it failed or was interrupted (a child would otherwise outlive the command).
        try:
            if tidy or not done:  # (watch waits for a good build's cache writers at its next save)
                end_background(stop=not done)
        finally:
            heap.close()  # the laid-out edition the collector's again (render/heap.frozen)
    for face in prep.catalog.faces:
        face.keep_notes()  # glyph checks and full-width forms found this build, for the next one
    moved = [folder.path / f.name for f in files]
    result = BuildResult(folder.path, prep.layout, report, prep.ctx.diagnostics, {**prep.timings, **timings}, moved)
    for problem in leftovers:
        # The build is in place; only tidying up beside it failed (the next build tries again).
        result.diagnostics.warning("OUTPUT-LEFTOVER", f"could not tidy up after the build: {problem}",
                                   location=Location(str(folder.parent)),
                                   hint="remove the hidden folder named, or check its permissions")
    result.timings["total"] = time.perf_counter() - started
    return result


__all__ = ["build", "prepare", "BuildResult", "InputError"]
