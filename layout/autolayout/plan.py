"""A page's items turned into the optimiser's problem, and its answer turned back into `at`
values (and photo depths) of a new Edition, so that pagination proper runs unchanged.

Always a page: every item listed on a page is placed. When no layout meets every preference the
preferences are given up in a fixed order (docs/edition-format.md, "Automatic layout"), and each
one the chosen layout gives up is reported per story (AUTOLAYOUT-RELAXED, -UNDERSET, -OVERSET):

  pass 0  the levers at their price, cheapest first: a photo a line deeper or shallower (its crop,
          within the target resolution), one empty line at a column's foot, a headline one
          template size up or down, two headlines side by side (tombstone);
  pass 1  columns left short (underset beyond level feet, R42);
  pass 2  modules too shallow for their text: overset (a story that jumps continues instead);
  pass 3  when no guillotine layout of the offered modules tiles the page: the search once more
          with a hole beside the foot items, given to the story over it as an L-shaped module
          (_notched_search), or the module shapes of the fallback layout (fallback.py), whichever
          scores better; white space where no listed item can go (AUTOLAYOUT-GAP).

Headline sizes never grow down the page's list (search._Chain): a headline the search holds under
an earlier one's in a module it was not measured at is measured there (measure_held) and the page
searched once more with that measurement (_held_searched).

AUTOLAYOUT-NO-LAYOUT is left for pages whose fixed areas (pinned items, booked sizes) cannot all
be placed."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
from dataclasses import dataclass

from layout.autolayout import fallback, parallel
from layout.autolayout.estimate import (
    OVERSET,
    OVERSET_CHAR,
    Option,
    _part,
    _scratch,
    balanced_feet,
    fitted_head,
    fixed_option,
    needs,
    option_at,
    photo_options,
    story_options,
)
from layout.autolayout.measure import blocks as measured_blocks
from layout.autolayout.optcache import cached_options
from layout.autolayout.score import (
    POSITION,
    Breakdown,
    Cut,
    Leaf,
    Placement,
    Tree,
    placements,
    rank_weight,
    score_tree,
    tombstone_pairs,
)
from layout.autolayout.search import (
    WORK_LIMIT,
    OverBudget,
    Piece,
    Problem,
    Solution,
    gc_paused,
    held_leaves,
    map_leaves,
    optimise,
)
from layout.autolayout.searchcache import kept_search
from layout.cache import JsonCache, cached_plan_bounds, file_signature, plan_entry
from layout.diagnostics import Diagnostic, Severity
from layout.model.edition import At, Edition, Notch, Page, PageItem
from layout.model.validate import AUTO_JUMP
from layout.paginate.context import Context
from layout.paginate.story import body_blocks

FALLBACK = 3  # the pass of the fallback layout
OVERSET_WORK = 800_000  # search steps pass 2 may take (the sample's pages never need pass 2)
BOX_COLS = (1, 2, 3)  # widths a box ad without a size may take
BOX_STEP = 2  # a box ad's depth in steps of this many lines ...
BOX_GROW = 4  # ... up to this many steps deeper than its text needs (each at BOX_LINE)
BOX_LINE = 1.5
TEASER_GROW = 4  # lines a strip of teasers may be deeper than it needs (each at BOX_LINE)
TEASER_COLUMN = 4.0  # teasers in a column instead of a strip across the foot (front pages)
TEASER_COLS = 2  # the width of a column of teasers


@dataclass(frozen=True)
class PagePlan:
    page: str
    problem: Problem
    item_of: tuple[int, ...]  # page item index of each piece
    solutions: tuple[Solution, ...]
    relaxed: bool  # valid options alone gave no layout
    problems: tuple[str, ...] = ()  # items that could not be offered to the optimiser
    level: int = 0  # the pass that gave the layout (see the module's docstring)
    gaps: tuple[tuple[int, int, int, int], ...] = ()  # (col, line, cols, lines) left empty
    unplaceable: fallback.Unplaceable | None = None  # fixed items the page has no room for

    @property
    def best(self) -> Solution | None:
        return self.solutions[0] if self.solutions else None

    def placements(self, solution: Solution | None = None) -> list[Placement]:
        sol = solution or self.best
        if sol is None:
            return []
        if sol.places is not None:
            return list(sol.places)
        return placements(sol.tree, 1, self.problem.top)

    def fill(self, solution: Solution | None = None) -> float:
        """Share of the live area covered by modules."""
        area = sum(p.cols * p.lines - (p.option.notch[1] * p.option.notch[2] if p.option.notch else 0)
                   for p in self.placements(solution))
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
        if sol and sol.places is not None and sol.fallback:
            out.append("fallback layout (no guillotine layout of the offered modules)")
        for c, line, w, h in self.gaps:
            out.append(f"{w} × {h} column-lines empty at col {c}, line {line}")
        return out


def _by_direction(story, horizontal):
    """`horizontal` (story_options, option_at, needs, fitted_head of estimate.py), or its namesake in
    layout/autolayout/vertical.py for a story set vertically (issue 16)."""
    if story.direction == "vertical":
        from layout.autolayout import vertical

        return getattr(vertical, horizontal.__name__)
    return horizontal


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


def box_lines(ctx: Context, ad, cols: int) -> int:
    """Grid lines a box ad's text needs at `cols` columns, as layout.paginate.ads.box_ad sets it
    (inset, padding, each line at 1.4 × its size), with a line of air, in BOX_STEP steps."""
    g = ctx.grid
    t = ctx.template
    title, body = t.style("ad_title"), t.style("ad_line")
    inner = g.span_width(cols) - g.pitch
    width = inner - 2 * body.size
    if width <= body.size * 4:
        return 0
    groups = [(ad.title, title.font, title.size)] + [(line, body.font, body.size) for line in ad.lines]
    if ad.slogan:
        groups.append((ad.slogan, title.font, body.size * 1.2))
    depth = g.pitch + 2 * body.size
    for text, font, size in groups:
        if text:
            depth += len(ctx.setter.block(text, font, size, width, justify=False).lines) * size * 1.4
    lines = math.ceil(depth / g.pitch) + 1
    return -(-lines // BOX_STEP) * BOX_STEP


def box_options(ctx: Context, ad, tall: int) -> list[Option]:
    """A box ad without a size: each width of BOX_COLS at the depth its text needs, and a few size
    steps deeper at a price (to take up a page's slack); narrower is dearer (the text reads worse
    in a narrow box), so the natural size wins where it fits."""
    out = []
    for cols in BOX_COLS:
        if cols > ctx.grid.columns:
            continue
        need = box_lines(ctx, ad, cols)
        if not need or need > tall:
            continue
        for k in range(BOX_GROW + 1):
            lines = need + k * BOX_STEP
            if lines <= tall:
                out.append(Option(cols, lines, BOX_LINE * k * BOX_STEP + 2.0 * abs(cols - 2)))
    return out


def teaser_lines(ctx: Context, count: int, cols: int) -> int:
    """Grid lines teasers need at `cols` columns, as layout.paginate.teasers sets them: the title's
    lines, then rows of entries (as many entries a row as 24 characters each allow)."""
    g = ctx.grid
    st = ctx.template.style("teaser")
    width = g.span_width(cols)
    per_row = max(1, min(count, int((width - st.size) // (24 * st.size))))
    rows = -(-count // per_row)
    return math.ceil((g.pitch * 3 + rows * st.size * 1.8) / g.pitch) + 1


def teaser_options(ctx: Context, count: int, tall: int, front: bool) -> list[Option]:
    """Teasers without a size, by the rule of the broadsheet front page: a strip across the foot of
    the page, or (dearer) a column TEASER_COLS wide; deeper by up to TEASER_GROW lines at a price."""
    out = []
    for cols, cost in ((ctx.grid.columns, 0.0), (TEASER_COLS, TEASER_COLUMN if front else 0.0)):
        need = teaser_lines(ctx, count, cols)
        for k in range(TEASER_GROW + 1):
            if need + k <= tall:
                out.append(Option(cols, need + k, cost + BOX_LINE * k))
    return out


def art_options(ctx: Context, ad, tall: int) -> tuple[list[Option], str | None]:
    """The modules of a delivered (image or PDF) ad listed without a size: its own size's module,
    or the smallest that holds it whole when it is the size of none (pagination places it there
    and says so: AD-SIZE-MISMATCH). An image that records no resolution has only proportions:
    any width, as deep as they make it (pagination fits it and says so: AD-SIZE-UNKNOWN)."""
    from layout.paginate.ads import ad_size, art_module, pixel_size

    g = ctx.grid
    size = ad_size(ad)
    if size is not None:
        cols, lines, _exact = art_module(g, size, tall)
        return fixed_option(cols, lines), None
    pixels = pixel_size(ad)
    if pixels is None:
        return [], f"ad {ad.id!r}: its file's size cannot be read; give it a size (size: {{cols: …, lines: …}})"
    out = []
    for cols in range(1, g.columns + 1):
        lines = round(g.span_width(cols) * pixels[1] / pixels[0] / g.pitch)
        if 1 <= lines <= tall:
            out.append(Option(cols, lines, 0.0))
    if not out:  # art far taller than wide: one column, the page's depth, fitted by its proportions
        out.append(Option(1, tall, 0.0))
    return out, None


def _options(ctx: Context, edition: Edition, page: Page, item: PageItem, lead: bool, relaxed: int,
             tall: int, memo: dict) -> tuple[list[Option], str | None]:
    """The options of an unpinned item, or why it has none. `memo`: the item's flows measured in
    an earlier pass."""
    if item.kind == "story":
        story = edition.stories.get(item.ref or "")
        if story is None:
            return [], f"story {item.ref!r} does not exist"
        jump = story.jump if story.id in _jumps(edition) else None
        measure = _by_direction(story, story_options)
        # kept between builds by the story's own inputs (optcache): a page re-planned after one
        # story's edit measures that story alone
        return cached_options(ctx, story, measure, "story", lead=lead, jump_to=jump, relaxed=relaxed,
                              max_lines=tall, memo=memo), None
    if item.kind == "continued":
        story = edition.stories.get(item.ref or "")
        first = _first_part(edition, item.ref or "") or _first_part(ctx.edition, item.ref or "")
        if story is None or first is None:
            return [], f"the continuation of {item.ref!r} needs its first part placed first"
        measure = _by_direction(story, story_options)
        return cached_options(ctx, story, measure, "continued", relaxed=relaxed, max_lines=tall,
                              continued=first, memo=memo), None
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
            opts = box_options(ctx, ad, tall)
            return (opts, None) if opts else ([], f"box ad {ad.id!r}: its text fits no box of {max(BOX_COLS)} "
                                                  "columns or fewer; give it a size (size: {cols: …, lines: …})")
        return art_options(ctx, ad, tall)
    if item.size:
        return fixed_option(*item.size), None
    if item.kind == "teasers":
        return teaser_options(ctx, max(1, len(item.refs)), tall, page.masthead), None
    return [], f"{item.kind} needs a size (size: {{cols: …, lines: …}}) or an at"


def problem_for(ctx: Context, edition: Edition, page: Page, *, relaxed: int = 0, memos: dict | None = None,
                stop_over: int | None = None) -> tuple[Problem, tuple[int, ...], tuple[str, ...]] | None:
    """The page as the optimiser's problem; `memos` (item index → flows) carries the stories'
    measurements from one pass to the next. With `stop_over` (the page's area), None as soon as
    the items measured so far cannot all fit in it (their least areas together are larger, or an
    item has no option): such a pass is not searched (see _areas), so the other items are not
    measured for it. Memos are exact, so leaving them unfilled changes no later measurement."""
    memos = {} if memos is None else memos
    least = 0  # the least area of the pieces so far
    top, bottom = _live(ctx, page)
    pieces: list[Piece] = []
    item_of: list[int] = []
    notes: list[str] = []
    story_items = [i for i, it in enumerate(page.items) if it.kind == "story"]
    cont_items = [i for i, it in enumerate(page.items) if it.kind == "continued"]
    rank = {i: r for r, i in enumerate(story_items + cont_items)}
    # Importance is the order of the list (stories and continuations alike).
    order = {i: r for r, i in enumerate(sorted(story_items + cont_items))}
    lead_index = story_items[0] if story_items else None
    for i, item in enumerate(page.items):
        name = f"{item.kind} {item.ref}" if item.ref else item.kind
        r = rank.get(i, -1)
        foot = item.kind in ("ad", "teasers")
        if item.at is not None:
            a = item.at
            head = 0.0
            story = edition.stories.get(item.ref or "")
            if item.kind == "story" and story is not None:
                # The others' headlines are held under a pinned lead's; a later pinned story's is
                # held under the lead's where it would be larger (see decisions).
                head = _by_direction(story, fitted_head)(ctx, story, a, lead=page.masthead and i == lead_index)
            pieces.append(Piece(name, (Option(a.cols, a.lines, 0.0, head_size=head),), r, foot,
                                (a.col, a.line, a.cols, a.lines), order.get(i, -1), item.kind == "continued"))
            least += a.cols * a.lines
        else:
            lead = page.masthead and i == lead_index
            opts, why = _options(ctx, edition, page, item, lead, relaxed, bottom - top + 1, memos.setdefault(i, {}))
            if why:
                notes.append(why)
                continue
            if i in order:
                lone = edition.stories.get(item.ref or "") if item.kind == "story" else None
                opts = [ranked(o, order[i], len(order), lone) for o in opts]
            pieces.append(Piece(name, tuple(opts), r, foot, None, order.get(i, -1), item.kind == "continued"))
            least += min((o.cols * o.lines for o in opts), default=1 << 30)
        item_of.append(i)
        if stop_over is not None and least > stop_over:
            return None
    return Problem(ctx.grid.columns, top, bottom, tuple(pieces), lead_top=relaxed == 0), tuple(item_of), tuple(notes)


def ranked(o: Option, order: int, listed: int, story=None) -> Option:
    """The option priced by the story's place in the page's list: its overset (estimate.OVERSET
    and OVERSET_CHAR a character, as measured) fallback.ORDER times dearer for each story or
    continuation listed after it, so that an overfull page prints its earlier stories whole and
    cuts the last-listed ones (issue 13: items are listed in order of importance). Before, every
    story's overset cost the same, and the search cut the second of five stories by 1 099
    characters while the third fitted whole. A `jump: auto` story's overset continues on another
    page (_auto_jumps): it is cut first, cheaper than the last-listed story's (`story`: the story
    of a first part; a continuation's overset is lost wherever it is cut). Options with nothing
    overset are as they were."""
    if not o.overset_chars or order < 0:
        return o
    weight = 1 / fallback.ORDER if _cut_first(story) else fallback.ORDER ** (listed - 1 - order)
    return dataclasses.replace(o, cost=o.cost + (weight - 1) * (OVERSET + OVERSET_CHAR * o.overset_chars))


def _cut_first(story) -> bool:
    """A story whose overset is not lost but continues where the edition finds room."""
    return story is not None and story.jump == AUTO_JUMP


def _listed(problem: Problem) -> int:
    """Stories and continuations on the page (what ranked counts places among)."""
    return sum(1 for pc in problem.pieces if pc.order >= 0)


def plan_page(ctx: Context, edition: Edition, page: Page, keep: int = 3) -> PagePlan:
    """The best layouts of the page, pass by pass (see the module's docstring) until one gives a
    layout; the fallback layout when none does. The trial layouts and flows are many small acyclic
    objects: the cyclic collector is held off meanwhile (see gc_paused)."""
    with gc_paused():
        return _plan_page(ctx, edition, page, keep)


def _plan_page(ctx: Context, edition: Edition, page: Page, keep: int) -> PagePlan:
    memos: dict[int, dict] = {}
    top, bottom = _live(ctx, page)
    area = ctx.grid.columns * (bottom - top + 1)
    # Passes 0 and 1 are searched only when their items' least areas fit the page (see _areas):
    # where they do not, the pass is given up as soon as that shows (problem_for's stop_over),
    # before every item is measured for it. Pass 2, the last, is always measured in full: its
    # problem is the plan's (and the fallback's).
    got = problem_for(ctx, edition, page, memos=memos, stop_over=area)
    # Items that cannot be offered (named in `notes`) are left out; the rest still get a page.
    level = 0
    budget = [WORK_LIMIT]  # search steps for all passes of the page together
    seen: dict = {}  # the runs the page's searches made (search._search): _held_searched's repeats them
    try:
        if got is None:
            sols: list[Solution] = []
        else:
            problem, item_of, notes = got
            lo, hi = _areas(problem)
            sols = kept_search(optimise, problem, keep, budget, seen=seen) if lo <= area <= hi else []
        for lv in (1, 2):
            if sols:
                break
            # Pass 2 adds only shallower modules to pass 1's: when the largest of pass 1 are too
            # small for the page, pass 2 cannot help (the fallback can).
            if lv == 2 and got is not None and hi < area:
                break
            level = lv
            if lv == 2:
                # Overset layouts of a crowded page: looked for briefly, the fallback is close behind.
                budget[0] = min(budget[0], OVERSET_WORK)
            got = problem_for(ctx, edition, page, relaxed=lv, memos=memos, stop_over=area if lv < 2 else None)
            if got is None:
                continue  # (pass 1 only) its items cannot fit the page: not searched
            problem, item_of, notes = got
            lo, hi = _areas(problem)
            # (pass 2, an overset page: its later headlines held, not searched for again, see
            # search._Chain; the overset layout is found once)
            sols = (kept_search(optimise, problem, keep, budget, chain_runs=1 if lv == 2 else 0, seen=seen)
                    if lo <= area <= hi else [])
    except OverBudget:
        sols = []  # a later pass offers more, not fewer, options: the fallback layout it is
    if sols:
        problem, sols = _held_searched(ctx, edition, page, problem, item_of, sols, memos, keep,
                                       budget if level < 2 else [0], seen)
        sols = _leads_left(problem, sols, _reads_rightward(edition, page))
    plan = PagePlan(page.id, problem, item_of, tuple(sols), level > 0, notes, level)
    if sols:
        return plan
    shaped = _fallback(ctx, edition, page, plan, memos)
    notched = _notched_search(ctx, edition, page, plan, memos, shaped)
    if notched is not None and (shaped.best is None or notched.score.total < shaped.best.score.total - 1e-9):
        # the search's layout with an L-shaped module: better than the fallback's
        return dataclasses.replace(plan, solutions=(notched,), level=FALLBACK, relaxed=True,
                                   unplaceable=shaped.unplaceable)
    return shaped


def _held_searched(ctx: Context, edition: Edition, page: Page, problem: Problem, item_of: tuple[int, ...],
                   sols: list[Solution], memos: dict, keep: int, budget: list[int], seen: dict | None = None
                   ) -> tuple[Problem, list[Solution]]:
    """measure_held, then, where a held headline measured worse than the search guessed (search.HELD:
    a held module may leave many lines short, and another layout do better), the page searched once
    more with those measurements (and the held stories at their own depths, _held_depths) among the
    stories' options; the best `keep` of both searches, with the problem they are options of (the
    plan's, so that a held option measured is not measured again, as suggest's alternatives are)."""
    measured = measure_held(ctx, edition, page, problem, item_of, sols, memos)
    if measured == sols or measured[0].score.total <= sols[0].score.total + 1e-6:
        return problem, measured  # (nothing held, or the best layout measured no worse than the guess)
    extra: dict[int, set] = {}
    for sol in measured:
        for p in placements(sol.tree, 1, problem.top):
            if p.option not in problem.pieces[p.item].options:
                extra.setdefault(p.item, set()).add(p.option)
                extra[p.item].update(_held_depths(ctx, edition, page, problem, item_of, p.item, p.option, memos))
    if not extra:
        return problem, measured
    pieces = tuple(dataclasses.replace(pc, options=pc.options + tuple(sorted(extra[k], key=_option_key)))
                   if k in extra else pc for k, pc in enumerate(problem.pieces))
    wider = dataclasses.replace(problem, pieces=pieces)
    try:
        again = measure_held(ctx, edition, page, wider, item_of, kept_search(optimise, wider, keep, budget, seen=seen),
                             memos)
    except OverBudget:
        again = []
    out: list[Solution] = []
    for sol in sorted(measured + again, key=lambda s: s.score.total):
        if len(out) < keep and all(placements(sol.tree) != placements(o.tree) for o in out):
            out.append(sol)
    return wider, out


def _held_depths(ctx: Context, edition: Edition, page: Page, problem: Problem, item_of: tuple[int, ...],
                 piece: int, held: Option, memos: dict) -> list[Option]:
    """The held story (its headline set down to `held`'s size in a module measured only at its
    larger sizes) measured at the same width in the depths its text fills there: as many lines
    shallower as its measured module leaves empty a column, or deeper by its overset lines a column
    (and a line either way). A smaller headline takes less of the module, so the depth the search
    chose for the larger one leaves its columns short: sample A04's waste-sorting, held at 18 pt
    in the 8 × 15 measured at 48 pt, left 33 lines white, and with only that depth offered the
    re-search kept it. Offered: the depths whose columns end level, or that cost less than the
    held one."""
    index = item_of[piece]
    story = edition.stories[page.items[index].ref]
    if held.head_size <= 0 or held.notch is not None:
        return []
    n = held.cols
    if held.overset_lines:
        centre = held.lines + math.ceil(held.overset_lines / n)
    elif held.empty_lines > n:
        centre = held.lines - held.empty_lines // n
    else:
        return []
    lead_index = next((i for i, it in enumerate(page.items) if it.kind == "story"), None)
    jump = story.jump if story.id in _jumps(edition) else None
    out = []
    for lines in sorted({centre - 1, centre, centre + 1}):
        if lines < 4 or lines > problem.height or lines == held.lines:
            continue
        o = ranked(_by_direction(story, option_at)(
            ctx, story, n, lines, lead=page.masthead and index == lead_index, jump_to=jump,
            memo=memos.setdefault(index, {}), max_head=held.head_size), problem.pieces[piece].order,
            _listed(problem), story)
        if o.head_size <= held.head_size + 1e-6 and (o.valid or o.cost < held.cost):
            out.append(o)
    return out


def _reads_rightward(edition: Edition, page: Page) -> bool:
    """Whether the page reads from right to left: its first-listed story is set vertically."""
    for item in page.items:
        if item.kind == "story" and item.ref in edition.stories:
            return edition.stories[item.ref].direction == "vertical"
    return False


def _leads_left(problem: Problem, sols: list[Solution], rightward: bool = False) -> list[Solution]:
    """Each layout with the stories side by side on a cut's top line in the order of the list, left
    to right (right to left when `rightward`), where that costs nothing (lead_left); layouts that
    become the same are kept once."""
    out: list[Solution] = []
    for sol in sols:
        sol = lead_left(problem, sol, rightward)
        if all(o.tree is None or sol.tree is None or placements(sol.tree) != placements(o.tree) for o in out):
            out.append(sol)
    out.sort(key=lambda s: s.score.total)
    return out


def lead_left(problem: Problem, sol: Solution, rightward: bool = False) -> Solution:
    """The layout with, at each cut straight down whose two sides both have a story or continuation
    on the cut's top line, the side holding the earlier-listed of them on the left, where the
    layout scores no worse so (the lead takes the lead position, the top left: issue 13).

    The search's score counts how far below the top each story starts, not how far right, so a
    layout and its mirror image cost the same and it kept whichever it met first: e9-tabloid's
    A02 put its lead (a `jump: auto` story cut to 3 × 18) right of the third story's 3 × 72. A
    side with a pinned item is not moved; the swap is kept only when the page's score (tombstones
    included: the stories meeting at a cut change) is no worse. `rightward`: the page reads from
    right to left, as a page led by a vertical (直排) story does in Taiwan and Hong Kong papers: the
    lead takes the top right, the others in the list's order leftwards."""
    if sol.tree is None:
        return sol
    pieces = problem.pieces

    def score(tree: Tree) -> Breakdown:
        return score_tree(tree, [pc.rank for pc in pieces], lambda i: pieces[i].headline, problem.top)

    def width(t: Tree) -> int:
        if isinstance(t, Leaf):
            return t.option.cols
        return t.at + width(t.second) if t.kind == "v" else max(width(t.first), width(t.second))

    def leaves(t: Tree) -> list[Leaf]:
        return [t] if isinstance(t, Leaf) else leaves(t.first) + leaves(t.second)

    def first_on_top(t: Tree) -> int | None:
        """The least list place among the stories and continuations starting on t's top line."""
        if isinstance(t, Leaf):
            order = pieces[t.item].order
            return order if order >= 0 else None
        if t.kind == "h":
            return first_on_top(t.first)
        got = [o for o in (first_on_top(t.first), first_on_top(t.second)) if o is not None]
        return min(got) if got else None

    best = sol.tree
    best_score = sol.score

    def visit(t: Tree, path: tuple[int, ...]) -> None:
        """Swaps at t (then its children), top-down, each kept where the page scores no worse."""
        nonlocal best, best_score
        if isinstance(t, Leaf):
            return
        if t.kind == "v" and not any(pieces[leaf.item].pinned for leaf in leaves(t)):
            left, right = first_on_top(t.first), first_on_top(t.second)
            if left is not None and right is not None and (left < right if rightward else right < left):
                swapped = Cut("v", width(t.second), t.second, t.first)
                tree = _replace_at(best, path, swapped)
                got = score(tree)
                if got.total <= best_score.total + 1e-9:
                    best, best_score, t = tree, got, swapped
        visit(t.first, path + (0,))
        visit(t.second, path + (1,))

    visit(best, ())
    if best is sol.tree:
        return sol
    return dataclasses.replace(sol, tree=best, score=best_score)


