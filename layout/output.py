"""The output stage of a build: photos prepared for print, page PDFs, the edition PDF, preflight
of our own files, and report.json — all written into a staging folder by the caller."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from layout.cache import BlobCache, JsonCache, file_signature
from layout.diagnostics import Location
from layout.frames import GlyphRun, ImageItem
from layout.images import ImageCache, ImageStore, PhotoRequest
from layout.report import edition_report


def prepare_images(prep, store: ImageStore) -> dict[str, object]:
    """Every ImageItem's key -> prepared image, with the photo diagnostics added to the build's."""
    ctx = prep.ctx
    out: dict[str, object] = {}
    requests = {r.key: r for page in prep.layout.pages for r in page.photos}
    # All photos first, on all cores (layout/images.py); the loop below then finds them prepared.
    store.prepare_many(photo_requests(ctx, prep.layout.pages, requests), profile=ctx.profile)
    for page in prep.layout.pages:
        mono = not page.page.colour
        for item in page.page_facts().images:
            if item.image in out:
                continue
            path, focus, story = _photo_of(ctx, requests, item)
            prepared = store.prepare(path, item.w, item.h, focus=focus, profile=ctx.profile, mono=mono)
            for d in prepared.diagnostics:  # (a free-standing photo has no story: "" is none)
                ctx.diagnostics.add(replace(d, page=page.page.id, story=d.story or story or None,
                                            location=_entry_loc(ctx.edition, page.page, item, path) or d.location))
            out[item.image] = prepared
    return out


def report_colour_changes(prep) -> None:
    """TEXT-COLOUR-TO-BLACK for the small multi-ink text the PDF writer sets in K
    (layout/render/textcolour.py), per item."""
    from layout.render.textcolour import colour_diagnostics

    ctx = prep.ctx
    # Only runs in two or more inks can be turned to K: the pages' facts list them, so a page from
    # the page cache is not read for this (its frame stands in with just those runs).
    inked = (replace(p.frame, items=p.page_facts().inked) for p in prep.layout.pages)
    for d in colour_diagnostics(inked, ctx.profile, lambda s: _locate(ctx.edition, s)):
        ctx.diagnostics.add(d)


def check_outputs(prep, *, preflight: bool = False) -> list[dict]:
    """What the output stage reports, without writing anything, for `layout check` (whose warnings
    and errors must be the build's): the photos' resolution at their placed size and small text
    set in K; with `preflight`, the preflight findings of every page as the build has them
    (report.json's entries), from the page descriptions and the photos prepared for print (kept in
    the build cache, where the build finds them). Without it nothing is prepared: the photos are
    judged from their files' headers."""
    if not preflight:
        check_images(prep)
        report_colour_changes(prep)
        return []
    images = prepare_images(prep, ImageStore(ImageCache.default()))
    report_colour_changes(prep)
    pages = prep.layout.pages
    found = _check_frames(_described(prep, pages), prep.ctx.profile, prep.catalog, images)
    return [{"file": f"{p.page.id}.pdf", "page": p.page.id, **f} for p, page_found in zip(pages, found, strict=True)
            for f in page_found]


def _described(prep, pages: list) -> list[tuple]:
    """(frame, title, mono) of each page, the frame titled as write_pdfs titles the page PDFs."""
    e = prep.ctx.edition
    return [(p.frame, f"{e.paper} {e.date.isoformat()} {p.page.id}", not p.page.colour) for p in pages]


def check_images(prep) -> None:
    """The photo diagnostics prepare_images gives (resolution at the placed size), from the files'
    headers, without preparing anything: `layout check` reports what `layout build` does."""
    from layout.images import placed_ppi_diagnostics

    ctx = prep.ctx
    requests = {r.key: r for page in prep.layout.pages for r in page.photos}
    seen = set()
    for page in prep.layout.pages:
        for item in page.page_facts().images:
            if item.image in seen:
                continue
            seen.add(item.image)
            path, focus, story = _photo_of(ctx, requests, item)
            for d in placed_ppi_diagnostics(path, item.w, item.h, focus=focus, profile=ctx.profile):
                ctx.diagnostics.add(replace(d, page=page.page.id, story=d.story or story or None,
                                            location=_entry_loc(ctx.edition, page.page, item, path) or d.location))


def photo_requests(ctx, pages, requests: dict) -> list[PhotoRequest]:
    """What to prepare for the pages' images (`requests`: the photo requests by image key). The
    pages' images from their facts: a page from the page cache is not read for them."""
    return [PhotoRequest(path, item.w, item.h, focus, not page.page.colour)
            for page in pages for item in page.page_facts().images
            for path, focus, _ in [_photo_of(ctx, requests, item)]]


def prefetch_photos(ctx, pages) -> None:
    """Pagination's hook: a page group just laid out sends its photos to the build's prefetch, so
    that they are prepared on the other core while the next groups are laid out
    (layout.images.PhotoPrefetch; nothing when no build set one up)."""
    from layout.images import prefetch, prefetch_wanted

    if not prefetch_wanted():
        return
    try:
        found = photo_requests(ctx, pages, {r.key: r for page in pages for r in page.photos})
    except KeyError:  # an image whose request is on a page of another group: the output stage has it
        return
    prefetch(found, ctx.profile)


def _photo_of(ctx, requests, item: ImageItem):
    """The file, focus point and story (None for an ad) of a placed image."""
    if item.source.kind == "ad":
        return ctx.edition.ads[item.source.story].file, (0.5, 0.5), None
    req = requests[item.image]
    return req.file, req.focus, req.story


def _entry_loc(edition, page, item: ImageItem, path) -> Location | None:
    """Where the edition names a placed image: the photo's entry (its `file:`) in its story or
    in the page's items, or the ad's. The prepared image's own diagnostics name only the file (an
    image is prepared once, and cached, for every place and edition using it); a desk fixes a
    low resolution in the edition, so that is the place to give. None: not found."""
    src = item.source
    if src.kind == "ad":
        ad = edition.ads.get(src.story)
        return ad.loc if ad is not None else None
    if src.story is not None:
        story = edition.stories.get(src.story)
        photos = story.photos if story is not None else ()
    else:  # a free-standing photo of this page
        photos = tuple(i.photo for i in page.items if i.kind == "photo" and i.photo is not None)
    found = [ph for ph in photos if str(ph.file) == str(path)]
    return found[0].loc if found and found[0].loc.file else None


def _locate(edition, source) -> tuple[Location, str]:
    """Where in the edition a placed item comes from, and its name for a message."""
    if source.kind == "ad" and source.story in edition.ads:
        return edition.ads[source.story].loc, f"ad {source.story!r}"
    if source.story in edition.stories:
        return edition.stories[source.story].loc, f"{source.kind} of story {source.story!r}"
    return Location(), source.kind


def write_pdf(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as err:  # a write error names no file (a full disk): the build says which one
        if err.filename is None:
            raise OSError(err.errno, err.strerror or str(err), str(path)) from None
        raise


def _frame_digest(page, images: dict, profile, title: str) -> str:
    """What a page PDF depends on: the page description, the prepared images it draws, the print
    profile and the title. Equal digests give equal bytes, so a warm rebuild reuses them."""
    h = hashlib.sha256(page.description_digest().encode("ascii"))
    h.update(repr(sorted(getattr(images[i.image], "key", i.image) for i in page.page_facts().images)).encode())
    h.update(repr((profile, title)).encode())
    return h.hexdigest()


def _render_file(prep, frames, images, title: str) -> bytes:
    # imported here: a warm build takes every page from the cache and never loads the PDF writer
    from layout.render.pdf import place_pdf_ads, render

    ctx = prep.ctx
    data, pending = render(frames, catalog=prep.catalog, images=images, profile=ctx.profile, title=title,
                           date=ctx.edition.date)
    return place_pdf_ads(data, pending, frames)


def _disk_key(prep, page, digest: str) -> str:
    """A page PDF's key between builds: its frame digest, and the files that digest names only by
    name: the faces its glyphs are drawn from and the delivered PDF ads it places."""
    facts = page.page_facts()
    files = [[f, file_signature(prep.catalog.face(f).spec.path)] for f in facts.faces]
    files += [file_signature(i.path) for i in facts.pdfs]
    return hashlib.sha256(repr([digest, files]).encode("utf-8")).hexdigest()


def write_pdfs(prep, images, stage: Path, *, progress=None, cache: dict | None = None,
               edition_pdf: bool = True, runner=None) -> list[Path]:
    """One PDF per page and edition.pdf. A page whose description did not change is not rendered
    again: its PDF comes from this process's memory (`layout watch`) or from the build cache
    ($LAYOUT_CACHE/pages, checked on read), and so does edition.pdf when no page changed. The
    pages to render are shared with a forked child, so both cores work; edition.pdf is then put
    together from the page files (render/assemble.py), by the build's `runner` when there is one
    (layout/runner.py: a small process, whose memory is not on top of this one's), which the caller
    then waits for with runner.finish(). A live preview may leave edition.pdf out."""
    e = prep.ctx.edition
    disk = BlobCache.default("pages")
    pages = prep.layout.pages
    titles = [f"{e.paper} {e.date.isoformat()} {page.page.id}" for page in pages]
    keys: list[str | None] = [_frame_digest(page, images, prep.ctx.profile, title)
                              if cache is not None or disk is not None else None
                              for page, title in zip(pages, titles, strict=True)]
    edition_path = stage / "edition.pdf"
    edition_title = f"{e.paper} {e.date.isoformat()}"
    edition_key = None
    edition_data = None
    if edition_pdf and disk is not None:
        edition_key = hashlib.sha256(repr([edition_title] + [_disk_key(prep, p, k) for p, k in
                                                            zip(pages, keys, strict=True)])
                                     .encode("utf-8")).hexdigest()
        edition_data = disk.load(edition_key)

    dkeys = [_disk_key(prep, page, key) if disk is not None else None for page, key in zip(pages, keys, strict=True)]
    found: list[bytes | None] = []
    for key, dkey in zip(keys, dkeys, strict=True):
        data = cache.get(key) if cache is not None else None
        if data is None and disk is not None:
            data = disk.load(dkey)
        found.append(data)
    todo = [i for i, data in enumerate(found) if data is None]
    # A forked child renders some of the pages to render (as many as balance the two cores).
    theirs = _share(todo, [_weight(page) for page in pages])

    def render_page(i: int) -> bytes:
        data = _render_file(prep, [pages[i].frame], images, titles[i])
        if disk is not None:
            disk.store(dkeys[i], data)
        return data

    def render_theirs() -> None:
        for i in theirs:
            write_pdf(stage / f"{pages[i].page.id}.pdf", render_page(i))

    if theirs:  # the PDF writer imported once, here, not in each of the two processes after the fork
        import layout.render.pdf  # noqa: F401

        if any(pages[i].page_facts().pdfs for i in todo):
            import pikepdf  # noqa: F401 - (placing delivered PDF ads)
    child = _fork_render(render_theirs) if theirs else None
    if child is None:
        theirs = []  # no second process: this one renders every page
    files = [stage / f"{page.page.id}.pdf" for page in pages]
    try:
        for i, page in enumerate(pages):
            if i in theirs:
                continue
            if found[i] is None:
                found[i] = render_page(i)
            write_pdf(files[i], found[i])
            if cache is None:
                found[i] = None  # in its file now (edition.pdf is put together from the files)
            if progress:
                progress(page.page.id)
    except BaseException:
        # This process failed (a full disk) or was interrupted: the child writing the other pages
        # into the same staging folder stops before the caller removes that folder (else its files
        # came after the removal, and it ran on after the build).
        if child is not None:
            from layout.cache import stop_child

            stop_child(child)
        raise
    if child is not None:
        _, status = os.waitpid(child, 0)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == WORKER_OS_ERROR:
            raise OSError(errno.EIO, "the worker could not write it (see the message above)", str(files[theirs[0]]))
        if status != 0 or not all(files[i].exists() for i in theirs):
            raise RuntimeError("rendering page PDFs failed in the worker process")
        for i in theirs:
            if cache is not None:  # a live caller keeps every page's bytes
                found[i] = files[i].read_bytes()
            if progress:
                progress(pages[i].page.id)
    if cache is not None:
        for key, data in zip(keys, found, strict=True):
            cache[key] = data
    if not edition_pdf:
        return files
    if edition_data is None:
        job = EditionJob(files, edition_path, edition_title, prep.ctx.profile, e.date,
                         edition_key if disk is not None else None)
        if runner is not None:
            runner.submit(assemble_edition, job)  # the caller waits for it (runner.finish())
        else:
            assemble_edition(job)
    else:
        write_pdf(edition_path, edition_data)
    return [*files, edition_path]


@dataclass(frozen=True)
class EditionJob:
    """What edition.pdf is put together from: the page files as written, its title, print profile
    and date, and its key in the build cache (None: not kept)."""

    files: list[Path]
    path: Path
    title: str
    profile: object
    date: object
    key: str | None


def assemble_edition(job: EditionJob) -> None:
    """edition.pdf from the page files (render/assemble.py), not rendered again; written straight
    into its file and kept in the cache from there (never held in memory: issue 18). A module-level
    function of files and small values, so that the runner (layout/runner.py) can do it."""
    from layout.render.assemble import write_edition
    from layout.render.heap import give_back

    write_edition(job.files, job.path, title=job.title, profile=job.profile, date=job.date)
    give_back()  # qpdf's heap, freed but kept by the C allocator under the later stages (issue 18)
    if job.key is not None:
        disk = BlobCache.default("pages")
        if disk is not None:
            disk.store_file(job.key, job.path)


def _weight(page) -> int:
    """A page's rendering cost, roughly: its glyphs (text drawing and font subsets dominate)."""
    return page.page_facts().glyphs + 1


def _share(todo: list[int], weights: list[int]) -> list[int]:
    """The pages (of `todo`, from its end) for the forked child: each one that shortens the longer
    of the two processes' work."""
    edition = 0.0  # the child's work so far
    left = sum(weights[i] for i in todo)
    theirs: list[int] = []
    for i in reversed(todo):
        if edition + weights[i] >= left:
            break
        theirs.append(i)
        edition += weights[i]
        left -= weights[i]
    return sorted(theirs)


WORKER_OS_ERROR = 3  # the worker's exit status when writing failed (its message is on stderr)


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
        except OSError as err:
            # a user's problem (full disk, permissions), said in one line; the parent stops the build
            # (the file's name only: its folder is the hidden staging folder, removed by the parent)
            print(f"error: {Path(str(err.filename)).name if err.filename else 'edition.pdf'}: "
                  f"{err.strerror or err}", file=sys.stderr)
            sys.stderr.flush()
            code = WORKER_OS_ERROR
        except KeyboardInterrupt:
            pass  # Ctrl-C reaches the whole process group: the parent says "interrupted", once
        except BaseException:
            # os._exit below skips the interpreter's report: without this the parent only learns
            # that the worker failed, never why
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(code)
    return pid


def _findings_entry(value) -> list[dict]:
    """Preflight findings as the cache keeps them, checked: a list of {code, severity, message,
    bbox} with text, a known severity and four numbers or nothing."""
    if not isinstance(value, list):
        raise TypeError("findings are not a list")
    for f in value:
        if not isinstance(f, dict) or set(f) != {"code", "severity", "message", "bbox"}:
            raise ValueError(f"{f!r} is not a finding")
        if not isinstance(f["code"], str) or f["severity"] not in ("error", "warning", "info") \
                or not isinstance(f["message"], str):
            raise ValueError(f"{f!r} is not a finding")
        box = f["bbox"]
        if box is not None and (not isinstance(box, list) or len(box) != 4
                                or not all(type(v) in (int, float) for v in box)):
            raise ValueError(f"{box!r} is not a box")
    return value


def preflight_pages(prep, stage: Path, images: dict[str, object], runner=None) -> dict[str, list[dict]]:
    """Preflight of each page, by page id, from its page description (layout/preflight/
    described.py): the findings the Ghostscript preflight gives for the page PDF, in milliseconds,
    from the frame the PDF is written from and the prepared `images` it draws. A delivered PDF ad
    on a page is checked where it sits, its plates from a Ghostscript render of the ad kept in the
    build cache by the file's digest ($LAYOUT_CACHE/preflight-ads), so an ad is rendered once.
    A page whose PDF is that of an earlier build (the same key in the page cache: its description,
    photos, faces and ads) takes that build's findings from the cache, under that key, the print
    profile, colour or mono, and the Ghostscript there is; what comes from the cache is what the
    check gives. With the build's `runner` (layout/runner.py), the pages are checked there: their
    descriptions and photos written to a file in `stage`, a page at a time, and read back by the
    runner a page at a time (`PreflightJob`), so that the decoded photos and plates are not on top
    of this process's memory (issue 18); the findings are the same. `start_preflight` and
    `Preflight.finish` are its two halves, for a caller that writes the page PDFs in between."""
    return start_preflight(prep, stage, images, runner).finish()


@dataclass
class Preflight:
    """The preflight of a build's pages under way (`start_preflight`): the findings found in the
    cache, and the pages sent to the runner (its ticket) or left to `finish`."""

    prep: object
    images: dict
    keys: dict[str, str | None]
    found: dict[str, list[dict]]
    todo: list
    runner: object = None
    ticket: int | None = None
    job: PreflightJob | None = None

    def finish(self) -> dict[str, list[dict]]:
        """The findings of every page, by page id in page order (those checked now kept in the
        cache): the runner's answer waited for, or the pages checked here on both cores."""
        prep, todo = self.prep, self.todo
        ctx = prep.ctx
        if self.ticket is not None:
            try:
                found_all = self.runner.result(self.ticket)
            finally:
                with contextlib.suppress(OSError):
                    self.job.path.unlink()
        else:
            found_all = _on_two_cores(_described(prep, todo), [_preflight_weight(p) for p in todo],
                                      lambda some: _check_frames(some, ctx.profile, prep.catalog, self.images))
        cache = JsonCache.default("preflight")
        for p, found in zip(todo, found_all, strict=True):
            self.found[p.page.id] = found
            if cache is not None and self.keys[p.page.id] is not None:
                cache.store(self.keys[p.page.id], found)
        return {p.page.id: self.found[p.page.id] for p in prep.layout.pages}


def start_preflight(prep, stage: Path, images: dict[str, object], runner=None) -> Preflight:
    """The first half of `preflight_pages`: the findings kept in the cache looked up, and with a
    `runner` the other pages sent to it, which checks them while this process writes the page
    PDFs (the check needs only the descriptions and the prepared photos, not the PDFs: the two
    stages, each on both cores, were one after the other, issue 18)."""
    ctx = prep.ctx
    cache = JsonCache.default("preflight")
    pages_cache = BlobCache.default("pages")
    gs = shutil.which("gs")
    e = ctx.edition
    keys: dict[str, str | None] = {}
    found: dict[str, list[dict]] = {}
    todo = []
    for p in prep.layout.pages:
        key = None
        if cache is not None and pages_cache is not None:
            # the page PDF's own key in the page cache, which gives its bytes (output._disk_key)
            title = f"{e.paper} {e.date.isoformat()} {p.page.id}"
            pdf_key = _disk_key(prep, p, _frame_digest(p, images, ctx.profile, title))
            key = hashlib.sha256(repr(["described", pdf_key, repr(ctx.profile), not p.page.colour, gs])
                                 .encode("utf-8")).hexdigest()
        keys[p.page.id] = key
        hit = cache.load(key, check=_findings_entry) if key is not None else None
        if hit is not None:
            found[p.page.id] = hit
        else:
            todo.append(p)
    checking = Preflight(prep, images, keys, found, todo, runner)
    if runner is not None and todo:
        checking.job = PreflightJob.write(stage / ".preflight-pages", _described(prep, todo), images, prep.catalog,
                                          ctx.profile, [_preflight_weight(p) for p in todo])
        checking.ticket = runner.submit(preflight_job, checking.job)
    return checking


def _check_frames(pages, profile, catalog, images) -> list[list[dict]]:
    """The findings of each (frame, title, mono) of `pages` (an iterable: read as it is checked),
    as JSON values."""
    from layout.preflight.described import AdRenders, preflight_frames
    from layout.render.heap import map_large_blocks

    map_large_blocks()  # decoded photos and plates given back as they are freed (render/heap.py)
    renders = AdRenders(BlobCache.default("preflight-ads"))
    return [[{"code": f.code, "severity": str(f.severity), "message": f.message,
              "bbox": list(f.bbox) if f.bbox else None} for f in found]
            for found in preflight_frames(pages, profile=profile, catalog=catalog, images=images,
                                          ad_renders=renders, workers=os.cpu_count() or 1)]


@dataclass(frozen=True)
class _Pixels:
    width: int
    height: int
    mode: str


@dataclass(frozen=True)
class PhotoBytes:
    """What preflight reads of a prepared image (layout.images.PreparedImage): its key, the JPEG
    the PDF embeds, the pixels' size and mode; not the pixels, which the runner does not need."""

    key: str
    data: bytes
    image: _Pixels

    @property
    def mono(self) -> bool:
        return self.image.mode == "L"


@dataclass(frozen=True)
class _Face:
    ps_name: str


@dataclass(frozen=True)
class FaceNames:
    """What preflight reads of the font catalog: each face's PostScript name (serif or not)."""

    names: dict[str, str]

    def face(self, key: str) -> _Face:
        return _Face(self.names[key])


@dataclass(frozen=True)
class PreflightJob:
    """Pages to preflight in the runner: a file of pickles, the photos first (one each), then each
    page's (frame, title, mono) at `offsets`; what else the check needs is small and sent along.
    Written and read a pickle at a time, so neither process holds more than one page's pickle."""

    path: Path
    photos: int
    offsets: list[int]
    weights: list[int]
    faces: FaceNames
    profile: object

    @staticmethod
    def write(path: Path, pages: list, images: dict, catalog, profile, weights: list[int]) -> PreflightJob:
        import pickle

        drawn = {i.image for frame, _, _ in pages for i in frame.items if isinstance(i, ImageItem)}
        faces = {g.face for frame, _, _ in pages for g in frame.items if isinstance(g, GlyphRun)}
        offsets = []
        try:
            with open(path, "wb") as f:
                for key in sorted(drawn):
                    im = images[key]
                    pickle.dump((key, PhotoBytes(im.key, im.data,
                                                 _Pixels(im.image.width, im.image.height, im.image.mode))),
                                f, protocol=pickle.HIGHEST_PROTOCOL)
                for page in pages:
                    offsets.append(f.tell())
                    pickle.dump(page, f, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as err:
            if err.filename is None:  # a full disk: the file named, so the build can say which (build.py)
                raise OSError(err.errno, err.strerror, str(path)) from None
            raise
        return PreflightJob(path, len(drawn), offsets, weights,
                            FaceNames({k: catalog.face(k).ps_name for k in sorted(faces)}), profile)

    def photos_read(self) -> dict[str, PhotoBytes]:
        import pickle

        with open(self.path, "rb") as f:
            return dict(pickle.load(f) for _ in range(self.photos))

    def pages_read(self, indices: list[int]):
        """The pages at `indices`, one at a time, as they are asked for."""
        import pickle

        with open(self.path, "rb") as f:
            for i in indices:
                f.seek(self.offsets[i])
                yield pickle.load(f)


def preflight_job(job: PreflightJob) -> list[list[dict]]:
    """The findings of the job's pages, in order (in the runner: on its two cores, as
    preflight_pages does in the build process)."""
    images = job.photos_read()
    return _on_two_cores(list(range(len(job.offsets))), job.weights,
                         lambda some: _check_frames(job.pages_read(some), job.profile, job.faces, images))


def _preflight_weight(page) -> int:
    """A page's preflight cost, roughly: its items (each text run is checked and painted on the
    plates) and its photos (each decoded: about as long as 150 runs)."""
    return len(page.frame.items) + 150 * len(page.page_facts().images)


def _on_two_cores(todo: list, weights: list[int], run: Callable[[list], list[list[dict]]]) -> list[list[dict]]:
    """`run(todo)` (a list of JSON values, one for each member of `todo`, in order), with a forked
    child doing the members `_share` gives it, as many as balance the two processes' work; the
    child sends its values back as JSON through a pipe. Pages are independent, so the values are
    those of one process doing all; a child that fails or says nothing usable leaves its members
    to this process (never a different result, only the time it would have saved)."""
    import threading

    theirs = _share(list(range(len(todo))), weights) if len(todo) > 1 else []
    if not theirs or not hasattr(os, "fork") or os.environ.get("LAYOUT_NO_FORK") or threading.active_count() > 1:
        return run(todo)
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return run(todo)
    if pid == 0:  # the child: its members, as JSON down the pipe, and out without the parent's cleanup
        code = 1
        try:
            os.close(read)
            data = json.dumps(run([todo[i] for i in theirs])).encode("utf-8")
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        except BaseException:  # noqa: BLE001 - the parent does these members itself
            pass
        finally:
            os._exit(code)
    os.close(write)
    mine = [i for i in range(len(todo)) if i not in theirs]
    try:
        values = dict(zip(mine, run([todo[i] for i in mine]), strict=True))
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        os.close(read)
        os.waitpid(pid, 0)
        raise
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    got = None
    if status == 0:
        with contextlib.suppress(ValueError):
            got = json.loads(data)
    if isinstance(got, list) and len(got) == len(theirs) and all(isinstance(v, list) for v in got):
        values.update(zip(theirs, got, strict=True))
    else:  # the child failed: its members here (an error they raise is raised here, as without it)
        values.update(zip(theirs, run([todo[i] for i in theirs]), strict=True))
    return [values[i] for i in range(len(todo))]


def write_outputs(prep, stage: Path, *, progress: Callable[[str], None] | None = None, preflight: bool = True,
                  page_cache: dict | None = None, image_store: ImageStore | None = None, edition_pdf: bool = True,
                  runner=None):
    """Photos, page PDFs, edition.pdf, preflight and report.json into `stage`. With a `runner`
    (layout/runner.py), the pages are preflighted there while this process writes their PDFs,
    then edition.pdf is put together there."""
    from layout.render.heap import give_back

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    images = prepare_images(prep, image_store if image_store is not None else ImageStore(ImageCache.default()))
    timings["images"] = time.perf_counter() - t0
    report_colour_changes(prep)
    t0 = time.perf_counter()
    # with a runner, the pages are preflighted there while this process writes their PDFs
    checking = start_preflight(prep, stage, images, runner=runner) if preflight else None
    started = time.perf_counter() - t0
    t0 = time.perf_counter()
    files = write_pdfs(prep, images, stage, progress=progress, cache=page_cache, edition_pdf=edition_pdf,
                       runner=runner)
    timings["pdf"] = time.perf_counter() - t0
    give_back()  # the page renders' heap (reportlab's buffers, font subsets), freed before preflight
    findings = []
    if checking is not None:
        t0 = time.perf_counter()
        found = checking.finish()
        for page in prep.layout.pages:
            for f in found[page.page.id]:
                findings.append({"file": f"{page.page.id}.pdf", "page": page.page.id, **f})
        # this process's time on it: sending the pages, then what is left after the PDFs
        timings["preflight"] = started + time.perf_counter() - t0
        give_back()  # the decoded photos' planes, freed, not kept under the proofs (issue 18)
    if runner is not None and runner.busy:
        t0 = time.perf_counter()
        runner.finish()  # edition.pdf, put together meanwhile
        timings["edition_wait"] = time.perf_counter() - t0
    report = edition_report(prep, findings, {**prep.timings, **timings})
    path = stage / "report.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=False), "utf-8")
    files.append(path)
    return files, report, timings


# The output folder (staging, swap, manifest, lock) lives in layout/outfolder.py; its names are
# kept importable from here.
from layout.outfolder import (  # noqa: E402, F401
    _BUILD_LIKE,
    _OLD_SCHEME,
    _RENAME_EXCHANGE,
    BUILD_NAMES,
    MANIFEST,
    STAGING_MARK,
    OutputFolder,
    _carry,
    _exchange,
    _foreign,
    _link_or_copy,
    _names,
    _not_a_build,
    _os_message,
    check_destination,
    output_error,
    publish,
    recover_leftovers,
    remove_tree,
    stage_folder,
    write_manifest,
)
