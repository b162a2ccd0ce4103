"""Checks across the edition: references between pages, stories and ads, jumps, the page
count, the grid and overlaps. Works on the loaded Edition, so code that builds an Edition by
hand (tests, `layout new`) can run it too; `positions` adds the exact YAML places of values
the dataclasses do not keep (a reference's own column, a jump value)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from layout.diagnostics import Diagnostic, Location, Severity, did_you_mean
from layout.model.edition import At, Edition, PageItem

if TYPE_CHECKING:  # layout.template imports this package
    from layout.template import PageRule


@dataclass
class Positions:
    """Where values sit in the YAML, filled in by the loader; empty means "use the item's place"."""

    refs: dict[tuple[int, int, int], Location] = field(default_factory=dict)  # (page, item, ref) → value
    jumps: dict[str, Location] = field(default_factory=dict)  # story id → its jump value
    page_ids: dict[int, Location] = field(default_factory=dict)  # page index → its id value
    headline_cols: dict[str, Location] = field(default_factory=dict)  # story id → its headline_cols value
    colour_pages: tuple[tuple[str, Location], ...] = ()
    # (kind, id) of stories, ads and tables that are in the file but could not be read (their own
    # errors say why): a reference to one is not also "does not exist".
    broken: set[tuple[str, str]] = field(default_factory=set)


def _err(code: str, message: str, loc: Location, hint: str | None = None, **kw) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, location=loc, hint=hint, **kw)


def _suggest(word: str, choices, what: str) -> str:
    guess = did_you_mean(word, choices)
    if guess:
        return f"did you mean '{guess}'?"
    known = sorted(choices)
    if not known:
        return f"there are no {what}s in this edition"
    shown = ", ".join(known[:12]) + (" …" if len(known) > 12 else "")
    return f"known {what}s: {shown}"


def validate_edition(edition: Edition, *, page_count: int | PageRule | None = None, grid: tuple[int, int] | None = None,
                     positions: Positions | None = None, reserved: tuple[int, int] | None = None) -> list[Diagnostic]:
    """`reserved` is (masthead lines, flag lines) of the template: the grid lines the masthead of
    a front page and the flag of a section front take, where no item may be pinned."""
    pos = positions or Positions()
    out: list[Diagnostic] = []
    out += _page_ids(edition, pos, page_count)
    out += _references(edition, pos)
    out += _jumps(edition, pos)
    out += _geometry(edition, grid)
    out += _headline_cols(edition, pos, grid)
    out += _notches(edition)
    out += _table_references(edition, pos)
    out += _booking_references(edition)
    if reserved is not None:
        out += _under_furniture(edition, reserved)
    return out


def _booking_references(edition: Edition) -> list[Diagnostic]:
    """Bookings (issue 19) name an existing ad, page and section, and an ad booked is not also
    placed by hand on a page (it would print twice)."""
    out = []
    bookings = getattr(edition, "bookings", ()) or ()
    ids = [p.id for p in edition.pages]
    sections = sorted({p.section for p in edition.pages if p.section})
    on_pages = {item.ref: page.id for page in edition.pages for item in page.items if item.kind == "ad" and item.ref}
    for b in bookings:
        if b.ad not in edition.ads:
            out.append(_err("AD-MISSING", f"booking {b.id} books ad {b.ad}, which does not exist", b.ad_loc or b.loc,
                            _suggest(b.ad, edition.ads, "ad id")))
        elif b.ad in on_pages:
            out.append(_err("BOOKING-AD-TWICE", f"ad {b.ad} is booked ({b.id}) and also placed on page "
                            f"{on_pages[b.ad]}", b.ad_loc or b.loc,
                            f"remove '- ad: {b.ad}' from page {on_pages[b.ad]}'s items (the booking places it), "
                            "or drop the booking"))
        if b.page is not None and b.page not in ids:
            out.append(_err("PAGE-MISSING", f"booking {b.id} wishes for page {b.page}, which does not exist",
                            b.page_loc or b.loc, _suggest(b.page, ids, "page")))
        if b.section is not None and b.section not in sections:
            out.append(_err("BOOKING-SECTION", f"booking {b.id} wishes for section {b.section}, which no page has",
                            b.section_loc or b.loc, _suggest(b.section, sections, "section")))
    return out


def _table_references(edition: Edition, pos: Positions) -> list[Diagnostic]:
    """Table items name a table of `tables:`, each placed once; a table on no page is a warning."""
    out = []
    tables = getattr(edition, "tables", None) or {}
    placed: dict[str, tuple[str, Location]] = {}
    continued: dict[str, str] = {}  # table id → page of its continuation
    for p_index, page in enumerate(edition.pages):
        for i_index, item in enumerate(page.items):
            if item.kind != "table" or item.ref is None:
                continue
            ref_loc = pos.refs.get((p_index, i_index, 0), item.loc)
            if item.ref not in tables:
                if ("table", item.ref) in pos.broken:
                    continue
                out.append(_err("TABLE-MISSING", f"page {page.id} places table {item.ref}, which does not exist",
                                ref_loc, _suggest(item.ref, tables, "table id"), page=page.id))
            elif item.ref in placed:
                first_page, first = placed[item.ref]
                jump = tables[item.ref].jump
                if jump == page.id and item.ref not in continued and first_page != f"page {page.id}":
                    continued[item.ref] = page.id  # the continuation slot of a table that jumps here
                    continue
                out.append(_err("TABLE-PLACED-TWICE", f"table {item.ref} is placed twice: also on {first_page} "
                                f"at line {first.line}", ref_loc, "place a table once; a second placement is "
                                "only for its continuation, on the page its `jump:` names", page=page.id))
            else:
                placed[item.ref] = (f"page {page.id}", ref_loc)
    for story in edition.stories.values():
        for table_id in getattr(story, "tables", ()):
            where = (f"story {story.id}", story.loc)
            if table_id not in tables:
                if ("table", table_id) in pos.broken:
                    continue
                out.append(_err("TABLE-MISSING", f"story {story.id} sets table {table_id}, which does not exist",
                                story.loc, _suggest(table_id, tables, "table id"), story=story.id))
            elif table_id in placed:
                first_page, first = placed[table_id]
                out.append(_err("TABLE-PLACED-TWICE", f"table {table_id} is placed twice: also on {first_page} "
                                f"at line {first.line}", story.loc, "place a table once", story=story.id))
            else:
                placed[table_id] = where
    ids = [p.id for p in edition.pages]
    for table_id, table in tables.items():
        jump = getattr(table, "jump", None)
        first_page = placed[table_id][0] if table_id in placed else None
        if jump is not None and first_page == f"page {jump}":
            # the loader keeps no place of a table's jump value: the table's own key stands for it
            later = ids[ids.index(jump) + 1:]
            out.append(_err("TABLE-JUMP-SAME-PAGE", f"table {table_id} starts on page {jump} and jumps to page "
                            f"{jump}, its own page", table.loc,
                            f"set 'jump:' to a later page ({', '.join(later[:3])}{' …' if len(later) > 3 else ''}) "
                            "and place the table there a second time (its continuation), or remove the jump:"
                            if later else "remove the jump: and give the table more lines", page=jump))
        elif jump is not None and jump not in ids:
            out.append(_err("PAGE-MISSING", f"table {table_id} jumps to page {jump}, which does not exist",
                            table.loc, _suggest(jump, ids, "page")))
        elif jump is not None and table_id in placed and table_id not in continued:
            out.append(_err("TABLE-JUMP-NO-SLOT", f"table {table_id} jumps to page {jump}, where it is not placed",
                            table.loc, f"add '- table: {table_id}' with an 'at:' to page {jump}'s items: its "
                            "continuation"))
    for table_id, table in tables.items():
        if table_id not in placed:
            out.append(Diagnostic("TABLE-UNPLACED", Severity.WARNING, f"table {table_id} is not placed on any page",
                                  location=table.loc, hint=f"add '- table: {table_id}' to a page's items, or delete "
                                  "the table"))
    return out


def _under_furniture(edition: Edition, reserved: tuple[int, int]) -> list[Diagnostic]:
    out = []
    masthead_lines, flag_lines = reserved
    for page in edition.pages:
        taken, what = (masthead_lines, "masthead") if page.masthead else (flag_lines, "section flag") if page.flag else (0, "")
        for item in page.items:
            if item.at is not None and item.at.line <= taken:
                out.append(_err("GRID-UNDER-MASTHEAD", f"{_item_label(item)} on page {page.id} starts on line "
                                f"{item.at.line}, under the {what} (lines 1–{taken})", item.at.loc,
                                f"start it on line {taken + 1} or lower (and shorten it by {taken + 1 - item.at.line} "
                                "lines to keep its foot)", page=page.id))
    return out


def _page_ids(edition: Edition, pos: Positions, page_count: int | PageRule | None) -> list[Diagnostic]:
    out = []
    seen: dict[str, Location] = {}
    for index, page in enumerate(edition.pages):
        loc = pos.page_ids.get(index, page.loc)
        if page.id in seen:
            out.append(_err("PAGE-DUPLICATE", f"page id {page.id} is used twice (first at line {seen[page.id].line})",
                            loc, "give each page its own id, e.g. A01 … A12", page=page.id))
        else:
            seen[page.id] = loc
    if page_count is not None and not isinstance(page_count, int) and edition.pages:
        last_loc = pos.page_ids.get(len(edition.pages) - 1, edition.pages[-1].loc)
        for severity, message, hint in page_count.problems(len(edition.pages)):
            code = "PAGE-COUNT" if severity is Severity.ERROR else "PAGE-HALF-SHEET"
            out.append(Diagnostic(code, severity, message, location=last_loc, hint=hint))
        if len(edition.sections) > 1:
            # Each section is printed (and folded) on its own: its own count must make whole leaves.
            for section in edition.sections:
                pages = edition.section_pages(section.id)
                if not pages:
                    continue
                where = pos.page_ids.get(edition.pages.index(pages[-1]), pages[-1].loc)
                for severity, message, hint in page_count.problems(len(pages), f"section {section.id}", part=True):
                    code = "PAGE-COUNT" if severity is Severity.ERROR else "PAGE-HALF-SHEET"
                    out.append(Diagnostic(code, severity, message, location=where, hint=hint))
    for index, page in enumerate(edition.pages):
        if not page.items:
            # An empty page prints as a blank sheet side with only its folio: say so, never silently.
            out.append(Diagnostic("PAGE-BLANK", Severity.WARNING, f"page {page.id} has no items: it prints blank",
                                  location=pos.page_ids.get(index, page.loc), page=page.id,
                                  hint="give it stories, ads or photos, or remove the page (and keep the count even)"))
    if isinstance(page_count, int) and edition.pages and len(edition.pages) != page_count:
        few = len(edition.pages) < page_count
        last = edition.pages[-1]
        loc = pos.page_ids.get(len(edition.pages) - 1, last.loc)
        out.append(_err("PAGE-COUNT", f"the edition has {len(edition.pages)} page{'s' if len(edition.pages) != 1 else ''}; "
                        f"the template needs {page_count}",
                        loc, ("add" if few else "remove") + f" {abs(page_count - len(edition.pages))} page(s)"))
    ids = [p.id for p in edition.pages]
    for page_id, loc in pos.colour_pages:
        if page_id not in ids:
            out.append(_err("PAGE-MISSING", f"colour_pages names page {page_id}, which does not exist", loc,
                            _suggest(page_id, ids, "page")))
    return out


def _item_label(item: PageItem) -> str:
    if item.kind == "teasers":
        return "teasers"
    if item.kind == "photo":
        return f"photo {item.photo.file.name}" if item.photo else "photo"
    return f"{item.kind} {item.ref}"


def _references(edition: Edition, pos: Positions) -> list[Diagnostic]:
    out = []
    placed: dict[str, tuple[str, Location]] = {}  # story id → (page id, where)
    for p_index, page in enumerate(edition.pages):
        for i_index, item in enumerate(page.items):
            ref_loc = pos.refs.get((p_index, i_index, 0), item.loc)
            if item.kind in ("story", "continued") and item.ref is not None:
                if item.ref not in edition.stories:
                    if ("story", item.ref) in pos.broken:
                        continue
                    out.append(_err("STORY-MISSING", f"page {page.id} places story {item.ref}, which does not exist",
                                    ref_loc, _suggest(item.ref, edition.stories, "story id"), page=page.id))
                elif item.kind == "story":
                    if item.ref in placed:
                        first_page, first = placed[item.ref]
                        out.append(_err("STORY-PLACED-TWICE",
                                        f"story {item.ref} is placed twice: also on page {first_page} at line {first.line}",
                                        ref_loc, "place a story once; use jump: and a continued: slot to continue it",
                                        page=page.id, story=item.ref))
                    else:
                        placed[item.ref] = (page.id, ref_loc)
            elif (item.kind == "ad" and item.ref is not None and item.ref not in edition.ads
                  and ("ad", item.ref) not in pos.broken):
                out.append(_err("AD-MISSING", f"page {page.id} places ad {item.ref}, which does not exist", ref_loc,
                                _suggest(item.ref, edition.ads, "ad id"), page=page.id))
            elif item.kind == "teasers":
                for r_index, ref in enumerate(item.refs):
                    if ref not in edition.stories and ("story", ref) not in pos.broken:
                        loc = pos.refs.get((p_index, i_index, r_index), item.loc)
                        out.append(_err("STORY-MISSING", f"the teasers on page {page.id} name story {ref}, "
                                        "which does not exist", loc, _suggest(ref, edition.stories, "story id"),
                                        page=page.id))
    for story in edition.stories.values():
        if story.id not in placed:
            out.append(Diagnostic("STORY-UNPLACED", Severity.WARNING, f"story {story.id} is not placed on any page",
                                  location=story.loc, hint="add '- story: " + story.id + "' to a page's items, "
                                  "or delete the story", story=story.id))
    return out


AUTO_JUMP = "auto"  # jump: auto — continued on the next page with room, if the story needs it


def _jumps(edition: Edition, pos: Positions) -> list[Diagnostic]:
    out = []
    ids = [p.id for p in edition.pages]
    slots: dict[tuple[str, str], Location] = {}  # (page id, story id) → slot place
    first_page: dict[str, str] = {}  # story id → the page of its first part
    for page in edition.pages:
        for item in page.items:
            if item.kind == "story" and item.ref is not None:
                first_page.setdefault(item.ref, page.id)
    for p_index, page in enumerate(edition.pages):
        for i_index, item in enumerate(page.items):
            if item.kind != "continued" or item.ref is None:
                continue
            loc = pos.refs.get((p_index, i_index, 0), item.loc)
            if (page.id, item.ref) in slots:
                out.append(_err("JUMP-SLOT-TWICE", f"page {page.id} has two continued slots for story {item.ref}",
                                loc, "keep one", page=page.id, story=item.ref))
            slots.setdefault((page.id, item.ref), loc)
            story = edition.stories.get(item.ref)
            if story is None:
                continue  # reported as STORY-MISSING
            if story.jump is None:
                out.append(_err("JUMP-ORPHAN-SLOT", f"page {page.id} has a continued slot for story {item.ref}, "
                                "but the story has no jump", loc, f"add 'jump: {page.id}' to story {item.ref}",
                                page=page.id, story=item.ref))
            elif story.jump not in (page.id, AUTO_JUMP):
                # 'set jump: A02' for a slot on the story's own page A02 would trade this error for
                # JUMP-SAME-PAGE: only a page after the story's first is a place to continue on
                own = first_page.get(item.ref) == page.id
                to = f"page {story.jump}" if story.jump in ids and not _before(ids, story.jump, page.id) \
                    else "a later page"
                out.append(_err("JUMP-ORPHAN-SLOT", f"page {page.id} has a continued slot for story {item.ref}, "
                                f"but the story jumps to {story.jump}", loc,
                                (f"move this slot to {to} and set 'jump:' to that page" if page.id != ids[-1] else
                                 f"page {page.id} is the last: remove this slot and the jump:") if own else
                                f"set 'jump: {page.id}' in story {item.ref}, or move this slot to page {story.jump}",
                                page=page.id, story=item.ref))
    for story in edition.stories.values():
        if story.jump is None or story.jump == AUTO_JUMP:
            continue  # `jump: auto`: the automatic layout picks the page (layout.autolayout.plan)
        loc = pos.jumps.get(story.id, story.loc)
        start = first_page.get(story.id)
        if story.jump == start:
            # （下轉A02版） printed on A02 itself: the reader is sent to the page in hand. Checked
            # before the slot: "add a continued: slot to A02" would only make the slip print.
            later = ids[ids.index(start) + 1:]
            out.append(_err(
                "JUMP-SAME-PAGE", f"story {story.id} starts on page {start} and jumps to page {story.jump}, "
                "its own page", loc,
                f"jump to a later page ({', '.join(later[:3])}{' …' if len(later) > 3 else ''}) or 'jump: auto'"
                if later else "remove the jump: and cut the story to fit, or start it on an earlier page",
                page=start, story=story.id))
        elif story.jump not in ids:
            # a story continues on a later page: its own page or an earlier one is no suggestion
            onward = ids[ids.index(start) + 1:] if start is not None else ids
            out.append(_err("PAGE-MISSING", f"story {story.id} jumps to page {story.jump}, which does not exist",
                            loc, _suggest(story.jump, onward, "page") if onward else
                            f"page {start} is the last: remove the jump: and cut the story to fit", story=story.id))
        elif (story.jump, story.id) not in slots:
            back = start is not None and ids.index(story.jump) < ids.index(start)
            out.append(_err("JUMP-NO-SLOT", f"story {story.id} jumps to page {story.jump}, which has no continued "
                            f"slot for it", loc, f"add '- continued: {story.id}' with an 'at:' to page {story.jump}'s "
                            "items" + (f"; but {story.jump} comes before {start}, where the story starts: a later "
                                       "page, or 'jump: auto', is more likely meant" if back else ""),
                            story=story.id))
        elif start is not None and ids.index(story.jump) < ids.index(start):
            # readers turn forward: 下轉 an earlier page is a slip of the page id far more often than meant
            later = ids[ids.index(start) + 1:]
            out.append(Diagnostic(
                "JUMP-BACKWARD", Severity.WARNING,
                f"story {story.id} starts on page {start} and continues on page {story.jump}, an earlier page",
                location=loc, page=start, story=story.id,
                hint=f"jump to a later page ({', '.join(later[:3])}{' …' if len(later) > 3 else ''}) or 'jump: auto'"
                if later else "start the story on an earlier page, or cut it to fit"))
    return out


def _before(ids: list[str], a: str, b: str) -> bool:
    """Whether page a comes before page b (or is it): no page to continue a story of b on."""
    return b in ids and ids.index(a) <= ids.index(b)


def _geometry(edition: Edition, grid: tuple[int, int] | None) -> list[Diagnostic]:
    out = []
    for page in edition.pages:
        boxes: list[tuple[PageItem, At]] = []
        for item in page.items:
            at = item.at
            if at is None:
                if grid is not None and item.size is not None and (item.size[0] > grid[0] or item.size[1] > grid[1]):
                    # A booked size the grid cannot hold: an input error here, not a page the
                    # automatic layout fails on ('no room for ad x (9 × 20 = 180 column-lines)
                    # … and 688 of 744 column-lines are free', exit 1).
                    cols, lines = item.size
                    what = []
                    if cols > grid[0]:
                        what.append(f"{cols} columns wide of {grid[0]}")
                    if lines > grid[1]:
                        what.append(f"{lines} lines deep of {grid[1]}")
                    out.append(_err("GRID-OUTSIDE", f"{_item_label(item)} on page {page.id} is sized {cols} × {lines}, "
                                    "larger than the grid: " + " and ".join(what), item.loc,
                                    f"the grid is {grid[0]} columns × {grid[1]} lines; give it a size that fits",
                                    page=page.id))
                continue
            label = _item_label(item)
            if grid is not None:
                columns, lines = grid
                last_col, last_line = at.col + at.cols - 1, at.line + at.lines - 1
                if last_col > columns or last_line > lines:
                    what = []
                    if last_col > columns:
                        what.append(f"columns {at.col}–{last_col} of {columns}")
                    if last_line > lines:
                        what.append(f"lines {at.line}–{last_line} of {lines}")
                    out.append(_err("GRID-OUTSIDE", f"{label} on page {page.id} lies outside the grid: "
                                    + " and ".join(what), at.loc,
                                    f"the grid is {columns} columns × {lines} lines; make it smaller or move it",
                                    page=page.id))
            for other, other_at in boxes:
                if _overlap(at, other_at):
                    out.append(_err("GRID-OVERLAP", f"{label} (line {item.loc.line}) overlaps {_item_label(other)} "
                                    f"(line {other.loc.line}) on page {page.id}", at.loc,
                                    f"{_span(other_at)} is taken; move or shrink one of them", page=page.id))
            boxes.append((item, at))
    return out


def _overlap(a: At, b: At) -> bool:
    """Whether two modules share a grid cell (a notched module's notch is not its own)."""
    return any(c0 < c1 + w1 and c1 < c0 + w0 and l0 < l1 + h1 and l1 < l0 + h0
               for c0, l0, w0, h0 in a.rects() for c1, l1, w1, h1 in b.rects())


def _span(at: At) -> str:
    return f"columns {at.col}–{at.col + at.cols - 1}, lines {at.line}–{at.line + at.lines - 1}"


def _notches(edition: Edition) -> list[Diagnostic]:
    """A notch (an L-shaped module, issue 13) needs text that flows down columns of unequal depth:
    a vertical story's columns run across the module, and a story's tables stand across its foot,
    where the notch is. Both are errors at the `at`, not a module quietly cut at the notch's top."""
    out = []
    for page in edition.pages:
        for item in page.items:
            at = item.at
            story = edition.stories.get(item.ref or "")
            if at is None or at.notch is None or story is None or item.kind not in ("story", "continued"):
                continue
            why = ("it is set vertically (direction: vertical)" if story.direction == "vertical" else
                   "its tables stand across the module's foot" if story.tables and item.kind == "story" else None)
            if why:
                out.append(_err("GRID-NOTCH", f"story {story.id} on page {page.id} has a notched module, but {why}",
                                at.loc, "drop the notch (make the module a rectangle), or place the ad elsewhere",
                                page=page.id, story=story.id))
    return out


def _headline_cols(edition: Edition, pos: Positions, grid: tuple[int, int] | None) -> list[Diagnostic]:
    """`headline_cols` wider than the story's module (or than the page) cannot be honoured: the
    headline would run over the story beside it. An error at the value, as for a module off the
    grid, rather than a headline quietly set narrower than the editor asked."""
    out = []
    modules: dict[str, tuple[str, At]] = {}
    for page in edition.pages:
        for item in page.items:
            if item.kind == "story" and item.ref is not None and item.at is not None:
                modules.setdefault(item.ref, (page.id, item.at))
    for story in edition.stories.values():
        cols = story.headline_cols
        if cols is None:
            continue
        loc = pos.headline_cols.get(story.id, story.loc)
        placed = modules.get(story.id)
        if placed is not None and cols > placed[1].cols:
            page_id, at = placed
            out.append(_err("HEADLINE-COLS", f"story {story.id} has headline_cols: {cols}, but its module on page "
                            f"{page_id} is {at.cols} column{'s' if at.cols != 1 else ''} wide", loc,
                            f"use headline_cols: {at.cols} or fewer (or leave it out: the headline spans the module)",
                            story=story.id, page=page_id))
        elif grid is not None and cols > grid[0]:
            out.append(_err("HEADLINE-COLS", f"story {story.id} has headline_cols: {cols}, but the page has "
                            f"{grid[0]} columns", loc,
                            f"use headline_cols: {grid[0]} or fewer (or leave it out: the headline spans the module)",
                            story=story.id))
    return out
