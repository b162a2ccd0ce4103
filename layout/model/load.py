"""Load an edition YAML file into the frozen model, reporting every problem with the file,
line and column of the offending YAML node and a hint.

The loader collects as many problems as it can in one run; if any is an error it raises
InputError(diagnostics). Bad input never raises anything else (the fuzz tests hold it to that).
Cross-references, grid and page checks are in validate.py; file contents in filecheck.py.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import TYPE_CHECKING

from layout.color import CMYK, NAMED
from layout.diagnostics import Diagnostic, Diagnostics, InputError, Location, Severity, did_you_mean
from layout.model.edition import Ad, At, Edition, Notch, Page, PageItem, Paragraph, Photo, Section, Story
from layout.model.filecheck import FileProblem, check_ad_pdf, check_image
from layout.model.flowtrap import flow_split_warnings
from layout.model.paths import resolve_file
from layout.model.schemacheck import check_node
from layout.model.validate import Positions, validate_edition
from layout.model.yamlpos import YMap, YNode, YScalar, YSeq, kind_name, parse_yaml, position_of, to_plain
from layout.printprofile import PrintProfile
from layout.text.inline import parse_inline

if TYPE_CHECKING:  # layout.template reads YAML through this package: imported where used, not here
    from layout.template import PageRule, Template

TEMPLATES = ("broadsheet", "tabloid")
PRINT_PROFILES = ("newsprint", "commercial")

# The format's keys, level by level (docs/edition-format.md; the schema test keeps them in sync).
TOP_KEYS = ("paper", "date", "issue", "template", "print", "colour_pages", "fonts", "overrides",
            "sections", "words", "pages", "stories", "ads", "tables", "bookings", "convention")
SECTION_KEYS = ("name", "flag", "colour_pages")
SECTION_ID = re.compile(r"[A-Z]{1,2}")
PAGE_IN_SECTION = re.compile(r"([A-Z]{1,2})(\d{2,3})")
OVERRIDE_KEYS = ("template", "composition", "print")
TOP_REQUIRED = ("paper", "date", "issue", "pages", "stories")
PAGE_KEYS = ("page", "section", "masthead", "credits", "items", "composition")
ITEM_KINDS = ("story", "continued", "ad", "teasers", "photo", "table")
ITEM_KEYS = ITEM_KINDS + ("at", "size")
SIZE_KEYS = ("cols", "lines")
AT_KEYS = ("col", "line", "cols", "lines")
AT_ALL_KEYS = AT_KEYS + ("notch",)  # issue 13: an L-shaped story module (docs/edition-format.md)
NOTCH_KEYS = ("side", "cols", "lines")
NOTCH_SIDES = ("left", "right")
STORY_KEYS = ("kicker", "headline", "decks", "byline", "dateline", "body", "teaser", "jump", "photos",
              "headline_cols", "box", "tables", "composition", "direction")
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
MAX_EDITION_BYTES = 32_000_000  # an edition with every text inline is a few MB; more is a wrong file


def _read_edition_file(path: Path) -> bytes:
    """The bytes of an edition file. Only a regular file is read: a FIFO or a device (/dev/zero,
    or a named pipe no one writes) would block or fill memory for ever, and a file past
    MAX_EDITION_BYTES is not an edition. Either is an OSError with the reason, as a missing file."""
    import errno
    import os
    import stat

    with open(path, "rb", opener=lambda p, flags: os.open(p, flags | os.O_NONBLOCK)) as f:
        st = os.fstat(f.fileno())
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a named pipe or a device?)", str(path))
        if st.st_size > MAX_EDITION_BYTES:
            raise OSError(errno.EFBIG, f"it is {st.st_size} bytes; an edition is at most {MAX_EDITION_BYTES} "
                                       "(is it the right file?)", str(path))
        return f.read()
MAX_GRID = 1000  # any column or line number past this is a typo, whatever the template
MAX_ISSUE = 10_000_000
MAX_PLAIN_VALUES = 10_000  # fonts/overrides are passed on as given; bound what aliases can expand to
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))


def load_edition(
    path: Path,
    *,
    asset_roots: Sequence[Path] = (),
    page_count: int | PageRule | None = None,
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
    edition, _ = _load_checked(Path(path), asset_roots=asset_roots, page_count=page_count, grid=grid,
                               templates=templates, print_profiles=print_profiles, check_files=check_files,
                               diagnostics=diagnostics, resolve_template=False)
    return edition


def load_with_template(path: Path, *, template_overrides: dict | None = None, print_profiles: Sequence[str] = PRINT_PROFILES,
                       check_files: bool = True, diagnostics: Diagnostics | None = None) -> tuple[Edition, Template]:
    """Read an edition and the template it names, in that order: the edition's `template:` value
    (a shipped name or a template file beside the edition) is read from the parsed file with its
    position, the template is loaded with the edition's `overrides:` on top, and the rest of the
    edition is then checked against that template's page counts, grid and asset roots. Problems of
    both files come back together in one InputError."""
    return _load_checked(Path(path), asset_roots=(), page_count=None, grid=None, templates=TEMPLATES,
                         print_profiles=print_profiles, check_files=check_files, diagnostics=diagnostics,
                         resolve_template=True, template_overrides=template_overrides)


def _load_checked(path: Path, *, asset_roots, page_count, grid, templates, print_profiles, check_files, diagnostics,
                  resolve_template: bool, template_overrides: dict | None = None) -> tuple[Edition, Template | None]:
    ctx = _Ctx(file=str(path), base_dir=path.parent, asset_roots=tuple(asset_roots), check_files=check_files,
               resolve_template=resolve_template, template_overrides=template_overrides)
    edition = _load(ctx, path, tuple(templates), tuple(print_profiles))
    reserved = None
    if ctx.template is not None:
        page_count = ctx.template.pages
        grid = (ctx.template.grid.columns, ctx.template.grid.lines)
        reserved = (ctx.template.masthead_lines, ctx.template.flag_lines)
    if edition is not None and (ctx.template is not None or not resolve_template):
        ctx.diags.extend(validate_edition(edition, page_count=page_count, grid=grid, positions=ctx.positions,
                                          reserved=reserved))
    diags = [d if d.hint else replace(d, hint=DEFAULT_HINTS.get(d.code, "see docs/errors.md")) for d in ctx.diags]
    # In file order (the edition first, then text files), the way a person works through them.
    diags.sort(key=lambda d: (d.location.file != ctx.file, d.location.file or "", d.location.line or 0,
                              d.location.column or 0))
    if any(d.severity is Severity.ERROR for d in diags) or edition is None:
        raise InputError(diags)
    if diagnostics is not None:
        diagnostics.extend(diags)
    return edition, ctx.template


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
    "STORY-EMPTY": "fill the text file (or the story's headline: and body:), or take the story off the page",
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
    zone: tuple[str, Path, tuple[str, ...]] | None = None  # a zoned edition: (name, base file, its pages)
    resolve_template: bool = False  # load the template the edition names (load_with_template)
    template_overrides: dict | None = None
    template: Template | None = None

    def error(self, code: str, message: str, loc: Location, hint: str | None = None, **kw) -> None:
        if code == "EDITION-TYPE" and loc.line is not None and any(
                d.location == loc and d.severity is Severity.ERROR for d in self.diags):
            return  # the value could not be read at all (`.inf`, a bad date): said once, there
        self.diags.append(Diagnostic(code, Severity.ERROR, message, location=loc, hint=hint, **kw))

    def warning(self, code: str, message: str, loc: Location, hint: str | None = None, **kw) -> None:
        self.diags.append(Diagnostic(code, Severity.WARNING, message, location=loc, hint=hint, **kw))


# ---------------------------------------------------------------------------------------------
# reading the file


def _load(ctx: _Ctx, path: Path, templates: tuple[str, ...], profiles: tuple[str, ...]) -> Edition | None:
    try:
        data = _read_edition_file(path)
    except OSError as exc:
        ctx.error("EDITION-FILE", f"cannot read the edition file: {exc.strerror or exc}", Location(ctx.file),
                  "check the path; run the command from the folder that holds editions/")
        return None
    text = _decode(ctx, data, ctx.file)
    if text is None:
        return None
    root, diags = parse_yaml(text, ctx.file)
    limits = [d for d in diags if d.code == "YAML-LIMIT"]
    if limits:
        # The tree was cut off where the limit was reached: whatever else would be reported about
        # it (missing keys, pages, stories, empty keys seen twice) is an effect of the cut, not a
        # problem of the edition. Only the limit is said.
        ctx.diags.extend(limits)
        return None
    ctx.diags.extend(diags)
    if root is None:
        if not diags:
            ctx.error("EDITION-EMPTY", "the edition file is empty", Location(ctx.file, 1, 1),
                      "start from docs/edition-format.md, or write the next edition from the last with "
                      "`layout new --from editions/<last>.yaml`")
        return None
    if not isinstance(root, YMap):
        ctx.error("EDITION-TYPE", f"the edition must be a mapping of keys (paper:, date:, …), not {kind_name(root)}",
                  root.loc, "see docs/edition-format.md")
        return None
    if root.get("base") is not None or root.get("zone") is not None:
        root = _zone(ctx, root, path)
        if root is None:
            return None
    if ctx.resolve_template:
        _resolve_template(ctx, root)
    return _edition(ctx, root, path, templates, profiles)


ZONE_KEYS = ("zone", "base", "pages", "stories", "ads")


def _zone(ctx: _Ctx, root: YMap, path: Path) -> YMap | None:
    """A zoned edition (a district's edition with its own A05): `base:` names the full edition it
    is made from, `pages:` the pages it replaces (by id), `stories:` and `ads:` what they add or
    replace. The result is the base edition's YAML tree with those parts swapped in, each node
    keeping the file and line it came from, so every check and message works as for a full one."""
    _map(ctx, root, "a zoned edition", ZONE_KEYS, ("zone", "base", "pages"), at=Location(ctx.file, 1, 1))
    name = _text(ctx, root.get("zone"), "zone", required=True)
    base_node = root.get("base")
    if not isinstance(base_node, YScalar) or not base_node.text.strip():
        return None
    raw = base_node.text.strip()
    base_path = (ctx.base_dir / raw)
    where = base_node.loc
    if base_path.resolve() == path.resolve():
        ctx.error("ZONE-BASE", "a zoned edition cannot be its own base", where, "name the full edition it is made from")
        return None
    if base_path.resolve().parent != path.resolve().parent:
        ctx.error("ZONE-BASE", f"the base edition {raw} is in another folder", where,
                  "keep the zoned edition beside its base, so their text files and photos are found alike")
        return None
    try:
        data = _read_edition_file(base_path)
    except OSError as exc:
        ctx.error("ZONE-BASE", f"cannot read the base edition {raw}: {exc.strerror or exc}", where,
                  "check the name; it is relative to this file's folder")
        return None
    base_file = str(base_path)
    text = _decode(ctx, data, base_file)
    if text is None:
        return None
    base, diags = parse_yaml(text, base_file)
    ctx.diags.extend(diags)
    if not isinstance(base, YMap):
        if not diags:
            ctx.error("ZONE-BASE", f"the base edition {raw} is not an edition", where, "name the full edition")
        return None
    if base.get("base") is not None:
        ctx.error("ZONE-BASE", f"{raw} is itself a zoned edition", where, "name the full edition both are made from")
        return None
    base_pages = base.get("pages")
    base_items = base_pages.items if isinstance(base_pages, YSeq) else ()
    ids = [_page_id(p) for p in base_items]
    replaced: dict[str, YNode] = {}
    listed = _list(ctx, root.get("pages"), "pages")
    for page in listed:
        page_id = _page_id(page)
        if page_id is None:
            ctx.error("EDITION-MISSING-KEY", "a page of a zoned edition has no 'page' id", page.loc,
                      "name the base page it replaces: - page: A05")
            continue
        if page_id not in ids:
            guess = did_you_mean(page_id, [i for i in ids if i])
            ctx.error("ZONE-PAGE", f"zone {name} replaces page {page_id}, which the base edition does not have",
                      page.loc, (f"did you mean {guess}? " if guess else "") + "the base's pages: "
                      + ", ".join(i for i in ids if i) + " (new pages go into the base)")
            continue
        replaced[page_id] = page
    if not replaced:
        if not listed:
            ctx.error("ZONE-PAGE", f"zone {name} replaces no page", root.loc, "list the pages it replaces under pages:")
        return None
    pages = YSeq(tuple(replaced.get(_page_id(p), p) for p in base_items), base_pages.loc)

    def merged(key: str) -> YNode | None:
        ours, theirs = root.get(key), base.get(key)
        if not isinstance(ours, YMap):
            return theirs
        if not isinstance(theirs, YMap):
            return ours
        keys = {k.text for k, _ in ours.entries}
        entries = tuple((k, v) for k, v in theirs.entries if k.text not in keys) + ours.entries
        return YMap(entries, theirs.loc, {k.text: v for k, v in entries})

    entries = []
    for key, value in base.entries:
        value = pages if key.text == "pages" else merged(key.text) if key.text in ("stories", "ads") else value
        entries.append((key, value))
    for key in ("stories", "ads"):
        if base.get(key) is None and root.get(key) is not None:
            entries.append((root.key_node(key), root.get(key)))
    ctx.zone = (name, base_path, tuple(replaced))
    return YMap(tuple(entries), base.loc, {k.text: v for k, v in entries})


def _page_id(node: YNode) -> str | None:
    if isinstance(node, YMap):
        value = node.get("page")
        if isinstance(value, YScalar) and value.value is not None:
            return value.text.strip()
    return None


def _resolve_template(ctx: _Ctx, root: YMap) -> None:
    """The template the edition names, loaded before the rest of the edition is read (its asset
    roots find the photos, its grid and page counts check the pages)."""
    from layout.template import edition_layers, load_template

    node = root.get("template")
    ref = "broadsheet"
    where = node.loc if node is not None else Location(ctx.file, 1, 1)
    if isinstance(node, YScalar) and isinstance(node.value, str) and node.value.strip():
        ref = node.value.strip()
    elif node is not None and not (isinstance(node, YScalar) and node.value is None):
        return  # reported by _edition as a wrong type
    overrides = root.get("overrides")
    try:
        ctx.template = load_template(ref, ctx.template_overrides, base_dir=ctx.base_dir, where=where,
                                     layers=edition_layers(ctx.file, overrides if isinstance(overrides, YMap) else None))
    except InputError as err:
        ctx.diags.extend(err.diagnostics)
        return
    ctx.asset_roots = tuple((ctx.base_dir / r).resolve() for r in ctx.template.asset_roots)


def _other_encoding(data: bytes, start: int) -> tuple[str, str] | tuple[None, None]:
    """(what a file that is not UTF-8 seems to be, the iconv name to convert it from), or (None,
    None): UTF-16 by its byte-order mark; a legacy Chinese encoding (GBK/GB18030 on the mainland,
    Big5 in Taiwan and Hong Kong) when nothing before the first bad byte `start` was UTF-8 of three
    or more bytes (as every Han character and CJK mark is) and the whole file decodes so with Han
    characters. A UTF-8 file with one bad stretch is not one of these: its bad byte's place is what
    helps. (Two-byte UTF-8 before it proves nothing: a GBK pair such as 全 C8 AB reads as U+022B.)"""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16 (it starts with a byte-order mark)", "utf-16"
    if any(ord(ch) >= 0x800 for ch in data[:start].decode("utf-8", errors="replace")):
        return None, None
    scores = {}
    for codec, name in (("gb18030", "GB18030"), ("big5", "BIG5")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
        if han:  # the share of its Han characters that are common ones: bytes of the other encoding
            scores[name] = sum(map(_common_han(codec), han)) / len(han)  # read so give rare ones
    if not scores:
        return None, None
    name = max(scores, key=lambda n: (scores[n], n == "GB18030"))
    return ("GBK (GB18030)" if name == "GB18030" else "Big5"), name


def _common_han(codec: str):
    """Whether a Han character is among the common ones of `codec`'s repertoire: GB2312's 6 763
    (simplified) for GB18030, Big5's first level (lead bytes A4–C6) for Big5."""
    def common(ch: str) -> bool:
        try:
            if codec == "gb18030":
                ch.encode("gb2312")
                return True
            return 0xA4 <= ch.encode("big5")[0] <= 0xC6
        except UnicodeEncodeError:
            return False
    return common


def _decode(ctx: _Ctx, data: bytes, file: str) -> str | None:
    """UTF-8 (a BOM is fine); CRLF and lone CR become LF so line numbers match editors."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        found, name = _other_encoding(data, start)
        if found:  # say what the file is: a newsroom's Windows tools often save GBK or UTF-16
            ctx.error("TEXT-ENCODING", f"the file is {found} text, not UTF-8", Location(file, 1, 1),
                      f"save the file as UTF-8 (in most editors: Save As → Encoding UTF-8; or "
                      f"iconv -f {name} -t UTF-8 FILE > NEW)")
            return None
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
    if not _MAYBE_BAD.search(text):
        return  # the usual case, found in one pass of the regex engine
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

# Every character _bad_char names: the control characters (category Cc is exactly U+0000-001F and
# U+007F-009F) but newline and tab, and the surrogates. A text without any of them is not looked at
# character by character (a night's story files are ~100 000 characters, read on every build).
_MAYBE_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


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
    template = _template_ref(ctx, root.get("template"), templates)
    profile = _name(ctx, root.get("print"), "print profile", profiles, "PRINT-PROFILE-UNKNOWN",
                    profiles[0] if profiles else "newsprint")
    stories = _stories(ctx, root.get("stories"))
    ads = _ads(ctx, root.get("ads"))
    tables = _tables(ctx, root.get("tables"))
    bookings, ads = _bookings(ctx, root.get("bookings"), ads)
    pages = _pages(ctx, root.get("pages"))
    sections = _sections(ctx, root.get("sections"))
    pages = _apply_sections(ctx, sections, pages, root.get("sections"))
    pages = _apply_colour_pages(ctx, root.get("colour_pages"), pages, sections)
    fonts = _plain_mapping(ctx, root.get("fonts"), "fonts")
    if ctx.template is not None and isinstance(root.get("fonts"), YMap):
        roles = list(ctx.template.fonts)
        for key_node, _ in root.get("fonts").entries:
            if key_node.text not in roles:  # a role no style uses would be ignored: refuse it
                guess = did_you_mean(key_node.text, roles)
                ctx.error("EDITION-UNKNOWN-KEY", f"font role '{key_node.text}' is not one of the template's roles",
                          key_node.loc, (f"did you mean '{guess}'? " if guess else "") + "roles: " + ", ".join(roles)
                          + " (a new role goes into a template file, with the styles that use it)")
    overrides = _overrides(ctx, root.get("overrides"))
    # Names and places the word segmenter must keep whole in display lines (layout/text/words.py).
    words = tuple(w.strip() for w in (_text(ctx, n, "an entry of words") for n in _text_items(ctx, root.get("words"), "words"))
                  if w.strip())
    convention = _name(ctx, root.get("convention"), "convention", CONVENTIONS, "EDITION-VALUE", "mainland")
    # A bad date or issue is already an error (so load_edition raises); stand-ins let the
    # cross-reference checks still run and report everything in one go.
    return Edition(path=path, paper=paper, date=date or dt.date(2000, 1, 1), issue=issue or 1, template=template,
                   print_profile=profile, pages=tuple(pages), stories=stories, ads=ads, fonts=fonts,
                   overrides=overrides, tables=tables, sections=tuple(sections), words=words, bookings=bookings, convention=convention,
                   zone=ctx.zone[0] if ctx.zone else "", base=ctx.zone[1] if ctx.zone else None,
                   zone_pages=ctx.zone[2] if ctx.zone else ())


def _bookings(ctx: _Ctx, node: YNode | None, ads: dict[str, Ad]) -> tuple[tuple, dict[str, Ad]]:
    """The `bookings:` list (layout/ads/bookings.py reads it with this module's readers); the ads a
    booking brings with it join `ads:` under the booking's id."""
    if node is None:
        return (), ads
    from layout.ads.bookings import read_bookings

    bookings, own = read_bookings(ctx, node)
    for ad_id, ad in own.items():
        if ad_id in ads:
            ctx.error("BOOKING-ID", f"booking {ad_id!r} brings its own ad, but ads: already has an ad {ad_id!r}",
                      ad.loc, "give the booking another id, or name the ad of ads: with 'ad: " + ad_id + "'")
    return bookings, {**own, **ads}


def _tables(ctx: _Ctx, node: YNode | None) -> dict:
    """The `tables:` section (layout/table/load.py reads it with this module's readers)."""
    if node is None:
        return {}
    from layout.table.load import tables

    return tables(ctx, node)


def _template_ref(ctx: _Ctx, node: YNode | None, templates: tuple[str, ...]) -> str:
    """A shipped template's name, or a template file (…yaml) relative to the edition's folder. When
    the template is loaded with the edition (load_with_template), the template loader reports an
    unknown name or a missing file itself."""
    from layout.template import is_template_file

    default = templates[0] if templates else "broadsheet"
    if node is None:
        return default
    if ctx.resolve_template or (isinstance(node, YScalar) and is_template_file(node.text.strip())):
        return _text(ctx, node, "template").strip() or default
    return _name(ctx, node, "template", templates, "TEMPLATE-UNKNOWN", default)


def _overrides(ctx: _Ctx, node: YNode | None) -> dict:
    """`overrides:`: each key is a part of the template or print profile, applied by the build;
    anything else is refused here rather than ignored."""
    if node is None or (isinstance(node, YScalar) and node.value is None):
        return {}
    if not isinstance(node, YMap):
        ctx.error("EDITION-TYPE", f"overrides must be a mapping, not {kind_name(node)}", node.loc,
                  "overrides: {template: {…}, composition: {…}, print: {…}}")
        return {}
    for key_node, _ in node.entries:
        name = key_node.text
        if name in OVERRIDE_KEYS:
            continue
        if name == "pages":
            hint = "the page count is the number of pages listed under `pages:`; the template's `pages:` sets the counts allowed"
        elif name in _template_keys():
            hint = f"a template setting goes under `template:`: overrides: {{template: {{{name}: …}}}}"
        else:
            guess = did_you_mean(name, OVERRIDE_KEYS)
            hint = (f"did you mean '{guess}'? " if guess else "") + "allowed keys: " + ", ".join(OVERRIDE_KEYS)
        ctx.error("EDITION-UNKNOWN-KEY", f"unknown key '{name}' in overrides", key_node.loc, hint)
    printing = node.get("print")
    if printing is not None:
        fields = [f.name for f in dataclass_fields(PrintProfile) if f.name != "name"]
        _map(ctx, printing, "overrides.print", fields)
    return _plain_mapping(ctx, node, "overrides")


def _template_keys() -> tuple[str, ...]:
    from layout.template import schema

    return tuple(schema()["properties"])


def _composition(ctx: _Ctx, node: YNode | None, what: str) -> dict:
    """A page's or story's `composition:` (the template's composition keys), checked where written."""
    if node is None or (isinstance(node, YScalar) and node.value is None):
        return {}
    from layout.template import composition_schema

    found = check_node(node, composition_schema(), file=ctx.file, what=f"the composition of {what}", codes="EDITION")
    ctx.diags.extend(found)
    plain = to_plain(node)
    return plain if isinstance(plain, dict) and not found else {}


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


def _apply_colour_pages(ctx: _Ctx, node: YNode | None, pages: list[Page], sections: list[Section]) -> list[Page]:
    """Colour pages: those listed at the top and in each section's `colour_pages`; when no list is
    given anywhere, every page is in colour."""
    refs: list[tuple[str, Location]] = list(ctx.positions.colour_pages)  # the sections' lists
    for item in _list(ctx, node, "colour_pages"):
        page_id, loc = _ref(ctx, item, "a colour_pages entry")
        if page_id is not None and loc is not None:
            refs.append((page_id, loc))
    ctx.positions.colour_pages = tuple(refs)
    if node is None and not any(s.colour_pages for s in sections):
        return pages
    wanted = {page_id for page_id, _ in refs}
    return [replace(p, colour=p.id in wanted) for p in pages]


def _sections(ctx: _Ctx, node: YNode | None) -> list[Section]:
    """`sections:` — letter → {name, flag, colour_pages}, in the order the pages run."""
    if node is None or (isinstance(node, YScalar) and node.value is None):
        return []
    if not isinstance(node, YMap):
        ctx.error("EDITION-TYPE", f"sections must be a mapping of section letter → section, not {kind_name(node)}",
                  node.loc, "sections:\n  A: {name: 要聞}\n  B: {name: 城市, flag: 城市週刊}")
        return []
    out = []
    colour_refs: list[tuple[str, Location]] = []
    for key, value in node.entries:
        letter = key.text.strip()
        if not SECTION_ID.fullmatch(letter):
            ctx.error("SECTION-ID", f"section id '{letter}' is not one or two capital letters", key.loc,
                      "name sections A, B, C …; their pages are A01 …, B01 …")
            continue
        what = f"section {letter}"
        entry = _map(ctx, value, what, SECTION_KEYS) if not (isinstance(value, YScalar) and value.value is None) else None
        name = _text(ctx, entry.get("name"), f"the name of {what}") if entry else ""
        flag = _text(ctx, entry.get("flag"), f"the flag of {what}") if entry else ""
        colour = []
        for item in _list(ctx, entry.get("colour_pages") if entry else None, f"colour_pages of {what}"):
            page_id, loc = _ref(ctx, item, f"a colour page of {what}")
            if page_id is not None and loc is not None:
                colour.append(page_id)
                colour_refs.append((page_id, loc))
                if not page_id.startswith(letter):
                    ctx.error("SECTION-PAGE", f"colour_pages of {what} names {page_id}, a page of another section",
                              loc, "list it under its own section, or in the top-level colour_pages")
        out.append(Section(letter, name, flag, tuple(colour), loc=key.loc))
    ctx.positions.colour_pages = tuple(colour_refs)
    if not out and isinstance(node, YMap) and not node.entries:
        ctx.error("EDITION-VALUE", "sections lists no sections", node.loc, "sections:\n  A: {name: 要聞}")
    return out


def _apply_sections(ctx: _Ctx, sections: list[Section], pages: list[Page], node: YNode | None) -> list[Page]:
    """Each page's section from its id (B03: section B, its third page): ids must run 01, 02 …
    within a section, and the sections follow one another in the order `sections:` lists them."""
    if not sections:
        return pages
    known = {s.id: s for s in sections}
    order = [s.id for s in sections]
    out: list[Page] = []
    expected: dict[str, int] = {}
    seen_order: list[str] = []
    for index, page in enumerate(pages):
        loc = ctx.positions.page_ids.get(index, page.loc)
        m = PAGE_IN_SECTION.fullmatch(page.id)
        if m is None:
            ctx.error("SECTION-PAGE", f"page {page.id} does not name its section: with sections, page ids are a "
                      "section letter and a number", loc, f"e.g. {order[0]}01, {order[0]}02 …", page=page.id)
            out.append(page)
            continue
        letter, number = m.group(1), int(m.group(2))
        section = known.get(letter)
        if section is None:
            guess = did_you_mean(letter, order)
            ctx.error("SECTION-PAGE", f"page {page.id} is in section {letter}, which `sections:` does not list", loc,
                      (f"did you mean {guess}{m.group(2)}? " if guess else "") + "sections: " + ", ".join(order)
                      + f"; or add {letter}: to sections", page=page.id)
            out.append(page)
            continue
        if seen_order and seen_order[-1] != letter:
            if letter in seen_order:
                ctx.error("SECTION-ORDER", f"page {page.id} comes after section {seen_order[-1]}, but section {letter} "
                          "was already printed before it", loc, "keep each section's pages together", page=page.id)
            elif order.index(letter) < order.index(seen_order[-1]):
                ctx.error("SECTION-ORDER", f"section {letter} comes after section {seen_order[-1]} here, but before it "
                          "in `sections:`", loc, "list the pages in the order of `sections:`, or reorder `sections:`",
                          page=page.id)
        if not seen_order or seen_order[-1] != letter:
            seen_order.append(letter)
        want = expected.get(letter, 1)
        if number != want:
            ctx.error("SECTION-NUMBERING", f"page {page.id} is page {want} of section {letter}", loc,
                      f"call it {letter}{want:0{len(m.group(2))}d}: each section is numbered from 01 without gaps",
                      page=page.id)
        expected[letter] = max(want, number) + 1
        front = number == 1 and not page.masthead
        out.append(replace(page, section=page.section or section.name, section_id=letter,
                           flag=(section.flag or section.name or f"{letter}疊") if front else ""))
    for section in sections:
        if section.id not in expected:
            ctx.error("SECTION-EMPTY", f"section {section.id} has no pages", section.loc,
                      f"add pages {section.id}01 … or remove the section")
    return out


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
                          items=tuple(items), colour=True, loc=page.loc,
                          composition=_composition(ctx, page.get("composition"), what)))
    # `pages: []` and a bare `pages:` (null) alike: an edition of no pages cannot be built.
    if isinstance(node, YSeq) and not node.items or isinstance(node, YScalar) and node.value is None:
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
    at = _at(ctx, item.get("at"), what, kind)
    size = _size(ctx, item.get("size"), what)
    base = (page_index, item_index)
    if kind == "teasers":
        refs: list[str] = []
        for ref_node in _list(ctx, value, f"{what} teasers"):
            ref, loc = _ref(ctx, ref_node, "a teaser story id")
            if ref is not None and ref in refs:  # a slip: the teaser would print twice
                ctx.warning("TEASER-DUPLICATE", f"{what}: the teasers name story {ref} twice; the second is left out",
                            loc or item.loc, "delete the second one, or name the story you meant")
                continue
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
    if kind in ("ad", "story", "table") and isinstance(value, YMap):
        # The whole item written in place (as a booking may write its ad): a page item names it.
        where = {"ad": "ads", "story": "stories", "table": "tables"}[kind]
        ctx.error("EDITION-TYPE", f"{what}: the {kind} must be named by its id here, not written out",
                  value.loc, f"define it under {where}: (e.g. {where}: {{my-{kind}: {{…}}}}) and write "
                  f"'{kind}: my-{kind}' on the page" + ("; an ad of its own may be written out in a booking "
                                                       "(bookings:, see docs/edition-format.md)"
                                                       if kind == "ad" else ""))
        return None
    ref, loc = _ref(ctx, value, f"{what}: the {kind} id")
    if ref is None:
        if value is None:
            ctx.error("EDITION-VALUE", f"{what}: '{kind}:' names no id", item.loc, f"{kind}: <id>")
        return None
    ctx.positions.refs[base + (0,)] = loc or item.loc
    return PageItem(kind=kind, ref=ref, at=at, size=size, loc=item.loc)


