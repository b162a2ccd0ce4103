"""IMAGE-LOW-PPI / IMAGE-BELOW-TARGET-PPI name where the edition places the photo (its `file:`
entry, file:line:column), as other diagnostics do: they named only the photo's own file, so a
desk with the same picture in two stories could not tell which entry to change."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from layout.build import prepare
from layout.images import ImageCache, ImageStore
from layout.output import check_images, prepare_images
from tests.e2e.conftest import MINI

STORY_PHOTO = "    photos:\n      - file: small.jpg\n        caption: 很小的圖片。\n        cols: 2\n        lines: 12\n"
FREE_PHOTO = ("      - photo: {file: small.jpg, caption: 一張很小的圖片。}\n"
              "        at: {col: 5, line: 1, cols: 4, lines: 30}\n")


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    Image.new("RGB", (60, 40), (120, 140, 160)).save(tmp_path / "small.jpg")
    text = MINI.read_text("utf-8")
    anchor = "        at: {col: 1, line: 1, cols: 4, lines: 105}\n  - page: A03\n"
    story = "  s02:\n    headline: 第2版測試稿件標題\n"
    assert anchor in text and story in text
    text = text.replace(anchor, anchor.replace("  - page: A03\n", "") + FREE_PHOTO + "  - page: A03\n", 1)
    text = text.replace(story, story + STORY_PHOTO, 1)
    ed = tmp_path / "ed.yaml"
    ed.write_text(text, "utf-8")
    return ed


def _places(ed: Path, diags) -> list[tuple]:
    lines = ed.read_text("utf-8").split("\n")
    free = next(i for i, ln in enumerate(lines, 1) if "- photo: {file: small.jpg" in ln)
    inline = next(i for i, ln in enumerate(lines, 1) if "- file: small.jpg" in ln)
    # the photo's entry: its mapping, which starts at `file:` in a block and at `{` in a flow one
    want = {(str(ed), free, lines[free - 1].index("{") + 1),
            (str(ed), inline, lines[inline - 1].index("file") + 1)}
    got = {(d.location.file, d.location.line, d.location.column) for d in diags if d.code == "IMAGE-LOW-PPI"}
    return got, want


@pytest.mark.parametrize("how", ["check", "build"])
def test_a_low_resolution_photo_is_reported_at_its_entry(edition: Path, how: str, tmp_path: Path) -> None:
    prep = prepare(edition)
    if how == "check":  # from the files' headers
        check_images(prep)
    else:  # prepared for print
        prepare_images(prep, ImageStore(ImageCache(tmp_path / "cache")))
    diags = [d for d in prep.ctx.diagnostics if d.code == "IMAGE-LOW-PPI"]
    assert len(diags) == 2 and all("small.jpg" in d.message for d in diags), [d.format() for d in diags]
    got, want = _places(edition, diags)
    assert got == want, [d.format() for d in diags]
