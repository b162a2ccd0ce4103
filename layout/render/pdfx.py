"""PDF/X for reportlab canvases: page geometry (trim, bleed, slug), document keys (Info,
OutputIntent, trailer ID, XMP for X-4) and page boxes, written inside reportlab (no pass over the
bytes afterwards, so it costs nothing at build time).

How the page renderer uses it:

    canvas = Canvas(path, pagesize=(geo.media_w, geo.media_h), **canvas_kwargs(profile), ...)
    apply_document(canvas, profile, title="A01")
    for each page:
        geo = page_geometry(profile, frame.width, frame.height)
        apply_page(canvas, profile, geo)        # at the top-level graphics state
        canvas.translate(geo.trim_x, geo.trim_y)  # the renderer's own drawing, in trim coordinates
        ...
        canvas.showPage()

This relies on reportlab 5.1 internals (PDFDocument.info/_ID, PDFCatalog's key list); the
version is pinned and tests/print check the output with qpdf and poppler.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfdoc

from layout.printprofile import PrintProfile
from layout.render.marks import draw_marks, mark_extent_mm
from layout.units import mm

# Dates written when the caller gives none: fixed, so two builds give identical bytes.
DEFAULT_DATE = _dt.date(2000, 1, 1)
PRODUCER = "layout (reportlab 5.1)"


@dataclass(frozen=True)
class PageGeometry:
    """A page in PDF units: the media box from (0, 0), and the trim's lower-left corner in it."""

    media_w: float
    media_h: float
    trim_x: float
    trim_y: float
    trim_w: float = 0.0
    trim_h: float = 0.0
    bleed: float = 0.0  # pt, on each side of the trim

    @property
    def media_box(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.media_w, self.media_h)

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        return (self.trim_x, self.trim_y, self.trim_x + self.trim_w, self.trim_y + self.trim_h)

    @property
    def bleed_box(self) -> tuple[float, float, float, float]:
        b = self.bleed
        x0, y0, x1, y1 = self.trim_box
        return (x0 - b, y0 - b, x1 + b, y1 + b)


def slug_mm(profile: PrintProfile) -> float:
    """Media outside the bleed on each side: the profile's slug, grown to hold the marks."""
    if profile.marks:
        return max(profile.slug_mm, mark_extent_mm(profile))
    return profile.slug_mm


# The MediaBox is rounded up to whole hundredths of a point, with at least this much room over the
# boxes inside it. Ghostscript's PDF/X writer rounds the MediaBox to 1/100 pt (to nearest), clamps
# the BleedBox to it and reads the TrimBox as a 32-bit float: a MediaBox equal to a trim of
# 1105.512 pt became 1105.51, "TrimBox does not fit inside BleedBox", and the page was written as
# plain PDF. 0.001 pt is more than a float's error at page sizes (1.2e-4 pt below 2048 pt).
MEDIA_ROOM_PT = 0.001


def _media_extent(v: float) -> float:
    """`v` rounded up to 1/100 pt, at least MEDIA_ROOM_PT above it."""
    return math.ceil(round((v + MEDIA_ROOM_PT) * 100, 6)) / 100


def page_geometry(profile: PrintProfile, trim_w_pt: float, trim_h_pt: float) -> PageGeometry:
    """The boxes of a page of this trim size. Trim and bleed are exact (to 1/1000 pt); the media
    box is the bleed and slug rounded up to 1/100 pt, so the media may be a few thousandths of a
    point larger than the bleed on the right and top (see MEDIA_ROOM_PT)."""
    bleed = mm(profile.bleed_mm)
    margin = bleed + mm(slug_mm(profile))
    # Round to 1/1000 pt so the boxes print the same way on every platform.
    r = lambda v: round(v, 3)  # noqa: E731
    return PageGeometry(
        media_w=_media_extent(r(trim_w_pt) + 2 * r(margin)),
        media_h=_media_extent(r(trim_h_pt) + 2 * r(margin)),
        trim_x=r(margin),
        trim_y=r(margin),
        trim_w=r(trim_w_pt),
        trim_h=r(trim_h_pt),
        bleed=r(bleed),
    )


def canvas_kwargs(profile: PrintProfile) -> dict:
    """Extra reportlab Canvas(...) arguments: invariant output, the PDF version the level needs,
    and page compression."""
    version = (1, 6) if profile.is_x4 else (1, 4)  # X-1a:2003 is based on PDF 1.4, X-4 on 1.6
    return {"invariant": 1, "pdfVersion": version, "pageCompression": 1}


def _pdf_date(date: _dt.date | _dt.datetime) -> str:
    if not isinstance(date, _dt.datetime):
        date = _dt.datetime(date.year, date.month, date.day)
    return date.strftime("D:%Y%m%d%H%M%S+00'00'")


def _pdfx_version_keys(profile: PrintProfile) -> dict[str, str]:
    if profile.pdfx == "PDF/X-1a:2001":
        return {"GTS_PDFXVersion": "PDF/X-1:2001", "GTS_PDFXConformance": "PDF/X-1a:2001"}
    return {"GTS_PDFXVersion": profile.pdfx}


