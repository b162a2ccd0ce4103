"""The edition as plain, immutable data. Every element keeps the YAML position it came from so
that later stages can report problems at file:line:column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from layout.color import CMYK
from layout.diagnostics import Location


@dataclass(frozen=True)
class Notch:
    """The rectangle cut out of one bottom corner of a module (issue 13): an L-shaped story module
    wrapping round a box ad or a photo that stands in the corner. `cols` columns at the module's
    left or right `side`, its last `lines` grid lines; the columns outside it keep their full
    depth. Grid units, like the module."""

    side: str  # left | right
    cols: int
    lines: int


@dataclass(frozen=True)
class At:
    """A module in grid units: column and line (1-based) and size in columns and lines, and the
    notch cut out of a bottom corner, if any (then the module is the rectangle less the notch)."""

    col: int
    line: int
    cols: int
    lines: int
    loc: Location = field(default_factory=Location, compare=False)
    notch: Notch | None = None

    def notched(self, c: int) -> bool:
        """Whether the module's column `c` (0-based, from its left) stands over the notch."""
        n = self.notch
        if n is None:
            return False
        return c < n.cols if n.side == "left" else c >= self.cols - n.cols

    def last_line(self, c: int) -> int:
        """The last grid line of the module's column `c` (0-based): above the notch in its columns."""
        return self.line + self.lines - 1 - (self.notch.lines if self.notched(c) else 0)

    @property
    def area(self) -> int:
        """Column-lines of the module (the notch left out)."""
        return self.cols * self.lines - (self.notch.cols * self.notch.lines if self.notch else 0)

    def rects(self) -> tuple[tuple[int, int, int, int], ...]:
        """The module's cells as rectangles (col, line, cols, lines) that do not overlap: itself,
        or for a notched one the band over the notch and the columns beside it."""
        n = self.notch
        if n is None:
            return ((self.col, self.line, self.cols, self.lines),)
        band = (self.col, self.line, self.cols, self.lines - n.lines)
        col = self.col + n.cols if n.side == "left" else self.col
        return band, (col, self.line + self.lines - n.lines, self.cols - n.cols, n.lines)

    def notch_cells(self) -> tuple[int, int, int, int] | None:
        """(col, line, cols, lines) of the notch on the page grid, None without one."""
        n = self.notch
        if n is None:
            return None
        col = self.col if n.side == "left" else self.col + self.cols - n.cols
        return col, self.line + self.lines - n.lines, n.cols, n.lines


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "body"  # body | subhead
    loc: Location = field(default_factory=Location, compare=False)  # the line in the text file
    spans: tuple = ()  # inline styles of `text` (layout/text/inline.py Span): faces, dots, lines


@dataclass(frozen=True)
class Photo:
    file: Path  # resolved, inside the edition's folder or an asset root
    caption: str = ""
    credit: str = ""
    cols: int = 2
    lines: int = 16  # picture height in grid lines (caption extra)
    at: tuple[int, int] | None = None  # (col, line) inside the module's body area
    focus: tuple[float, float] = (0.5, 0.5)
    caption_side: str = "below"  # below | right | left (beside the picture, in the frame's last/first column)
    loc: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Story:
    id: str
    headline: str
    kicker: str = ""
    decks: tuple[str, ...] = ()
    byline: str = ""
    dateline: str = ""
    paragraphs: tuple[Paragraph, ...] = ()
    photos: tuple[Photo, ...] = ()
    teaser: str = ""
    jump: str | None = None  # page id of the continuation slot
    headline_cols: int | None = None
    # pt the headline is fitted from instead of the template's size for its width (the automatic
    # layout sets it to take up a module's slack); None: the template's size
    headline_size: float | None = None
    # grid lines the head block takes at least (the automatic layout's, never the edition's): a
    # headline held under an earlier story's keeps the depth of the block its module was measured
    # with, the smaller lines centred in it, so that the body's columns end as measured (issue 13)
    head_lines: int | None = None
    box: str | None = None  # border | tint | both: a story set off in a box (花邊 / 底紋)
    tables: tuple[str, ...] = ()  # ids of tables set at the foot of its first module (layout/table)
    # composition settings of this story over its page's and the edition's (template keys, checked)
    composition: dict = field(default_factory=dict, compare=False)
    # Vertical text (issue 16): the whole story set in vertical columns, or only its headline block
    # (kicker, headline, decks) standing vertically beside a horizontal body (豎題); None: as the story
    direction: str = "horizontal"  # horizontal | vertical
    headline_direction: str | None = None
    loc: Location = field(default_factory=Location, compare=False)

    @property
    def body_text(self) -> str:
        return "".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Ad:
    id: str
    kind: str  # box | image | pdf
    file: Path | None = None
    title: str = ""
    lines: tuple[str, ...] = ()
    slogan: str = ""
    colour: CMYK = CMYK(0, 100, 100, 0)
    loc: Location = field(default_factory=Location, compare=False)
    # False: the ad gives no `colour:` and the default (red) is the engine's choice, which must
    # print as meant: layout/paginate/ads.py sets such text in one ink where two would not print.
    colour_given: bool = False


