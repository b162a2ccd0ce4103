"""A page's items turned into the optimiser's problem, and its answer turned back into `at`
values (and photo depths) of a new Edition, so that pagination proper runs unchanged."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

from layout.autolayout.estimate import (
    Option,
    fitted_head,
    fixed_option,
    grid_size,
    photo_options,
    story_options,
)
from layout.autolayout.score import Placement, placements
from layout.autolayout.search import Piece, Problem, Solution, gc_paused, optimise
from layout.cache import JsonCache, cached_plan_bounds, plan_entry
from layout.diagnostics import Diagnostic, Severity
from layout.model.edition import At, Edition, Page, PageItem
from layout.paginate.context import Context


@dataclass(frozen=True)
class PagePlan:
    page: str
    problem: Problem
    item_of: tuple[int, ...]  # page item index of each piece
    solutions: tuple[Solution, ...]
    relaxed: bool  # valid options alone gave no layout
    problems: tuple[str, ...] = ()  # items that could not be offered to the optimiser

    @property
    def best(self) -> Solution | None:
        return self.solutions[0] if self.solutions else None

    def placements(self, solution: Solution | None = None) -> list[Placement]:
        sol = solution or self.best
        return placements(sol.tree, 1, self.problem.top) if sol else []

    def fill(self, solution: Solution | None = None) -> float:
        """Share of the live area covered by modules."""
        area = sum(p.cols * p.lines for p in self.placements(solution))
        return area / (self.problem.cols * self.problem.height)

    def traded(self, solution: Solution | None = None) -> list[str]:
        """What the layout gave up, in words, worst first."""
        out = []
        for p in self.placements(solution):
            name = self.problem.pieces[p.item].name
            o = p.option
            if o.overset_chars:
                out.append(f"{name} is over by {o.overset_chars} characters")
            elif not o.valid:
                out.append(f"{name} leaves {o.empty_lines} empty lines in {o.cols} columns")
        sol = solution or self.best
        if sol and sol.score.tombstones:
            out.append(f"{sol.score.tombstones} pair(s) of headlines side by side")
        return out


def needs_layout(page: Page) -> bool:
    return any(item.at is None for item in page.items)


def _live(ctx: Context, page: Page) -> tuple[int, int]:
    top = ctx.template.masthead_lines + 1 if page.masthead else ctx.template.flag_lines + 1 if page.flag else 1
    return top, ctx.grid.lines


def _jumps(edition: Edition) -> set[str]:
    return {item.ref for p in edition.pages for item in p.items if item.kind == "continued" and item.ref}


def _first_part(edition: Edition, sid: str) -> tuple[str, At, bool] | None:
    """Where a story's first part is, and whether it is its page's lead (as pagination decides)."""
    for p in edition.pages:
        firsts = [it.ref for it in p.items if it.kind == "story" and it.at is not None]
        for item in p.items:
            if item.kind == "story" and item.ref == sid and item.at is not None:
                return p.id, item.at, p.masthead and firsts[0] == sid
    return None


def _options(ctx: Context, edition: Edition, page: Page, item: PageItem, lead: bool, relaxed: int,
             tall: int, memo: dict) -> tuple[list[Option], str | None]:
    """The options of an unpinned item, or why it has none. `memo`: the item's flows measured in
    an earlier pass."""
    if item.kind == "story":
        story = edition.stories.get(item.ref or "")
        if story is None:
            return [], f"story {item.ref!r} does not exist"
        jump = story.jump if story.id in _jumps(edition) else None
        return story_options(ctx, story, lead=lead, jump_to=jump, relaxed=relaxed, max_lines=tall, memo=memo), None
    if item.kind == "continued":
        story = edition.stories.get(item.ref or "")
        first = _first_part(edition, item.ref or "")
        if story is None or first is None:
            return [], f"the continuation of {item.ref!r} needs its first part placed first"
        return story_options(ctx, story, relaxed=relaxed, max_lines=tall, continued=first, memo=memo), None
    if item.kind == "photo" and item.photo is not None:
        if item.size:
            return fixed_option(*item.size), None
        return photo_options(ctx, item.photo, relaxed=relaxed), None
    if item.kind == "ad":
        if item.size:
            return fixed_option(*item.size), None
        ad = edition.ads.get(item.ref or "")
        if ad is None:
            return [], f"ad {item.ref!r} does not exist"
        if ad.kind == "box":
            return [], f"box ad {ad.id!r} needs a size (size: {{cols: …, lines: …}})"
        from layout.paginate.ads import ad_size

        size = ad_size(ad)
        cells = grid_size(ctx, *size) if size else None
        if cells is None:
            return [], f"ad {ad.id!r} is not the size of any module of the grid"
        return fixed_option(*cells), None
    if item.size:
        return fixed_option(*item.size), None
    return [], f"{item.kind} needs a size (size: {{cols: …, lines: …}}) or an at"


def problem_for(ctx: Context, edition: Edition, page: Page, *, relaxed: int = 0, memos: dict | None = None
                ) -> tuple[Problem, tuple[int, ...], tuple[str, ...]]:
    """The page as the optimiser's problem; `memos` (item index → flows) carries the stories'
    measurements from one pass to the next."""
    memos = {} if memos is None else memos
    top, bottom = _live(ctx, page)
    pieces: list[Piece] = []
    item_of: list[int] = []
    notes: list[str] = []
    story_items = [i for i, it in enumerate(page.items) if it.kind == "story"]
    cont_items = [i for i, it in enumerate(page.items) if it.kind == "continued"]
    rank = {i: r for r, i in enumerate(story_items + cont_items)}
    lead_index = story_items[0] if story_items else None
    for i, item in enumerate(page.items):
        name = f"{item.kind} {item.ref}" if item.ref else item.kind
        r = rank.get(i, -1)
        if item.at is not None:
            a = item.at
            head = 0.0
            story = edition.stories.get(item.ref or "")
            if i == lead_index and story is not None:
                # The others' headlines are held under a pinned lead's.
                head = fitted_head(ctx, story, a, lead=page.masthead)
            pieces.append(Piece(name, (Option(a.cols, a.lines, 0.0, head_size=head),), r, item.kind == "ad",
                                (a.col, a.line, a.cols, a.lines)))
        else:
            lead = page.masthead and i == lead_index
            opts, why = _options(ctx, edition, page, item, lead, relaxed, bottom - top + 1, memos.setdefault(i, {}))
            if why:
                notes.append(why)
                continue
            pieces.append(Piece(name, tuple(opts), r, item.kind == "ad"))
        item_of.append(i)
    return Problem(ctx.grid.columns, top, bottom, tuple(pieces)), tuple(item_of), tuple(notes)


def plan_page(ctx: Context, edition: Edition, page: Page, keep: int = 3) -> PagePlan:
    """The best layouts of the page: with valid options only; if none, letting stories run short
    (empty lines); if still none, letting them run over (overset). The trial layouts and flows
    are many small acyclic objects: the cyclic collector is held off meanwhile (see gc_paused)."""
    with gc_paused():
        return _plan_page(ctx, edition, page, keep)


def _plan_page(ctx: Context, edition: Edition, page: Page, keep: int) -> PagePlan:
    memos: dict[int, dict] = {}
    problem, item_of, notes = problem_for(ctx, edition, page, memos=memos)
    sols = optimise(problem, keep) if not notes else []
    relaxed = False
    for level in (1, 2):
        if sols or notes:
            break
        relaxed = True
        problem, item_of, notes = problem_for(ctx, edition, page, relaxed=level, memos=memos)
        sols = optimise(problem, keep)
    return PagePlan(page.id, problem, item_of, tuple(sols), relaxed, notes)


@dataclass(frozen=True)
class Decision:
    """Where one item of a page goes: what a plan decides, and what the plan cache keeps."""

    item: int  # index in the page's items
    at: tuple[int, int, int, int]  # col, line, cols, lines
    photo_lines: tuple[int, ...] = ()
    photo_cols: int | None = None
    head_size: float | None = None  # pt a story's headline is fitted from (None: its width's size)


def decisions(plan: PagePlan, solution: Solution | None = None) -> list[Decision]:
    sol = solution or plan.best
    if sol is None:
        return []
    return [Decision(plan.item_of[p.item], (p.col, p.line, p.cols, p.lines), tuple(p.option.photo_lines),
                     p.option.photo_cols, p.option.head_start) for p in placements(sol.tree, 1, plan.problem.top)]


def apply(edition: Edition, page: Page, plan: PagePlan, solution: Solution | None = None) -> Edition:
    """The edition with the page's items placed as the plan says (and photo depths and headline
    sizes chosen)."""
    return apply_decisions(edition, page, decisions(plan, solution))


def apply_decisions(edition: Edition, page: Page, chosen: list[Decision]) -> Edition:
    items = list(page.items)
    stories = dict(edition.stories)
    for d in chosen:
        item = items[d.item]
        if item.at is not None:
            continue
        at = At(*d.at, loc=item.loc)
        if item.kind == "photo" and item.photo is not None and d.photo_lines:
            photo = dataclasses.replace(item.photo, lines=d.photo_lines[0], cols=d.photo_cols or item.photo.cols)
            items[d.item] = dataclasses.replace(item, at=at, photo=photo)
            continue
        if item.kind == "story" and d.photo_lines and item.ref in stories:
            story = stories[item.ref]
            photos = tuple(dataclasses.replace(ph, lines=n) for ph, n in zip(story.photos, d.photo_lines, strict=False))
            stories[item.ref] = dataclasses.replace(story, photos=photos + story.photos[len(photos):])
        if item.kind == "story" and d.head_size is not None and item.ref in stories:
            stories[item.ref] = dataclasses.replace(stories[item.ref], headline_size=d.head_size)
        items[d.item] = dataclasses.replace(item, at=at)
    new_page = dataclasses.replace(page, items=tuple(items))
    pages = tuple(new_page if pg.id == page.id else pg for pg in edition.pages)
    return dataclasses.replace(edition, pages=pages, stories=stories)


def page_key(ctx: Context, edition: Edition, page: Page) -> str:
    """Everything a page's plan depends on, as a digest: its items, the stories and photos on it
    (and the placed first parts of stories continued here), the template, the fonts and the
    print profile's target resolution. Source positions are left out: editing another part of
    the file does not change this page's plan."""
    refs = {i.ref for i in page.items if i.ref} | {r for i in page.items for r in i.refs}
    stories = []
    for sid in sorted(refs & set(edition.stories)):
        s = edition.stories[sid]
        first = _first_part(edition, sid) if any(i.kind == "continued" and i.ref == sid for i in page.items) else None
        stories.append([sid, s.headline, s.kicker, list(s.decks), s.byline, s.dateline, s.teaser, s.jump,
                        s.headline_cols, s.headline_size, s.box, [[p.kind, p.text] for p in s.paragraphs],
                        [_photo_sig(p) for p in s.photos], repr(first[1:]) if first else None, first and first[0],
                        sorted(edition.composition_of(sid).items())])
    items = [[i.kind, i.ref, list(i.refs), _photo_sig(i.photo) if i.photo else None,
              [i.at.col, i.at.line, i.at.cols, i.at.lines] if i.at else None, repr(getattr(i, "size", None))]
             for i in page.items]
    ads = [[a, edition.ads[a].kind, edition.ads[a].title, list(edition.ads[a].lines), _file_sig(edition.ads[a].file)]
           for a in sorted(refs & set(edition.ads))]
    fonts = [[f.key, _file_sig(f.spec.path)] for f in sorted({f for ch in ctx.setter.chains.values() for f in ch.faces},
                                                            key=lambda f: f.key)]
    # How deep a photo may grow depends on the print profile's target resolution.
    blob = repr([page.id, page.masthead, page.flag, items, stories, ads, repr(ctx.template), fonts,
                 [p.id for p in edition.pages], getattr(ctx.profile, "target_ppi", None)])
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _file_sig(path) -> list | None:
    if path is None:
        return None
    try:
        st = Path(path).stat()
    except OSError:
        return [str(path)]
    return [str(path), st.st_size, st.st_mtime_ns]


