"""Load an edition YAML file into the frozen model, reporting every problem with the file,
line and column of the offending YAML node and a hint.

The loader collects as many problems as it can in one run; if any is an error it raises
InputError(diagnostics). Bad input never raises anything else (the fuzz tests hold it to that).
Cross-references, grid and page checks are in validate.py; file contents in filecheck.py.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from layout.color import CMYK, NAMED
from layout.diagnostics import Diagnostic, Diagnostics, InputError, Location, Severity, did_you_mean
from layout.model.edition import Ad, At, Edition, Page, PageItem, Paragraph, Photo, Story
from layout.model.filecheck import FileProblem, check_ad_pdf, check_image
from layout.model.paths import resolve_file
from layout.model.validate import Positions, validate_edition
from layout.model.yamlpos import YMap, YNode, YScalar, YSeq, kind_name, parse_yaml, position_of, to_plain

TEMPLATES = ("broadsheet", "tabloid")
PRINT_PROFILES = ("newsprint", "commercial")

# The format's keys, level by level (docs/edition-format.md; the schema test keeps them in sync).
TOP_KEYS = ("paper", "date", "issue", "template", "print", "colour_pages", "fonts", "overrides",
            "pages", "stories", "ads", "tables", "convention")
TOP_REQUIRED = ("paper", "date", "issue", "pages", "stories")
PAGE_KEYS = ("page", "section", "masthead", "credits", "items")
ITEM_KINDS = ("story", "continued", "ad", "teasers", "photo", "table")
ITEM_KEYS = ITEM_KINDS + ("at", "size")
SIZE_KEYS = ("cols", "lines")
AT_KEYS = ("col", "line", "cols", "lines")
STORY_KEYS = ("kicker", "headline", "decks", "byline", "dateline", "body", "teaser", "jump", "photos",
              "headline_cols", "box", "direction")
# Vertical text and the regional convention (issue 16)
CONVENTIONS = ("mainland", "taiwan", "hongkong")
DIRECTIONS = ("horizontal", "vertical")
HEADLINE_KEYS = ("text", "direction")
BOX_STYLES = ("border", "tint", "both")
PHOTO_KEYS = ("file", "caption", "credit", "cols", "lines", "at", "focus", "caption_side")
CAPTION_SIDES = ("below", "right", "left")
PHOTO_AT_KEYS = ("col", "line")
AD_KINDS = ("box", "image", "pdf")
AD_KEYS = ("kind", "file", "title", "lines", "slogan", "colour")

TEXT_FILE_SUFFIXES = (".txt", ".md", ".text")
MAX_TEXT_BYTES = 4_000_000  # a whole edition's text is ~200 kB; more is a wrong file
MAX_GRID = 1000  # any column or line number past this is a typo, whatever the template
MAX_ISSUE = 10_000_000
MAX_PLAIN_VALUES = 10_000  # fonts/overrides are passed on as given; bound what aliases can expand to
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))


def load_edition(
    path: Path,
    *,
    asset_roots: Sequence[Path] = (),
    page_count: int | None = None,
    grid: tuple[int, int] | None = None,
    templates: Sequence[str] = TEMPLATES,
    print_profiles: Sequence[str] = PRINT_PROFILES,
    check_files: bool = True,
    diagnostics: Diagnostics | None = None,
) -> Edition:
    """Read, check and convert an edition file.

    grid is (columns, lines) of the template; page_count the number of pages it expects.
    Warnings go to `diagnostics` when given. Raises InputError with all diagnostics (errors and
    warnings) when there is at least one error.
    """
    path = Path(path)
    ctx = _Ctx(file=str(path), base_dir=path.parent, asset_roots=tuple(asset_roots), check_files=check_files)
    edition = _load(ctx, path, tuple(templates), tuple(print_profiles))
    if edition is not None:
        ctx.diags.extend(validate_edition(edition, page_count=page_count, grid=grid, positions=ctx.positions))
    diags = [d if d.hint else replace(d, hint=DEFAULT_HINTS.get(d.code, "see docs/errors.md")) for d in ctx.diags]
    # In file order (the edition first, then text files), the way a person works through them.
    diags.sort(key=lambda d: (d.location.file != ctx.file, d.location.file or "", d.location.line or 0,
                              d.location.column or 0))
    if any(d.severity is Severity.ERROR for d in diags) or edition is None:
        raise InputError(diags)
    if diagnostics is not None:
        diagnostics.extend(diags)
    return edition


# Hints for diagnostics whose message says it all but that still deserve a next step.
DEFAULT_HINTS = {
    "EDITION-TYPE": "see docs/edition-format.md for the form this value takes",
    "EDITION-VALUE": "see docs/edition-format.md for the values allowed here",
    "EDITION-FILE": "check the file exists and can be read",
    "YAML-SYNTAX": "check the indentation and quotes around this line",
    "YAML-LIMIT": "write the values out plainly; anchors and aliases are for small repeats",
    "PATH-INVALID": "name the file relative to the edition's folder, e.g. assets/photos/x.jpg",
    "FILE-MISSING": "check the name; paths are relative to the edition's folder",
    "FILE-NOT-A-FILE": "name the file itself, not its folder",
}


@dataclass
class _Ctx:
    """One load's working state (not shared between loads)."""

    file: str
    base_dir: Path
    asset_roots: tuple[Path, ...]
    check_files: bool = True
    diags: list[Diagnostic] = field(default_factory=list)
    positions: Positions = field(default_factory=Positions)
    file_checks: dict[tuple[str, Path], list[FileProblem]] = field(default_factory=dict)

    def error(self, code: str, message: str, loc: Location, hint: str | None = None, **kw) -> None:
        self.diags.append(Diagnostic(code, Severity.ERROR, message, location=loc, hint=hint, **kw))

    def warning(self, code: str, message: str, loc: Location, hint: str | None = None, **kw) -> None:
        self.diags.append(Diagnostic(code, Severity.WARNING, message, location=loc, hint=hint, **kw))