@dataclass(frozen=True)
class PageItem:
    kind: str  # story | continued | ad | teasers | photo | table
    ref: str | None = None  # story, ad or table id
    refs: tuple[str, ...] = ()  # teasers: story ids
    photo: Photo | None = None
    at: At | None = None  # None: the engine places it
    size: tuple[int, int] | None = None  # (cols, lines) of a module the engine places; ignored with `at`
    loc: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Section:
    """A section (疊) of the edition: pages A01, A02 … or B01 … with their own numbering. The
    first page of a section that has no masthead is a section front with the section's flag."""

    id: str  # the letter(s) its page ids start with: A, B …
    name: str = ""  # for the folios of its pages (a page's own `section:` wins)
    flag: str = ""  # the section front's flag (城市週刊); default: the name
    colour_pages: tuple[str, ...] = ()
    loc: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Page:
    id: str
    section: str = ""
    masthead: bool = False
    credits: tuple[tuple[str, str], ...] = ()
    items: tuple[PageItem, ...] = ()
    colour: bool = True
    loc: Location = field(default_factory=Location, compare=False)
    composition: dict = field(default_factory=dict, compare=False)  # over the edition's, for its stories
    section_id: str = ""  # the section (疊) it belongs to, when the edition has `sections:`
    flag: str = ""  # a section front: the flag drawn over its first grid lines (empty: none)


@dataclass(frozen=True)
class Edition:
    path: Path  # the edition file
    paper: str
    date: dt.date
    issue: int
    template: str = "broadsheet"
    print_profile: str = "newsprint"
    pages: tuple[Page, ...] = ()
    stories: dict[str, Story] = field(default_factory=dict, compare=False)
    ads: dict[str, Ad] = field(default_factory=dict, compare=False)
    fonts: dict = field(default_factory=dict, compare=False)  # font role overrides, as given
    overrides: dict = field(default_factory=dict, compare=False)  # print/template overrides, as given
    # id → layout.table.model.Table: market quotes, results, weather, listings (issue 20)
    tables: dict = field(default_factory=dict, compare=False)
    sections: tuple[Section, ...] = ()  # empty: one run of pages, ids as given
    zone: str = ""  # a zoned edition's name (江北版); empty for a full edition
    base: Path | None = None  # a zoned edition's base edition file
    zone_pages: tuple[str, ...] = ()  # the pages the zone replaces

    def section_pages(self, section_id: str) -> tuple[Page, ...]:
        return tuple(p for p in self.pages if p.section_id == section_id)
    words: tuple[str, ...] = ()  # names and places display lines never break inside (layout/text/words.py)
    # issue 19: the ad booking list (layout.ads.bookings.Booking), and once the ad planning stage
    # has run, its plan (layout.ads.plan.AdPlan): the placed bookings are then pinned ad items
    bookings: tuple = field(default=(), compare=False)
    ad_plan: object | None = field(default=None, compare=False)
    # The paper's regional convention (issue 16): mainland | taiwan | hongkong. It picks the faces,
    # punctuation positions, default quotes, punctuation style and kinsoku level (layout/template.py).
    convention: str = "mainland"

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)

    def composition_of(self, story_id: str) -> dict:
        """The composition settings a story's text is set with, over the edition's (template and
        `overrides: {composition:}`): those of the page the story starts on, then the story's own."""
        settings: dict = {}
        for page in self.pages:
            if any(item.kind == "story" and item.ref == story_id for item in page.items):
                settings.update(page.composition)
                break
        story = self.stories.get(story_id)
        if story is not None:
            settings.update(story.composition)
        return settings
