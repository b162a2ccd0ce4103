"""make_proofs on a fake build: sizes, overlays only on proofs, proof.html content and links."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops
from proof_fakebuild import BLEED, PAGE_IDS, TRIM_H, TRIM_W, make_fake_build

from layout.proof import make_proofs
from layout.proof.contact import GAP, PER_ROW
from layout.proof.geometry import image_size
from layout.proof.html import anchor
from layout.proof.raster import THUMB_WIDTH


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    make_fake_build(out)
    return out


@pytest.fixture(scope="module")
def proofs(build: Path):
    return make_proofs(build, dpi=100)


def _red_fraction(img: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Share of pixels in box that are saturated red (the overset marks; the fake PDFs have none)."""
    r, g, b = img.convert("RGB").crop(box).split()
    mask = ImageChops.multiply(ImageChops.multiply(r.point(lambda v: 255 if v > 180 else 0),
                                                   g.point(lambda v: 255 if v < 90 else 0)),
                               b.point(lambda v: 255 if v < 90 else 0))
    return mask.histogram()[255] / (mask.width * mask.height)


def _module_px(build_report: dict, page: str, ref: str, dpi: int) -> tuple[int, int, int, int]:
    pg = next(p for p in build_report["pages"] if p["id"] == page)
    m = next(m for m in pg["modules"] if m["ref"] == ref)
    s = dpi / 72
    x0, y0 = (BLEED + m["x"]) * s, (BLEED + m["y"]) * s
    return (round(x0), round(y0), round(x0 + m["w"] * s), round(y0 + m["h"] * s))


def test_page_pngs_have_the_page_size_at_dpi(build: Path, proofs) -> None:
    want = image_size((0, 0, TRIM_W + 2 * BLEED, TRIM_H + 2 * BLEED), 100 / 72)
    assert want == (1560, 2174)
    assert sorted(proofs.images) == PAGE_IDS
    for pid in PAGE_IDS:
        path = build / "proofs" / f"{pid}.png"
        assert path.is_file()
        with Image.open(path) as im:
            assert im.size == want


def test_contact_sheet_is_a_flatplan_of_all_pages(proofs) -> None:
    with Image.open(proofs.contact) as im:
        assert im.width == PER_ROW * (THUMB_WIDTH + GAP) + GAP
        thumb_h = round((TRIM_H + 2 * BLEED) / (TRIM_W + 2 * BLEED) * THUMB_WIDTH)
        assert im.height > 2 * thumb_h  # 12 pages in two rows of six
        assert im.height < 3 * thumb_h


def test_lower_dpi_gives_smaller_images(tmp_path: Path) -> None:
    make_fake_build(tmp_path)
    make_proofs(tmp_path, dpi=50, pages=["A02"], workers=1)
    with Image.open(tmp_path / "proofs" / "A02.png") as im:
        assert im.size == image_size((0, 0, TRIM_W + 2 * BLEED, TRIM_H + 2 * BLEED), 50 / 72)


def test_overset_marks_are_on_the_proof_not_in_the_pdf(tmp_path: Path) -> None:
    report = make_fake_build(tmp_path)
    before = {p: hashlib.sha256((tmp_path / f"{p}.pdf").read_bytes()).hexdigest() for p in PAGE_IDS}
    make_proofs(tmp_path, pages=["A01", "A02", "A05"], workers=1)
    after = {p: hashlib.sha256((tmp_path / f"{p}.pdf").read_bytes()).hexdigest() for p in PAGE_IDS}
    assert before == after
    # harbour-plan jumps from A01 to A05: its overset is what is left after the jump, marked there
    box = _module_px(report, "A05", "harbour-plan", 100)
    with Image.open(tmp_path / "proofs" / "A05.png") as proof:
        assert _red_fraction(proof, box) > 0.005
    with Image.open(tmp_path / "proofs" / "A01.png") as proof:
        assert _red_fraction(proof, _module_px(report, "A01", "harbour-plan", 100)) < 0.0005
    # The same page rendered straight from the PDF has no red at all.
    doc = pdfium.PdfDocument(str(tmp_path / "A05.pdf"))
    plain = doc[0].render(scale=100 / 72).to_pil()
    doc.close()
    assert _red_fraction(plain, box) == 0
    # A story that fits gets an outline but no red.
    with Image.open(tmp_path / "proofs" / "A02.png") as proof:
        assert _red_fraction(proof, _module_px(report, "A02", "story-A02", 100)) < 0.0005


def test_no_overlays_means_the_plain_page(tmp_path: Path) -> None:
    make_fake_build(tmp_path)
    make_proofs(tmp_path, overlays=False, pages=["A01"], workers=1)
    doc = pdfium.PdfDocument(str(tmp_path / "A01.pdf"))
    plain = doc[0].render(scale=100 / 72, rev_byteorder=True).to_pil().convert("RGB")
    doc.close()
    with Image.open(tmp_path / "proofs" / "A01.png") as proof:
        assert proof.convert("RGB").tobytes() == plain.tobytes()


