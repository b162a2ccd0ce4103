"""Checks across the edition: references between pages, stories and ads, jumps, the page
count, the grid and overlaps. Works on the loaded Edition, so code that builds an Edition by
hand (tests, `layout new`) can run it too; `positions` adds the exact YAML places of values
the dataclasses do not keep (a reference's own column, a jump value)."""

from __future__ import annotations

from dataclasses import dataclass, field

from layout.diagnostics import Diagnostic, Location, Severity, did_you_mean
from layout.model.edition import At, Edition, PageItem


@dataclass
class Positions:
    """Where values sit in the YAML, filled in by the loader; empty means "use the item's place"."""

    refs: dict[tuple[int, int, int], Location] = field(default_factory=dict)  # (page, item, ref) → value
    jumps: dict[str, Location] = field(default_factory=dict)  # story id → its jump value
    page_ids: dict[int, Location] = field(default_factory=dict)  # page index → its id value
    colour_pages: tuple[tuple[str, Location], ...] = ()


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


def validate_edition(edition: Edition, *, page_count: int | None = None, grid: tuple[int, int] | None = None,
                     positions: Positions | None = None) -> list[Diagnostic]:
    pos = positions or Positions()
    out: list[Diagnostic] = []
    out += _page_ids(edition, pos, page_count)
    out += _references(edition, pos)
    out += _jumps(edition, pos)
    out += _geometry(edition, grid)
    return out


def _page_ids(edition: Edition, pos: Positions, page_count: int | None) -> list[Diagnostic]:
    out = []
    seen: dict[str, Location] = {}
    for index, page in enumerate(edition.pages):
        loc = pos.page_ids.get(index, page.loc)
        if page.id in seen:
            out.append(_err("PAGE-DUPLICATE", f"page id {page.id} is used twice (first at line {seen[page.id].line})",
                            loc, "give each page its own id, e.g. A01 … A12", page=page.id))
        else:
            seen[page.id] = loc
    if page_count is not None and edition.pages and len(edition.pages) != page_count:
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
            elif item.kind == "ad" and item.ref is not None and item.ref not in edition.ads:
                out.append(_err("AD-MISSING", f"page {page.id} places ad {item.ref}, which does not exist", ref_loc,
                                _suggest(item.ref, edition.ads, "ad id"), page=page.id))
            elif item.kind == "teasers":
                for r_index, ref in enumerate(item.refs):
                    if ref not in edition.stories:
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
                out.append(_err("JUMP-ORPHAN-SLOT", f"page {page.id} has a continued slot for story {item.ref}, "
                                f"but the story jumps to {story.jump}", loc,
                                f"set 'jump: {page.id}' in story {item.ref}, or move this slot to page {story.jump}",
                                page=page.id, story=item.ref))
    for story in edition.stories.values():
        if story.jump is None or story.jump == AUTO_JUMP:
            continue  # `jump: auto`: the automatic layout picks the page (layout.autolayout.plan)
        loc = pos.jumps.get(story.id, story.loc)
        if story.jump not in ids:
            out.append(_err("PAGE-MISSING", f"story {story.id} jumps to page {story.jump}, which does not exist",
                            loc, _suggest(story.jump, ids, "page"), story=story.id))
        elif (story.jump, story.id) not in slots:
            out.append(_err("JUMP-NO-SLOT", f"story {story.id} jumps to page {story.jump}, which has no continued "
                            f"slot for it", loc, f"add '- continued: {story.id}' with an 'at:' to page {story.jump}'s "
                            "items", story=story.id))
    return out


def _geometry(edition: Edition, grid: tuple[int, int] | None) -> list[Diagnostic]:
    out = []
    for page in edition.pages:
        boxes: list[tuple[PageItem, At]] = []
        for item in page.items:
            at = item.at
            if at is None:
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
    return (a.col < b.col + b.cols and b.col < a.col + a.cols
            and a.line < b.line + b.lines and b.line < a.line + a.lines)


def _span(at: At) -> str:
    return f"columns {at.col}–{at.col + at.cols - 1}, lines {at.line}–{at.line + at.lines - 1}"
