"""The rebuild step of `layout watch`: build again and say which page PDFs changed, so that only
their proofs are rendered again. Faces, composed text, prepared photos and unchanged page PDFs are
kept between rebuilds. A preview build writes the page PDFs, report.json and proofs but no
edition.pdf (and removes an older one); the print set comes from `layout build`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from layout.diagnostics import InputError


def _digests(outdir: Path) -> dict[str, str]:
    out = {}
    for pdf in sorted(outdir.glob("A*.pdf")):
        out[pdf.stem] = hashlib.sha256(pdf.read_bytes()).hexdigest()
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


class Rebuilder:
    def __init__(self) -> None:
        self.catalogs: dict = {}
        self.setters: dict = {}
        self.pages: _Recent = _Recent()
        self.groups: dict = {}  # the last build's laid-out page groups, by key (paginate's memo)
        from layout.images import ImageStore

        self.images = ImageStore()

    def __call__(self, edition: Path, outdir: Path) -> list[str]:
        from layout.build import build

        before = _digests(outdir) if outdir.exists() else {}
        try:
            build(edition, outdir, proofs=False, preflight=False, catalog_cache=self.catalogs,
                  setters=self.setters, page_cache=self.pages, image_store=self.images, groups=self.groups,
                  edition_pdf=False, keep=("proofs",))  # a live preview: `layout build` writes the print set;
            # its proofs are kept: only the pages that changed are proofed again
        except InputError as err:
            for d in err.diagnostics[:20]:
                print(d.format())
            return []
        finally:
            self.pages = self.pages.current()
        after = _digests(outdir)
        return [page for page, digest in after.items() if before.get(page) != digest]
