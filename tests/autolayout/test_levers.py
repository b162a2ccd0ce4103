"""The optimiser's levers for taking up a module's slack: headline sizes a template step or two
either way (carried to pagination on Story.headline_size), photos deeper while the crop keeps the
print profile's target resolution; what they cost, and that the rules still hold with them."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from PIL import Image
from test_search import exhaustive, random_problem  # the same folder: pytest puts it on the path

from layout.autolayout.estimate import (
    HEAD_STEP,
    PHOTO_GROW,
    PHOTO_LINE,
    Option,
    deepest_photo,
    head_starts,
    level_feet,
    measure,
    part_feet,
    photo_options,
    photo_ppi,
    short_lines,
    story_options,
)
from layout.autolayout.plan import Decision, apply_decisions, page_key
from layout.autolayout.score import placements, score_tree
from layout.autolayout.search import Piece, Problem, optimise
from layout.model.edition import Photo
from layout.paginate.deck import head_block
from layout.paginate.flow import Slot, flow
from layout.paginate.story import body_blocks

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "editions" / "sample.yaml"


# -- headline sizes ----------------------------------------------------------------------------


def test_head_starts_step_through_the_template_sizes(prepared):
    prep, _ = prepared
    h = prep.template.headline
    sizes = sorted(set(h.sizes_by_cols.values()))
    for cols in range(1, prep.template.grid.columns + 1):
        starts = head_starts(prep.ctx, cols, lead=False)
        assert starts[0] == (None, 0)  # the width's own size first, free
        at = sizes.index(h.size_for(cols))
        expect = {(sizes[i], abs(i - at)) for i in range(at - 2, at + 3)
                  if 0 <= i < len(sizes) and i != at and sizes[i] >= h.min_size}
        assert set(starts[1:]) == expect, cols
    # A front-page lead steps through the same sizes, scaled as its nominal size is.
    lead = head_starts(prep.ctx, 4, lead=True)
    assert {s for s, _ in lead[1:]} == {s * h.lead_factor for s, _ in head_starts(prep.ctx, 4, lead=False)[1:]}


def test_head_block_honours_the_story_headline_size(prepared):
    prep, written = prepared
    ctx = prep.ctx
    story = written.stories["river-fish"]
    width = ctx.grid.span_width(8)
    nominal = head_block(ctx, story, width, 8)
    assert max(p.size for p in nominal.pieces if p.kind == "headline") == ctx.template.headline.size_for(8)
    smaller = head_block(ctx, dataclasses.replace(story, headline_size=40.0), width, 8)
    assert max(p.size for p in smaller.pieces if p.kind == "headline") == 40.0
    assert smaller.lines < nominal.lines  # a smaller headline gives back whole grid lines


def test_story_options_offer_other_headline_sizes_at_a_price(prepared):
    prep, written = prepared
    opts = story_options(prep.ctx, written.stories["night-market"])
    nominal = [o for o in opts if o.head_start is None]
    stepped = [o for o in opts if o.head_start is not None]
    assert nominal and stepped
    assert all(o.cost >= HEAD_STEP for o in stepped)
    # Sizes other than nominal reach module depths the nominal headline cannot fill exactly.
    assert {(o.cols, o.lines) for o in stepped} - {(o.cols, o.lines) for o in nominal}
    # A size the edition gives is kept: no other sizes are tried.
    fixed = dataclasses.replace(written.stories["night-market"], headline_size=30.0)
    assert all(o.head_start is None for o in story_options(prep.ctx, fixed))


def test_a_chosen_headline_size_reaches_the_story_and_the_page_key(prepared):
    prep, written = prepared
    page = written.page("A02")
    i = next(n for n, item in enumerate(page.items) if item.ref == "river-fish")
    placed = apply_decisions(written, page, [Decision(i, (1, 1, 8, 30), (), None, 48.0)])
    assert placed.stories["river-fish"].headline_size == 48.0
    assert placed.page("A02").items[i].at.cols == 8
    # An edition that gives the size (or a build for another profile) is another page.
    sized = dataclasses.replace(written, stories={**written.stories,
                                                  "river-fish": placed.stories["river-fish"]})
    assert page_key(prep.ctx, sized, page) != page_key(prep.ctx, written, page)
    profile = dataclasses.replace(prep.ctx.profile, target_ppi=prep.ctx.profile.target_ppi + 50)
    other = dataclasses.replace(prep.ctx, profile=profile)
    assert page_key(other, written, page) != page_key(prep.ctx, written, page)


# -- photos ------------------------------------------------------------------------------------


def _picture(path: Path, size: tuple[int, int]) -> Path:
    Image.new("RGB", size, (120, 130, 140)).save(path)
    return path


def test_a_photo_grows_only_as_far_as_its_pixels_keep_the_target_ppi(prepared, tmp_path):
    prep, _ = prepared
    ctx = prep.ctx
    target = ctx.profile.target_ppi
    width = ctx.grid.span_width(3)
    pitch = ctx.grid.pitch
    big = Photo(_picture(tmp_path / "big.png", (2400, 1500)), cols=3, lines=20)
    d = deepest_photo(ctx, big, width, 20)
    assert 20 < d <= 20 * (1 + PHOTO_GROW) + 1
    assert photo_ppi((2400, 1500), big, width, d, pitch) >= target
    if d < int(20 * (1 + PHOTO_GROW)):  # stopped by the resolution, not by the cap
        assert photo_ppi((2400, 1500), big, width, d + 1, pitch) < target
    # Just enough pixels for the frame as asked: not a line deeper.
    frame_w = round(width / 72 * target)
    snug = Photo(_picture(tmp_path / "snug.png", (frame_w, round(frame_w * 20 * pitch / width))), cols=3, lines=20)
    assert deepest_photo(ctx, snug, width, 20) == 20
    # Too few pixels already, an unreadable file, or no print profile: never deeper.
    small = Photo(_picture(tmp_path / "small.png", (300, 200)), cols=3, lines=20)
    assert deepest_photo(ctx, small, width, 20) == 20
    assert deepest_photo(ctx, Photo(tmp_path / "missing.jpg", cols=3, lines=20), width, 20) == 20
    assert deepest_photo(dataclasses.replace(ctx, profile=None), big, width, 20) == 20


def test_a_free_photo_is_offered_deeper_modules_only_with_the_pixels(prepared, tmp_path):
    prep, _ = prepared
    big = Photo(_picture(tmp_path / "big.png", (3000, 2000)), caption="", cols=3, lines=20)
    small = dataclasses.replace(big, file=_picture(tmp_path / "small.png", (300, 200)))
    deepest = max(o.photo_lines[0] for o in photo_options(prep.ctx, big) if o.photo_cols == 3)
    assert deepest > 20
    assert max(o.photo_lines[0] for o in photo_options(prep.ctx, small) if o.photo_cols == 3) == 20


# -- measuring ---------------------------------------------------------------------------------


def test_the_flow_memo_holds_for_slots_moved_up_or_down(prepared):
    prep, written = prepared
    blocks = body_blocks(prep.ctx, written.stories["egret-park"], float(prep.ctx.grid.column_chars))
    slots = [Slot("?", 10.0 + 100 * c, 13.0, 5, 30) for c in range(3)]
    memo: dict = {}
    first = measure(slots, blocks, memo)
    moved = [dataclasses.replace(s, first=s.first + 7) for s in slots]
    assert measure(moved, blocks, memo) is first  # taken from the memo ...
    fresh = flow(blocks, moved)  # ... and what a flow of the moved slots counts
    assert (fresh.overset_lines, fresh.underset_lines, fresh.overset_chars) == (
        first.result.overset_lines, first.result.underset_lines, first.result.overset_chars)
    # Each column moved by itself is the same room too; a column a line shorter is not.
    skewed = [moved[0]] + slots[1:]
    assert measure(skewed, blocks, memo) is first
    shorter = slots[:2] + [dataclasses.replace(slots[2], count=29)]
    assert measure(shorter, blocks, memo) is not first


# -- the search with several headline sizes per module -----------------------------------------


def _exhaustive_by_lead_size(problem: Problem) -> dict[float, float]:
    """Best score for each headline size of the lead, over every assignment of options to items
    and every guillotine tree (small problems: the items' modules stacked in some order)."""
    lead = next(i for i, p in enumerate(problem.pieces) if p.rank == 0)
    out: dict[float, float] = {}
    for size in {o.head_size for o in problem.pieces[lead].options}:
        only = tuple(dataclasses.replace(p, options=tuple(o for o in p.options if o.head_size == size))
                     if i == lead else p for i, p in enumerate(problem.pieces))
        best = exhaustive(dataclasses.replace(problem, pieces=only))
        if best is not None:
            out[size] = best
    return out


def _problem_with_sizes(seed: int) -> Problem:
    """A small page whose stories offer each module at two or three headline sizes, at prices."""
    rng = random.Random(1000 + seed)
    base = random_problem(seed)
    pieces = []
    for p in base.pieces:
        if p.rank < 0:
            pieces.append(p)
            continue
        opts = []
        for o in p.options:
            for size in rng.sample([20.0, 30.0, 40.0], rng.randint(1, 3)):
                opts.append(dataclasses.replace(o, head_size=size, cost=round(o.cost + rng.random() * 3, 2)))
        pieces.append(dataclasses.replace(p, options=tuple(opts)))
    return dataclasses.replace(base, pieces=tuple(pieces))


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("keep", [1, 2])
def test_best_layouts_equal_exhaustive_search_with_headline_sizes(seed, keep):
    """One best layout per headline size of the lead, the `keep` best of them: what the search
    prunes (by the keep-th best so far) never loses one of these."""
    problem = _problem_with_sizes(seed)
    expect = sorted(_exhaustive_by_lead_size(problem).values())[:keep]
    found = optimise(problem, keep=keep)
    # (a layout with a headline held under an earlier one's, where a run finds none that keeps the
    # sizes in order by its options alone (search._Chain), aside: the others are the exhaustive's)
    measured = [s for s in found
                if all(p.option in problem.pieces[p.item].options for p in placements(s.tree, 1, problem.top))]
    assert [s.score.total for s in measured] == pytest.approx(expect[:len(measured)])
    assert len(found) >= len(expect)
    for sol in found:
        places = placements(sol.tree, 1, problem.top)
        lead = next(p for p in places if problem.pieces[p.item].rank == 0)
        assert lead.option.head_size == sol.lead_head
        assert all(p.option.head_size <= lead.option.head_size for p in places)
        ranks = [p.rank for p in problem.pieces]
        assert score_tree(sol.tree, ranks, lambda i: problem.pieces[i].headline, problem.top).total == \
            pytest.approx(sol.score.total)


def test_no_story_outsizes_a_pinned_lead():
    lead = Piece("lead", (Option(4, 4, 0.0, head_size=30.0),), 0, pinned=(1, 1, 4, 4))
    other = Piece("b", (Option(4, 6, 0.0, head_size=40.0), Option(4, 6, 5.0, head_size=30.0)), 1)
    sol = optimise(Problem(4, 1, 10, (lead, other)))[0]
    b = next(p for p in placements(sol.tree, 1, 1) if p.item == 1)
    assert b.option.head_size == 30.0 and sol.score.items == 5.0
    # With the pinned lead's size unknown (0), the others are not held under it.
    unknown = dataclasses.replace(lead, options=(Option(4, 4, 0.0),))
    sol = optimise(Problem(4, 1, 10, (unknown, other)))[0]
    assert sol.score.items == 0.0


# -- the sample --------------------------------------------------------------------------------


def test_the_sample_fills_its_stories_better(prepared):
    """R42 counted per column on the paginated sample (issue 13): the engine before per-column
    counting left 29 stories with feet that are not level, 95 lines short in all, and the engine
    no more than that until headline sizes were kept in the list's order (issue 13: no later
    story's headline larger than an earlier one's): the stories listed after a brief on A04, A07,
    A10 and A12 have their headlines held small, some in modules measured at larger ones, and end
    a few lines short (35 stories, 132 lines). Every planned story that is not level is reported
    by name (AUTOLAYOUT-UNDERSET)."""
    prep, written = prepared
    planned = {i.ref for p in written.pages for i in p.items if i.kind == "story" and i.at is None}
    reported = {d.story for d in prep.ctx.diagnostics if d.code == "AUTOLAYOUT-UNDERSET"}
    bad, short = [], 0
    for sid, lay in prep.layout.stories.items():
        feet = part_feet(lay)
        if feet and not level_feet(feet):
            bad.append(sid)
            short += short_lines(feet)
            if sid in planned:
                assert sid in reported, (sid, feet)
    assert len(bad) <= 35 and short <= 132, (bad, short)
    assert any(s.headline_size is not None for s in prep.ctx.edition.stories.values())


def test_every_lead_carries_the_largest_headline_of_its_page(prepared):
    prep, _ = prepared
    stories = prep.layout.stories
    for page in prep.ctx.edition.pages[1:]:
        ids = [i.ref for i in page.items if i.kind == "story"]
        sizes = {sid: max(p.size for p in stories[sid].parts[0].head.pieces if p.kind == "headline")
                 for sid in ids}
        assert all(s <= sizes[ids[0]] for s in sizes.values()), (page.id, sizes)


def test_levers_are_offered_in_combination(prepared):
    """A story with a photo is offered modules over both levers at once, priced as their sum."""
    prep, written = prepared
    story = written.stories["river-fish"]
    asked = story.photos[0].lines
    both = [o for o in story_options(prep.ctx, story) if o.head_start is not None and o.photo_lines[0] != asked]
    assert both
    assert all(o.cost >= HEAD_STEP + PHOTO_LINE * abs(o.photo_lines[0] - asked) for o in both)
