"""make_proofs: page PNGs with editors' overlays, the contact sheet and proof.html for a build."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from layout.proof.contact import make_contact_sheet
from layout.proof.html import VERSION_JS, PageImage, render_html
from layout.proof.overlay import OverlayOptions
from layout.proof.raster import (
    THUMB_WIDTH,
    PageJob,
    PageOutput,
    geometry_from_report,
    read_geometry,
    render_page,
)
from layout.proof.report import Report, load_report

PROOF_DIR = "proofs"
THUMB_DIR = ".thumbs"  # inside proofs/: small copies the contact sheet is made from
POOL_MIN_JOBS = 3  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class ProofResult:
    outdir: Path
    images: dict[str, Path]  # page id -> proof PNG (all pages of the build)
    rendered: list[str]  # page ids rendered by this call
    contact: Path
    html: Path
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # e.g. a page PDF missing: a placeholder was drawn


def _jobs(report: Report, outdir: Path, ids: list[str], dpi: int, overlay: OverlayOptions) -> list[PageJob]:
    proofs = outdir / PROOF_DIR
    stories = {s.id: s for s in report.stories}
    jobs = []
    for pid in ids:
        page = report.page(pid)
        if page is None:
            continue
        refs = {m.ref for m in page.modules if m.ref}
        jobs.append(PageJob(page=page, pdf=outdir / page.file, png=proofs / f"{pid}.png",
                            thumb=proofs / THUMB_DIR / f"{pid}.png", dpi=dpi, overlay=overlay,
                            stories={r: stories[r] for r in refs if r in stories}))
    return jobs


def _run(jobs: list[PageJob], workers: int) -> list[PageOutput]:
    if len(jobs) < POOL_MIN_JOBS or workers < 2:
        return [render_page(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(pool.map(render_page, jobs))


def _report_geometry(outdir: Path, page, dpi: int):
    if page.width and page.height:
        return geometry_from_report(page, dpi)
    return read_geometry(outdir / page.file, page, dpi)


def make_proofs(outdir: Path, *, dpi: int = 100, overlays: bool = True, grid: bool = False,
                pages: list[str] | None = None, stamp: str | None = None,
                workers: int | None = None, live_seconds: float | None = None) -> ProofResult:
    """Proofs of the build in `outdir` (report.json + page PDFs), written to outdir/proofs/.

    pages: render only these page ids (the others keep their existing PNGs); contact sheet and
    proof.html are always rewritten, as the report may have changed. stamp: the text of the PROOF
    stamp (default: the report's build time). workers: render processes (default: CPU count, at
    most 4). live_seconds: proof.html checks proofs/version.js this often and reloads when
    the build changed (used by `watch`)."""
    t0 = time.perf_counter()
    outdir = Path(outdir)
    report = load_report(outdir)
    all_ids = [p.id for p in report.pages]
    unknown = [p for p in pages or () if p not in all_ids]
    ids = [p for p in all_ids if pages is None or p in pages]
    if stamp is None:  # the build's time; a report without one gets the time of these proofs
        stamp = report.build_time or time.strftime("proofed %Y-%m-%d %H:%M:%S")
    stamp_text = stamp
    overlay = OverlayOptions(outlines=overlays, overset=overlays, missing=overlays, grid=grid,
                             stamp=stamp_text if overlays else None)
    n_workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    outputs = {o.id: o for o in _run(_jobs(report, outdir, ids, dpi, overlay), n_workers)}
    t_render = time.perf_counter()

    proofs = outdir / PROOF_DIR
    images = []
    for page in report.pages:
        png = proofs / f"{page.id}.png"
        # Pages not rendered this time: their geometry from report.json (trim size and position), which
        # spares opening every other PDF when `watch` re-renders one page.
        geom = outputs[page.id].geometry if page.id in outputs else _report_geometry(outdir, page, dpi)
        version = png.stat().st_mtime_ns if png.exists() else 0
        images.append(PageImage(id=page.id, src=f"{page.id}.png?v={version}", geometry=geom))
    contact = make_contact_sheet(report, {p.id: proofs / THUMB_DIR / f"{p.id}.png" for p in report.pages},
                                 proofs / "contact.png", thumb_width=THUMB_WIDTH)
    t_contact = time.perf_counter()
    html = proofs / "proof.html"
    tmp = html.with_name(".proof.html.tmp")
    version = str(time.time_ns())
    tmp.write_text(render_html(report, images, live_seconds=live_seconds, version=version), encoding="utf-8")
    tmp.replace(html)
    if live_seconds:
        # Written after proof.html, so an open page never sees a version newer than the file.
        js = proofs / "version.js"
        tmp_js = js.with_name(".version.js.tmp")
        tmp_js.write_text(VERSION_JS % json.dumps(version), encoding="utf-8")
        tmp_js.replace(js)
    t_end = time.perf_counter()
    problems = [o.error for o in outputs.values() if o.error] + [f"no page {p} in report.json" for p in unknown]
    return ProofResult(
        outdir=outdir, images={p.id: proofs / f"{p.id}.png" for p in report.pages},
        rendered=[i for i in ids if i in outputs], contact=contact, html=html, seconds=t_end - t0,
        timings={"render": t_render - t0, "contact": t_contact - t_render, "html": t_end - t_contact},
        problems=problems,
    )