# ---------------------------------------------------------------------------------------------
# reading the file


def _load(ctx: _Ctx, path: Path, templates: tuple[str, ...], profiles: tuple[str, ...]) -> Edition | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        ctx.error("EDITION-FILE", f"cannot read the edition file: {exc.strerror or exc}", Location(ctx.file),
                  "check the path; run the command from the folder that holds editions/")
        return None
    text = _decode(ctx, data, ctx.file)
    if text is None:
        return None
    root, diags = parse_yaml(text, ctx.file)
    ctx.diags.extend(diags)
    if root is None:
        if not diags:
            ctx.error("EDITION-EMPTY", "the edition file is empty", Location(ctx.file, 1, 1),
                      "start from docs/edition-format.md or `layout new`")
        return None
    if not isinstance(root, YMap):
        ctx.error("EDITION-TYPE", f"the edition must be a mapping of keys (paper:, date:, …), not {kind_name(root)}",
                  root.loc, "see docs/edition-format.md")
        return None
    return _edition(ctx, root, path, templates, profiles)


def _decode(ctx: _Ctx, data: bytes, file: str) -> str | None:
    """UTF-8 (a BOM is fine); CRLF and lone CR become LF so line numbers match editors."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        ctx.error("TEXT-ENCODING", f"the file is not UTF-8 text (byte 0x{data[start]:02X} at byte {start})",
                  Location(file, line, column), "save the file as UTF-8 (in most editors: Save As → Encoding UTF-8)")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------------------------
# typed readers: each reports a wrong type at the node and returns None (or a default)


def _map(ctx: _Ctx, node: YNode | None, what: str, keys: Sequence[str], required: Sequence[str] = (),
         at: Location | None = None) -> YMap | None:
    if node is None:
        return None
    if not isinstance(node, YMap):
        ctx.error("EDITION-TYPE", f"{what} must be a mapping (key: value lines), not {kind_name(node)}", node.loc)
        return None
    for key_node, _ in node.entries:
        name = key_node.text
        if name not in keys:
            guess = did_you_mean(name, keys)
            hint = f"did you mean '{guess}'?" if guess else None
            allowed = "allowed keys: " + ", ".join(keys)
            ctx.error("EDITION-UNKNOWN-KEY", f"unknown key '{name}' in {what}", key_node.loc,
                      f"{hint} ({allowed})" if hint else allowed)
    for name in required:
        if node.get(name) is None:
            ctx.error("EDITION-MISSING-KEY", f"{what} has no '{name}'", at or node.loc,
                      f"add '{name}:' (see docs/edition-format.md)")
    return node


def _text(ctx: _Ctx, node: YNode | None, what: str, *, required: bool = False, default: str = "") -> str:
    if node is None:
        return default
    if not isinstance(node, YScalar):
        ctx.error("EDITION-TYPE", f"{what} must be text, not {kind_name(node)}", node.loc,
                  "write it on one line, quoted if it contains ': ' or starts with a symbol")
        return default
    if node.value is None:
        if required:
            ctx.error("EDITION-VALUE", f"{what} is empty", node.loc, "write the text after the colon")
        return default
    text = node.text
    _scan(ctx, text, node, what)
    if required and not text.strip():
        ctx.error("EDITION-VALUE", f"{what} is empty", node.loc, "write the text after the colon")
    return text


def _scan(ctx: _Ctx, text: str, node: YScalar, what: str) -> None:
    """Control characters (other than newline/tab) and unpaired surrogates inside a YAML text."""
    for index, ch in enumerate(text):
        problem = _bad_char(ch)
        if problem:
            line_in, col_in = position_of(text, index)
            loc = node.loc
            if node.style == "|" and loc.line is not None:  # literal block: lines map one to one
                loc = Location(loc.file, loc.line + line_in, None)
            code, message = problem
            ctx.error(code, f"{what}: {message} at character {index + 1} (line {line_in}, column {col_in} of the text)",
                      loc, _BAD_CHAR_HINT)
            return  # one per value is enough to find it


_BAD_CHAR_HINT = "delete the invisible character; it usually comes from copying out of another program"


def _bad_char(ch: str) -> tuple[str, str] | None:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return "TEXT-SURROGATE", f"unpaired surrogate U+{code:04X}"
    if ch in "\n\t":
        return None
    if unicodedata.category(ch) == "Cc":
        return "TEXT-CONTROL-CHAR", f"control character U+{code:04X}"
    return None


def _int(ctx: _Ctx, node: YNode | None, what: str, lo: int, hi: int, default: int | None = None) -> int | None:
    if node is None:
        return default
    if not isinstance(node, YScalar) or isinstance(node.value, bool) or not isinstance(node.value, int):
        ctx.error("EDITION-TYPE", f"{what} must be a whole number, not {kind_name(node)}", node.loc,
                  f"a number from {lo} to {hi}")
        return default
    if not lo <= node.value <= hi:
        ctx.error("EDITION-RANGE", f"{what} is {node.value}, outside {lo}..{hi}", node.loc,
                  f"a number from {lo} to {hi}")
        return default
    return node.value


def _bool(ctx: _Ctx, node: YNode | None, what: str, default: bool = False) -> bool:
    if node is None:
        return default
    if not isinstance(node, YScalar) or not isinstance(node.value, bool):
        ctx.error("EDITION-TYPE", f"{what} must be true or false, not {kind_name(node)}", node.loc, "true or false")
        return default
    return node.value


def _list(ctx: _Ctx, node: YNode | None, what: str) -> tuple[YNode, ...]:
    if node is None:
        return ()
    if isinstance(node, YSeq):
        return node.items
    if isinstance(node, YScalar) and node.value is None:
        return ()
    ctx.error("EDITION-TYPE", f"{what} must be a list, not {kind_name(node)}", node.loc,
              "write a list as [a, b] or as lines starting with '- '")
    return ()


def _name(ctx: _Ctx, node: YNode | None, what: str, allowed: Sequence[str], code: str, default: str) -> str:
    if node is None:
        return default
    value = _text(ctx, node, what)
    if value and value not in allowed:
        guess = did_you_mean(value, allowed)
        hint = (f"did you mean '{guess}'? " if guess else "") + "allowed: " + ", ".join(allowed)
        ctx.error(code, f"unknown {what} '{value}'", node.loc, hint)
        return default
    return value or default


def _ref(ctx: _Ctx, node: YNode | None, what: str) -> tuple[str | None, Location | None]:
    """An id naming a story, ad or page."""
    if node is None:
        return None, None
    if not isinstance(node, YScalar) or node.value is None:
        ctx.error("EDITION-TYPE", f"{what} must be an id, not {kind_name(node)}", node.loc,
                  "an id is one word such as A01 or harbour-plan")
        return None, node.loc
    text = _text(ctx, node, what).strip()
    if not text:
        ctx.error("EDITION-VALUE", f"{what} is empty", node.loc, "an id is one word such as A01 or harbour-plan")
        return None, node.loc
    return text, node.loc


# ---------------------------------------------------------------------------------------------
# the edition


def _edition(ctx: _Ctx, root: YMap, path: Path, templates: tuple[str, ...], profiles: tuple[str, ...]) -> Edition | None:
    _map(ctx, root, "the edition", TOP_KEYS, TOP_REQUIRED, at=Location(ctx.file, 1, 1))
    paper = _text(ctx, root.get("paper"), "paper", required=True)
    date = _date(ctx, root.get("date"))
    issue = _int(ctx, root.get("issue"), "issue", 1, MAX_ISSUE)
    template = _name(ctx, root.get("template"), "template", templates, "TEMPLATE-UNKNOWN",
                     templates[0] if templates else "broadsheet")
    profile = _name(ctx, root.get("print"), "print profile", profiles, "PRINT-PROFILE-UNKNOWN",
                    profiles[0] if profiles else "newsprint")
    stories = _stories(ctx, root.get("stories"))
    ads = _ads(ctx, root.get("ads"))
    tables = _tables(ctx, root.get("tables"))
    pages = _pages(ctx, root.get("pages"))
    pages = _apply_colour_pages(ctx, root.get("colour_pages"), pages)
    fonts = _plain_mapping(ctx, root.get("fonts"), "fonts")
    overrides = _plain_mapping(ctx, root.get("overrides"), "overrides")
    convention = _name(ctx, root.get("convention"), "convention", CONVENTIONS, "EDITION-VALUE", "mainland")
    # A bad date or issue is already an error (so load_edition raises); stand-ins let the
    # cross-reference checks still run and report everything in one go.
    return Edition(path=path, paper=paper, date=date or dt.date(2000, 1, 1), issue=issue or 1, template=template,
                   print_profile=profile, pages=tuple(pages), stories=stories, ads=ads, fonts=fonts,
                   overrides=overrides, tables=tables, convention=convention)


def _tables(ctx: _Ctx, node: YNode | None) -> dict:
    """The `tables:` section (layout/table/load.py reads it with this module's readers)."""
    if node is None:
        return {}
    from layout.table.load import tables

    return tables(ctx, node)


def _date(ctx: _Ctx, node: YNode | None) -> dt.date | None:
    if node is None:
        return None
    value: object = node.value if isinstance(node, YScalar) else None
    if isinstance(node, YScalar) and isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, dt.datetime):
        ctx.error("EDITION-DATE", f"date has a time ({node.raw}); give the day only", node.loc,
                  "write the date as YYYY-MM-DD, e.g. 2026-03-04")
        return None
    if not isinstance(value, dt.date):
        if not (isinstance(node, YScalar) and value is None and node.raw and any(
                d.code == "EDITION-DATE" and d.location == node.loc for d in ctx.diags)):
            ctx.error("EDITION-DATE", f"date must be a day YYYY-MM-DD, not {kind_name(node)}", node.loc,
                      "write the date as YYYY-MM-DD, e.g. 2026-03-04")
        return None
    if not DATE_RANGE[0] <= value <= DATE_RANGE[1]:
        ctx.error("EDITION-DATE", f"date {value.isoformat()} is out of range", node.loc,
                  f"a date between {DATE_RANGE[0].isoformat()} and {DATE_RANGE[1].isoformat()}")
        return None
    return value


