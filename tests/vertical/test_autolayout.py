"""Vertical stories placed by the automatic layout (issue 16; layout/autolayout/vertical.py): a
vertical story without `at:` gets a module of whole columns and whole bands, measured with the
vertical composition, and nothing of it is lost or mis-reported."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from layout.autolayout import vertical as vl
from layout.build import prepare
from layout.frames import escapes
from layout.model.edition import At
from layout.paginate.story import layout_part

EDITION = Path(__file__).resolve().parent / "data" / "taiwan.yaml"
PARA = "論壇將討論城市更新、公共交通與文化保存等議題，並邀請學者與市民代表對話，會後將發表共同宣言，供市府施政參考。"
BODY6 = "這是第6版的測試稿件，用於檢查分欄、基線網格和溢排統計是否準確，並確認自動排版能夠處理直排與橫排稿件並存的版面。"


def auto_edition(tmp_path: Path, vertical_paras: int = 62, horizontal_paras: int = 75,
                 vertical_first: bool = True) -> Path:
    """The Taiwan test edition with A02 holding the vertical story s02 and the horizontal s06,
    neither with an `at:` (A06 left empty); the first one listed is the page's lead."""
    text = EDITION.read_text("utf-8")
    order = "      - story: s02\n      - story: s06" if vertical_first else "      - story: s06\n      - story: s02"
    text = text.replace("      - story: s02\n        at: {col: 1, line: 1, cols: 4, lines: 105}", order, 1)
    text = text.replace("    items:\n      - story: s06\n        at: {col: 1, line: 1, cols: 4, lines: 105}\n",
                        "    items: []\n", 1)
    text = text.replace("      論壇將討論城市更新、公共交通與文化保存等議題，並邀請學者與市民代表對話。\n",
                        f"      {PARA}\n" * vertical_paras, 1)
    text = text.replace("      這是第6版的測試稿件，用於檢查分欄、基線網格和溢排統計是否準確。\n",
                        f"      {BODY6}\n" * horizontal_paras, 1)
    path = tmp_path / "auto.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(scope="module")
def auto_prep(tmp_path_factory):
    return prepare(auto_edition(tmp_path_factory.mktemp("auto")))


def _page(prep, page_id):
    return next(p for p in prep.layout.pages if p.page.id == page_id)


def test_an_unplaced_vertical_story_gets_a_vertical_module_and_loses_nothing(auto_prep):
    prep = auto_prep
    page = next(p for p in prep.ctx.edition.pages if p.id == "A02")
    placed = {i.ref: i.at for i in page.items}
    assert placed["s02"] is not None and placed["s06"] is not None  # the engine gave both a module
    frame = _page(prep, "A02").frame
    assert escapes(frame) == []  # nothing outside its module or the page
    s02 = [r for r in frame.runs() if r.source.story == "s02"]
    assert s02 and all(r.vertical or r.rotated for r in s02)  # set vertically in its module
    story = prep.ctx.edition.stories["s02"]
    printed: dict[int, list[str]] = {}
    for r in s02:
        if r.source.kind == "body":
            printed.setdefault(r.source.paragraph, []).append(r.text)
    for n, p in enumerate(story.paragraphs):
        if p.kind == "body":  # every character of every paragraph, in reading order
            assert "".join(printed[n]) == p.text.replace(" ", ""), n
    assert prep.layout.stories["s02"].result.overset_lines == 0
    errors = [d for d in prep.ctx.diagnostics.errors if d.story in ("s02", "s06")]
    assert not errors, errors


def test_the_vertical_module_is_as_deep_as_its_bands_and_the_report_counts_its_white_space(auto_prep):
    prep = auto_prep
    at = next(i.at for p in prep.ctx.edition.pages if p.id == "A02" for i in p.items if i.ref == "s02")
    lay = prep.layout.stories["s02"]
    short = vl.short_lines(prep.ctx, lay)
    said = [d for d in prep.ctx.diagnostics.warnings if d.code == "AUTOLAYOUT-UNDERSET" and d.story == "s02"]
    if short is None:
        assert not said
    else:  # reported in its own terms: empty lines in the bands, not horizontal column feet
        assert len(said) == 1 and "vertical module" in said[0].message and f"{short[0]} empty lines" in said[0].message
    bands = vl.bands_in(prep.ctx, at.lines)
    assert bands >= 1 and at.lines - vl.band_depth(prep.ctx, bands) < vl.band_depth(prep.ctx, 1)


def test_band_depths_hold_exactly_their_bands(auto_prep):
    ctx = auto_prep.ctx
    from layout.paginate.vertical import _bands

    for b in range(1, 8):
        h = vl.band_depth(ctx, b)
        assert vl.bands_in(ctx, h) == b and vl.bands_in(ctx, h - 1) == b - 1
        rect = ctx.grid.rect(1, 1, 2, h)
        air = ctx.grid.pitch * 0.5
        assert len(_bands(ctx, rect.y + air, rect.h - 2 * air)) == b  # as pagination cuts them