def _at(ctx: _Ctx, node: YNode | None, what: str, kind: str = "story") -> At | None:
    at = _map(ctx, node, f"the 'at' of {what}", AT_ALL_KEYS, AT_KEYS)
    if at is None or any(at.get(k) is None for k in AT_KEYS):
        return None
    values = [_int(ctx, at.get(k), f"'{k}' of {what}", 1, MAX_GRID) for k in AT_KEYS]
    if any(v is None for v in values):
        return None
    col, line, cols, lines = values
    notch = _notch(ctx, at.get("notch"), what, kind, cols, lines)
    return At(col, line, cols, lines, loc=at.loc, notch=notch)


def _notch(ctx: _Ctx, node: YNode | None, what: str, kind: str, cols: int, lines: int) -> Notch | None:
    """The corner cut out of a story module (`notch: {side: right, cols: 2, lines: 10}`): a
    rectangle at the module's bottom left or right, narrower and shallower than the module."""
    if node is None:
        return None
    where = f"the notch of {what}"
    if kind not in ("story", "continued"):
        ctx.error("EDITION-VALUE", f"{where}: only a story's module (story: or continued:) may have a notch",
                  node.loc, "leave out 'notch:', or place a story there")
        return None
    notch = _map(ctx, node, where, NOTCH_KEYS, NOTCH_KEYS)
    if notch is None or any(notch.get(k) is None for k in NOTCH_KEYS):
        return None
    side = _name(ctx, notch.get("side"), f"side of {where}", NOTCH_SIDES, "EDITION-VALUE", "")
    n_cols = _int(ctx, notch.get("cols"), f"'cols' of {where}", 1, MAX_GRID)
    n_lines = _int(ctx, notch.get("lines"), f"'lines' of {where}", 1, MAX_GRID)
    if not side or n_cols is None or n_lines is None:
        return None
    if n_cols >= cols or n_lines >= lines:
        big = "cols" if n_cols >= cols else "lines"
        ctx.error("EDITION-VALUE", f"{where} is {n_cols} × {n_lines}, but the module is {cols} × {lines}: "
                  "a notch must leave at least one full-depth column and the module's first line",
                  (notch.get(big) or notch).loc,
                  f"make the notch's {big} smaller than the module's {big} ({cols if big == 'cols' else lines}), "
                  "or drop the notch and make the module smaller")
        return None
    return Notch(side, n_cols, n_lines)


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
        else:  # reported by `make`; references to it are not "does not exist" as well
            ctx.positions.broken.add((one, item_id))
    return out


