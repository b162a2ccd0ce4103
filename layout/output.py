"""The output stage of a build: photos prepared for print, page PDFs, the edition PDF, preflight
of our own files, and report.json — all written into a staging folder by the caller."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from layout.frames import ImageItem
from layout.images import ImageStore
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


def write_pdf(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def write_outputs(prep, stage: Path, *, progress: Callable[[str], None] | None = None, preflight: bool = True):
    ctx = prep.ctx
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    images = prepare_images(prep, ImageStore())
    timings["images"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    files: list[Path] = []
    frames = prep.layout.frames()
    e = ctx.edition
    for page in prep.layout.pages:
        data, pending = render([page.frame], catalog=prep.catalog, images=images, profile=ctx.profile,
                               title=f"{e.paper} {e.date.isoformat()} {page.page.id}", date=e.date)
        data = place_pdf_ads(data, pending, [page.frame])
        path = stage / f"{page.page.id}.pdf"
        write_pdf(path, data)
        files.append(path)
        if progress:
            progress(page.page.id)
    data, pending = render(frames, catalog=prep.catalog, images=images, profile=ctx.profile,
                           title=f"{e.paper} {e.date.isoformat()}", date=e.date)
    data = place_pdf_ads(data, pending, frames)
    path = stage / "edition.pdf"
    write_pdf(path, data)
    files.append(path)
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