def _replace_at(tree: Tree, path: tuple[int, ...], new: Tree) -> Tree:
    """`tree` with its subtree at `path` (0: first, 1: second, from the root) replaced by `new`."""
    if not path:
        return new
    assert isinstance(tree, Cut)
    if path[0] == 0:
        return dataclasses.replace(tree, first=_replace_at(tree.first, path[1:], new))
    return dataclasses.replace(tree, second=_replace_at(tree.second, path[1:], new))


def _option_key(o: Option) -> tuple:
    return (o.cols, o.lines, o.head_size, o.cost)


def measure_held(ctx: Context, edition: Edition, page: Page, problem: Problem, item_of: tuple[int, ...],
                 sols: list[Solution], memos: dict) -> list[Solution]:
    """The solutions with each headline the search held under an earlier story's (search._Chain:
    its module was not measured at a size that small) measured in its module at that size or
    smaller (option_at, as the fallback layout measures its modules), so that its underset or
    overset is known and reported; rescored and sorted again."""
    out = []
    lead_index = next((i for i, it in enumerate(page.items) if it.kind == "story"), None)
    for sol in sols:
        held = held_leaves(problem, sol.tree)
        if not held:
            out.append(sol)
            continue
        new: dict[int, Option] = {}
        for leaf in held:
            index = item_of[leaf.item]
            story = edition.stories[page.items[index].ref]
            o = leaf.option
            jump = story.jump if story.id in _jumps(edition) else None
            # (a horizontal head block may keep its module's depth round the smaller headline)
            pad = {} if story.direction == "vertical" else {"pad": True}
            new[leaf.item] = ranked(_by_direction(story, option_at)(
                ctx, story, o.cols, o.lines, lead=page.masthead and index == lead_index, jump_to=jump,
                memo=memos.setdefault(index, {}), max_head=o.head_start, **pad), problem.pieces[leaf.item].order,
                _listed(problem), story)
        tree = map_leaves(sol.tree, lambda t, new=new: Leaf(t.item, new[t.item]) if t.item in new else t)
        out.append(dataclasses.replace(sol, tree=tree, score=score_tree(
            tree, [pc.rank for pc in problem.pieces], lambda i: problem.pieces[i].headline, problem.top)))
    out.sort(key=lambda s: s.score.total)
    return out


