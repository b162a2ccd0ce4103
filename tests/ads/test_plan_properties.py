"""Properties of the planner over random booking lists: nothing overlaps or leaves the live area,
colour ads only on colour pages, competitors apart, share limits kept, every booking placed or
given a reason, and the same list gives the same plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from layout.ads.bookings import STANDARD_UNITS, Booking, SizeSpec
from layout.ads.plan import plan_ads
from layout.model.edition import Ad, At, Edition, Page, PageItem
from layout.template import load_template

TEMPLATE = load_template("broadsheet", {"ads": {"stacking": "pyramid-right"}})
SECTIONS = ("要聞", "經濟", "體育", "廣告")
PAGES = tuple(Page(f"A{n:02d}", SECTIONS[(n - 1) // 3], masthead=n == 1, colour=n % 2 == 1,
                   items=(PageItem("story", "s", at=At(1, 30, 3, 20)),) if n == 5 else ())
              for n in range(1, 13))


@st.composite
def booking(draw, index: int):
    unit = draw(st.sampled_from(["", *sorted(set(STANDARD_UNITS.values()))]))
    if unit:
        size = SizeSpec(unit, None, draw(st.integers(3, 40)) if unit in ("full-width", "half-width") else None)
    else:
        size = SizeSpec("", draw(st.integers(1, 8)), draw(st.integers(1, 60)))
    page = draw(st.none() | st.sampled_from([p.id for p in PAGES]))
    at = None
    if page and draw(st.booleans()):
        at = (draw(st.integers(1, 8)), draw(st.integers(1, 105)))
    return Booking(id=f"b{index}", advertiser=draw(st.sampled_from("甲乙丙丁戊")), ad="box", size=size, page=page,
                   section=draw(st.none() | st.sampled_from(SECTIONS)), side=draw(st.sampled_from([None, "right", "left"])),
                   fold=draw(st.sampled_from([None, None, "above", "below"])), at=at, colour=draw(st.booleans()),
                   category=draw(st.sampled_from(["", "", "銀行", "汽車"])), priority=draw(st.integers(-2, 2)),
                   index=index)


@st.composite
def bookings(draw):
    n = draw(st.integers(1, 25))
    return tuple(draw(booking(i)) for i in range(n))


def edition(books) -> Edition:
    return Edition(path=Path("e.yaml"), paper="報", date=dt.date(2026, 12, 1), issue=1, pages=PAGES,
                   ads={"box": Ad("box", "box", title="t")}, bookings=books)


@settings(max_examples=60, deadline=None)
@given(bookings())
def test_any_booking_list_gives_a_sound_plan(books):
    e = edition(books)
    planned, plan = plan_ads(e, TEMPLATE)
    g = TEMPLATE.grid
    by_id = {b.id: b for b in books}
    assert [p.booking for p in plan.placements] == [b.id for b in books]
    for p in plan.placements:
        assert (p.page is None) == (p.reason is not None)
        if p.page is None:
            assert p.message
    for page in planned.pages:
        top = TEMPLATE.masthead_lines + 1 if page.masthead else 1
        taken: set = set()
        ads = 0
        for item in page.items:
            a = item.at
            box = {(c, ln) for c in range(a.col, a.col + a.cols) for ln in range(a.line, a.line + a.lines)}
            assert not box & taken
            taken |= box
            if item.kind == "ad":
                assert all(1 <= c <= g.columns and top <= ln <= g.lines for c, ln in box)
                ads += a.cols * a.lines
        placed = [by_id[p.booking] for p in plan.placed() if p.page == page.id]
        for b in placed:
            assert page.colour or not b.colour
            assert not b.page or b.page == page.id
            assert not b.section or b.section == page.section
        cats = [b.category for b in placed if b.category]
        assert len(cats) == len(set(cats))
        live = g.columns * (g.lines - top + 1)
        limit = 1.0 if page.section == "廣告" else (0.3 if page.masthead else 0.5)
        if not any(b.pinned for b in placed):  # a pinned booking may pass the limit, with a warning
            assert ads <= limit * live + 1e-9
    assert plan_ads(e, TEMPLATE)[1].placements == plan.placements
