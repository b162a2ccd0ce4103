"""A headline the editor broke into more lines (newlines) than the template's `max_lines` is
reported as that: "does not fit in 2 lines at 30 pt over 3 columns; set in 3 lines" sent the
editor to shorten it or widen the story, which no width could help. Its lines are kept and printed."""

from __future__ import annotations

import dataclasses

from layout.paginate.deck import head_block


def test_three_editor_lines_against_a_two_line_limit_are_said_so(ctx):
    assert ctx.template.headline.max_lines == 2
    story = next(s for s in ctx.edition.stories.values() if s.headline)
    story = dataclasses.replace(story, headline="市民\n今起\n免費乘車", kicker="", decks=(), byline="")
    head = head_block(ctx, story, ctx.grid.span_width(3), 3)
    set_lines = ["".join(g.text for g in p.line.glyphs).strip() for p in head.pieces if p.kind == "headline"]
    assert set_lines == ["市民", "今起", "免費乘車"]  # the editor's lines, printed
    (d,) = [d for d in ctx.diagnostics if d.code == "HEADLINE-TOO-LONG"]
    assert "the editor broke the headline into 3 lines and the template allows 2" in d.message, d.message
    assert "remove a line break" in d.hint and d.story == story.id


def test_a_headline_the_editor_broke_within_the_limit_is_not_reported(ctx):
    story = next(s for s in ctx.edition.stories.values() if s.headline)
    story = dataclasses.replace(story, headline="市民\n今起免費乘車", kicker="", decks=(), byline="")
    head_block(ctx, story, ctx.grid.span_width(3), 3)
    assert not [d for d in ctx.diagnostics if d.code == "HEADLINE-TOO-LONG"]