def _areas(problem: Problem) -> tuple[int, int]:
    """The least and the most column-lines the page's items can cover (pinned ones as they are):
    a page outside that range has no layout of these options, and is not searched."""
    lo = hi = 0
    for pc in problem.pieces:
        if pc.pinned is not None:
            lo += pc.pinned[2] * pc.pinned[3]
            hi += pc.pinned[2] * pc.pinned[3]
        elif pc.options:
            areas = [o.cols * o.lines for o in pc.options]
            lo += min(areas)
            hi += max(areas)
        else:
            return 1 << 30, 0
    return lo, hi


def _story_item(ctx: Context, edition: Edition, item: PageItem, k: int, *, lead: bool = False,
                memo: dict | None = None) -> fallback.Item:
    """Piece k, a story or a continuation, as the fallback layout sees it: its least module, the
    column-lines it would like, whether its module may be L-shaped, and (a horizontal story) its
    head block and need measured at each width (_measured_heads)."""
    g = ctx.grid
    story = edition.stories[item.ref]
    photos = story.photos if item.kind == "story" else ()
    min_cols = max([p.cols for p in photos] + [1])
    # room for the headline block and the first photo at its shallowest (estimate.PHOTO_RANGE)
    min_lines = 8 + (math.ceil(photos[0].lines * 0.8) + 3 if photos else 0)
    if story.direction == "vertical":  # issue 16: a band of body at least (see vertical.least_lines)
        from layout.autolayout.vertical import least_lines

        min_lines = least_lines(ctx, photos)
    if item.kind == "continued":
        need = _continued_need(ctx, edition, story)
    else:
        need = _by_direction(story, needs)(ctx, story, min(g.columns, max(min_cols, 2)))
    heads: tuple[int, ...] = ()
    wants: tuple[int, ...] = ()
    if story.direction != "vertical" and story.headline_direction != "vertical" and item.kind == "story":
        heads, wants = _measured_heads(ctx, story, lead, {} if memo is None else memo)
    return fallback.Item(k, (), story=True, min_cols=min(min_cols, g.columns), min_lines=min_lines,
                         need=need, notch=story.direction != "vertical" and story.headline_direction != "vertical"
                         and not story.tables, heads=heads, needs=wants,
                         cut_first=item.kind == "story" and _cut_first(story))


