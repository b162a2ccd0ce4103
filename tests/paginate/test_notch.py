"""L-shaped story modules (issue 13): a module with a notch, the rectangle cut out of one bottom
corner where an ad stands. Its columns are of unequal depth: the text flows down the deep columns
and the short ones above the ad, nothing of the story is drawn in the notch, the column rules run
round it, and the edition syntax (`at: {…, notch: {side, cols, lines}}`) is checked with a clear
error."""

import pytest
import yaml

from layout.build import prepare
from layout.color import BLACK
from layout.frames import GlyphRun, Module, PageFrame, PlacedGlyph, Rule, Source, escape_diagnostics, escapes
from layout.model.load import load_edition
from tests.robust.conservation import placed_text, story_source

PARA = "本市今年新增公交線路十二條，市民出行更加方便。" * 5 + "記者從交通部門獲悉，新線路途經漁港和新區。" * 4


def _edition(tmp_path, side="right", *, paragraphs=18, box=None, notch=None, extra=None, ad_at=None):
    notch = notch or {"side": side, "cols": 3, "lines": 20}
    story = {"headline": "本市公交再加碼", "body": "\n\n".join([PARA] * paragraphs)}
    if box:
        story["box"] = box
    story.update(extra or {})
    ad_col = 6 if side == "right" else 1
    doc = {"paper": "測試報", "date": "2026-12-01", "issue": 1,
           "pages": [{"page": "A01", "masthead": True,
                      "items": [{"story": "s", "at": {"col": 1, "line": 13, "cols": 8, "lines": 60, "notch": notch}},
                                {"ad": "sub", "at": ad_at or {"col": ad_col, "line": 53, "cols": 3, "lines": 20}},
                                {"story": "foot", "at": {"col": 1, "line": 73, "cols": 8, "lines": 33}}]},
                     {"page": "A02", "items": []}, {"page": "A03", "items": []}, {"page": "A04", "items": []}],
           "stories": {"s": story, "foot": {"headline": "簡訊", "body": PARA * 3}},
           "ads": {"sub": {"kind": "box", "title": "徵訂", "lines": ["全年288元"]}}}
    path = tmp_path / f"notch-{side}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    return path


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", "off")


def _notch_rect(prep):
    g = prep.ctx.grid
    return g.rect(*prep.ctx.edition.pages[0].items[0].at.notch_cells())


@pytest.mark.parametrize("side", ["right", "left"])
@pytest.mark.parametrize("box", [None, "both"])
def test_text_flows_round_the_notch_and_nothing_is_drawn_in_it(tmp_path, side, box):
    prep = prepare(_edition(tmp_path, side, box=box))
    codes = {d.code for d in prep.ctx.diagnostics}
    assert not codes & {"GRID-OVERLAP", "ITEM-OUTSIDE-MODULE", "ITEM-OUTSIDE-PAGE", "STORY-OVERSET"}, codes
    frame = prep.layout.pages[0].frame
    assert escapes(frame, gutter=prep.ctx.grid.gutter) == []
    module = next(m for m in frame.modules if m.kind == "story" and m.ref == "s")
    notch = _notch_rect(prep)
    assert module.notch == (notch.x, notch.y, notch.w, notch.h)
    # every character of the story printed, in order (it fits)
    assert placed_text([frame], "s") == story_source(prep.ctx.edition.stories["s"])
    runs = [r for r in frame.items if isinstance(r, GlyphRun) and r.source.story == "s"]
    for r in runs:  # nothing of the story in the notch
        assert not any(notch.x - 0.5 < g.left < notch.x1 - 0.5 and g.y > notch.y for g in r.glyphs), r.text
    # the notch is used: the deep columns run on below its top, the columns over it end above it
    layout = prep.layout.stories["s"]
    g = prep.ctx.grid
    at = prep.ctx.edition.pages[0].items[0].at
    deep = [p.row for p in layout.result.placed if not at.notched(round((p.slot.x - g.col_x(1)) / (g.column_width + g.gutter)))]
    over = [p.row for p in layout.result.placed if at.notched(round((p.slot.x - g.col_x(1)) / (g.column_width + g.gutter)))]
    assert over and max(over) <= 52 and max(deep) > 52
    # column rules: along the notch's top and down the gutter beside it
    rules = [i for i in frame.items if isinstance(i, Rule) and i.source.kind == "rule"]
    assert any(abs(r.y0 - notch.y) < 0.01 and abs(r.y1 - notch.y) < 0.01 for r in rules)
    inner = notch.x - g.gutter / 2 if side == "right" else notch.x1 + g.gutter / 2
    assert any(abs(r.x0 - inner) < 0.01 and r.y1 > notch.y for r in rules)
    if box:  # the border is the module's outline round the notch: six sides
        border = [i for i in frame.items if isinstance(i, Rule) and i.source.kind == "box"]
        assert len(border) == 6