def _stories(ctx: _Ctx, node: YNode | None) -> dict[str, Story]:
    return _by_id(ctx, node, "stories", "story", "harbour-plan", "stories:\n      my-story:\n        headline: …", _story)


def _story(ctx: _Ctx, story_id: str, node: YNode, key_loc: Location) -> Story | None:
    what = f"story {story_id}"
    if isinstance(node, YScalar) and node.value is None:  # said once: not also "not a mapping"
        ctx.error("EDITION-MISSING-KEY", f"{what} is empty", key_loc, "give it at least a headline: and a body:")
        return None
    story = _map(ctx, node, what, STORY_KEYS, ("headline",), at=key_loc)
    if story is None:
        return None
    if _is_placeholder(story):
        # `layout new` leaves tomorrow's stories as places to fill: reported, not refused
        ctx.warning("STORY-EMPTY", f"{what} is still empty: no headline and no text", key_loc,
                    "fill in its headline: and body: (or remove it and its item)", story=story_id)
        jump, jump_loc = _ref(ctx, story.get("jump"), f"the jump of {what}")
        if jump is not None:
            ctx.positions.jumps[story_id] = jump_loc or story.loc
        return Story(id=story_id, headline="", jump=jump, loc=key_loc)
    deck_nodes = _text_items(ctx, story.get("decks"), f"{what} decks")
    ctx.diags.extend(flow_split_warnings(deck_nodes, f"the decks of {what}"))
    decks = tuple(_text(ctx, d, f"a deck of {what}") for d in deck_nodes)
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
        tables=_story_tables(ctx, story.get("tables"), what),
        composition=_composition(ctx, story.get("composition"), what),
        loc=key_loc,  # the `id:` line: where a person looks for the story
    )


