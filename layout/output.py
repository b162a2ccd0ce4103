"""The output stage of a build: photos prepared for print, page PDFs, the edition PDF, preflight
of our own files, and report.json — all written into a staging folder by the caller."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from layout.cache import BlobCache, JsonCache
from layout.diagnostics import Diagnostic, Location, OutputError, Severity
from layout.frames import GlyphRun, ImageItem, PdfItem
from layout.images import ImageCache, ImageStore, PhotoRequest
from layout.report import edition_report


def prepare_images(prep, store: ImageStore) -> dict[str, object]:
    """Every ImageItem's key -> prepared image, with the photo diagnostics added to the build's."""
    ctx = prep.ctx
    out: dict[str, object] = {}
    requests = {r.key: r for page in prep.layout.pages for r in page.photos}
    # All photos first, on all cores (layout/images.py); the loop below then finds them prepared.
    store.prepare_many([PhotoRequest(path, item.w, item.h, focus, not page.page.colour)
                        for page in prep.layout.pages for item in page.frame.items if isinstance(item, ImageItem)
                        for path, focus, _ in [_photo_of(ctx, requests, item)]], profile=ctx.profile)
    for page in prep.layout.pages:
        mono = not page.page.colour
        for item in page.frame.items:
            if not isinstance(item, ImageItem) or item.image in out:
                continue
            path, focus, story = _photo_of(ctx, requests, item)
            prepared = store.prepare(path, item.w, item.h, focus=focus, profile=ctx.profile, mono=mono)
            for d in prepared.diagnostics:
                ctx.diagnostics.add(replace(d, page=page.page.id, story=d.story or story))
            out[item.image] = prepared
    return out


def _photo_of(ctx, requests, item: ImageItem):
    """The file, focus point and story (None for an ad) of a placed image."""
    if item.source.kind == "ad":
        return ctx.edition.ads[item.source.story].file, (0.5, 0.5), None
    req = requests[item.image]
    return req.file, req.focus, req.story


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


def _frame_digest(page, images: dict, profile, title: str) -> str:
    """What a page PDF depends on: the page description, the prepared images it draws, the print
    profile and the title. Equal digests give equal bytes, so a warm rebuild reuses them."""
    frame = page.frame
    h = hashlib.sha256(page.description_digest().encode("ascii"))
    h.update(repr(sorted(getattr(images[i.image], "key", i.image) for i in frame.items
                         if isinstance(i, ImageItem))).encode())
    h.update(repr((profile, title)).encode())
    return h.hexdigest()


def _render_file(prep, frames, images, title: str) -> bytes:
    # imported here: a warm build takes every page from the cache and never loads the PDF writer
    from layout.render.pdf import place_pdf_ads, render

    ctx = prep.ctx
    data, pending = render(frames, catalog=prep.catalog, images=images, profile=ctx.profile, title=title,
                           date=ctx.edition.date)
    return place_pdf_ads(data, pending, frames)


def _file_sig(path) -> list:
    try:
        st = Path(path).stat()
    except OSError:
        return [str(path)]
    return [str(path), st.st_size, st.st_mtime_ns]


def _disk_key(prep, frame, digest: str) -> str:
    """A page PDF's key between builds: its frame digest, and the files that digest names only by
    name: the faces its glyphs are drawn from and the delivered PDF ads it places."""
    faces = sorted({i.face for i in frame.items if isinstance(i, GlyphRun)})
    files = [[f, _file_sig(prep.catalog.face(f).spec.path)] for f in faces]
    files += [_file_sig(i.path) for i in frame.items if isinstance(i, PdfItem)]
    return hashlib.sha256(repr([digest, files]).encode("utf-8")).hexdigest()


def write_pdfs(prep, images, stage: Path, *, progress=None, cache: dict | None = None,
               edition_pdf: bool = True) -> list[Path]:
    """One PDF per page and edition.pdf. A page whose description did not change is not rendered
    again: its PDF comes from this process's memory (`layout watch`) or from the build cache
    ($LAYOUT_CACHE/pages, checked on read), and so does edition.pdf when no page changed. The
    pages to render are shared with a forked child, so both cores work; edition.pdf is then put
    together from the page files (render/assemble.py). A live preview may leave edition.pdf out."""
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
        edition_key = hashlib.sha256(repr([edition_title] + [_disk_key(prep, p.frame, k) for p, k in
                                                            zip(pages, keys, strict=True)])
                                     .encode("utf-8")).hexdigest()
        edition_data = disk.load(edition_key)

    dkeys = [_disk_key(prep, page.frame, key) if disk is not None else None for page, key in zip(pages, keys, strict=True)]
    found: list[bytes | None] = []
    for key, dkey in zip(keys, dkeys, strict=True):
        data = cache.get(key) if cache is not None else None
        if data is None and disk is not None:
            data = disk.load(dkey)
        found.append(data)
    todo = [i for i, data in enumerate(found) if data is None]
    # A forked child renders some of the pages to render (as many as balance the two cores).
    theirs = _share(todo, [_weight(page.frame) for page in pages])

    def render_page(i: int) -> bytes:
        data = _render_file(prep, [pages[i].frame], images, titles[i])
        if disk is not None:
            disk.store(dkeys[i], data)
        return data

    def render_theirs() -> None:
        for i in theirs:
            write_pdf(stage / f"{pages[i].page.id}.pdf", render_page(i))

    child = _fork_render(render_theirs) if theirs else None
    if child is None:
        theirs = []  # no second process: this one renders every page
    files = [stage / f"{page.page.id}.pdf" for page in pages]
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
        # edition.pdf from the page files as written (render/assemble.py), not rendered again;
        # written straight into its file and kept from there (never held in memory: issue 18)
        from layout.render.assemble import write_edition

        write_edition(files, edition_path, title=edition_title, profile=prep.ctx.profile, date=e.date)
        if disk is not None and edition_key is not None:
            disk.store_file(edition_key, edition_path)
    else:
        write_pdf(edition_path, edition_data)
    return [*files, edition_path]


def _weight(frame) -> int:
    """A page's rendering cost, roughly: its glyphs (text drawing and font subsets dominate)."""
    return sum(len(i.glyphs) for i in frame.items if isinstance(i, GlyphRun)) + 1


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
            print(f"error: {err.filename or 'edition.pdf'}: {err.strerror or err}", file=sys.stderr)
            sys.stderr.flush()
            code = WORKER_OS_ERROR
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


