"""The real sample edition, built under both print profiles, checked by our preflight and confirmed
with independent tools: qpdf --check, pdfinfo -box, pdffonts, pdfimages -list and a Ghostscript
separation render summed here (numpy on the tiffsep plates, none of the preflight code)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layout.build import build
from layout.frames import Box, GlyphRun, ImageItem, PdfItem, Rule
from layout.printprofile import load_profile
from layout.units import MM

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "editions" / "sample.yaml"
TOOLS = ("qpdf", "pdfinfo", "pdffonts", "pdfimages", "gs")
PROFILES = ["newsprint", "commercial"]
DPI = 50  # enough for 9 pt body text (about 6 px) and keeps the render quick
INK_PAGES = ("A01", "A05", "A06")  # colour pages: a photo, a tint box, a placed PDF ad
pytestmark = [
    pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS), reason="print tools missing"),
    pytest.mark.skipif(not SAMPLE.exists(), reason="editions/sample.yaml is not there"),
]


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def sample_builds(tmp_path_factory):
    """name -> BuildResult. Both builds use the suite's cache (tests/conftest.py; the output is the
    same from any cache state): the second loads the first's photos and layouts, and either may find
    what other tests of the run left there (a fresh folder here made both builds cold)."""
    out = {}
    for name in PROFILES:
        out[name] = build(SAMPLE, tmp_path_factory.mktemp(f"sample-{name}"), preflight=True, print_profile=name)
    return out


def _pages(result) -> list[Path]:
    return [result.outdir / f"{p.page.id}.pdf" for p in result.layout.pages]


def _boxes(path: Path) -> dict[str, tuple[float, ...]]:
    out = run("pdfinfo", "-box", str(path)).stdout
    return {m.group(1): tuple(float(v) for v in m.group(2).split())
            for m in re.finditer(r"^(\w+Box):\s+([-\d. ]+)$", out, re.M)}


@pytest.mark.parametrize("name", PROFILES)
def test_every_page_passes_our_preflight(sample_builds, name):
    result = sample_builds[name]
    assert result.report["print_profile"] == name
    findings = result.report["preflight"]
    checked = {f["page"] for f in findings}
    assert checked <= {p.page.id for p in result.layout.pages}
    assert [f for f in findings if f["severity"] == "error"] == []
    assert len(_pages(result)) == 12


@pytest.mark.parametrize("name", PROFILES)
def test_qpdf_check_is_clean(sample_builds, name):
    paths = _pages(sample_builds[name])
    # qpdf decodes every stream: run the page files side by side.
    procs = [(p, subprocess.Popen(["qpdf", "--check", str(p)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)) for p in paths]
    for path, proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{path.name}: {stdout}{stderr}"
        assert "No syntax or stream encoding errors" in stdout, path.name
        assert "WARNING" not in stdout + stderr, path.name


@pytest.mark.parametrize("name", PROFILES)
def test_pdfinfo_trim_and_bleed_boxes(sample_builds, name):
    result = sample_builds[name]
    bleed_pt = load_profile(name).bleed_mm * MM
    assert bleed_pt == pytest.approx({"newsprint": 0, "commercial": 3 * MM}[name])
    tol = 0.1 * MM
    for page, path in zip(result.layout.pages, _pages(result), strict=True):
        boxes = _boxes(path)
        trim, bleed, media = boxes["TrimBox"], boxes["BleedBox"], boxes["MediaBox"]
        assert trim[2] - trim[0] == pytest.approx(page.frame.width, abs=tol), path.name
        assert trim[3] - trim[1] == pytest.approx(page.frame.height, abs=tol), path.name
        want = (trim[0] - bleed_pt, trim[1] - bleed_pt, trim[2] + bleed_pt, trim[3] + bleed_pt)
        for got, w in zip(bleed, want, strict=True):
            assert got == pytest.approx(w, abs=tol), (path.name, bleed, want)
        assert media[0] <= bleed[0] and media[1] <= bleed[1] and media[2] >= bleed[2] and media[3] >= bleed[3]


@pytest.mark.parametrize("name", PROFILES)
def test_pdffonts_all_embedded(sample_builds, name):
    for path in _pages(sample_builds[name]):
        lines = run("pdffonts", str(path)).stdout.splitlines()[2:]
        assert lines, f"{path.name}: no fonts"
        for line in lines:
            assert line.split()[-5] == "yes", f"{path.name}: {line}"  # the emb column


@pytest.mark.parametrize("name", PROFILES)
def test_pdfimages_no_rgb_or_icc(sample_builds, name):
    result = sample_builds[name]
    seen = set()
    for page, path in zip(result.layout.pages, _pages(result), strict=True):
        lines = run("pdfimages", "-list", str(path)).stdout.splitlines()[2:]
        colours = {line.split()[5] for line in lines}
        seen |= colours
        assert colours <= {"cmyk", "gray"}, (path.name, colours)
        if not page.page.colour:
            assert colours <= {"gray"}, f"{path.name} is a mono page: {colours}"
    assert "cmyk" in seen  # the sample really has colour photos


# --- Ghostscript separations, summed here ---------------------------------------------------------


def _tiffsep(paths: list[Path], tmp: Path) -> list[dict[str, np.ndarray]]:
    """Per file (one page each): plate name -> ink 0..255 (gs writes 255 = no ink)."""
    out = []
    for i, path in enumerate(paths):
        r = run("gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{DPI}",
                f"-sOutputFile={tmp}/f{i}.tif", str(path))
        assert r.returncode == 0, r.stderr
        plates = {}
        for plate in ("Cyan", "Magenta", "Yellow", "Black"):
            with Image.open(tmp / f"f{i}({plate}).tif") as im:
                plates[plate] = 255 - np.asarray(im.convert("L"), dtype=np.int32)
        out.append(plates)
    return out


def _px(trim, media, x_pt: float, y_pt: float) -> tuple[int, int]:
    """A point given from the trim's top-left corner (frame coordinates, y down) as pixel column
    and row of the render (which starts at the MediaBox's top-left corner)."""
    s = DPI / 72.0
    return int(round((trim[0] - media[0] + x_pt) * s)), int(round((media[3] - trim[3] + y_pt) * s))


def _run_bbox(run_: GlyphRun) -> tuple[float, float, float, float]:
    xs = [g.left for g in run_.glyphs] + [g.x + g.advance for g in run_.glyphs]
    base = run_.glyphs[0].y
    return (min(xs), base - 0.9 * run_.size, max(xs), base + 0.15 * run_.size)


def _item_bbox(item) -> tuple[float, float, float, float] | None:
    if isinstance(item, (Box, ImageItem, PdfItem)):
        return (item.x, item.y, item.x + item.w, item.y + item.h)
    if isinstance(item, Rule):
        return (min(item.x0, item.x1), min(item.y0, item.y1), max(item.x0, item.x1), max(item.y0, item.y1))
    if isinstance(item, GlyphRun) and item.glyphs:
        return _run_bbox(item)
    return None


def _near(a, b, room: float) -> bool:
    return a[0] - room < b[2] and b[0] - room < a[2] and a[1] - room < b[3] and b[1] - room < a[3]


def _body_areas(frame, limit: int = 40) -> list[tuple[float, float, float, float]]:
    """Bboxes of body lines with nothing else drawn near them (so any C, M or Y found there
    belongs to the text)."""
    others = [(it, _item_bbox(it)) for it in frame.items]
    areas = []
    for run_ in frame.runs():
        if run_.source.kind != "body" or not run_.glyphs or run_.vertical:
            continue
        bb = _run_bbox(run_)
        if any(it is not run_ and b is not None and not isinstance(it, GlyphRun) and _near(bb, b, 4.0)
               for it, b in others):
            continue
        areas.append(bb)
    step = max(1, len(areas) // limit)
    return areas[::step]


@pytest.fixture(scope="session")
def separations(sample_builds, tmp_path_factory):
    """name -> [(page, plates, trim, media)] for INK_PAGES."""
    out = {}
    for name, result in sample_builds.items():
        tmp = tmp_path_factory.mktemp(f"sep-{name}")
        pages = [p for p in result.layout.pages if p.page.id in INK_PAGES]
        paths = [result.outdir / f"{p.page.id}.pdf" for p in pages]
        plates = _tiffsep(paths, tmp)
        out[name] = []
        for page, path, pl in zip(pages, paths, plates, strict=True):
            boxes = _boxes(path)
            out[name].append((page, pl, boxes["TrimBox"], boxes["MediaBox"]))
    return out


@pytest.mark.parametrize("name", PROFILES)
def test_ghostscript_total_ink_within_limit_inside_trim(separations, name):
    limit = load_profile(name).ink_limit
    assert limit == 220
    for page, plates, trim, media in separations[name]:
        total = sum(plates.values()) * 100.0 / 255.0
        x0, y0 = _px(trim, media, 0, 0)
        x1, y1 = _px(trim, media, trim[2] - trim[0], trim[3] - trim[1])
        inside = total[y0:y1, x0:x1]
        assert inside.shape[0] > 0.95 * (y1 - y0) and inside.shape[1] > 0.95 * (x1 - x0)
        assert inside.max() <= limit + 0.5, f"{page.page.id}: {inside.max():.1f} %"
        assert inside.max() > 150, page.page.id  # photos really are there, with real shadows


@pytest.mark.parametrize("name", PROFILES)
def test_ghostscript_body_text_only_on_the_k_plate(separations, name):
    for page, plates, trim, media in separations[name]:
        areas = _body_areas(page.frame)
        assert len(areas) >= 10, page.page.id
        black_seen = 0
        for bb in areas:
            x0, y0 = _px(trim, media, bb[0], bb[1])
            x1, y1 = _px(trim, media, bb[2], bb[3])
            for plate in ("Cyan", "Magenta", "Yellow"):
                assert plates[plate][y0:y1, x0:x1].max(initial=0) == 0, (page.page.id, plate, bb)
            black_seen += int(plates["Black"][y0:y1, x0:x1].max(initial=0) > 128)
        # The areas really hold the text: solid K in (nearly) every one of them.
        assert black_seen >= 0.9 * len(areas), (page.page.id, black_seen, len(areas))


def test_commercial_marks_are_outside_the_bleed(separations):
    """The registration-colour marks print in the slug only (so the trim stays within 220 %)."""
    for page, plates, trim, media in separations["commercial"]:
        total = sum(plates.values()) * 100.0 / 255.0
        x0, y0 = _px(trim, media, -3 * MM, -3 * MM)
        x1, y1 = _px(trim, media, trim[2] - trim[0] + 3 * MM, trim[3] - trim[1] + 3 * MM)
        total[y0:y1, x0:x1] = 0  # the bleed and everything inside it
        assert total.max() == pytest.approx(400, abs=0.5), page.page.id


def test_ghostscript_pdfx_redistils_every_newsprint_page(sample_builds, tmp_path):
    """gs -dPDFX takes every page of the sample as PDF/X: no warning (it used to revert to plain
    PDF: "TrimBox does not fit inside BleedBox", the boxes equal to the MediaBox at 1105.512 pt)."""
    import pikepdf
    from test_print_pdfx import gs_pdfx

    for path in _pages(sample_builds["newsprint"]):
        said, out = gs_pdfx(path, tmp_path)
        assert said.strip() == "", f"{path.name}: {said}"
        with pikepdf.open(out) as pdf:
            assert str(pdf.trailer.Info.GTS_PDFXVersion).startswith("PDF/X"), path.name


def test_small_two_ink_ad_slogans_print_in_k_with_a_warning(sample_builds):
    """The sample's box-ad slogans (12 pt, M+Y on A01 and C+Y on A12) are set in 100 % K, each
    with a warning naming the ad; the colour stays where the text is large enough (the titles)."""
    result = sample_builds["newsprint"]
    warned = {(d.page, d.message.split(":")[0]) for d in result.diagnostics if d.code == "TEXT-COLOUR-TO-BLACK"}
    assert {("A01", "ad 'subscribe-2027'"), ("A12", "ad 'clinic'")} <= warned
    for d in result.diagnostics:
        if d.code == "TEXT-COLOUR-TO-BLACK":
            assert d.severity.value == "warning" and d.location.line, d.format()
