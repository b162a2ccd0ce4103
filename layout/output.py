"""The output stage of a build: photos prepared for print, page PDFs, the edition PDF, preflight
of our own files, and report.json — all written into a staging folder by the caller."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from layout.diagnostics import Location
from layout.frames import ImageItem
from layout.images import ImageCache, ImageStore
from layout.render.dump import dump_frame
from layout.render.pdf import place_pdf_ads, render
from layout.report import edition_report


def prepare_images(prep, store: ImageStore) -> dict[str, object]:
    """Every ImageItem's key -> prepared image, with the photo diagnostics added to the build's."""
    ctx = prep.ctx
    out: dict[str, object] = {}
    requests = {r.key: r for page in prep.layout.pages for r in page.photos}
    for page in prep.layout.pages:
        mono = not page.page.colour
        for item in page.frame.items:
            if not isinstance(item, ImageItem) or item.image in out:
                continue
            if item.source.kind == "ad":
                ad = ctx.edition.ads[item.source.story]
                path, focus, story = ad.file, (0.5, 0.5), None
            else:
                req = requests[item.image]
                path, focus, story = req.file, req.focus, req.story
            prepared = store.prepare(path, item.w, item.h, focus=focus, profile=ctx.profile, mono=mono)
            for d in prepared.diagnostics:
                ctx.diagnostics.add(replace(d, page=page.page.id, story=d.story or story))
            out[item.image] = prepared
    return out


def _locate(edition, source) -> tuple[Location, str]:
    """Where in the edition a placed item comes from, and its name for a message."""
    if source.kind == "ad" and source.story in edition.ads:
        return edition.ads[source.story].loc, f"ad {source.story!r}"
    if source.story in edition.stories:
        return edition.stories[source.story].loc, f"{source.kind} of story {source.story!r}"
    return Location(), source.kind


def write_pdf(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def _frame_digest(frame, images: dict, profile, title: str) -> str:
    """What a page PDF depends on: the page description, the prepared images it draws, the print
    profile and the title. Equal digests give equal bytes, so a warm rebuild reuses them."""
    h = hashlib.sha256(dump_frame(frame).encode("utf-8"))
    h.update(repr(sorted(getattr(images[i.image], "key", i.image) for i in frame.items
                         if isinstance(i, ImageItem))).encode())
    h.update(repr((profile, title)).encode())
    return h.hexdigest()


def _render_file(prep, frames, images, title: str) -> bytes:
    ctx = prep.ctx
    data, pending = render(frames, catalog=prep.catalog, images=images, profile=ctx.profile, title=title,
                           date=ctx.edition.date)
    return place_pdf_ads(data, pending, frames)


def write_pdfs(prep, images, stage: Path, *, progress=None, cache: dict | None = None,
               edition_pdf: bool = True) -> list[Path]:
    """One PDF per page and edition.pdf. The edition file (as much work as all pages together) is
    rendered in a forked child while this process renders the pages, so both cores work; pages
    whose description did not change since the last build in this process are not rendered again.
    A live preview (`layout watch`) may leave edition.pdf out."""
    e = prep.ctx.edition
    frames = prep.layout.frames()
    edition_path = stage / "edition.pdf"
    child = _fork_render(lambda: write_pdf(edition_path, _render_file(
        prep, frames, images, f"{e.paper} {e.date.isoformat()}"))) if edition_pdf else None
    files: list[Path] = []
    for page in prep.layout.pages:
        title = f"{e.paper} {e.date.isoformat()} {page.page.id}"
        key = _frame_digest(page.frame, images, prep.ctx.profile, title) if cache is not None else None
        data = cache.get(key) if cache is not None else None
        if data is None:
            data = _render_file(prep, [page.frame], images, title)
            if cache is not None:
                cache[key] = data
        path = stage / f"{page.page.id}.pdf"
        write_pdf(path, data)
        files.append(path)
        if progress:
            progress(page.page.id)
    if not edition_pdf:
        return files
    if child is None:
        write_pdf(edition_path, _render_file(prep, frames, images, f"{e.paper} {e.date.isoformat()}"))
    else:
        _, status = os.waitpid(child, 0)
        if status != 0 or not edition_path.exists():
            raise RuntimeError("rendering edition.pdf failed in the worker process")
    files.append(edition_path)
    return files


def _fork_render(job) -> int | None:
    """Run `job` in a forked child (which inherits the loaded fonts and prepared images, so nothing
    is pickled); None where fork is not available, and the caller does the work itself."""
    if not hasattr(os, "fork") or os.environ.get("LAYOUT_NO_FORK"):
        return None
    pid = os.fork()
    if pid == 0:  # the child: do the one job and leave without running the parent's cleanup
        code = 1
        try:
            job()
            code = 0
        except BaseException:
            # os._exit below skips the interpreter's report: without this the parent only learns
            # that the worker failed, never why
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(code)
    return pid


def write_outputs(prep, stage: Path, *, progress: Callable[[str], None] | None = None, preflight: bool = True,
                  page_cache: dict | None = None, image_store: ImageStore | None = None, edition_pdf: bool = True):
    ctx = prep.ctx
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    images = prepare_images(prep, image_store if image_store is not None else ImageStore(ImageCache.default()))
    timings["images"] = time.perf_counter() - t0
    # Small multi-ink text the PDF writer sets in K (layout/render/textcolour.py), reported per item.
    from layout.render.textcolour import colour_diagnostics

    for d in colour_diagnostics((p.frame for p in prep.layout.pages), ctx.profile, lambda s: _locate(ctx.edition, s)):
        ctx.diagnostics.add(d)
    t0 = time.perf_counter()
    files = write_pdfs(prep, images, stage, progress=progress, cache=page_cache, edition_pdf=edition_pdf)
    timings["pdf"] = time.perf_counter() - t0
    findings = []
    if preflight:
        t0 = time.perf_counter()
        from layout.preflight import preflight_many

        results = {}
        for mono in (False, True):
            paths = [stage / f"{p.page.id}.pdf" for p in prep.layout.pages if p.page.colour == (not mono)]
            if paths:
                results.update(preflight_many(paths, ctx.profile, mono=mono))
        for page in prep.layout.pages:
            for f in results[stage / f"{page.page.id}.pdf"]:
                findings.append({"file": f"{page.page.id}.pdf", "page": page.page.id, "code": f.code,
                                 "severity": str(f.severity), "message": f.message,
                                 "bbox": list(f.bbox) if f.bbox else None})
        timings["preflight"] = time.perf_counter() - t0
    report = edition_report(prep, findings, {**prep.timings, **timings})
    path = stage / "report.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=False), "utf-8")
    files.append(path)
    return files, report, timings
