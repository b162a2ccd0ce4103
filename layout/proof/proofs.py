"""make_proofs: page PNGs with editors' overlays, the contact sheet and proof.html for a build.

A page's image is made only when what it depends on changed (raster.proof_key): it is taken from
the proofs folder when the image there was made from the same inputs (`watch`, which keeps the
folder), else from the build cache ($LAYOUT_CACHE/proofs, checked on read), else rendered, the
pages to render shared among worker processes. The build's time is not in any image: proof.html
stamps each page with it, so the same edition gives the same image files from any cache state."""

from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from layout.cache import BlobCache
from layout.proof.contact import make_contact_sheet, page_flags
from layout.proof.geometry import PageGeometry, geometry_from_json, geometry_json
from layout.proof.html import VERSION_JS, PageImage, render_html
from layout.proof.overlay import OverlayOptions, label_font_source
from layout.proof.png import png_size
from layout.proof.raster import (
    RENDERER,
    THUMB_WIDTH,
    PageJob,
    PageOutput,
    geometry_from_report,
    proof_key,
    read_geometry,
    render_page,
    unpack_entry,
    write_file,
)
from layout.proof.report import PageInfo, Report, load_report

PROOF_DIR = "proofs"
THUMB_DIR = ".thumbs"  # inside proofs/: small copies the contact sheet is made from
# Inside proofs/: for each page, the key its image was made from and the SHA-256 of the image and
# thumbnail files, so that a later call on the same folder (`watch`) leaves an image alone whose
# inputs did not change.
INDEX = ".index.json"
CACHE_KIND = "proofs"
POOL_MIN_JOBS = 2  # below this, starting a worker process costs more than it saves


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
    reused: list[str] = field(default_factory=list)  # page ids whose image was in place or in the cache
    report: Report | None = None  # the build proofed (its findings go in the command's summary)


@dataclass(frozen=True)
class _Done:
    """A page's image as it stands after this call."""

    geometry: PageGeometry
    key: str | None  # None: a placeholder (the PDF could not be read), never reused
    png_sha256: str
    thumb_sha256: str


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _load_index(proofs: Path) -> dict[str, dict]:
    """The index of an earlier call on this folder; {} when there is none or it is not one."""
    try:
        data = json.loads((proofs / INDEX).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {pid: e for pid, e in data.items()
            if isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("key", "png", "thumb"))}


def _indexed(entry: dict, job: PageJob) -> _Done | None:
    """The page's image as the folder holds it, when it was made from the job's key and its files
    are intact (their digests are the index's, the image is of the size the index says)."""
    if entry.get("key") != job.key:
        return None
    try:
        geom = geometry_from_json(entry.get("geometry"))
    except (ValueError, TypeError, KeyError):
        return None
    png, thumb = _read(job.png), _read(job.thumb)
    if png is None or thumb is None or _sha(png) != entry["png"] or _sha(thumb) != entry["thumb"] \
            or png_size(png) != geom.size:
        return None
    return _Done(geom, job.key, entry["png"], entry["thumb"])


def _reuse(job: PageJob, index: dict[str, dict], cache: BlobCache | None) -> _Done | None:
    """The page's image without rendering: the one in the folder when it was made from the same
    key, else the cache's (written into the folder). None: render it."""
    assert job.key is not None
    entry = index.get(job.page.id)
    done = _indexed(entry, job) if entry is not None else None
    if done is not None or cache is None:
        return done
    data = cache.load(job.key)
    unpacked = unpack_entry(data) if data is not None else None
    if unpacked is None or abs(unpacked[0].scale - job.dpi / 72.0) > 1e-9:
        return None
    geom, png, thumb = unpacked
    write_file(job.png, png)
    write_file(job.thumb, thumb)
    return _Done(geom, job.key, _sha(png), _sha(thumb))


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


