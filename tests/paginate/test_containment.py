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


def _marked_edition(tmp_path, kind: str, direction: str | None = None):
    """Three pinned 2 × 10 modules whose text is marked throughout ({dots:…}, {name:…} or
    {book:…}), more than they hold: their last lines carry marks."""
    import yaml

    body = f"{{{kind}:重點文字}}測試" * 60
    story = {"headline": "著重號", "body": body}
    if direction:
        story["direction"] = direction
    doc = {"paper": "測試報", "date": "2026-12-01", "issue": 1,
           "pages": [{"page": "A01", "masthead": True,
                      "items": [{"story": "s", "at": {"col": 1, "line": 13, "cols": 2, "lines": 10}}]},
                     {"page": "A02", "items": []}],
           "stories": {"s": story}}
    path = tmp_path / f"{kind}-{direction}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    return path


def test_marks_on_a_modules_last_line_stay_inside_it(tmp_path, monkeypatch):
    """Emphasis dots under a module's last line once hung 0.6 pt below the module (the gap under
    the last baseline is less than the ½ em between two lines), and naming them in the error
    crashed the build (KeyError: Mark). Now they are raised to the module's foot."""
    from layout.frames import Mark

    monkeypatch.setenv("LAYOUT_CACHE", "off")
    for kind in ("dots", "name", "book"):
        for direction in (None, "vertical"):
            prep = prepare(_marked_edition(tmp_path, kind, direction))
            assert not [d for d in prep.ctx.diagnostics if d.code.startswith("ITEM-OUTSIDE")], (kind, direction)
            frame = prep.layout.pages[0].frame
            marks = [i for i in frame.items if isinstance(i, Mark)]
            assert marks and escapes(frame) == []
            if kind == "dots" and direction is None:
                # dots above the last line keep their place, one line pitch apart; the last line's
                # are raised a little (less than a point) to the module's foot
                ys = sorted({round(m.y, 2) for m in marks})
                steps = [b - a for a, b in zip(ys, ys[1:], strict=False)]
                pitch = prep.ctx.grid.pitch
                assert len(ys) >= 3 and all(abs(d - pitch) < 0.02 for d in steps[:-1])
                assert pitch - 1.0 < steps[-1] < pitch - 0.1


def test_an_escaping_mark_is_named_in_the_error():
    from layout.frames import Mark

    dot = Mark("dot", 150, 401, 150, 1.4, BLACK, Source(story="s1", kind="body"))
    [d] = escape_diagnostics(_frame(dot), escapes(_frame(dot)))
    assert "emphasis dots" in d.message


def test_an_emphasis_dot_below_its_module_is_named_not_a_crash():
    """An interlinear mark outside its module crashed the diagnostic with a KeyError (QA e1's lead
    with emphasis dots on the last line of a 40-line module)."""
    from layout.frames import Mark

    dot = Mark("dot", 150, 402, size=2.0, source=Source(story="s1", kind="body"))
    frame = _frame(dot)
    [d] = escape_diagnostics(frame, escapes(frame, gutter=9))
    assert d.code == "ITEM-OUTSIDE-MODULE" and "emphasis dot" in d.message and "'s1'" in d.message
