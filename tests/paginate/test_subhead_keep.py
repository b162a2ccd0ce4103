"""R45 on whole pages: no sub-head is the last line of its column (or band, in vertical text) with
its text in the next one, on any page of the sample and the Taiwan test edition (horizontal stories
in balanced columns, vertical stories in bands)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.build import prepare
from layout.frames import GlyphRun

ROOT = Path(__file__).resolve().parents[2]


def stranded_subheads(frame, paragraphs: dict[str, int]) -> list[str]:
    """Sub-heads on the page whose story's next paragraph does not start in the same column below
    them (horizontal) or the same band to their left (vertical). `paragraphs`: story -> count."""
    first: dict[tuple[str, int], GlyphRun] = {}
    for item in frame.items:
        if isinstance(item, GlyphRun) and item.source.story and item.source.paragraph is not None:
            first.setdefault((item.source.story, item.source.paragraph), item)
    out = []
    for (story, n), run in first.items():
        if run.source.kind != "subhead" or n + 1 >= paragraphs.get(story, 0):
            continue
        nxt = first.get((story, n + 1))
        g0, g1 = run.glyphs[0], run.glyphs[-1]
        if nxt is None:
            out.append(f"{story} p{n}: its text is not on {frame.page_id}")
            continue
        h0, h1 = nxt.glyphs[0], nxt.glyphs[-1]
        if run.vertical:  # same band (the sub-head's middle within the line's extent), to its left
            mid = (g0.y + g1.y + g1.advance) / 2
            ok = h0.y - 1 <= mid <= h1.y + h1.advance + 1 and h0.x < g0.x
        else:  # same column, below it
            mid = (g0.x + g1.x + g1.advance) / 2
            ok = h0.x - 1 <= mid <= h1.x + h1.advance + 1 and h0.y > g0.y
        if not ok:
            out.append(f"{story} p{n} on {frame.page_id}: its text starts in another column")
    return out


@pytest.mark.parametrize("edition", ["editions/sample.yaml", "tests/vertical/data/taiwan.yaml"])
def test_no_subhead_stands_alone_at_a_column_foot(edition):
    prep = prepare(ROOT / edition)
    counts = {sid: len(s.paragraphs) for sid, s in prep.ctx.edition.stories.items()}
    found = [msg for p in prep.layout.pages for msg in stranded_subheads(p.frame, counts)]
    assert found == []


def test_a_vertical_story_never_ends_a_band_on_a_subhead(tmp_path):
    # Vertical stories of the Taiwan convention, bands of 30 lines of 13 characters: the first
    # paragraph's length walks the sub-head down band 1 past the point where only 2 lines are left
    # under it, which a 3-line paragraph cannot use (R38 carries it over whole).
    lengths = range(300, 360, 5)  # 12 pages: the template prints even counts
    pages = "".join(f"  - page: A{k + 1:02d}\n    section: 測試\n    items:\n      - story: v{k}\n"
                    "        at: {col: 1, line: 1, cols: 4, lines: 105}\n" for k in range(len(lengths)))
    stories = "".join(f"  v{k}:\n    headline: 豎排測試\n    direction: vertical\n    body: |\n"
                      f"      {'字' * n}\n      ## 小標題\n      {'文' * 34}\n" for k, n in enumerate(lengths))
    path = tmp_path / "bands.yaml"
    path.write_text("paper: 測試晨報\ndate: 2026-12-01\nissue: 1\nconvention: taiwan\npages:\n" + pages
                    + "stories:\n" + stories, "utf-8")
    prep = prepare(path)
    counts = {sid: len(s.paragraphs) for sid, s in prep.ctx.edition.stories.items()}
    found = [msg for p in prep.layout.pages for msg in stranded_subheads(p.frame, counts)]
    assert found == []
    for sid, s in prep.ctx.edition.stories.items():  # and nothing lost
        assert prep.layout.stories[sid].result.overset_lines == 0
        printed = "".join(r.text for p in prep.layout.pages for r in p.frame.runs()
                          if r.source.story == sid and r.source.kind in ("body", "subhead"))
        assert printed == "".join(p.text for p in s.paragraphs)
