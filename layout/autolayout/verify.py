"""What the automatic layout promised, checked on the paginated pages: a story the engine placed
whose columns came out short (R42 counted per column, layout.autolayout.estimate.level_feet) is
reported even where the plan's estimate expected level feet — the fallback layout, for one, may
give a story a module other than the one it measured. The estimate saves time; the page as set
is what the editor gets, so it has the last word."""

from __future__ import annotations

from layout.autolayout.estimate import level_feet, part_feet
from layout.model.edition import Edition
from layout.paginate.context import Context
from layout.paginate.edition import EditionLayout


def report_short_columns(ctx: Context, written: Edition, lay: EditionLayout) -> None:
    """AUTOLAYOUT-UNDERSET for each engine-placed story (no `at:` in `written`, the edition as
    loaded) whose last part on a page ends with columns short, unless the plan said so already."""
    said = {(d.page, d.story) for d in ctx.diagnostics if d.code == "AUTOLAYOUT-UNDERSET"}
    g = ctx.grid
    for page in written.pages:
        for item in page.items:
            if item.at is not None or item.kind not in ("story", "continued") or item.ref not in lay.stories:
                continue
            layout = lay.stories[item.ref]
            index = 0 if item.kind == "story" else len(layout.parts) - 1
            if layout.parts[index].page != page.id or index != len(layout.parts) - 1:
                continue  # the story goes on: its feet are those of its last part
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
                f"story {item.ref} on page {page.id} is short: {empty} empty lines in its {len(feet)} columns "
                f"(empty lines at each column's foot: {', '.join(str(f) for f in feet)})",
                location=page.loc, page=page.id, story=item.ref,
                hint=f"add about {empty * g.column_chars} characters, or a photo, or let a neighbouring story "
                     "take the room")
