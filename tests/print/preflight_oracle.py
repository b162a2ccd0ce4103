"""The Ghostscript preflight as the oracle of the page-description preflight: both run on the same
pages (the PDF the renderer wrote, and the PageFrame it wrote it from), and their findings are
compared code by code, item by item, with the tolerances below.

Why tolerances: the ink total is measured on 8-bit plates painted two ways (Ghostscript's
rasteriser and the description's em boxes and pixel-centre sampling), and the PDF preflight
estimates a text's extent from its character count where the description knows it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from layout.preflight import Finding, preflight_many
from layout.preflight.described import AdRenders, preflight_frame

INK_TOLERANCE_PCT = 4.0  # total ink, percentage points
BOX_TOLERANCE_PT = 6.0  # bbox corners of ink areas and images (a few 72 dpi pixels)
INK_CODES = ("INK-OVER-LIMIT", "INK-HIGH")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def item_of(f: Finding) -> str | None:
    """What a finding is about, beyond its code and page: the image or font it names."""
    m = re.match(r"(?:line-art )?image (\S+):", f.message) or re.match(r"font (\S+) is", f.message)
    return m.group(1) if m else None


@dataclass(frozen=True)
class Disagreement:
    page: str
    what: str

    def __str__(self) -> str:
        return f"{self.page}: {self.what}"


def _near(a, b, tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def _overlap(a, b, slack: float = 0.5) -> bool:
    """Whether two boxes meet (a rule's box has no height: `slack` pt round each)."""
    if a is None or b is None:
        return a is None and b is None
    return a[0] - slack <= b[2] and b[0] - slack <= a[2] and a[1] - slack <= b[3] and b[1] - slack <= a[3]


def compare(page: str, described: list[Finding], oracle: list[Finding]) -> list[Disagreement]:
    """Every difference that matters: a (code, item) found by one and not the other (or a
    different number of times), another severity, or values outside the tolerances: the ink
    total and its area, an image's ppi and placement, a text's size and place."""
    out: list[Disagreement] = []
    def key(f):
        return (f.code, item_of(f))
    ours: dict[tuple, list[Finding]] = {}
    theirs: dict[tuple, list[Finding]] = {}
    for f in described:
        ours.setdefault(key(f), []).append(f)
    for f in oracle:
        theirs.setdefault(key(f), []).append(f)
    for k in sorted(set(ours) | set(theirs), key=repr):
        a, b = ours.get(k, []), theirs.get(k, [])
        if len(a) != len(b):
            out.append(Disagreement(page, f"{k}: described {[f.format() for f in a]} vs Ghostscript "
                                          f"{[f.format() for f in b]}"))
            continue
        for fa, fb in zip(a, b, strict=True):
            if fa.severity is not fb.severity:
                out.append(Disagreement(page, f"{k}: severity {fa.severity} vs {fb.severity}"))
            if fa.code in INK_CODES:
                va, vb = float(_NUMBER.search(fa.message).group()), float(_NUMBER.search(fb.message).group())
                if abs(va - vb) > INK_TOLERANCE_PCT or not _near(fa.bbox, fb.bbox, BOX_TOLERANCE_PT):
                    out.append(Disagreement(page, f"{k}: {fa.format()} vs {fb.format()}"))
            elif fa.code.startswith(("IMAGE-", "COLOR-ON-MONO")):
                if fa.message != fb.message and fa.code != "COLOR-ON-MONO-PAGE" \
                        or not _near(fa.bbox, fb.bbox, BOX_TOLERANCE_PT):
                    out.append(Disagreement(page, f"{k}: {fa.format()} vs {fb.format()}"))
            elif fa.code.startswith(("TEXT-", "RULE-", "OVERPRINT-")):
                # the same size, colour and background; the places overlap (the PDF's is an estimate)
                if _NUMBER.findall(fa.message) != _NUMBER.findall(fb.message) or not _overlap(fa.bbox, fb.bbox):
                    out.append(Disagreement(page, f"{k}: {fa.format()} vs {fb.format()}"))
            elif fa.message != fb.message or not _near(fa.bbox, fb.bbox, 0.01):
                out.append(Disagreement(page, f"{k}: {fa.format()} vs {fb.format()}"))
    return out


def compare_pages(pages, profile, catalog, images, folder: Path, *, renders: AdRenders | None = None):
    """For each (page id, frame, mono, title) whose PDF is folder/<id>.pdf: the disagreements and
    both lists of findings by page id."""
    renders = renders or AdRenders()
    levels: dict = {}
    problems: list[Disagreement] = []
    both: dict[str, tuple[list[Finding], list[Finding]]] = {}
    # The Ghostscript side in batches (preflight_many: a few gs processes for all the colour pages,
    # a few for the mono ones), which tests/preflight/test_preflight_batch.py holds to preflight_pdf
    # file by file: the same findings, in about half the CPU time of one gs process per page.
    oracles: dict[Path, list[Finding]] = {}
    for mono in (False, True):
        paths = [folder / f"{pid}.pdf" for pid, _, m, _ in pages if bool(m) is mono]
        if paths:
            oracles.update(preflight_many(paths, profile, mono=mono))
    for pid, frame, mono, title in pages:
        described = preflight_frame(frame, profile=profile, catalog=catalog, images=images, title=title, mono=mono,
                                    ad_renders=renders, levels=levels)
        oracle = oracles[folder / f"{pid}.pdf"]
        both[pid] = (described, oracle)
        problems += compare(pid, described, oracle)
    return problems, both
