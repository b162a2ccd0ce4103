"""Every character of a vertical story printed or counted overset, also where its text holds
numbers (issue 13's "every character printed or reported overset", found by running the generated
pages of test_page_properties.py with one story set vertically).

A digit run of two (R54, tate-chu-yoko) is set in one 〇 cell (layout/text/vertical.py prepare);
the flow counts a line's characters by its glyphs (layout/paginate/flow.py _chars), so such a cell
counted one character for two, and report.json's chars_set + overset_chars came out under its
chars (1 200 + 0 of 1 290: three two-digit cells a paragraph, 30 paragraphs). The composed column
now names the cell by its digits, and the flow counts a glyph's characters, not the glyph."""

from __future__ import annotations

import pagegen
from checks import check_page, story_chars

NUMBERS = "2026年12月1日起，全市新增30條公交線路，日均客流超過45萬人次，票價維持2元。"


def vertical_page(folder, digits: bool):
    para = NUMBERS if digits else pagegen.han(len(NUMBERS), 300)
    body = "\n".join([para] * 30)
    stories = {"v": {"headline": pagegen.han(10, 5), "byline": "本報記者 陳思遠", "body": body,
                     "direction": "vertical"},
               "h": pagegen.story("h", 1500, start=4000)}
    pages = [{"page": "A02", "items": [{"story": "v"}, {"story": "h"}]}]
    return pagegen.write(folder, pages, stories, name="vertical")


def laid_out(prepared, tmp_path, digits: bool):
    prep, _ = prepared
    ctx, written = pagegen.context(prep, vertical_page(tmp_path, digits))
    return ctx, written, pagegen.lay_out(ctx)


def test_a_vertical_story_without_numbers_is_counted_whole(prepared, tmp_path):
    ctx, written, lay = laid_out(prepared, tmp_path, digits=False)
    check_page(ctx, lay, "A02", written=written)
    r = lay.stories["v"].result
    assert r.chars_set + r.overset_chars == story_chars(ctx.edition.stories["v"])


def test_a_vertical_story_with_numbers_is_counted_whole(prepared, tmp_path):
    ctx, written, lay = laid_out(prepared, tmp_path, digits=True)
    r = lay.stories["v"].result
    assert r.chars_set + r.overset_chars == story_chars(ctx.edition.stories["v"])