class _PdfxInfo(pdfdoc.PDFInfo):
    """reportlab's Info dictionary plus the PDF/X keys, with dates we choose (reportlab's
    invariant date can be changed from the environment by SOURCE_DATE_EPOCH)."""

    def __init__(self, title: str, date: str, extra: dict[str, str]):
        super().__init__()
        self.title = title
        self.author = ""
        self.subject = ""
        self.creator = "layout"
        self.producer = PRODUCER
        self._date = date
        self._extra = extra

    def format(self, document):
        d = {
            "Title": pdfdoc.PDFString(self.title),
            "Creator": pdfdoc.PDFString(self.creator),
            "Producer": pdfdoc.PDFString(self.producer),
            "CreationDate": pdfdoc.PDFString(self._date),
            "ModDate": pdfdoc.PDFString(self._date),
            "Trapped": pdfdoc.PDFName(self.trapped),
        }
        for key, value in self._extra.items():
            d[key] = pdfdoc.PDFString(value)
        return pdfdoc.PDFDictionary(d).format(document)


def _icc_components(data: bytes) -> int:
    space = data[16:20]
    return {b"CMYK": 4, b"GRAY": 1, b"RGB ": 3}.get(space, 4)


def _output_intent(doc, profile: PrintProfile) -> pdfdoc.PDFDictionary:
    d = {
        "Type": pdfdoc.PDFName("OutputIntent"),
        "S": pdfdoc.PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": pdfdoc.PDFString(profile.output_condition_identifier),
        "OutputCondition": pdfdoc.PDFString(profile.output_condition),
        "RegistryName": pdfdoc.PDFString(profile.registry_name),
        "Info": pdfdoc.PDFString(profile.output_condition),
    }
    if profile.icc_profile is not None:
        data = Path(profile.icc_profile).read_bytes()
        stream = pdfdoc.PDFStream(
            pdfdoc.PDFDictionary({"N": _icc_components(data)}), data, filters=[pdfdoc.PDFZCompress]
        )
        d["DestOutputProfile"] = doc.Reference(stream, "DestOutputProfile")
    return pdfdoc.PDFDictionary(d)


def _xmp(profile: PrintProfile, title: str, date: str, doc_id: str) -> str:
    """The XMP packet PDF/X-4 requires (pdfxid:GTS_PDFXVersion, dates, document ids)."""
    iso = f"{date[2:6]}-{date[6:8]}-{date[8:10]}T{date[10:12]}:{date[12:14]}:{date[14:16]}Z"
    esc = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{esc}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{iso}</xmp:CreateDate>
   <xmp:ModifyDate>{iso}</xmp:ModifyDate>
   <xmp:MetadataDate>{iso}</xmp:MetadataDate>
   <xmp:CreatorTool>layout</xmp:CreatorTool>
   <pdf:Producer>{PRODUCER}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{doc_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{doc_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{profile.pdfx}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _uuid_like(hexdigest: str) -> str:
    h = hexdigest[:32]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _deterministic_id(doc, seed: bytes):
    """A trailer /ID from the seed and the page content streams: stable across builds, different
    for different pages. reportlab calls doc.ID() once, after all objects are formatted."""

    def make_id() -> bytes:
        if doc._ID:
            return doc._ID
        h = hashlib.md5(seed, usedforsecurity=False)
        for page in doc.Pages.pages:
            stream = page.stream
            h.update(stream.encode("latin-1", "replace") if isinstance(stream, str) else bytes(stream or b""))
        hexid = h.hexdigest().encode("ascii")
        doc._ID = b"[<" + hexid + b"><" + hexid + b">]"
        return doc._ID

    return make_id


def apply_document(canvas, profile: PrintProfile, title: str, date: _dt.date | None = None) -> None:
    """Info (Title, PDF/X version, Trapped, fixed dates), the OutputIntent, XMP for X-4 and a
    deterministic trailer /ID. Call once, right after creating the canvas."""
    doc = canvas._doc
    when = _pdf_date(date or DEFAULT_DATE)
    doc.info = _PdfxInfo(title, when, _pdfx_version_keys(profile))
    cat = doc.Catalog
    # reportlab writes only the catalog keys it lists; add OutputIntents to this instance's list.
    cat.__NoDefault__ = [*pdfdoc.PDFCatalog.__NoDefault__, "OutputIntents"]
    cat.OutputIntents = pdfdoc.PDFArray([_output_intent(doc, profile)])
    seed_bytes = _seed(profile, title, when)
    xmp = document_xmp(profile, title, date)
    if xmp is not None:
        cat.Metadata = pdfdoc.PDFStream(
            pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}),
            xmp, filters=[])
    doc.ID = _deterministic_id(doc, seed_bytes)


def _seed(profile: PrintProfile, title: str, when: str) -> bytes:
    return "\n".join([title, profile.name, profile.pdfx, profile.output_condition_identifier, when]).encode("utf-8")


def document_xmp(profile: PrintProfile, title: str, date: _dt.date | None = None) -> bytes | None:
    """The XMP packet of a document of this title (PDF/X-4 only; None for X-1a, which has none)."""
    if not profile.is_x4:
        return None
    when = _pdf_date(date or DEFAULT_DATE)
    doc_id = _uuid_like(hashlib.md5(_seed(profile, title, when), usedforsecurity=False).hexdigest())
    return _xmp(profile, title, when, doc_id).encode("utf-8")


def apply_page(canvas, profile: PrintProfile, geometry: PageGeometry) -> None:
    """Media size, TrimBox and BleedBox for the current page, and the marks in the slug when the
    profile asks for them. Leaves the graphics state as it found it. No ArtBox: PDF/X asks for
    a TrimBox or an ArtBox, and the TrimBox is the one the print shop's imposition reads."""
    g = geometry
    canvas.setPageSize((g.media_w, g.media_h))
    canvas.setTrimBox(g.trim_box)
    canvas.setBleedBox(g.bleed_box)
    if profile.marks:
        draw_marks(canvas, profile, g.trim_box, g.bleed)