def _measured_heads(ctx: Context, story, lead: bool, memo: dict) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """For each width 1..columns, the lines above the story's text (its head block set at the
    width's headline size, and its first photo where that stands under it) and the column-lines
    the whole story takes there (that head block across the width, its body, its photos). The
    fallback's least modules and its stacking of a page of far too little text read these, not
    a constant guess: a kicker, two decks and a byline at a narrow width are many lines deep
    (issue 13). A width the story cannot be set at (its photo wider) is as deep as the page."""
    g = ctx.grid
    scratch = _scratch(ctx)
    blocks = measured_blocks(memo, lambda: body_blocks(scratch, story, float(g.column_chars)), float(g.column_chars))
    body = sum(len(b.lines) + b.lead for b in blocks) + sum(p.cols * (p.lines + 3) for p in story.photos)
    heads, wants = [], []
    for w in range(1, g.columns + 1):
        part = _part(ctx, story, At(1, 1, w, g.lines), lead, None, None, memo)
        if part is None:
            heads.append(g.lines)
            wants.append(w * g.lines + body)
            continue
        heads.append(max([part.head.lines] + [sl.first - 2 for sl in part.slots]))
        wants.append(w * part.head.lines + body)
    return tuple(heads), tuple(wants)


NOTCH_WORK = 200_000  # search steps the notch pass may take (see _notched_search)


def _notched_search(ctx: Context, edition: Edition, page: Page, plan: PagePlan, memos: dict,
                    shaped: PagePlan) -> Solution | None:
    """The search once more, before the fallback layout, with a hole beside the foot items (issue
    13: a box ad at the foot's corner leaves a notch no rectangle of the stories fills): the hole is
    one more foot item (fallback.hole_options), and the story whose module borders it takes it in
    an L-shaped module (fallback.merge_hole), measured there (option_at with its notch). None when
    the search finds no layout within NOTCH_WORK steps or no story can take its hole."""
    problem = plan.problem
    feet = []
    for pc in problem.pieces:
        if pc.ad and pc.pinned is None:
            feet += [(o.cols, o.lines) for o in pc.options]
        elif pc.ad and pc.pinned[1] + pc.pinned[3] - 1 == problem.bottom:
            feet.append((pc.pinned[2], pc.pinned[3]))
    sizes = fallback.hole_options(problem.cols, problem.height, feet)
    if not sizes:
        return None
    # Not tried where the fallback's page is over by more text than the largest hole holds (an
    # overfull page, which an L cannot save): the search costs as much as the fallback.
    over = sum(p.option.overset_chars for p in shaped.placements())
    if not shaped.gaps and over > max(w * h for w, h in sizes) * ctx.grid.column_chars:
        return None
    hole = Piece("hole", tuple(Option(w, h, fallback.HOLE * w * h) for w, h in sizes), ad=True)
    try:
        found = kept_search(optimise, dataclasses.replace(problem, pieces=problem.pieces + (hole,)), 1, [NOTCH_WORK])
    except OverBudget:
        return None
    if not found:
        return None
    sol = found[0]
    places = placements(sol.tree, 1, problem.top)
    spot = next(p for p in places if p.item == len(problem.pieces))
    kept = [p for p in places if p.item != spot.item]
    lead_index = next((i for i, it in enumerate(page.items) if it.kind == "story"), None)
    stories = {p.item: _story_item(ctx, edition, page.items[plan.item_of[p.item]], p.item,
                                   lead=page.masthead and plan.item_of[p.item] == lead_index,
                                   memo=memos.setdefault(plan.item_of[p.item], {}))
               for p in kept if problem.pieces[p.item].rank >= 0 and problem.pieces[p.item].pinned is None}
    merged = fallback.merge_hole([(p.item, p.col, p.line, p.cols, p.lines) for p in kept],
                                 (spot.col, spot.line, spot.cols, spot.lines), stories)
    if merged is None:
        return None
    shaped, notches = merged
    was = {p.item: p for p in kept}
    out = []
    for k, c, line, w, h in shaped:
        p = was[k]
        o = p.option
        if (c, line, w, h) != (p.col, p.line, p.cols, p.lines):
            index = plan.item_of[k]
            item = page.items[index]
            story = edition.stories[item.ref]
            cont = None
            if item.kind == "continued":
                cont = _first_part(edition, item.ref) or _first_part(ctx.edition, item.ref)
            jump = story.jump if story.id in _jumps(edition) and cont is None else None
            # its headline no larger than it was (the search kept the sizes in the list's order)
            o = _by_direction(story, option_at)(
                ctx, story, w, h, lead=page.masthead and index == lead_index, jump_to=jump, continued=cont,
                memo=memos.setdefault(index, {}), max_head=o.head_size or None, **_notched(notches, k))
            o = ranked(o, problem.pieces[k].order, _listed(problem), story if cont is None else None)
        out.append(Placement(k, c, line, w, h, o))
    out.sort(key=lambda q: q.item)
    stories_n = sum(1 for pc in problem.pieces if pc.rank >= 0)
    score = Breakdown(sum(q.option.cost for q in out),
                      sum(POSITION * rank_weight(problem.pieces[q.item].rank, stories_n) * (q.line - problem.top)
                          for q in out), sol.score.tombstones)
    return Solution(None, score, sol.lead_head, tuple(out), fallback=False)


