"""L-shaped modules in the automatic layout (issue 13): where the fallback layout would leave a
rectangle white beside a booked box ad (or a photo) while the story beside it is short of room,
the story takes it in a module with a notch. The page is then filled, every character printed or
reported, importance kept, and the notch said per story."""

from __future__ import annotations

import pagegen
from checks import check_page
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fallback import AD_SIZES, BOTTOM, COLS, TOP, ad, story

from layout.autolayout import fallback
from layout.autolayout.fallback import _merge
from layout.frames import escapes


def cells_of(col, line, w, h, notch):
    out = {(c, r) for c in range(col, col + w) for r in range(line, line + h)}
    if notch:
        side, nc, nl = notch
        c0 = col if side == "left" else col + w - nc
        out -= {(c, r) for c in range(c0, c0 + nc) for r in range(line + h - nl, line + h)}
    return out


def test_merge_makes_only_ls_with_the_notch_at_a_bottom_corner():
    m = (1, 1, 6, 40)
    assert _merge(m, (1, 41, 4, 10)) == ((1, 1, 6, 50), ("right", 2, 10))  # under it, flush left
    assert _merge(m, (3, 41, 4, 10)) == ((1, 1, 6, 50), ("left", 2, 10))  # under it, flush right
    assert _merge(m, (1, 41, 6, 10)) == ((1, 1, 6, 50), None)  # as wide: a deeper rectangle
    assert _merge(m, (2, 41, 3, 10)) is None  # in the middle: no corner
    assert _merge(m, (7, 1, 2, 50)) == ((1, 1, 8, 50), ("left", 6, 10))  # beside it, deeper
    assert _merge(m, (7, 1, 2, 30)) == ((1, 1, 8, 40), ("right", 2, 10))  # beside it, shallower
    assert _merge(m, (7, 5, 2, 30)) is None  # beside it, not on its top line
    assert _merge(m, (1, 42, 4, 10)) is None  # not touching


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(st.integers(1, 4), st.lists(st.sampled_from(AD_SIZES), min_size=1, max_size=3), st.integers(0, 40))
def test_shaped_fallback_pages_have_no_overlap_and_keep_importance(n, ads, seed):
    items = [story(k, 200 + (97 * (k + seed)) % 700) for k in range(n)]
    for w, h in ads:
        items.append(ad(len(items), w, h))
    try:
        places, gaps, notches = fallback.layout_shaped(COLS, TOP, BOTTOM, [], items)
    except fallback.Unplaceable:
        return
    taken: dict[tuple[int, int], int] = {}
    shapes = {}
    for k, c, line, w, h in places:
        cells = cells_of(c, line, w, h, notches.get(k))
        shapes[k] = (c, line, w, h, notches.get(k))
        assert not cells & set(taken), (k, [taken[x] for x in cells & set(taken)])
        taken.update(dict.fromkeys(cells, k))
    for c, line, w, h in gaps:
        assert not cells_of(c, line, w, h, None) & set(taken)
    # every free cell is a story's, a fixed item's or a gap's: the page is tiled
    area = COLS * (BOTTOM - TOP + 1)
    assert len(taken) + sum(w * h for _c, _l, w, h in gaps) == area
    # no story stands over one listed before it (in a column they share)
    stories = sorted(k for k in shapes if items[k].story)
    for i, a in enumerate(stories):
        for b in stories[i + 1:]:
            ca, la, wa, _ha, _na = shapes[a]
            cb, lb, wb, hb, nb = shapes[b]
            for col in range(max(ca, cb), min(ca + wa, cb + wb)):
                foot = lb + hb - 1
                if nb and (col < cb + nb[1] if nb[0] == "left" else col >= cb + wb - nb[1]):
                    foot -= nb[2]
                assert not foot < la, (a, b)
    assert fallback.layout_shaped(COLS, TOP, BOTTOM, [], items) == (places, gaps, notches)


def _build(prepared, tmp_path, make, **kw):
    prep, _ = prepared
    ctx, written = pagegen.context(prep, make(tmp_path, **kw))
    return ctx, written, pagegen.lay_out(ctx)


