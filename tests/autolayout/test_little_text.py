"""Pages with far too little text (issue 13): one or two short stories (150–400 Han characters), no
photo, on a front page and an inside page. The page comes out complete: the stories stacked across
the page from the top, each as deep as its text (the earlier ones with a few lines of room for a
headline block larger than the guess), their headlines one over the other, not side by side; the
white left in one place, at the foot, in the last story's module; each story's underset reported
with its empty lines per column and the characters that would fill it (docs/edition-format.md,
"Far too little text")."""

from __future__ import annotations

import pagegen
import pytest
from checks import check_page

from layout.autolayout.fallback import BODY_LINES, STACK_SLACK


def _page(folder, chars: list[int], masthead: bool):
    ids = [f"short-{k}" for k in range(len(chars))]
    pid = "A01" if masthead else "A03"
    pages = [{"page": pid, "masthead": masthead, "items": [{"story": s} for s in ids]},
             {"page": "A04", "items": [{"story": "filler"}]}]
    stories = {s: pagegen.story(s, n, start=200 + 3800 * k, decks=1 if masthead and k == 0 else 0)
               for k, (s, n) in enumerate(zip(ids, chars, strict=True))}
    stories["filler"] = pagegen.story("filler", 3000, start=7000)
    return pagegen.write(folder, pages, stories, name="little"), pid, ids


@pytest.mark.parametrize("chars,masthead", [([400, 150], False), ([350, 200], True), ([300], False),
                                            ([150, 400], False)])
def test_a_page_of_far_too_little_text_stacks_its_stories(prepared, tmp_path, chars, masthead):
    prep, _ = prepared
    path, pid, ids = _page(tmp_path, chars, masthead)
    ctx, written = pagegen.context(prep, path)
    lay = pagegen.lay_out(ctx)
    found = check_page(ctx, lay, pid, written=written)
    assert found["cells"] == found["area"]  # every cell of the live area is a story's module
    page = ctx.edition.page(pid)
    at = [i.at for i in page.items]
    g = ctx.grid
    for a in at:
        assert (a.col, a.cols) == (1, g.columns)  # across the page
    for early, late in zip(at, at[1:], strict=False):
        assert late.line == early.line + early.lines  # stacked, one under the other
    said = {d.story: d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-UNDERSET" and d.page == pid}
    for k, sid in enumerate(ids):
        assert sid in said and "characters" in said[sid].hint  # the underset said per story
        feet = [int(x) for x in said[sid].message.split("balanced: ")[1].rstrip(")").split(", ")]
        if k < len(ids) - 1:
            # the earlier ones as deep as their text: their head blocks measured (not a constant
            # guess of 12 lines, which left up to 14 empty lines under each), at least BODY_LINES
            # lines of text, and a line or two for balancing
            assert max(feet) <= BODY_LINES + STACK_SLACK + 1, feet
    assert not [d for d in ctx.diagnostics if d.code in ("AUTOLAYOUT-OVERSET", "HEAD-OVERFLOW", "AUTOLAYOUT-GAP")
                and d.page == pid]