def _photo_sig(photo) -> list:
    return [_file_sig(photo.file), photo.caption, photo.credit, photo.cols, photo.lines, photo.at, photo.focus]


def plan_edition(ctx: Context, cache: JsonCache | None = None) -> tuple[Edition, list[PagePlan]]:
    """Every page with unplaced items laid out, in page order (a continuation needs its first part
    placed before it); diagnostics say what each page traded, or why it could not be laid out.
    With a cache, a page whose inputs did not change since an earlier build takes that build's
    decisions (and says the same things) without searching again."""
    edition = ctx.edition
    plans: list[PagePlan] = []
    for page in ctx.edition.pages:
        if not needs_layout(page):
            continue
        page = edition.page(page.id)
        key = page_key(ctx, edition, page) if cache is not None else None
        # A cached plan is checked against this page and grid before use (layout.cache.plan_entry);
        # a damaged one is dropped, planned again and stored again.
        hit = cache.load(key, check=lambda v, page=page: plan_entry(v, **cached_plan_bounds(ctx, page))) \
            if cache is not None else None
        if hit is not None:
            chosen = [Decision(*d) for d in hit[0]]
            ctx.diagnostics.extend(Diagnostic(code, Severity(sev), msg, location=page.loc, hint=hint, page=page.id)
                                   for code, sev, msg, hint in hit[1])
            edition = apply_decisions(edition, page, chosen)
            continue
        before = len(ctx.diagnostics.items)
        plan = plan_page(ctx, edition, page)
        plans.append(plan)
        _report(ctx, page, plan)
        chosen = decisions(plan)
        edition = apply_decisions(edition, page, chosen)
        if cache is not None:
            said = [[d.code, d.severity.value, d.message, d.hint] for d in ctx.diagnostics.items[before:]]
            cache.store(key, {"decisions": [[d.item, list(d.at), list(d.photo_lines), d.photo_cols, d.head_size]
                                            for d in chosen],
                              "diagnostics": said})
    return edition, plans


