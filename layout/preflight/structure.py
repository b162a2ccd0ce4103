"""Document structure: PDF/X identification keys, OutputIntent, page boxes, annotations and
JavaScript."""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

from layout.preflight.findings import Finding, error, info, warning
from layout.printprofile import PrintProfile
from layout.units import MM

TOLERANCE = 0.1 * MM  # boxes agree within 0.1 mm


def _str(obj) -> str | None:
    if obj is None:
        return None
    try:
        return str(obj)
    except (TypeError, ValueError):
        return None


def inherited(page_obj, key: str):
    """A page attribute, looked up the page tree (Resources, MediaBox... may sit on a parent)."""
    node, depth = page_obj, 0
    while node is not None and depth < 64:
        if key in node:
            return node[key]
        node, depth = node.get("/Parent"), depth + 1
    return None


def pdfx_version(pdf: pikepdf.Pdf) -> str | None:
    """The GTS_PDFXVersion from Info (or the X-4 XMP key)."""
    v = _str(pdf.trailer.get("/Info", {}).get("/GTS_PDFXVersion")) if "/Info" in pdf.trailer else None
    if v:
        return v
    try:
        meta = pdf.open_metadata()
        return meta.get("pdfxid:GTS_PDFXVersion") or None
    except Exception:  # noqa: BLE001 - unreadable XMP is the same as none here
        return None


@dataclass(frozen=True)
class DocumentFacts:
    """What the document checks read from a file (or know from the writer's settings): the PDF/X
    version, Info /Trapped and /Title, each /GTS_PDFX OutputIntent as (condition identifier, has
    a DestOutputProfile), encryption and JavaScript."""

    version: str | None
    trapped: str | None
    title: str | None
    intents: tuple[tuple[str | None, bool], ...]
    encrypted: bool = False
    javascript: bool = False
    javascript_on_open: bool = False


def document_facts(pdf: pikepdf.Pdf) -> DocumentFacts:
    info_dict = pdf.trailer.get("/Info")
    intents = tuple((_str(oi.get("/OutputConditionIdentifier")), "/DestOutputProfile" in oi)
                    for oi in pdf.Root.get("/OutputIntents", []) if _str(oi.get("/S")) == "/GTS_PDFX")
    names = pdf.Root.get("/Names")
    oa = pdf.Root.get("/OpenAction")
    return DocumentFacts(
        version=pdfx_version(pdf),
        trapped=_str(info_dict.get("/Trapped")) if info_dict is not None else None,
        title=_str(info_dict.get("/Title")) if info_dict is not None else None,
        intents=intents,
        encrypted="/Encrypt" in pdf.trailer,
        javascript=(names is not None and "/JavaScript" in names) or "/JavaScript" in pdf.Root.get("/AA", {}),
        javascript_on_open=isinstance(oa, pikepdf.Dictionary) and _str(oa.get("/S")) == "/JavaScript")


def check_document(pdf: pikepdf.Pdf, profile: PrintProfile) -> list[Finding]:
    return document_findings(document_facts(pdf), profile)


def document_findings(facts: DocumentFacts, profile: PrintProfile) -> list[Finding]:
    out: list[Finding] = []
    version = facts.version
    if not version:
        out.append(error("PDFX-VERSION-MISSING",
                         f"not a PDF/X file (no GTS_PDFXVersion); the print profile asks for {profile.pdfx}"))
    elif version.startswith("PDF/X-4") and not profile.is_x4:
        out.append(error("PDFX-VERSION-MISMATCH",
                         f"file is {version} (may use transparency and ICC colour); the profile asks for {profile.pdfx}"))
    elif not version.startswith(("PDF/X-1", "PDF/X-3", "PDF/X-4")):
        out.append(error("PDFX-VERSION-MISMATCH", f"unknown PDF/X version {version!r}"))
    trapped = facts.trapped
    if trapped not in ("/True", "/False"):
        out.append(error("PDFX-TRAPPED", f"Info /Trapped must be /True or /False, found {trapped or 'nothing'}"))
    if not facts.title:
        out.append(warning("PDFX-TITLE-MISSING", "Info /Title is missing or empty"))
    intents = facts.intents
    if not intents:
        out.append(error("PDFX-OUTPUTINTENT-MISSING", "no /GTS_PDFX OutputIntent"))
    else:
        if len(intents) > 1:
            out.append(error("PDFX-OUTPUTINTENT-MULTIPLE", f"{len(intents)} /GTS_PDFX OutputIntents; PDF/X allows one"))
        ident, has_profile = intents[0]
        if not ident:
            out.append(error("PDFX-OUTPUTINTENT-MISSING", "the OutputIntent has no OutputConditionIdentifier"))
        elif ident != profile.output_condition_identifier:
            out.append(warning("PDFX-OUTPUT-CONDITION",
                               f"made for output condition {ident!r}, the print profile is "
                               f"{profile.output_condition_identifier!r}: check ink limit and dot gain"))
        if not has_profile and (profile.is_x4 or (version or "").startswith("PDF/X-4")):
            out.append(error("PDFX-OUTPUTINTENT-PROFILE", "PDF/X-4 requires an embedded DestOutputProfile"))
    if facts.encrypted:
        out.append(error("PDF-ENCRYPTED", "the file is encrypted"))
    if facts.javascript:
        out.append(error("PDF-JAVASCRIPT", "the file contains JavaScript"))
    if facts.javascript_on_open:
        out.append(error("PDF-JAVASCRIPT", "the file runs JavaScript when opened"))
    return out