def _fallback(ctx: Context, edition: Edition, page: Page, plan: PagePlan, memos: dict, flip: bool = False
              ) -> PagePlan:
    """The layout of last resort (fallback.py), each story measured in the module it gets; `flip`:
    its alternative with shared rectangles cut the other way."""
    problem = plan.problem
    lead_index = next((i for i, it in enumerate(page.items) if it.kind == "story"), None)
    pinned, items = [], []
    for k, pc in enumerate(problem.pieces):
        if pc.pinned is not None:
            pinned.append((k, pc.pinned))
            continue
        item = page.items[plan.item_of[k]]
        if pc.rank < 0:
            sizes = tuple((o.cols, o.lines) for o in sorted(pc.options, key=lambda o: o.cost))
            items.append(fallback.Item(k, sizes, foot=pc.ad))
            continue
        items.append(_story_item(ctx, edition, item, k, lead=page.masthead and plan.item_of[k] == lead_index,
                                 memo=memos.setdefault(plan.item_of[k], {})))
    # a pinned L-shaped module takes its cells, not its notch (another item may be placed there)
    taken = [(k, cells) for k, box in pinned for cells in
             (page.items[plan.item_of[k]].at.rects() if page.items[plan.item_of[k]].at is not None else (box,))]
    unplaceable = None
    try:
        places, gaps, notches = fallback.layout_shaped(problem.cols, problem.top, problem.bottom, taken, items, flip)
    except fallback.Unplaceable as err:
        # The page is laid out without the fixed items it has no room for (they are reported).
        unplaceable = err
        left = {k for k, _, _ in err.items}
        items = [it for it in items if it.index not in left]
        try:
            places, gaps, notches = fallback.layout_shaped(problem.cols, problem.top, problem.bottom, taken, items,
                                                           flip)
        except fallback.Unplaceable:
            return dataclasses.replace(plan, solutions=(), level=FALLBACK, relaxed=True, unplaceable=err)
    out: list[Placement] = []
    # The stories in the page's order: each headline is held under the smallest listed before it
    # (the lead's the largest, and no later one larger than an earlier one: issue 13), pinned ones
    # as fitted in their modules (held under the earlier ones as well, see decisions).
    fixed = {k: box for k, box in pinned}
    chain = sorted([q for q in places if problem.pieces[q[0]].rank >= 0]
                   + [(k, *box) for k, box in pinned if problem.pieces[k].rank >= 0],
                   key=lambda q: (problem.pieces[q[0]].order, problem.pieces[q[0]].rank))
    places = chain + [q for q in places if problem.pieces[q[0]].rank < 0]
    low: float | None = None  # the smallest headline so far
    lead_head = None
    for k, c, line, w, h in places:
        pc = problem.pieces[k]
        item = page.items[plan.item_of[k]]
        if k in fixed:
            size = pc.options[0].head_size if pc.options else 0.0
            if pc.rank == 0:
                lead_head = size or None  # (a pinned lead's headline as fitted in its module; see problem_for)
            if size and item.kind == "story":
                low = size if low is None else min(low, size)
            continue
        if pc.rank >= 0:
            story = edition.stories[item.ref]
            if item.kind == "continued":
                first = _first_part(edition, item.ref) or _first_part(ctx.edition, item.ref)
                o = _by_direction(story, option_at)(ctx, story, w, h, continued=first, memo=memos.setdefault(plan.item_of[k], {}),
                                                    **_notched(notches, k))
            else:
                jump = story.jump if story.id in _jumps(edition) else None
                lead = page.masthead and plan.item_of[k] == lead_index
                o = _by_direction(story, option_at)(ctx, story, w, h, lead=lead, jump_to=jump,
                                                    memo=memos.setdefault(plan.item_of[k], {}), max_head=low,
                                                    **_notched(notches, k))
                size = o.head_size
                if o.overset_chars and o.head_start is not None:
                    # (a module too small for the headline block: the option says the size it is
                    # fitted from, pagination sets what fits, smaller; the later ones are held under that)
                    size = _by_direction(story, fitted_head)(
                        ctx, dataclasses.replace(story, headline_size=o.head_start), At(c, line, w, h), lead=lead)
                if pc.rank == 0:
                    # a module too small for the lead's headline and photo still prints the
                    # headline, at its width's size: the others are held under that
                    size = lead_head = o.head_size or _by_direction(story, fitted_head)(ctx, story, At(c, line, w, h),
                                                                                        lead=lead)
                if size:
                    low = size if low is None else min(low, size)
            o = ranked(o, pc.order, _listed(problem), story if item.kind == "story" else None)
        else:
            o = next((o for o in pc.options if (o.cols, o.lines) == (w, h)), Option(w, h, 0.0))
        out.append(Placement(k, c, line, w, h, o))
    for k, (c, line, w, h) in pinned:
        pc = problem.pieces[k]
        out.append(Placement(k, c, line, w, h, pc.options[0] if pc.options else Option(w, h, 0.0)))
    out.sort(key=lambda p: p.item)
    stories = sum(1 for pc in problem.pieces if pc.rank >= 0)
    score = Breakdown(sum(p.option.cost for p in out),
                      sum(POSITION * rank_weight(problem.pieces[p.item].rank, stories) * (p.line - problem.top)
                          for p in out), 0)
    sol = Solution(None, score, lead_head or 0.0, tuple(out))
    return dataclasses.replace(plan, solutions=(sol,), level=FALLBACK, relaxed=True, gaps=tuple(gaps),
                               unplaceable=unplaceable)


def _notched(notches: dict, k: int) -> dict:
    """option_at's `notch` argument for piece k of the fallback layout (none: not passed, so that
    a vertical story's option_at, which has no notches, is called as before)."""
    return {"notch": notches[k]} if k in notches else {}


@dataclass(frozen=True)
class Decision:
    """Where one item of a page goes: what a plan decides, and what the plan cache keeps."""

    item: int  # index in the page's items
    at: tuple[int, int, int, int]  # col, line, cols, lines
    photo_lines: tuple[int, ...] = ()
    photo_cols: int | None = None
    head_size: float | None = None  # pt a story's headline is fitted from (None: its width's size)
    notch: tuple[str, int, int] | None = None  # an L-shaped module's cut-out corner (side, cols, lines)
    head_lines: int = 0  # grid lines a held headline's block keeps (Story.head_lines; 0: its own)


def decisions(plan: PagePlan, solution: Solution | None = None) -> list[Decision]:
    sol = solution or plan.best
    if sol is None:
        return []
    out = []
    held = _held_heads(plan, sol)
    for p in plan.placements(sol):
        head = p.option.head_start
        pc = plan.problem.pieces[p.item]
        if pc.pinned is not None and p.item in held:
            # A pinned story stays where it is, but its headline is no larger than the lead's nor
            # any earlier story's (pagination fits it from that size down).
            head = held[p.item]
        out.append(Decision(plan.item_of[p.item], (p.col, p.line, p.cols, p.lines), tuple(p.option.photo_lines),
                            p.option.photo_cols, head, p.option.notch if pc.pinned is None else None,
                            p.option.head_lines if pc.pinned is None else 0))
    return out


def _held_heads(plan: PagePlan, sol: Solution) -> dict[int, float]:
    """The pinned stories whose headline, as fitted in their module, is larger than the lead's or
    an earlier listed story's (issue 13: sizes never grow down the list): piece → the size it is
    held to. Continuations keep their own small headline and hold nothing."""
    places = {p.item: p for p in plan.placements(sol)}
    pieces = plan.problem.pieces
    chain = sorted((i for i, pc in enumerate(pieces) if pc.rank >= 0 and not pc.continued and i in places),
                   key=lambda i: (pieces[i].order, pieces[i].rank))
    low = sol.lead_head or float("inf")
    out = {}
    for i in chain:
        size = places[i].option.head_size
        if size <= 0:
            continue
        if size > low + 1e-6:
            if pieces[i].pinned is not None and pieces[i].rank > 0:
                out[i] = low
            continue
        low = size
    return out


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
            # a pinned story keeps its module; only its headline may be held under the lead's
            story = stories.get(item.ref or "")
            if item.kind == "story" and d.head_size is not None and story is not None and story.headline_size is None:
                stories[item.ref] = dataclasses.replace(story, headline_size=d.head_size)
            continue
        at = At(*d.at, loc=item.loc, notch=Notch(*d.notch) if d.notch else None)
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
        if item.kind == "story" and d.head_lines and item.ref in stories:
            stories[item.ref] = dataclasses.replace(stories[item.ref], head_lines=d.head_lines)
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
                        s.headline_cols, s.headline_size, s.head_lines, s.box, s.direction, s.headline_direction, [[p.kind, p.text] for p in s.paragraphs],
                        [_photo_sig(p) for p in s.photos], repr(first[1:]) if first else None, first and first[0],
                        sorted(edition.composition_of(sid).items())])
    items = [[i.kind, i.ref, list(i.refs), _photo_sig(i.photo) if i.photo else None,
              _at_sig(i.at) if i.at else None, repr(getattr(i, "size", None))]
             for i in page.items]
    ads = [[a, edition.ads[a].kind, edition.ads[a].title, list(edition.ads[a].lines), file_signature(edition.ads[a].file)]
           for a in sorted(refs & set(edition.ads))]
    fonts = [[f.key, file_signature(f.spec.path)] for f in sorted({f for ch in ctx.setter.chains.values() for f in ch.faces},
                                                            key=lambda f: f.key)]
    # How deep a photo may grow depends on the print profile's target resolution.
    blob = repr([page.id, page.masthead, page.flag, items, stories, ads, repr(ctx.template), fonts,
                 [p.id for p in edition.pages], getattr(ctx.profile, "target_ppi", None)])
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _at_sig(at: At) -> list:
    """A pinned module as the plan key spells it (a notch only when it has one: keys of pages
    without L-shaped modules read as they did before there were any)."""
    out: list = [at.col, at.line, at.cols, at.lines]
    if at.notch is not None:
        out.append([at.notch.side, at.notch.cols, at.notch.lines])
    return out


