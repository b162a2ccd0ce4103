"""The rebuild step of `layout watch`: build again and say which page PDFs changed, so that only
their proofs are rendered again. Faces, composed text, prepared photos and unchanged page PDFs are
kept between rebuilds. A preview build writes the page PDFs, report.json and proofs but no
edition.pdf (and removes an older one); the print set comes from `layout build`.

A save's refresh is its page PDFs published: that is announced at once (`announce`), before the
watch renders the changed pages' proofs, which follow. What a build leaves to do after its output
(the deferred cache writes, keeping the cache to its size) is not waited for on a save: it is done
at the start of the next one, by when the writer is long finished (issue 18)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from layout.diagnostics import InputError, Severity

Signature = tuple[int, int, int, int, int]  # device, inode, size, mtime_ns, ctime_ns


def _signature(path: Path) -> Signature | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _digests(outdir: Path, known: dict[str, tuple[Signature | None, str]] | None = None
             ) -> dict[str, tuple[Signature | None, str]]:
    """The page PDFs' signature and SHA-256, by page id. `known`: an earlier call's answer; a file
    whose signature is unchanged since (the same inode, size and times: nothing wrote it) is not
    read again. Each build publishes new files, so a rebuild reads its pages once, not once before
    and once after. The signature is taken before the file is read: a write meanwhile changes it,
    and the next call reads the file again."""
    out = {}
    for pdf in sorted(outdir.glob("A*.pdf")):
        sig = _signature(pdf)
        had = (known or {}).get(pdf.stem)
        if sig is not None and had is not None and had[0] == sig:
            out[pdf.stem] = had
        else:
            out[pdf.stem] = (sig, hashlib.sha256(pdf.read_bytes()).hexdigest())
    return out


class _Recent(dict):
    """The page PDFs kept between rebuilds, by frame digest; remembers which keys a build set
    (write_pdfs sets every page's), so that the versions no page has any more can be let go:
    a night of saves would otherwise keep every version of every edited page in memory."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.set_now: set = set()

    def __setitem__(self, key, value) -> None:
        self.set_now.add(key)
        super().__setitem__(key, value)

    def current(self) -> _Recent:
        """Only what the last build set (all of it when it set nothing: a build that failed)."""
        return _Recent({k: self[k] for k in self.set_now}) if self.set_now else _Recent(self)


PRUNE_EVERY = 60.0  # seconds between two prunings of the cache during a watch (a scan of its folders)


class NotBuilt(Exception):
    """A rebuild refused: the edition (or the output folder) has errors, printed already."""


class Rebuilder:
    def __init__(self, announce: Callable[[list[str], float], None] | None = None) -> None:
        """announce(pages, seconds): called when a rebuild has published changed page PDFs, with
        their ids and the seconds the rebuild took (before their proofs are rendered)."""
        self.announce = announce
        self.pruned: float | None = None  # when the cache was last kept to its size (monotonic)
        self.catalogs: dict = {}
        self.setters: dict = {}
        self.pages: _Recent = _Recent()
        self.groups: dict = {}  # the last build's laid-out page groups, by key (paginate's memo)
        self.digests: dict[str, tuple[Signature | None, str]] = {}  # the output's page PDFs as last seen
        from layout.images import ImageStore

        self.images = ImageStore()

    def tidy(self) -> None:
        """What the last build left: its deferred cache writers waited for (they finished while the
        user read the page), and the cache kept to its size at most every PRUNE_EVERY seconds."""
        from layout.cache import cache_limit, cache_root, prune, settle

        now = time.monotonic()
        if self.pruned is None or now - self.pruned >= PRUNE_EVERY:
            prune(cache_root(), cache_limit())  # settles first
            self.pruned = now
        else:
            settle()

    def __call__(self, edition: Path, outdir: Path) -> list[str]:
        from layout.build import build

        started = time.perf_counter()
        self.tidy()
        before = _digests(outdir, self.digests) if outdir.exists() else {}
        try:
            build(edition, outdir, proofs=False, preflight=False, catalog_cache=self.catalogs,
                  setters=self.setters, page_cache=self.pages, image_store=self.images, groups=self.groups,
                  edition_pdf=False, keep=("proofs",), tidy=False)  # a live preview: `layout build` writes
            # the print set; its proofs are kept: only the pages that changed are proofed again
        except InputError as err:
            for d in err.diagnostics[:20]:
                print(d.format())
            # Said as this rebuild's failure (the watch goes on): not "built", and no proofs made
            # of an output folder the build never wrote (that said "proofs failed: [Errno 2] No
            # such file or directory: '…/report.json'").
            n = sum(1 for d in err.diagnostics if d.severity is Severity.ERROR)
            raise NotBuilt(f"{n} error{'s' if n != 1 else ''} above: nothing built, the previous "
                           "output and proofs stay as they were") from None
        finally:
            self.pages = self.pages.current()
        after = self.digests = _digests(outdir)
        changed = [page for page, (_, digest) in after.items() if page not in before or before[page][1] != digest]
        if changed and self.announce is not None:
            self.announce(changed, time.perf_counter() - started)
        return changed
