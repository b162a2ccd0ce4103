"""preflight_pdf: every check, page by page."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pikepdf

from layout.preflight.content import check_page_content
from layout.preflight.findings import Finding, error, warning
from layout.preflight.ink import GhostscriptMissing, ink_findings, mono_findings, render_plates
from layout.preflight.resources import check_page_resources
from layout.preflight.structure import box, check_document, check_page_boxes
from layout.printprofile import PrintProfile


def _open(path: Path) -> tuple[pikepdf.Pdf | None, list[Finding]]:
    try:
        return pikepdf.open(path), []
    except pikepdf.PasswordError:
        return None, [error("PDF-ENCRYPTED", "the file is encrypted with a password")]
    except (pikepdf.PdfError, OSError) as exc:
        return None, [error("PDF-UNREADABLE", f"not a readable PDF: {exc}")]


def preflight_pdf(path: Path, profile: PrintProfile, *, expected_trim: tuple[float, float] | None = None,
                  ink: bool = True, mono: bool | Collection[int] = False) -> list[Finding]:
    """All findings for the file, document-level first, then by page. `expected_trim` (w, h in pt)
    checks the trim size (an ad slot, a page); `mono` (True, or a set of 1-based page numbers) names
    pages that must print on K only; `ink=False` skips the Ghostscript render (and the mono check)."""
    path = Path(path)
    pdf, findings = _open(path)
    if pdf is None:
        return findings
    with pdf:
        if pdf.is_encrypted:
            findings.append(error("PDF-ENCRYPTED", "the file is encrypted"))
        findings += check_document(pdf, profile)
        boxes = []
        for number, page in enumerate(pdf.pages, start=1):
            findings += check_page_boxes(page, number, profile, expected_trim)
            findings += check_page_resources(page, number, profile)
            media = tuple(float(v) for v in page.mediabox)
            media = (min(media[0], media[2]), min(media[1], media[3]), max(media[0], media[2]),
                     max(media[1], media[3]))
            area = box(page, "/BleedBox") or box(page, "/TrimBox") or media
            findings += check_page_content(page, number, profile, area)
            boxes.append((media, area))
    if ink:
        try:
            rendered = render_plates(path, profile.preflight_dpi)
        except GhostscriptMissing as exc:
            findings.append(warning("INK-NOT-CHECKED", str(exc)))
            rendered = []
        except Exception as exc:  # noqa: BLE001 - Ghostscript failing to render is a finding
            findings.append(error("PDF-RENDER", f"Ghostscript could not render the file: {exc}"))
            rendered = []
        for number, (plates, (media, bleed)) in enumerate(zip(rendered, boxes, strict=False), start=1):
            findings += ink_findings(plates, number, media, bleed, profile)
            if mono is True or (not isinstance(mono, bool) and number in mono):
                findings += mono_findings(plates, number, media, bleed)
    return findings


def preflight_many(paths, profile: PrintProfile, *, workers: int = 2, **kw) -> dict[Path, list[Finding]]:
    """preflight_pdf for several files at once (the Ghostscript renders run in parallel
    processes); results in the order of `paths`."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [Path(p) for p in paths]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda p: preflight_pdf(p, profile, **kw), paths))
    return dict(zip(paths, results, strict=True))