def test_grid_overlay_adds_lines_only_when_asked(tmp_path: Path) -> None:
    make_fake_build(tmp_path)
    make_proofs(tmp_path, pages=["A02"], workers=1)
    without = Image.open(tmp_path / "proofs" / "A02.png").convert("RGB")
    make_proofs(tmp_path, pages=["A02"], grid=True, workers=1)
    with_grid = Image.open(tmp_path / "proofs" / "A02.png").convert("RGB")
    changed = ImageChops.difference(without, with_grid).convert("L").point(lambda v: 255 if v else 0)
    assert changed.histogram()[255] > 10_000  # 8 columns x 105 lines of 1 px


def test_only_requested_pages_are_rendered(tmp_path: Path) -> None:
    make_fake_build(tmp_path)
    make_proofs(tmp_path, workers=1)
    mtimes = {p: (tmp_path / "proofs" / f"{p}.png").stat().st_mtime_ns for p in PAGE_IDS}
    make_fake_build(tmp_path, extra={p: "changed" for p in PAGE_IDS})  # every page differs now
    result = make_proofs(tmp_path, pages=["A03"], workers=1)
    assert result.rendered == ["A03"]
    changed = [p for p in PAGE_IDS if (tmp_path / "proofs" / f"{p}.png").stat().st_mtime_ns != mtimes[p]]
    assert changed == ["A03"]


def test_missing_pdf_gives_a_placeholder_and_a_problem(tmp_path: Path) -> None:
    make_fake_build(tmp_path)
    (tmp_path / "A06.pdf").unlink()
    result = make_proofs(tmp_path, pages=["A06"], workers=1)
    assert any("A06.pdf" in p for p in result.problems)
    assert (tmp_path / "proofs" / "A06.png").is_file()


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str]] = {}
        self.parents: dict[str, str] = {}  # element id -> enclosing figure id
        self.hrefs: list[str] = []
        self.imgs: list[str] = []
        self._figure: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "figure":
            self._figure = a.get("id")
        if "id" in a:
            self.ids[a["id"]] = a | {"tag": tag}
            if self._figure:
                self.parents[a["id"]] = self._figure
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "img":
            self.imgs.append(a["src"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._figure = None


def test_proof_html_lists_the_overset_story_and_links_it_to_its_page(build: Path, proofs) -> None:
    text = proofs.html.read_text(encoding="utf-8")
    assert "over by 57 characters (3 lines)" in text
    assert "under by 5 lines" in text
    assert "U+20BB7" in text and "𠮷" in text
    assert "rich black text under 12 pt" in text
    assert "http://" not in text and "https://" not in text  # nothing external
    doc = _Collect()
    doc.feed(text)
    assert len(doc.imgs) == 12 and all(re.fullmatch(r"A\d\d\.png\?v=[0-9a-f]{12}", s) for s in doc.imgs)
    # The story row links to a box on A01 (and on A05, where it continues).
    row = doc.ids[anchor("story", "harbour-plan")]
    assert "over" in row["class"]
    target = anchor("m", "A01", "harbour-plan", "story")
    assert f"#{target}" in doc.hrefs
    assert doc.parents[target] == anchor("page", "A01")
    assert f"#{anchor('m', 'A05', 'harbour-plan', 'continued')}" in doc.hrefs
    # The box sits where the module is, in percent of the image.
    style = dict(kv.split(":") for kv in doc.ids[target]["style"].rstrip(";").split(";"))
    report = json.loads((build / "report.json").read_text(encoding="utf-8"))
    x0, y0, x1, y1 = _module_px(report, "A01", "harbour-plan", 100)
    w, h = 1560, 2174
    assert float(style["left"].rstrip("%")) == pytest.approx(100 * x0 / w, abs=0.1)
    assert float(style["top"].rstrip("%")) == pytest.approx(100 * y0 / h, abs=0.1)
    assert float(style["width"].rstrip("%")) == pytest.approx(100 * (x1 - x0) / w, abs=0.1)
    assert float(style["height"].rstrip("%")) == pytest.approx(100 * (y1 - y0) / h, abs=0.1)
    # The preflight finding with a bbox has a box on A07; the one without links to the page.
    assert any(doc.parents.get(i) == anchor("page", "A07") and "finding" in a.get("class", "")
               for i, a in doc.ids.items())
    assert f"#{anchor('page', 'A08')}" in doc.hrefs


def test_anchor_is_safe_and_unique() -> None:
    assert anchor("m", "A01", "harbour-plan") == "m-A01-harbour_2dplan"
    assert anchor("story", "港口") != anchor("story", "港囗")
    assert re.fullmatch(r"[A-Za-z0-9_-]+", anchor("story", "a b/c\"<>"))