def _story_tables(ctx: _Ctx, node: YNode | None, what: str) -> tuple[str, ...]:
    """Ids of the tables set inside a story (a single id is a list of one)."""
    ids = (_ref(ctx, n, f"a table of {what}")[0] for n in _text_items(ctx, node, f"the tables of {what}"))
    return tuple(i for i in ids if i)


def _is_placeholder(story: YMap) -> bool:
    """A story with nothing but empty `headline:` and `body:` (and perhaps its jump)."""
    def empty(key: str) -> bool:
        node = story.get(key)
        return node is None or (isinstance(node, YScalar) and (node.value is None or not str(node.value).strip()))
    return empty("headline") and empty("body") and set(story.names()) <= {"headline", "body", "jump"}


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
        paragraph = _paragraph(line, loc, ctx, story_id)
        if paragraph is not None:
            paragraphs.append(paragraph)
    return tuple(paragraphs)


def _paragraph(line: str, loc: Location, ctx: _Ctx | None = None, story_id: str | None = None) -> Paragraph | None:
    # str.strip() also removes U+3000: editors often type the 2-character indent themselves.
    lead = len(line) - len(line.lstrip())
    line = line.strip()
    if not line:
        return None
    kind = "body"
    if line.startswith("##"):
        # `## 小標題`; also `##小標題`, `### 小標題` and an empty `##`, as desks type them, which
        # would otherwise print the marks themselves
        heading = line.lstrip("#").strip()
        lead += len(line) - len(heading)
        line, kind = heading, "subhead"
        if not heading:
            return None
    # Inline styles (layout/text/inline.py, docs/edition-format.md): the markup never prints.
    text, spans, problems = parse_inline(line)
    for p in problems:
        if ctx is not None:
            column = lead + p.column + 1 if loc.line is not None else None
            ctx.error("TEXT-MARKUP", f"{p.message} (in the text of story {story_id})",
                      Location(loc.file, loc.line, column), p.hint, story=story_id)
    if not text.strip():
        return None
    return Paragraph(text, kind, loc, spans)


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
        for column, ch in enumerate(line if _MAYBE_BAD.search(line) else (), start=1):
            problem = _bad_char(ch)
            if problem:
                ctx.error(problem[0], f"{problem[1]} in the text of story {story_id}", Location(shown, number, column),
                          _BAD_CHAR_HINT, story=story_id)
                break
        paragraph = _paragraph(line, Location(shown, number, None), ctx, story_id)
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
    if isinstance(node, YScalar) and node.value is None:  # said once: not also "not a mapping"
        ctx.error("EDITION-MISSING-KEY", f"{what} is empty", key_loc, "give it a kind: (box, image or pdf)")
        return None
    ad = _map(ctx, node, what, AD_KEYS, ("kind",), at=key_loc)
    if ad is None:
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
    line_nodes = _text_items(ctx, ad.get("lines"), f"lines of {what}")
    ctx.diags.extend(flow_split_warnings(line_nodes, f"the lines of {what}"))
    lines = tuple(_text(ctx, n, f"a line of {what}") for n in line_nodes)
    return Ad(id=ad_id, kind=kind, file=path, title=_text(ctx, ad.get("title"), f"the title of {what}"),
              lines=lines, slogan=_text(ctx, ad.get("slogan"), f"the slogan of {what}"), colour=colour, loc=key_loc,
              colour_given=colour_node is not None)


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
