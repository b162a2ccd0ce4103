"""Reading report.json: exact keys, optional and unknown keys, and the page geometry."""

from __future__ import annotations

import pytest

from layout.proof.geometry import geometry_for
from layout.proof.overlay import default_baseline_offset
from layout.proof.report import PageInfo, parse_report

MINIMAL = {
    "paper": "重慶晨報", "date": "2026-03-04", "issue": 8123, "build_time": None, "template": "broadsheet",
    "pages": [{"id": "A01", "file": "A01.pdf", "section": "要聞", "width": 1105.5, "height": 1547.7,
               "colour": True, "trim_x": 0.0, "trim_y": 0.0,
               "modules": [{"kind": "story", "ref": "s1", "x": 10, "y": 20, "w": 30, "h": 40},
                           {"kind": "masthead", "ref": None, "x": 0, "y": 0, "w": 1, "h": 1}],
               "grid": {"x": 56, "y": 90, "pitch": 13.5, "lines": 105, "columns": [[56, 173], [182, 299]],
                        "baseline_offset": 10.17}}],
    "stories": [{"id": "s1", "headline": "h", "pages": ["A01"], "chars": 10, "chars_set": 4, "lines_set": 1,
                 "overset_chars": 6, "overset_lines": 1, "underset_lines": 0, "status": "over"},
                {"id": "s2", "status": "under", "underset_lines": 7},
                {"id": "s3", "status": "fits"}],
    "summary": {"pages": 1},
}


def test_parse_report_tolerates_missing_and_unknown_keys() -> None:
    r = parse_report(MINIMAL)
    assert r.build_time == ""
    assert r.page("A01").modules[1].ref is None
    assert r.page("A01").grid.baseline_offset == pytest.approx(10.17)
    assert r.story("s1").missing_glyphs == ()
    assert [s.copyfit for s in r.stories] == ["over by 6 characters (1 lines)", "under by 7 lines", "fits"]
    assert r.overset_refs() == {"s1"}
    assert r.diagnostics == () and r.preflight == ()


def test_default_baseline_offset_matches_the_grid_rule() -> None:
    # 9 pt body on a 13.5 pt pitch: the em box centred in the line, baseline 0.88 em below its top.
    assert default_baseline_offset(13.5) == pytest.approx(2.25 + 0.88 * 9)


def test_geometry_uses_the_pdf_trim_box_else_the_report() -> None:
    page = PageInfo(id="A01", file="A01.pdf", width=100, height=200, trim_x=10, trim_y=10)
    crop = (0.0, 0.0, 120.0, 220.0)
    from_report = geometry_for(page, crop, None, 72)
    assert from_report.trim_to_px(0, 0) == pytest.approx((10, 10))
    from_pdf = geometry_for(page, crop, (5.0, 5.0, 105.0, 215.0), 144)
    assert from_pdf.trim_to_px(0, 0) == pytest.approx((10, 10))  # (5, 220 - 215) pt at 2 px/pt
    assert from_pdf.size == (240, 440)
    # A PDF rectangle (origin bottom-left) maps to the image with y flipped.
    assert from_report.pdf_rect_px(10, 10, 20, 30) == pytest.approx((10, 190, 20, 210))


def test_a_jumped_storys_overset_is_flagged_on_its_last_page_only() -> None:
    """The proof put "OVERSET +315字" on a story's first module although its overset is measured
    after its jump, on the continuation's page."""
    import copy

    from layout.proof.contact import page_flags

    data = copy.deepcopy(MINIMAL)
    a04 = copy.deepcopy(data["pages"][0])
    a04.update(id="A04", file="A04.pdf")
    a04["modules"] = [{"kind": "continued", "ref": "s1", "x": 10, "y": 20, "w": 30, "h": 40}]
    data["pages"].append(a04)
    data["stories"][0]["pages"] = ["A01", "A04"]
    r = parse_report(data)
    s1 = r.story("s1")
    assert not s1.over_on("A01") and s1.over_on("A04")
    assert "OVERSET" not in page_flags(r, "A01") and "OVERSET" in page_flags(r, "A04")
    data["stories"][0]["pages"] = ["A01"]  # no jump: its one page
    assert "OVERSET" in page_flags(parse_report(data), "A01")
