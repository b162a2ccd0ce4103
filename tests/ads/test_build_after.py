"""A build after the ad plan: the automatic layout places the stories into the free areas the
booked ads leave, nothing is lost without a diagnostic, and report.json gives every ad's place."""

from __future__ import annotations

import pytest
from adkit import write_edition

from layout.ads.plan import plan_ads
from layout.build import build
from layout.model.load import load_edition
from layout.template import load_template

PAGES = ("A02", "A06", "A09")  # a half-width ad; a pinned booking; two ads side by side


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("ads-build")
    first = load_edition(write_edition(root), page_count=12, grid=(8, 105))
    planned, plan = plan_ads(first, load_template("broadsheet"))
    fill = {}
    for page in planned.pages:
        if page.id in PAGES:
            ads = sum(i.at.cols * i.at.lines for i in page.items if i.kind == "ad" and i.at)
            fill[page.id] = 8 * 105 - ads
    path = write_edition(root, fill=fill)  # the night's copy, written to the dummy's free areas
    return build(path, root / "out", preflight=False), plan


def test_report_json_gives_the_final_place_of_every_ad(built):
    result, plan = built
    placed = {(a["booking"], a["page"], (a["col"], a["line"], a["cols"], a["lines"]))
              for a in result.report["ads"]["placed"]}
    assert placed == {(p.booking, p.page, p.rect) for p in plan.placed()}
    assert {u["booking"] for u in result.report["ads"]["unplaced"]} == {p.booking for p in plan.unplaced()}


def test_stories_fill_the_free_areas_and_never_cover_an_ad(built):
    result, plan = built
    g = load_template("broadsheet").grid
    for page in result.layout.pages:
        if page.page.id not in PAGES:
            continue
        mods = page.frame.modules
        kinds = {m.kind for m in mods}
        assert "story" in kinds and "ad" in kinds
        # an L-shaped story module (its notch round an ad, issue 13) is its two rectangles
        rects = [(m, part) for m in mods for part in m.parts(g.gutter)]
        for i, (a, ra) in enumerate(rects):
            for b, rb in rects[i + 1:]:
                if a is b:
                    continue
                overlap_w = min(ra[0] + ra[2], rb[0] + rb[2]) - max(ra[0], rb[0])
                overlap_h = min(ra[1] + ra[3], rb[1] + rb[3]) - max(ra[1], rb[1])
                assert overlap_w <= 0.5 or overlap_h <= 0.5, (page.page.id, a.ref, b.ref)
        # the modules tile the page: their areas (with the gutters between columns) sum to the grid's
        col_lines = sum(round((r[2] + g.gutter) / (g.column_width + g.gutter)) * round(r[3] / g.pitch) for _, r in rects)
        assert col_lines == 8 * 105, page.page.id
        booked = {p.rect for p in plan.placed() if p.page == page.page.id}
        ads = {(round((m.x - g.left) / (g.column_width + g.gutter)) + 1, round((m.y - g.top) / g.pitch) + 1,
                round((m.w + g.gutter) / (g.column_width + g.gutter)), round(m.h / g.pitch))
               for m in mods if m.kind == "ad"}
        assert ads == booked, page.page.id


def test_nothing_is_lost_without_a_diagnostic(built):
    result, _ = built
    diags = list(result.diagnostics)
    codes = {d.code for d in diags}
    assert not codes & {"AUTOLAYOUT-NO-LAYOUT", "AUTOLAYOUT-ITEM", "GRID-OVERLAP", "ITEM-OUTSIDE-MODULE",
                        "ITEM-OUTSIDE-PAGE", "AD-OVERFLOW", "AD-SIZE-MISMATCH"}, codes
    for story in result.report["stories"]:
        if story["overset_chars"]:
            assert any(story["id"] in d.message or d.story == story["id"] for d in diags
                       if d.severity.value == "error"), story["id"]
        assert story["chars_set"] + story["overset_chars"] == story["chars"], story["id"]