def preflight_pages(prep, stage: Path, images: dict[str, object]) -> dict[str, list[dict]]:
    """Preflight of each written page, by page id, from its page description (layout/preflight/
    described.py): the findings the Ghostscript preflight gives for the page PDF, in milliseconds,
    from the frame the PDF was written from and the prepared `images` it draws. A delivered PDF ad
    on a page is checked where it sits, its plates from a Ghostscript render of the ad kept in the
    build cache by the file's digest ($LAYOUT_CACHE/preflight-ads), so an ad is rendered once.
    A page whose PDF bytes are those of an earlier build takes that build's findings from the
    cache (keyed by the bytes' digest, which the description, its photos and ads all go into, the
    print profile, colour or mono, and the Ghostscript there is); what comes from the cache is
    what the check gives."""
    from layout.preflight.described import AdRenders, preflight_frames

    ctx = prep.ctx
    e = ctx.edition
    cache = JsonCache.default("preflight")
    gs = shutil.which("gs")
    out: dict[str, list[dict]] = {}
    keys: dict[str, str] = {}
    todo = []
    for p in prep.layout.pages:
        path = stage / f"{p.page.id}.pdf"
        mono = not p.page.colour
        key = hashlib.sha256(repr([hashlib.sha256(path.read_bytes()).hexdigest(), repr(ctx.profile), mono, gs])
                             .encode("utf-8")).hexdigest()
        keys[p.page.id] = key
        hit = cache.load(key, check=_findings_entry) if cache is not None else None
        if hit is not None:
            out[p.page.id] = hit
        else:
            todo.append(p)
    renders = AdRenders(BlobCache.default("preflight-ads"))
    # as write_pdfs titles the page PDFs
    pages = [(p.frame, f"{e.paper} {e.date.isoformat()} {p.page.id}", not p.page.colour) for p in todo]
    checked = preflight_frames(pages, profile=ctx.profile, catalog=prep.catalog, images=images, ad_renders=renders,
                               workers=os.cpu_count() or 1)
    for p, found in zip(todo, checked, strict=True):
        out[p.page.id] = [{"code": f.code, "severity": str(f.severity), "message": f.message,
                           "bbox": list(f.bbox) if f.bbox else None} for f in found]
        if cache is not None:
            cache.store(keys[p.page.id], out[p.page.id])
    return out


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
        found = preflight_pages(prep, stage, images)
        for page in prep.layout.pages:
            for f in found[page.page.id]:
                findings.append({"file": f"{page.page.id}.pdf", "page": page.page.id, **f})
        timings["preflight"] = time.perf_counter() - t0
    report = edition_report(prep, findings, {**prep.timings, **timings})
    path = stage / "report.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=False), "utf-8")
    files.append(path)
    return files, report, timings


