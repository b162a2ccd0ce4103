"""Importance with a vertical lead (issue 13 with issue 16's vertical stories), found by running the
generated pages of test_page_properties.py with one story set vertically: on a crowded fallback
page the vertical lead got a module shallower than one band (2 × 8: no vertical line fits, 717 of
its 739 characters over) where pagination still printed its headline at 18 pt, but
vertical.fitted_head said 0 pt (its trial module refused), so no other headline was held under
it: the pinned second story's came out at 32 pt and the others at their widths' sizes."""

from __future__ import annotations

import re

import pagegen
import yaml
from checks import check_page

from layout.autolayout import vertical as vl
from layout.model.edition import At
from layout.paginate.story import layout_part

# 6 stories (the second pinned at the top right), two of them with photos, three booked ads and a
# box ad the engine sizes: more text than the page holds, laid out by the fallback.
CROWDED = (6, [739, 4984, 1824, 2098, 3213, 155], [3, 2], [(6, 10), (2, 20), (5, 25)], "second", False, False, "box")


def vertical_lead(path):
    """The generated edition at `path` with its lead set vertically; its digits left out (a digit
    run's count is test_vertical_accounting.py's, a known defect of its own)."""
    doc = yaml.safe_load(path.read_text("utf-8"))
    lead = doc["stories"]["s0"]
    lead["direction"] = "vertical"
    lead["body"] = re.sub(r"[0-9]", "", lead["body"])
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def printed_head(part) -> float:
    return max((r.size for r in part.items if getattr(r, "source", None) is not None
                and r.source.kind == "headline" and hasattr(r, "glyphs")), default=0.0)


def test_a_vertical_lead_holds_the_other_headlines_under_its_own(prepared, tmp_path):
    prep, _ = prepared
    path = vertical_lead(pagegen.generated(tmp_path, *CROWDED))
    ctx, written = pagegen.context(prep, path)
    lay = pagegen.lay_out(ctx)
    check_page(ctx, lay, "A02", written=written)  # importance kept, the pinned second story's headline too
    lead = lay.stories["s0"].parts[0]
    assert lay.stories["s0"].story.direction == "vertical"
    # the fallback gives a vertical story a band of body at least
    assert lead.at.lines >= vl.band_depth(ctx, 1)
    head = printed_head(lead)
    assert head > 0
    for k in range(1, CROWDED[0]):
        assert printed_head(lay.stories[f"s{k}"].parts[0]) <= head + 1e-6, f"s{k}"


def test_a_vertical_headline_is_what_pagination_prints_even_where_its_module_is_refused(prepared, tmp_path):
    """fitted_head, as for a horizontal story (estimate.fitted_head): the size pagination sets the
    headline at in the module, also in one too shallow for a band of body."""
    prep, _ = prepared
    path = vertical_lead(pagegen.generated(tmp_path, *CROWDED))
    ctx, _ = pagegen.context(prep, path)
    story = ctx.edition.stories["s0"]
    for at in (At(1, 1, 2, 8), At(1, 1, 3, 40)):
        want = printed_head(layout_part(ctx, story, "A02", at, lead=False, continued_from=None, jump_to=None,
                                        module_index=0))
        assert want > 0
        assert vl.fitted_head(ctx, story, at, lead=False) == want
