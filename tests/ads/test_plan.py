"""Ad planning across the generated 12-page edition: every booking placed where its wishes allow
or reported with why, no overlaps, the template's stacking rule, colour pages, separation."""

from __future__ import annotations

import pytest
from adkit import BOOKINGS, COLOUR_PAGES, UNPLACED, write_edition

from layout.ads.plan import plan_ads
from layout.diagnostics import InputError
from layout.model.load import load_edition
from layout.template import load_template

GRID = (8, 105)


def load(path):
    return load_edition(path, page_count=12, grid=GRID)


def plan(path, stacking: str | None = None):
    template = load_template("broadsheet", {"ads": {"stacking": stacking}} if stacking else None)
    edition = load(path)
    return edition, *plan_ads(edition, template)


def cells(r):
    col, line, cols, lines = r
    return {(c, ln) for c in range(col, col + cols) for ln in range(line, line + lines)}


def test_every_booking_is_placed_or_reported_with_its_reason(edition_path):
    edition, _, result = plan(edition_path)
    assert len(edition.bookings) == len(BOOKINGS) and 15 <= len(BOOKINGS) <= 25
    by_id = {p.booking: p for p in result.placements}
    assert {b for b, p in by_id.items() if p.page is None} == set(UNPLACED)
    for booking, reason in UNPLACED.items():
        assert by_id[booking].reason == reason, (booking, by_id[booking].message)
    unplaced = [d for d in result.diagnostics if d.code == "BOOKING-UNPLACED"]
    assert len(unplaced) == len(UNPLACED)
    lines = {b.id: b.loc.line for b in edition.bookings}
    for d in unplaced:
        booking = d.message.split()[1]
        assert d.location.file == str(edition_path) and d.location.line == lines[booking] and d.hint


def test_placed_bookings_keep_their_wishes(edition_path):
    edition, _, result = plan(edition_path)
    pages = {p.id: (n, p) for n, p in enumerate(edition.pages, start=1)}
    wishes = {b.id: b for b in edition.bookings}
    for p in result.placed():
        b = wishes[p.booking]
        number, page = pages[p.page]
        col, line, cols, lines = p.rect
        if b.page:
            assert p.page == b.page
        if b.section:
            assert page.section == b.section
        if b.side == "right":
            assert number % 2 == 1
        if b.side == "left":
            assert number % 2 == 0
        if b.fold == "above":
            assert line + lines - 1 <= 52
        if b.fold == "below":
            assert line > 52
        if b.at:
            assert (col, line) == b.at
        if b.colour:
            assert p.page in COLOUR_PAGES, p.booking
    placed = {p.booking: p for p in result.placed()}
    assert placed["ear"].page == "A01" and placed["ear"].rect == (7, 13, 2, 30)  # 報眼: under the masthead, right
    assert placed["strip"].rect == (1, 98, 8, 8)  # 中縫 strip: across the foot
    assert placed["classified"].rect == (1, 1, 8, 105)  # 整版 on the all-ad page
    assert placed["mm-ad"].rect[2:] == (4, 10)  # 50 mm: the nearest whole number of 13.5 pt lines
    assert placed["pdf-ad"].rect[2:] == (3, 20)  # no size booked: its file's


def test_no_ad_overlaps_another_or_an_item_already_pinned(edition_path):
    _, planned, _ = plan(edition_path)
    for page in planned.pages:
        taken: set = set()
        for item in page.items:
            if item.at is None:
                continue
            box = cells((item.at.col, item.at.line, item.at.cols, item.at.lines))
            assert not box & taken, (page.id, item.ref)
            assert all(1 <= c <= GRID[0] and 1 <= ln <= GRID[1] for c, ln in box)
            if page.masthead:
                assert min(ln for _, ln in box) > 12
            taken |= box


def test_competitors_are_never_on_the_same_page(edition_path):
    edition, _, result = plan(edition_path)
    bookings = {b.id: b for b in edition.bookings}
    by_page: dict[str, list] = {}
    for p in result.placed():
        by_page.setdefault(p.page, []).append(bookings[p.booking])
    for page, there in by_page.items():
        for a in there:
            for b in there:
                if a is b:
                    continue
                assert not (a.category and a.category == b.category), page
                assert b.advertiser not in a.separate and (b.category or "-") not in a.separate, page


def test_share_limits_hold_for_stacked_bookings(edition_path):
    edition, planned, result = plan(edition_path)
    for page in planned.pages:
        top = 13 if page.masthead else 1
        live = 8 * (105 - top + 1)
        ads = sum(i.at.cols * i.at.lines for i in page.items if i.kind == "ad" and i.at)
        limit = 1.0 if page.section == "廣告" else (0.3 if page.masthead else 0.5)
        assert ads <= limit * live + 1e-9, page.id


def _stacked(edition, result):
    fixed = {b.id for b in edition.bookings if b.at or (b.size and b.size.unit in ("ear", "strip"))}
    return [p for p in result.placed() if p.booking not in fixed and p.rect[3] < 105]