# --- the output folder: replaced as a whole or not at all ------------------------------------------
#
# A build is written into a staging folder beside the output folder (same parent, so the same file
# system) and then exchanged with it in one rename: renameat2(RENAME_EXCHANGE) on Linux swaps the
# two directory entries atomically, so a reader (the print shop's pickup, a proof viewer) sees either
# the whole previous set or the whole new one, never a mix, and a build that fails or is killed
# before the swap leaves the previous folder exactly as it was. The output path stays a real folder
# (not a symlink to a versioned one), which network shares and pickup tools handle everywhere.
# Where the kernel or file system cannot exchange, two renames are used; the moment between them is
# recovered by the next build (see recover_leftovers).
#
# Entries of the old folder that no build made (a note, a `suggest/` or `diff/` folder) are moved
# into the new one after the swap: the manifest `.layout-build.json` says which names a build made,
# so a build folder that also holds someone's PDFs never loses them. An existing folder without a
# manifest is only taken when it is empty or holds nothing but what builds write (an older build):
# a folder that is not a build's (a Desktop) is never swapped away.

MANIFEST = ".layout-build.json"
STAGING_MARK = ".layout-staging"  # in a staging folder until the moment it is swapped in
_OLD_SCHEME = (".lock",)  # hidden names builds before the manifest kept inside the folder
BUILD_NAMES = ("edition.pdf", "report.json", "proofs")  # a build's whatever the manifest says


def output_error(code: str, path: Path | str, message: str, hint: str) -> OutputError:
    return OutputError([Diagnostic(code, Severity.ERROR, message, Location(str(path)), hint=hint)])


def _os_message(err: OSError) -> str:
    return err.strerror or str(err)


@dataclass(frozen=True)
class OutputFolder:
    """Where a build goes: the folder itself (symlinks resolved: the folder they point to is what is
    replaced) and the hidden names beside it that a build uses."""

    path: Path

    @staticmethod
    def of(outdir: Path) -> OutputFolder:
        return OutputFolder(Path(os.path.realpath(os.path.abspath(outdir))))

    @property
    def parent(self) -> Path:
        return self.path.parent

    def sibling(self, what: str, pid: int | None = None) -> Path:
        return self.parent / f".{self.path.name}.{what}" if pid is None else \
            self.parent / f".{self.path.name}.{what}-{pid}"

    def leftovers(self) -> list[Path]:
        prefix = f".{self.path.name}."
        try:
            return sorted(p for p in self.parent.iterdir() if p.name.startswith(prefix)
                          and p.name[len(prefix):].split("-", 1)[0] in ("staging", "old") and p.is_dir()
                          and not p.is_symlink())
        except OSError:
            return []


