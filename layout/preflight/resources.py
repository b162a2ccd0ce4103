"""Resources of a page and everything it draws (form XObjects, patterns, annotation appearances):
fonts embedded, colour spaces allowed by the PDF/X level, and transparency."""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf

from layout.preflight.findings import Finding, error, warning
from layout.preflight.structure import inherited
from layout.printprofile import PrintProfile

DEVICE_RGB = ("/DeviceRGB", "/RGB", "/CalRGB")


def _name(obj) -> str | None:
    return str(obj) if isinstance(obj, pikepdf.Name) else None


@dataclass
class _Walk:
    profile: PrintProfile
    page: int
    findings: list[Finding] = field(default_factory=list)
    seen: set = field(default_factory=set)
    reported: set = field(default_factory=set)

    def add(self, f: Finding, once_key=None) -> None:
        key = once_key or (f.code, f.message)
        if key not in self.reported:
            self.reported.add(key)
            self.findings.append(f)

    def visit_once(self, obj) -> bool:
        og = getattr(obj, "objgen", (0, 0))
        if og == (0, 0):
            return True
        if og in self.seen:
            return False
        self.seen.add(og)
        return True


def classify_colorspace(cs, resources=None) -> str:
    """'gray', 'cmyk', 'rgb', 'icc', 'lab', 'spot', 'pattern', 'indexed:<base>' or 'unknown'."""
    if isinstance(cs, pikepdf.Name):
        n = str(cs)
        if n in ("/DeviceGray", "/G", "/CalGray"):
            return "gray" if n != "/CalGray" else "icc"
        if n in ("/DeviceCMYK", "/CMYK"):
            return "cmyk"
        if n in DEVICE_RGB:
            return "rgb" if n != "/CalRGB" else "icc-rgb"
        if n == "/Pattern":
            return "pattern"
        if resources is not None and "/ColorSpace" in resources and n in resources.ColorSpace:
            return classify_colorspace(resources.ColorSpace[n], None)
        return "unknown"
    if isinstance(cs, pikepdf.Array) and len(cs) > 0:
        head = str(cs[0])
        if head == "/ICCBased":
            n = int(cs[1].get("/N", 0))
            return {1: "icc-gray", 3: "icc-rgb", 4: "icc-cmyk"}.get(n, "icc")
        if head in ("/CalRGB",):
            return "icc-rgb"
        if head in ("/CalGray",):
            return "icc-gray"
        if head == "/Lab":
            return "lab"
        if head in ("/Indexed", "/I"):
            return "indexed:" + classify_colorspace(cs[1], resources)
        if head in ("/Separation", "/DeviceN"):
            alt = classify_colorspace(cs[2], resources)
            return "spot" if alt in ("cmyk", "gray") else f"spot:{alt}"
        if head == "/Pattern":
            return "pattern"
        return classify_colorspace(cs[0], resources)
    return "unknown"


def colorspace_problem(kind: str, profile: PrintProfile) -> tuple[str, str] | None:
    """(code, message) when this kind of colour is not allowed, else None."""
    base = kind.split(":", 1)[-1] if kind.startswith(("indexed:", "spot:")) else kind
    if base == "rgb":
        return ("COLOR-RGB", "device RGB colour (print needs CMYK)")
    if profile.allows_icc:
        return None
    if base.startswith("icc"):
        return ("COLOR-ICC", f"ICC-based colour ({base}) is not allowed in {profile.pdfx}")
    if base == "lab":
        return ("COLOR-LAB", f"Lab colour is not allowed in {profile.pdfx}")
    return None


def _check_font(w: _Walk, name: str, font) -> None:
    subtype = _name(font.get("/Subtype"))
    if subtype == "/Type3":
        return  # glyphs are content streams, nothing to embed
    base = str(font.get("/BaseFont", name))
    desc_holder = font
    if subtype == "/Type0":
        desc_holder = font.DescendantFonts[0]
    fd = desc_holder.get("/FontDescriptor")
    embedded = fd is not None and any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    if not embedded:
        w.add(error("FONT-NOT-EMBEDDED", f"font {base.lstrip('/')} is not embedded", w.page), ("font", base))


