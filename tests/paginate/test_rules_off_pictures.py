"""The hairline along the seam of two stacked modules is not drawn over a picture standing on the
seam: a free photo's picture starts at its module's top, and the rule overprinted it (225 % ink on
a dark picture, over the newsprint limit)."""

from PIL import Image

from layout.build import prepare
from layout.frames import ImageItem, Rule
from tests.paginate.conftest import MINI

A06 = "      - story: s06\n        at: {col: 1, line: 1, cols: 4, lines: 105}\n"


def test_no_seam_rule_over_a_picture(tmp_path):
    Image.new("RGB", (900, 1500), (40, 60, 90)).save(tmp_path / "p.jpg", "JPEG", dpi=(300, 300))
    text = MINI.read_text("utf-8")
    assert A06 in text
    text = text.replace(A06, A06.replace("lines: 105", "lines: 52") +
                        "      - story: s07\n        at: {col: 5, line: 1, cols: 4, lines: 52}\n"
                        "      - photo: {file: p.jpg, caption: 港區夜景。, cols: 2, lines: 30}\n"
                        "        at: {col: 1, line: 53, cols: 2, lines: 53}\n"
                        "      - story: s08\n        at: {col: 3, line: 53, cols: 6, lines: 53}\n", 1)
    text = text.replace("      - story: s07\n        at: {col: 1, line: 1, cols: 4, lines: 105}\n", "", 1)
    text = text.replace("      - story: s08\n        at: {col: 1, line: 1, cols: 4, lines: 105}\n", "", 1)
    path = tmp_path / "ed.yaml"
    path.write_text(text, "utf-8")
    prep = prepare(path)
    frame = next(p for p in prep.layout.pages if p.page.id == "A06").frame
    [pic] = [i for i in frame.items if isinstance(i, ImageItem)]
    rules = [i for i in frame.items if isinstance(i, Rule) and i.source.kind == "rule"]
    seams = [r for r in rules if abs(r.y0 - r.y1) < 1e-6 and abs(r.y0 - pic.y) < 1.0]
    assert seams  # the seam still has its rule over the story beside the photo …
    for r in seams:  # … but not over the picture
        assert min(r.x0, r.x1) >= pic.x + pic.w - 1e-6 or max(r.x0, r.x1) <= pic.x + 1e-6, (r, pic)
