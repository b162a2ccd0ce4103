"""Cheaper automatic layout (issues 13 and 18) changes nothing but the time it takes:

- the memos of layout/autolayout/measure.py give what measuring afresh gives (a trial measured at a
  depth = the flow of the module cut there; options made with memos kept between passes = options
  made with none);
- pages planned ahead on both cores (plan.planned_ahead) get the plans, modules and diagnostics
  that planning every page in order gives, and the pages that depend on another's plan (a
  continuation, anything from a `jump: auto` page on) are left to be planned in order."""

from __future__ import annotations

import dataclasses
import os

import pagegen
import pytest

from layout.autolayout import measure as measured
from layout.autolayout import parallel
from layout.autolayout import plan as planmod
from layout.autolayout.estimate import _clip, _measure_at, measure, story_options
from layout.cache import JsonCache
from layout.model.edition import At
from layout.paginate.story import body_blocks, layout_part


def _story(prepared, sid="river-fish"):
    prep, written = prepared
    return prep.ctx, written.stories[sid]


def test_a_trial_measures_what_a_fresh_flow_measures(prepared):
    ctx, story = _story(prepared)
    g = ctx.grid
    blocks = body_blocks(ctx, story, float(g.column_chars))
    for cols in (2, 3, 5):
        part = layout_part(dataclasses.replace(ctx, diagnostics=type(ctx.diagnostics)()), story, "?",
                           At(1, 1, cols, g.lines), lead=False, continued_from=None, jump_to=None, module_index=0)
        for jump in (False, True):
            memo: dict = {}
            trial = measured.trial(memo, [], part.slots, jump, blocks)
            assert measured.trial(memo, [], list(part.slots), jump, blocks) is trial  # one per layout
            for depth in range(part.head.lines + 1, g.lines + 1, 7):
                got = trial.at(depth)
                fresh = measure(_clip(part.slots, depth, jump), blocks)
                assert (got.result.overset_lines, got.result.overset_chars, got.result.underset_lines,
                        got.feet, got.level, got.short) == \
                       (fresh.result.overset_lines, fresh.result.overset_chars, fresh.result.underset_lines,
                        fresh.feet, fresh.level, fresh.short)
                # and estimate._measure_at shares the trial's flows (one flow per room)
                assert _measure_at([], part.slots, depth, jump, blocks, memo) is got


def test_options_with_memos_kept_between_passes_are_options_made_afresh(prepared):
    ctx, story = _story(prepared)
    memo: dict = {}
    for relaxed in (0, 1, 2):
        kept = story_options(ctx, story, relaxed=relaxed, memo=memo)
        assert kept == story_options(ctx, story, relaxed=relaxed, memo={})
        assert kept


@pytest.mark.parametrize("sid, lead, jump", [("derby-final", True, None), ("museum-night", False, "A09")])
def test_walks_kept_in_a_trial_give_the_options_made_afresh(prepared, sid, lead, jump):
    # estimate._walk keeps each trial's walk by its arguments: passes in any order, and headline
    # sizes that give the same head block (the same trial), get what a fresh measure gives.
    ctx, story = _story(prepared, sid)
    memo: dict = {}
    for relaxed in (2, 0, 1, 2):
        kept = story_options(ctx, story, lead=lead, jump_to=jump, relaxed=relaxed, memo=memo)
        assert kept == story_options(ctx, story, lead=lead, jump_to=jump, relaxed=relaxed, memo={})
    assert any(t.walks for k, t in memo.items() if k[0] == "trial")