def _report(ctx: Context, page: Page, plan: PagePlan) -> None:
    d = ctx.diagnostics
    for why in plan.problems:
        d.error("AUTOLAYOUT-ITEM", f"page {page.id}: {why}", location=page.loc, page=page.id,
                hint="give the item an at: or a size:")
    best = plan.best
    if best is None:
        if not plan.problems:
            need = sum(min((o.cols * o.lines for o in pc.options), default=0) for pc in plan.problem.pieces)
            have = plan.problem.cols * plan.problem.height
            d.error("AUTOLAYOUT-NO-LAYOUT",
                    f"page {page.id}: no guillotine layout of its items fills the page (the items need at least "
                    f"{need} of {have} column-lines)", location=page.loc, page=page.id,
                    hint="add or drop a story, or change an ad's or photo's size")
        return
    for p in plan.placements():
        o = p.option
        name = plan.problem.pieces[p.item].name
        if o.overset_chars:
            d.error("AUTOLAYOUT-OVERSET", f"page {page.id}: no layout fits all the text: {name} is over by "
                    f"{o.overset_chars} characters", location=page.loc, page=page.id,
                    hint=f"cut {o.overset_chars} characters from it, or drop a story from the page")
        elif not o.valid:
            d.warning("AUTOLAYOUT-UNDERSET", f"page {page.id}: {name} leaves {o.empty_lines} empty lines "
                      f"in its {o.cols} columns", location=page.loc, page=page.id,
                      hint="add text to it, or a photo")
    trades = "; ".join(plan.traded()) or "nothing"
    d.info("AUTOLAYOUT", f"page {page.id} laid out: score {best.score.total:.1f}, {plan.fill():.1%} of the live "
           f"area used; traded: {trades}", location=page.loc, page=page.id)
