"""One build: edition file -> page PDFs, edition.pdf, report.json (and proofs), written safely.

Files are written into a staging folder and moved into place only when everything succeeded, so
a failed or killed build leaves the previous good output untouched; a lock keeps two builds into
the same folder from interleaving."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from layout.autolayout.plan import plan_edition
from layout.diagnostics import Diagnostic, Diagnostics, InputError, Location, Severity
from layout.fonts.catalog import FontCatalog
from layout.model.load import load_edition
from layout.paginate.context import Context
from layout.paginate.edition import EditionLayout, paginate
from layout.paginate.typeset import TextSetter
from layout.printprofile import load_profile
from layout.template import TEMPLATE_NAMES, Template, load_template


@dataclass
class BuildResult:
    outdir: Path
    layout: EditionLayout
    report: dict
    diagnostics: Diagnostics
    timings: dict[str, float] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def _template_name(path: Path) -> str:
    """The edition's template, read ahead of the full load (the loader checks it properly)."""
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return "broadsheet"
    m = re.search(r"^template:\s*([\w-]+)", text, re.M)
    return m.group(1) if m and m.group(1) in TEMPLATE_NAMES else "broadsheet"


def _font_error(edition_path: Path, fonts: dict, message: str) -> Diagnostic:
    """A font the edition names that cannot be used, placed at the line that names it (the loader
    passes `fonts:` on as given, so the place is found again in the file's text)."""
    text = edition_path.read_text("utf-8", errors="replace").splitlines()
    needles = [str(e.get("file")) for faces in fonts.values() for e in (faces if isinstance(faces, list) else [faces])
               if isinstance(e, dict) and e.get("file") and str(e.get("file")) in message]
    needles += ["fonts:"]
    line = col = None
    for needle in needles:
        hit = next(((n, t.index(needle)) for n, t in enumerate(text, 1) if needle in t), None)
        if hit:
            line, col = hit[0], hit[1] + 1
            break
    return Diagnostic("FONT-FILE", Severity.ERROR, message, Location(str(edition_path), line, col),
                      hint="check the font file's path (relative to the edition's folder, or absolute) and its "
                           "`index` in a collection; `layout fonts` lists what serves each role")


def _edition_fonts(fonts: dict, base: Path) -> dict:
    """The edition's font roles, with relative files made relative to the edition's folder (the
    template's own files resolve against the shipped fonts/)."""
    out = {}
    for role, faces in fonts.items():
        entries = faces if isinstance(faces, list) else [faces]
        fixed = []
        for entry in entries:
            entry = dict(entry) if isinstance(entry, dict) else {"file": entry}
            if "file" in entry and not Path(entry["file"]).is_absolute() and (base / entry["file"]).exists():
                entry["file"] = str((base / entry["file"]).resolve())
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
            setters: dict | None = None, print_profile: str | None = None) -> Prepared:
    """Load, compose and paginate. `catalog_cache` and `setters` may be kept by a long-lived caller
    (watch, the benchmark) so that faces are loaded and paragraphs composed once across rebuilds."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    template = load_template(_template_name(edition_path), template_overrides)
    roots = [(edition_path.parent / r).resolve() for r in template.asset_roots]
    edition = load_edition(edition_path, asset_roots=roots, page_count=template.pages,
                           grid=(template.grid.columns, template.grid.lines))
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
    diagnostics = Diagnostics()
    profile = load_profile(print_profile or edition.print_profile, edition.overrides.get("print") if edition.overrides else None)
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
    t0 = time.perf_counter()
    # The plan first (items without `at` placed), then pagination of the placed edition.
    ctx.edition, _ = plan_edition(ctx, ctx.plans)
    lay = paginate(ctx)
    timings["compose_paginate"] = time.perf_counter() - t0
    return Prepared(template, ctx, lay, catalog, timings)


@contextlib.contextmanager
def _locked(outdir: Path):
    outdir.mkdir(parents=True, exist_ok=True)
    with open(outdir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build(
    edition_path: Path, outdir: Path, *, progress: Callable[[str], None] | None = None,
    proofs: bool = False, preflight: bool = True, catalog_cache: dict | None = None,
    setters: dict | None = None, template_overrides: dict | None = None, print_profile: str | None = None,
    page_cache: dict | None = None, image_store=None, edition_pdf: bool = True,
) -> BuildResult:
    """Build the edition; raises InputError (exit 2) on invalid input. Content problems are
    diagnostics in the result and report.json. A long-lived caller (watch, the benchmark) may keep
    `catalog_cache`, `setters`, `page_cache` and `image_store` between builds: faces stay loaded,
    paragraphs composed, photos prepared and unchanged pages rendered."""
    from layout.output import write_outputs

    started = time.perf_counter()
    prep = prepare(edition_path, catalog_cache=catalog_cache, setters=setters, template_overrides=template_overrides,
                   print_profile=print_profile)
    with _locked(outdir):
        # Staging folders only exist while their build holds the lock: any found now were left by a
        # killed build, half-written PDFs the print shop's pickup folder must not keep.
        for stale in outdir.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        stage = outdir / f".staging-{os.getpid()}"
        stage.mkdir()
        try:
            files, report, timings = write_outputs(prep, stage, progress=progress, preflight=preflight,
                                                     page_cache=page_cache, image_store=image_store,
                                                     edition_pdf=edition_pdf)
            moved = []
            for f in files:
                os.replace(f, outdir / f.name)
                moved.append(outdir / f.name)
            if not edition_pdf:
                # No edition.pdf in a preview build: an older one would not match these pages.
                (outdir / "edition.pdf").unlink(missing_ok=True)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    result = BuildResult(outdir, prep.layout, report, prep.ctx.diagnostics, {**prep.timings, **timings}, moved)
    if proofs:
        t0 = time.perf_counter()
        from layout.proof.proofs import make_proofs

        make_proofs(outdir)
        result.timings["proofs"] = time.perf_counter() - t0
    result.timings["total"] = time.perf_counter() - started
    return result


__all__ = ["build", "prepare", "BuildResult", "InputError"]
