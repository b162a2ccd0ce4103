"""The regional convention's effect on the copy (issue 16): quotes typed as “”‘’ are set as
「」『』 when the convention says so (Taiwan, Hong Kong; cjk-rules R1). A plain function from one
Edition to another; the texts of stories (headline, kicker, decks, byline, dateline, body,
captions, credits, teaser) change, delivered ads do not (their copy is the advertiser's)."""

from __future__ import annotations

from dataclasses import replace

from layout.model.edition import Edition, Story
from layout.text.vertical import corner_quotes


def with_corner_quotes(edition: Edition) -> Edition:
    return replace(edition, stories={k: _story(s) for k, s in edition.stories.items()})


def _story(s: Story) -> Story:
    q = corner_quotes
    return replace(
        s, headline=q(s.headline), kicker=q(s.kicker), decks=tuple(q(d) for d in s.decks), byline=q(s.byline),
        dateline=q(s.dateline), teaser=q(s.teaser),
        paragraphs=tuple(replace(p, text=q(p.text)) for p in s.paragraphs),
        photos=tuple(replace(ph, caption=q(ph.caption), credit=q(ph.credit)) for ph in s.photos),
    )