def _check_extgstate(w: _Walk, name: str, gs) -> None:
    if w.profile.is_x4:
        return
    for key in ("/CA", "/ca"):
        if key in gs and float(gs[key]) < 1.0:
            w.add(error("TRANSPARENCY-ALPHA", f"graphics state {name} sets {key[1:]} = {float(gs[key]):g}", w.page))
    bm = gs.get("/BM")
    bms = [str(b) for b in bm] if isinstance(bm, pikepdf.Array) else ([str(bm)] if bm is not None else [])
    if bms and not any(b in ("/Normal", "/Compatible") for b in bms[:1]):
        w.add(error("TRANSPARENCY-BLEND", f"graphics state {name} uses blend mode {bms[0]}", w.page))
    smask = gs.get("/SMask")
    if smask is not None and _name(smask) != "/None":
        w.add(error("TRANSPARENCY-SMASK", f"graphics state {name} uses a soft mask", w.page))


def _check_image(w: _Walk, name: str, img, resources) -> None:
    if "/SMask" in img and not w.profile.is_x4:
        w.add(error("TRANSPARENCY-SMASK", f"image {name} has a soft mask (alpha channel)", w.page))
    if bool(img.get("/ImageMask", False)):
        return
    cs = img.get("/ColorSpace")
    if cs is None:
        if _name(img.get("/Filter")) == "/JPXDecode":
            w.add(error("IMAGE-JPX", f"JPEG 2000 image {name} (not allowed in {w.profile.pdfx})", w.page))
        return
    kind = classify_colorspace(cs, resources)
    problem = colorspace_problem(kind, w.profile)
    if problem:
        code, msg = problem
        w.add(error(code.replace("COLOR-", "IMAGE-"), f"image {name}: {msg}", w.page), ("img", code, name))


def _walk_resources(w: _Walk, res) -> None:
    if res is None or not w.visit_once(res):
        return
    for name, font in res.get("/Font", {}).items():
        _check_font(w, name, font)
        if _name(font.get("/Subtype")) == "/Type3":
            _walk_resources(w, font.get("/Resources"))
    for name, cs in res.get("/ColorSpace", {}).items():
        problem = colorspace_problem(classify_colorspace(cs, None), w.profile)
        if problem:
            w.add(error(problem[0], f"colour space {name}: {problem[1]}", w.page))
    for name, gs in res.get("/ExtGState", {}).items():
        _check_extgstate(w, name, gs)
    for name, sh in res.get("/Shading", {}).items():
        problem = colorspace_problem(classify_colorspace(sh.get("/ColorSpace"), res), w.profile)
        if problem:
            w.add(error(problem[0], f"shading {name}: {problem[1]}", w.page))
    for name, pat in res.get("/Pattern", {}).items():
        if "/Shading" in pat:
            problem = colorspace_problem(classify_colorspace(pat.Shading.get("/ColorSpace"), res), w.profile)
            if problem:
                w.add(error(problem[0], f"pattern {name}: {problem[1]}", w.page))
        _walk_resources(w, pat.get("/Resources"))
    for name, xo in res.get("/XObject", {}).items():
        if not w.visit_once(xo):
            continue
        sub = _name(xo.get("/Subtype"))
        if sub == "/Image":
            _check_image(w, name, xo, res)
        elif sub == "/Form":
            _check_group(w, xo, f"form {name}")
            _walk_resources(w, xo.get("/Resources"))


def _check_group(w: _Walk, holder, what: str) -> None:
    group = holder.get("/Group")
    if group is not None and _name(group.get("/S")) == "/Transparency" and not w.profile.is_x4:
        w.add(warning("TRANSPARENCY-GROUP", f"{what} declares a transparency group", w.page))


def check_page_resources(page: pikepdf.Page, number: int, profile: PrintProfile) -> list[Finding]:
    w = _Walk(profile, number)
    _check_group(w, page.obj, "the page")
    _walk_resources(w, inherited(page.obj, "/Resources"))
    for annot in page.obj.get("/Annots", []):
        ap = annot.get("/AP")
        if ap is not None and isinstance(ap.get("/N"), pikepdf.Stream):
            _walk_resources(w, ap.N.get("/Resources"))
    return w.findings
