"""Far too little text under deep head blocks (issue 13): the fallback stacks the stories across
the page, each as deep as its text; how deep that is comes from its head block measured at the
page's width (plan._measured_heads), not from a guess plus a constant margin. Before, the margin
was 12 lines (LITTLE_ROOM, raised from 10 when a kicker and two decks at 8 columns overran it):
a front page's lead with a kicker, a two-line headline and two decks still overran it, its head
block was cut (HEAD-OVERFLOW) and all of its text reported overset on a page of far too little
text; an inside story with a kicker and three decks had its headline set a size smaller."""

from __future__ import annotations

import pagegen
import pytest
from checks import check_page

CASES = [
    # (characters of each story, front page, decks and a kicker on the first story)
    ([300, 200], True, 2),
    ([250, 200, 150], True, 2),
    ([200, 300], False, 3),
]


def _page(folder, chars: list[int], masthead: bool, decks: int):
    ids = [f"short-{k}" for k in range(len(chars))]
    pid = "A01" if masthead else "A03"
    pages = [{"page": pid, "masthead": masthead, "items": [{"story": s} for s in ids]},
             {"page": "A04", "items": [{"story": "filler"}]}]
    stories = {s: pagegen.story(s, n, start=200 + 3800 * k) for k, (s, n) in enumerate(zip(ids, chars, strict=True))}
    first = stories[ids[0]]
    first["kicker"] = pagegen.han(14, 31)
    first["headline"] = pagegen.han(22, 5)  # two lines at the lead's size
    first["decks"] = [pagegen.han(18, 61 + 20 * j) for j in range(decks)]
    stories["filler"] = pagegen.story("filler", 3000, start=7000)
    path = pagegen.write(folder, pages, stories, name="little-heads")
    return path, pid, ids


@pytest.mark.parametrize("chars,masthead,decks", CASES)
def test_deep_head_blocks_on_a_page_of_far_too_little_text(prepared, tmp_path, chars, masthead, decks):
    prep, _ = prepared
    path, pid, ids = _page(tmp_path, chars, masthead, decks)
    ctx, written = pagegen.context(prep, path)
    lay = pagegen.lay_out(ctx)
    found = check_page(ctx, lay, pid, written=written)
    assert found["cells"] == found["area"]
    page = ctx.edition.page(pid)
    for early, late in zip(page.items, page.items[1:], strict=False):
        assert (early.at.col, early.at.cols) == (1, ctx.grid.columns)  # stacked across the page
        assert late.at.line == early.at.line + early.at.lines
    bad = [(d.code, d.message) for d in ctx.diagnostics if d.story in ids
           and d.code in ("HEAD-OVERFLOW", "AUTOLAYOUT-OVERSET")]
    assert not bad, bad
    for sid in ids:
        assert lay.stories[sid].result.overset_chars == 0, sid
    # the lead's headline at its width's size: not made smaller to fit a module too shallow for it
    relaxed = [d.message for d in ctx.diagnostics if d.code == "AUTOLAYOUT-RELAXED" and d.story == ids[0]]
    assert not any("smaller than its width's" in m for m in relaxed), relaxed


VERTICAL_BODY = ("詳情請訪問https://www.example-government-portal.gov.cn/notice/2026/12/03/index.html查詢。\n\n"
                 "電子郵箱：service.department@chongqing-evening-news.com.cn，電話：023-61880000。\n\n"
                 "德語單詞Donaudampfschifffahrtsgesellschaftskapitän很長。\n\n"
                 "第12屆“山城”論壇，100%、3.5萬億元、2026年、ABC、NASA、UNESCO。\n\n「引號」『雙引號』（括號）《書名》……——")


@pytest.mark.parametrize("chars", [0, 300])
def test_a_vertical_lead_on_a_page_of_far_too_little_text_is_whole(prepared, tmp_path, chars):
    """A vertical (直排) story's need is a guess, not measured at each width: stacked two lines over
    that guess (the measured stories' slack), an unseen edition's vertical lead was set 8 columns
    wide and 12 lines deep, its vertical headline did not fit its strip (HEADLINE-TOO-LONG) and
    266 characters were over, while the story under it stood half white. A guessed need is given
    the old margin (fallback.GUESS_SLACK)."""
    prep, _ = prepared
    stories = {"v": pagegen.story("v", max(chars, 1), start=100, headline="豎排中的網址和長單詞 COVID-19 與 AI"),
               "h": pagegen.story("h", 2600, start=4000)}
    stories["v"]["direction"] = "vertical"
    stories["v"]["body"] = VERTICAL_BODY + ("\n\n" + stories["v"]["body"] if chars else "")
    pages = [{"page": "A03", "items": [{"story": "v"}, {"story": "h"}]},
             {"page": "A04", "items": [{"story": "filler"}]}]
    stories["filler"] = pagegen.story("filler", 3000, start=7000)
    path = pagegen.write(tmp_path, pages, stories, name="little-vertical")
    ctx, written = pagegen.context(prep, path)
    lay = pagegen.lay_out(ctx)
    check_page(ctx, lay, "A03", written=written)
    bad = [(d.code, d.message) for d in ctx.diagnostics if d.story in ("v", "h")
           and d.code in ("HEAD-OVERFLOW", "HEADLINE-TOO-LONG", "AUTOLAYOUT-OVERSET")]
    assert not bad, bad
    assert lay.stories["v"].result.overset_chars == 0 and lay.stories["h"].result.overset_chars == 0