def box(page: pikepdf.Page, name: str) -> tuple[float, float, float, float] | None:
    raw = page.obj.get(name)
    if raw is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in raw)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _contains(outer, inner, tol: float = TOLERANCE) -> bool:
    return (outer[0] <= inner[0] + tol and outer[1] <= inner[1] + tol
            and outer[2] >= inner[2] - tol and outer[3] >= inner[3] - tol)


def _intersects(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_page_boxes(page: pikepdf.Page, number: int, profile: PrintProfile,
                     expected_trim: tuple[float, float] | None = None) -> list[Finding]:
    media = box(page, "/MediaBox")
    if media is None:  # inherited from the page tree
        media = tuple(float(v) for v in page.mediabox)
    annots = []
    for annot in page.obj.get("/Annots", []):
        subtype = _str(annot.get("/Subtype"))
        rect = annot.get("/Rect")
        if subtype in ("/PrinterMark", "/TrapNet") or rect is None:
            continue
        r = tuple(float(v) for v in rect)
        annots.append((subtype, (min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3]))))
    return box_findings(number, profile, media, box(page, "/TrimBox"), box(page, "/BleedBox"),
                        box(page, "/ArtBox"), annots, expected_trim)


def box_findings(number: int, profile: PrintProfile, media, trim, bleed, art=None, annots=(),
                 expected_trim: tuple[float, float] | None = None) -> list[Finding]:
    """The page box checks on the boxes themselves (x0, y0, x1, y1 each, None when the page has
    no such box); `annots`: (subtype, rect) of the annotations that are not printer's marks."""
    out: list[Finding] = []
    if trim is None:
        out.append(error("BOX-TRIM-MISSING", "no TrimBox" + (" (only an ArtBox)" if art else ""), number))
        return out
    w_mm, h_mm = (trim[2] - trim[0]) / MM, (trim[3] - trim[1]) / MM
    if expected_trim is not None:
        ew, eh = expected_trim
        if abs((trim[2] - trim[0]) - ew) > TOLERANCE or abs((trim[3] - trim[1]) - eh) > TOLERANCE:
            out.append(error("BOX-TRIM-SIZE",
                             f"trim is {w_mm:.1f} × {h_mm:.1f} mm, expected {ew / MM:.1f} × {eh / MM:.1f} mm",
                             number, trim))
    need = profile.bleed_mm * MM
    if bleed is None:
        bleed = media  # PDF's default: BleedBox = CropBox = MediaBox
        if need > 0:
            out.append(warning("BOX-BLEED-MISSING", "no BleedBox; the MediaBox is taken as the bleed", number))
    if not _contains(bleed, trim):
        out.append(error("BOX-BLEED-INSIDE-TRIM", "the BleedBox does not contain the TrimBox", number, bleed))
    else:
        margins = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        if min(margins) < need - TOLERANCE:
            out.append(error("BOX-BLEED-SMALL",
                             f"bleed is {min(margins) / MM:.1f} mm, the print profile needs {profile.bleed_mm:g} mm",
                             number, bleed))
        elif need == 0 and max(margins) > TOLERANCE:
            out.append(info("BOX-BLEED-UNUSED",
                            f"the file has {max(margins) / MM:.1f} mm bleed; the profile prints without bleed",
                            number, bleed))
    if not _contains(media, bleed):
        out.append(error("BOX-MEDIA-SMALL", "the MediaBox does not contain the BleedBox", number, media))
    if profile.marks:
        from layout.render.marks import mark_extent_mm

        room = min(bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2], media[3] - bleed[3])
        if room < mark_extent_mm(profile) * MM - TOLERANCE:
            out.append(warning("BOX-NO-ROOM-FOR-MARKS",
                               f"{room / MM:.1f} mm outside the bleed; crop marks need "
                               f"{mark_extent_mm(profile):.0f} mm", number))
    for subtype, r in annots:
        if _intersects(r, trim):
            out.append(error("PDF-ANNOTATION", f"{subtype or 'an'} annotation inside the printed area", number, r))
    return out