def default_workers() -> int:
    """The cores this process may use (its CPU affinity, not the machine's count), at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def _run(jobs: list[PageJob], workers: int) -> list[PageOutput]:
    """Render the jobs, in worker processes when there are enough of them. Each worker holds one
    page's bitmap at a time, so memory grows with the workers, not with the pages."""
    if len(jobs) < POOL_MIN_JOBS or workers < 2:
        return [render_page(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(pool.map(render_page, jobs))


def _geometry_of(outdir: Path, page: PageInfo, dpi: int, entry: dict | None) -> PageGeometry:
    if entry is not None:
        try:
            geom = geometry_from_json(entry.get("geometry"))
            if abs(geom.scale - dpi / 72.0) <= 1e-9:
                return geom
        except (ValueError, TypeError, KeyError):
            pass
    if page.width and page.height:
        return geometry_from_report(page, dpi)
    return read_geometry(outdir / page.file, page, dpi)


def proof_id(pngs: dict[str, str]) -> str:
    """A short name of the set of page images (page id -> image SHA-256): the contact sheet and
    proof.html both show it, so an editor can tell that a printed sheet and a page are one proof."""
    return _sha("".join(f"{pid}:{sha}\n" for pid, sha in pngs.items()).encode())[:10]


def _contact_sheet(report: Report, proofs: Path, thumbs: dict[str, str], pid: str,
                   store: BlobCache | None) -> Path:
    """contact.png, from the cache when a sheet of the same thumbnails (by their digests) and the
    same captions was made before; composing and encoding it costs about as much as all the rest
    of a build whose pages are all in the cache."""
    out = proofs / "contact.png"
    pages = [(p.id, p.section, page_flags(report, p.id), thumbs.get(p.id, "")) for p in report.pages]
    key = "contact:" + _sha(repr((report.paper, report.date, report.issue, pid, pages, THUMB_WIDTH, RENDERER,
                                  label_font_source())).encode("utf-8"))
    data = store.load(key) if store is not None and all(t for *_, t in pages) else None
    if data is not None and png_size(data) is not None:
        write_file(out, data)
        return out
    make_contact_sheet(report, {p.id: proofs / THUMB_DIR / f"{p.id}.png" for p in report.pages}, out,
                       thumb_width=THUMB_WIDTH, proof_id=pid)
    if store is not None and all(t for *_, t in pages):  # a sheet with a page missing is not kept
        store.store(key, out.read_bytes())
    return out


def make_proofs(outdir: Path, *, dpi: int = 100, overlays: bool = True, grid: bool = False,
                pages: list[str] | None = None, stamp: str | None = None,
                workers: int | None = None, live_seconds: float | None = None,
                cache: BlobCache | None | bool = True) -> ProofResult:
    """Proofs of the build in `outdir` (report.json + page PDFs), written to outdir/proofs/.

    pages: consider only these page ids (the others keep their existing PNGs); contact sheet and
    proof.html are always rewritten, as the report may have changed. A page considered is rendered
    only when no image made from the same inputs is in proofs/ or in the cache. stamp: the time
    shown in each page's PROOF stamp in proof.html (default: the report's build time). workers:
    render processes (default: the usable cores, at most 4). live_seconds: proof.html checks
    proofs/version.js this often and reloads when the build changed (used by `watch`). cache: the
    store of images between builds (True: $LAYOUT_CACHE/proofs; False or None: none)."""
    t0 = time.perf_counter()
    outdir = Path(outdir)
    report = load_report(outdir)
    store = BlobCache.default(CACHE_KIND) if cache is True else (cache or None)
    all_ids = [p.id for p in report.pages]
    unknown = [p for p in pages or () if p not in all_ids]
    ids = [p for p in all_ids if pages is None or p in pages]
    if stamp is None:  # the build's time; a report without one gets the time of these proofs
        stamp = report.build_time or time.strftime("proofed %Y-%m-%d %H:%M:%S")
    overlay = OverlayOptions(outlines=overlays, overset=overlays, missing=overlays, grid=grid, stamp=None)
    proofs = outdir / PROOF_DIR
    index = _load_index(proofs)
    done: dict[str, _Done] = {}
    todo: list[tuple[int, PageJob]] = []  # (PDF size, job)
    for job in _jobs(report, outdir, ids, dpi, overlay):
        pdf = _read(job.pdf)
        if pdf is None:  # drawn as a placeholder saying so; nothing to key it by
            todo.append((0, job))
            continue
        job = replace(job, cache=store, key=proof_key(job, _sha(pdf)))
        hit = _reuse(job, index, store)
        if hit is None:
            todo.append((len(pdf), job))
        else:
            done[job.page.id] = hit
    reused = list(done)
    # The biggest PDFs (photo pages, the slowest to render) first, so that no worker is left with
    # a long page at the end while the other waits.
    order = [job for _, job in sorted(todo, key=lambda t: -t[0])]
    by_id = {o.id: o for o in _run(order, workers if workers is not None else default_workers())}
    outputs = [by_id[job.page.id] for _, job in todo]  # in page order again
    for (_, job), o in zip(todo, outputs, strict=True):
        done[o.id] = _Done(o.geometry, job.key if o.error is None else None, o.png_sha256, o.thumb_sha256)
    t_render = time.perf_counter()

    entries = {pid: e for pid, e in index.items() if pid in all_ids and pid not in done}
    entries.update({pid: {"key": d.key or "", "png": d.png_sha256, "thumb": d.thumb_sha256,
                          "geometry": geometry_json(d.geometry)} for pid, d in done.items()})
    images = []
    shas: dict[str, str] = {}
    for page in report.pages:
        png = proofs / f"{page.id}.png"
        # Pages not considered this time: their geometry from the index, else from report.json
        # (trim size and position), which spares opening every other PDF.
        geom = done[page.id].geometry if page.id in done else _geometry_of(outdir, page, dpi, entries.get(page.id))
        sha = entries[page.id]["png"] if page.id in entries else _sha(_read(png) or b"")
        shas[page.id] = sha
        # The query names the image's content: a browser reloads an image exactly when it changed.
        images.append(PageImage(id=page.id, src=f"{page.id}.png?v={sha[:12]}", geometry=geom))
    pid_ = proof_id(shas)
    write_file(proofs / INDEX, json.dumps(entries, sort_keys=True, indent=1).encode("utf-8"))
    contact = _contact_sheet(report, proofs, {pid: e["thumb"] for pid, e in entries.items()}, pid_, store)
    t_contact = time.perf_counter()
    html = proofs / "proof.html"
    version = str(time.time_ns())
    write_file(html, render_html(report, images, live_seconds=live_seconds, version=version, stamp=stamp,
                                 proof_id=pid_).encode("utf-8"))
    if live_seconds:
        # Written after proof.html, so an open page never sees a version newer than the file.
        write_file(proofs / "version.js", (VERSION_JS % json.dumps(version)).encode("utf-8"))
    t_end = time.perf_counter()
    problems = ([f"page {o.id}: {o.error}: its proof is a placeholder saying so" for o in outputs if o.error]
                + [f"no page {p} in report.json" for p in unknown])
    return ProofResult(
        outdir=outdir, images={p.id: proofs / f"{p.id}.png" for p in report.pages},
        rendered=[o.id for o in outputs], contact=contact, html=html, seconds=t_end - t0,
        timings={"render": t_render - t0, "contact": t_contact - t_render, "html": t_end - t_contact},
        problems=problems, reused=reused, report=report,
    )
