"""Property tests on generated pages (issue 13): 1–7 stories of 150–5 000 Han characters, 0–3
photos, 0–3 booked ads (and a box ad or teasers the engine sizes), the lead, the second story or
an ad pinned or nothing, with and without a jump, sometimes one story set vertically. Every item placed on the grid
without overlap, every character printed or reported overset, the page filled or the shortfall
reported per story, importance kept, the same input the same layout."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

import pagegen
import pytest
from checks import check_page
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from layout.autolayout.plan import apply, plan_page

AD_SIZES = [(2, 20), (2, 26), (3, 15), (4, 12), (8, 10), (5, 25), (6, 10)]


def placed(edition, plan, page_id: str) -> tuple:
    """The page's placed items and their stories (photo depths, headline sizes): `edition` as
    laid out, or with `plan` applied to it (the items it could not place left out, as the build
    leaves them out of what pagination sees)."""
    if plan is not None:
        edition = apply(edition, edition.page(page_id), plan)
    items = tuple(i for i in edition.page(page_id).items if i.at is not None)
    return items, tuple(edition.stories[i.ref] for i in items if i.kind == "story")


@st.composite
def pages(draw):
    n = draw(st.integers(1, 7))
    chars = draw(st.lists(st.integers(150, 5000), min_size=n, max_size=n))
    photos = draw(st.integers(0, min(3, n)))
    with_photo = draw(st.lists(st.integers(0, n - 1), min_size=photos, max_size=photos, unique=True)) if n else []
    ads = draw(st.lists(st.sampled_from(AD_SIZES), max_size=3))
    pin = draw(st.sampled_from(["none", "lead", "second", "ad"]))
    jump = draw(st.booleans())
    masthead = draw(st.booleans())
    extra = draw(st.sampled_from(["none", "box", "teasers"]))
    # one story in four pages set vertically (issue 16), any of them
    vertical = draw(st.sampled_from([-1, -1, -1, draw(st.integers(0, n - 1))]))
    return n, chars, with_photo, ads, pin, jump, masthead, extra, vertical


def check_generated(prep, spec) -> None:
    """The generated page `spec` (see pagegen.generated) planned and paginated as a build does, and
    checked: complete, on the grid, filled or the shortfall reported, importance kept; planned
    again, the same layout."""
    with tempfile.TemporaryDirectory() as tmp:
        path = pagegen.generated(Path(tmp), *spec)
        ctx, written = pagegen.context(prep, path)
        lay = pagegen.lay_out(ctx)
        no_room = [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-NO-LAYOUT"]
        if no_room:
            # only when the fixed areas cannot all be placed
            assert spec[3] and "no room for" in no_room[0].message, no_room[0].message
            return
        for page in ("A02", "A03"):
            check_page(ctx, lay, page, written=written)
        # the same input, the same layout: planned again here, A02 comes out as the build placed it
        # (which may have planned it in a forked child, see plan.planned_ahead)
        again = plan_page(ctx, written, written.page("A02"))
        # (a story whose continuation slot the build left out, all of it fitting its first page,
        # jumps nowhere in the built edition: JUMP-UNUSED; its modules are the same)
        unused = {d.story for d in ctx.diagnostics if d.code == "JUMP-UNUSED"}

        def same_jumps(got: tuple) -> tuple:
            items, stories = got
            return items, tuple(dataclasses.replace(s, jump=None) if s.id in unused else s for s in stories)

        assert same_jumps(placed(written, again, "A02")) == same_jumps(placed(ctx.edition, None, "A02"))


# Pages that once failed, each a test of its own (xdist spreads them over the cores).
ONCE_FAILED = [
    # a pinned lead left overset (reported by copyfit, not the engine); a fallback page whose wide
    # second story out-sized the lead's headline
    (6, [2115, 444, 150, 589, 4124, 1141], [2, 4, 1], [(8, 10), (2, 20), (6, 10)], "lead", False, True),
    (3, [568, 301, 4914], [], [(3, 15)], "ad", False, False),
    (2, [2265, 511], [1, 0], [], "lead", True, False),  # a pinned lead's headline
    # fallback pages whose ads left a hole under a wide ad (beside the one it stands on): the hole
    # went to the third story, under the fourth or fifth ("s4 stands over s2"; the 7-story page is
    # the one that had the generator capped at 5 stories)
    (7, [2738, 318, 1206, 1688, 2264, 180, 154], [2, 1, 5], [(4, 12), (8, 10)], "ad", False, True),
    (6, [3166, 3983, 4340, 4718, 557, 1530], [5, 4], [(3, 15), (8, 10)], "ad", True, False),
    (6, [3929, 4494, 2197, 4164, 2436, 4230], [5, 3], [(3, 15), (8, 10), (5, 25)], "ad", False, True),
    # a pinned second story's headline (fitted by pagination in its module) larger than the lead's
    (7, [2347, 2923, 3362, 4216, 759, 2444, 1716], [], [(8, 10), (2, 26), (6, 10)], "second", False, True, "none"),
    (5, [3451, 481, 4199, 3324, 911], [1, 4, 3], [(5, 25), (4, 12)], "second", False, False, "teasers"),
    # a staircase of ads left one-column slivers: the lead in one of them, its photo wider than it,
    # all of it over and its headline (at its width's size) under the next story's
    (3, [1197, 1556, 3141], [2, 1, 0], [(5, 25), (6, 10)], "none", False, True, "box"),
    # a later story's headline larger than an earlier one's that is not the lead's (issue 13): the
    # search's (the third story wide at 32 pt under a pinned lead, beside the second at 18), the
    # fallback's (the fourth and fifth at 44 pt after two at 24) and an overset page's
    (3, [1977, 3821, 3251], [0, 1, 2], [], "lead", True, True, "none"),
    (5, [4817, 1537, 1816, 625, 1446], [2], [(2, 20), (8, 10)], "ad", False, True, "teasers"),
    (5, [4471, 4141, 4749, 150, 468], [2, 4, 1], [], "ad", True, False, "teasers"),
    # ... and one whose third story's one-column module is too small for its headline block: set
    # smaller than the size its option named (20 pt, not 52), the later ones were held under 52
    (5, [3816, 2160, 231, 257, 690], [4, 2, 0], [(2, 20), (8, 10), (3, 15)], "ad", True, True, "box", -1),
]


@pytest.mark.parametrize("spec", ONCE_FAILED, ids=[f"{s[0]}-stories-{n}" for n, s in enumerate(ONCE_FAILED)])
def test_pages_that_once_failed(prepared, spec):
    check_generated(prepared[0], spec)


def test_generated_pages_always_come_out_complete(prepared):
    prep, _ = prepared

    # The prepared build stays out of hypothesis's arguments (it would print all of it).
    # No shrinking: a page takes about a second, and the failing page itself says enough.
    # Derandomized: the suite's pages are the same on every run (CI must not fail on a page no one
    # has seen); explore others with LAYOUT_EXPLORE=1 (and LAYOUT_EXAMPLES=n for more of them).
    # 40 pages: about a minute of one core (a page ~0.8 s planned and paginated, ~0.5 s planned again).
    @settings(max_examples=int(os.environ.get("LAYOUT_EXAMPLES", 40)), deadline=None,
              suppress_health_check=[HealthCheck.too_slow], database=None,
              phases=[Phase.generate], derandomize=not os.environ.get("LAYOUT_EXPLORE"))
    @given(pages())
    def check(spec):
        check_generated(prep, spec)

    check()
