"""A story with a vertical headline (`headline: {text: …, direction: vertical}`, issue 16) beside
horizontal stories on a horizontal page (found by a tester on an unseen edition).

The vertical head stands in part.items, not in the part's horizontal head block, so the planner
read its size as 0 pt. As the lead, that held every other headline of the page "no larger than
0 pt": no option of the other stories was left, the page went to the fallback layout, and there
each of them was set nowhere, its whole text reported AUTOLAYOUT-OVERSET while pagination printed
every character (and the same stories reported underset). Elsewhere on the page its headline was
not held under the lead's at all. The planner now reads the headline's size where it stands.

The fallback layout (this light page's) shares its rectangles out by what each story needs
(estimate.needs), which counted a head block of 6 lines a column over the text: a vertical head
takes a strip of whole columns down the module beside it, and the story got a module a column
short (its last 103 characters over, the next story's module half empty)."""

from __future__ import annotations

import pagegen
import pytest
from checks import check_page

SIZES = (2100, 1130, 350)  # the tester's page: a long story and two shorter ones, and a photo


def vertical_head_page(folder, position: int):
    stories = {f"s{k}": pagegen.story(f"s{k}", c, start=977 * k + 13) for k, c in enumerate(SIZES)}
    s = stories[f"s{position}"]
    s["headline"] = {"text": s["headline"], "direction": "vertical"}
    items: list[dict] = [{"story": f"s{k}"} for k in range(len(SIZES))]
    items.append({"photo": pagegen.photo(0, 3, 25)})
    pages = [{"page": "A02", "items": items}]
    return pagegen.write(folder, pages, stories, name=f"vhead-{position}")


@pytest.mark.parametrize("position", [0, 1, 2])
def test_other_stories_are_measured_beside_a_vertical_headline(prepared, tmp_path, position):
    prep, _ = prepared
    ctx, written = pagegen.context(prep, vertical_head_page(tmp_path, position))
    lay = pagegen.lay_out(ctx)
    check_page(ctx, lay, "A02", written=written)
    # What the engine reports over is what pagination leaves over: no story is said to be over by
    # characters it prints.
    for sid in ctx.edition.stories:
        said = [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-OVERSET" and d.story == sid]
        printed = lay.stories[sid].result
        assert not said or printed.overset_chars, (sid, [d.message for d in said], printed.chars_set)
        # and the page (840 column-lines for 3 500 characters and a photo) holds all of it: the
        # vertical head's strip is room the story's module must have beside its text
        assert not printed.overset_chars, (sid, printed.overset_chars)


@pytest.mark.parametrize("position", [1, 2])
def test_a_vertical_headline_is_held_under_the_leads(prepared, tmp_path, position):
    prep, _ = prepared
    ctx, _ = pagegen.context(prep, vertical_head_page(tmp_path, position))
    lay = pagegen.lay_out(ctx)
    sizes = {}
    for sid, layout in lay.stories.items():
        part = layout.parts[0]
        sizes[sid] = max([p.size for p in part.head.pieces if p.kind == "headline"]
                         + [r.size for r in part.items if getattr(r, "source", None) is not None
                            and r.source.kind == "headline" and hasattr(r, "glyphs")])
    assert sizes[f"s{position}"] <= sizes["s0"] + 1e-6, sizes


def test_a_short_story_beside_its_vertical_head_counts_its_text_columns(prepared, tmp_path):
    """AUTOLAYOUT-UNDERSET said '175 empty lines in its 3 columns (… columns balanced: 88, 87)' for a
    story whose vertical head took one of its three columns (qapages' /tmp/qapages/ed/vertical.yaml):
    the columns named are the columns whose feet it lists."""
    import re

    prep, _ = prepared
    stories = {"long": pagegen.story("long", 4200, start=100), "short": pagegen.story("short", 500, start=4000)}
    stories["short"]["headline"] = {"text": stories["short"]["headline"], "direction": "vertical"}
    pages = [{"page": "A02", "items": [{"story": "long"}, {"story": "short"}]}]
    ctx, _ = pagegen.context(prep, pagegen.write(tmp_path, pages, stories, name="vhead-short"))
    pagegen.lay_out(ctx)
    said = [d for d in ctx.diagnostics if d.code == "AUTOLAYOUT-UNDERSET" and d.story == "short"]
    assert said
    for d in said:
        m = re.search(r"in its (\d+) (?:text )?columns.*balanced: ([\d, ]+)\)", d.message)
        assert m, d.message
        assert int(m.group(1)) == len(m.group(2).split(",")), d.message
