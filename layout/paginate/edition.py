"""The edition driver: every story laid into its modules and jump slots, then every page
assembled into a PageFrame with its furniture, ads, teasers and column rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from layout.fonts.chain import FontChain
from layout.fonts.report import SourceLines, damaged_glyph_diagnostics, missing_glyph_diagnostics
from layout.frames import (
    ImageItem,
    Item,
    Module,
    PageFacts,
    PageFrame,
    PdfItem,
    Rule,
    Source,
    escape_diagnostics,
    escapes,
)
from layout.grid.grid import Rect
from layout.model.edition import At, Page
from layout.paginate import ads as ads_mod
from layout.paginate.context import Context
from layout.paginate.furniture import folio, masthead, section_flag
from layout.paginate.pagecache import GroupResult
from layout.paginate.story import (
    PhotoRequest,
    StoryLayout,
    body_items,
    flow_story,
    free_photo,
    layout_part,
    module_of,
)
from layout.paginate.teasers import teasers


@dataclass
class PageLayout:
    page: Page
    frame: PageFrame
    photos: list[PhotoRequest] = field(default_factory=list)
    tables: list = field(default_factory=list)  # layout.table.setting.TableResult of the page's tables
    described: str | None = None  # digest of the frame's description (layout/render/dump.py), once known
    facts: PageFacts | None = None  # what the output stage reads of the frame's items, once known

    def description_digest(self) -> str:
        """SHA-256 of the page description: what the page PDF is keyed by. Computed once and kept
        with the page (a page from the cache brings it along, so its frame is not dumped again)."""
        if self.described is None:
            from hashlib import sha256

            from layout.render.dump import dump_frame

            self.described = sha256(dump_frame(self.frame).encode("utf-8")).hexdigest()
        return self.described

    def page_facts(self) -> PageFacts:
        """The frame's images, PDFs, faces, glyph count, missing glyphs and multi-ink runs
        (layout.frames.PageFacts): kept with the page like its digest, so that a page from the
        cache is written from its caches without its glyphs being read."""
        if self.facts is None:
            self.facts = PageFacts.of(self.frame)
        return self.facts


@dataclass
class EditionLayout:
    pages: list[PageLayout]
    stories: dict[str, StoryLayout]

    def frames(self) -> list[PageFrame]:
        return [p.frame for p in self.pages]


def _placements(ctx: Context):
    first: dict[str, tuple[Page, At, bool]] = {}
    cont: dict[str, tuple[Page, At]] = {}
    for page in ctx.edition.pages:
        lead_taken = not page.masthead
        for item in page.items:
            if item.kind == "story" and item.ref and item.at:
                first.setdefault(item.ref, (page, item.at, not lead_taken))
                lead_taken = True
            elif item.kind == "continued" and item.ref and item.at:
                cont.setdefault(item.ref, (page, item.at))
    return first, cont


def paginate(ctx: Context, cache=None, memo: dict | None = None,
             laid_out: Callable[[Context, list], None] | None = None) -> EditionLayout:
    """The placed edition's pages. Every item has its module by now: items without `at` are placed
    by the automatic layout before pagination (layout.autolayout.plan.plan_edition; build.prepare
    calls it first), so that pagination depends on no optimiser.

    Pages are laid out in groups (layout/paginate/pagecache.py: a story's first and jump page go
    together); with a `cache` (a layout.cache.BlobCache) a group whose inputs are those of an
    earlier build is taken from it instead (pagecache.GroupStore: its glyphs are read only when
    something draws the page), so an unchanged page is not composed at all. The
    result, diagnostics included, is the same either way: each group is laid out on its own in
    both cases, and its diagnostics are given in group order. `memo` (kept by a long-lived caller,
    `layout watch`): group key -> its result, in memory, before the cache is asked; it is left
    holding this build's groups only. `laid_out(ctx, pages)` is called with the pages of each group
    laid out here (not of those taken from the memo or the cache)."""
    from layout.paginate.pagecache import GroupStore, checked_entry, edition_key, group_key, kept, page_groups

    unplaced = [f"{page.id}: {item.kind} {item.ref or ''}".rstrip() for page in ctx.edition.pages
                for item in page.items if item.at is None]
    if unplaced:
        raise ValueError("paginate() needs a planned edition (layout.autolayout.plan.plan_edition); unplaced: "
                         + ", ".join(unplaced))
    e = ctx.edition
    first, cont = _placements(ctx)
    start_page = {sid: page.id for sid, (page, _, _) in first.items()}
    keyed = cache is not None or memo is not None
    shared = edition_key(ctx) if keyed else ""
    store = GroupStore(cache) if cache is not None else None
    results: dict[str, GroupResult] = {}
    used: set[str] = set()
    for group in page_groups(e, first, cont, _table_pages(ctx)):
        key = group_key(ctx, shared, group, start_page) if keyed else None
        starting = [sid for sid, (page, _, _) in first.items() if page in group]

        def again(group=group) -> GroupResult:  # when the cached glyphs cannot be read after all
            return _lay_out_group(ctx, group, first, cont, start_page)

        result = memo.get(key) if memo is not None and key is not None else None
        if result is None and store is not None and key is not None:
            result = store.load(key, checked_entry(group, starting), again)
        if result is None:
            result = _lay_out_group(ctx, group, first, cont, start_page)
            if laid_out is not None:  # the build's hook: photos prepared meanwhile on the other core
                laid_out(ctx, result.pages)
            if store is not None and key is not None:
                store.store(key, kept(result))
        else:  # the stories as this build loaded them (the key says they are the same)
            for sid, layout in result.stories.items():
                layout.story = e.stories[sid]
        if memo is not None and key is not None:
            memo[key] = result
            used.add(key)
        ctx.diagnostics.extend(result.diagnostics)
        for page in result.pages:
            results[page.page.id] = result
    if memo is not None:
        for key in [k for k in memo if k not in used]:
            del memo[key]  # groups of earlier builds: not this edition's any more
    pages = [next(p for p in results[page.id].pages if p.page.id == page.id) for page in e.pages]
    by_id = {sid: layout for r in {id(r): r for r in results.values()}.values() for sid, layout in r.stories.items()}
    stories = {sid: by_id[sid] for sid in first if sid in by_id}
    for sid, story in e.stories.items():
        if sid not in stories:
            chars = sum(len(p.text) for p in story.paragraphs)
            ctx.diagnostics.warning("STORY-NOT-PLACED", f"story {sid!r} is on no page: all {chars} characters are overset",
                                    location=story.loc, story=sid, hint="place it on a page with `- story: " + sid + "`")
    _report_overset(ctx, stories)
    # glyphs of damaged fonts that the chains passed over for the characters these pages set
    groups = list({id(r): r for r in results.values()}.values())
    ctx.diagnostics.extend(damaged_glyph_diagnostics(_damaged_chains(ctx, groups), ctx.edition.path))
    return EditionLayout(pages, stories)


def _table_pages(ctx: Context) -> dict[str, list[str]]:
    """Table id -> the pages it is placed on (a table that continues is placed twice)."""
    out: dict[str, list[str]] = {}
    for page in ctx.edition.pages:
        for item in page.items:
            if item.kind == "table" and item.at is not None and item.ref:
                out.setdefault(item.ref, []).append(page.id)
    return out


def _lay_out_group(ctx: Context, group: list[Page], first, cont, start_page) -> GroupResult:
    """Compose and paginate one page group: its stories flowed through their modules and jump
    slots, its tables set, its pages assembled; what is said goes into the result, not the build."""
    from dataclasses import replace

    from layout.diagnostics import Diagnostics

    ctx = replace(ctx, diagnostics=Diagnostics())
    record = ctx.setter.record()
    chains = list(ctx.setter.chains.items())
    for _, chain in chains:
        chain.seen = set()
    try:
        pages, stories = _compose_group(ctx, group, first, cont, start_page)
    finally:
        ctx.setter.stop(record)
        for role, chain in chains:
            record.setdefault(role, set()).update(chain.seen or ())
            chain.seen = None
    chars = {role: "".join(sorted(found)) for role, found in sorted(record.items()) if found}
    return GroupResult(pages, stories, list(ctx.diagnostics), chars)


def _compose_group(ctx: Context, group: list[Page], first, cont, start_page):
    from dataclasses import replace

    from layout.table.place import place_tables

    e = ctx.edition
    ids = {p.id for p in group}
    stories: dict[str, StoryLayout] = {}
    for sid, (page, at, lead) in first.items():
        if page.id not in ids:
            continue
        story = e.stories[sid]
        jump = cont.get(sid)
        parts = [layout_part(ctx, story, page.id, at, lead=lead, continued_from=None,
                             jump_to=jump[0].id if jump else None, module_index=0)]
        if jump:
            parts.append(layout_part(ctx, story, jump[0].id, jump[1], lead=False, continued_from=page.id,
                                     jump_to=None, module_index=1))
        layout = StoryLayout(story, parts)
        flow_story(ctx, layout)
        stories[sid] = layout
    by_page: dict[str, list[Item]] = {}
    for layout in stories.values():
        for page_id, items in body_items(ctx, layout).items():
            by_page.setdefault(page_id, []).extend(items)
    # the group's tables all at once (a table may continue on its jump page, which is in the group)
    tables = place_tables(replace(ctx, edition=replace(e, pages=tuple(group))))
    pages = [_page(ctx, page, stories, by_page.get(page.id, []), start_page, tables) for page in group]
    return pages, stories


def _damaged_chains(ctx: Context, results) -> list[FontChain]:
    """The build's chains as they stand after resolving exactly the characters each role set in the
    page groups (recorded with each group, so the same whether a group was composed or cached):
    for each, the faces passed over because their glyph is damaged (FontChain.resolve's rule)."""
    asked: dict[str, set[str]] = {}
    for result in results:
        for role, chars in result.chars.items():
            asked.setdefault(role, set()).update(chars)
    out = []
    for role, chain in ctx.setter.chains.items():
        copy = FontChain(chain.role, chain.faces)
        for ch in sorted(asked.get(role, ())):
            for face in chain.faces:
                gid = face.gid(ch)
                if gid is None:
                    continue
                if face.glyph_problem(gid) is None:
                    break
                copy.damaged.setdefault(ch, []).append(face.key)
        out.append(copy)
    return out


def _page(ctx: Context, page: Page, stories: dict[str, StoryLayout], body: list[Item], start_page,
          placed_tables: dict | None = None) -> PageLayout:
    g = ctx.grid
    items: list[Item] = list(folio(ctx, page))
    modules: list[Module] = []
    photos: list[PhotoRequest] = []
    tables: list = []
    if page.masthead:
        m_items, m_module = masthead(ctx, page)
        items += m_items
        modules.append(m_module)
    elif page.flag:  # a section front
        m_items, m_module = section_flag(ctx, page)
        items += m_items
        modules.append(m_module)
    for item in page.items:
        if item.at is None:
            continue
        rect = g.rect(item.at.col, item.at.line, item.at.cols, item.at.lines)
        if item.kind in ("story", "continued") and item.ref in stories:
            layout = stories[item.ref]
            index = 0 if item.kind == "story" else 1
            if index < len(layout.parts) and layout.parts[index].page == page.id:
                part = layout.parts[index]
                items += part.items
                photos += part.photos
                tables += part.tables
                modules.append(module_of(part, item.ref, item.kind))
        elif item.kind == "ad" and item.ref in ctx.edition.ads:
            ad = ctx.edition.ads[item.ref]
            if ad.kind == "box":
                items += ads_mod.box_ad(ctx, ad, rect, page.colour, page.id)
            else:
                items += ads_mod.placed_ad(ctx, ad, rect, page.id, ads_mod.ad_size(ad))
            modules.append(Module(rect.x, rect.y, rect.w, rect.h, "ad", item.ref))
        elif item.kind == "photo" and item.photo is not None:
            p_items, request = free_photo(ctx, item.photo, rect, page.id)
            items += p_items
            if request is not None:
                photos.append(request)
            modules.append(Module(rect.x, rect.y, rect.w, rect.h, "photo", None))
        elif item.kind == "teasers":
            entries = []
            for sid in item.refs:
                story = ctx.edition.stories.get(sid)
                if story is None:
                    continue
                where = start_page.get(sid)
                if where is None:
                    ctx.diagnostics.error("TEASER-UNPLACED", f"teaser for {sid!r}, which is on no page",
                                          location=item.loc, page=page.id, story=sid,
                                          hint="place the story or drop it from the teasers")
                    continue
                if not (story.teaser or story.headline):  # a story still to be written (`layout new`)
                    ctx.diagnostics.warning("TEASER-EMPTY", f"teaser for {sid!r}, which has no headline or teaser yet: "
                                            "left out", location=item.loc, page=page.id, story=sid,
                                            hint=f"fill in story {sid}, or give it a teaser:")
                    continue
                # One entry is one line of thought: a forced break typed in the headline (or the
                # teaser) becomes a space, the preferred place to wrap (docs: spaces in display text).
                text = " ".join(part.strip() for part in (story.teaser or story.headline).splitlines() if part.strip())
                entries.append((sid, text, where))
            items += teasers(ctx, rect, entries, page.id, item.loc)
            modules.append(Module(rect.x, rect.y, rect.w, rect.h, "teasers", None))
        elif item.kind == "table" and (page.id, item.ref) in (placed_tables or {}):
            t_items, t_module, t_result = placed_tables[(page.id, item.ref)]
            items += t_items
            modules.append(t_module)
            tables += [t_result] if t_result else []
    items += body
    items += _column_rules(ctx, modules, items)
    # characters no face has in headlines, decks, captions, teasers, ads (body text: story.py)
    ctx.diagnostics.extend(missing_glyph_diagnostics(ctx.edition, page.id, items, SourceLines()))
    frame = PageFrame(page.id, ctx.template.trim_w, ctx.template.trim_h, tuple(items), tuple(modules),
                      colour=page.colour, baseline_grid=(g.baseline(1), g.pitch))
    # The safety net under every stage: marks outside their module or the page are errors.
    ctx.diagnostics.extend(escape_diagnostics(frame, escapes(frame, gutter=g.gutter),
                                              lambda src: _locate(ctx, src, page)))
    return PageLayout(page, frame, photos, tables)


def _locate(ctx: Context, src: Source, page: Page):
    """Where in the edition an item's source is written: its ad or story, else the page."""
    if src.kind == "ad" and src.story in ctx.edition.ads:
        return ctx.edition.ads[src.story].loc
    if src.story in ctx.edition.stories:
        return ctx.edition.stories[src.story].loc
    return page.loc


def _column_rules(ctx: Context, modules: list[Module], items: list[Item] = ()) -> list[Item]:
    """分欄線: a hairline in the gutter between modules side by side, and along the seam between
    modules stacked one over the other, except where a picture or an ad's art stands on the seam
    (a free photo's picture starts at its module's top): its edge parts the modules there, and a
    black rule over it would print on the picture (past the ink limit on a dark one)."""
    g = ctx.grid
    pictures = [(i.x, i.x + i.w, i.y, i.y + i.h) for i in items if isinstance(i, ImageItem | PdfItem)]
    width = ctx.template.rules.get("column_rule", 0.5)
    out: list[Item] = []
    # an L-shaped module (issue 13) as its two rectangles: the rules run along the notch's top and
    # down the gutter beside it, never between the module's own parts
    boxes = [(n, Rect(*part)) for n, m in enumerate(modules) if m.kind != "masthead" for part in m.parts(g.gutter)]
    for na, a in boxes:
        for nb, b in boxes:
            if na == nb:
                continue
            if abs(a.x1 + g.gutter - b.x) < 0.5:
                y0, y1 = max(a.y, b.y), min(a.y1, b.y1)
                if y1 - y0 > g.pitch:
                    x = a.x1 + g.gutter / 2
                    out.append(Rule(x, y0 + g.pitch * 0.25, x, y1 - g.pitch * 0.25, width, source=Source(kind="rule")))
            if abs(a.y1 - b.y) < 0.5:
                x0, x1 = max(a.x, b.x), min(a.x1, b.x1)
                for p0, p1 in _off_pictures(x0, x1, a.y1, width, pictures):
                    if p1 - p0 > g.pitch:
                        out.append(Rule(p0, a.y1, p1, a.y1, width, source=Source(kind="rule")))
    return out


def _off_pictures(x0: float, x1: float, y: float, width: float, pictures: list) -> list[tuple[float, float]]:
    """The parts of the seam x0…x1 at height y that no picture touches (within the rule's width)."""
    parts = [(x0, x1)]
    for px0, px1, py0, py1 in sorted(pictures):
        if py0 - width <= y <= py1 + width:
            parts = [q for a, b in parts for q in ((a, min(b, px0)), (max(a, px1), b)) if q[1] - q[0] > 1e-6]
    return parts


def _report_overset(ctx: Context, stories: dict[str, StoryLayout]) -> None:
    """A placed story with text left over is an error with its place in the edition, also where the
    automatic layout said nothing (a pinned story, or one whose plan promised a fit): the count is
    pagination's, after any jump. Stories the plan already reported overset are not said twice."""
    said = _recount_planned_overset(ctx, stories)
    for sid, layout in stories.items():
        r = layout.result
        if not (r.overset_chars or r.overset_lines) or sid in said:
            continue
        parts = layout.parts
        page = parts[-1].page if parts else None
        kind = "continued" if len(parts) > 1 else "story"
        item = next((i for p in ctx.edition.pages if p.id == page for i in p.items
                     if i.kind == kind and i.ref == sid), None)
        after = " after its jump" if kind == "continued" else ""
        g = ctx.grid
        ctx.diagnostics.error(
            "STORY-OVERSET", f"story {sid} on page {page} is over{after} by {r.overset_chars} characters "
            f"({r.overset_lines} lines): its module does not hold all of it",
            location=(item.at.loc if item is not None and item.at is not None and item.at.loc else
                      item.loc if item is not None and item.loc else layout.story.loc),
            page=page, story=sid,
            hint=f"cut {r.overset_chars} characters ({r.overset_lines} lines of {g.column_chars}), "
                 + (f"or make its continued: slot on {page} larger (it already jumps there)" if kind == "continued"
                    else "make its module larger, or give it a jump: to a page with a continued: slot"))


_PLAN_COUNT = re.compile(r"by \d+ characters \(\d+ lines\)")
_PLAN_CUT = re.compile(r"cut \d+ characters \(\d+ lines")


def _recount_planned_overset(ctx: Context, stories: dict[str, StoryLayout]) -> set[str]:
    """The automatic layout's AUTOLAYOUT-OVERSET messages given pagination's count, and the stories
    they are about. The plan's figure is its estimate's: a module too small for the head block and
    photo it measured counts all the text over, where pagination crops the photo and sets part of
    it (a packed page said 1 852 characters over, report.json 1 544). A message about a story that
    pagination set in full, or that ends on another page (its rest jumped), is dropped: the page as
    set has the last word."""
    items = ctx.diagnostics.items
    said: set[str] = set()
    keep = []
    for d in items:
        layout = stories.get(d.story or "") if d.code == "AUTOLAYOUT-OVERSET" else None
        if layout is None:
            keep.append(d)
            continue
        r = layout.result
        last = layout.parts[-1].page if layout.parts else None
        if not (r.overset_chars or r.overset_lines) or d.page != last:
            continue
        count = f"by {r.overset_chars} characters ({r.overset_lines} lines)"
        hint = _PLAN_CUT.sub(f"cut {r.overset_chars} characters ({r.overset_lines} lines", d.hint) if d.hint else d.hint
        keep.append(replace(d, message=_PLAN_COUNT.sub(count, d.message, count=1), hint=hint))
        said.add(d.story or "")
    items[:] = keep
    return said