def _photo_sig(photo) -> list:
    return [file_signature(photo.file), photo.caption, photo.credit, photo.cols, photo.lines, photo.at, photo.focus]


def plan_edition(ctx: Context, cache: JsonCache | None = None) -> tuple[Edition, list[PagePlan]]:
    """Every page with unplaced items laid out, in page order (a continuation needs its first part
    placed before it); diagnostics say what each page traded, or why it could not be laid out.
    With a cache, a page whose inputs did not change since an earlier build takes that build's
    decisions (and says the same things) without searching again."""
    edition = _slotted_auto_jumps(ctx.edition)
    plans: list[PagePlan] = []
    # Continuations this loop chose for `jump: auto` stories: story id -> column-lines it needed.
    # Such a page is planned afresh (not from the plan cache), so the check below runs from any
    # cache state.
    chosen_jumps: dict[str, int] = {}
    # Pages that depend on no other page's plan are planned ahead, on both cores (planned_ahead).
    # (what it read from the plan cache is not read again)
    ahead, read = planned_ahead(ctx, edition, cache)
    for listed in ctx.edition.pages:
        page = edition.page(listed.id)  # with the continuations `jump: auto` added to it so far
        if not needs_layout(page):
            continue
        unused = _unused_slots(ctx, edition, page)
        if unused:
            edition = _drop_slots(ctx, edition, page, unused)
            page = edition.page(page.id)
            if not needs_layout(page):
                continue
        auto = any(edition.stories.get(i.ref or "") and edition.stories[i.ref].jump == AUTO_JUMP
                   for i in page.items) or any(i.kind == "continued" and i.ref in chosen_jumps for i in page.items)
        # A page with a `jump: auto` story may add a continuation to a later page: planned afresh.
        key = page_key(ctx, edition, page) if cache is not None and not auto else None
        # A cached plan is checked against this page and grid before use (layout.cache.plan_entry);
        # a damaged one is dropped, planned again and stored again.
        hit = read.pop(page.id) if page.id in read else \
            cache.load(key, check=lambda v, page=page: plan_entry(v, **cached_plan_bounds(ctx, page))) \
            if key is not None else None
        if hit is not None:
            chosen = [Decision(*d) for d in hit[0]]
            ctx.diagnostics.extend(Diagnostic(code, Severity(sev), msg, location=page.loc, hint=hint, page=page.id,
                                              story=story) for code, sev, msg, hint, story in hit[1])
            edition = apply_decisions(edition, page, chosen)
            continue
        before = len(ctx.diagnostics.items)
        plan = ahead.pop(page.id, None) or plan_page(ctx, edition, page)
        targets = _auto_jumps(ctx, edition, page, plan) if auto else {}
        if targets:
            chosen_jumps.update(_jump_needs(ctx, page, plan, targets))
            edition = _add_jumps(edition, targets)
            page = edition.page(page.id)
            plan = plan_page(ctx, edition, page)
        moved = _move_overset_jumps(ctx, edition, page, plan, chosen_jumps) if auto else {}
        if moved:
            edition = _move_jumps(edition, page.id, moved)
            page = edition.page(page.id)
            plan = plan_page(ctx, edition, page)
        plans.append(plan)
        _report(ctx, page, plan)
        chosen = decisions(plan)
        edition = apply_decisions(edition, page, chosen)
        if key is not None:
            said = [[d.code, d.severity.value, d.message, d.hint, d.story] for d in ctx.diagnostics.items[before:]]
            cache.store(key, {"decisions": [[d.item, list(d.at), list(d.photo_lines), d.photo_cols, d.head_size]
                                            + ([list(d.notch)] if d.notch else [None] if d.head_lines else [])
                                            + ([d.head_lines] if d.head_lines else []) for d in chosen],
                              "diagnostics": said})
    # A page the loader found blank (PAGE-BLANK) that now holds a continuation is blank no more.
    filled = {p.id for p in edition.pages if p.items}
    ctx.diagnostics.items[:] = [d for d in ctx.diagnostics.items if not (d.code == "PAGE-BLANK" and d.page in filled)]
    # `jump: auto` stories that fit their page jump nowhere.
    stories = {sid: dataclasses.replace(st, jump=None) if st.jump == AUTO_JUMP else st
               for sid, st in edition.stories.items()}
    # Items the engine could not place at all (reported: AUTOLAYOUT-ITEM, AUTOLAYOUT-NO-LAYOUT) are
    # left out of the pages pagination sees.
    pages = tuple(dataclasses.replace(p, items=tuple(i for i in p.items if i.at is not None))
                  if any(i.at is None for i in p.items) else p for p in edition.pages)
    return dataclasses.replace(edition, stories=stories, pages=pages), plans


def independent(edition: Edition) -> list[Page]:
    """The pages to lay out whose plan depends on no other page's: plan_page reads only the page's
    own items and stories, except that a continuation needs its first part placed (on an earlier
    page), and a `jump: auto` story may add a continuation to a later page. So: the pages with
    unplaced items and no continuation, before the first page with a `jump: auto` story (that one
    and every later page are planned in order, as before)."""
    out = []
    for page in edition.pages:
        if any(edition.stories.get(i.ref or "") and edition.stories[i.ref].jump == AUTO_JUMP for i in page.items):
            break
        if needs_layout(page) and not any(i.kind == "continued" for i in page.items):
            out.append(page)
    return out


PARALLEL_MIN = 2  # pages worth a second process (forking costs a few ms; a page's plan ~0.1–1 s)


def planned_ahead(ctx: Context, edition: Edition, cache: JsonCache | None
                  ) -> tuple[dict[str, PagePlan], dict[str, list | None]]:
    """The plans of the independent pages (see independent) that the plan cache does not hold, half
    of them made in a forked child (which inherits the fonts and the text setter: nothing but the
    plans is pickled), the other half here meanwhile. A plan is a function of its page alone, so
    which process makes it changes nothing: the build is the same as planning every page in order.
    Empty where fork is not available, LAYOUT_NO_FORK is set, there is one core, or fewer than
    PARALLEL_MIN pages need it; the caller plans the rest in order. Also what was read from the
    cache for each page looked up (the entry, or None), for the caller not to read it again."""
    if not hasattr(os, "fork") or os.environ.get("LAYOUT_NO_FORK") or (os.cpu_count() or 1) < 2:
        return {}, {}
    pages = independent(edition)
    if len(pages) < PARALLEL_MIN:
        return {}, {}
    read: dict[str, list | None] = {}
    if cache is not None:
        for p in pages:
            read[p.id] = cache.load(page_key(ctx, edition, p),
                                    check=lambda v, p=p: plan_entry(v, **cached_plan_bounds(ctx, p)))
    todo = [p for p in pages if read.get(p.id) is None]
    if len(todo) < PARALLEL_MIN:
        return {}, read
    # The child takes every other page (neighbouring pages are often alike in size).
    theirs, ours = todo[1::2], todo[0::2]
    child = parallel.start(lambda: [plan_page(ctx, edition, p) for p in theirs])
    if child is None:
        return {}, read
    try:
        out = {p.id: plan_page(ctx, edition, p) for p in ours}
    except BaseException:
        parallel.abandon(child)  # its pages are not wanted now: it does not run on after the build
        raise
    got = parallel.finish(child)
    if got is not None:
        out.update({p.id: plan for p, plan in zip(theirs, got, strict=True)})
    # (a child that failed leaves its pages to the caller, who plans them here)
    return out, read


AUTO_ROOM = 6  # a page has room for a continuation when its items leave a sixth of it or more
JUMP_HEAD_LINES = 4  # grid lines a continuation's 上接 line and repeated headline take, about


def _slotted_auto_jumps(edition: Edition) -> Edition:
    """`jump: auto` stories that already have a `continued:` slot jump to that slot's page."""
    slot = {i.ref: p.id for p in edition.pages for i in p.items if i.kind == "continued" and i.ref}
    stories = {sid: dataclasses.replace(st, jump=slot[sid]) if st.jump == AUTO_JUMP and sid in slot else st
               for sid, st in edition.stories.items()}
    return dataclasses.replace(edition, stories=stories)


