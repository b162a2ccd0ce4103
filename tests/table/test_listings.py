"""A TV listing: times aligned on the colon, programme titles mixing Chinese and Latin."""

from __future__ import annotations

from tablekit import lay_out, write_edition

from layout.frames import GlyphRun

TV = """
tv:
  title: 今晚電視節目
  header: [時間, 頻道, 節目]
  columns: {時間: time, 節目: {width: 1}}
  rows:
    - ["9:30", CCTV-1, 新聞聯播重播]
    - ["18:00", 重慶衛視, 天天630]
    - ["19:30", CCTV-5, NBA常規賽：湖人 vs 勇士（直播）]
    - ["21:05", 重慶衛視, 電視劇《山城往事》第12集]
"""


def test_times_align_on_the_colon(kit, tmp_path):
    path = write_edition(tmp_path, TV, "- table: tv\n  at: {col: 1, line: 1, cols: 2, lines: 20}")
    lay, diags = lay_out(kit, path)
    assert [d.format() for d in diags if d.severity == "error"] == []
    cells = [r for r in lay.pages[0].frame.items if isinstance(r, GlyphRun) and r.source.kind == "table-cell"]
    colons = [next(g.x for g in r.glyphs if g.text == ":") for r in cells if ":" in r.text]
    assert len(colons) == 4 and max(colons) - min(colons) < 0.01
    text = "".join(r.text for r in cells if r.source.paragraph == 2).replace(" ", "")
    assert "NBA常規賽：湖人vs勇士（直播）" in text

