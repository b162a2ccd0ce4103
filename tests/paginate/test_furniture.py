"""The folio and the masthead fit the type area: their type shrinks within the style's limits,
and what does not fit even then is FOLIO-OVERFLOW / MASTHEAD-OVERFLOW with the characters left
out; no piece runs into another or off the page (the folio took the first line of a 2000 pt
block and set its three pieces wherever their widths put them)."""

import dataclasses
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.diagnostics import Diagnostics
from layout.frames import GlyphRun
from layout.paginate.furniture import folio, masthead


def _page(ctx, **kw):
    return dataclasses.replace(ctx.edition.pages[0], **kw)


def _pieces(items):
    return sorted((r for r in items if isinstance(r, GlyphRun)), key=lambda r: r.glyphs[0].x)


def _spans(runs):
    return [(r.glyphs[0].left, r.glyphs[-1].left + r.glyphs[-1].advance) for r in runs]


def _reported(ctx, code):
    return sum(int(re.search(r"(\d+) characters not printed", d.message).group(1))
               for d in ctx.diagnostics if d.code == code)


def _chars(text):
    return sum(1 for ch in text if not ch.isspace())


def _check_folio(ctx, page):
    g = ctx.grid
    runs = _pieces(folio(ctx, page))
    spans = _spans(runs)
    assert all(g.left - 1e-6 <= a and b <= g.left + g.width + 1e-6 for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False)), "pieces overlap"
    return runs


def test_the_folio_at_its_template_size(ctx):
    runs = _check_folio(ctx, _page(ctx))
    assert {r.size for r in runs} == {ctx.template.style("folio").size}
    assert not list(ctx.diagnostics)


def test_long_credits_shrink_the_folio_instead_of_running_into_the_page_id(ctx):
    st_ = ctx.template.style("folio")
    for n in range(1, 60):  # the first credits too long for the folio at its template size
        credits = (("責任編輯", "王" * n), ("校對", "張" * n), ("美術編輯", "李" * n))
        c = dataclasses.replace(ctx, diagnostics=Diagnostics())
        runs = _check_folio(c, _page(c, credits=credits))
        if runs[0].size < st_.size:
            break
    assert not list(c.diagnostics)
    assert st_.min_size <= runs[0].size < st_.size
    assert _chars("".join(r.text for r in runs if r.glyphs[0].x > ctx.grid.left + ctx.grid.width / 2)) \
        == _chars("".join(k + "：" + v for k, v in credits))


def test_a_section_too_long_for_the_folio_is_reported(ctx):
    section = "要聞" * 60
    page = _page(ctx, section=section)
    runs = _check_folio(ctx, page)
    [d] = [d for d in ctx.diagnostics if d.code == "FOLIO-OVERFLOW"]
    assert d.severity == "error" and d.page == page.id and d.location == page.loc and "要聞" in d.message
    printed = sum(1 for r in runs for g in r.glyphs if not g.text.isspace())
    e = ctx.edition
    whole = f"{e.paper}{e.date.year}年{e.date.month}月{e.date.day}日星期{'一二三四五六日'[e.date.weekday()]}" \
        + page.id + section + "".join(k + "：" + v for k, v in page.credits)
    assert printed + _reported(ctx, "FOLIO-OVERFLOW") == _chars(whole)


def test_a_long_paper_name_shrinks_then_is_reported_never_off_the_page(ctx):
    g = ctx.grid
    st_ = ctx.template.style("masthead")
    for name, fits in (("測試晨報" * 4, True), ("測試晨報" * 12, False)):
        c = dataclasses.replace(ctx, edition=dataclasses.replace(ctx.edition, paper=name), diagnostics=Diagnostics())
        items, module = masthead(c, _page(c))
        [run] = [r for r in items if isinstance(r, GlyphRun) and r.size >= st_.min_size]
        (a, b), = _spans([run])
        info_left = min(r.glyphs[0].left for r in items if isinstance(r, GlyphRun) and r is not run)
        assert g.left - 1e-6 <= a and b < info_left
        found = [d for d in c.diagnostics if d.code == "MASTHEAD-OVERFLOW"]
        assert bool(found) is not fits
        if fits:
            assert run.size < st_.size and _chars(run.text) == _chars(name)
        else:
            assert _chars(run.text) + _reported(c, "MASTHEAD-OVERFLOW") == _chars(name)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(section=st.text(alphabet="要聞城事體育 AB12", max_size=120),
       credits=st.lists(st.tuples(st.sampled_from(["責任編輯", "校對", "美編"]), st.text("王小明張三", min_size=1, max_size=30)),
                        max_size=6))
def test_folio_pieces_never_overlap_nor_leave_the_type_area(mini_prepared, section, credits):
    ctx = dataclasses.replace(mini_prepared.ctx, diagnostics=Diagnostics())
    _check_folio(ctx, _page(ctx, section=section, credits=tuple(credits)))