def test_a_glyph_in_the_notch_is_an_escape():
    story = Module(100, 100, 300, 300, "story", "s1", notch=(250, 300, 150, 100))
    glyphs = tuple(PlacedGlyph(1, 300 + k * 10, 350, "字", 10) for k in range(3))
    frame = PageFrame("A01", 600, 800, (GlyphRun("F", 10, glyphs, BLACK, Source(story="s1", kind="body")),), (story,))
    found = escapes(frame)
    assert len(found) == 1 and found[0].by > 0
    [d] = escape_diagnostics(frame, found)
    assert d.code == "ITEM-OUTSIDE-MODULE" and "'s1'" in d.message
    # the same glyphs above the notch are inside
    glyphs = tuple(PlacedGlyph(1, 300 + k * 10, 250, "字", 10) for k in range(3))
    ok = PageFrame("A01", 600, 800, (GlyphRun("F", 10, glyphs, BLACK, Source(story="s1", kind="body")),), (story,))
    assert escapes(ok) == []


def _errors(path):
    from layout.diagnostics import InputError

    try:
        load_edition(path, grid=(8, 105))
    except InputError as err:
        return [d for d in err.diagnostics if d.severity.value == "error"]
    return []


@pytest.mark.parametrize("notch, code, words", [
    ({"side": "right", "cols": 8, "lines": 20}, "EDITION-VALUE", "full-depth column"),
    ({"side": "right", "cols": 3, "lines": 60}, "EDITION-VALUE", "first line"),
    ({"side": "top", "cols": 3, "lines": 20}, "EDITION-VALUE", "side"),
    ({"side": "right", "cols": 3, "line": 20}, "EDITION-UNKNOWN-KEY", "line"),
])
def test_a_bad_notch_is_a_clear_error_at_its_place(tmp_path, notch, code, words):
    errors = _errors(_edition(tmp_path, notch=notch))
    found = [d for d in errors if d.code == code]
    assert found, [(d.code, d.message) for d in errors]
    d = found[0]
    assert words in d.message + (d.hint or "") and d.location.line is not None and d.location.column is not None
    assert "notch-" in str(d.location.file)


def test_a_notch_on_an_ad_or_a_vertical_story_is_refused(tmp_path):
    path = _edition(tmp_path, ad_at={"col": 6, "line": 53, "cols": 3, "lines": 20,
                                     "notch": {"side": "left", "cols": 1, "lines": 2}})
    assert any(d.code == "EDITION-VALUE" and "only a story" in d.message for d in _errors(path))
    found = [d for d in _errors(_edition(tmp_path, extra={"direction": "vertical"})) if d.code == "GRID-NOTCH"]
    assert found and found[0].location.line is not None and "vertical" in found[0].message


def test_a_notched_module_in_report_json_and_the_proofs(tmp_path):
    """report.json gives the notch of the story's module; proof.html's box for it is cut to the L
    (the ad in the notch is what the pointer finds there); the proofs read it back."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from layout.proof.report import load_report

    out = tmp_path / "out"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "LAYOUT_CACHE": "off"}
    run = subprocess.run([sys.executable, "-m", "layout", "build", str(_edition(tmp_path)), "-o", str(out)],
                         capture_output=True, text=True, env=env, cwd=root)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads((out / "report.json").read_text("utf-8"))
    mods = [m for m in report["pages"][0]["modules"] if m["kind"] == "story" and m["ref"] == "s"]
    assert len(mods) == 1 and len(mods[0]["notch"]) == 4
    assert all("notch" not in m for m in report["pages"][0]["modules"] if m["ref"] != "s")
    html = (out / "proofs" / "proof.html").read_text("utf-8")
    assert html.count("clip-path:polygon(") == 1
    back = load_report(out)
    [m] = [m for m in back.pages[0].modules if m.ref == "s"]
    assert m.notch is not None and len(m.outline()) == 6
