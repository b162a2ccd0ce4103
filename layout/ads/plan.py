"""Ad planning: the booking list placed across the edition before the automatic layout.

plan_ads(edition, template) -> (edition, AdPlan): every booking gets a page and a grid rectangle
(or the reason it could not be placed), and the returned Edition carries the placed bookings as
ordinary pinned ad items (`at:`) on their pages, so the rest of the pipeline is unchanged: the
automatic layout fills what remains and pinned items never move.

Order: pinned bookings (a page and a position) first, then the positional units (報眼, strips),
then the rest by priority (then the larger first, then list order) onto the pages their wishes
allow: colour ads only on colour pages (an ad whose file is in colour inks is a colour ad, booked
`colour: true` or not: layout/ads/inks.py), the section, right- or left-hand pages, the fold, no
competitor on the page, and the page's ad share within the template's limit. A page's stacked
ads are re-stacked from scratch whenever one is added (widest first), by the template's rule, so
the result is a proper pyramid (or well) whatever order the bookings came in, and where the rule
allows, no ad leaves a column beside it too narrow for a story. Deterministic: no
dict or set order decides anything."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from layout.ads.bookings import UNIT_NAMES, Booking, SizeSpec
from layout.ads.inks import ArtInks, InkReader
from layout.diagnostics import Diagnostic, Location, Severity
from layout.model.edition import At, Edition, Page, PageItem
from layout.template import Template
from layout.units import mm

STACKING = ("pyramid-right", "pyramid-left", "well")

Rect = tuple[int, int, int, int]  # col, line, cols, lines (grid units, 1-based)
MIN_STORY_COLS = 2  # the narrowest space beside a stacked ad a story can fill


@dataclass(frozen=True)
class AdRules:
    """The template's ad planning rules (`ads:` in layout/templates/*.yaml), with defaults."""

    stacking: str = "pyramid-right"
    max_share: float = 0.5
    front_max_share: float = 0.3
    section_share: tuple[tuple[str, float], ...] = ()
    ear: tuple[int, int] = (2, 30)
    strip_lines: int = 8
    fold_line: int = 52

    @classmethod
    def from_template(cls, template: Template) -> tuple[AdRules, list[str]]:
        """The rules and what was wrong with the template's values (each replaced by its default)."""
        g = template.grid
        data = dict(getattr(template, "ads", None) or {})
        problems: list[str] = []
        base = cls(ear=(min(2, g.columns), max(1, round(g.lines * 0.28))), strip_lines=max(1, round(g.lines * 0.08)),
                   fold_line=g.lines // 2)

        def num(key, default, lo, hi, kind=float):
            value = data.get(key, default)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
                problems.append(f"ads.{key} is {value!r}; it must be a number from {lo} to {hi}")
                return default
            return kind(value)

        stacking = data.get("stacking", base.stacking)
        if stacking not in STACKING:
            problems.append(f"ads.stacking is {stacking!r}; it must be one of {', '.join(STACKING)}")
            stacking = base.stacking
        sections = data.get("section_share") or {}
        shares = []
        if isinstance(sections, dict):
            for name, value in sorted(sections.items(), key=lambda kv: str(kv[0])):
                if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
                    shares.append((str(name), float(value)))
                else:
                    problems.append(f"ads.section_share of {name} is {value!r}; it must be from 0 to 1")
        ear = data.get("ear") or {}
        ear_cols = ear.get("cols", base.ear[0]) if isinstance(ear, dict) else base.ear[0]
        ear_lines = ear.get("lines", base.ear[1]) if isinstance(ear, dict) else base.ear[1]
        if not (isinstance(ear_cols, int) and 1 <= ear_cols <= g.columns and isinstance(ear_lines, int)
                and 1 <= ear_lines <= g.lines - template.masthead_lines):
            problems.append(f"ads.ear is {ear!r}; it must be {{cols, lines}} inside the grid under the masthead")
            ear_cols, ear_lines = base.ear
        return cls(stacking=stacking, max_share=num("max_share", base.max_share, 0, 1),
                   front_max_share=num("front_max_share", base.front_max_share, 0, 1), section_share=tuple(shares),
                   ear=(ear_cols, ear_lines), strip_lines=num("strip_lines", base.strip_lines, 1, g.lines, int),
                   fold_line=num("fold_line", base.fold_line, 1, g.lines, int)), problems

    def share_limit(self, page: Page) -> float:
        for name, value in self.section_share:
            if name == page.section:
                return value
        return self.front_max_share if page.masthead else self.max_share


@dataclass(frozen=True)
class Placement:
    """Where one booking went, or why it could not go anywhere (`page` None)."""

    booking: str
    advertiser: str
    ad: str
    size: str  # the booked size as written, e.g. "通欄 × 20 lines"
    colour: bool
    page: str | None = None
    rect: Rect | None = None
    reason: str | None = None  # size | wish | colour | separation | share | full | overlap | outside
    message: str = ""
    loc: Location = field(default_factory=Location, compare=False)

    def to_json(self) -> dict:
        out = {"booking": self.booking, "advertiser": self.advertiser, "ad": self.ad, "size": self.size,
               "colour": self.colour, "page": self.page}
        if self.rect:
            col, line, cols, lines = self.rect
            out.update(col=col, line=line, cols=cols, lines=lines)
        if self.reason:
            out.update(reason=self.reason, message=self.message, file=self.loc.file, line_in_file=self.loc.line,
                       column_in_file=self.loc.column)
        return out


@dataclass(frozen=True)
class AdPlan:
    placements: tuple[Placement, ...]
    stacking: str
    diagnostics: tuple[Diagnostic, ...] = ()

    def placed(self) -> list[Placement]:
        return [p for p in self.placements if p.page is not None]

    def unplaced(self) -> list[Placement]:
        return [p for p in self.placements if p.page is None]


# ---------------------------------------------------------------------------------------------
# the pages as the planner sees them


@dataclass
class _PageState:
    page: Page
    number: int  # 1-based position in the edition: odd numbers are right-hand pages
    top: int  # first live line (under the masthead)
    obstacles: list[Rect]  # the edition's pinned items that are not ads
    fixed_ads: list[Rect]  # pinned ad items of the edition, pinned bookings, ears and strips
    stacked: list[tuple[Booking, int, int]] = field(default_factory=list)  # (booking, cols, lines)
    positions: dict[str, Rect] = field(default_factory=dict)  # stacked booking id → rect
    bookings: list[Booking] = field(default_factory=list)
    ear_taken: bool = False

    def ad_area(self) -> int:
        return sum(r[2] * r[3] for r in self.fixed_ads) + sum(r[2] * r[3] for r in self.positions.values())


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _covered(rects: list[Rect], col: int, line: int) -> bool:
    return any(r[0] <= col < r[0] + r[2] and r[1] <= line < r[1] + r[3] for r in rects)


class _Planner:
    def __init__(self, edition: Edition, template: Template, rules: AdRules):
        self.e = edition
        self.t = template
        self.g = template.grid
        self.rules = rules
        self.diags: list[Diagnostic] = []
        self.pages: list[_PageState] = []
        self.inks = InkReader()
        for number, page in enumerate(edition.pages, start=1):
            top = template.masthead_lines + 1 if page.masthead else 1
            obstacles = [(i.at.col, i.at.line, i.at.cols, i.at.lines) for i in page.items
                         if i.at is not None and i.kind != "ad"]
            ads = [(i.at.col, i.at.line, i.at.cols, i.at.lines) for i in page.items
                   if i.at is not None and i.kind == "ad"]
            self.pages.append(_PageState(page, number, top, obstacles, ads))

    # -- sizes ---------------------------------------------------------------------------------

    def size_of(self, b: Booking) -> tuple[int, int] | str:
        """(cols, lines) of the booking on the grid, or why it has none."""
        g, s = self.g, b.size
        if s is None:
            ad = self.e.ads.get(b.ad)
            if ad is None:
                return f"its ad {b.ad!r} does not exist"
            if ad.kind == "box":
                return "a box ad needs a booked size (size: 通欄 … or cols × lines)"
            from layout.paginate.ads import ad_size, art_module

            try:
                own = ad_size(ad)
            except Exception as exc:  # a damaged file is reported by the loader's file checks
                return f"the size of its file cannot be read ({exc})"
            if own is None:
                return "its image records no resolution, so its size is unknown: book a size"
            # Art of no module's size takes the smallest that holds it (pagination says so)
            cols, lines, _exact = art_module(g, own, g.lines)
            return cols, lines
        depth = s.lines
        if depth is None and s.height_mm is not None:
            depth = max(1, round(mm(s.height_mm) / g.pitch))  # the nearest whole number of grid lines
        half_cols, half_lines = max(1, g.columns // 2), g.lines // 2
        cols = {"": s.cols, "full-width": g.columns, "half-width": half_cols, "ear": self.rules.ear[0],
                "strip": g.columns, "half-page": g.columns, "quarter-page": half_cols,
                "full-page": g.columns}[s.unit]
        fixed = {"ear": self.rules.ear[1], "strip": self.rules.strip_lines, "half-page": half_lines,
                 "quarter-page": half_lines, "full-page": g.lines}.get(s.unit)
        lines = depth if depth is not None else fixed
        if cols is None or lines is None:
            return "its size gives no depth"
        if cols > g.columns or lines > g.lines:
            return f"{cols} columns × {lines} lines is larger than the page ({g.columns} × {g.lines})"
        return cols, lines

    # -- colour ------------------------------------------------------------------------------

    def art(self, b: Booking) -> ArtInks:
        return self.inks.of(self.e.ads.get(b.ad))

    def colour_of(self, b: Booking) -> bool:
        """A colour ad: booked so, or its art in colour inks, which a mono page cannot print."""
        return b.colour or self.art(b).colour

    def needs_colour(self, b: Booking, candidates: list[_PageState]) -> bool:
        """Whether the booking goes on colour pages only. Art in colour that the booking's wishes
        put on mono pages only (a pinned page, a mono section) stays where the edition put it, and
        is reported here, before the build, where the booking is written (preflight would fail the
        page after it: COLOR-ON-MONO-PAGE)."""
        if b.colour:
            return True
        art = self.art(b)
        if not art.colour:
            return False
        if any(st.page.colour for st in candidates):
            return True
        pages = ", ".join(st.page.id for st in candidates[:4]) + (" …" if len(candidates) > 4 else "")
        severity, outcome = _on_mono(self.e.ads.get(b.ad))
        self.diags.append(Diagnostic(
            "BOOKING-ART-COLOUR", severity,
            f"booking {b.id} ({b.advertiser}): the art of ad {b.ad!r} prints in {art.describe()} besides black, "
            f"but the booking puts it on mono (K only) page{'s' if len(candidates) > 1 else ''} {pages}: "
            f"{outcome}", location=b.page_loc or b.loc, page=candidates[0].page.id,
            hint="ask the advertiser for a black-only file, make the page a colour page (colour_pages), or book it "
                 "on a colour page"))
        return False

    def item_checks(self) -> None:
        """Ads placed by hand (`- ad:` items) on mono pages whose art is in colour inks."""
        for st in self.pages:
            if st.page.colour:
                continue
            for item in st.page.items:
                if item.kind != "ad" or item.ref is None:
                    continue
                ad = self.e.ads.get(item.ref)
                art = self.inks.of(ad)
                if art.colour:
                    severity, outcome = _on_mono(ad)
                    self.diags.append(Diagnostic(
                        "AD-ART-COLOUR", severity,
                        f"ad {item.ref!r} on mono (K only) page {st.page.id}: its art prints in {art.describe()} "
                        f"besides black: {outcome}",
                        location=item.loc, page=st.page.id,
                        hint="ask the advertiser for a black-only file, make the page a colour page (colour_pages), "
                             "or move the ad to a colour page"))

    # -- where a booking may go ----------------------------------------------------------------

    def conflicts(self, b: Booking, st: _PageState) -> list[Booking]:
        def names(x: Booking) -> set[str]:
            return {n for n in (x.advertiser, x.category) if n}

        out = []
        for other in st.bookings:
            if (b.category and b.category == other.category) or names(other) & set(b.separate) \
                    or names(b) & set(other.separate):
                out.append(other)
        return out

    def wish_ok(self, b: Booking, st: _PageState) -> bool:
        if b.page is not None and st.page.id != b.page:
            return False
        if b.section is not None and st.page.section != b.section:
            return False
        if b.side == "right" and st.number % 2 == 0 or b.side == "left" and st.number % 2 == 1:
            return False
        return not (b.size is not None and b.size.unit == "ear" and not st.page.masthead)  # 報眼: front page

    def free(self, st: _PageState, r: Rect) -> bool:
        col, line, cols, lines = r
        if col < 1 or line < st.top or col + cols - 1 > self.g.columns or line + lines - 1 > self.g.lines:
            return False
        others = st.obstacles + st.fixed_ads + list(st.positions.values())
        return not any(_overlaps(r, o) for o in others)

    # -- stacking ------------------------------------------------------------------------------

    def stack(self, st: _PageState, items: list[tuple[Booking, int, int]]) -> dict[str, Rect] | None:
        """Positions of the page's stacked bookings by the template's rule, or None if one does not
        fit. From the foot: the widest first, each resting flat on the foot or on ads, against the
        rule's side (the page edge or an ad); bookings above the fold stack likewise from the top."""
        done: dict[str, Rect] = {}
        order = sorted(items, key=lambda it: (it[0].fold == "above", -it[1], -it[2], it[0].index))
        for b, cols, lines in order:
            pos = self.position(st, done, cols, lines, b.fold)
            if pos is None:
                return None
            done[b.id] = pos
        return done

    def position(self, st: _PageState, done: dict[str, Rect], cols: int, lines: int, fold: str | None) -> Rect | None:
        g, rule = self.g, self.rules.stacking
        ads = st.fixed_ads + list(done.values())
        taken = st.obstacles + ads
        from_top = fold == "above"
        if from_top:
            rows = {st.top} | {r[1] + r[3] for r in ads}
        else:
            rows = {g.lines - lines + 1} | {r[1] - lines for r in ads}
        half = g.columns // 2  # columns 1..half are the left side (for a well's balance)
        left_area = sum(max(0, min(r[0] + r[2] - 1, half) - r[0] + 1) * r[3] for r in ads)
        right_area = sum(r[2] * r[3] for r in ads) - left_area
        best, best_key = None, None
        for line in sorted(rows):
            if line < st.top or line + lines - 1 > g.lines:
                continue
            if fold == "above" and line + lines - 1 > self.rules.fold_line:
                continue
            if fold == "below" and line <= self.rules.fold_line:
                continue
            edge = line if from_top else line + lines - 1  # the line the ad rests on (its top or its foot)
            for col in range(1, g.columns - cols + 2):
                r = (col, line, cols, lines)
                if any(_overlaps(r, o) for o in taken):
                    continue
                # Flat on the page's edge or on ads, across its whole width: no hole under (over) it.
                if from_top:
                    flat = line == st.top or all(_covered(ads, c, line - 1) for c in range(col, col + cols))
                else:
                    flat = line + lines - 1 == g.lines or all(_covered(ads, c, line + lines)
                                                              for c in range(col, col + cols))
                if not flat:
                    continue
                right_ok = col + cols - 1 == g.columns or _covered(ads, col + cols, edge)
                left_ok = col == 1 or _covered(ads, col - 1, edge)
                if rule == "pyramid-right" and not right_ok or rule == "pyramid-left" and not left_ok \
                        or rule == "well" and not (left_ok or right_ok):
                    continue
                depth = -line if from_top else line + lines  # nearer the foot (or the top) first
                # Never a column too narrow for a story beside it (a one-column notch between the ad
                # and the page's edge or another item is left empty: AUTOLAYOUT-GAP), where the rule
                # allows another place: before depth, so the ad steps up onto the stack instead.
                if rule == "pyramid-right":
                    side = col
                elif rule == "pyramid-left":
                    side = -col
                else:  # a well: up both sides, the side with fewer ads first, the right on a tie
                    on_right = right_ok and (not left_ok or right_area <= left_area)
                    fewer = right_area <= left_area if on_right else left_area < right_area
                    side = (1 if fewer else 0, col if on_right else -col)
                key = (not self.sliver(st, taken, r), depth, side)
                if best_key is None or key > best_key:
                    best, best_key = r, key
        return best

    def sliver(self, st: _PageState, taken: list[Rect], r: Rect) -> bool:
        """Whether the ad at `r` leaves free columns beside it, on any of its lines, fewer than
        MIN_STORY_COLS wide up to the page's edge or another item: space no story can take."""
        col, line, cols, lines = r
        for ln in range(line, line + lines):
            for step, start in ((-1, col - 1), (1, col + cols)):
                run, c = 0, start
                while 1 <= c <= self.g.columns and not _covered(taken, c, ln):
                    run, c = run + 1, c + step
                if 0 < run < MIN_STORY_COLS:
                    return True
        return False

    # -- the plan ------------------------------------------------------------------------------

    def place_fixed(self, b: Booking, cols: int, lines: int) -> Placement:
        """A booking whose rectangle is known: pinned, or a positional unit (報眼, strip)."""
        unit = b.size.unit if b.size is not None else ""
        candidates = [st for st in self.pages if self.wish_ok(b, st)]
        if not candidates:
            return self.unplaced(b, "wish", self.wish_message(b))
        colour = self.needs_colour(b, candidates)
        reasons: list[tuple[int, str, str]] = []
        for st in candidates:
            if b.pinned:
                r = (b.at[0], b.at[1], cols, lines)
            elif unit == "ear":
                if st.ear_taken:
                    reasons.append((4, "full", f"the 報眼 of {st.page.id} is taken"))
                    continue
                r = (self.g.columns - cols + 1, st.top, cols, lines)
            else:  # a strip across the foot
                r = (1, self.g.lines - lines + 1, cols, lines)
            why = self.check(b, st, cols * lines, colour, pinned=b.pinned)
            if why is not None:
                reasons.append(why)
                continue
            if not self.free(st, r):
                inside = r[0] >= 1 and r[1] >= st.top and r[0] + cols - 1 <= self.g.columns \
                    and r[1] + lines - 1 <= self.g.lines
                what = "overlaps an item already on the page" if inside else "lies outside the page's live area"
                reasons.append((4, "overlap" if inside else "outside",
                                f"{_span(r)} on {st.page.id} {what}"))
                continue
            st.fixed_ads.append(r)
            st.bookings.append(b)
            st.ear_taken = st.ear_taken or unit == "ear"
            if b.pinned:
                self.share_warning(b, st)
            return self.placed(b, st, r)
        return self.unplaced_from(b, reasons)

    def check(self, b: Booking, st: _PageState, area: int, colour: bool,
              pinned: bool = False) -> tuple[int, str, str] | None:
        """Why the page cannot take the booking before looking for room (None: it may)."""
        if colour and not st.page.colour:
            return (1, "colour", f"{st.page.id} is mono")
        clash = self.conflicts(b, st)
        if clash:
            c = clash[0]
            what = f"category {c.category}" if c.category and c.category == b.category else f"advertiser {c.advertiser}"
            return (2, "separation", f"{c.id} ({what}) is on {st.page.id}")
        if not pinned:
            live = self.g.columns * (self.g.lines - st.top + 1)
            limit = self.rules.share_limit(st.page)
            share = (st.ad_area() + area) / live
            if share > limit + 1e-9:
                return (3, "share", f"{st.page.id} would be {share:.0%} ads (limit {limit:.0%})")
        return None

    def share_warning(self, b: Booking, st: _PageState) -> None:
        live = self.g.columns * (self.g.lines - st.top + 1)
        limit = self.rules.share_limit(st.page)
        share = st.ad_area() / live
        if share > limit + 1e-9:
            self.diags.append(Diagnostic(
                "BOOKING-SHARE", Severity.WARNING,
                f"page {st.page.id} is {share:.0%} ads with pinned booking {b.id}, over the template's limit of "
                f"{limit:.0%}", location=b.loc, page=st.page.id,
                hint="move a booking to another page, or raise the limit (template ads: max_share)"))

    def place_stacked(self, b: Booking, cols: int, lines: int) -> Placement:
        candidates = [st for st in self.pages if self.wish_ok(b, st)]
        if not candidates:
            return self.unplaced(b, "wish", self.wish_message(b))
        colour = self.needs_colour(b, candidates)
        reasons: list[tuple[int, str, str]] = []
        options = []
        for st in candidates:
            why = self.check(b, st, cols * lines, colour)
            if why is not None:
                reasons.append(why)
                continue
            stacked = self.stack(st, st.stacked + [(b, cols, lines)])
            if stacked is None:
                where = {"above": " above the fold", "below": " below the fold"}.get(b.fold or "", "")
                reasons.append((4, "full", f"{st.page.id} has no room{where} for {cols} × {lines} by its "
                                f"{self.rules.stacking} stacking"))
                continue
            live = self.g.columns * (self.g.lines - st.top + 1)
            options.append(((st.ad_area() + cols * lines) / live, st.number, st, stacked))
        if not options:
            return self.unplaced_from(b, reasons)
        _, _, st, stacked = min(options, key=lambda o: (o[0], o[1]))  # the page with the fewest ads, then the first
        st.stacked.append((b, cols, lines))
        st.positions = stacked
        st.bookings.append(b)
        return self.placed(b, st, stacked[b.id])

    def wish_message(self, b: Booking) -> str:
        wishes = []
        if b.page:
            wishes.append(f"page {b.page}")
        if b.section:
            wishes.append(f"section {b.section}")
        if b.side:
            wishes.append(f"{b.side}-hand pages")
        if b.size is not None and b.size.unit == "ear":
            wishes.append("the 報眼 (front page only)")
        return "no page is " + " and ".join(wishes) if wishes else "the edition has no pages"

    def placed(self, b: Booking, st: _PageState, r: Rect) -> Placement:
        return Placement(b.id, b.advertiser, b.ad, _size_label(b, r), self.colour_of(b), st.page.id, r, loc=b.loc)

    def unplaced(self, b: Booking, reason: str, message: str, hint: str | None = None) -> Placement:
        size = b.size.label() if b.size is not None else "its file's size"
        self.diags.append(Diagnostic(
            "BOOKING-UNPLACED", Severity.ERROR,
            f"booking {b.id} ({b.advertiser}, {size}) could not be placed: {message}", location=b.loc,
            hint=hint or _HINTS.get(reason, "change the booking's wishes or size")))
        return Placement(b.id, b.advertiser, b.ad, size, self.colour_of(b), reason=reason, message=message, loc=b.loc)

    def unplaced_from(self, b: Booking, reasons: list[tuple[int, str, str]]) -> Placement:
        """The furthest any page got (wish < colour < separation < share < room) says why."""
        stage = max(r[0] for r in reasons)
        chosen = [r for r in reasons if r[0] == stage]
        text = "; ".join(r[2] for r in chosen[:6]) + (f"; and {len(chosen) - 6} more" if len(chosen) > 6 else "")
        art = self.art(b)
        why = "it is a colour ad" if b.colour else f"its art prints in {art.describe()} (a colour ad)"
        if self.colour_of(b) and stage > 1:
            text = "no colour page left: " + text
        elif stage == 1:
            text = f"{why} and no page it may go on is in colour: " + text
        hint = None
        if chosen[0][1] == "colour" and not b.colour:  # colour art: booking it mono would not print it
            hint = "ask the advertiser for a black-only file, or add a colour page (colour_pages)"
        return self.unplaced(b, chosen[0][1], text, hint)


_HINTS = {
    "size": "book a size on the grid (size: 通欄 with height:, or cols × lines)",
    "wish": "relax the booking's page, section or side wish",
    "colour": "book it in mono (colour: false), or add a colour page (colour_pages)",
    "separation": "move the competitor's booking, or drop the category or separate rule",
    "share": "book a smaller size, another page or section, or raise the template's ads: max_share",
    "full": "book a smaller size or another page, or drop a lower-priority booking",
    "overlap": "pin it elsewhere, or move the item it overlaps",
    "outside": "pin it inside the grid, under the masthead on the front page",
}


def _on_mono(ad) -> tuple[Severity, str]:
    """What colour art on a mono page comes to: a PDF is placed as drawn, so the page has colour
    ink and fails preflight; an image is separated for the page, in grey (as photos are)."""
    if ad is not None and ad.kind == "image":
        return Severity.WARNING, "it prints in grey there, not in the advertiser's colours"
    return Severity.ERROR, "the page would fail preflight (COLOR-ON-MONO-PAGE)"


def _span(r: Rect) -> str:
    return f"columns {r[0]}–{r[0] + r[2] - 1}, lines {r[1]}–{r[1] + r[3] - 1}"


def _size_label(b: Booking, r: Rect) -> str:
    grid = f"{r[2]} cols × {r[3]} lines"
    if b.size is None:
        return grid
    return f"{UNIT_NAMES[b.size.unit]} {grid}" if b.size.unit else grid


def plan_ads(edition: Edition, template: Template, bookings: tuple[Booking, ...] | None = None
             ) -> tuple[Edition, AdPlan]:
    """The edition with its bookings placed as pinned ad items, and the plan (with diagnostics)."""
    bookings = tuple(edition.bookings if bookings is None else bookings)
    rules, problems = AdRules.from_template(template)
    planner = _Planner(edition, template, rules)
    for p in problems:
        planner.diags.append(Diagnostic("TEMPLATE-ADS", Severity.ERROR, f"template {template.name}: {p}",
                                        location=Location(str(edition.path)),
                                        hint="fix the template's ads: block (the default is used meanwhile)"))
    planner.item_checks()
    sized: list[tuple[Booking, tuple[int, int] | str]] = [(b, planner.size_of(b)) for b in bookings]
    results: dict[str, Placement] = {}
    for b, size in sized:
        if isinstance(size, str):
            results[b.id] = planner.unplaced(b, "size", size)

    def group(b: Booking) -> int:
        if b.pinned:
            return 0
        if b.size is not None and b.size.unit in ("ear", "strip"):
            return 1
        return 2

    ok = [(b, s) for b, s in sized if not isinstance(s, str)]
    ok.sort(key=lambda bs: (group(bs[0]), -bs[0].priority, -(bs[1][0] * bs[1][1]), bs[0].index))
    for b, (cols, lines) in ok:
        if group(b) < 2:
            results[b.id] = planner.place_fixed(b, cols, lines)
        else:
            results[b.id] = planner.place_stacked(b, cols, lines)
    # Stacked bookings moved while others joined their page: their final rectangles.
    final = {}
    for st in planner.pages:
        for bid, r in st.positions.items():
            final[bid] = dataclasses.replace(results[bid], rect=r, size=_size_label(
                next(b for b in st.bookings if b.id == bid), r))
    placements = tuple(final.get(b.id, results[b.id]) for b in bookings)
    # In file order, the way a person works through them (planning order is priority order).
    diags = sorted(planner.diags, key=lambda d: (d.location.file or "", d.location.line or 0, d.location.column or 0))
    plan = AdPlan(placements, rules.stacking, tuple(diags))
    return _with_ads(edition, placements, bookings, plan), plan


def _with_ads(edition: Edition, placements: tuple[Placement, ...], bookings, plan: AdPlan) -> Edition:
    by_id = {b.id: b for b in bookings}
    extra: dict[str, list[PageItem]] = {}
    for p in placements:
        if p.page is None or p.rect is None:
            continue
        b = by_id[p.booking]
        extra.setdefault(p.page, []).append(PageItem(kind="ad", ref=p.ad, at=At(*p.rect, loc=b.loc), loc=b.loc))
    pages = tuple(dataclasses.replace(pg, items=_in_reading_order(pg.items, extra.get(pg.id, [])))
                  for pg in edition.pages)
    return dataclasses.replace(edition, pages=pages, ad_plan=plan)


def _in_reading_order(items: tuple[PageItem, ...], ads: list[PageItem]) -> tuple[PageItem, ...]:
    """The page's items with the booked ads among them: each before the first pinned item below or
    right of it (top to bottom, left to right), else at the end; so a page draws as if the ad had
    been written into it by hand where it sits."""
    out = list(items)
    for ad in sorted(ads, key=lambda i: (i.at.line, i.at.col)):
        key = (ad.at.line, ad.at.col)
        index = next((n for n, it in enumerate(out) if it.at is not None and (it.at.line, it.at.col) > key), len(out))
        out.insert(index, ad)
    return tuple(out)


def size_checks(ctx, plan: AdPlan) -> list[Diagnostic]:
    """Bookings whose ad does not match the booked size: an image or PDF ad's own size against its
    module (within the same 1 mm as the build's AD-SIZE-MISMATCH), and a box ad's text against its
    module at the template's smallest sizes. The build reports these itself when it draws the ads;
    the dummy, which draws none, asks for them here."""
    from layout.paginate.ads import SIZE_TOLERANCE, ad_size, fit_box_ad

    out = []
    g = ctx.grid
    for p in plan.placed():
        ad = ctx.edition.ads.get(p.ad)
        if ad is None or p.rect is None:
            continue
        rect = g.rect(*p.rect)
        if ad.kind == "box":
            fit = fit_box_ad(ctx, ad, rect)
            if not fit.fits:
                out.append(Diagnostic("AD-OVERFLOW", Severity.ERROR,
                                      f"box ad {ad.id!r} of booking {p.booking} does not fit its booked "
                                      f"{p.size} even at the template's smallest sizes", location=p.loc, page=p.page,
                                      hint="shorten the ad's lines, or book it a larger size"))
            continue
        try:
            own = ad_size(ad)
        except Exception:
            continue  # an unreadable file is the loader's FILE- diagnostics
        if own is not None and (abs(own[0] - rect.w) > SIZE_TOLERANCE or abs(own[1] - rect.h) > SIZE_TOLERANCE):
            out.append(Diagnostic("AD-SIZE-MISMATCH", Severity.ERROR,
                                  f"ad {ad.id!r} of booking {p.booking} is {own[0] / mm(1):.1f} × {own[1] / mm(1):.1f} "
                                  f"mm but its booked {p.size} is {rect.w / mm(1):.1f} × {rect.h / mm(1):.1f} mm: "
                                  "the build places it whole at its own size (scaled down only to fit), centred, "
                                  "the rest of the module white",
                                  location=p.loc, page=p.page,
                                  hint="ask the advertiser for the booked size, or book the ad's own size"))
    return out


def ad_report(edition: Edition) -> dict:
    """report.json's `ads`: the final place of every ad on every page (booked or placed by hand),
    and the bookings that could not be placed, with why."""
    plan = getattr(edition, "ad_plan", None)
    booked = {}
    if plan is not None:
        booked = {(p.page, p.rect): p for p in plan.placed()}
    placed = []
    for page in edition.pages:
        for item in page.items:
            if item.kind != "ad" or item.at is None:
                continue
            r = (item.at.col, item.at.line, item.at.cols, item.at.lines)
            b = booked.get((page.id, r))
            placed.append({"ad": item.ref, "page": page.id, "col": r[0], "line": r[1], "cols": r[2], "lines": r[3],
                           "booking": b.booking if b else None, "advertiser": b.advertiser if b else None,
                           "colour": b.colour if b else page.colour, "size": b.size if b else None})
    return {"stacking": plan.stacking if plan else None, "placed": placed,
            "unplaced": [p.to_json() for p in plan.unplaced()] if plan else []}


__all__ = ["AdPlan", "AdRules", "Placement", "SizeSpec", "ad_report", "plan_ads", "size_checks"]