def _plain_mapping(ctx: _Ctx, node: YNode | None, what: str) -> dict:
    if node is None or (isinstance(node, YScalar) and node.value is None):
        return {}
    if not isinstance(node, YMap):
        ctx.error("EDITION-TYPE", f"{what} must be a mapping, not {kind_name(node)}", node.loc)
        return {}
    budget = [MAX_PLAIN_VALUES]
    plain = to_plain(node, budget)
    if budget[0] < 0:
        ctx.error("YAML-LIMIT", f"{what} expands to more than {MAX_PLAIN_VALUES} values (through aliases)",
                  node.loc, "write the values out; anchors and aliases are for small repeats")
        return {}
    return plain if isinstance(plain, dict) else {}


def _apply_colour_pages(ctx: _Ctx, node: YNode | None, pages: list[Page]) -> list[Page]:
    if node is None:
        return pages
    refs: list[tuple[str, Location]] = []
    for item in _list(ctx, node, "colour_pages"):
        page_id, loc = _ref(ctx, item, "a colour_pages entry")
        if page_id is not None and loc is not None:
            refs.append((page_id, loc))
    ctx.positions.colour_pages = tuple(refs)
    wanted = {page_id for page_id, _ in refs}
    return [Page(p.id, p.section, p.masthead, p.credits, p.items, p.id in wanted, p.loc) for p in pages]


