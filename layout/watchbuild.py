"""The rebuild step of `layout watch`: build again and say which page PDFs changed, so that only
their proofs are rendered again. Font faces are kept loaded between rebuilds."""

from __future__ import annotations

import hashlib
from pathlib import Path

from layout.diagnostics import InputError


def _digests(outdir: Path) -> dict[str, str]:
    out = {}
    for pdf in sorted(outdir.glob("A*.pdf")):
        out[pdf.stem] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    return out


class Rebuilder:
    def __init__(self) -> None:
        self.catalogs: dict = {}
        self.setters: dict = {}
        self.pages: dict = {}
        from layout.images import ImageStore

        self.images = ImageStore()

    def __call__(self, edition: Path, outdir: Path) -> list[str]:
        from layout.build import build

        before = _digests(outdir) if outdir.exists() else {}
        try:
            build(edition, outdir, proofs=False, preflight=False, catalog_cache=self.catalogs,
                  setters=self.setters, page_cache=self.pages, image_store=self.images)
        except InputError as err:
            for d in err.diagnostics[:20]:
                print(d.format())
            return []
        after = _digests(outdir)
        return [page for page, digest in after.items() if before.get(page) != digest]