def _edition(tmp_path):
    """Five pages: A02–A04 independent, A05 holds the continuation of A02's lead (planned after
    it), A06 a `jump: auto` story, A07 after it."""
    st = pagegen.story
    stories = {
        "a1": st("a1", 2600, start=100, photos=[pagegen.photo(0, 3, 18)], jump="A05"),
        "a2": st("a2", 1500, start=900), "a3": st("a3", 1200, start=1800),
        "b1": st("b1", 2400, start=2600, photos=[pagegen.photo(1, 3, 16)]), "b2": st("b2", 1700, start=3400),
        "c1": st("c1", 3000, start=4200), "c2": st("c2", 1100, start=5100),
        "d1": st("d1", 1800, start=6000), "e1": st("e1", 2600, start=6900, jump="auto"),
        "e2": st("e2", 1500, start=7700), "f1": st("f1", 2000, start=8500),
    }
    pages = [{"page": "A02", "items": [{"story": s} for s in ("a1", "a2", "a3")]},
             {"page": "A03", "items": [{"story": "b1"}, {"story": "b2"}]},
             {"page": "A04", "items": [{"story": "c1"}, {"story": "c2"}]},
             {"page": "A05", "items": [{"continued": "a1"}, {"story": "d1"}]},
             {"page": "A06", "items": [{"story": "e1"}, {"story": "e2"}]},
             {"page": "A07", "items": [{"story": "f1"}]}]
    return pagegen.write(tmp_path, pages, stories, name="pages")


def _planned(prepared, path):
    prep, _ = prepared
    ctx, _ = pagegen.context(prep, path)
    edition, plans = planmod.plan_edition(ctx)
    placed = [(p.id, [(i.kind, i.ref, i.at) for i in p.items]) for p in edition.pages]
    said = [(d.code, d.severity, d.message, d.page, d.story) for d in ctx.diagnostics]
    sols = [(pl.page, pl.level, [(s.score, s.lead_head, pl.placements(s)) for s in pl.solutions]) for pl in plans]
    return placed, said, sols, {sid: s.headline_size for sid, s in edition.stories.items()}


def test_pages_planned_on_both_cores_are_the_pages_planned_in_order(prepared, tmp_path, monkeypatch):
    path = _edition(tmp_path)
    prep, _ = prepared
    ctx, written = pagegen.context(prep, path)
    assert [p.id for p in planmod.independent(written)] == ["A02", "A03", "A04"]

    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # the machine running the tests may have one core
    monkeypatch.delenv("LAYOUT_NO_FORK", raising=False)
    ahead, read = planmod.planned_ahead(ctx, written, None)
    assert sorted(ahead) == ["A02", "A03", "A04"] and read == {}  # A03 made in the child
    for pid, plan in ahead.items():
        alone = planmod.plan_page(ctx, written, written.page(pid))
        assert (plan.level, plan.solutions, plan.problem, plan.gaps) == \
               (alone.level, alone.solutions, alone.problem, alone.gaps)
    both = _planned(prepared, path)

    # With the plan cache: a page it holds is taken from it (read once), the others planned ahead.
    cache = JsonCache(tmp_path / "cache", "autolayout")
    planmod.plan_edition(pagegen.context(prep, path)[0], cache)
    a03 = planmod.page_key(ctx, written, written.page("A03"))
    for key in {planmod.page_key(ctx, written, p) for p in written.pages} - {a03}:
        cache._path(key).unlink(missing_ok=True)  # the cache holds A03's plan only
    ahead, read = planmod.planned_ahead(ctx, written, cache)
    assert read["A03"] is not None and "A03" not in ahead

    monkeypatch.setenv("LAYOUT_NO_FORK", "1")
    assert planmod.planned_ahead(ctx, written, None) == ({}, {})
    assert _planned(prepared, path) == both


def test_a_child_that_fails_leaves_the_work_to_the_parent(capfd):
    child = parallel.start(lambda: 1 // 0)
    if child is None:
        pytest.skip("no fork on this system")
    assert parallel.finish(child) is None
    assert "ZeroDivisionError" in capfd.readouterr().err
    ok = parallel.start(lambda: {"A02": (1, 2.5)})
    assert parallel.finish(ok) == {"A02": (1, 2.5)}
