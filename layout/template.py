"""Page templates as data files: trim, page counts, grid, styles, fonts, composition.

The two shipped templates (layout/templates/broadsheet.yaml, tabloid.yaml) and a paper's own
template file (`template: templates/chenbao.yaml` in an edition) are in one format, described by
layout/templates/template.schema.json. A template may `extends:` another (a shipped name or a
file) and give only what differs; an edition may override parts of it (`overrides: {template:
…, composition: …}`). Every layer is checked against the schema where it was written, so a bad
key is reported at its own file:line:column with a suggestion; what is still missing is checked
on the merged result."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from layout.color import BLACK, CMYK
from layout.diagnostics import Diagnostic, InputError, Location, Severity, did_you_mean
from layout.grid.grid import Grid
from layout.model.schemacheck import check_node, load_schema, node_at, partial
from layout.model.yamlpos import YMap, YNode, YScalar, YSeq, kind_name, parse_yaml, to_plain
from layout.text.style import CompositionStyle
from layout.units import mm

SHIPPED_DIR = Path(__file__).resolve().parent / "templates"
SCHEMA_PATH = SHIPPED_DIR / "template.schema.json"
TEMPLATE_NAMES = ("broadsheet", "tabloid")
TEMPLATE_SUFFIXES = (".yaml", ".yml")
MAX_EXTENDS = 8  # a chain longer than this is a loop the cycle check missed, or a mistake
MAX_TEMPLATE_BYTES = 1_000_000


@dataclass(frozen=True)
class TextStyle:
    font: str  # font role
    size: float  # pt
    colour: CMYK = BLACK
    # Display styles (kicker, deck, sub-head, teaser…): the smallest size step and most lines
    # allowed when fitting (layout/paginate/deck.py); None: the fitting code's defaults.
    min_size: float | None = None
    max_lines: int | None = None


@dataclass(frozen=True)
class HeadlineStyle:
    font: str
    sizes_by_cols: dict[int, float]
    min_size: float
    max_lines: int
    lead_factor: float = 1.25

    def size_for(self, cols: int) -> float:
        known = sorted(self.sizes_by_cols)
        best = max((c for c in known if c <= cols), default=known[0])
        return self.sizes_by_cols[best]


@dataclass(frozen=True)
class PageRule:
    """The page counts a template prints: from `min` to `max`, a multiple of `step` (a leaf has two
    sides); a count that is not a multiple of `sheet` (four pages on a folded sheet) is allowed
    but leaves a half sheet, so it is a warning."""

    min: int = 2
    max: int = 64
    step: int = 2
    sheet: int = 4
    default: int = 12

    def problems(self, count: int, what: str = "the edition", *, part: bool = False) -> list[tuple[Severity, str, str]]:
        """(severity, message, hint) for a page count. `part`: the count of one section, printed and
        folded on its own: whole leaves (and sheets) apply to it, the range only to the edition."""
        out = []
        if part:
            if count % self.step:
                out.append((Severity.ERROR, f"{what} has {count} page{'s' if count != 1 else ''}; each section is "
                            f"printed on its own, so its count must be a multiple of {self.step}",
                            f"add {self.step - count % self.step} page(s) to it"
                            + (f", or remove {count % self.step}" if count > self.step else "")))
            elif count % self.sheet:
                out.append((Severity.WARNING, f"{what} has {count} pages, not a multiple of {self.sheet}: the press "
                            f"runs a half sheet", f"{count + self.sheet - count % self.sheet} pages fill whole sheets"))
            return out
        if not self.min <= count <= self.max:
            out.append((Severity.ERROR, f"{what} has {count} page{'s' if count != 1 else ''}; the template prints "
                        f"{self.min} to {self.max}", f"plan between {self.min} and {self.max} pages"))
        elif count % self.step:
            lower = count - count % self.step
            options = [n for n in (lower, lower + self.step) if self.min <= n <= self.max]
            out.append((Severity.ERROR, f"{what} has {count} pages; the template prints multiples of {self.step}",
                        "add or remove pages to make " + " or ".join(map(str, options))))
        elif count % self.sheet:
            out.append((Severity.WARNING, f"{what} has {count} pages, not a multiple of {self.sheet}: the press "
                        f"runs a half sheet", f"{count + self.sheet - count % self.sheet} pages fill whole sheets"))
        return out


@dataclass(frozen=True)
class Template:
    name: str
    label: str
    trim_w: float  # pt
    trim_h: float  # pt
    pages: PageRule
    grid: Grid
    masthead_lines: int
    composition: CompositionStyle
    fonts: dict
    styles: dict[str, TextStyle]
    headline: HeadlineStyle
    asset_roots: tuple[str, ...] = ()
    rules: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)  # table styles by name, as given (layout/table/style.py)
    flag_lines: int = 6  # a section front's flag (the section's own head) over the first grid lines
    files: tuple[str, ...] = ()  # the template files read, base first (for messages and cache keys)
    ads: dict = field(default_factory=dict)  # ad planning rules, as given (layout/ads/plan.py AdRules)
    # The regional convention (issue 16): what each one changes, as given in the template file, and
    # the one applied (apply_convention). quotes: "corner" sets “”‘’ typed in the copy as 「」『』.
    conventions: dict = field(default_factory=dict)
    convention: str = "mainland"
    quotes: str = "as-typed"

    def style(self, name: str) -> TextStyle:
        return self.styles[name]


@dataclass(frozen=True)
class Layer:
    """One part of a template as written somewhere: a template file, or an edition's override.
    `prefix` says where in the template it goes (("composition",) for `overrides: {composition:}`)."""

    file: str
    node: YNode | None
    base_dir: Path | None = None
    prefix: tuple[str, ...] = ()
    what: str = "the template"  # how messages name it


def schema() -> dict:
    return load_schema(str(SCHEMA_PATH))


def composition_schema() -> dict:
    return schema()["$defs"]["composition"]


def is_template_file(ref: str) -> bool:
    return ref.lower().endswith(TEMPLATE_SUFFIXES)


def apply_composition(base: CompositionStyle, settings: dict | None) -> CompositionStyle:
    """A composition style with some settings changed (settings already checked by the schema)."""
    if not settings:
        return base
    known = {f.name for f in dataclasses.fields(CompositionStyle)}
    return dataclasses.replace(base, **{k: v for k, v in settings.items() if k in known})


def load_template(name: str = "broadsheet", overrides: dict | None = None, *, base_dir: Path | None = None,
                  where: Location | None = None, layers: tuple[Layer, ...] = ()) -> Template:
    """A shipped template by name, or a template file (relative to `base_dir`, the edition's folder),
    with its `extends:` chain, then `layers` (an edition's overrides, with their positions) and
    `overrides` (a plain mapping from the API) on top. Raises InputError with every problem found;
    `where` is the place that named the template (the edition's `template:` value)."""
    diags: list[Diagnostic] = []
    chain = _chain(name, base_dir or Path.cwd(), where, (), diags)
    extra = list(layers)
    if overrides:
        text = yaml.safe_dump(overrides, allow_unicode=True, sort_keys=False)
        node, parse_diags = parse_yaml(text, "<template overrides>")
        diags += parse_diags
        extra.append(Layer("<template overrides>", node, what="the template overrides"))
    for layer in extra:
        diags += _check_layer(layer)
    if any(d.severity is Severity.ERROR for d in diags) or not chain:
        raise InputError(diags)
    merged: dict = {}
    locs: dict[tuple, Location] = {}
    for layer in chain + extra:
        _merge_layer(merged, locs, layer)
    top = chain[-1]
    if not diags:
        diags += check_node(None, schema(), file=top.file, what="the template", plain=merged,
                            fallback=Location(top.file, 1, 1), doc="docs/edition-format.md (Templates)")
    if not diags:
        diags += _semantic(merged, locs, top)
    if any(d.severity is Severity.ERROR for d in diags):
        raise InputError(diags)
    return _build(merged, tuple(layer.file for layer in chain))


# ---------------------------------------------------------------------------------------------
# reading the chain


def _err(code: str, message: str, loc: Location | None, hint: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, location=loc or Location(), hint=hint)


def _unknown_hint(ref: str) -> str:
    guess = did_you_mean(ref, TEMPLATE_NAMES)
    return ((f"did you mean '{guess}'? " if guess else "") + "use " + " or ".join(TEMPLATE_NAMES)
            + ", or name a template file ending in .yaml, relative to the edition's folder")


def _chain(ref: str, base_dir: Path, where: Location | None, seen: tuple[Path, ...],
           diags: list[Diagnostic]) -> list[Layer]:
    if ref in TEMPLATE_NAMES:
        path = SHIPPED_DIR / f"{ref}.yaml"
        shown = f"layout/templates/{ref}.yaml"
    elif is_template_file(ref):
        path = (base_dir / ref).resolve()
        shown = str(base_dir / ref)
        if not path.is_file():
            # The folder by its full name: an edition named by a relative path has '.' for it.
            diags.append(_err("TEMPLATE-FILE", f"template file {ref} not found" + (" (is it a folder?)" if path.exists()
                              else f": there is no {path}"), where,
                              f"check the name; it is relative to the folder of the file that names it "
                              f"({base_dir.resolve()})"))
            return []
    else:
        diags.append(_err("TEMPLATE-UNKNOWN", f"unknown template '{ref}'", where, _unknown_hint(ref)))
        return []
    if path in seen:
        diags.append(_err("TEMPLATE-EXTENDS", f"template {ref} extends itself (through "
                          + " → ".join(p.name for p in seen) + ")", where, "remove the `extends:` that closes the loop"))
        return []
    if len(seen) >= MAX_EXTENDS:
        diags.append(_err("TEMPLATE-EXTENDS", f"more than {MAX_EXTENDS} templates extend one another", where,
                          "extend a shipped template directly"))
        return []
    try:
        data = path.read_bytes()
        if len(data) > MAX_TEMPLATE_BYTES:
            diags.append(_err("TEMPLATE-FILE", f"template file {ref} is {len(data)} bytes; is it the right file?",
                              where, "a template is a few kilobytes of YAML"))
            return []
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        diags.append(_err("TEMPLATE-FILE", f"cannot read template file {ref}: {reason}", where,
                          "check the file exists, can be read and is saved as UTF-8"))
        return []
    root, parse_diags = parse_yaml(text, shown)
    diags += parse_diags
    if root is None:
        if not parse_diags:
            diags.append(_err("TEMPLATE-FILE", f"template file {ref} is empty", Location(shown, 1, 1),
                              "start from layout/templates/broadsheet.yaml, or write `extends: broadsheet`"))
        return []
    if not isinstance(root, YMap):
        diags.append(_err("TEMPLATE-VALUE", f"a template must be a mapping of keys, not {kind_name(root)}", root.loc,
                          "see docs/edition-format.md (Templates)"))
        return []
    layer = Layer(shown, root, path.parent)
    diags += _check_layer(layer)
    parent: list[Layer] = []
    ext = root.get("extends")
    if isinstance(ext, YScalar) and isinstance(ext.value, str) and ext.value.strip():
        parent = _chain(ext.value.strip(), path.parent, ext.loc, seen + (path,), diags)
    return parent + [layer]


def _check_layer(layer: Layer) -> list[Diagnostic]:
    """The schema, without its required keys, at the layer's own positions."""
    sub: dict = partial(schema())
    for part in layer.prefix:
        sub = sub["properties"][part]
    what = layer.what
    if layer.node is None or (isinstance(layer.node, YScalar) and layer.node.value is None):
        return []
    return check_node(layer.node, sub, file=layer.file, what=what, root_schema=partial(schema()),
                      path_prefix=layer.prefix, doc="docs/edition-format.md (Templates)")


def _merge_layer(merged: dict, locs: dict[tuple, Location], layer: Layer) -> None:
    plain = to_plain(layer.node)
    if not isinstance(plain, dict):
        return
    if "fonts" in plain and layer.base_dir is not None and isinstance(plain["fonts"], dict):
        plain["fonts"] = _fonts_beside(plain["fonts"], layer.base_dir)
    target = merged
    for part in layer.prefix:
        target = target.setdefault(part, {})
    _deep_merge(target, plain)
    _record(locs, layer.node, layer.prefix)


def _fonts_beside(fonts: dict, base: Path) -> dict:
    """Font files named relative to a template file are found beside it; other names are the
    shipped fonts/ (resolved by the font catalog)."""
    out = {}
    for role, faces in fonts.items():
        fixed = []
        for face in faces if isinstance(faces, list) else []:
            if isinstance(face, dict) and isinstance(face.get("file"), str) and base != SHIPPED_DIR:
                candidate = base / face["file"]
                if not Path(face["file"]).is_absolute() and candidate.is_file():
                    face = {**face, "file": str(candidate.resolve())}
            fixed.append(face)
        out[role] = fixed
    return out


def _deep_merge(into: dict, layer: dict) -> None:
    for key, value in layer.items():
        if key == "extends":
            continue
        if isinstance(value, dict) and isinstance(into.get(key), dict) and key != "fonts":
            _deep_merge(into[key], value)
        elif isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key] = {**into[key], **value}  # fonts: a role's chain replaces the base's whole
        else:
            into[key] = value


def _record(locs: dict[tuple, Location], node: YNode | None, path: tuple) -> None:
    if node is None:
        return
    locs[path] = node.loc
    if isinstance(node, YMap):
        for key, value in node.entries:
            _record(locs, value, path + (key.text,))
    elif isinstance(node, YSeq):
        for n, value in enumerate(node.items):
            _record(locs, value, path + (n,))


# ---------------------------------------------------------------------------------------------
# checks across keys, on the merged template


def _semantic(data: dict, locs: dict[tuple, Location], top: Layer) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    fallback = Location(top.file, 1, 1)

    def at(*path) -> Location:
        while path and path not in locs:
            path = path[:-1]
        return locs.get(path, fallback)

    roles = sorted(data["fonts"])
    for name, st in data["styles"].items():
        font = st.get("font")
        if font is not None and font not in roles:
            guess = did_you_mean(font, roles)
            out.append(_err("TEMPLATE-VALUE", f"style {name} uses font role '{font}', which the template's fonts do "
                            "not define", at("styles", name, "font"),
                            (f"did you mean '{guess}'? " if guess else "") + "roles: " + ", ".join(roles)))
        if "colour" in st:
            try:
                CMYK.parse(st["colour"])
            except (ValueError, TypeError) as exc:
                out.append(_err("TEMPLATE-VALUE", f"the colour of style {name}: {exc}", at("styles", name, "colour"),
                                "a named colour (red, black, …) or [c, m, y, k] ink percentages"))
    g = data["grid"]
    body = data["styles"]["body"]
    if "size" in body and float(body["size"]) != float(g["body_size"]):
        out.append(_err("TEMPLATE-VALUE", f"the body style's size ({body['size']} pt) differs from the grid's body_size "
                        f"({g['body_size']} pt): the grid is made of body characters", at("styles", "body", "size"),
                        "leave out the body style's size (it follows grid.body_size), or set both alike"))
    trim_w, trim_h = data["trim_mm"]
    width_mm = (g["columns"] * g["column_chars"] + (g["columns"] - 1) * g["gutter_chars"]) * g["body_size"] / mm(1)
    if width_mm > trim_w:
        fit = int((mm(trim_w) / g["body_size"] + g["gutter_chars"]) // (g["column_chars"] + g["gutter_chars"]))
        out.append(_err("TEMPLATE-VALUE", f"the grid is {width_mm:.0f} mm wide ({g['columns']} columns of "
                        f"{g['column_chars']} characters of {g['body_size']} pt), wider than the trim ({trim_w} mm)",
                        at("grid", "columns"), f"at most {fit} such columns fit; or make the columns narrower"))
    depth_mm = g["top_mm"] + g["lines"] * g["pitch"] / mm(1)
    if depth_mm > trim_h:
        fit = int((mm(trim_h) - mm(g["top_mm"])) // g["pitch"])
        out.append(_err("TEMPLATE-VALUE", f"the grid ends {depth_mm:.0f} mm below the trim top, below the trim "
                        f"({trim_h} mm)", at("grid", "lines"), f"at most {fit} lines of {g['pitch']} pt fit"))
    if g["pitch"] < g["body_size"]:
        out.append(_err("TEMPLATE-VALUE", f"the line pitch ({g['pitch']} pt) is less than the body size "
                        f"({g['body_size']} pt): lines would overlap", at("grid", "pitch"),
                        "a pitch of about 1.5 × the body size is usual"))
    for key in ("masthead_lines", "flag_lines"):
        if data.get(key, 0) >= g["lines"]:
            out.append(_err("TEMPLATE-VALUE", f"{key} ({data[key]}) leaves no grid lines of {g['lines']}", at(key),
                            "a masthead takes about a tenth of the page"))
    rule = PageRule(**data.get("pages", {})) if isinstance(data.get("pages"), dict) else PageRule()
    if rule.min > rule.max:
        out.append(_err("TEMPLATE-VALUE", f"pages: min ({rule.min}) is more than max ({rule.max})", at("pages", "min"),
                        "swap them"))
    elif rule.problems(rule.default, "the default page plan") and any(
            s is Severity.ERROR for s, _, _ in rule.problems(rule.default)):
        out.append(_err("TEMPLATE-VALUE", f"pages: default ({rule.default}) is not a count the template prints",
                        at("pages", "default"), f"a multiple of {rule.step} from {rule.min} to {rule.max}"))
    head = data["styles"]["headline"]
    if head["min_size"] > min(head["sizes_by_cols"].values()):
        out.append(_err("TEMPLATE-VALUE", "the headline's min_size is larger than its smallest size",
                        at("styles", "headline", "min_size"), "min_size is the smallest a headline may shrink to"))
    return out


def apply_convention(template: Template, name: str) -> Template:
    """The template as the edition's convention sets it: composition settings (punctuation style,
    kinsoku level, CNS or GB mark widths), faces by role, default quotes. A convention the template
    does not list changes nothing but its name (the loader only accepts the known names)."""
    from dataclasses import replace

    conv = template.conventions.get(name) or {}
    comp = replace(template.composition, **conv.get("composition", {}))
    fonts = {**template.fonts, **conv.get("fonts", {})}
    return replace(template, composition=comp, fonts=fonts, convention=name,
                   quotes=conv.get("quotes", template.quotes))


def _text_style(data: dict) -> TextStyle:
    colour = CMYK.parse(data["colour"]) if "colour" in data else BLACK
    low = data.get("min_size")
    return TextStyle(font=data["font"], size=float(data["size"]), colour=colour,
                     min_size=None if low is None else min(float(low), float(data["size"])),
                     max_lines=int(data["max_lines"]) if "max_lines" in data else None)


def _build(data: dict, files: tuple[str, ...]) -> Template:
    trim_w, trim_h = (mm(v) for v in data["trim_mm"])
    g = data["grid"]
    size = float(g["body_size"])
    col_w = g["column_chars"] * size
    gut = g["gutter_chars"] * size
    width = g["columns"] * col_w + (g["columns"] - 1) * gut
    grid = Grid(
        columns=g["columns"],
        column_chars=g["column_chars"],
        gutter_chars=g["gutter_chars"],
        body_size=size,
        pitch=float(g["pitch"]),
        lines=g["lines"],
        left=(trim_w - width) / 2,  # the type area is centred on the trim
        top=mm(g["top_mm"]),
    )
    body = {**data["styles"]["body"], "size": size}  # body type is what the grid is made of
    styles = {k: _text_style(body if k == "body" else v) for k, v in data["styles"].items()
              if k not in ("headline", "lead_headline")}
    if "flag" not in styles:  # a section front's flag: the masthead's face, smaller
        m = styles["masthead"]
        styles["flag"] = TextStyle(m.font, round(m.size * 0.6, 1), m.colour)
    h = data["styles"]["headline"]
    headline = HeadlineStyle(
        font=h["font"],
        sizes_by_cols={int(k): float(v) for k, v in h["sizes_by_cols"].items()},
        min_size=float(h["min_size"]),
        max_lines=int(h["max_lines"]),
        lead_factor=float(data["styles"].get("lead_headline", {}).get("size_factor", 1.0)),
    )
    return Template(
        name=data["name"],
        label=data.get("label", data["name"]),
        trim_w=trim_w,
        trim_h=trim_h,
        pages=PageRule(**data.get("pages", {})),
        grid=grid,
        masthead_lines=int(data.get("masthead_lines", 0)),
        composition=CompositionStyle(**data.get("composition", {})),
        fonts=data["fonts"],
        styles=styles,
        headline=headline,
        asset_roots=tuple(data.get("asset_roots", ())),
        rules=data.get("rules", {}),
        tables=data.get("tables") or {},
        flag_lines=int(data.get("flag_lines", min(6, int(data.get("masthead_lines", 0)) or 6))),
        files=files,
        ads=data.get("ads") or {},
        conventions=data.get("conventions") or {},
    )


def edition_layers(file: str, overrides: YNode | None) -> tuple[Layer, ...]:
    """The template layers an edition's `overrides:` carries: `template:` and `composition:`."""
    layers = []
    tmpl = node_at(overrides, ["template"])
    if tmpl is not None:
        layers.append(Layer(file, tmpl, what="overrides.template"))
    comp = node_at(overrides, ["composition"])
    if comp is not None:
        layers.append(Layer(file, comp, prefix=("composition",), what="overrides"))
    return tuple(layers)
