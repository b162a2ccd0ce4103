"""The fallback layout's least modules (issue 13): a story is never given a module shallower than
its head block (kicker, headline, decks, byline, its first photo) and a few lines of text under
it. Before, the least module was a constant 8 lines (and 12 lines of room on a page of far too
little text): on crowded pages a kicker, a headline and two decks at one or two columns overran
it, the block was cut (HEAD-OVERFLOW) and none of the story's text was set. The head blocks are
now measured at each width (plan._measured_heads, fallback.Item.least).

Checked on generated crowded pages with kickers and decks, laid out by the fallback, as built."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pagegen
import pytest
import yaml
from checks import check_page
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from layout.autolayout.plan import FALLBACK, plan_page

AD_SIZES = [(2, 20), (2, 26), (3, 15), (4, 12), (8, 10), (5, 25), (6, 10)]
BODY_LINES = 3  # lines of text a module holds at least under its head block


def _with_heads(path: Path) -> Path:
    """Every other story given a kicker and one or two decks: head blocks many lines deep."""
    doc = yaml.safe_load(path.read_text("utf-8"))
    for k, s in enumerate(doc["stories"].values()):
        if k % 2 == 0:
            s["kicker"] = pagegen.han(12, 31 + 100 * k)
            s["decks"] = [pagegen.han(16, 61 + 20 * j + 100 * k) for j in range(1 + k % 4 // 2)]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def check_heads(prep, spec) -> bool:
    """The page `spec` (pagegen.generated) with deep head blocks; when the fallback lays it out,
    every story's module holds its head block whole and BODY_LINES lines of text. Returns whether
    the fallback laid it out."""
    with tempfile.TemporaryDirectory() as tmp:
        path = _with_heads(pagegen.generated(Path(tmp), *spec))
        ctx, written = pagegen.context(prep, path)
        plan = plan_page(ctx, written, written.page("A02"))
        best = plan.best
        if plan.level != FALLBACK or best is None or best.places is None or not best.fallback:
            return False
        lay = pagegen.lay_out(ctx)
        check_page(ctx, lay, "A02", written=written)
        page = ctx.edition.page("A02")
        for item in page.items:
            if item.kind != "story":
                continue
            cut = [d.message for d in ctx.diagnostics if d.code == "HEAD-OVERFLOW" and d.story == item.ref]
            assert not cut, (item.ref, item.at, cut)
            part = lay.stories[item.ref].parts[0]
            room = max((sl.count for sl in part.slots if sl.module == 0), default=0)
            assert room >= BODY_LINES, f"{item.ref} in {item.at}: {room} lines of text under its head block"
        return True


CROWDED = [
    # a kicker and two decks in 1 × 8 and 8 × 8 modules (the constant least module)
    (5, [3437, 4867, 4681, 1735, 993], [3, 2], [(6, 10)], "none", False, True),
    (6, [1637, 3400, 1050, 982, 1008, 875], [5, 1, 3], [(2, 20), (8, 10)], "none", False, True),
    (7, [4295, 2607, 4493, 2628, 1051, 4035, 3431], [0, 5, 2], [], "none", False, False),
]


@pytest.mark.parametrize("spec", CROWDED, ids=[f"{s[0]}-stories-{n}" for n, s in enumerate(CROWDED)])
def test_crowded_fallback_pages_keep_head_blocks_whole(prepared, spec):
    check_heads(prepared[0], spec)


@st.composite
def crowded_pages(draw):
    n = draw(st.integers(3, 7))
    chars = draw(st.lists(st.integers(600, 5000), min_size=n, max_size=n))
    photos = draw(st.integers(0, min(3, n)))
    with_photo = draw(st.lists(st.integers(0, n - 1), min_size=photos, max_size=photos, unique=True))
    ads = draw(st.lists(st.sampled_from(AD_SIZES), max_size=3))
    assume(sum(chars) + 12 * sum(w * h for w, h in ads) > 9000)  # crowded
    return n, chars, with_photo, ads, "none", False, draw(st.booleans())


def test_generated_crowded_pages_keep_head_blocks_whole(prepared):
    prep, _ = prepared
    laid = []

    @settings(max_examples=int(os.environ.get("LAYOUT_EXAMPLES", 12)), deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], database=None,
              phases=[Phase.generate], derandomize=not os.environ.get("LAYOUT_EXPLORE"))
    @given(crowded_pages())
    def check(spec):
        laid.append(check_heads(prep, spec))

    check()
    assert sum(laid) >= len(laid) // 3, laid  # a good part of them laid out by the fallback


def test_searched_overset_pages_keep_body_lines_under_the_head(prepared):
    """Pass 2 of the search (an overfull page, layouts with overset) offers modules cut shallower
    than the text needs no shallower than the head block and BODY_LINES (estimate._depths), as the
    fallback's: bench's generated page 8 once set its lead 8 x 13 under a 75 pt headline, two lines
    of text under it."""
    prep, _ = prepared
    spec = (5, [4818, 2946, 1642, 2569, 1730], [4], [], "none", True, True)
    with tempfile.TemporaryDirectory() as tmp:
        path = pagegen.generated(Path(tmp), *spec)
        ctx, written = pagegen.context(prep, path)
        plan = plan_page(ctx, written, written.page("A02"))
        assert plan.level == 2 and plan.best is not None and plan.best.tree is not None
        lay = pagegen.lay_out(ctx)
        for item in ctx.edition.page("A02").items:
            if item.kind == "story":
                part = lay.stories[item.ref].parts[0]
                room = max((sl.count for sl in part.slots if sl.module == 0), default=0)
                assert room >= BODY_LINES, f"{item.ref} in {item.at}: {room} lines of text under its head block"
