"""diff_builds: exactly the changed pages, with diff images."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from proof_fakebuild import PAGE_IDS, draw_page, make_fake_build, page_modules

from layout.proof import diff_builds
from layout.proof.diff import HIGHLIGHT, changed_boxes


def test_one_changed_page_is_reported_alone(tmp_path: Path) -> None:
    old, new, out = tmp_path / "old", tmp_path / "new", tmp_path / "diff"
    make_fake_build(old)
    make_fake_build(new, extra={"A04": "LATE NEWS"})
    assert diff_builds(old, new, out) == ["A04"]
    assert sorted(p.name for p in out.iterdir()) == ["A04-diff.png"]
    with Image.open(out / "A04-diff.png") as im:
        rgb = im.convert("RGB")
        # The highlight colour is present (only the diff image has it).
        assert rgb.getcolors(1 << 24) is not None
        assert any(c == HIGHLIGHT for _, c in rgb.getcolors(1 << 24))


def test_same_pixels_with_different_bytes_is_no_change(tmp_path: Path) -> None:
    old, new, out = tmp_path / "old", tmp_path / "new", tmp_path / "diff"
    make_fake_build(old)
    make_fake_build(new)
    # Re-draw A02 without reportlab's invariant mode: new dates and document id, same page.
    c_bytes = (new / "A02.pdf").read_bytes()
    draw_page(new / "A02.pdf", "A02", page_modules("A02"), invariant=False)
    assert (new / "A02.pdf").read_bytes() != c_bytes
    assert diff_builds(old, new, out) == []
    assert not out.exists() or not any(out.iterdir())


def test_page_missing_from_one_build_counts_as_changed(tmp_path: Path) -> None:
    old, new, out = tmp_path / "old", tmp_path / "new", tmp_path / "diff"
    make_fake_build(old)
    make_fake_build(new)
    (new / "report.json").unlink()  # without a report, the PDFs in the folder are the pages
    (new / "A12.pdf").unlink()
    assert diff_builds(old, new, out) == ["A12"]
    assert (out / "A12-diff.png").is_file()
    assert len(PAGE_IDS) == 12


def test_changed_boxes_groups_nearby_pixels() -> None:
    a = Image.new("RGB", (200, 200), "white")
    b = a.copy()
    b.paste((0, 0, 0), (10, 10, 20, 20))
    b.paste((0, 0, 0), (150, 150, 190, 160))
    boxes = changed_boxes(a, b)
    assert len(boxes) == 2
    (x0, y0, x1, y1), (u0, v0, u1, v1) = boxes
    assert x0 <= 10 and y0 <= 10 and x1 >= 20 and y1 >= 20 and x1 < 60
    assert u0 <= 150 and v0 <= 150 and u1 >= 190 and v1 >= 160
    assert changed_boxes(a, a.copy()) == []
