"""Pages booked far beyond what they hold (found by qapages, building editions of its own): seven
stories with a photo each on one page, the lead jumping. What the engine cannot give the page is
said per story, and a jumping story's rest is never called overset on its first page."""

from __future__ import annotations

import pagegen
import pytest
from checks import story_chars


def packed(folder, *, jump: str):
    """A02: seven stories of 1 400–2 100 characters, each with a photo 3 × 26 and a deck: twice what
    the page holds. The lead jumps (to A04's continued: slot, or `auto`)."""
    chars = (1850, 1860, 1760, 1370, 1730, 1520, 2080)
    stories = {f"p{k}": pagegen.story(f"p{k}", c, start=733 * k, decks=1, kicker=k % 2 == 0,
                                      photos=[pagegen.photo(k, 3 + k % 2, 26 + k % 4)],
                                      jump=jump if k == 0 else None)
               for k, c in enumerate(chars)}
    stories["near"] = pagegen.story("near", 2100, start=5000)
    stories["far"] = pagegen.story("far", 300, start=7000)
    a04: list[dict] = [{"story": "far"}]
    if jump != "auto":
        a04.append({"continued": "p0"})
    pages = [{"page": "A02", "items": [{"story": s} for s in stories if s.startswith("p")]},
             {"page": "A03", "items": [{"story": "near"}]},
             {"page": "A04", "items": a04}]
    return pagegen.write(folder, pages, stories, name=f"packed-{jump}")


@pytest.mark.parametrize("jump", ["A04", "auto"])
def test_a_jumping_lead_squeezed_out_of_its_page_is_not_called_overset(prepared, tmp_path, jump):
    """Once 'story p0 on page A02 is over by 1822 characters … no layout of the page holds all of it'
    while the whole of it was printed on its jump page (report.json: 0 overset)."""
    prep, _ = prepared
    ctx, _ = pagegen.context(prep, packed(tmp_path, jump=jump))
    lay = pagegen.lay_out(ctx)
    p0 = lay.stories["p0"]
    assert len(p0.parts) == 2
    assert p0.result.chars_set + p0.result.overset_chars == story_chars(ctx.edition.stories["p0"])
    over = [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-OVERSET" and d.story == "p0"]
    first = [d for d in over if d.page == "A02"]
    assert not first, [d.message for d in first]
    # what is over after the jump (if any) is said on the jump page, with report.json's count
    assert p0.result.overset_chars == sum(int(d.message.split(" by ")[1].split()[0]) for d in over)
    # every story over on A02 is said there once, with the count report.json gives (pagination's)
    for k in range(1, 7):
        r = lay.stories[f"p{k}"].result
        said = [d for d in ctx.diagnostics if "OVERSET" in d.code and d.story == f"p{k}"]
        assert bool(r.overset_chars) == bool(said), (k, r.overset_chars, [d.message for d in said])
        for d in said:
            assert f"by {r.overset_chars} characters ({r.overset_lines} lines)" in d.message, (d.message, r)
            assert d.page == "A02"
        assert len(said) <= 1


def test_a_slot_for_a_story_that_fits_its_first_page_gives_its_room_to_the_page(prepared, tmp_path):
    """qapages' 8-page edition booked the lead's rest on A03 (`jump: A03`, a `continued:` slot the
    engine sizes); the lead fitted A01, and A03 printed a 4 × 46 white module ('the continuation of
    story renewal on page A03 is short: 451 empty lines', JUMP-UNUSED). The slot is left out and
    the page's stories take the room."""
    prep, _ = prepared
    stories = {"lead": pagegen.story("lead", 1500, decks=1, photos=[pagegen.photo(0, 4, 24)], jump="A03"),
               "a2": pagegen.story("a2", 2600, start=3000), "b1": pagegen.story("b1", 2400, start=6000),
               "b2": pagegen.story("b2", 2000, start=9000)}
    pages = [{"page": "A02", "items": [{"story": "lead"}, {"story": "a2"}]},
             {"page": "A03", "items": [{"story": "b1"}, {"continued": "lead"}, {"story": "b2"}]}]
    ctx, written = pagegen.context(prep, pagegen.write(tmp_path, pages, stories, name="unused-slot"))
    lay = pagegen.lay_out(ctx)
    assert [p.page for p in lay.stories["lead"].parts] == ["A02"]
    assert lay.stories["lead"].result.overset_chars == 0
    a03 = ctx.edition.page("A03")
    assert [i.kind for i in a03.items] == ["story", "story"]
    said = [d for d in ctx.diagnostics if d.code == "JUMP-UNUSED"]
    assert len(said) == 1 and said[0].page == "A03" and said[0].story == "lead"
    # the two stories share the whole page
    assert sum(i.at.cols * i.at.lines for i in a03.items) == ctx.grid.columns * ctx.grid.lines
    assert not [d for d in ctx.diagnostics if d.story == "lead" and d.page == "A03" and d.code != "JUMP-UNUSED"]


def test_a_jump_page_shares_its_room_by_the_rest_that_continues(prepared, tmp_path):
    """A04 holds a short story (listed first) and the continuation of A02's lead. The fallback shared
    the page out by the whole lead's need, its photo included (it stays on A02): the continuation
    got 8 × 91 and the short story 8 × 14, 308 of its 320 characters over (qapages'
    /tmp/qapages/ed/overfull-jump.yaml: gas-safety over by 31 beside 542 empty lines)."""
    prep, _ = prepared
    stories = {"p0": pagegen.story("p0", 1850, decks=1, kicker=True, photos=[pagegen.photo(4, 5, 29)], jump="A04"),
               "p1": pagegen.story("p1", 4200, start=900, decks=1, photos=[pagegen.photo(1, 4, 26)]),
               "p2": pagegen.story("p2", 3900, start=2900, decks=1, photos=[pagegen.photo(2, 4, 26)]),
               "p3": pagegen.story("p3", 3000, start=5900, photos=[pagegen.photo(3, 3, 26)]),
               "near": pagegen.story("near", 2100, start=5000),
               "far": pagegen.story("far", 320, start=7000, decks=2, kicker=True)}
    pages = [{"page": "A02", "items": [{"story": s} for s in ("p0", "p1", "p2", "p3")]},
             {"page": "A03", "items": [{"story": "near"}]},
             {"page": "A04", "items": [{"story": "far"}, {"continued": "p0"}]}]
    ctx, _ = pagegen.context(prep, pagegen.write(tmp_path, pages, stories, name="jump-page"))
    lay = pagegen.lay_out(ctx)
    assert [p.page for p in lay.stories["p0"].parts] == ["A02", "A04"]
    assert lay.stories["far"].result.overset_chars == 0
    assert lay.stories["p0"].result.overset_chars == 0
