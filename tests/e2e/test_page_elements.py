"""Page elements checked through the page description: headline blocks and photos on whole grid
lines, runaround, jump lines, teasers, modules that hold their items, copyfit = counted overset."""

import pytest

from layout.frames import GlyphRun, ImageItem, Rule, escapes

BUILDS = ["mini_build", "sample_build"]


@pytest.fixture(params=BUILDS)
def built(request):
    return request.getfixturevalue(request.param)


def _rect_contains(m, x0, y0, x1, y1, eps=0.5):
    return m.x - eps <= x0 and x1 <= m.x + m.w + eps and m.y - eps <= y0 and y1 <= m.y + m.h + eps


def test_every_story_item_stays_inside_its_module(built):
    for page in built.layout.pages:
        modules = {m.ref: m for m in page.frame.modules if m.kind in ("story", "continued")}
        conts = {m.ref: m for m in page.frame.modules if m.kind == "continued"}
        for item in page.frame.items:
            if not isinstance(item, GlyphRun | ImageItem) or item.source.kind in ("folio", "masthead", "teaser"):
                continue
            sid = item.source.story
            if sid not in modules:
                continue
            if isinstance(item, GlyphRun):
                g0, g1 = item.glyphs[0], item.glyphs[-1]
                box = (g0.left, g0.y - 0.88 * item.size, g1.left + g1.advance, g0.y + 0.12 * item.size)
            else:
                box = (item.x, item.y, item.x + item.w, item.y + item.h)
            inside = [m for m in (modules.get(sid), conts.get(sid)) if m and _rect_contains(m, *box)]
            assert inside, (page.page.id, sid, item.source.kind, box)


def test_photos_start_and_end_on_grid_lines(built):
    for page in built.layout.pages:
        y0, pitch = page.frame.baseline_grid
        top = built.layout.pages[0].frame.baseline_grid  # same grid on every page
        assert top == page.frame.baseline_grid
        grid_top = y0 - ((pitch - 9) / 2 + 0.88 * 9)
        for item in page.frame.items:
            if isinstance(item, ImageItem):
                k0 = (item.y - grid_top) / pitch
                k1 = (item.y + item.h - grid_top) / pitch
                assert abs(k0 - round(k0)) < 1e-6 and abs(k1 - round(k1)) < 1e-6, (page.page.id, item.image)


def test_runaround_keeps_body_text_out_of_photo_frames(built):
    for page in built.layout.pages:
        photos = [i for i in page.frame.items if isinstance(i, ImageItem) and i.source.kind == "photo"]
        for run in page.frame.items:
            if not isinstance(run, GlyphRun) or run.source.kind not in ("body", "subhead"):
                continue
            for g in run.glyphs:
                for p in photos:
                    gx0, gx1 = g.left, g.left + g.advance
                    gy0, gy1 = g.y - 0.88 * run.size, g.y + 0.12 * run.size
                    # the frame plus its gutter: one body character beside it, a grid line below its caption
                    assert not (gx0 < p.x + p.w + 9 - 0.01 and gx1 > p.x - 9 + 0.01
                                and gy0 < p.y + p.h and gy1 > p.y), (page.page.id, run.text)


def test_headline_blocks_take_whole_grid_lines(built):
    """R40/R44: each headline block reserves whole grid lines; its type lies inside them, and the
    body under it starts on the next grid line."""
    pitch = built.layout.pages[0].frame.baseline_grid[1]
    for lay in built.layout.stories.values():
        for part in lay.parts:
            head = part.head
            assert isinstance(head.lines, int) and head.lines >= 1
            block_bottom = part.rect.y + head.lines * pitch
            for piece in head.pieces:
                assert part.rect.y < part.rect.y + piece.baseline <= block_bottom, (lay.story.id, piece.kind)
            under = [s for s in part.slots if abs(s.x - part.rect.x) < 0.5]  # the module's first column
            if under:
                assert min(s.first for s in under) >= part.at.line + head.lines, lay.story.id


def test_jump_lines_name_the_page_the_story_continues_on(built):
    for sid, lay in built.layout.stories.items():
        if len(lay.parts) < 2:
            continue
        first, cont = lay.parts
        out_runs = [r.text for r in first.items if isinstance(r, GlyphRun) and r.source.kind == "jump"]
        in_runs = [r.text for r in cont.items if isinstance(r, GlyphRun) and r.source.kind == "jump"]
        assert out_runs == [f"（下轉{cont.page}版）"], sid
        assert in_runs == [f"（上接{first.page}版）"], sid


def test_teasers_point_at_the_page_where_each_story_starts(built):
    starts = {sid: lay.parts[0].page for sid, lay in built.layout.stories.items()}
    seen = 0
    for page in built.layout.pages:
        for run in page.frame.items:
            if isinstance(run, GlyphRun) and run.source.kind == "teaser" and run.text.endswith("版"):
                assert run.text == f"{starts[run.source.story]}版"
                seen += 1
    assert seen >= 3


def test_copyfit_in_the_report_equals_the_counted_overset(built):
    by_id = {s["id"]: s for s in built.report["stories"]}
    for sid, lay in built.layout.stories.items():
        placed = sum(sum(1 for g in r.glyphs if not g.text.isspace())
                     for page in built.layout.pages for r in page.frame.items
                     if isinstance(r, GlyphRun) and r.source.story == sid and r.source.kind in ("body", "subhead"))
        entry = by_id[sid]
        assert entry["chars_set"] == placed
        assert (entry["status"] == "over") == (entry["overset_lines"] > 0)
        assert entry["overset_chars"] == lay.result.overset_chars


def test_column_rules_are_black_hairlines(built):
    for page in built.layout.pages:
        for item in page.frame.items:
            if isinstance(item, Rule):
                assert item.color.is_k_only and 0.25 <= item.width <= 4


def test_nothing_escapes_its_module_or_the_page(built):
    """The net (frames.escapes) finds nothing on the sample and mini pages, and the build says so."""
    for page in built.layout.pages:
        assert escapes(page.frame, gutter=9.0) == [], page.page.id
    assert not [d for d in built.diagnostics if d.code.startswith("ITEM-OUTSIDE")]
