"""A photo deeper than the room left in its module is cropped to the room (an error saying so),
or left out with an error when not even a short picture and its caption fit; never drawn over
the page below. A credit longer than its line wraps instead of losing its end."""

import pytest
from PIL import Image

from layout.build import prepare
from layout.frames import GlyphRun, ImageItem, escapes
from tests.paginate.conftest import MINI

A06 = "      - story: s06\n        at: {col: 1, line: 1, cols: 4, lines: 105}\n"
S06 = "  s06:\n    headline: 第6版測試稿件標題\n"


def _edition(tmp_path, lines: int, module_lines: int, credit: str = "本報記者 林曉 攝", free: bool = False):
    Image.new("RGB", (800, 600), (90, 120, 150)).save(tmp_path / "p.jpg", "JPEG", dpi=(200, 200))
    text = MINI.read_text("utf-8")
    assert A06 in text and S06 in text
    photo = (f"      - file: p.jpg\n        caption: 市民在公園裡散步。\n        credit: {credit}\n"
             f"        cols: 2\n        lines: {lines}\n")
    if free:
        text = text.replace(A06, f"      - story: s06\n        at: {{col: 1, line: 1, cols: 4, lines: 60}}\n"
                                 f"      - photo: {{file: p.jpg, caption: 市民在公園裡散步。, lines: {lines}}}\n"
                                 f"        at: {{col: 5, line: 1, cols: 4, lines: {module_lines}}}\n", 1)
    else:
        text = text.replace(A06, A06.replace("lines: 105", f"lines: {module_lines}"), 1)
        text = text.replace(S06, S06 + "    photos:\n" + photo, 1)
    path = tmp_path / "ed.yaml"
    path.write_text(text, "utf-8")
    return path


def _page(prep, page_id="A06"):
    return next(p for p in prep.layout.pages if p.page.id == page_id)


def _photo_escapes(page):
    return [e for e in escapes(page.frame, gutter=9.0) if e.item.source.kind in ("photo", "caption", "credit")]


def _inside(module, item):
    if isinstance(item, ImageItem):
        return module.y - 0.5 <= item.y and item.y + item.h <= module.y + module.h + 0.5
    g = item.glyphs[0]
    return g.y + 0.12 * item.size <= module.y + module.h + 0.5


@pytest.mark.parametrize("free", [False, True])
def test_a_photo_deeper_than_its_room_is_cropped_to_it_with_an_error(tmp_path, free):
    prep = prepare(_edition(tmp_path, lines=60, module_lines=30, free=free))
    [d] = [d for d in prep.ctx.diagnostics if d.code == "PHOTO-DOES-NOT-FIT"]
    assert d.severity == "error" and "cropped" in d.message and "p.jpg" in d.message and d.location.line
    page = _page(prep)
    module = next(m for m in page.frame.modules if m.kind == ("photo" if free else "story"))
    [pic] = [i for i in page.frame.items if isinstance(i, ImageItem)]
    assert pic.h < 60 * prep.ctx.grid.pitch
    kinds = {"photo", "caption", "credit"}
    mine = [i for i in page.frame.items if i.source.kind in kinds]
    assert mine and all(_inside(module, i) for i in mine)
    assert any(isinstance(i, GlyphRun) and i.source.kind == "caption" for i in mine)
    assert not _photo_escapes(page)


def test_a_photo_with_no_room_at_all_is_left_out_with_an_error(tmp_path):
    prep = prepare(_edition(tmp_path, lines=20, module_lines=8))
    [d] = [d for d in prep.ctx.diagnostics if d.code == "PHOTO-DOES-NOT-FIT"]
    assert "not printed" in d.message
    assert not [i for i in _page(prep).frame.items if isinstance(i, ImageItem)]
    assert not _photo_escapes(_page(prep))


def test_a_long_credit_wraps_and_is_printed_whole(tmp_path):
    credit = "本報記者 林曉 實習記者 張小明 通訊員 王大偉 李華 趙小燕 孫一凡 攝"
    prep = prepare(_edition(tmp_path, lines=16, module_lines=105, credit=credit))
    runs = [i for i in _page(prep).frame.items if isinstance(i, GlyphRun) and i.source.kind == "credit"]
    printed = "".join(r.text for r in sorted(runs, key=lambda r: r.glyphs[0].y))
    assert printed.replace("\u3000", "") == credit.replace(" ", "")
    assert len({r.glyphs[0].y for r in runs}) >= 2
