"""The ad dummy: its JSON and page images, byte for byte the same from the same bookings, and
the `layout dummy` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from adkit import UNPLACED
from PIL import Image

from layout.ads.dummy import make_dummy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dummy(edition_path, tmp_path_factory):
    return make_dummy(edition_path, tmp_path_factory.mktemp("dummy"))


def test_the_same_bookings_give_the_same_dummy(edition_path, dummy, tmp_path):
    again = make_dummy(edition_path, tmp_path / "again")
    for name in ["dummy.json", "dummy.pdf", "A01.png", "A09.png"]:
        assert (dummy.outdir / name).read_bytes() == (again.outdir / name).read_bytes(), name


def test_the_json_gives_every_page_its_ads_and_areas(dummy):
    data = json.loads((dummy.outdir / "dummy.json").read_text("utf-8"))
    assert [p["id"] for p in data["pages"]] == [f"A{n:02d}" for n in range(1, 13)]
    live = ads = 0
    for page in data["pages"]:
        area = sum(a["cols"] * a["lines"] for a in page["ads"])
        assert page["ad_col_lines"] == area
        assert page["editorial_col_lines"] == page["live_col_lines"] - area
        assert page["ad_share"] == round(area / page["live_col_lines"], 4)
        assert page["live_col_lines"] == 8 * (105 - (12 if page["id"] == "A01" else 0))
        live, ads = live + page["live_col_lines"], ads + area
        for a in page["ads"]:
            assert a["advertiser"] and a["booking"] and a["size"] and isinstance(a["colour"], bool)
    assert data["total"]["ad_share"] == round(ads / live, 4) and data["total"]["editorial_col_lines"] == live - ads
    assert {u["booking"]: u["reason"] for u in data["unplaced"]} == UNPLACED
    assert all(u["message"] and u["line_in_file"] for u in data["unplaced"])
    assert data["total"]["placed"] == data["total"]["booked"] - len(UNPLACED)
    a01 = {a["booking"]: a for a in data["pages"][0]["ads"]}
    assert a01["ear"]["size"].startswith("報眼") and (a01["ear"]["col"], a01["ear"]["line"]) == (7, 13)


def _pixel(img, data, ad):
    im = data["images"]
    x = im["trim_left_px"] + (ad["mm"][0] + ad["mm"][2] / 2) * im["px_per_mm"]
    y = im["trim_top_px"] + (ad["mm"][1] + ad["mm"][3] * 0.7) * im["px_per_mm"]  # under the labels
    return img.getpixel((round(x), round(y)))


def test_the_images_show_each_ad_in_place_colour_or_mono(dummy):
    data = json.loads((dummy.outdir / "dummy.json").read_text("utf-8"))
    seen = set()
    for page in data["pages"]:
        with Image.open(dummy.outdir / f"{page['id']}.png") as img:
            img = img.convert("RGB")
            assert img.width > 300 and abs(img.height / img.width - 546 / 390) < 0.05
            for ad in page["ads"]:
                r, g, b = _pixel(img, data, ad)
                if ad["colour"] and page["colour"]:
                    assert r > g + 30, (page["id"], ad["booking"], (r, g, b))  # the pink of a colour ad
                    seen.add("colour")
                else:
                    assert abs(r - g) < 8 and abs(g - b) < 8 and r < 225, (page["id"], ad["booking"])
                    seen.add("mono")
            # editorial area: the light column tint, neither ad colour
            r, g, b = img.getpixel((round(data["images"]["trim_left_px"] + 200 * data["images"]["px_per_mm"]),
                                    round(data["images"]["trim_top_px"] + 200 * data["images"]["px_per_mm"])))
            if page["id"] not in ("A11",):
                assert min(r, g, b) > 225, page["id"]
    assert seen == {"colour", "mono"}


def test_layout_dummy_writes_the_files_and_says_what_was_not_placed(edition_path, tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "layout", "dummy", str(edition_path), "-o", str(out)],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert r.returncode == 1, r.stderr  # built, with errors: bookings not placed
    assert r.stderr.count("BOOKING-UNPLACED") == len(UNPLACED) and "Traceback" not in r.stderr
    assert "16 of 21 bookings placed" in r.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["dummy.json", "dummy.pdf"] + [f"A{n:02d}.png" for n in range(1, 13)])
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(out / "dummy.pdf"))
    try:
        assert len(doc) == 13  # the pages, and the summary
        text = doc[0].get_textpage().get_text_range()
        assert "晨報發行部" in text and "報眼" in text and "渝江銀行" in text
        summary = "".join(doc[12].get_textpage().get_text_range().split())
        assert "未能安排的預訂：5" in summary
        assert all(f"{b}（" in summary for b in UNPLACED)
    finally:
        doc.close()


def test_a_booking_whose_ad_is_not_its_booked_size_is_reported_at_the_booking(tmp_path):
    from adkit import write_edition

    path = write_edition(tmp_path, [("pdf-ad", "汽車城", "3x22", "ad: car-pdf"),
                                    ("tiny", "花店", "1x2", "")])
    result = make_dummy(path, tmp_path / "out")
    lines = path.read_text("utf-8").split("\n")
    found = {d.code: d for d in result.diagnostics}
    size = found["AD-SIZE-MISMATCH"]
    assert "booking pdf-ad" in size.message and lines[size.location.line - 1].strip() == "- id: pdf-ad"
    over = found["AD-OVERFLOW"]
    assert "booking tiny" in over.message and lines[over.location.line - 1].strip() == "- id: tiny"


def test_layout_dummy_on_invalid_input_exits_2_without_a_traceback(tmp_path):
    from adkit import write_edition

    path = write_edition(tmp_path, [("x", "甲", "通攔", "height: 10")])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "layout", "dummy", str(path), "-o", str(tmp_path / "out")],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert r.returncode == 2 and "BOOKING-SIZE" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()
