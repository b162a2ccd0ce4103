"""The sample edition prepared once for the autolayout tests: (prepared build, edition as written)."""

from pathlib import Path

import pytest

from layout.build import prepare
from layout.model import load_edition

SAMPLE = Path(__file__).resolve().parents[2] / "editions" / "sample.yaml"


@pytest.fixture(scope="session")
def prepared():
    prep = prepare(SAMPLE)
    roots = [(SAMPLE.parent / r).resolve() for r in prep.template.asset_roots]
    written = load_edition(SAMPLE, asset_roots=roots, page_count=prep.template.pages,
                           grid=(prep.template.grid.columns, prep.template.grid.lines))
    return prep, written
