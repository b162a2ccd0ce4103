"""Golden text dumps of whole pages of the sample edition (the front page and the jump page),
reviewed and committed. A layout change shows up as a readable diff; after reviewing it, refresh
the files with UPDATE_GOLDEN=1 python -m pytest tests/golden."""

import os
from pathlib import Path

import pytest

from layout.build import prepare
from layout.render.dump import dump_frame

HERE = Path(__file__).parent
SAMPLE = HERE.parents[1] / "editions" / "sample.yaml"


@pytest.fixture(scope="module")
def sample_frames():
    prep = prepare(SAMPLE)
    return {p.page.id: p.frame for p in prep.layout.pages}


@pytest.mark.parametrize("page", ["A01", "A04"])
def test_page_matches_its_golden_dump(sample_frames, page):
    got = dump_frame(sample_frames[page])
    golden = HERE / f"sample-{page}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1" or not golden.exists():
        golden.write_text(got, "utf-8")
        if os.environ.get("UPDATE_GOLDEN") != "1":
            pytest.fail(f"{golden.name} did not exist; written now: review and commit it")
    assert got == golden.read_text("utf-8")