def check_destination(folder: OutputFolder, edition: Path | None = None) -> None:
    """Every reason the folder cannot be replaced, found before anything is built or touched.
    Raises OutputError (exit 2) naming the path."""
    path, parent = folder.path, folder.parent
    hint_other = "name another output folder with -o"
    if path == Path(path.anchor):
        raise output_error("OUTPUT-FOLDER", path, "the root folder cannot be an output folder", hint_other)
    if os.path.lexists(path) and not path.is_dir():
        what = "a broken link" if path.is_symlink() or not path.exists() else "a file, not a folder"
        raise output_error("OUTPUT-FOLDER", path, f"the output folder {path} is {what}",
                           "remove it, or name a folder with -o")
    try:
        holds = [(Path(os.path.realpath(os.getcwd())), "the current folder")]
    except OSError:  # the current folder was deleted: it cannot be inside the output
        holds = []
    if edition is not None:
        holds.append((Path(os.path.realpath(os.path.abspath(edition))).parent, "the edition's folder"))
    for inside, what in holds:
        if inside == path or path in inside.parents:
            raise output_error("OUTPUT-FOLDER", path, f"the output folder {path} holds {what} ({inside}); a build "
                               "replaces its output folder as a whole", "give the output a folder of its own, "
                               "e.g. -o out/EDITION")
    # The parent: created if missing; it must take the staging folder and the swap.
    blocker = next((p for p in (parent, *parent.parents) if os.path.lexists(p) and not p.is_dir()), None)
    if blocker is not None:
        raise output_error("OUTPUT-FOLDER", blocker, f"{blocker} is a file, so the output folder {path} cannot be "
                           "made in it", hint_other)
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise output_error("OUTPUT-FOLDER", err.filename or parent, f"cannot create the folder "
                           f"{err.filename or parent}: {_os_message(err)}", hint_other) from None
    if not parent.is_dir():
        raise output_error("OUTPUT-FOLDER", parent, f"{parent} is not a folder", hint_other)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise output_error("OUTPUT-FOLDER", parent, f"cannot create files in {parent} (permission denied); the "
                           f"build is staged beside {path.name} and swapped in whole", hint_other)
    if path.is_dir():
        st = path.stat()
        if not os.access(path, os.W_OK | os.X_OK) or not st.st_mode & 0o222:
            raise output_error("OUTPUT-FOLDER", path, f"the output folder {path} is read-only",
                               "make it writable (chmod u+w), or name another folder with -o")
        if st.st_dev != parent.stat().st_dev:
            raise output_error("OUTPUT-FOLDER", path, f"the output folder {path} is a mount point; it cannot be "
                               "replaced as a whole", "name a folder inside it with -o")
        strangers = _not_a_build(path)
        if strangers:
            shown = ", ".join(strangers[:5]) + (f" and {len(strangers) - 5} more" if len(strangers) > 5 else "")
            raise output_error("OUTPUT-FOLDER", path, f"the folder {path} holds files no build made ({shown}); a "
                               "build replaces its output folder as a whole",
                               "name a new or empty folder, or one a build made, with -o")


# What a build folder held before builds wrote a manifest (and the folders other commands put in one).
# Page PDFs by the usual page ids (A01, B12): an advertiser's Bank.pdf makes a folder not a build's.
_BUILD_LIKE = re.compile(r"[A-Z]{1,3}[0-9]{1,3}\.pdf|edition\.pdf|report\.json|proofs|diff|suggest|\.lock|\.staging-.*")


def _not_a_build(path: Path) -> list[str]:
    """The entries of an existing folder that show it is not a build's output folder (someone's
    Desktop, a project folder): [] when it has a build's manifest, is empty or holds only what a
    build writes. Only a build's folder is replaced whole, its other entries carried over."""
    if (path / MANIFEST).is_file():
        return []
    try:
        names = sorted(p.name for p in path.iterdir())
    except OSError:
        return []
    return [n for n in names if not _BUILD_LIKE.fullmatch(n)]


def _names(folder: Path) -> set[str]:
    """The names a build made in `folder`, from its manifest (empty when there is none or it is not
    ours: then nothing in the folder is taken for a build's output but what the new build writes)."""
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    names = data.get("outputs") if isinstance(data, dict) else None
    if not isinstance(names, list):
        return set()
    return {n for n in names if isinstance(n, str) and n and "/" not in n and n not in (".", "..")}


def write_manifest(stage: Path, names) -> None:
    (stage / MANIFEST).write_text(json.dumps({"outputs": sorted(set(names))}, indent=1), "utf-8")


def _foreign(old: Path, new_names: set[str]) -> list[Path]:
    """Entries of an old output folder that no build made: they move into the new folder."""
    ours = _names(old) | new_names | {MANIFEST, STAGING_MARK, *_OLD_SCHEME, *BUILD_NAMES}
    try:
        entries = sorted(old.iterdir())
    except OSError:
        return []
    # A folder from before builds wrote a manifest: it was let through only because everything in
    # it is what builds write (check_destination), so all of it is the old build's.
    older = not (old / MANIFEST).is_file()
    return [p for p in entries if p.name not in ours and not p.name.startswith(".staging-")
            and not (older and _BUILD_LIKE.fullmatch(p.name))]


