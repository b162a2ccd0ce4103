"""Story options through the page description: boxed stories, and a jump that is not needed."""

from pathlib import Path

import pytest

from layout.build import prepare
from layout.diagnostics import InputError
from layout.frames import Box
from tests.e2e.conftest import MINI


def _edition(tmp_path, old, new):
    text = MINI.read_text("utf-8")
    assert old in text
    path = tmp_path / "ed.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


@pytest.mark.parametrize("style,fill,stroke", [("border", False, True), ("tint", True, False), ("both", True, True)])
def test_a_boxed_story_gets_a_border_or_tint_round_its_module(tmp_path, style, fill, stroke):
    ed = _edition(tmp_path, "    headline: 第2版測試稿件標題\n", f"    headline: 第2版測試稿件標題\n    box: {style}\n")
    prep = prepare(ed)
    page = next(p for p in prep.layout.pages if p.page.id == "A02")
    boxes = [i for i in page.frame.items if isinstance(i, Box) and i.source.kind == "box"]
    assert len(boxes) == 1
    box = boxes[0]
    module = next(m for m in page.frame.modules if m.ref == "s02")
    assert (box.fill is not None, box.stroke is not None) == (fill, stroke)
    assert box.x < module.x and box.x + box.w > module.x + module.w  # in the gutters round the module
    assert box.fill is None or box.fill.total <= 30  # surprinted text: a tint of 30 % or less
    # the box is drawn first: text printed over it
    assert page.frame.items.index(box) < min(i for i, it in enumerate(page.frame.items)
                                              if getattr(it, "source", None) and it.source.story == "s02"
                                              and it.source.kind == "headline")


def test_an_unknown_box_style_is_an_input_error_with_a_suggestion(tmp_path):
    ed = _edition(tmp_path, "    headline: 第2版測試稿件標題\n", "    headline: 第2版測試稿件標題\n    box: bordr\n")
    with pytest.raises(InputError) as err:
        prepare(ed)
    d = err.value.diagnostics[0]
    assert d.location.file.endswith("ed.yaml") and d.location.line is not None
    assert "border" in (d.hint or "")


def test_a_story_that_fits_drops_its_jump_line_and_warns(tmp_path):
    text = MINI.read_text("utf-8")
    lead = "      本市今天發佈《人工智能產業發展三年行動計劃》，提出到2028年全市AI產業規模突破1,000億元。\n"
    path = tmp_path / "short.yaml"
    path.write_text(text.replace(lead * 70, lead * 5), "utf-8")
    prep = prepare(path)
    lay = prep.layout.stories["lead"]
    assert len(lay.parts) == 1
    assert not [i for i in lay.parts[0].items if i.source.kind == "jump"]
    assert any(d.code == "JUMP-UNUSED" for d in prep.ctx.diagnostics)


def test_text_lints_reach_the_build_with_the_paragraph_line(tmp_path):
    old = "      這是第3版的測試稿件"
    ed = _edition(tmp_path, old, "      他說：“明年還要再建三座。\n      第二段沒有重開引號。\n      這是第3版的測試稿件")
    prep = prepare(ed)
    found = [d for d in prep.ctx.diagnostics if d.code == "TEXT-QUOTE-OPEN"]
    assert len(found) == 1 and found[0].story == "s03" and found[0].paragraph == 0
    line = next(n for n, t in enumerate(ed.read_text("utf-8").splitlines(), 1) if "明年還要再建三座" in t)
    assert found[0].location.line == line


def test_a_configured_face_serves_its_role(tmp_path):
    face = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
    if not face.exists():
        pytest.skip("fonts-noto-cjk is not installed")
    ed = _edition(tmp_path, "issue: 8123\n", f"issue: 8123\nfonts:\n  body: [{{file: {face}, index: 3}}]\n")
    prep = prepare(ed)
    faces = {r.face for p in prep.layout.pages for r in p.frame.runs() if r.source.kind == "body"}
    assert faces == {"NotoSerifCJK-Regular#3"}  # the collection file and its face index


def test_a_missing_font_file_is_an_input_error_at_its_line(tmp_path):
    ed = _edition(tmp_path, "issue: 8123\n", "issue: 8123\nfonts:\n  body: [{file: fonts/FZShuSong.ttf}]\n")
    with pytest.raises(InputError) as err:
        prepare(ed)
    d = err.value.diagnostics[0]
    assert d.code == "FONT-FILE" and d.location.line == 5 and "FZShuSong" in d.message


def test_a_caption_beside_the_picture_stands_in_the_frames_last_column(tmp_path):
    import shutil

    from layout.frames import GlyphRun, ImageItem
    from tests.e2e.conftest import ROOT

    shutil.copyfile(ROOT / "assets" / "photos" / "market.jpg", tmp_path / "market.jpg")
    photo = ("    photos:\n      - file: market.jpg\n        caption: 夜市攤位前，市民挑選本地出產的柑橘與臘肉。\n"
             "        credit: 本報記者 林曉 攝\n        cols: 3\n        lines: 12\n        caption_side: right\n")
    ed = _edition(tmp_path, "    headline: 第2版測試稿件標題\n", "    headline: 第2版測試稿件標題\n" + photo)
    prep = prepare(ed)
    page = next(p for p in prep.layout.pages if p.page.id == "A02")
    g = prep.template.grid
    image = next(i for i in page.frame.items if isinstance(i, ImageItem))
    assert image.w == pytest.approx(g.span_width(2))  # the picture gives up one column to its caption
    caption = [r for r in page.frame.items if isinstance(r, GlyphRun) and r.source.kind in ("caption", "credit")]
    assert caption
    for run in caption:
        assert run.glyphs[0].left >= image.x + image.w + g.gutter - 0.01
        assert run.glyphs[-1].left + run.glyphs[-1].advance <= image.x + image.w + g.gutter + g.column_width + 0.01
    assert max(r.glyphs[0].y for r in caption) <= image.y + image.h + 0.01  # ends on the picture's foot
    body = [r for r in page.frame.items if isinstance(r, GlyphRun) and r.source.kind == "body"]
    for run in body:  # and the body text still keeps out of the whole frame
        for gl in run.glyphs:
            inside_x = gl.left < image.x + g.span_width(3) and gl.left + gl.advance > image.x
            assert not (inside_x and image.y <= gl.y <= image.y + image.h)


def test_a_sub_head_with_no_text_under_it_is_reported_at_its_line(tmp_path):
    """qa2's generated stories ended on a sub-head (a section cut, its sub-head left): it printed
    at the foot of the story heading nothing, with no word in the report."""
    old = "      這是第3版的測試稿件"
    ed = _edition(tmp_path, old, "      這是第3版的測試稿件\n      ## 老人吃飯有了好去處")
    prep = prepare(ed)
    found = [d for d in prep.ctx.diagnostics if d.code == "TEXT-SUBHEAD-ALONE"]
    assert len(found) == 1 and found[0].story == "s03" and "no text under it" in found[0].message
    line = next(n for n, t in enumerate(ed.read_text("utf-8").splitlines(), 1) if "老人吃飯有了好去處" in t)
    assert found[0].location.line == line