def _front_page(folder, *, box=(2, 16)):
    """A tabloid-like front page on the broadsheet: a lead story longer than the page holds, a
    subscription box booked at its natural size on the foot's right and teasers across the foot
    under it. A rectangle story module leaves a hole beside the box; once, 4 × 10 of it stayed
    white while the lead's text ran over."""
    pages = [{"page": "A01", "masthead": True,
              "items": [{"story": "lead"}, {"ad": "subscribe", "size": {"cols": box[0], "lines": box[1]}},
                        {"teasers": ["t1", "t2"], "size": {"cols": 8, "lines": 8}}]},
             {"page": "A02", "items": [{"story": "t1"}, {"story": "t2"}]}]
    stories = {"lead": pagegen.story("lead", 9000, paras=12, subheads=4, decks=1, kicker=True,
                                     photos=[pagegen.photo(0, 4, 26)])}
    for k, s in enumerate(("t1", "t2")):
        stories[s] = pagegen.story(s, (3000, 2500)[k], start=3000 + 1500 * k)
        stories[s]["teaser"] = pagegen.han(14, 7000 + 50 * k)
    return pagegen.write(folder, pages, stories, {"subscribe": pagegen.SUBSCRIBE}, "notch-front")


def test_a_front_page_with_a_box_beside_the_lead_is_filled(prepared, tmp_path):
    ctx, written, lay = _build(prepared, tmp_path, _front_page)
    found = check_page(ctx, lay, "A01", written=written)
    page = ctx.edition.page("A01")
    lead = page.items[0].at
    box = page.items[1].at
    # the lead wraps round the box: its notch is exactly the box's corner
    assert lead.notch is not None
    assert lead.notch_cells() == (box.col, box.line, box.cols, lead.line + lead.lines - box.line)
    assert not [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-GAP" and d.page == "A01"]
    assert found["cells"] >= 0.98 * found["area"]
    said = [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-RELAXED" and d.story == "lead"]
    assert said and "L-shaped module" in said[0].message
    frame = next(p.frame for p in lay.pages if p.page.id == "A01")
    assert escapes(frame, gutter=ctx.grid.gutter) == []
    assert not [d for d in ctx.diagnostics if d.code.startswith("ITEM-OUTSIDE")]


def test_the_plan_cache_keeps_a_notch_and_checks_it():
    """A cached plan with an L-shaped module reads back with its notch; the ad in the notch is no
    overlap; a notch as wide as its module, or of an unknown side, is a damaged entry."""
    import pytest

    from layout.cache import plan_entry

    lead = [0, [1, 13, 8, 60], [], None, None, ["right", 3, 20]]
    box = [1, [6, 53, 3, 20], [], None, None]
    entry = {"decisions": [lead, box], "diagnostics": []}
    decisions, _ = plan_entry(entry, items=2, pinned={}, columns=8, lines=105, top=13)
    assert decisions[0][5] == ("right", 3, 20) and len(decisions[1]) == 5
    for bad in (["right", 8, 20], ["top", 3, 20], ["right", 3]):
        with pytest.raises(ValueError):
            plan_entry({"decisions": [lead[:5] + [bad], box], "diagnostics": []}, items=2, pinned={}, columns=8,
                       lines=105, top=13)
    with pytest.raises(ValueError):  # without its notch, the lead overlaps the box
        plan_entry({"decisions": [lead[:5], box], "diagnostics": []}, items=2, pinned={}, columns=8, lines=105, top=13)
    # a pinned L-shaped module: the engine's ad in its notch is no overlap
    decisions, _ = plan_entry({"decisions": [box], "diagnostics": []}, items=2, pinned={0: (1, 13, 8, 60)},
                              columns=8, lines=105, top=13, notched={0: ("right", 3, 20)})
    assert decisions[0][1] == (6, 53, 3, 20)


def test_a_table_over_an_ad_is_lifted_for_the_story_under_it():
    """QA e1's A05 (tabloid, 6 × 72): a short story, a 6 × 14 table and a longer story, a half-width
    3 × 10 ad at the foot. The table stood on the ad, the story after it got the 3 × 10 beside the
    ad (123 characters over) while the first story had 100 empty lines. Now the table is lifted and
    the second story takes the band under it and the cells beside the ad: an L."""
    from layout.autolayout.fallback import Item

    items = [story(0, 180), Item(1, ((6, 14),)), story(2, 90), ad(3, 3, 10)]
    places, gaps, notches = fallback.layout_shaped(6, 1, 72, [], items)
    at = {k: (c, line, w, h) for k, c, line, w, h in places}
    assert not gaps
    table, second, box = at[1], at[2], at[3]
    assert box == (4, 63, 3, 10)
    assert table[1] + table[3] <= second[1]  # the second story under the table, over and beside the ad
    assert second[2] == 6 and second[1] + second[3] - 1 == 72 and notches[2] == ("right", 3, 10)
    area = second[2] * second[3] - 30
    assert area >= 90  # room for its text now
    # the table standing on the ad, no story could take the 3 × 10 beside the ad and the band
    # under the table together: a hole, or the second story in it alone
    plain, plain_gaps = fallback.layout(6, 1, 72, [], items)
    assert (4, 49, 3, 10) in plain_gaps or (1, 63, 3, 10) in plain_gaps or \
        next(w * h for k, _c, _l, w, h in plain if k == 2) == 30, (plain, plain_gaps)


def test_an_ad_the_engine_places_goes_into_a_pinned_notch(tmp_path, monkeypatch):
    """A story pinned in an L-shaped module, its box ad booked by size only: the engine stands the
    ad in the notch (on the foot), nothing overlaps, and the pinned story is not said to be shaped
    by the engine."""
    import yaml

    from layout.build import prepare

    monkeypatch.setenv("LAYOUT_CACHE", "off")
    para = "本市今年新增公交線路十二條，市民出行更加方便。" * 5
    doc = {"paper": "測試報", "date": "2026-12-01", "issue": 1,
           "pages": [{"page": "A01", "masthead": True,
                      "items": [{"story": "s", "at": {"col": 1, "line": 13, "cols": 8, "lines": 93,
                                                      "notch": {"side": "right", "cols": 2, "lines": 16}}},
                                {"ad": "sub", "size": {"cols": 2, "lines": 16}}]},
                     {"page": "A02", "items": []}, {"page": "A03", "items": []}, {"page": "A04", "items": []}],
           "stories": {"s": {"headline": "本市公交再加碼", "body": "\n\n".join([para] * 20)}},
           "ads": {"sub": {"kind": "box", "title": "徵訂", "lines": ["全年288元"]}}}
    path = tmp_path / "pinned-notch.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    prep = prepare(path)
    page = prep.ctx.edition.page("A01")
    story, box = page.items[0].at, page.items[1].at
    assert (box.col, box.line, box.cols, box.lines) == story.notch_cells()
    codes = {d.code for d in prep.ctx.diagnostics}
    assert not codes & {"GRID-OVERLAP", "ITEM-OUTSIDE-MODULE", "AUTOLAYOUT-GAP", "AUTOLAYOUT-NO-LAYOUT"}, codes
    assert not [d for d in prep.ctx.diagnostics if d.code == "AUTOLAYOUT-RELAXED" and d.story == "s"]


def test_the_search_gives_the_hole_beside_an_ad_to_the_story_over_it(prepared, tmp_path):
    """Two stories over a 3 × 15 box ad booked at the foot's right: no guillotine layout of the
    stories' modules tiles the page round it, and the fallback layout ran the second story 221
    characters over. The search with a hole beside the ad (plan._notched_search) lays the page out
    with the second story in an L round the ad: nothing over, no hole, the page full."""
    from layout.autolayout.plan import plan_page

    prep, _ = prepared
    spec = (2, [3108, 3548], [], [(3, 15)], "none", True, False, "none")
    ctx, written = pagegen.context(prep, pagegen.generated(tmp_path, *spec))
    plan = plan_page(ctx, written, written.page("A02"))
    assert plan.best.places is not None and not plan.best.fallback  # the search's layout, not the fallback's
    assert not any(p.option.overset_chars for p in plan.placements())
    assert plan.fill() == 1.0 and not plan.gaps
    second = next(p for p in plan.placements() if plan.problem.pieces[p.item].name == "story s1")
    assert second.option.notch == ("right", 3, 15)
    lay = pagegen.lay_out(ctx)
    found = check_page(ctx, lay, "A02", written=written)
    assert found["cells"] == found["area"]
    assert not [d for d in ctx.diagnostics if d.code in ("AUTOLAYOUT-OVERSET", "AUTOLAYOUT-GAP") and d.page == "A02"]
    said = [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-RELAXED" and d.story == "s1"]
    assert said and "L-shaped module" in said[0].message and "fallback" not in said[0].message
