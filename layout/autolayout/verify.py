"""What the automatic layout promised, checked on the paginated pages: a story the engine placed
whose columns came out short (R42 counted per column, layout.autolayout.estimate.level_feet) is
reported even where the plan's estimate expected level feet — the fallback layout, for one, may
give a story a module other than the one it measured. The estimate saves time; the page as set
is what the editor gets, so it has the last word."""

from __future__ import annotations

import dataclasses

from layout.autolayout.estimate import level_feet, part_feet
from layout.model.edition import Edition
from layout.paginate.context import Context
from layout.paginate.edition import EditionLayout


def report_short_columns(ctx: Context, written: Edition, lay: EditionLayout) -> None:
    """AUTOLAYOUT-UNDERSET for each engine-placed story (no `at:` in `written`, the edition as
    loaded) whose last part on a page ends with columns short, unless the plan said so already;
    STORY-UNDERSET for a pinned one."""
    said = {(d.page, d.story) for d in ctx.diagnostics if d.code == "AUTOLAYOUT-UNDERSET"}
    g = ctx.grid
    # The placed edition's items, so that a continuation slot the engine added for a `jump: auto`
    # story (on no page of `written`) is checked too: one left 79 lines short in four of its eight
    # columns was said nowhere. Whether an item was pinned is read from `written`.
    pinned = {(p.id, i.kind, i.ref) for p in written.pages for i in p.items if i.at is not None}
    for page in ctx.edition.pages:
        for placed in page.items:
            if placed.kind not in ("story", "continued") or placed.ref not in lay.stories:
                continue
            item = placed if (page.id, placed.kind, placed.ref) in pinned else dataclasses.replace(placed, at=None)
            layout = lay.stories[item.ref]
            index = 0 if item.kind == "story" else len(layout.parts) - 1
            if layout.parts[index].page != page.id or index != len(layout.parts) - 1:
                continue  # the story goes on: its feet are those of its last part
            if item.at is not None:  # pinned by the edition: said as the module the editor drew
                _report_pinned_short(ctx, page.id, item, layout, index)
                continue
            if layout.story.direction == "vertical":  # issue 16: its white space is in its last band
                from layout.autolayout.vertical import report_short_part

                if (page.id, item.ref) not in said:
                    report_short_part(ctx, page, item.ref, layout, index)
                continue
            feet = part_feet(layout, index)
            if not feet or level_feet(feet) or (page.id, item.ref) in said:
                continue
            empty = sum(feet)
            ctx.diagnostics.warning(
                "AUTOLAYOUT-UNDERSET",
                f"{'the continuation of ' if item.kind == 'continued' else ''}story {item.ref} on page {page.id} "
                f"is short: {empty} empty lines in its {len(feet)} columns "
                f"(empty lines at each column's foot: {', '.join(str(f) for f in feet)})",
                location=page.loc, page=page.id, story=item.ref,
                hint=f"add about {empty * g.column_chars} characters, or a photo, or let a neighbouring story "
                     "take the room")


def _report_pinned_short(ctx: Context, page: str, item, layout, index: int) -> None:
    """STORY-UNDERSET for a story the edition pinned whose last part ends with columns short (R42
    per column): the editor drew the module, and a story far shorter than it printed white space
    with no word (a tester's pinned 4-column module held 9 lines of text). Vertical stories keep
    their own accounting (layout.autolayout.vertical) and are left out here."""
    if layout.story.direction == "vertical":
        return
    feet = part_feet(layout, index)
    if not feet or level_feet(feet):
        return
    empty = sum(feet)
    g = ctx.grid
    ctx.diagnostics.warning(
        "STORY-UNDERSET",
        f"story {item.ref} on page {page} is short of its module: {empty} empty lines in its {len(feet)} "
        f"columns (empty lines at each column's foot: {', '.join(str(f) for f in feet)})",
        location=item.at.loc if item.at.loc else item.loc, page=page, story=item.ref,
        hint=f"add about {empty * g.column_chars} characters or a photo, or make its module "
             f"{max(1, empty // max(1, len(feet)))} lines shallower")