@pytest.mark.parametrize("rule", ["pyramid-right", "pyramid-left", "well"])
def test_stacking_follows_the_templates_rule(edition_path, rule):
    edition, planned, result = plan(edition_path, rule)
    assert result.stacking == rule
    folds = {b.id: b.fold for b in edition.bookings}
    for page in planned.pages:
        ads = [(i.at.col, i.at.line, i.at.cols, i.at.lines) for i in page.items if i.kind == "ad" and i.at]
        ad_cells = set().union(*(cells(r) for r in ads)) if ads else set()
        for p in _stacked(edition, result):
            if p.page != page.id:
                continue
            col, line, cols, lines = p.rect
            if folds[p.booking] == "above":
                rest = line == (13 if page.masthead else 1) or all((c, line - 1) in ad_cells
                                                                    for c in range(col, col + cols))
                edge = line
            else:  # resting flat on the foot or on ads: no hole under an ad
                rest = line + lines - 1 == 105 or all((c, line + lines) in ad_cells for c in range(col, col + cols))
                edge = line + lines - 1
            assert rest, (page.id, p.booking)
            right = col + cols - 1 == 8 or (col + cols, edge) in ad_cells
            left = col == 1 or (col - 1, edge) in ad_cells
            assert {"pyramid-right": right, "pyramid-left": left, "well": left or right}[rule], (page.id, p.booking)


def test_pyramid_puts_the_widest_at_the_foot_from_the_right(tmp_path):
    bookings = [("a", "甲", "2x10", "page: A02"), ("b", "乙", "4x10", "page: A02"), ("c", "丙", "8x10", "page: A02"),
                ("d", "丁", "3x10", "page: A02")]
    _, _, result = plan(write_edition(tmp_path, bookings))
    got = {p.booking: p.rect for p in result.placements}
    # d (3 wide) beside b at the foot would leave column 1 a one-column sliver no story can take
    # (it used to: AUTOLAYOUT-GAP); it steps up onto b instead, and a (2 wide) goes beside b,
    # leaving columns 1–2. Still a pyramid: the stack's top steps up toward the right.
    assert got == {"c": (1, 96, 8, 10), "b": (5, 86, 4, 10), "d": (6, 76, 3, 10), "a": (3, 86, 2, 10)}
    _, _, well = plan(write_edition(tmp_path, bookings), "well")
    got = {p.booking: p.rect for p in well.placements}
    # a well: up both sides, the side with fewer ads first; d beside a at the left would leave
    # a one-column sliver between it and b (column 4), so it goes on b
    assert got == {"c": (1, 96, 8, 10), "b": (5, 86, 4, 10), "d": (6, 76, 3, 10), "a": (1, 86, 2, 10)}


def _slivers(page_ads, top=1, columns=8):
    """Free runs of one column between a stacked ad and the page's edge or another ad."""
    out = []
    for col, line, cols, lines in page_ads:
        for ln in range(line, line + lines):
            for step, c in ((-1, col - 1), (1, col + cols)):
                run = 0
                while 1 <= c <= columns and not any(r[0] <= c < r[0] + r[2] and r[1] <= ln < r[1] + r[3]
                                                    for r in page_ads):
                    run, c = run + 1, c + step
                if run == 1:
                    out.append((col, line, ln))
    return out


@pytest.mark.parametrize("rule", ["pyramid-right", "pyramid-left", "well"])
def test_stacked_ads_leave_no_one_column_sliver(tmp_path, rule):
    """/tmp/qapages ads.yaml A02: a 4 × 26 box, a 4 × 30 image and a 3 × 20 box. The 3 × 20 went
    on the box beside the image and left column 1 (1 × 20) empty: AUTOLAYOUT-GAP."""
    bookings = [("box", "甲", "4x26", "page: A02"), ("image", "乙", "{cols: 4, lines: 30}", "page: A02"),
                ("clinic", "丙", "3x20", "page: A02")]
    _, _, result = plan(write_edition(tmp_path, bookings), rule)
    assert not result.unplaced()
    ads = [p.rect for p in result.placements]
    assert not _slivers(ads), ads


def test_the_same_bookings_give_the_same_plan(edition_path):
    _, a, pa = plan(edition_path)
    _, b, pb = plan(edition_path)
    assert pa.placements == pb.placements and a.pages == b.pages


def test_bad_bookings_are_errors_at_their_place_with_a_suggestion(tmp_path):
    path = write_edition(tmp_path, [("x", "甲", "通攔", "height: 10"), ("y", "乙", "2x10", "page: A13"),
                                    ("z", "丙", "通欄", "")])
    with pytest.raises(InputError) as err:
        load(path)
    text = path.read_text("utf-8").splitlines()
    found = {d.code: d for d in reversed(err.value.diagnostics)}  # the first of each code
    unknown = found["BOOKING-SIZE"]
    assert "通攔" in unknown.message and "did you mean '通欄'" in unknown.hint
    assert text[unknown.location.line - 1].index("通攔") + 1 == unknown.location.column
    missing = found["PAGE-MISSING"]
    assert text[missing.location.line - 1].strip() == "page: A13" and "did you mean 'A12'" in missing.hint
    assert any("gives no height" in d.message for d in err.value.diagnostics)


def test_the_tabloid_takes_the_same_bookings_by_its_own_rules(edition_path):
    edition = load(edition_path)
    tabloid = load_template("tabloid")
    planned, result = plan_ads(edition, tabloid)
    g = tabloid.grid
    by_id = {p.booking: p for p in result.placements}
    assert by_id["ear"].rect == (g.columns - 1, tabloid.masthead_lines + 1, 2, 20)
    assert by_id["strip"].rect == (1, g.lines - 5, g.columns, 6)
    assert by_id["pinned"].page is None and by_id["pinned"].reason == "outside"  # line 76 of 72
    for page in planned.pages:
        taken: set = set()
        for item in page.items:
            if item.kind == "ad" and item.at:
                box = cells((item.at.col, item.at.line, item.at.cols, item.at.lines))
                assert not box & taken and all(c <= g.columns and ln <= g.lines for c, ln in box)
                taken |= box
    assert all(p.reason for p in result.unplaced())
