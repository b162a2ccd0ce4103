"""Overfull pages (issue 13): items are listed in order of importance, so a page that holds more
text than fits, its stories without `jump:`, prints the earlier-listed stories whole and cuts the
later ones, the last-listed first, each cut reported (AUTOLAYOUT-OVERSET with its characters and
lines). Checked on generated overfull pages (no pins, no jumps; photos, booked ads, a masthead
or not) and on the tabloid page that showed it: the 2nd of 5 stories was cut by 1 099 characters
while the 3rd, beside it, fitted whole.

"Could have given room": a later story printed whole whose module borders the cut story's along
a whole side (the two make a rectangle, so the cut between them could move) and is larger than
its least module there (its head block as set and BODY_LINES lines of text)."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

import pagegen
import pytest
import yaml
from checks import check_page
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from layout.build import prepare

AD_SIZES = [(2, 20), (2, 26), (3, 15), (4, 12), (8, 10), (6, 10)]


BODY_LINES = 3  # lines of text a module holds at least under its head block (fallback.BODY_LINES)


def _gives_room(lay, early, late) -> bool:
    """Whether the later story (page item `late`) borders the earlier one along a whole side and
    could give it a line or a column, keeping its head block (as set, with its photo) and
    BODY_LINES lines of text under it."""
    a, b = early.at, late.at
    if a.notch is not None or b.notch is not None:
        return False
    part = lay.stories[late.ref].parts[0]
    head = max(sl.first for sl in part.slots) - b.line  # lines above its text, in its deepest column
    if a.col == b.col and a.cols == b.cols and (b.line == a.line + a.lines or a.line == b.line + b.lines):
        return b.lines - 1 >= head + BODY_LINES  # stacked: the cut between them moves a line
    if a.line == b.line and a.lines == b.lines and (b.col == a.col + a.cols or a.col == b.col + b.cols):
        # side by side: a column of the later one to the earlier (its head block then a few lines
        # deeper, its photo no wider than what is left)
        widest = max((p.cols for p in lay.stories[late.ref].story.photos), default=1)
        return b.cols - 1 >= widest and b.lines >= head + BODY_LINES + 4
    return False


def check_overset_order(ctx, lay, page_id: str) -> int:
    """No story on the page is overset while a later-listed story is printed whole and could have
    given it room; every cut reported with its characters and lines. Returns the stories overset."""
    page = ctx.edition.page(page_id)
    listed = [(n, i) for n, i in enumerate(page.items) if i.kind == "story" and i.ref in lay.stories]
    over = {i.ref: lay.stories[i.ref].result.overset_chars for _, i in listed}
    for x, (_, early) in enumerate(listed):
        chars = over[early.ref]
        if not chars:
            continue
        said = [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-OVERSET" and d.story == early.ref]
        assert said and f"by {chars} characters" in said[0].message and "lines" in said[0].message, \
            (early.ref, chars, [d.message for d in said])
        for _, late in listed[x + 1:]:
            if over[late.ref]:
                continue
            assert not _gives_room(lay, early, late), \
                f"{page_id}: {early.ref} is over by {chars} characters while {late.ref}, listed after it, is " \
                f"whole beside it ({early.at} / {late.at})"
    return sum(1 for v in over.values() if v)


def _laid_out(prep, path: Path, page_id: str):
    ctx, written = pagegen.context(prep, path)
    lay = pagegen.lay_out(ctx)
    check_page(ctx, lay, page_id, written=written)
    return ctx, written, lay


@st.composite
def overfull_pages(draw):
    n = draw(st.integers(3, 7))
    chars = draw(st.lists(st.integers(1500, 5000), min_size=n, max_size=n))
    assume(sum(chars) > 11_000)  # more than a broadsheet page of 8 × 105 lines of 12 holds
    photos = draw(st.integers(0, min(3, n)))
    with_photo = draw(st.lists(st.integers(0, n - 1), min_size=photos, max_size=photos, unique=True))
    ads = draw(st.lists(st.sampled_from(AD_SIZES), max_size=2))
    masthead = draw(st.booleans())
    return n, chars, with_photo, ads, "none", False, masthead


def test_overfull_pages_cut_their_last_listed_stories(prepared):
    prep, _ = prepared
    seen = []

    # Derandomized, as the other property tests (LAYOUT_EXPLORE=1 for other pages); pages that do
    # not overflow are generated too and only checked to be complete.
    @settings(max_examples=int(os.environ.get("LAYOUT_EXAMPLES", 16)), deadline=None,
              suppress_health_check=[HealthCheck.too_slow], database=None,
              phases=[Phase.generate], derandomize=not os.environ.get("LAYOUT_EXPLORE"))
    @given(overfull_pages())
    def check(spec):
        with tempfile.TemporaryDirectory() as tmp:
            path = pagegen.generated(Path(tmp), *spec)
            ctx, written, lay = _laid_out(prep, path, "A02")
            seen.append(check_overset_order(ctx, lay, "A02"))

    check()
    assert sum(1 for s in seen if s) >= len(seen) * 3 // 4  # overfull pages, as meant


# Pages that failed before (each its own test): the 4th of 5 stories over by 1 776 characters in
# 2 × 13 over the 5th, whole in 2 × 64 under it
ONCE_FAILED = [(5, [2755, 4012, 2497, 1994, 1501], [1], [], "none", False, True)]


@pytest.mark.parametrize("spec", ONCE_FAILED)
def test_pages_that_once_cut_an_earlier_story(prepared, spec):
    with tempfile.TemporaryDirectory() as tmp:
        path = pagegen.generated(Path(tmp), *spec)
        ctx, _, lay = _laid_out(prepared[0], path, "A02")
        assert check_overset_order(ctx, lay, "A02")


# The tabloid page of the issue: five stories, the first short, the rest about 1 800 characters
# each, on a 6-column page that holds about half of them.
TABLOID = (382, 1764, 1856, 1860, 2080)


def _tabloid(folder: Path) -> Path:
    ids = [f"t{k}" for k in range(len(TABLOID))]
    pages = [{"page": "A02", "items": [{"story": s} for s in ids]}, {"page": "A03", "items": [{"story": "other"}]}]
    stories = {s: pagegen.story(s, c, start=500 + 2100 * k, headline=pagegen.han(6 + k % 3, 40 + 300 * k))
               for k, (s, c) in enumerate(zip(ids, TABLOID, strict=True))}
    stories["other"] = pagegen.story("other", 1500, start=9000)
    path = pagegen.write(folder, pages, stories, name="tabloid")
    doc = yaml.safe_load(path.read_text("utf-8"))
    doc["template"] = "tabloid"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_the_tabloid_page_cuts_its_last_stories(tmp_path):
    path = _tabloid(tmp_path)
    prep = prepare(path, layout=False)  # the tabloid's own template and grid (6 columns, 72 lines)
    ctx = dataclasses.replace(prep.ctx, plans=None)
    written = ctx.edition
    lay = pagegen.lay_out(ctx)
    check_page(ctx, lay, "A02", written=written)
    assert check_overset_order(ctx, lay, "A02")  # overfull, and cut from the end
    over = [lay.stories[f"t{k}"].result.overset_chars for k in range(len(TABLOID))]
    assert over[:2] == [0, 0], over  # the first two whole (before: the second cut by 1 099 characters)
    assert over[-1] > 0, over
