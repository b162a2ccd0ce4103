"""White space on a page pinned item by item is said (PAGE-GAP): a tester's front page with two
stories down to line 49 and a three-line teaser strip left lines 53–72 empty, without a word."""

from __future__ import annotations

import yaml

from layout.build import prepare
from layout.model.edition import At, Page, PageItem
from layout.paginate.gaps import empty_areas


def _page(*rects):
    return Page(id="A01", items=tuple(PageItem(kind="story", ref=f"s{k}", at=At(*r)) for k, r in enumerate(rects)))


def test_empty_areas_cover_exactly_the_uncovered_cells():
    page = _page((1, 10, 2, 40), (3, 10, 4, 40), (1, 50, 6, 3))
    assert empty_areas(page, 6, 10, 72) == [(1, 53, 6, 20)]
    assert empty_areas(_page((1, 1, 6, 72)), 6, 1, 72) == []
    # an L of empty cells: two rectangles, every cell once
    page = _page((1, 1, 4, 30))
    areas = empty_areas(page, 6, 1, 40)
    cells = {(c, ln) for col, line, w, h in areas for c in range(col, col + w) for ln in range(line, line + h)}
    assert len(cells) == sum(w * h for *_, w, h in areas) == 6 * 40 - 4 * 30


def test_a_pinned_page_with_a_hole_warns_and_a_full_one_does_not(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    body = "市交通運輸局有關負責人表示，將結合軌道環線開通後的客流變化優化公交線路。" * 40
    items = [{"story": "a", "at": {"col": 1, "line": 10, "cols": 2, "lines": 40}},
             {"story": "b", "at": {"col": 3, "line": 10, "cols": 4, "lines": 40}}]
    doc = {"paper": "測試報", "date": "2026-12-01", "issue": 1, "template": "tabloid",
           "pages": [{"page": "A01", "masthead": True, "items": items},
                     {"page": "A02", "items": [{"story": "c", "at": {"col": 1, "line": 1, "cols": 6, "lines": 72}}]}],
           "stories": {"a": {"headline": "甲", "body": body}, "b": {"headline": "乙", "body": body},
                       "c": {"headline": "丙", "body": body}}}
    path = tmp_path / "gap.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    prep = prepare(path)
    gaps = [d for d in prep.ctx.diagnostics if d.code == "PAGE-GAP"]
    assert [(d.page, d.severity) for d in gaps] == [("A01", "warning")]
    assert "6 × 23 column-lines at col 1, line 50" in gaps[0].message
    assert "at: {col: 1, line: 50, cols: 6, lines: 23}" in gaps[0].hint
