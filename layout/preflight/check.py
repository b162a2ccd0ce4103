"""preflight_pdf: every check, page by page; preflight_many: the same for several files, with the
Ghostscript renders batched (one process for several files) and run side by side."""

from __future__ import annotations

import os
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from layout.preflight.content import check_page_content
from layout.preflight.findings import Finding, error, warning
from layout.preflight.ink import GhostscriptMissing, PagePlates, ink_findings, mono_findings, render_batch
from layout.preflight.resources import check_page_resources
from layout.preflight.structure import box, check_document, check_page_boxes
from layout.printprofile import PrintProfile

Mono = bool | Collection[int]


@dataclass
class _Checked:
    """One file after the structure and content checks: its findings so far and, per page, the
    MediaBox and the printed area (BleedBox, else TrimBox, else MediaBox) for the ink checks."""

    path: Path
    findings: list[Finding]
    boxes: list[tuple[tuple, tuple]] = field(default_factory=list)
    readable: bool = True


def _open(path: Path) -> tuple[pikepdf.Pdf | None, list[Finding]]:
    try:
        return pikepdf.open(path), []
    except pikepdf.PasswordError:
        return None, [error("PDF-ENCRYPTED", "the file is encrypted with a password")]
    except (pikepdf.PdfError, OSError) as exc:
        return None, [error("PDF-UNREADABLE", f"not a readable PDF: {exc}")]


def _check_structure(path: Path, profile: PrintProfile, expected_trim) -> _Checked:
    pdf, findings = _open(path)
    if pdf is None:
        return _Checked(path, findings, readable=False)
    checked = _Checked(path, findings)
    with pdf:
        if pdf.is_encrypted:
            findings.append(error("PDF-ENCRYPTED", "the file is encrypted"))
        findings += check_document(pdf, profile)
        for number, page in enumerate(pdf.pages, start=1):
            findings += check_page_boxes(page, number, profile, expected_trim)
            findings += check_page_resources(page, number, profile)
            media = tuple(float(v) for v in page.mediabox)
            media = (min(media[0], media[2]), min(media[1], media[3]), max(media[0], media[2]),
                     max(media[1], media[3]))
            area = box(page, "/BleedBox") or box(page, "/TrimBox") or media
            findings += check_page_content(page, number, profile, area)
            checked.boxes.append((media, area))
    return checked


def _ink_checks(checked: _Checked, rendered: list[PagePlates] | Exception, profile: PrintProfile,
                mono: Mono) -> list[Finding]:
    if isinstance(rendered, GhostscriptMissing):
        return [warning("INK-NOT-CHECKED", str(rendered))]
    if isinstance(rendered, Exception):  # Ghostscript failing to render is a finding
        return [error("PDF-RENDER", f"Ghostscript could not render the file: {rendered}")]
    out: list[Finding] = []
    if len(rendered) != len(checked.boxes):  # pages Ghostscript skipped would go unchecked
        out.append(error("PDF-RENDER", f"Ghostscript rendered {len(rendered)} of the file's "
                                       f"{len(checked.boxes)} pages"))
    for number, (plates, (media, bleed)) in enumerate(zip(rendered, checked.boxes, strict=False), start=1):
        out += ink_findings(plates, number, media, bleed, profile)
        if mono is True or (not isinstance(mono, bool) and number in mono):
            # The same render: a mono page must have nothing on the C, M, Y (or spot) plates.
            out += mono_findings(plates, number, media, bleed)
    return out


def _ink_share(checked: list[_Checked], profile: PrintProfile, mono: Mono) -> list[list[Finding]]:
    """Ink findings for files rendered together (in one or a few Ghostscript runs)."""
    try:
        rendered = render_batch([c.path for c in checked], [len(c.boxes) for c in checked], profile.preflight_dpi)
        return [_ink_checks(c, r, profile, mono) for c, r in zip(checked, rendered, strict=True)]
    except GhostscriptMissing as exc:
        return [_ink_checks(c, exc, profile, mono) for c in checked]


def preflight_pdf(path: Path, profile: PrintProfile, *, expected_trim: tuple[float, float] | None = None,
                  ink: bool = True, mono: Mono = False) -> list[Finding]:
    """All findings for the file, document-level first, then by page. `expected_trim` (w, h in pt)
    checks the trim size (an ad slot, a page); `mono` (True, or a set of 1-based page numbers) names
    pages that must print on K only; `ink=False` skips the Ghostscript render (and the mono check)."""
    checked = _check_structure(Path(path), profile, expected_trim)
    if ink and checked.readable:
        (more,) = _ink_share([checked], profile, mono)
        checked.findings += more
    return checked.findings


def preflight_many(paths, profile: PrintProfile, *, workers: int | None = None,
                   expected_trim: tuple[float, float] | None = None, ink: bool = True,
                   mono: Mono = False) -> dict[Path, list[Finding]]:
    """preflight_pdf for several files (the same options for each); results in the order of
    `paths`. The structure checks take milliseconds a page; the time is in the Ghostscript ink
    renders, so the files are shared among `workers` (default: the CPU count) threads, each
    rendering its share with as few Ghostscript processes as it can. Threads are enough: they
    wait on Ghostscript, and reading the plates and summing them in numpy releases the GIL."""
    paths = [Path(p) for p in paths]
    checked = [_check_structure(p, profile, expected_trim) for p in paths]
    todo = [c for c in checked if ink and c.readable]
    if todo:
        n = max(1, min(workers or os.cpu_count() or 2, len(todo)))
        # Contiguous shares of nearly equal page counts (pages cost about the same to render).
        total = sum(max(1, len(c.boxes)) for c in todo)
        shares: list[list[_Checked]] = [[] for _ in range(n)]
        done = 0
        for c in todo:
            shares[min(n - 1, done * n // total)].append(c)
            done += max(1, len(c.boxes))
        shares = [s for s in shares if s]
        with ThreadPoolExecutor(max_workers=len(shares)) as pool:
            results = list(pool.map(lambda s: _ink_share(s, profile, mono), shares))
        for share, found in zip(shares, results, strict=True):
            for c, more in zip(share, found, strict=True):
                c.findings += more
    return {c.path: c.findings for c in checked}