# ---------------------------------------------------------------------------------------------
# pages


def _pages(ctx: _Ctx, node: YNode | None) -> list[Page]:
    pages: list[Page] = []
    for index, page_node in enumerate(_list(ctx, node, "pages")):
        page = _map(ctx, page_node, f"page {index + 1}", PAGE_KEYS, ("page",))
        if page is None:
            continue
        page_id, id_loc = _ref(ctx, page.get("page"), "the page id")
        if page_id is None:
            continue
        what = f"page {page_id}"
        credits: list[tuple[str, str]] = []
        credits_node = page.get("credits")
        if credits_node is not None and not (isinstance(credits_node, YScalar) and credits_node.value is None):
            credits_map = _map(ctx, credits_node, f"{what} credits", [k.text for k, _ in _entries(credits_node)])
            for key, value in _entries(credits_map):
                credits.append((key.text, _text(ctx, value, f"{what} credit '{key.text}'")))
        position = len(pages)
        ctx.positions.page_ids[position] = id_loc or page.loc
        items = []
        for item_index, item_node in enumerate(_list(ctx, page.get("items"), f"{what} items")):
            item = _item(ctx, item_node, what, position, item_index)
            if item is not None:
                items.append(item)
        pages.append(Page(id=page_id, section=_text(ctx, page.get("section"), f"{what} section"),
                          masthead=_bool(ctx, page.get("masthead"), f"{what} masthead"), credits=tuple(credits),
                          items=tuple(items), colour=True, loc=page.loc))
    if node is not None and isinstance(node, YSeq) and not node.items:
        ctx.error("EDITION-VALUE", "the edition has no pages", node.loc, "list the pages under 'pages:'")
    return pages


