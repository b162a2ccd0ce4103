"""`jump: auto` continues a story on the first later page that can hold its rest, not merely the
first with some room: a build once sent the rest of a front-page lead to a page with a sixth free
and printed it overset there, while two pages further on stood nearly empty."""

from __future__ import annotations

import pagegen
from checks import check_page

from layout.autolayout.plan import AUTO_ROOM, _live, _room


def _edition(tmp_path):
    pages = [
        {"page": "A02", "items": [{"story": "big"}, {"story": "b2"}, {"story": "b3"}]},
        # A03: a story leaving about a fifth of the page: "room" by the sixth rule, too little for the rest
        {"page": "A03", "items": [{"story": "mid"}]},
        {"page": "A04", "items": [{"story": "small"}]},
    ]
    stories = {
        "big": pagegen.story("big", 9000, paras=12, jump="auto"),
        "b2": pagegen.story("b2", 2600, start=900),
        "b3": pagegen.story("b3", 2200, start=1800),
        "mid": pagegen.story("mid", 8500, start=3100),
        "small": pagegen.story("small", 800, start=5200),
    }
    return pagegen.write(tmp_path, pages, stories, name="auto-room")


def test_rest_goes_to_the_page_that_holds_it(prepared, tmp_path):
    prep, _ = prepared
    ctx, written = pagegen.context(prep, _edition(tmp_path))
    # The premise: A03 passes the old test (a sixth of the page free) ...
    top, bottom = _live(ctx, written.page("A03"))
    assert _room(ctx, written, written.page("A03")) * AUTO_ROOM >= ctx.grid.columns * (bottom - top + 1)
    lay = pagegen.lay_out(ctx)
    big = lay.stories["big"]
    assert len(big.parts) == 2 and big.parts[0].page == "A02"
    # ... but cannot hold the rest: it goes on to A04, where all of it is printed.
    assert big.parts[1].page == "A04" and ctx.edition.stories["big"].jump == "A04"
    assert big.result.overset_chars == 0
    assert not [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-OVERSET" and d.story == "big"]
    for page in ("A02", "A03", "A04"):
        check_page(ctx, lay, page, written=written)
