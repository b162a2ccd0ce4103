"""The sample edition's inside pages, laid out by the engine: every story placed in full, modules
inside the live area without overlap, the lead at the top, the ad on the foot of the page."""

from __future__ import annotations

from pathlib import Path

from layout.autolayout.plan import plan_page

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "editions" / "sample.yaml"


def test_inside_pages_carry_no_coordinates(prepared):
    _, written = prepared
    # tables are the exception: a table needs its module (at: or size:), the engine does not size one
    assert all(item.at is None for page in written.pages[1:] for item in page.items if item.kind != "table")
    assert any(item.at is None for page in written.pages[1:] for item in page.items)


def test_every_story_fully_placed_and_pages_filled(prepared):
    prep, written = prepared
    report = {s.story.id: s.result for s in prep.layout.stories.values()}
    for page in written.pages[1:]:
        for item in page.items:
            if item.kind == "story":
                assert report[item.ref].overset_chars == 0, item.ref
    placed = prep.ctx.edition
    grid = prep.template.grid
    for page in placed.pages[1:]:
        cells: dict[tuple[int, int], str] = {}
        for item in page.items:
            a = item.at
            assert a is not None
            for c in range(a.col, a.col + a.cols):
                for line in range(a.line, a.line + a.lines):
                    assert 1 <= c <= grid.columns and 1 <= line <= grid.lines
                    assert (c, line) not in cells, f"{page.id}: {item.ref} overlaps {cells[(c, line)]}"
                    cells[(c, line)] = item.ref or item.kind
        assert len(cells) >= 0.98 * grid.columns * grid.lines, page.id


def test_lead_on_top_and_ads_on_the_foot(prepared):
    prep, _ = prepared
    for page in prep.ctx.edition.pages[1:]:
        stories = [i for i in page.items if i.kind == "story"]
        assert stories[0].at.line == 1, page.id
        for item in page.items:
            if item.kind == "ad":
                assert item.at.line + item.at.lines - 1 == prep.template.grid.lines, page.id


def test_a_page_that_cannot_fit_names_the_story_and_its_overset(prepared):
    prep, written = prepared
    page = written.page("A11")  # two long stories fill it; one more cannot fit in full
    # two more stories: with sub-heads and decks fitted on one line where a size step allows,
    # winter-swim alone now fits beside them
    extra = tuple(i for i in written.page("A10").items if i.ref in ("winter-swim", "esports-cup"))
    crowded = type(page)(page.id, page.section, page.masthead, page.credits,
                         page.items + extra, page.colour, page.loc)
    plan = plan_page(prep.ctx, written, crowded)
    assert plan.relaxed
    over = [p for p in plan.placements() if p.option.overset_chars]
    assert over, plan.traded()
    assert any("is over by" in t for t in plan.traded())


def test_the_laid_out_sample_has_no_errors(prepared):
    """Every module the optimiser chose holds what it was chosen for: no photo runs past the foot
    of its module (a depth guess carried over from another photo depth once let that happen)."""
    prep, _ = prepared
    errors = [d.format() for d in prep.ctx.diagnostics if d.severity == "error"]
    assert errors == []
