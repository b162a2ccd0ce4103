"""Box ads fit their module: the texts shrink within the template's limits and wrap at the box's
measure; what still does not fit is AD-OVERFLOW naming the ad and the lines left out. Nothing is
drawn outside the box (issue 17: a box ad with more lines than its box drew them off the page)."""

import dataclasses
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.diagnostics import Diagnostics
from layout.frames import Box, GlyphRun
from layout.grid.grid import IDEO_ASCENT
from layout.paginate.ads import box_ad, fit_box_ad

LINE = "訂閱熱線：6000 0000"


def _ad(ctx, lines, **kw):
    return dataclasses.replace(ctx.edition.ads["subscribe"], lines=tuple(lines), **kw)


def _set(ctx, ad, cols=2, lines=40):
    rect = ctx.grid.rect(7, 13, cols, lines)
    items = box_ad(ctx, ad, rect, True, "A01")
    border = next(i for i in items if isinstance(i, Box))
    runs = [i for i in items if isinstance(i, GlyphRun)]
    return rect, border, runs


def _inside(border, run):
    for g in run.glyphs:
        if not (border.x <= g.left + 1e-6 and g.left + g.advance <= border.x + border.w + 1e-6):
            return False
    return border.y <= run.glyphs[0].y - IDEO_ASCENT * run.size and run.glyphs[0].y + 0.12 * run.size <= border.y + border.h


def _printed(runs):
    return sum(1 for r in runs for g in r.glyphs if not g.text.isspace())


def _total(ad):
    return sum(1 for t in (ad.title, *ad.lines, ad.slogan) for ch in t if not ch.isspace())


def _overflows(ctx):
    return [d for d in ctx.diagnostics if d.code == "AD-OVERFLOW"]


def test_too_many_lines_are_reported_and_never_drawn_below_the_box(ctx):
    ad = _ad(ctx, [f"第{k}期{LINE}" for k in range(1, 61)])
    _, border, runs = _set(ctx, ad)
    assert all(_inside(border, r) for r in runs)
    [d] = _overflows(ctx)
    assert d.severity == "error" and d.page == "A01" and "'subscribe'" in d.message
    assert d.location == ad.loc and d.location.line is not None
    assert "第60期" in d.message or "more" in d.message
    reported = int(re.search(r"\((\d+) characters\)", d.message).group(1))
    assert _printed(runs) + reported == _total(ad)


def test_an_ad_that_fits_is_set_at_the_template_sizes_without_a_word(ctx):
    ad = _ad(ctx, ["全年定價：360元", "零售價：2元", LINE])
    _, border, runs = _set(ctx, ad)
    assert not _overflows(ctx)
    assert max(r.size for r in runs) == ctx.template.style("ad_title").size
    assert _printed(runs) == _total(ad)


def test_type_shrinks_within_the_template_limits_before_anything_is_left_out(ctx):
    line = ctx.template.style("ad_line")
    rect = ctx.grid.rect(7, 13, 2, 40)
    # the most lines that fit at the template size, and a few more
    n = 1
    while fit_box_ad(ctx, _ad(ctx, [LINE] * (n + 1)), rect).scale == 1.0 and n < 200:
        n += 1
    assert n < 200
    ad = _ad(ctx, [LINE] * (n + 4))
    fit = fit_box_ad(ctx, ad, rect)
    assert fit.fits and fit.scale < 1.0
    _, border, runs = _set(ctx, ad)
    assert not _overflows(ctx)
    sizes = {r.size for r in runs if r.text.startswith("訂")}
    assert len(sizes) == 1 and line.min_size <= sizes.pop() < line.size
    assert _printed(runs) == _total(ad) and all(_inside(border, r) for r in runs)