def _entries(node: YNode | None) -> tuple:
    return node.entries if isinstance(node, YMap) else ()


def _item(ctx: _Ctx, node: YNode, page_what: str, page_index: int, item_index: int) -> PageItem | None:
    what = f"item {item_index + 1} of {page_what}"
    item = _map(ctx, node, what, ITEM_KEYS)
    if item is None:
        return None
    kinds = [k for k in item.names() if k in ITEM_KINDS]
    if len(kinds) != 1:
        message = f"{what} has no kind" if not kinds else f"{what} has {len(kinds)} kinds ({', '.join(kinds)})"
        ctx.error("PAGE-ITEM-KIND", message, item.loc,
                  "each item is exactly one of: " + ", ".join(f"{k}:" for k in ITEM_KINDS))
        return None
    kind = kinds[0]
    value = item.get(kind)
    at = _at(ctx, item.get("at"), what)
    size = _size(ctx, item.get("size"), what)
    base = (page_index, item_index)
    if kind == "teasers":
        refs: list[str] = []
        for ref_node in _list(ctx, value, f"{what} teasers"):
            ref, loc = _ref(ctx, ref_node, "a teaser story id")
            if ref is not None:
                ctx.positions.refs[base + (len(refs),)] = loc or item.loc
                refs.append(ref)
        if isinstance(value, YSeq) and not value.items:
            ctx.error("EDITION-VALUE", f"{what}: teasers lists no stories", value.loc, "teasers: [story-id, …]")
        return PageItem(kind="teasers", refs=tuple(refs), at=at, size=size, loc=item.loc)
    if kind == "photo":
        photo = _photo(ctx, value, f"the photo of {what}", free=True) if value is not None else None
        if photo is None:
            return None
        return PageItem(kind="photo", photo=photo, at=at, size=size, loc=item.loc)
    ref, loc = _ref(ctx, value, f"{what}: the {kind} id")
    if ref is None:
        if value is None:
            ctx.error("EDITION-VALUE", f"{what}: '{kind}:' names no id", item.loc, f"{kind}: <id>")
        return None
    ctx.positions.refs[base + (0,)] = loc or item.loc
    return PageItem(kind=kind, ref=ref, at=at, size=size, loc=item.loc)


def _at(ctx: _Ctx, node: YNode | None, what: str) -> At | None:
    at = _map(ctx, node, f"the 'at' of {what}", AT_KEYS, AT_KEYS)
    if at is None or any(at.get(k) is None for k in AT_KEYS):
        return None
    values = [_int(ctx, at.get(k), f"'{k}' of {what}", 1, MAX_GRID) for k in AT_KEYS]
    if any(v is None for v in values):
        return None
    col, line, cols, lines = values
    return At(col, line, cols, lines, loc=at.loc)


def _size(ctx: _Ctx, node: YNode | None, what: str) -> tuple[int, int] | None:
    """A module size without a place (for items the engine places, e.g. a booked box ad)."""
    size = _map(ctx, node, f"the 'size' of {what}", SIZE_KEYS, SIZE_KEYS)
    if size is None or any(size.get(k) is None for k in SIZE_KEYS):
        return None
    values = [_int(ctx, size.get(k), f"'{k}' of the size of {what}", 1, MAX_GRID) for k in SIZE_KEYS]
    if any(v is None for v in values):
        return None
    return values[0], values[1]


# ---------------------------------------------------------------------------------------------
# stories