def _room(ctx: Context, edition: Edition, page: Page) -> int:
    """Column-lines a page's items leave free, roughly: pinned modules and booked sizes as they are,
    stories as much as their text, headline and photos need."""
    top, bottom = _live(ctx, page)
    used = 0
    for item in page.items:
        if item.at is not None:
            used += item.at.cols * item.at.lines
        elif item.size:
            used += item.size[0] * item.size[1]
        elif item.kind == "continued" and item.ref in edition.stories:
            # the rest its first part sends on, not the whole story with its photos: counted whole,
            # a page holding a continuation looked fuller than it is (e9-tabloid's A03: -209 of
            # 432 column-lines free with its 6 000-character story counted whole)
            used += _continued_need(ctx, edition, edition.stories[item.ref])
        elif item.kind == "story" and item.ref in edition.stories:
            used += _by_direction(edition.stories[item.ref], needs)(ctx, edition.stories[item.ref], 3)
        elif item.kind == "photo" and item.photo is not None:
            used += item.photo.cols * (item.photo.lines + 3)
        else:
            used += 2 * 20
    return ctx.grid.columns * (bottom - top + 1) - used


def _auto_jumps(ctx: Context, edition: Edition, page: Page, plan: PagePlan) -> dict[str, str]:
    """For each `jump: auto` story the plan leaves overset, the page it continues on: the first
    later page whose free room holds the rest; when no later page can, the one with the most room
    (the rest then stands overset there, measured after the jump). A page qualifies at all only
    when its items leave a sixth of it or more (AUTO_ROOM). Room taken by a continuation chosen
    here for an earlier story of the page is counted, so two stories do not both pick the same
    last gap."""
    out: dict[str, str] = {}
    ids = [p.id for p in edition.pages]
    later = edition.pages[ids.index(page.id) + 1:]
    room = {}
    for cand in later:
        top, bottom = _live(ctx, cand)
        free = _room(ctx, edition, cand)
        if free * AUTO_ROOM >= ctx.grid.columns * (bottom - top + 1):
            room[cand.id] = free
    for p in plan.placements():
        item = page.items[plan.item_of[p.item]]
        story = edition.stories.get(item.ref or "")
        if item.kind != "story" or story is None or story.jump != AUTO_JUMP or not p.option.overset_chars:
            continue
        if not room:
            break
        need = _jump_need(ctx, p.option.overset_chars)  # the rest in column-lines
        fits = [pid for pid, free in room.items() if free >= need]
        target = fits[0] if fits else max(room, key=lambda pid: (room[pid], -ids.index(pid)))
        out[story.id] = target
        room[target] -= need
    return out