def remove_tree(path: Path) -> list[str]:
    """Delete a folder even where a subfolder was made read-only; the paths that could not be
    removed. A folder holding a mount point (another file system) is left alone: deleting through
    it would delete what is mounted there."""
    try:
        root_dev = path.lstat().st_dev
        for top, dirs, _ in os.walk(path):
            for d in dirs:
                sub = os.path.join(top, d)
                if not os.path.islink(sub) and os.lstat(sub).st_dev != root_dev:
                    return [f"{sub} (another file system is mounted there)"]
    except OSError as err:
        return [f"{path}: {_os_message(err)}"]
    failed: list[str] = []

    def retry(func, p, exc):
        try:
            os.chmod(os.path.dirname(p) or ".", 0o700)
            func(p)
        except OSError:
            failed.append(p)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:
        shutil.rmtree(path, onerror=retry)
    return failed


def _carry(old: Path, target: Path, new_names: set[str]) -> list[str]:
    """Move the foreign entries of `old` into `target` (unless `target` has the name already)."""
    problems = []
    for entry in _foreign(old, new_names):
        dest = target / entry.name
        if os.path.lexists(dest):
            continue
        try:
            os.rename(entry, dest)
        except OSError as err:
            problems.append(f"{entry}: {_os_message(err)}")
    return problems


def recover_leftovers(folder: OutputFolder) -> list[str]:
    """Clear what an interrupted build left beside the folder (called under the lock). A staging
    folder (still marked) is dropped. An unmarked one is a previous output moved aside: it goes
    back into place when the output folder is missing (a build stopped between its two renames),
    otherwise its foreign entries are carried into the output folder and it is dropped."""
    problems: list[str] = []
    for left in folder.leftovers():
        if not (left / STAGING_MARK).exists():
            if not os.path.lexists(folder.path):
                try:
                    os.rename(left, folder.path)
                    continue
                except OSError as err:
                    problems.append(f"{left}: {_os_message(err)}")
                    continue
            if folder.path.is_dir():
                problems += _carry(left, folder.path, _names(folder.path))
        problems += [f"{p}: could not be removed" for p in remove_tree(left)]
    return problems


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directory entries in one step (Linux renameat2); False where not supported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def stage_folder(folder: OutputFolder) -> Path:
    """A new, empty staging folder beside the output folder, with the output folder's permissions
    and group (so a folder shared with the print shop stays shared); writable by us while building."""
    stage = folder.sibling("staging", os.getpid())
    stage.mkdir()
    (stage / STAGING_MARK).write_bytes(b"")
    if folder.path.is_dir():
        st = folder.path.stat()
        with contextlib.suppress(OSError):
            os.chown(stage, -1, st.st_gid)
        os.chmod(stage, (st.st_mode & 0o7777) | 0o700)
    return stage


def publish(stage: Path, folder: OutputFolder, *, keep: tuple[str, ...] = ()) -> list[str]:
    """Put the finished staging folder in place of the output folder in one step. `keep`: entries
    of the old folder copied into the new one first (a live preview keeps its proof images). The
    manifest lists the new folder's own names. Returns what could not be tidied afterwards."""
    target = folder.path
    new_names = {p.name for p in stage.iterdir()} - {STAGING_MARK}
    if target.is_dir():
        for name in keep:
            src = target / name
            if src.is_dir() and not os.path.lexists(stage / name):
                shutil.copytree(src, stage / name, symlinks=True, copy_function=_link_or_copy)
                new_names.add(name)
        os.chmod(stage, target.stat().st_mode & 0o7777)
    write_manifest(stage, new_names - {MANIFEST})
    old = folder.sibling("old", os.getpid())
    # From here on the folder is a complete build: unmarked, a leftover is kept, not dropped.
    (stage / STAGING_MARK).unlink()
    if not target.is_dir():
        os.rename(stage, target)  # nothing to replace: the folder appears whole
        return []
    if _exchange(stage, target):
        # The new build is in place; from here on nothing may raise (the caller would take the
        # stage name, which now holds the previous output, for a failed build's and delete it).
        try:
            os.rename(stage, old)
        except OSError:
            old = stage  # tidied from where it is (and by the next build if not now)
    else:
        os.rename(target, old)
        try:
            os.rename(stage, target)
        except OSError:
            os.rename(old, target)  # put the previous output back: nothing was replaced
            raise
    problems = _carry(old, target, new_names)
    problems += [f"{p}: could not be removed" for p in remove_tree(old)]
    return problems


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