def _by_id(ctx: _Ctx, node: YNode | None, what: str, one: str, example: str, hint: str | None, make) -> dict:
    """A mapping of id -> entry (stories, ads): each id checked, each entry made by `make`."""
    out: dict = {}
    if node is None or (isinstance(node, YScalar) and node.value is None):
        return out
    if not isinstance(node, YMap):
        ctx.error("EDITION-TYPE", f"{what} must be a mapping of {one} id → {one}, not {kind_name(node)}", node.loc, hint)
        return out
    for key, value in node.entries:
        item_id = key.text.strip()
        _scan(ctx, item_id, key, f"the {one} id")
        if not item_id:
            article = "an" if one[0] in "aeiou" else "a"
            ctx.error("EDITION-VALUE", f"{article} {one} id is empty", key.loc, f"give the {one} a short id, e.g. {example}")
            continue
        made = make(ctx, item_id, value, key.loc)
        if made is not None:
            out[item_id] = made
    return out


def _stories(ctx: _Ctx, node: YNode | None) -> dict[str, Story]:
    return _by_id(ctx, node, "stories", "story", "harbour-plan", "stories:\n      my-story:\n        headline: …", _story)


def _story(ctx: _Ctx, story_id: str, node: YNode, key_loc: Location) -> Story | None:
    what = f"story {story_id}"
    story = _map(ctx, node, what, STORY_KEYS, ("headline",), at=key_loc)
    if story is None:
        if isinstance(node, YScalar) and node.value is None:
            ctx.error("EDITION-MISSING-KEY", f"{what} is empty", key_loc, "give it at least a headline: and a body:")
        return None
    decks = tuple(_text(ctx, d, f"a deck of {what}") for d in _text_items(ctx, story.get("decks"), f"{what} decks"))
    jump, jump_loc = _ref(ctx, story.get("jump"), f"the jump of {what}")
    if jump is not None:
        ctx.positions.jumps[story_id] = jump_loc or story.loc
    if story.get("headline_cols") is not None:
        ctx.positions.headline_cols[story_id] = story.get("headline_cols").loc
    photos = []
    for index, photo_node in enumerate(_list(ctx, story.get("photos"), f"{what} photos")):
        photo = _photo(ctx, photo_node, f"photo {index + 1} of {what}")
        if photo is not None:
            photos.append(photo)
    headline, headline_direction = _headline(ctx, story.get("headline"), what)
    return Story(
        id=story_id,
        headline=headline,
        direction=_name(ctx, story.get("direction"), f"direction of {what}", DIRECTIONS, "EDITION-VALUE",
                        "horizontal"),
        headline_direction=headline_direction,
        kicker=_text(ctx, story.get("kicker"), f"the kicker of {what}"),
        decks=decks,
        byline=_text(ctx, story.get("byline"), f"the byline of {what}"),
        dateline=_text(ctx, story.get("dateline"), f"the dateline of {what}"),
        paragraphs=_body(ctx, story.get("body"), story_id),
        photos=tuple(photos),
        teaser=_text(ctx, story.get("teaser"), f"the teaser of {what}"),
        jump=jump,
        headline_cols=_int(ctx, story.get("headline_cols"), f"headline_cols of {what}", 1, MAX_GRID),
        box=_name(ctx, story.get("box"), f"box of {what}", BOX_STYLES, "EDITION-VALUE", "") or None,
        loc=key_loc,  # the `id:` line: where a person looks for the story
    )


def _headline(ctx: _Ctx, node: YNode | None, what: str) -> tuple[str, str | None]:
    """`headline: text`, or `headline: {text: ..., direction: vertical}` for a vertical headline
    (豎題) beside a horizontal body (issue 16)."""
    if isinstance(node, YMap):
        head = _map(ctx, node, f"the headline of {what}", HEADLINE_KEYS, ("text",))
        text = _text(ctx, head.get("text"), f"the headline of {what}", required=True) if head else ""
        direction = _name(ctx, node.get("direction"), f"direction of the headline of {what}", DIRECTIONS,
                          "EDITION-VALUE", "") or None
        return text, direction
    return _text(ctx, node, f"the headline of {what}", required=True), None


def _text_items(ctx: _Ctx, node: YNode | None, what: str) -> tuple[YNode, ...]:
    """A list of texts; a single text is accepted as a list of one."""
    if isinstance(node, YScalar) and node.value is not None:
        return (node,)
    return _list(ctx, node, what)


def _body(ctx: _Ctx, node: YNode | None, story_id: str) -> tuple[Paragraph, ...]:
    if node is None:
        return ()
    what = f"the body of story {story_id}"
    if not isinstance(node, YScalar):
        ctx.error("EDITION-TYPE", f"{what} must be text or a text file name, not {kind_name(node)}", node.loc,
                  "body: stories/my-story.txt, or body: | followed by the text indented")
        return ()
    if node.value is None:
        return ()
    text = node.text
    stripped = text.strip()
    if "\n" not in stripped and stripped.lower().endswith(TEXT_FILE_SUFFIXES):
        return _body_file(ctx, stripped, node, story_id)
    _scan(ctx, text, node, what)
    first_line = (node.loc.line + 1) if node.style == "|" and node.loc.line is not None else None
    paragraphs = []
    for offset, line in enumerate(text.split("\n")):
        loc = Location(node.loc.file, first_line + offset, None) if first_line else node.loc
        paragraph = _paragraph(line, loc)
        if paragraph is not None:
            paragraphs.append(paragraph)
    return tuple(paragraphs)


