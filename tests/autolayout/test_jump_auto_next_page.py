"""`jump: auto` on an edition like QA's e9-tabloid (issue 13): a six-page tabloid whose A02 lists
a 6 000-character `jump: auto` lead and two stories that take most of the page, A03 a short story
and a page mostly free, A04 and A05 nearly full, A06 a story leaving a third of its page.

Before, the rest went to A03, was laid out there beside A03's own story squeezed to 12 lines (709
characters over: the rest, longer than the page, was offered only modules 60 to 72 lines deep), and
then moved on to A06 because A03's room was counted with the whole story in its slot (-209 of 432
column-lines): 2 456 characters over there, and A03 printed mostly white. Now the rest stays on
A03, the first following page with room, in a slot the engine sizes under A03's story, which is
printed whole; only what no page holds is overset, reported after the jump."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pagegen
import yaml
from checks import check_page

from layout.build import prepare

# (page, [(story, characters, sub-heads)]) as in e9-tabloid; the lead's 6 000 characters jump
PAGES = [
    ("A01", [("a1", 1100, 0), ("a2", 1700, 1)]),
    ("A02", [("lead", 6000, 4), ("b2", 1800, 1), ("b3", 2400, 1)]),
    ("A03", [("c1", 1200, 0)]),
    ("A04", [("d1", 1400, 0), ("d2", 1900, 0)]),
    ("A05", [("e1", 1400, 0), ("e2", 2100, 0), ("e3", 2800, 2)]),
    ("A06", [("f1", 1550, 0)]),
]


def e9_like(folder: Path) -> Path:
    pages, stories = [], {}
    for n, (pid, items) in enumerate(PAGES):
        page: dict = {"page": pid, "items": [{"story": sid} for sid, _, _ in items]}
        if pid == "A01":
            page["masthead"] = True
        pages.append(page)
        for k, (sid, chars, subs) in enumerate(items):
            stories[sid] = pagegen.story(sid, chars, start=700 * n + 230 * k, subheads=subs,
                                         jump="auto" if sid == "lead" else None, byline=False,
                                         headline=pagegen.han(10, 40 + 300 * n + 70 * k))
    path = pagegen.write(folder, pages, stories, name="e9-like")
    doc = yaml.safe_load(path.read_text("utf-8"))
    doc["template"] = "tabloid"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _laid_out(path: Path):
    prep = prepare(path, layout=False)  # the tabloid's own template and grid (6 columns, 72 lines)
    ctx = dataclasses.replace(prep.ctx, plans=None)
    written = ctx.edition
    return ctx, written, pagegen.lay_out(ctx)


def test_the_rest_continues_on_the_first_page_with_room(tmp_path):
    ctx, written, lay = _laid_out(e9_like(tmp_path))
    lead = lay.stories["lead"]
    assert [p.page for p in lead.parts] == ["A02", "A03"], [p.page for p in lead.parts]
    assert ctx.edition.stories["lead"].jump == "A03"
    a03 = ctx.edition.page("A03")
    assert [(i.kind, i.ref) for i in a03.items] == [("story", "c1"), ("continued", "lead")]
    own, slot = a03.items[0].at, a03.items[1].at
    # A03's own story, listed first, printed whole at the top; the slot sized in the room under it
    assert lay.stories["c1"].result.overset_chars == 0
    assert own.line == 1 and slot.line > own.line
    assert own.cols * own.lines + slot.cols * slot.lines == ctx.grid.columns * ctx.grid.lines
    # what no page holds is over after the jump, said once, on the page where it stands
    over = lead.result.overset_chars
    said = [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-OVERSET" and d.story == "lead"]
    if over:
        assert len(said) == 1 and said[0].page == "A03" and f"{over} characters" in said[0].message
        # a story jumps once: the hint is its continuation's room, not another jump
        assert "give it a jump" not in said[0].hint and "continuation more room" in said[0].hint
    else:
        assert not said
    # the slot is filled: no short columns said of the continuation
    assert not [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-UNDERSET" and d.story == "lead"]
    for page in [p for p, _ in PAGES]:
        check_page(ctx, lay, page, written=written)


def test_the_lead_takes_the_top_left(tmp_path):
    """e9-tabloid's A02: the lead, cut to 3 × 18 for its rest to jump, stood right of the third
    story's 3 × 72 (the search scores a layout and its mirror image the same)."""
    ctx, written, lay = _laid_out(e9_like(tmp_path))
    for pid, items in PAGES:
        page = ctx.edition.page(pid)
        top = ctx.template.masthead_lines + 1 if page.masthead else 1
        first = page.items[0]
        assert first.ref == items[0][0]
        assert (first.at.col, first.at.line) == (1, top), (pid, first.at)
    check_page(ctx, lay, "A02", written=written)
