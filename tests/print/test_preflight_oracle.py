"""The page-description preflight (layout/preflight/described.py, what `layout build` runs on its
own pages) against the Ghostscript preflight of the page PDFs (layout/preflight/check.py, the
oracle): the same finding codes per page and item, with values within the tolerances of
tests/print/preflight_oracle.py, on

- the sample edition under both print profiles (newsprint; commercial, with bleed and marks),
- the generated 12-page benchmark workload (bench/workload.py, photos and automatic layout),
- an edition set in vertical columns (tests/vertical/data/taiwan.yaml),
- every ad of the bad-ad corpus (tests/print/make_bad_ads.py) placed on a page of ours, at its
  own size and scaled into a larger slot, over a tint and beside our text, and on a mono page.

The findings are not empty: the tests also check that each side found what the pages hold
(the sample's ink and photo resolution warnings, each bad ad's fault)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for p in (str(HERE), str(ROOT)):
    if p not in sys.path:
        sys.path.insert(0, p)

from frame_pages import catalog, glyph_run  # noqa: E402
from make_bad_ads import AD_H, AD_W, EXPECTED, make_corpus  # noqa: E402
from preflight_oracle import compare, compare_pages  # noqa: E402

from layout.color import CMYK  # noqa: E402
from layout.diagnostics import Severity  # noqa: E402
from layout.frames import Box, PageFrame, PdfItem, Rule, Source  # noqa: E402
from layout.preflight import preflight_pdf  # noqa: E402
from layout.preflight.described import AdRenders, preflight_frame  # noqa: E402
from layout.printprofile import load_profile  # noqa: E402
from layout.render.pdf import place_pdf_ads, render  # noqa: E402
from layout.units import mm  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript missing")
SAMPLE = ROOT / "editions" / "sample.yaml"
# What the Ghostscript preflight finds in the page documents we ship today, so that agreeing on
# nothing cannot pass: ink and photo-resolution warnings on the sample.
SAMPLE_CODES = {"INK-HIGH", "IMAGE-BELOW-TARGET-PPI"}


def _build_pages(edition: Path, out: Path, profile: str | None = None):
    """Lay out and write the page PDFs (no edition.pdf, no preflight): what both preflights read."""
    from layout.build import prepare
    from layout.images import ImageCache, ImageStore
    from layout.output import prepare_images, write_pdfs

    prep = prepare(edition, print_profile=profile)
    images = prepare_images(prep, ImageStore(ImageCache.default()))
    out.mkdir(parents=True, exist_ok=True)
    write_pdfs(prep, images, out, edition_pdf=False)
    e = prep.ctx.edition
    pages = [(p.page.id, p.frame, not p.page.colour, f"{e.paper} {e.date.isoformat()} {p.page.id}")
             for p in prep.layout.pages]
    return prep, images, pages


@pytest.mark.parametrize("profile", ["newsprint", "commercial"])
def test_the_sample_edition_agrees_with_ghostscript(profile, tmp_path):
    prep, images, pages = _build_pages(SAMPLE, tmp_path / "out", profile)
    assert any(isinstance(i, PdfItem) for _, frame, _, _ in pages for i in frame.items)  # the bank's PDF ad
    problems, both = compare_pages(pages, prep.ctx.profile, prep.catalog, images, tmp_path / "out")
    assert problems == [], "\n".join(map(str, problems))
    found = {f.code for described, _ in both.values() for f in described}
    assert found >= SAMPLE_CODES, found


def test_a_vertical_edition_agrees_with_ghostscript(tmp_path):
    """Upright and rotated vertical text (tests/vertical/data/taiwan.yaml), painted and checked."""
    edition = ROOT / "tests" / "vertical" / "data" / "taiwan.yaml"
    prep, images, pages = _build_pages(edition, tmp_path / "out")
    assert any(getattr(i, "vertical", False) for _, frame, _, _ in pages for i in frame.items)
    problems, _ = compare_pages(pages, prep.ctx.profile, prep.catalog, images, tmp_path / "out")
    assert problems == [], "\n".join(map(str, problems))


def test_the_benchmark_workload_agrees_with_ghostscript(tmp_path):
    from bench.workload import make

    edition, _, _ = make(tmp_path / "workload", 12)
    prep, images, pages = _build_pages(edition, tmp_path / "out")
    assert len(pages) == 12
    problems, both = compare_pages(pages, prep.ctx.profile, prep.catalog, images, tmp_path / "out")
    assert problems == [], "\n".join(map(str, problems))
    assert any(described for described, _ in both.values())  # photos: resolution and ink warnings


# --- the bad-ad corpus, placed on our pages ---------------------------------------------------------

PAGE_W, PAGE_H = mm(160), mm(130)
SLOTS = {"own size": (mm(20), mm(45), AD_W, AD_H), "scaled": (mm(10), mm(40), AD_W * 1.4, AD_H * 1.4)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return make_corpus(tmp_path_factory.mktemp("ads"))


@pytest.fixture(scope="module")
def fonts():
    return catalog()


def _ad_page(fonts, ad: Path, slot, mono: bool) -> PageFrame:
    """A page of ours around a placed ad: a tint with K text on it, a colour headline, a rule."""
    tint = CMYK(0, 0, 0, 20) if mono else CMYK(20, 0, 0, 0)
    head = CMYK(0, 0, 0, 100) if mono else CMYK(0, 100, 100, 0)
    items = (
        Box(mm(10), mm(8), mm(140), mm(14), fill=tint),
        glyph_run(fonts, "本報訊 今日天氣晴朗", mm(14), mm(18), 9.0, CMYK(0, 0, 0, 100)),
        glyph_run(fonts, "城市新聞", mm(14), mm(34), 24.0, head, kind="headline"),
        Rule(mm(10), mm(38), mm(150), mm(38), 0.5, CMYK(0, 0, 0, 100), Source(kind="rule")),
        PdfItem(*slot, path=str(ad), source=Source(story="ad", kind="ad")),
    )
    return PageFrame("P1", PAGE_W, PAGE_H, items, colour=not mono)


def _write(path: Path, frame: PageFrame, fonts, profile) -> Path:
    data, pending = render([frame], catalog=fonts, images={}, profile=profile, title=path.stem)
    path.write_bytes(place_pdf_ads(data, pending, [frame]))
    return path


@pytest.mark.parametrize("slot", sorted(SLOTS))
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_ad_placed_on_a_page_agrees_with_ghostscript(corpus, fonts, tmp_path, name, slot):
    profile = load_profile("newsprint")
    frame = _ad_page(fonts, corpus[name], SLOTS[slot], mono=False)
    pdf = _write(tmp_path / f"{name}.pdf", frame, fonts, profile)
    described = preflight_frame(frame, profile=profile, catalog=fonts, images={}, title=pdf.stem,
                                ad_renders=AdRenders())
    oracle = preflight_pdf(pdf, profile)
    assert compare(name, described, oracle) == []
    # What the page shows of the ad's fault: its content and resources (a file-level fault, such
    # as no PDF/X keys or no TrimBox, belongs to the ad file, not to the page that places it).
    page_level = {c for c in EXPECTED[name] if not c.startswith(("PDFX-", "BOX-"))}
    errors = {f.code for f in described if f.severity is Severity.ERROR}
    if slot == "scaled" and name == "two_ink_12pt":
        # Sizes are as printed: 12 pt placed 1.4 times larger is 16.8 pt, allowed in two inks.
        assert "TEXT-SMALL-MULTI-INK" not in errors
        return
    assert page_level <= errors, [f.format() for f in described]


@pytest.mark.parametrize("name", ["clean", "ink_400", "rgb_image"])
def test_a_colour_ad_on_a_mono_page_agrees_with_ghostscript(corpus, fonts, tmp_path, name):
    profile = load_profile("newsprint")
    frame = _ad_page(fonts, corpus[name], SLOTS["own size"], mono=True)
    pdf = _write(tmp_path / f"{name}.pdf", frame, fonts, profile)
    described = preflight_frame(frame, profile=profile, catalog=fonts, images={}, title=pdf.stem, mono=True,
                                ad_renders=AdRenders())
    oracle = preflight_pdf(pdf, profile, mono=True)
    assert compare(name, described, oracle) == []
    assert "COLOR-ON-MONO-PAGE" in {f.code for f in described}