def _paragraph(line: str, loc: Location) -> Paragraph | None:
    # str.strip() also removes U+3000: editors often type the 2-character indent themselves.
    line = line.strip()
    if not line:
        return None
    if line.startswith("##") and line[2:3].isspace():
        heading = line[2:].strip()
        return Paragraph(heading, "subhead", loc) if heading else None
    return Paragraph(line, "body", loc)


def _body_file(ctx: _Ctx, raw: str, node: YScalar, story_id: str) -> tuple[Paragraph, ...]:
    resolved = resolve_file(raw, ctx.base_dir, ctx.asset_roots)
    if resolved.path is None:
        problem = resolved.problem
        ctx.error(problem.code, f"the body of story {story_id}: {problem.message}", node.loc, problem.hint,
                  story=story_id)
        return ()
    shown = str(ctx.base_dir / raw)
    try:
        size = resolved.path.stat().st_size
        if size > MAX_TEXT_BYTES:
            ctx.error("TEXT-TOO-LARGE", f"{raw} is {size} bytes; a story is at most {MAX_TEXT_BYTES}", node.loc,
                      "is this the right file?", story=story_id)
            return ()
        data = resolved.path.read_bytes()
    except OSError as exc:
        ctx.error("EDITION-FILE", f"cannot read {raw}: {exc.strerror or exc}", node.loc, story=story_id)
        return ()
    text = _decode(ctx, data, shown)
    if text is None:
        return ()
    paragraphs = []
    for number, line in enumerate(text.split("\n"), start=1):
        for column, ch in enumerate(line, start=1):
            problem = _bad_char(ch)
            if problem:
                ctx.error(problem[0], f"{problem[1]} in the text of story {story_id}", Location(shown, number, column),
                          _BAD_CHAR_HINT, story=story_id)
                break
        paragraph = _paragraph(line, Location(shown, number, None))
        if paragraph is not None:
            paragraphs.append(paragraph)
    if not paragraphs:
        ctx.warning("STORY-EMPTY", f"the text file of story {story_id} is empty", Location(shown, 1, None),
                    story=story_id)
    return tuple(paragraphs)


# ---------------------------------------------------------------------------------------------
# photos and ads


def _photo(ctx: _Ctx, node: YNode | None, what: str, free: bool = False) -> Photo | None:
    if free and isinstance(node, YScalar) and node.value is not None:
        file_node: YNode | None = node  # `photo: assets/x.jpg` shorthand for a free-standing photo
        photo = YMap((), node.loc, {})
    else:
        photo = _map(ctx, node, what, PHOTO_KEYS, ("file",))
        if photo is None:
            return None
        file_node = photo.get("file")
    path = _asset(ctx, file_node, what, check_image) if file_node is not None else None
    caption = _text(ctx, photo.get("caption"), f"the caption of {what}")
    credit = _text(ctx, photo.get("credit"), f"the credit of {what}")
    cols = _int(ctx, photo.get("cols"), f"cols of {what}", 1, MAX_GRID, default=2)
    lines = _int(ctx, photo.get("lines"), f"lines of {what}", 1, MAX_GRID, default=16)
    at = None
    at_map = _map(ctx, photo.get("at"), f"the 'at' of {what}", PHOTO_AT_KEYS, PHOTO_AT_KEYS)
    if at_map is not None:
        col = _int(ctx, at_map.get("col"), f"'col' of {what}", 1, MAX_GRID)
        line = _int(ctx, at_map.get("line"), f"'line' of {what}", 1, MAX_GRID)
        if col is not None and line is not None:
            at = (col, line)
    focus = _focus(ctx, photo.get("focus"), what)
    if path is None:
        return None
    side = _name(ctx, photo.get("caption_side"), f"caption_side of {what}", CAPTION_SIDES, "EDITION-VALUE", "below")
    return Photo(file=path, caption=caption, credit=credit, cols=cols or 2, lines=lines or 16, at=at, focus=focus,
                 caption_side=side, loc=photo.loc)


