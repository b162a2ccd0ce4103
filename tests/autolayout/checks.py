"""What every automatically laid out page must satisfy (issue 13), checked on the planned edition
and its pagination: the tests of the realistic pages and the property tests share these."""

from __future__ import annotations

from layout.autolayout import vertical
from layout.autolayout.estimate import level_feet, part_feet
from layout.report import story_chars  # report.json's count: the paragraphs and the dateline


def check_page(ctx, lay, page_id: str, *, fill: float = 0.98, written=None) -> dict:
    """Every listed item placed inside the live area without overlap; every character of every
    story printed or reported overset (by story, with the count); the page filled or the shortfall
    reported per story (or as a gap); importance kept. Returns what the tests may look at further."""
    g = ctx.grid
    page = ctx.edition.page(page_id)
    top = ctx.template.masthead_lines + 1 if page.masthead else 1
    diags = [d for d in ctx.diagnostics if d.page == page_id or d.story in {i.ref for i in page.items}]
    codes = {d.code for d in diags}
    assert "AUTOLAYOUT-NO-LAYOUT" not in codes, [d.message for d in diags]
    cells: dict[tuple[int, int], int] = {}
    for n, item in enumerate(page.items):
        a = item.at
        assert a is not None, (page_id, item)
        for col, first, w, h in a.rects():  # an L-shaped module's notch is not its own (issue 13)
            for c in range(col, col + w):
                for line in range(first, first + h):
                    assert 1 <= c <= g.columns and top <= line <= g.lines, (page_id, item.ref, a)
                    assert (c, line) not in cells, f"{page_id}: {item.ref or item.kind} overlaps item {cells[(c, line)]}"
                    cells[(c, line)] = n
    pinned = set()
    if written is not None:
        pinned = {n for n, i in enumerate(written.page(page_id).items) if i.at is not None}
        # pinned items never move
        for n in pinned:
            was, now = written.page(page_id).items[n].at, page.items[n].at
            assert (was.col, was.line, was.cols, was.lines) == (now.col, now.line, now.cols, now.lines), \
                (page_id, page.items[n].ref, was, now)
    check_foot(ctx, page_id, cells, pinned)
    # every character printed or reported (a pinned story's overset by pagination's copyfit, in
    # report.json; a planned one's also by the engine, with the count)
    for n, item in enumerate(page.items):
        if item.kind not in ("story", "continued") or n in pinned:
            continue
        sid = item.ref
        layout = lay.stories[sid]
        story = ctx.edition.stories[sid]
        r = layout.result
        assert r.chars_set + r.overset_chars == story_chars(story), sid
        last_page = layout.parts[-1].page
        if r.overset_chars and last_page == page_id:
            said = [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-OVERSET" and d.story == sid]
            assert said, (sid, r.overset_chars)
        assert not any(d.code == "STORY-NOT-PLACED" and d.story == sid for d in ctx.diagnostics), sid
    engine = len(pinned) < len(page.items)  # the engine placed something here
    # filled, or the shortfall reported
    area = g.columns * (g.lines - top + 1)
    if engine and len(cells) < fill * area:
        assert codes & {"AUTOLAYOUT-GAP", "AUTOLAYOUT-UNDERSET"}, (page_id, len(cells), area)
    for n, item in enumerate(page.items):
        if item.kind in ("story", "continued") and item.ref in lay.stories and n not in pinned:
            layout = lay.stories[item.ref]
            index = 0 if item.kind == "story" else len(layout.parts) - 1
            if layout.parts[index].page != page_id or index != len(layout.parts) - 1:
                continue
            if layout.story.direction == "vertical":
                # its white space is in its last band (layout/autolayout/vertical.short_lines)
                short = vertical.short_lines(ctx, layout, index) is not None
            else:
                feet = part_feet(layout, index)
                short = bool(feet) and not level_feet(feet)
            if short:
                assert any(d.code == "AUTOLAYOUT-UNDERSET" and d.story == item.ref for d in diags), item.ref
    check_importance(ctx, lay, page_id, pinned)
    return {"codes": codes, "cells": len(cells), "area": area, "diagnostics": diags}


def check_foot(ctx, page_id: str, cells: dict, pinned: set[int] = frozenset()) -> None:
    """Ads and teasers the engine placed stand on the foot of the page or on another ad or the
    teasers (in at least one of their columns: an ad wider than the one it stands on may leave a
    hole beside it, which a story takes)."""
    page = ctx.edition.page(page_id)
    foot = {n for n, i in enumerate(page.items) if i.kind in ("ad", "teasers")}
    for n in foot - set(pinned):
        a = page.items[n].at
        below = a.line + a.lines
        if below > ctx.grid.lines:
            continue
        under = {cells.get((c, below)) for c in range(a.col, a.col + a.cols)}
        assert under & foot, f"{page_id}: {page.items[n].ref or 'teasers'} stands on no foot item: {a}"


def check_importance(ctx, lay, page_id: str, pinned: set[int] = frozenset()) -> None:
    """The first story takes the top line and the largest headline, no later story's headline is
    larger than an earlier one's; no story stands over one listed before it (stacked in the same
    columns). Pinned items (indexes in `pinned`) are where
    the edition put them and are left out."""
    page = ctx.edition.page(page_id)
    top = ctx.template.masthead_lines + 1 if page.masthead else 1
    listed = [i for n, i in enumerate(page.items) if i.kind in ("story", "continued") and n not in pinned]
    stories = [i for i in page.items if i.kind == "story"]
    if not stories:
        return
    first = next((i for i in page.items if i.kind in ("story", "continued")), None)
    if first is not None and page.items.index(first) not in pinned:
        assert first.at.line == top, (page_id, first.ref)

    def head(sid):
        part = lay.stories[sid].parts[0]
        if lay.stories[sid].story.direction == "vertical" or part.head.pieces == ():
            # a vertical headline (or any headline standing in columns at the module's right) is
            # set as runs of the part's items, not as pieces of its head block
            return max((getattr(it, "size", 0.0) for it in part.items
                        if getattr(getattr(it, "source", None), "kind", None) == "headline"), default=0.0)
        return max((p.size for p in part.head.pieces if p.kind == "headline"), default=0.0)

    lead = head(stories[0].ref)
    for s in stories[1:]:
        assert head(s.ref) <= lead + 1e-6, (page_id, s.ref, head(s.ref), lead)
    # ... and no later story's headline larger than an earlier one's: sizes never grow down the list
    # (pinned stories too: the engine holds their headlines under the earlier ones')
    sizes = [(s.ref, head(s.ref)) for s in stories]
    for k, (ref, size) in enumerate(sizes):
        for early, was in sizes[:k]:
            assert not (size and was and size > was + 1e-6), f"{page_id}: {ref}'s headline ({size:g} pt) is larger " \
                f"than {early}'s ({was:g} pt), listed before it"
    for i, early in enumerate(listed):
        for late in listed[i + 1:]:
            a, b = early.at, late.at
            # in each column they share, the later may not end above the earlier's top (an
            # L-shaped module's columns over its notch end above it)
            for c in range(max(a.col, b.col), min(a.col + a.cols, b.col + b.cols)):
                assert not b.last_line(c - b.col) < a.line, f"{page_id}: {late.ref} stands over {early.ref}"
