"""A placed story without text is reported at the story's entry, not laid out as a headline over
an empty module without a word (issue 17: a story with an empty text file was neither set nor
reported)."""

import pytest

from layout.build import prepare
from tests.paginate.conftest import MINI

S02 = """  s02:
    headline: 第2版測試稿件標題
    teaser: 第2版導讀
    body: |
      這是第2版的測試稿件，用於檢查分欄、基線網格和溢排統計是否準確。
      ## 小標題
      本報記者報道，2026年全市GDP增長5.6%，其中“數字經濟”貢獻超過三成……
"""


def _edition(tmp_path, story: str):
    text = MINI.read_text("utf-8")
    assert S02 in text
    path = tmp_path / "ed.yaml"
    path.write_text(text.replace(S02, story, 1), "utf-8")
    return path


def _line_of(path, needle):
    return next(n for n, line in enumerate(path.read_text("utf-8").split("\n"), 1) if line.startswith(needle))


@pytest.mark.parametrize("body, content", [
    ("    body: s02.txt\n", ""),  # a zero-byte file
    ("    body: s02.txt\n", "\n  \n\u3000\n"),  # blank lines and a typed indent only
    ("", None),  # no body at all
    ("    body: |\n      ## 只有小標題\n", None),
])
def test_a_placed_story_without_text_is_an_error_at_its_entry(tmp_path, body, content):
    if content is not None:
        (tmp_path / "s02.txt").write_text(content, "utf-8")
    ed = _edition(tmp_path, "  s02:\n    headline: 第2版測試稿件標題\n    teaser: 第2版導讀\n" + body)
    diags = prepare(ed).ctx.diagnostics
    [d] = [d for d in diags if d.code == "STORY-NO-TEXT"]
    assert d.severity == "error" and d.story == "s02" and d.page == "A02"
    assert (d.location.file, d.location.line, d.location.column) == (str(ed), _line_of(ed, "  s02:"), 3)
    assert "empty lines" in d.message and d.hint


def test_stories_with_text_are_not_reported(mini_prepared):
    assert not [d for d in mini_prepared.ctx.diagnostics if d.code == "STORY-NO-TEXT"]


def test_a_picture_story_without_text_is_a_warning(tmp_path):
    from PIL import Image

    Image.new("RGB", (400, 300), (90, 120, 150)).save(tmp_path / "p.jpg", "JPEG", dpi=(200, 200))
    ed = _edition(tmp_path, "  s02:\n    headline: 第2版測試稿件標題\n    teaser: 第2版導讀\n"
                            "    photos:\n      - file: p.jpg\n        caption: 圖片說明\n        cols: 4\n        lines: 20\n")
    [d] = [d for d in prepare(ed).ctx.diagnostics if d.code == "STORY-NO-TEXT"]
    assert d.severity == "warning" and d.location.line == _line_of(ed, "  s02:")
