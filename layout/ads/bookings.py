"""The ad booking list: `bookings:` in the edition, inline or in a CSV or YAML file exported by an
ad system. Each booking names its advertiser, its ad (an id of `ads:` or an ad of its own, of the
same kinds), its size (grid units or the paper's standard units), where it wishes to go, colour
or mono, separation from competitors and a priority.

Read with the edition loader's typed readers, so every problem is at file:line:column with a
hint; a CSV row is turned into the same nodes (with each cell's line and column) and read the
same way. Sizes in standard units are resolved against the template later (plan.py), because the
loader does not know the grid."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from layout.diagnostics import Location, did_you_mean
from layout.model.edition import Ad
from layout.model.yamlpos import YMap, YNode, YScalar, YSeq, kind_name, parse_yaml

BOOKING_KEYS = ("id", "advertiser", "ad", "size", "height", "page", "section", "side", "fold", "at", "colour",
                "category", "separate", "priority")
# A CSV export has one row per booking: these columns, plus the columns of an ad of its own.
CSV_AD_KEYS = ("kind", "file", "title", "lines", "slogan")
SIDES = ("right", "left")
FOLDS = ("above", "below")
BOOKING_FILE_SUFFIXES = (".csv", ".yaml", ".yml")
MAX_BOOKING_BYTES = 2_000_000  # a night's bookings are a few kB

# The paper's standard ad units (both scripts, and English names), by their canonical name.
STANDARD_UNITS = {
    "通欄": "full-width", "通栏": "full-width", "full-width": "full-width",
    "半通欄": "half-width", "半通栏": "half-width", "half-width": "half-width",
    "報眼": "ear", "报眼": "ear", "ear": "ear",
    "中縫": "strip", "中缝": "strip", "strip": "strip", "banner": "strip",
    "半版": "half-page", "half-page": "half-page",
    "1/4版": "quarter-page", "四分之一版": "quarter-page", "quarter-page": "quarter-page",
    "整版": "full-page", "full-page": "full-page",
}
UNIT_NAMES = {"full-width": "通欄", "half-width": "半通欄", "ear": "報眼", "strip": "中縫", "half-page": "半版",
              "quarter-page": "1/4版", "full-page": "整版"}
# Units whose depth the booking gives (`height:`); the others take it from the template.
NEEDS_HEIGHT = ("full-width", "half-width")
_GRID_SIZE = re.compile(r"^\s*(\d+)\s*[x×X*]\s*(\d+)\s*$")
_MM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*mm\s*$", re.I)


@dataclass(frozen=True)
class SizeSpec:
    """A booked size as written: a standard unit (canonical name) and/or grid columns, and a depth
    in lines or mm (None: the unit's own)."""

    unit: str = ""  # "" grid units; else a value of STANDARD_UNITS
    cols: int | None = None
    lines: int | None = None
    height_mm: float | None = None
    loc: Location = field(default_factory=Location, compare=False)

    def label(self) -> str:
        depth = f"{self.lines} lines" if self.lines else (f"{self.height_mm:g} mm" if self.height_mm else "")
        if self.unit:
            return UNIT_NAMES[self.unit] + (f" × {depth}" if depth else "")
        return f"{self.cols} cols × {depth}"


@dataclass(frozen=True)
class Booking:
    id: str
    advertiser: str
    ad: str  # the ad's id (of `ads:`, or the booking's own ad, which takes the booking's id)
    size: SizeSpec | None = None  # None: the size of the ad's file
    page: str | None = None  # wish: this page
    section: str | None = None  # wish: a page of this section
    side: str | None = None  # right (odd page numbers) | left
    fold: str | None = None  # above | below the fold
    at: tuple[int, int] | None = None  # (col, line) of the ad's top-left on its page: pinned
    colour: bool = False  # a colour ad: only on colour pages
    category: str = ""  # bookings of one category are never on the same page
    separate: tuple[str, ...] = ()  # advertisers or categories never on this booking's page
    priority: int = 0  # higher first
    index: int = 0  # place in the list: the last tie-break
    loc: Location = field(default_factory=Location, compare=False)
    # where the wishes are written, for messages about them
    page_loc: Location | None = field(default=None, compare=False)
    section_loc: Location | None = field(default=None, compare=False)
    ad_loc: Location | None = field(default=None, compare=False)

    @property
    def pinned(self) -> bool:
        return self.page is not None and self.at is not None


def read_bookings(ctx, node: YNode | None) -> tuple[tuple[Booking, ...], dict[str, Ad]]:
    """The edition's `bookings:` (a list, or the name of a CSV or YAML file), and the ads the
    bookings bring with them. `ctx` is the edition loader's working state (layout/model/load.py)."""
    if node is None or (isinstance(node, YScalar) and node.value is None):
        return (), {}
    if isinstance(node, YScalar):
        entries = _file_entries(ctx, node)
    elif isinstance(node, YSeq):
        entries = list(node.items)
    else:
        ctx.error("EDITION-TYPE", f"bookings must be a list of bookings or a file name, not {kind_name(node)}",
                  node.loc, "bookings: [ {advertiser: …, ad: …, size: …}, … ] or bookings: bookings.csv")
        return (), {}
    bookings: list[Booking] = []
    ads: dict[str, Ad] = {}
    seen: dict[str, Location] = {}
    for index, entry in enumerate(entries):
        made = _booking(ctx, entry, index, ads)
        if made is None:
            continue
        if made.id in seen:
            ctx.error("BOOKING-ID", f"booking id {made.id!r} is used twice (first at line {seen[made.id].line})",
                      made.loc, "give each booking its own id")
            continue
        seen[made.id] = made.loc
        bookings.append(made)
    return tuple(bookings), ads


# ---------------------------------------------------------------------------------------------
# one booking


def _booking(ctx, node: YNode, index: int, ads: dict[str, Ad]) -> Booking | None:
    from layout.model import load as L

    what = f"booking {index + 1}"
    entry = L._map(ctx, node, what, BOOKING_KEYS, ("advertiser", "ad"))
    if entry is None or entry.get("ad") is None:
        return None
    booking_id = L._text(ctx, entry.get("id"), f"the id of {what}").strip() or f"booking-{index + 1}"
    what = f"booking {booking_id}"
    advertiser = L._text(ctx, entry.get("advertiser"), f"the advertiser of {what}", required=True).strip()
    ad_node = entry.get("ad")
    if isinstance(ad_node, YMap):
        ad = L._ad(ctx, booking_id, ad_node, entry.loc)  # an ad of its own, named by the booking's id
        if ad is None:
            return None
        ads[booking_id] = ad
        ad_id = booking_id
    else:
        ad_id, _ = L._ref(ctx, ad_node, f"the ad of {what}")
        if ad_id is None:
            return None
    size = _size(ctx, entry.get("size"), entry.get("height"), what)
    page, page_loc = L._ref(ctx, entry.get("page"), f"the page of {what}")
    section_node = entry.get("section")
    section = L._text(ctx, section_node, f"the section of {what}").strip() or None
    side = _choice(ctx, entry.get("side"), f"side of {what}", SIDES)
    fold = _choice(ctx, entry.get("fold"), f"fold of {what}", FOLDS)
    at = None
    at_map = L._map(ctx, entry.get("at"), f"the 'at' of {what}", ("col", "line"), ("col", "line"))
    if at_map is not None:
        col = L._int(ctx, at_map.get("col"), f"'col' of {what}", 1, L.MAX_GRID)
        line = L._int(ctx, at_map.get("line"), f"'line' of {what}", 1, L.MAX_GRID)
        if col is not None and line is not None:
            at = (col, line)
        if page is None:
            ctx.error("BOOKING-AT", f"{what} has an 'at' but no page", at_map.loc,
                      "add 'page:' naming the page the position is on")
    colour = _colour_flag(ctx, entry.get("colour"), what)
    category = L._text(ctx, entry.get("category"), f"the category of {what}").strip()
    separate = tuple(t.strip() for t in (L._text(ctx, n, f"a 'separate' entry of {what}")
                                          for n in L._text_items(ctx, entry.get("separate"), f"separate of {what}"))
                     if t.strip())
    priority = L._int(ctx, entry.get("priority"), f"the priority of {what}", -1000, 1000, default=0)
    return Booking(id=booking_id, advertiser=advertiser, ad=ad_id, size=size, page=page, section=section,
                   side=side, fold=fold, at=at, colour=colour, category=category, separate=separate,
                   priority=priority or 0, index=index, loc=entry.loc, page_loc=page_loc,
                   section_loc=section_node.loc if section_node is not None else None,
                   ad_loc=ad_node.loc)


def _choice(ctx, node: YNode | None, what: str, allowed: tuple[str, ...]) -> str | None:
    from layout.model import load as L

    return L._name(ctx, node, what, allowed, "EDITION-VALUE", "") or None


def _colour_flag(ctx, node: YNode | None, what: str) -> bool:
    """`colour: true`, `colour: colour` or `彩色` for a colour ad; false, mono or 黑白 for mono."""
    if node is None:
        return False
    if isinstance(node, YScalar):
        if isinstance(node.value, bool):
            return node.value
        word = node.text.strip().lower()
        if word in ("colour", "color", "彩色", "4c", "cmyk"):
            return True
        if word in ("mono", "black", "黑白", "1c", "k"):
            return False
    ctx.error("EDITION-VALUE", f"colour of {what} must be colour or mono (true or false), not {node.raw if isinstance(node, YScalar) else kind_name(node)}",
              node.loc, "colour: true (a colour ad, only on colour pages) or colour: false (mono)")
    return False


def _size(ctx, node: YNode | None, height: YNode | None, what: str) -> SizeSpec | None:
    """`size:` a standard unit (通欄, 半版, …), "CxL" grid units, or {cols, lines}; `height:` the
    depth in lines or as "60mm" for units that need one."""
    from layout.model import load as L

    lines, mm_ = _height(ctx, height, what)
    if node is None:
        if height is not None:
            ctx.error("BOOKING-SIZE", f"{what} has a height but no size", height.loc,
                      "add size: (通欄, 半通欄, … or cols × lines)")
        return None
    if isinstance(node, YMap):
        m = L._map(ctx, node, f"the size of {what}", ("cols", "lines"), ("cols",))
        if m is None:
            return None
        cols = L._int(ctx, m.get("cols"), f"'cols' of the size of {what}", 1, L.MAX_GRID)
        if m.get("lines") is not None:
            lines = L._int(ctx, m.get("lines"), f"'lines' of the size of {what}", 1, L.MAX_GRID)
        if cols is None:
            return None
        if lines is None and mm_ is None:
            ctx.error("BOOKING-SIZE", f"the size of {what} gives no depth", node.loc,
                      "add lines: to the size, or height: (lines, or e.g. 60mm)")
            return None
        return SizeSpec("", cols, lines, mm_, node.loc)
    if not isinstance(node, YScalar) or node.value is None:
        ctx.error("EDITION-TYPE", f"the size of {what} must be a unit name or cols × lines, not {kind_name(node)}",
                  node.loc, _SIZE_HINT)
        return None
    text = node.text.strip()
    grid = _GRID_SIZE.match(text)
    if grid:
        cols, depth = int(grid.group(1)), int(grid.group(2))
        if not (1 <= cols <= L.MAX_GRID and 1 <= depth <= L.MAX_GRID):
            ctx.error("EDITION-RANGE", f"the size of {what} ({text}) is out of range", node.loc, _SIZE_HINT)
            return None
        return SizeSpec("", cols, depth, None, node.loc)
    unit = STANDARD_UNITS.get(text) or STANDARD_UNITS.get(text.lower())
    if unit is None:
        guess = did_you_mean(text, list(STANDARD_UNITS)) or _one_off(text, STANDARD_UNITS)
        ctx.error("BOOKING-SIZE", f"unknown size {text!r} of {what}", node.loc,
                  (f"did you mean '{guess}'? " if guess else "") + _SIZE_HINT)
        return None
    if unit in NEEDS_HEIGHT and lines is None and mm_ is None:
        if height is None:  # (a height given but unreadable is reported once, by _height)
            ctx.error("BOOKING-SIZE", f"{what} is booked {text} but gives no height", node.loc,
                      f"add height: in lines (e.g. height: 20) or mm (height: 60mm) for a {text} ad")
        return None
    return SizeSpec(unit, None, lines, mm_, node.loc)


def _one_off(word: str, choices) -> str | None:
    """A unit name one character off (a mistyped 欄 in 通攔): too short for did_you_mean's ratio."""
    return next((c for c in choices if len(c) == len(word) and sum(a != b for a, b in zip(c, word, strict=True)) == 1),
                None)


_SIZE_HINT = ("a standard unit (通欄, 半通欄, 報眼, 中縫, 半版, 1/4版, 整版) or grid units as 3x20 "
              "or {cols: 3, lines: 20}")


def _height(ctx, node: YNode | None, what: str) -> tuple[int | None, float | None]:
    if node is None:
        return None, None
    if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        if 1 <= node.value <= 1000:
            return node.value, None
    elif isinstance(node, YScalar) and node.value is not None:
        m = _MM.match(node.text)
        if m and 0 < float(m.group(1)) <= 2000:
            return None, float(m.group(1))
    ctx.error("BOOKING-SIZE", f"the height of {what} must be grid lines or mm, not {_shown(node)}", node.loc,
              "height: 20 (grid lines) or height: 60mm")
    return None, None


def _shown(node: YNode) -> str:
    return repr(node.raw) if isinstance(node, YScalar) else kind_name(node)


# ---------------------------------------------------------------------------------------------
# booking files


def _file_entries(ctx, node: YScalar) -> list[YNode]:
    """The bookings of a CSV or YAML file the edition names, as loader nodes."""
    from layout.model import load as L
    from layout.model.paths import resolve_file

    raw = node.text.strip()
    if not raw.lower().endswith(BOOKING_FILE_SUFFIXES):
        ctx.error("BOOKING-FILE", f"bookings: {raw!r} is neither a list nor a .csv or .yaml file", node.loc,
                  "name the ad system's export (bookings.csv or bookings.yaml), or list the bookings here")
        return []
    resolved = resolve_file(raw, ctx.base_dir, ctx.asset_roots)
    if resolved.path is None:
        ctx.error(resolved.problem.code, f"bookings: {resolved.problem.message}", node.loc, resolved.problem.hint)
        return []
    shown = str(ctx.base_dir / raw)
    try:
        if resolved.path.stat().st_size > MAX_BOOKING_BYTES:
            ctx.error("BOOKING-FILE", f"{raw} is larger than {MAX_BOOKING_BYTES} bytes", node.loc,
                      "is this the right file?")
            return []
        data = resolved.path.read_bytes()
    except OSError as exc:
        ctx.error("EDITION-FILE", f"cannot read {raw}: {exc.strerror or exc}", node.loc)
        return []
    text = L._decode(ctx, data, shown)
    if text is None:
        return []
    if raw.lower().endswith(".csv"):
        return _csv_entries(ctx, text, shown)
    root, diags = parse_yaml(text, shown)
    ctx.diags.extend(diags)
    if isinstance(root, YMap) and root.get("bookings") is not None:
        root = root.get("bookings")
    if root is None:
        return []
    if not isinstance(root, YSeq):
        ctx.error("EDITION-TYPE", f"{raw} must hold a list of bookings, not {kind_name(root)}", root.loc,
                  "one '- advertiser: …' entry per booking (or a 'bookings:' key holding the list)")
        return []
    return list(root.items)


def _cells(line: str) -> list[int]:
    """The 1-based column where each comma-separated cell of a CSV line starts (quotes respected):
    the csv module gives the values, not where they are."""
    starts, quoted = [1], False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            starts.append(i + 2)
    return starts


def _typed(text: str):
    """A CSV cell as the YAML reader would type it: whole numbers and true/false; the rest text."""
    t = text.strip()
    if re.fullmatch(r"-?\d+", t):
        return int(t)
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    return t if t else None


def _csv_entries(ctx, text: str, file: str) -> list[YNode]:
    """Each CSV row (after the header row) as a booking mapping whose values carry their cell's
    line and column; `lines` and `separate` cells list values separated by '|', `at` is "col,line"
    (quoted) or "col line", and the ad columns (kind, file, title, lines, slogan) make the booking's
    own ad."""
    rows = text.split("\n")
    header_line = next((n for n, r in enumerate(rows) if r.strip()), None)
    if header_line is None:
        ctx.error("BOOKING-FILE", "the booking file is empty", Location(file, 1, 1),
                  "the first row names the columns: advertiser,ad,size,…")
        return []
    header = next(csv.reader([rows[header_line]]))
    columns = _cells(rows[header_line])
    keys: list[str | None] = []
    allowed = tuple(k for k in BOOKING_KEYS if k != "ad") + ("ad",) + CSV_AD_KEYS
    for name, col in zip(header, columns, strict=False):
        key = name.strip()
        if key not in allowed:
            guess = did_you_mean(key, allowed)
            ctx.error("EDITION-UNKNOWN-KEY", f"unknown column {key!r} in the booking file",
                      Location(file, header_line + 1, col),
                      (f"did you mean '{guess}'? " if guess else "") + "columns: " + ", ".join(allowed))
            keys.append(None)
        else:
            keys.append(key)
    out: list[YNode] = []
    for n in range(header_line + 1, len(rows)):
        if not rows[n].strip():
            continue
        values = next(csv.reader([rows[n]]))
        if not any(v.strip() for v in values):  # a row of empty cells (`,,,,`: spreadsheets leave them)
            continue
        starts = _cells(rows[n])
        loc = Location(file, n + 1, 1)
        entries: list[tuple[YScalar, YNode]] = []
        ad_entries: list[tuple[YScalar, YNode]] = []
        if len(values) > len(keys):
            ctx.error("BOOKING-FILE", f"row has {len(values)} cells but the header names {len(keys)} columns",
                      Location(file, n + 1, starts[min(len(keys), len(starts) - 1)]),
                      "quote cells that contain a comma")
        for key, value, col in zip(keys, values, starts, strict=False):
            if key is None or not value.strip():
                continue
            cell = Location(file, n + 1, col)
            name = YScalar(key, key, cell)
            if key in ("lines", "separate"):
                node: YNode = YSeq(tuple(YScalar(v.strip(), v.strip(), cell) for v in value.split("|") if v.strip()),
                                   cell)
            elif key == "at":
                parts = re.split(r"[,\s]+", value.strip())
                node = YMap(tuple((YScalar(k, k, cell), YScalar(_typed(v), v, cell))
                                  for k, v in zip(("col", "line"), parts, strict=False)), cell,
                            {k: YScalar(_typed(v), v, cell) for k, v in zip(("col", "line"), parts, strict=False)})
            else:
                node = YScalar(_typed(value), value.strip(), cell)
            (ad_entries if key in CSV_AD_KEYS else entries).append((name, node))
        if ad_entries:
            if any(k.text == "ad" for k, _ in entries):
                ctx.error("BOOKING-FILE", "row names both an ad id ('ad') and an ad of its own (kind, file, …)",
                          loc, "leave the 'ad' cell empty, or the ad columns")
                continue
            ad_map = YMap(tuple(ad_entries), loc, {k.text: v for k, v in ad_entries})
            entries.append((YScalar("ad", "ad", loc), ad_map))
        out.append(YMap(tuple(entries), loc, {k.text: v for k, v in entries}))
    return out
