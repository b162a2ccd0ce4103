"""YAML with positions: a small tree of mappings, sequences and scalars, each carrying the
file:line:column it came from, so the loader can point at the offending node.

PyYAML's `compose` gives nodes with marks; we convert them once into our own frozen nodes,
resolving scalars with the safe constructor and reporting what plain `yaml.safe_load` hides:
duplicate mapping keys (it keeps the last silently), unsupported tags, recursive aliases and
alias bombs. Nothing here raises for bad input; problems come back as diagnostics.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import yaml

from layout.diagnostics import Diagnostic, Location, Severity

# The C parser is several times faster; both give the same nodes and marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64  # an edition is ~7 levels deep; deeper input is a mistake or an attack
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAG = _STD + "map"
_SEQ_TAG = _STD + "seq"
_MERGE_TAG = _STD + "merge"


@dataclass(frozen=True)
class YScalar:
    value: object  # str, int, float, bool, None, date or datetime
    raw: str  # the scalar's text as written (without quotes)
    loc: Location
    style: str | None = None  # None plain, "'" '"' "|" ">"

    @property
    def text(self) -> str:
        """The value as text: the raw form for plain numbers, dates and booleans (an id `101` or
        a section `yes` means what was typed)."""
        return self.value if isinstance(self.value, str) else self.raw


@dataclass(frozen=True)
class YSeq:
    items: tuple[YNode, ...]
    loc: Location


@dataclass(frozen=True)
class YMap:
    entries: tuple[tuple[YScalar, YNode], ...]  # in file order, duplicates already reported
    loc: Location
    _index: dict[str, YNode] = field(default_factory=dict, compare=False, repr=False)

    def get(self, key: str) -> YNode | None:
        return self._index.get(key)

    def key_node(self, key: str) -> YScalar | None:
        return next((k for k, _ in self.entries if k.text == key), None)

    def names(self) -> list[str]:
        return [k.text for k, _ in self.entries]


YNode = YScalar | YSeq | YMap


def kind_name(node: YNode | None) -> str:
    """How a node reads to a person, for "expected X, found Y" messages."""
    if node is None:
        return "nothing"
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    value = node.value
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"a boolean ({node.raw})"
    if isinstance(value, int):
        return f"a number ({node.raw})"
    if isinstance(value, float):
        return f"a number ({node.raw})"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({node.raw})"
    return f"text ({_short(value)!r})"


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_plain(node: YNode | None, budget: list[int] | None = None) -> object:
    """Plain Python values (dict/list/scalars) for parts passed on as given (fonts, overrides).
    `budget` bounds the work for shared (aliased) subtrees: it goes negative when exceeded."""
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0 or node is None:
        return None
    if isinstance(node, YMap):
        return {k.text: to_plain(v, budget) for k, v in node.entries}
    if isinstance(node, YSeq):
        return [to_plain(v, budget) for v in node.items]
    return node.value


def _loc(file: str, mark) -> Location:
    if mark is None:
        return Location(file)
    return Location(file, mark.line + 1, mark.column + 1)


def position_of(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _error(code: str, message: str, loc: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, location=loc, hint=hint)


def parse_yaml(text: str, file: str, *, pure: bool = False) -> tuple[YNode | None, list[Diagnostic]]:
    """Parse one YAML document. Returns the tree (None if it could not be parsed or is empty)
    and the problems found. `pure` uses PyYAML's Python parser instead of libyaml."""
    diags: list[Diagnostic] = []
    loader = yaml.SafeLoader if pure else _Loader
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{what} ({exc.context}"
            if exc.context_mark is not None and exc.context_mark is not mark:
                what += f" at line {exc.context_mark.line + 1}"
            what += ")"
        if "nesting depth" in what:  # newer libyaml builds stop deep nesting themselves
            diags.append(_error("YAML-LIMIT", "the YAML is nested too deeply to read", _loc(file, mark),
                                "an edition is a few levels deep"))
        else:
            diags.append(_error("YAML-SYNTAX", f"YAML syntax error: {what}", _loc(file, mark),
                                _syntax_hint(exc, _char_at(text, mark))))
        return None, diags
    except yaml.reader.ReaderError as exc:
        index = exc.position
        if loader is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes here (its marks count characters)
            index = len(text.encode("utf-8")[:index].decode("utf-8", errors="ignore"))
        line, column = position_of(text, index)
        diags.append(
            _error(
                "TEXT-CONTROL-CHAR",
                f"character U+{exc.character:04X} is not allowed in YAML",
                Location(file, line, column),
                "delete it; it is usually left over from copying text out of another program",
            )
        )
        return None, diags
    except yaml.YAMLError as exc:  # anything else the parser reports, without a mark
        diags.append(_error("YAML-SYNTAX", f"YAML syntax error: {exc}", Location(file)))
        return None, diags
    except RecursionError:
        diags.append(
            _error("YAML-LIMIT", "the YAML is nested too deeply to read", Location(file), "an edition is a few levels deep")
        )
        return None, diags
    if root is None:
        return None, diags
    converter = _Converter(file, diags)
    try:
        tree = converter.convert(root, 0)
    except RecursionError:
        diags.append(_error("YAML-LIMIT", "the YAML is nested too deeply to read", _loc(file, root.start_mark)))
        return None, diags
    return tree, diags


def _char_at(text: str, mark) -> str:
    """The character where the parser stopped ('' at the end or without a mark)."""
    if mark is None or not 0 <= mark.index < len(text):
        return ""
    return text[mark.index]


def _syntax_hint(exc: yaml.MarkedYAMLError, char: str = "") -> str:
    problem = (exc.problem or "").lower()
    # libyaml does not name the character it stopped at (PyYAML's parser does): look at it.
    if "\\t" in problem or "tab" in problem or char == "\t":
        return "YAML indents with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"a: b\"; or check the indentation"
    if "could not find expected ':'" in problem or "expected ':'" in problem:
        return "check the indentation and that every key ends with ':'"
    if "found character" in problem and "cannot start any token" in problem:
        return "quote the value, e.g. headline: \"...\""
    if "unicode character escape" in problem:
        return "\\uD800–\\uDFFF are halves of a surrogate pair, not characters; type the character itself"
    if "quoted scalar" in problem or "found unexpected end of stream" in problem:
        return "a quoted value is missing its closing quote"
    return "check the indentation and quotes around this line"


class _Converter:
    """Compose nodes → our nodes. Shared (aliased) nodes are converted once (memo) so an alias
    bomb costs linear time; a node that contains itself is reported."""

    def __init__(self, file: str, diags: list[Diagnostic]):
        self.file = file
        self.diags = diags
        self.constructor = yaml.constructor.SafeConstructor()
        self.memo: dict[int, YNode] = {}
        self.active: set[int] = set()
        self.count = 0

    def convert(self, node: yaml.Node, depth: int) -> YNode:
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        loc = _loc(self.file, node.start_mark)
        if key in self.active:
            self.diags.append(_error("YAML-LIMIT", "an alias refers to the node that contains it", loc))
            return YScalar(None, "", loc)
        self.count += 1
        if depth > MAX_DEPTH or self.count > MAX_NODES:
            if self.count == MAX_NODES + 1 or depth == MAX_DEPTH + 1:
                self.diags.append(
                    _error("YAML-LIMIT", "the YAML is too deeply nested or too large", loc,
                           "an edition is a few levels deep and a few thousand values")
                )
            return YScalar(None, "", loc)
        self.active.add(key)
        try:
            if isinstance(node, yaml.ScalarNode):
                result: YNode = self._scalar(node, loc)
            elif isinstance(node, yaml.SequenceNode):
                self._check_tag(node.tag, _SEQ_TAG, loc)
                result = YSeq(tuple(self.convert(n, depth + 1) for n in node.value), loc)
            else:
                self._check_tag(node.tag, _MAP_TAG, loc)
                result = self._mapping(node, loc, depth)
        finally:
            self.active.discard(key)
        self.memo[key] = result
        return result

    def _check_tag(self, tag: str, expected: str, loc: Location) -> None:
        if tag != expected:
            self.diags.append(
                _error("YAML-TAG", f"unsupported YAML tag {tag}", loc, "remove the tag; the edition uses plain YAML")
            )

    def _scalar(self, node: yaml.ScalarNode, loc: Location) -> YScalar:
        if node.tag not in _SCALAR_TAGS:
            self.diags.append(
                _error("YAML-TAG", f"unsupported YAML tag {node.tag}", loc, "remove the tag; the edition uses plain YAML")
            )
            return YScalar(node.value, node.value, loc, node.style)
        try:
            value = self.constructor.construct_object(node)
        except Exception as exc:  # noqa: BLE001 - any constructor failure is bad input (e.g. 2026-02-30)
            what = "date" if node.tag.endswith("timestamp") else "value"
            self.diags.append(
                _error(
                    "EDITION-DATE" if what == "date" else "EDITION-VALUE",
                    f"invalid {what} {node.value!r}: {exc}",
                    loc,
                    "a date is written YYYY-MM-DD, e.g. 2026-03-04" if what == "date" else None,
                )
            )
            return YScalar(None, node.value, loc, node.style)
        if isinstance(value, float) and not math.isfinite(value):
            self.diags.append(_error("EDITION-VALUE", f"{node.value!r} is not a usable number", loc))
            value = None
        return YScalar(value, node.value, loc, node.style)

    def _mapping(self, node: yaml.MappingNode, loc: Location, depth: int) -> YMap:
        entries: list[tuple[YScalar, YNode]] = []
        index: dict[str, YNode] = {}
        first: dict[str, YScalar] = {}
        merged: list[tuple[YScalar, YNode]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self._merge_source(value_node, depth))
                continue
            key = self.convert(key_node, depth + 1)
            value = self.convert(value_node, depth + 1)
            if not isinstance(key, YScalar):
                self.diags.append(
                    _error("EDITION-TYPE", "a key must be a plain name, not a list or mapping", key.loc)
                )
                continue
            name = key.text
            if name in first:
                prev = first[name].loc
                self.diags.append(
                    _error(
                        "YAML-DUPLICATE-KEY",
                        f"duplicate key {name!r}: it is already at line {prev.line}",
                        key.loc,
                        f"remove one of the two, or rename this one (first at {prev})",
                    )
                )
                continue
            first[name] = key
            entries.append((key, value))
            index[name] = value
        # `<<: *base` merges: explicit keys win, as in YAML 1.1.
        for key, value in merged:
            if key.text not in index:
                entries.append((key, value))
                index[key.text] = value
        return YMap(tuple(entries), loc, index)

    def _merge_source(self, value_node: yaml.Node, depth: int) -> list[tuple[YScalar, YNode]]:
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        out: list[tuple[YScalar, YNode]] = []
        for src in sources:
            converted = self.convert(src, depth + 1)
            if isinstance(converted, YMap):
                out.extend(converted.entries)
            else:
                self.diags.append(
                    _error("EDITION-TYPE", "'<<' merges a mapping (an anchor like *base)", converted.loc)
                )
        return out
