"""The safety net at the page description: every item's marks inside its module and the page,
any escape an error (ITEM-OUTSIDE-MODULE, ITEM-OUTSIDE-PAGE) naming the item, its owner, the
side and the distance. Built by hand so each kind of item and escape is seen, then wired through
pagination."""

from layout.build import prepare
from layout.color import BLACK
from layout.diagnostics import Location
from layout.frames import (
    Box,
    GlyphRun,
    ImageItem,
    Module,
    PageFrame,
    PdfItem,
    PlacedGlyph,
    Rule,
    Source,
    escape_diagnostics,
    escapes,
)
from tests.paginate.conftest import MINI

STORY = Module(100, 100, 200, 300, "story", "s1")
AD = Module(320, 100, 100, 100, "ad", "bank")


def _run(x, baseline, n=4, size=10.0, story="s1", kind="body"):
    glyphs = tuple(PlacedGlyph(1, x + k * size, baseline, "字", size) for k in range(n))
    return GlyphRun("F", size, glyphs, BLACK, Source(story=story, kind=kind))


def _frame(*items, modules=(STORY, AD)):
    return PageFrame("A03", 600, 800, tuple(items), tuple(modules))


def test_items_inside_their_modules_pass():
    frame = _frame(
        _run(100, 100 + 8.8),  # the em box's top on the module's top
        _run(260, 400 - 1.2),  # the last glyph's box on the module's right and bottom edges
        Box(95.5, 100, 209, 300, stroke=BLACK, stroke_width=0.75, source=Source(story="s1", kind="box")),
        Rule(100, 400, 300, 400, 0.5, source=Source(kind="rule")),
        PdfItem(320, 100, 100, 100, "ad.pdf", 0, Source(story="bank", kind="ad")),
        _run(10, 20, kind="folio", story=None),
    )
    assert escapes(frame, gutter=9) == []


def test_text_below_its_module_is_an_error_naming_the_story_side_and_distance():
    frame = _frame(_run(100, 200), _run(100, 420), _run(100, 440))
    found = escapes(frame, gutter=9)
    assert len(found) == 2 and all(e.side == "below" for e in found)
    [d] = escape_diagnostics(frame, found, lambda src: Location("ed.yaml", 12, 3))
    assert d.code == "ITEM-OUTSIDE-MODULE" and d.severity == "error"
    assert (d.page, d.story, d.location.line) == ("A03", "s1", 12)
    assert "'s1'" in d.message and "below" in d.message and "41.2 pt" in d.message and "1 more" in d.message


def test_a_border_may_run_down_the_gutter_but_no_further():
    ok = Box(95.5, 100, 209, 300, stroke=BLACK, stroke_width=0.75, source=Source(story="s1", kind="box"))
    wide = Box(80, 100, 240, 300, stroke=BLACK, stroke_width=0.75, source=Source(story="s1", kind="box"))
    assert escapes(_frame(ok), gutter=9) == []
    [e] = escapes(_frame(wide), gutter=9)
    assert e.side in ("left of", "right of") and e.module == STORY


def test_an_ad_larger_than_its_module_and_marks_off_the_page():
    big = PdfItem(320, 100, 100, 150, "ad.pdf", 0, Source(story="bank", kind="ad"))
    photo = ImageItem(550, 700, 80, 60, "p", Source(story="s1", kind="photo"))
    rule = Rule(10, 790, 590, 790, 30, source=Source(kind="rule"))
    frame = _frame(big, photo, rule)
    diags = escape_diagnostics(frame, escapes(frame, gutter=9))
    codes = sorted(d.code for d in diags)
    assert codes == ["ITEM-OUTSIDE-MODULE", "ITEM-OUTSIDE-PAGE", "ITEM-OUTSIDE-PAGE"]
    ad = next(d for d in diags if d.code == "ITEM-OUTSIDE-MODULE")
    assert "ad 'bank'" in ad.message and "50.0 pt below" in ad.message


def test_an_item_whose_module_is_not_on_the_page():
    frame = _frame(_run(100, 200, story="ghost"))
    [d] = escape_diagnostics(frame, escapes(frame))
    assert d.code == "ITEM-OUTSIDE-MODULE" and "no module" in d.message and d.story == "ghost"


def test_the_net_is_under_every_page_a_build_lays_out(monkeypatch):
    """A stage that places something off the page (here the folio) gets an error from the net."""
    import layout.paginate.edition as edition_stage

    real = edition_stage.folio

    def stray_folio(ctx, page):
        return [*real(ctx, page), _run(-40, 20, kind="folio", story=None)]

    monkeypatch.setattr(edition_stage, "folio", stray_folio)
    # laid out here, not taken from the suite's cache (its pages were laid out by the real folio)
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    diags = [d for d in prepare(MINI).ctx.diagnostics if d.code == "ITEM-OUTSIDE-PAGE"]
    pages = {d.page for d in diags}
    assert len(diags) == len(pages) and "A01" in pages
    assert all("left of the page" in d.message and "the folio" in d.message for d in diags)


def test_the_mini_edition_has_no_escapes(mini_prepared):
    assert not [d for d in mini_prepared.ctx.diagnostics if d.code.startswith("ITEM-OUTSIDE")]


def test_an_emphasis_dot_below_its_module_is_named_not_a_crash():
    """An interlinear mark outside its module crashed the diagnostic with a KeyError (QA e1's lead
    with emphasis dots on the last line of a 40-line module)."""
    from layout.frames import Mark

    dot = Mark("dot", 150, 402, size=2.0, source=Source(story="s1", kind="body"))
    frame = _frame(dot)
    [d] = escape_diagnostics(frame, escapes(frame, gutter=9))
    assert d.code == "ITEM-OUTSIDE-MODULE" and "emphasis dot" in d.message and "'s1'" in d.message
