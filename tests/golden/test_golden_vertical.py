"""Golden text dumps of the vertical pages of the Taiwan-convention test edition (issue 16): A02,
a vertical story (head at the right, bands of columns running right to left, a sub-head, rotated
Latin, 縱中橫 digits, 「」 as ﹁﹂) and A03, a vertical head beside a horizontal body. Reviewed and
committed; refresh with UPDATE_GOLDEN=1 python -m pytest tests/golden after reviewing the diff."""

import os
from pathlib import Path

import pytest

from layout.build import prepare
from layout.render.dump import dump_frame

HERE = Path(__file__).parent
EDITION = HERE.parents[0] / "vertical" / "data" / "taiwan.yaml"


@pytest.fixture(scope="module")
def taiwan_frames():
    prep = prepare(EDITION)
    return {p.page.id: p.frame for p in prep.layout.pages}


@pytest.mark.parametrize("page", ["A02", "A03"])
def test_vertical_page_matches_its_golden_dump(taiwan_frames, page):
    got = dump_frame(taiwan_frames[page])
    golden = HERE / f"taiwan-{page}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1" or not golden.exists():
        golden.write_text(got, "utf-8")
        if os.environ.get("UPDATE_GOLDEN") != "1":
            pytest.fail(f"{golden.name} did not exist; written now: review and commit it")
    assert got == golden.read_text("utf-8")