def test_every_fitting_option_holds_the_story_when_set_there(auto_prep):
    """The options are measured, not guessed: each that claims to hold all the text does when the
    module is laid out and poured as pagination does it, and its empty lines are what it says."""
    from layout.paginate.flow import flow
    from layout.paginate.vertical import vertical_blocks

    ctx = dataclasses.replace(auto_prep.ctx)
    story = ctx.edition.stories["s02"]
    options = vl.story_options(ctx, story, relaxed=1)
    assert options and {o.cols for o in options} >= {4, 8}
    blocks = vertical_blocks(ctx, story, float(ctx.grid.column_chars))
    for o in options:
        if o.overset_chars:
            continue
        sized = story if o.head_start is None else dataclasses.replace(story, headline_size=o.head_start)
        part = layout_part(ctx, sized, "A02", At(1, 1, o.cols, o.lines), lead=False, continued_from=None,
                           jump_to=None, module_index=0)
        res = flow(blocks, part.slots)
        assert res.overset_lines == 0, o
        slack = o.lines - vl.band_depth(ctx, vl.bands_in(ctx, o.lines))
        assert o.empty_lines == sum(vl.band_feet(part.slots, res)) + slack * o.cols
        assert o.valid == (o.empty_lines <= o.cols)


def test_a_vertical_story_too_long_for_the_page_is_reported_over(tmp_path):
    # 130 paragraphs: more than the whole page holds. (At 95 the story, listed first, now fits in
    # 6 of the 8 columns: the overset goes to the story listed after it, issue 13's importance.)
    prep = prepare(auto_edition(tmp_path, vertical_paras=130))
    over = [d for d in prep.ctx.diagnostics.errors if d.code == "AUTOLAYOUT-OVERSET" and d.story == "s02"]
    assert len(over) == 1
    lay = prep.layout.stories["s02"]
    assert lay.result.overset_chars > 0  # what is not printed is counted, never dropped silently
    frame = _page(prep, "A02").frame
    printed = sum(len(r.text) for r in frame.runs() if r.source.story == "s02" and r.source.kind == "body")
    total = sum(len(p.text.replace(" ", "")) for p in prep.ctx.edition.stories["s02"].paragraphs if p.kind == "body")
    assert printed + lay.result.overset_chars == total


def test_the_plan_cache_key_sees_the_direction(auto_prep):
    from layout.autolayout.plan import page_key

    ctx = auto_prep.ctx
    edition = ctx.edition
    page = next(p for p in edition.pages if p.id == "A03")
    flipped = dataclasses.replace(edition, stories={**edition.stories, "s03": dataclasses.replace(
        edition.stories["s03"], headline_direction=None, direction="vertical")})
    assert page_key(ctx, edition, page) != page_key(ctx, flipped, page)


def test_a_vertical_story_under_a_horizontal_lead_keeps_its_headline_smaller(tmp_path):
    """The page's other headlines are held under the lead's (the search's rule): a vertical story
    listed after a horizontal lead is offered its headline a size or two smaller, as a horizontal
    one is, instead of being priced as all overset."""
    prep = prepare(auto_edition(tmp_path, vertical_first=False))
    assert not [d for d in prep.ctx.diagnostics.errors if d.story in ("s02", "s06")]
    frame = _page(prep, "A02").frame
    size = {sid: max((r.size for r in frame.runs() if r.source.story == sid and r.source.kind == "headline"),
                     default=0.0) for sid in ("s02", "s06")}
    assert 0 < size["s02"] <= size["s06"], size
    assert prep.layout.stories["s02"].result.overset_lines == 0
    assert all(r.vertical or r.rotated for r in frame.runs() if r.source.story == "s02")


def test_the_fallback_sets_a_vertical_story_under_the_leads_headline_size(auto_prep):
    """option_at (the fallback layout's measure) with the lead's headline at 30 pt: the vertical
    head is fitted from a smaller size, not priced as all its text over."""
    ctx = auto_prep.ctx
    story = ctx.edition.stories["s02"]
    h = vl.band_depth(ctx, 11)
    free = vl.option_at(ctx, story, 4, h)
    held = vl.option_at(ctx, story, 4, h, max_head=30.0)
    assert free.head_size > 30.0 and not free.overset_chars
    assert 0 < held.head_size <= 30.0 and not held.overset_chars
    assert held.head_start is not None  # what apply_decisions gives the story as its headline_size
    sizes = {o.head_size for o in vl.story_options(ctx, story) if o.cols == 4}
    assert len(sizes) > 1 and min(sizes) < free.head_size  # smaller heads offered to the search too


def test_a_vertical_story_with_jump_auto_continues_vertically_and_loses_nothing(tmp_path):
    path = auto_edition(tmp_path, vertical_paras=95)
    path.write_text(path.read_text("utf-8").replace("    direction: vertical\n",
                                                    "    direction: vertical\n    jump: auto\n", 1), "utf-8")
    prep = prepare(path)
    assert not [d for d in prep.ctx.diagnostics.errors if d.story == "s02"]
    lay = prep.layout.stories["s02"]
    assert lay.result.overset_lines == 0 and len(lay.pages) == 2
    story = prep.ctx.edition.stories["s02"]
    printed: dict[int, list[str]] = {}
    for page in prep.layout.pages:  # in page order: the first part, then its continuation
        runs = [r for r in page.frame.runs() if r.source.story == "s02" and r.source.kind != "teaser"]
        assert all(r.vertical or r.rotated for r in runs)  # (its teaser on A01 is horizontal)
        for r in runs:
            if r.source.kind == "body":
                printed.setdefault(r.source.paragraph, []).append(r.text)
        assert escapes(page.frame) == []
    for n, p in enumerate(story.paragraphs):
        if p.kind == "body":
            assert "".join(printed[n]) == p.text.replace(" ", ""), n
    cont = next(p for p in prep.layout.pages if p.page.id == lay.pages[1]).frame
    jump = "".join(r.text for r in cont.runs() if r.source.story == "s02" and r.source.kind == "jump")
    assert jump == "（上接A02版）"
