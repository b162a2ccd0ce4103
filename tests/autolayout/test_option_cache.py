"""Stories' options kept in the build cache (layout/autolayout/optcache.py) plan every page as
measuring them does: the sample's inside pages planned with no cache, with a cache being filled
and with every story's options read back give the same plans, option for option; and a page
re-planned after one story's edit measures that story alone."""

from __future__ import annotations

import dataclasses

from planrecord import plan_record

import layout.autolayout.estimate as estimate
from layout.autolayout.plan import needs_layout, plan_page
from layout.paginate.typeset import TextSetter


def _plans(prepared, edition=None) -> dict[str, dict]:
    prep, written = prepared
    edition = edition or written
    out = {}
    for page in edition.pages:
        if needs_layout(page):
            ctx = dataclasses.replace(prep.ctx, setter=TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style))
            out[page.id] = plan_record(plan_page(ctx, edition, page), options=True)
    return out


def test_plans_from_kept_options_are_the_plans_measured(prepared, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    measured = _plans(prepared)
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    filling = _plans(prepared)
    assert filling == measured
    assert list((tmp_path / "cache" / "story-options").rglob("*.json"))
    calls = []
    real = estimate.story_options

    def counted(ctx, story, **kw):
        calls.append(story.id)
        return real(ctx, story, **kw)

    monkeypatch.setattr(estimate, "story_options", counted)
    import layout.autolayout.plan as plan

    monkeypatch.setattr(plan, "story_options", counted)
    kept = _plans(prepared)
    assert kept == measured
    assert calls == []  # every horizontal story's options came from the cache

    # one story edited: its page measures that story again, and no other
    _, written = prepared
    page = next(p for p in written.pages if needs_layout(p) and sum(i.kind == "story" for i in p.items) > 2)
    sid = next(i.ref for i in page.items if i.kind == "story" and i.at is None
               and written.stories[i.ref].direction != "vertical")
    story = written.stories[sid]
    first = story.paragraphs[0]
    edited = dataclasses.replace(story, paragraphs=(dataclasses.replace(first, text=first.text + "再"),
                                                    *story.paragraphs[1:]))
    assert edited != story
    edition = dataclasses.replace(written, stories={**written.stories, sid: edited})
    prep, _ = prepared
    ctx = dataclasses.replace(prep.ctx, setter=TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style))
    plan_page(ctx, edition, edition.page(page.id))
    assert calls and set(calls) == {sid}


def test_an_l_shaped_option_reads_back_as_kept():
    """Options of the fallback's L-shaped modules carry a notch (side, cols, lines): kept and read
    back like the rest (the reader refused every entry once options had a notch field, so the cache
    never answered), and a notch of another shape is refused."""
    import pytest

    from layout.autolayout.estimate import Option
    from layout.autolayout.optcache import _FIELDS, _checked

    def spelled(o):
        return [list(v) if isinstance(v, tuple) else v for v in (getattr(o, n) for n in _FIELDS)]

    kept = [Option(4, 30, 12.5, 36.0, notch=("right", 2, 10), feet=(0, 1)), Option(3, 20, 1.0)]
    assert _checked([spelled(o) for o in kept]) == kept
    bad = spelled(kept[0])
    bad[_FIELDS.index("notch")] = ["middle", 2, 10]
    with pytest.raises(ValueError):
        _checked([bad])
