"""Our own PDF/X output, confirmed with independent tools: qpdf --check, pdfinfo -box, pdffonts,
pdfimages -list and a Ghostscript separation render summed here (not with the preflight code)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_page import TRIM_H, TRIM_W, build_page  # noqa: E402

from layout.preflight import preflight_pdf  # noqa: E402
from layout.printprofile import load_profile  # noqa: E402
from layout.render.pdfx import page_geometry  # noqa: E402
from layout.units import MM  # noqa: E402

TOOLS = ("qpdf", "pdfinfo", "pdffonts", "pdfimages", "gs")
pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS), reason="print tools missing")
ICC_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pdfx")
    return {name: build_page(d / f"{name}.pdf", load_profile(name), d) for name in ("newsprint", "commercial")}


PROFILES = ["newsprint", "commercial"]


@pytest.mark.parametrize("name", PROFILES)
def test_qpdf_check_passes(built, name):
    r = run("qpdf", "--check", str(built[name]))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No syntax or stream encoding errors" in r.stdout


def _boxes(path: Path) -> dict[str, tuple[float, ...]]:
    out = run("pdfinfo", "-box", str(path)).stdout
    return {m.group(1): tuple(float(v) for v in m.group(2).split())
            for m in re.finditer(r"^(\w+Box):\s+([-\d. ]+)$", out, re.M)}


@pytest.mark.parametrize("name", PROFILES)
def test_pdfinfo_boxes_match_profile(built, name):
    profile = load_profile(name)
    boxes = _boxes(built[name])
    tol = 0.1 * MM
    trim, bleed, media = boxes["TrimBox"], boxes["BleedBox"], boxes["MediaBox"]
    assert trim[2] - trim[0] == pytest.approx(TRIM_W, abs=tol)
    assert trim[3] - trim[1] == pytest.approx(TRIM_H, abs=tol)
    b = profile.bleed_mm * MM
    for got, want in zip(bleed, (trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b), strict=True):
        assert got == pytest.approx(want, abs=tol)
    assert media[0] <= bleed[0] and media[1] <= bleed[1] and media[2] >= bleed[2] and media[3] >= bleed[3]
    if profile.marks:  # room for marks outside the bleed
        assert bleed[0] - media[0] >= (profile.mark_offset_mm + profile.mark_length_mm) * MM


def test_commercial_has_bleed_and_newsprint_none(built):
    n, c = _boxes(built["newsprint"]), _boxes(built["commercial"])
    assert n["BleedBox"] == n["TrimBox"]
    # The MediaBox is the bleed rounded up to 1/100 pt (see test_ghostscript_pdfx_keeps_the_page_pdfx).
    for got, bleed in zip(n["MediaBox"], n["BleedBox"], strict=True):
        assert bleed <= got <= bleed + 0.02
    assert c["TrimBox"][0] - c["BleedBox"][0] == pytest.approx(3 * MM, abs=0.1 * MM)


@pytest.mark.parametrize("name", PROFILES)
def test_fonts_all_embedded(built, name):
    lines = run("pdffonts", str(built[name])).stdout.splitlines()[2:]
    assert lines, "expected at least one font"
    for line in lines:
        assert line.split()[-5] == "yes", line  # the emb column


@pytest.mark.parametrize("name", PROFILES)
def test_pdfimages_no_rgb_or_icc(built, name):
    lines = run("pdfimages", "-list", str(built[name])).stdout.splitlines()[2:]
    assert len(lines) == 2
    colours = {line.split()[5] for line in lines}
    assert colours <= {"cmyk", "gray"}, colours
    assert "cmyk" in colours  # the colour photo
    assert "gray" in colours  # the grey source stays grey (K plate only)


def _gs_total_ink(path: Path, tmp: Path, dpi: int = 72) -> list[np.ndarray]:
    """Per page: C+M+Y+K in percent per pixel, from gs tiffsep plates (255 = no ink)."""
    run("gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{dpi}",
        f"-sOutputFile={tmp}/t%02d.tif", str(path))
    pages = []
    for n in range(1, 100):
        plates = [tmp / f"t{n:02d}({s}).tif" for s in ("Cyan", "Magenta", "Yellow", "Black")]
        if not plates[0].exists():
            break
        arrays = [255 - np.asarray(Image.open(p).convert("L"), dtype=np.int32) for p in plates]
        pages.append(sum(arrays) * 100.0 / 255.0)
    return pages


@pytest.mark.parametrize("name", PROFILES)
def test_ghostscript_total_ink_within_limit(built, name, tmp_path):
    profile = load_profile(name)
    geo = page_geometry(profile, TRIM_W, TRIM_H)
    (total,) = _gs_total_ink(built[name], tmp_path)
    s = 72 / 72
    x0, y0, x1, y1 = geo.bleed_box
    inside = total[int(round((geo.media_h - y1) * s)):int(round((geo.media_h - y0) * s)),
                   int(round(x0 * s)):int(round(x1 * s))]
    assert inside.max() <= profile.ink_limit + 0.5
    assert inside.max() > 100  # the page really has ink (the photo's shadows)
    if profile.marks:
        # The marks outside the bleed are in registration colour: all four inks at 100 %.
        assert total.max() == pytest.approx(400, abs=0.5)
        outside = total.copy()
        outside[int(round((geo.media_h - y1) * s)):int(round((geo.media_h - y0) * s)),
                int(round(x0 * s)):int(round(x1 * s))] = 0
        assert outside.max() == pytest.approx(400, abs=0.5)


@pytest.mark.parametrize("name", PROFILES)
def test_pdfx_keys_and_output_intent(built, name):
    with pikepdf.open(built[name]) as pdf:
        info = pdf.trailer.Info
        assert str(info.GTS_PDFXVersion) == "PDF/X-1a:2003"
        assert str(info.Trapped) == "/False"
        assert str(info.Title) == name
        assert str(info.CreationDate) == str(info.ModDate) == "D:20260304000000+00'00'"
        (oi,) = pdf.Root.OutputIntents
        assert str(oi.S) == "/GTS_PDFX"
        assert str(oi.OutputConditionIdentifier) == "IFRA26"
        assert "/DestOutputProfile" not in oi  # a registered condition: no profile needed in X-1a
        assert pdf.pdf_version == "1.4"
        ids = pdf.trailer.ID
        assert bytes(ids[0]) == bytes(ids[1]) and len(bytes(ids[0])) == 16


@pytest.mark.parametrize("name", PROFILES)
def test_own_preflight_is_clean(built, name):
    findings = preflight_pdf(built[name], load_profile(name))
    assert [f for f in findings if f.severity.value != "info"] == []


def test_two_builds_are_byte_identical(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    a = build_page(tmp_path / "one" / "A01.pdf", load_profile("commercial"), tmp_path)
    b = build_page(tmp_path / "two" / "A01.pdf", load_profile("commercial"), tmp_path)
    assert a.read_bytes() == b.read_bytes()


def test_bytes_do_not_depend_on_source_date_epoch(tmp_path, monkeypatch):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    a = build_page(tmp_path / "one" / "A01.pdf", load_profile("newsprint"), tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    b = build_page(tmp_path / "two" / "A01.pdf", load_profile("newsprint"), tmp_path)
    assert a.read_bytes() == b.read_bytes()


def test_trailer_id_differs_between_pages_with_different_content(tmp_path):
    profile = load_profile("newsprint")
    (tmp_path / "x").mkdir()
    a = build_page(tmp_path / "p.pdf", profile, tmp_path, pages=1)
    b = build_page(tmp_path / "x" / "p.pdf", profile, tmp_path, pages=2)
    with pikepdf.open(a) as pa, pikepdf.open(b) as pb:
        assert bytes(pa.trailer.ID[0]) != bytes(pb.trailer.ID[0])


def test_mono_page_is_k_only(tmp_path):
    profile = load_profile("newsprint")
    path = build_page(tmp_path / "mono.pdf", profile, tmp_path, mono=True)
    lines = run("pdfimages", "-list", str(path)).stdout.splitlines()[2:]
    assert {line.split()[5] for line in lines} == {"gray"}
    run("gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", "-r36",
        f"-sOutputFile={tmp_path}/m.tif", str(path))
    for plate in ("Cyan", "Magenta", "Yellow"):
        assert (255 - np.asarray(Image.open(tmp_path / f"m({plate}).tif").convert("L"))).max() == 0
    assert (255 - np.asarray(Image.open(tmp_path / "m(Black).tif").convert("L"))).max() > 200
    assert [f for f in preflight_pdf(path, profile, mono=True) if f.severity.value != "info"] == []


def test_colour_on_a_mono_page_is_found(built):
    findings = preflight_pdf(built["newsprint"], load_profile("newsprint"), mono={1})
    (f,) = [f for f in findings if f.code == "COLOR-ON-MONO-PAGE"]
    assert f.is_error and "Cyan" in f.message and "Magenta" in f.message
    assert not [f for f in preflight_pdf(built["newsprint"], load_profile("newsprint"), mono={2}) if f.is_error]


@pytest.mark.skipif(not ICC_CMYK.is_file(), reason="no CMYK ICC profile on this machine")
def test_pdfx4_with_icc_profile(tmp_path):
    profile = load_profile("newsprint", {"pdfx": "PDF/X-4", "icc_profile": str(ICC_CMYK)})
    path = build_page(tmp_path / "x4.pdf", profile, tmp_path)
    assert run("qpdf", "--check", str(path)).returncode == 0
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.6"
        assert str(pdf.trailer.Info.GTS_PDFXVersion) == "PDF/X-4"
        (oi,) = pdf.Root.OutputIntents
        icc = oi.DestOutputProfile
        assert int(icc.N) == 4 and icc.read_bytes() == ICC_CMYK.read_bytes()
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
    assert [f for f in preflight_pdf(path, profile) if f.is_error] == []


# Ghostscript's own PDF/X set-up, written for our output condition (its lib/PDFX_def.ps names a
# commercial one): the Info keys and an OutputIntent with the registered IFRA26 condition.
PDFX_DEF = """%!
[ /GTS_PDFXVersion (PDF/X-3:2002) /Title (test) /Trapped /False /DOCINFO pdfmark
[/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark
[{OutputIntent_PDFX} << /Type /OutputIntent /S /GTS_PDFX /OutputCondition (newsprint)
  /Info (none) /OutputConditionIdentifier (IFRA26) /RegistryName (http://www.color.org) >> /PUT pdfmark
[{Catalog} <</OutputIntents [ {OutputIntent_PDFX} ]>> /PUT pdfmark
"""


def gs_pdfx(src: Path, tmp: Path) -> tuple[str, Path]:
    """Re-distil `src` with Ghostscript's PDF/X writer; (everything it printed, the output)."""
    definition = tmp / "pdfx_def.ps"
    definition.write_text(PDFX_DEF)
    out = tmp / f"{src.stem}-gs.pdf"
    r = run("gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dPDFX", "-dPDFACompatibilityPolicy=0",
            "-sDEVICE=pdfwrite", "-sColorConversionStrategy=CMYK", f"--permit-file-read={definition}",
            f"-sOutputFile={out}", str(definition), str(src))
    assert r.returncode == 0, r.stderr
    return r.stdout + r.stderr, out


@pytest.mark.parametrize("name", PROFILES)
def test_ghostscript_pdfx_keeps_the_page_pdfx(built, name, tmp_path):
    """gs -dPDFX says nothing (no "TrimBox does not fit inside BleedBox, ... reverting to normal
    PDF output") and writes a PDF/X file with our trim."""
    said, out = gs_pdfx(built[name], tmp_path)
    assert said.strip() == ""
    with pikepdf.open(out) as pdf:
        assert str(pdf.trailer.Info.GTS_PDFXVersion).startswith("PDF/X")
        assert "/OutputIntents" in pdf.Root
    trim = _boxes(out)["TrimBox"]
    assert trim[2] - trim[0] == pytest.approx(TRIM_W, abs=0.1 * MM)
    assert trim[3] - trim[1] == pytest.approx(TRIM_H, abs=0.1 * MM)