def _jump_need(ctx: Context, overset_chars: int) -> int:
    """Column-lines the rest of a story needs on its jump page: a tenth more for paragraph ends and
    sub-heads, and an allowance for the continuation's 上接 line and repeated headline over about
    three columns."""
    return -(-overset_chars * 11 // (10 * ctx.grid.column_chars)) + 3 * JUMP_HEAD_LINES


def _jump_needs(ctx: Context, page: Page, plan: PagePlan, targets: dict[str, str]) -> dict[str, int]:
    """The column-lines each story of `targets` needed when its continuation was placed."""
    out = {}
    for p in plan.placements():
        ref = page.items[plan.item_of[p.item]].ref
        if ref in targets:
            out[ref] = _jump_need(ctx, p.option.overset_chars)
    return out


def _move_overset_jumps(ctx: Context, edition: Edition, page: Page, plan: PagePlan,
                        chosen: dict[str, int]) -> dict[str, str]:
    """Continuations chosen for `jump: auto` stories on a page that, once laid out, leaves some text
    overset (the continuation's or another story's: the page's free room was only estimated): each
    moves to a later page whose estimated room is larger than this one's and holds what it needs
    (else the later page with the most room, if that is larger). A qa2 edition jumped a lead to a
    page already holding a 6 000-character story, 232 characters over, while the next page was blank."""
    if not any(p.option.overset_chars for p in plan.placements()):
        return {}
    ids = [p.id for p in edition.pages]
    later = edition.pages[ids.index(page.id) + 1:]
    # This page's room as _auto_jumps saw it when it chose the page, the continuations chosen for
    # it left out: counted in, they made `here` negative, and e9-tabloid's rest moved from A03
    # (315 column-lines free) to A06 (287), 2 456 characters over there.
    here = _room(ctx, edition, dataclasses.replace(page, items=tuple(
        i for i in page.items if not (i.kind == "continued" and i.ref in chosen))))
    room = {}
    for cand in later:
        top, bottom = _live(ctx, cand)
        free = _room(ctx, edition, cand)
        if free * AUTO_ROOM >= ctx.grid.columns * (bottom - top + 1) and free > here:
            room[cand.id] = free
    out: dict[str, str] = {}
    for p in plan.placements():
        item = page.items[plan.item_of[p.item]]
        if item.kind != "continued" or item.ref not in chosen or not room:
            continue
        need = chosen[item.ref]
        fits = [pid for pid, free in room.items() if free >= need]
        target = fits[0] if fits else max(room, key=lambda pid: (room[pid], -ids.index(pid)))
        out[item.ref] = target
        room[target] -= need
    return out


def _continued_need(ctx: Context, edition: Edition, story) -> int:
    """Column-lines a continuation needs, for sharing out the fallback's rectangles: the rest its
    first part (placed, measured as in _unused_slots) sends on, with the continuation's 上接 line
    and headline. The whole story's need, its photos included (they stay with the first part), gave
    a jump page's continuation 8 × 91 and the page's own story, listed first, 8 × 14: 308 of its 320
    characters over (found by qapages, /tmp/qapages/ed/overfull-jump.yaml A04)."""
    first = _first_part(edition, story.id)
    if first is None:
        return _by_direction(story, needs)(ctx, dataclasses.replace(story, photos=()), 3)
    at = first[1]
    kw = {"notch": (at.notch.side, at.notch.cols, at.notch.lines)} if at.notch is not None else {}
    o = _by_direction(story, option_at)(ctx, story, at.cols, at.lines, lead=first[2], jump_to=story.jump or "X",
                                        **kw)
    return _jump_need(ctx, o.continues + o.overset_chars)


def _unused_slots(ctx: Context, edition: Edition, page: Page) -> dict[str, str]:
    """The engine-sized `continued:` slots of `page` (no `at:`) whose story's first part, already
    placed on an earlier page, holds all of it: story id -> that page. Measured on the first part's
    module as placed (its headline size and photo depth), so the same from any cache state; a
    first part the estimate would set at another photo depth is left alone (pagination decides)."""
    out: dict[str, str] = {}
    for item in page.items:
        story = edition.stories.get(item.ref or "")
        if item.kind != "continued" or item.at is not None or story is None or story.jump != page.id:
            continue
        first = _first_part(edition, story.id)
        if first is None or first[0] == page.id:
            continue
        at = first[1]
        notch = (at.notch.side, at.notch.cols, at.notch.lines) if at.notch is not None else None
        kw = {"notch": notch} if notch is not None else {}
        o = _by_direction(story, option_at)(ctx, story, at.cols, at.lines, lead=first[2], jump_to=story.jump, **kw)
        if o.continues or o.overset_chars:
            continue
        if story.photos and o.photo_lines[:1] != (story.photos[0].lines,):
            continue
        out[story.id] = first[0]
    return out


def _drop_slots(ctx: Context, edition: Edition, page: Page, unused: dict[str, str]) -> Edition:
    """The slots of `unused` taken off `page` and their stories jumping nowhere: an empty
    continuation module printed white where the page's other items could stand (qapages' 8-page
    edition left a 4 × 46 hole on A03). Said, as pagination says it for a pinned slot."""
    for sid, first in unused.items():
        ctx.diagnostics.warning(
            "JUMP-UNUSED", f"story {sid!r} fits on {first}: its continuation slot on {page.id} is left out, and "
            "the page's other items take its room", location=edition.stories[sid].loc, story=sid, page=page.id,
            hint=f"remove `jump: {page.id}` and the `continued:` slot, or give the slot to another story")
    items = tuple(i for i in page.items if not (i.kind == "continued" and i.ref in unused))
    pages = tuple(dataclasses.replace(p, items=items) if p.id == page.id else p for p in edition.pages)
    stories = {sid: dataclasses.replace(st, jump=None) if sid in unused else st for sid, st in edition.stories.items()}
    return dataclasses.replace(edition, pages=pages, stories=stories)


def _move_jumps(edition: Edition, from_page: str, moved: dict[str, str]) -> Edition:
    """The continuations of `moved` taken off `from_page` and added (last) to their new pages, the
    stories jumping there."""
    pages = []
    for pg in edition.pages:
        items = pg.items
        if pg.id == from_page:
            items = tuple(i for i in items if not (i.kind == "continued" and i.ref in moved))
        add = tuple(PageItem(kind="continued", ref=sid, loc=edition.stories[sid].loc)
                    for sid, target in moved.items() if target == pg.id)
        pages.append(dataclasses.replace(pg, items=items + add) if items is not pg.items or add else pg)
    stories = {sid: dataclasses.replace(st, jump=moved[sid]) if sid in moved else st
               for sid, st in edition.stories.items()}
    return dataclasses.replace(edition, pages=tuple(pages), stories=stories)


def _add_jumps(edition: Edition, targets: dict[str, str]) -> Edition:
    """Each story of `targets` jumping to its page, with a continued slot there (the engine sizes it;
    listed last: a continuation is the least important item of its page)."""
    pages = []
    for pg in edition.pages:
        add = tuple(PageItem(kind="continued", ref=sid, loc=edition.stories[sid].loc)
                    for sid, target in targets.items() if target == pg.id)
        pages.append(dataclasses.replace(pg, items=pg.items + add) if add else pg)
    stories = {sid: dataclasses.replace(st, jump=targets[sid]) if sid in targets else st
               for sid, st in edition.stories.items()}
    return dataclasses.replace(edition, pages=tuple(pages), stories=stories)


def _report(ctx: Context, page: Page, plan: PagePlan) -> None:
    """What the page's layout gave up, per story and page (see the module's docstring)."""
    d = ctx.diagnostics
    for why in plan.problems:
        d.error("AUTOLAYOUT-ITEM", f"page {page.id}: {why}", location=page.loc, page=page.id,
                hint="give the item an at: or a size:")
    if plan.unplaceable is not None:
        _no_layout(ctx, page, plan)
    best = plan.best
    if best is None:
        return
    g = ctx.grid
    edition = ctx.edition
    tombs: dict[int, list[int]] = {}
    if best.tree is not None:
        for a, b in tombstone_pairs(best.tree, lambda i: plan.problem.pieces[i].headline):
            tombs.setdefault(a, []).append(b)
            tombs.setdefault(b, []).append(a)
    for p in plan.placements():
        o = p.option
        pc = plan.problem.pieces[p.item]
        item = page.items[plan.item_of[p.item]]
        if pc.rank < 0 or item.ref is None:
            continue
        sid = item.ref
        story = edition.stories.get(sid)
        where = f"story {sid} on page {page.id}"
        if item.kind == "continued":
            where = f"the continuation of story {sid} on page {page.id}"
        set_short = None  # whether its feet are uneven as set (None: not measured here)
        if o.overset_chars:
            after = " after its jump" if item.kind == "continued" else ""
            d.error("AUTOLAYOUT-OVERSET", f"{where} is over{after} by {o.overset_chars} characters "
                    f"({o.overset_lines} lines): no layout of the page holds all of it",
                    location=page.loc, page=page.id, story=sid,
                    hint=f"cut {o.overset_chars} characters ({o.overset_lines} lines of {g.column_chars}), "
                         + ("give its continuation more room on this page (a larger `continued:` slot, or fewer "
                            "other items here): a story jumps once" if item.kind == "continued" else
                            "give it a jump: to a page with a continued: slot (or jump: auto, the next page with "
                            "room), or drop a story from the page"))
        elif not o.valid and story is not None and story.direction == "vertical":
            from layout.autolayout.vertical import report_short  # issue 16: white space in its last band

            report_short(ctx, page, sid, where, o)
        elif not o.valid and story is not None and not (o.continues and not o.empty_lines):
            # (a jumping story squeezed to its head block sends all its text on: nothing short)
            from layout.autolayout.estimate import level_feet

            cont = None
            if item.kind == "continued":
                cont = _first_part(edition, sid)
            # One set of figures, those of the page as set: the module paginated with its columns
            # balanced (R42), not the estimate's unbalanced flow (o.empty_lines, o.feet), which
            # said "0 empty lines … columns balanced: 2, 3" and "add about 0 characters". Feet that
            # come out level are no underset; verify.py checks the paginated page all the same.
            feet = balanced_feet(ctx, story, o, lead=page.masthead and pc.rank == 0, continued=cont)
            set_short = bool(feet) and not level_feet(feet)
            if set_short:
                empty = sum(feet)
                short = ", ".join(str(e) for e in feet)
                # beside a vertical head (豎題) the text has fewer columns than the module: say which
                # ('175 empty lines in its 3 columns (… 88, 87)' listed two)
                cols = f"{o.cols} columns" if len(feet) == o.cols else \
                    f"{len(feet)} text columns (of its {o.cols}: its headline stands in the others)"
                d.warning("AUTOLAYOUT-UNDERSET", f"{where} is short: {empty} empty lines in its {cols} "
                          f"(empty lines at each column's foot, columns balanced: {short})",
                          location=page.loc, page=page.id,
                          story=sid, hint=f"add about {empty * g.column_chars} characters, or a photo, or let a "
                                          "neighbouring story take the room")
        traded = []
        if o.head_steps:
            way = "larger" if o.head_steps > 0 else "smaller"
            n = abs(o.head_steps)
            traded.append(f"headline {n} template size{'s' if n > 1 else ''} {way} than its width's ({o.head_size:g} pt)")
        if o.photo_lines and story is not None and story.photos and o.photo_lines[0] != story.photos[0].lines:
            diff = o.photo_lines[0] - story.photos[0].lines
            traded.append(f"photo {abs(diff)} line{'s' if abs(diff) > 1 else ''} "
                          f"{'deeper' if diff > 0 else 'shallower'} than asked ({o.photo_lines[0]} lines, cropped "
                          "to fit)")
        for other in tombs.get(p.item, []):
            traded.append(f"headline side by side with {plan.problem.pieces[other].name}'s (tombstone)")
        if best.places is not None and best.fallback and pc.pinned is None:  # (a pinned module is the edition's)
            traded.append("module shaped by the fallback layout (no guillotine layout of the offered modules "
                          "fills the page)")
        if o.notch:
            side, n_cols, n_lines = o.notch
            traded.append(f"L-shaped module round what stands in its bottom {side} corner ({n_cols} × {n_lines} "
                          "column-lines cut out), filling the room beside it")
        elif plan.level >= 1 and not o.valid and not o.overset_chars and not o.continues and set_short is not False:
            # (the estimate's flow is not balanced: feet that come out level once set are not short)
            traded.append("columns left short (no layout keeps every story's column feet level)")
        if o.continues:
            traded.append(f"{o.continues} characters continue on its jump page")
        if traded:
            if (not o.valid and set_short is not False) or (best.places is not None and best.fallback):
                # the story itself gave up more than the levers (columns short, text over, the
                # fallback's module)
                d.warning("AUTOLAYOUT-RELAXED", f"{where}: " + "; ".join(traded), location=page.loc, page=page.id,
                          story=sid)
            else:  # the levers only: the engine's ordinary choices
                d.info("AUTOLAYOUT-LEVER", f"{where}: " + "; ".join(traded), location=page.loc, page=page.id,
                       story=sid)
    for c, line, w, h in plan.gaps:
        d.warning("AUTOLAYOUT-GAP", f"page {page.id}: {w} × {h} column-lines at col {c}, line {line} are left empty: "
                  "none of the page's items can take that shape", location=page.loc, page=page.id,
                  hint=f"add a story of about {w * h * g.column_chars // 2}–{w * h * g.column_chars} characters or "
                       "a photo to the page, or book the ads at other sizes")
    trades = "; ".join(plan.traded()) or "nothing"
    d.info("AUTOLAYOUT", f"page {page.id} laid out (pass {plan.level}): score {best.score.total:.1f}, "
           f"{plan.fill():.1%} of the live area used; traded: {trades}", location=page.loc, page=page.id)


def _no_layout(ctx: Context, page: Page, plan: PagePlan) -> None:
    """The fixed areas of the page (pinned items, booked sizes) do not fit: which, and how much."""
    err = plan.unplaceable
    problem = plan.problem
    fixed = []
    for pc in problem.pieces:
        if pc.pinned is not None:
            fixed.append(f"{pc.name} pinned at {pc.pinned[2]} × {pc.pinned[3]} ({pc.pinned[2] * pc.pinned[3]})")
        elif pc.rank < 0 and pc.options:
            o = min(pc.options, key=lambda o: o.cols * o.lines)
            fixed.append(f"{pc.name} booked at {o.cols} × {o.lines} ({o.cols * o.lines})")
    missing = ", ".join(f"{problem.pieces[k].name} ({w} × {h} = {w * h} column-lines)" for k, w, h in err.items)
    why = missing or "; ".join(err.reasons)
    d = ctx.diagnostics
    d.error("AUTOLAYOUT-NO-LAYOUT",
            f"page {page.id}: its fixed areas do not fit: no room for {why}; the fixed items need "
            + ", ".join(fixed) + f" column-lines, and {err.free} of {problem.cols * problem.height} column-lines "
            "are free for what is left", location=page.loc, page=page.id,
            hint="book the ads smaller, move them to another page, or unpin an item")
