"""The optimiser's plans kept between builds: a page whose inputs are unchanged takes the earlier
decisions (same modules, same diagnostics); a change to a story on it searches again."""

import shutil
from dataclasses import replace
from pathlib import Path

from layout.autolayout.plan import page_key, plan_edition
from layout.build import prepare
from layout.cache import JsonCache
from layout.model import load_edition

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "editions" / "sample.yaml"


def _placed(edition):
    return [(p.id, [(i.kind, i.ref, i.at.col, i.at.line, i.at.cols, i.at.lines) for i in p.items])
            for p in edition.pages]


def test_a_cached_plan_gives_the_same_pages_and_diagnostics(sample_cold, tmp_path, monkeypatch):
    # The sample prepared with no cache (the optimiser's own answer) and into an empty cache folder
    # (which fills it): made once per run for this and tests/robust/test_cache_damage.py
    # (tests/conftest.py); the filled folder is copied here, so reading it leaves it as it was.
    cold = sample_cold["off"]["placed"]
    cold_said = sorted((code, page, message) for code, _, page, message in sample_cold["off"]["said"]
                       if code.startswith("AUTOLAYOUT"))
    first = sample_cold["filled"]  # filled the cache
    shutil.copytree(sample_cold["cache"], tmp_path, dirs_exist_ok=True)
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path))
    files = list((tmp_path / "autolayout").rglob("*.json"))
    assert len(files) == 11  # one plan per inside page
    second = prepare(SAMPLE)  # reads it
    assert first["placed"] == cold == _placed(second.ctx.edition)
    # The headline sizes the optimiser chose come back from the cache too.
    heads = sample_cold["off"]["heads"]
    assert any(v is not None for v in heads.values())
    assert {sid: s.headline_size for sid, s in second.ctx.edition.stories.items()} == heads
    said = sorted((d.code, d.page, d.message) for d in second.ctx.diagnostics if d.code.startswith("AUTOLAYOUT"))
    assert said == cold_said


def test_editing_a_story_invalidates_only_its_page(tmp_path):
    cache = JsonCache(tmp_path, "autolayout")
    prep = prepare(SAMPLE)
    ctx = prep.ctx

    roots = [(SAMPLE.parent / r).resolve() for r in prep.template.asset_roots]
    written = load_edition(SAMPLE, asset_roots=roots, page_count=12, grid=(8, 105))
    ctx.edition = written
    plan_edition(ctx, cache)

    keys = {p.id: page_key(ctx, written, p) for p in written.pages[1:]}
    story = written.stories["river-fish"]
    edited = replace(written, stories={**written.stories, "river-fish": replace(story, headline=story.headline + "！")})
    changed = {p.id for p in edited.pages[1:] if page_key(ctx, edited, p) != keys[p.id]}
    assert changed == {"A02"}
    assert cache.load(keys["A03"]) is not None
