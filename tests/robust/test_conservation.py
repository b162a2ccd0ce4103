"""Nothing lost, on 50 generated editions and on the sample edition: every character of every story
is printed, in order, or counted overset — checked on the page description and, through
pdftotext, on the PDF."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from layout.build import build, prepare
from layout.images import ImageCache, ImageStore
from layout.output import prepare_images
from layout.render.pdf import render
from layout.report import edition_report
from tests.robust.conservation import check_pdf_text, check_stories, pdftotext
from tests.robust.strategies import ROOT, editions, write_edition

GENERATED = 50
SAMPLE = ROOT / "editions" / "sample.yaml"


def render_edition(prep, path: Path, photos: ImageStore | None = None) -> None:
    """The whole edition as one PDF, as output.write_outputs renders edition.pdf (no PDF ads here)."""
    e = prep.ctx.edition
    data, pending = render(prep.layout.frames(), catalog=prep.catalog, images=prepare_images(prep, photos or ImageStore()),
                           profile=prep.ctx.profile, title=e.paper, date=e.date)
    assert not pending
    path.write_bytes(data)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("conservation")


@pytest.fixture(scope="module")
def caches() -> dict:
    """Faces loaded once for all examples, as a long-lived caller (watch, the benchmark) keeps them."""
    return {"catalog_cache": {}, "setters": {}}


@pytest.fixture(scope="module")
def photos() -> ImageStore:
    """The generated editions' photos (four files at the module sizes of a grid, which repeat from
    one edition to the next) prepared once for all examples, in the suite's cache: preparing each
    afresh for every example was an eighth of the test's time (same bytes from any cache state)."""
    return ImageStore(ImageCache.default())


@pytest.fixture(scope="module")
def tally():
    counts = {"editions": 0, "chars": 0, "overset": 0}
    yield counts
    print(f"\ntext conservation: {counts['editions']} generated editions, {counts['chars']} characters checked, "
          f"{counts['overset']} of them overset")


@settings(max_examples=GENERATED, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(ed=editions())
def test_generated_editions_lose_no_character(workdir, caches, photos, tally, ed):
    if pdftotext() is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    folder = workdir / f"ed{tally['editions']}"
    path = write_edition(ed, folder)
    prep = prepare(path, **caches)
    report = edition_report(prep, [], {})
    tally["chars"] += check_stories(prep, report)
    tally["overset"] += sum(s["overset_chars"] for s in report["stories"])
    render_edition(prep, folder / "edition.pdf", photos)
    check_pdf_text(folder / "edition.pdf", prep.layout.frames())
    tally["editions"] += 1
    shutil.rmtree(folder)


def test_sample_edition_loses_no_character(tmp_path):
    """The real build: report.json and the page PDFs as written."""
    if pdftotext() is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    result = build(SAMPLE, tmp_path, preflight=False)
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    prep = prepare(SAMPLE)
    assert check_stories(prep, report) > 30_000
    for page in result.layout.pages:
        check_pdf_text(tmp_path / f"{page.page.id}.pdf", [page.frame])