def _focus(ctx: _Ctx, node: YNode | None, what: str) -> tuple[float, float]:
    if node is None:
        return (0.5, 0.5)
    values = node.items if isinstance(node, YSeq) else ()
    numbers = [v.value for v in values if isinstance(v, YScalar) and isinstance(v.value, (int, float))
               and not isinstance(v.value, bool)]
    if len(values) != 2 or len(numbers) != 2:
        ctx.error("EDITION-TYPE", f"focus of {what} must be two numbers [x, y], not {kind_name(node)}", node.loc,
                  "fractions of the width and height, e.g. focus: [0.5, 0.4]")
        return (0.5, 0.5)
    if not all(0 <= n <= 1 for n in numbers):
        ctx.error("EDITION-RANGE", f"focus of {what} is {numbers}; each must be between 0 and 1", node.loc,
                  "fractions of the width and height, e.g. focus: [0.5, 0.4]")
        return (0.5, 0.5)
    return (float(numbers[0]), float(numbers[1]))


def _asset(ctx: _Ctx, node: YNode, what: str, check) -> Path | None:
    if not isinstance(node, YScalar) or node.value is None:
        ctx.error("EDITION-TYPE", f"the file of {what} must be a file name, not {kind_name(node)}", node.loc)
        return None
    raw = node.text.strip()
    resolved = resolve_file(raw, ctx.base_dir, ctx.asset_roots)
    if resolved.path is None:
        problem = resolved.problem
        ctx.error(problem.code, f"{what}: {problem.message}", node.loc, problem.hint)
        return None
    if ctx.check_files:
        key = (check.__name__, resolved.path)
        if key not in ctx.file_checks:
            ctx.file_checks[key] = check(resolved.path)
        for problem in ctx.file_checks[key]:
            ctx.error(problem.code, f"{what}: {problem.message}", node.loc, problem.hint)
        if ctx.file_checks[key]:
            return None
    return resolved.path


def _ads(ctx: _Ctx, node: YNode | None) -> dict[str, Ad]:
    return _by_id(ctx, node, "ads", "ad", "bank-half", None, _ad)


def _ad(ctx: _Ctx, ad_id: str, node: YNode, key_loc: Location) -> Ad | None:
    what = f"ad {ad_id}"
    ad = _map(ctx, node, what, AD_KEYS, ("kind",), at=key_loc)
    if ad is None:
        if isinstance(node, YScalar) and node.value is None:
            ctx.error("EDITION-MISSING-KEY", f"{what} is empty", key_loc, "give it a kind: (box, image or pdf)")
        return None
    if ad.get("kind") is None:
        return None
    kind = _name(ctx, ad.get("kind"), f"kind of {what}", AD_KINDS, "AD-KIND", "")
    if not kind:
        return None
    path = None
    file_node = ad.get("file")
    if kind == "box":
        if file_node is not None:
            ctx.error("AD-KIND", f"{what} is a box ad, drawn from its lines; it has no file", file_node.loc,
                      "use kind: image or kind: pdf for a delivered ad")
        if ad.get("title") is None:
            ctx.error("EDITION-MISSING-KEY", f"{what} (a box ad) has no 'title'", key_loc, "add 'title:'")
    elif file_node is None:
        ctx.error("EDITION-MISSING-KEY", f"{what} (a {kind} ad) has no 'file'", key_loc,
                  "add 'file:' naming the delivered ad, relative to the edition's folder")
    else:
        path = _asset(ctx, file_node, what, check_ad_pdf if kind == "pdf" else check_image)
        if path is None:
            return None
    colour = CMYK.parse("red")
    colour_node = ad.get("colour")
    if colour_node is not None:
        colour = _colour(ctx, colour_node, what) or colour
    lines = tuple(_text(ctx, n, f"a line of {what}") for n in _text_items(ctx, ad.get("lines"), f"lines of {what}"))
    return Ad(id=ad_id, kind=kind, file=path, title=_text(ctx, ad.get("title"), f"the title of {what}"),
              lines=lines, slogan=_text(ctx, ad.get("slogan"), f"the slogan of {what}"), colour=colour, loc=key_loc)


def _colour(ctx: _Ctx, node: YNode, what: str) -> CMYK | None:
    plain = to_plain(node)
    if isinstance(plain, list) and any(isinstance(v, bool) for v in plain):
        plain = None
    try:
        return CMYK.parse(plain)
    except (ValueError, TypeError) as exc:
        hint = "a named colour (" + ", ".join(sorted(NAMED)) + ") or [c, m, y, k] ink percentages 0..100"
        if isinstance(plain, str):
            guess = did_you_mean(plain, NAMED)
            if guess:
                hint = f"did you mean '{guess}'? " + hint
        ctx.error("EDITION-VALUE", f"colour of {what}: {exc}", node.loc, hint)
        return None
