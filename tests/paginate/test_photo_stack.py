"""A story's photos with no `at:` each get their own room: the first at the top right, the next
under it or in other columns, never drawn over one another (they all went to the top right, one
picture and caption printed over the other)."""

from PIL import Image

from layout.build import prepare
from layout.frames import GlyphRun, ImageItem
from tests.paginate.conftest import MINI

A06 = "      - story: s06\n        at: {col: 1, line: 1, cols: 4, lines: 105}\n"
S06 = "  s06:\n    headline: 第6版測試稿件標題\n"


def _edition(tmp_path, cols: list[int], module_cols: int = 8, module_lines: int = 80):
    Image.new("RGB", (800, 600), (90, 120, 150)).save(tmp_path / "p.jpg", "JPEG", dpi=(300, 300))
    text = MINI.read_text("utf-8")
    assert A06 in text and S06 in text
    text = text.replace(A06, A06.replace("cols: 4, lines: 105", f"cols: {module_cols}, lines: {module_lines}"), 1)
    photos = "".join(f"      - file: p.jpg\n        caption: 第{n}張圖片的說明。\n        credit: 本報記者 林曉 攝\n"
                     f"        cols: {c}\n        lines: 18\n" for n, c in enumerate(cols, 1))
    text = text.replace(S06, S06 + "    photos:\n" + photos, 1)
    path = tmp_path / "ed.yaml"
    path.write_text(text, "utf-8")
    return path


def _overlap(a, b) -> bool:
    return a.x < b.x + b.w - 0.5 and b.x < a.x + a.w - 0.5 and a.y < b.y + b.h - 0.5 and b.y < a.y + a.h - 0.5


def test_photos_without_at_do_not_overlap_and_keep_their_captions(tmp_path):
    prep = prepare(_edition(tmp_path, [2, 3, 2, 3]))
    page = next(p for p in prep.layout.pages if p.page.id == "A06")
    pics = [i for i in page.frame.items if isinstance(i, ImageItem)]
    assert len(pics) == 4
    assert not [(a, b) for n, a in enumerate(pics) for b in pics[n + 1:] if _overlap(a, b)]
    runs = [i for i in page.frame.items if isinstance(i, GlyphRun) and i.source.kind in ("caption", "credit")]
    text = "".join(r.text for r in runs)
    for n in range(1, 5):
        assert f"第{n}張圖片的說明。" in text
    assert text.count("攝") == 4
    # no caption line drawn over another one or over a picture
    boxes = [(r.glyphs[0].x, r.glyphs[0].y, r.glyphs[-1].x - r.glyphs[0].x + r.size, r.size) for r in runs]
    for n, (x, y, w, h) in enumerate(boxes):
        for x2, y2, w2, _ in boxes[n + 1:]:
            assert not (x < x2 + w2 and x2 < x + w and abs(y - y2) < h / 2), (x, y, x2, y2)
    assert not [d for d in prep.ctx.diagnostics if d.code == "PHOTO-DOES-NOT-FIT"]


def test_a_photo_with_no_room_left_beside_the_others_is_reported(tmp_path):
    prep = prepare(_edition(tmp_path, [4, 4, 4], module_cols=4, module_lines=50))
    page = next(p for p in prep.layout.pages if p.page.id == "A06")
    pics = [i for i in page.frame.items if isinstance(i, ImageItem)]
    assert not [(a, b) for n, a in enumerate(pics) for b in pics[n + 1:] if _overlap(a, b)]
    assert [d for d in prep.ctx.diagnostics if d.code == "PHOTO-DOES-NOT-FIT"]
