"""edition.pdf from the page PDFs as they were written: the pages' own objects copied, never
rendered again, so an edited story costs its page's render and this copy, not a second render of
every page.

The document keys are the edition's: the first page's OutputIntent (the same profile on every
page), its Info with the edition's title, the XMP packet of that title for PDF/X-4, and an /ID
qpdf derives from the content (the same pages give the same bytes). Each page keeps its own
font subsets, which costs the file some size (about a fifth on the sample) against subsets made
for the whole edition; the print shop receives the page files, edition.pdf is the night's
archive and reading copy."""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import pikepdf

from layout.printprofile import PrintProfile
from layout.render.pdfx import document_xmp


def edition_from_pages(pages: Sequence[bytes], *, title: str, profile: PrintProfile,
                       date: _dt.date | None = None) -> bytes:
    buf = io.BytesIO()
    write_edition(pages, buf, title=title, profile=profile, date=date)
    return buf.getvalue()


def write_edition(pages: Sequence[bytes | Path], into: str | Path | BinaryIO, *, title: str, profile: PrintProfile,
                  date: _dt.date | None = None) -> None:
    """edition.pdf written into a file (or stream) from the pages' bytes or files: qpdf reads the
    files as it needs them and writes the edition out as it goes, where edition_from_pages holds
    it in memory twice (its buffer and the bytes; 40 MB each at 24 pages) besides the pages."""
    if not pages:
        raise ValueError("an edition needs at least one page")
    # files read as a stream: pikepdf's default maps them, and mapped pages count as resident
    sources = [pikepdf.open(page, access_mode=pikepdf.AccessMode.stream) if isinstance(page, Path)
               else pikepdf.open(io.BytesIO(page)) for page in pages]
    try:
        out = sources[0]
        for src in sources[1:]:
            out.pages.extend(src.pages)
        out.docinfo[pikepdf.Name.Title] = pikepdf.String(title)
        xmp = document_xmp(profile, title, date)
        if xmp is not None:
            out.Root.Metadata = out.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        # PDF/X-1a is PDF 1.3: no object streams; the pages' streams kept as they were compressed
        options = dict(deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                       stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=True)
        if isinstance(into, (str, Path)):
            sink = _Sink(open(into, "wb"))  # noqa: SIM115 - closed by the sink below; opening fails as an OSError
            try:
                out.save(sink, **options)
            finally:
                sink.close()
            if sink.error is not None:  # said with the file's name (a full disk, a file size limit)
                raise OSError(sink.error.errno, sink.error.strerror or str(sink.error), str(into))
        else:
            out.save(into, **options)
    finally:
        for src in sources:
            src.close()


class _Sink:
    """The file qpdf writes edition.pdf into, which never fails inside qpdf: a write error (a full
    disk) raised in qpdf's last flush aborts the whole process ("terminate called after throwing
    an instance of 'QPDFSystemError'", no message, no clean-up). The first error is kept, the rest
    of the output dropped, and write_edition raises it once qpdf is done."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.error: OSError | None = None

    def write(self, data) -> int:
        if self.error is None:
            try:
                self.f.write(data)
            except OSError as err:
                self.error = err
        return len(data)

    def flush(self) -> None:
        if self.error is None:
            try:
                self.f.flush()
            except OSError as err:
                self.error = err

    def close(self) -> None:
        self.flush()
        try:
            self.f.close()  # (after a failed write, its buffer fails again: the first error is kept)
        except OSError as err:
            self.error = self.error or err

    def __getattr__(self, name: str):  # seek, tell, fileno … as the file has them
        return getattr(self.f, name)