def test_a_title_goes_a_little_smaller_to_keep_a_book_title_whole(ctx):
    """qa2's one-column subscription box printed 2027 / 年度《嘉陵 / 都市報》 / 徵訂開始 at the
    title's full size; a size within a fifth of it keeps 《嘉陵都市報》 on one line."""
    ad = _ad(ctx, ["全年定價：360元", "零售價：每份2元"], title="2027年度《嘉陵都市報》徵訂開始")
    rect = ctx.grid.rect(1, 13, 1, 26)
    fit = fit_box_ad(ctx, ad, rect)
    title = fit.groups[0]
    texts = ["".join(g.text for g in ln.glyphs) for ln in title.lines]
    assert any("《嘉陵都市報》" in t for t in texts), texts
    full = ctx.template.style("ad_title").size
    assert full * 0.8 - 1e-6 <= title.size < full and fit.fits
    assert all(g.size == ctx.template.style("ad_line").size for g in fit.groups if g.what.startswith("line"))


def test_a_line_wider_than_the_box_wraps_inside_it(ctx):
    long = "全市各郵政網點、社區便民服務站及本報發行站均可辦理二〇二七年度訂閱手續"
    ad = _ad(ctx, [long])
    _, border, runs = _set(ctx, ad)
    assert not _overflows(ctx)
    assert len([r for r in runs if r.source.start > 0 or "辦" in r.text]) >= 1
    assert _printed(runs) == _total(ad) and all(_inside(border, r) for r in runs)


def test_a_shrunk_coloured_title_in_several_inks_is_printed_in_black_and_reported(ctx):
    from layout.frames import PageFrame
    from layout.render.textcolour import colour_changes, needs_black, print_colour

    # red the edition asked for (the default red goes to one ink instead: tests/ads/test_box_colour.py)
    ad = _ad(ctx, [LINE] * 60, colour_given=True)
    _, _, runs = _set(ctx, ad)
    small = [r for r in runs if needs_black(r.color, r.size, ctx.profile)]
    assert small, "the 60-line box should shrink its red title under the multi-ink size"
    assert all(print_colour(r.color, r.size, ctx.profile).is_k_only for r in small)
    frame = PageFrame("A01", 800, 1000, tuple(runs), ())
    changed = colour_changes([frame], ctx.profile)
    assert sum(c.lines for c in changed) == len(small) and all(c.source.story == ad.id for c in changed)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.text(alphabet="訂閱熱線全年定價零售元：0123 ABC", min_size=1, max_size=60), max_size=40),
    cols=st.integers(1, 3), depth=st.integers(1, 50),
)
def test_every_character_is_printed_inside_the_box_or_reported(mini_prepared, lines, cols, depth):
    ctx = dataclasses.replace(mini_prepared.ctx, diagnostics=Diagnostics())
    ad = _ad(ctx, lines)
    _, border, runs = _set(ctx, ad, cols, depth)
    assert all(_inside(border, r) for r in runs)
    reported = sum(int(re.search(r"\((\d+) characters\)", d.message).group(1)) for d in _overflows(ctx))
    assert _printed(runs) + reported == _total(ad)


def test_a_box_too_narrow_for_one_character_reports_everything(ctx):
    from layout.grid.grid import Rect

    ad = _ad(ctx, [LINE])
    items = box_ad(ctx, ad, Rect(100, 100, 30, 400), True, "A01")
    assert not [i for i in items if isinstance(i, GlyphRun)]
    [d] = _overflows(ctx)
    assert int(re.search(r"\((\d+) characters\)", d.message).group(1)) == _total(ad)


def test_keeping_a_phrase_whole_never_costs_a_title_its_colour(ctx):
    """Shrinking the title to keep 《嘉陵都市報》 whole took the red title under the press's 14 pt
    for text in two inks, so it printed black: the colour wins, the title stays at its size."""
    from layout.color import CMYK

    red = CMYK(0, 100, 100, 0)
    ad = _ad(ctx, ["全年定價：360元", "零售價：每份2元"], title="2027年度《嘉陵都市報》徵訂開始")
    rect = ctx.grid.rect(1, 13, 1, 26)
    title = fit_box_ad(ctx, ad, rect, red).groups[0]
    assert title.size >= min(ctx.template.style("ad_title").size, ctx.profile.multi_ink_text_pt)
    black = fit_box_ad(ctx, ad, rect).groups[0]  # in black it may go smaller for the phrase
    assert black.size <= title.size
