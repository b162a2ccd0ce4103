"""Page templates (broadsheet, tabloid) as data files: trim, grid, styles, fonts, composition."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from layout.color import BLACK, CMYK
from layout.grid.grid import Grid
from layout.text.style import CompositionStyle
from layout.units import mm

TEMPLATE_NAMES = ("broadsheet", "tabloid")


@dataclass(frozen=True)
class TextStyle:
    font: str  # font role
    size: float  # pt
    colour: CMYK = BLACK
    # pt the text may shrink to, in steps, to fit its box (box ads, teasers); None: set at `size` only
    min_size: float | None = None


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
class Template:
    name: str
    label: str
    trim_w: float  # pt
    trim_h: float  # pt
    pages: int
    grid: Grid
    masthead_lines: int
    composition: CompositionStyle
    fonts: dict
    styles: dict[str, TextStyle]
    headline: HeadlineStyle
    asset_roots: tuple[str, ...] = ()
    rules: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)  # table styles by name, as given (layout/table/style.py)
    # The regional convention (issue 16): what each one changes, as given in the template file, and
    # the one applied (apply_convention). quotes: "corner" sets “”‘’ typed in the copy as 「」『』.
    conventions: dict = field(default_factory=dict)
    convention: str = "mainland"
    quotes: str = "as-typed"

    def style(self, name: str) -> TextStyle:
        return self.styles[name]


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
                     min_size=None if low is None else min(float(low), float(data["size"])))


def load_template(name: str, overrides: dict | None = None) -> Template:
    """Load a packaged template by name (or a template file by path)."""
    if name in TEMPLATE_NAMES:
        text = resources.files("layout.templates").joinpath(f"{name}.yaml").read_text("utf-8")
    else:
        text = Path(name).read_text("utf-8")
    data = yaml.safe_load(text)
    for key, value in (overrides or {}).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
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
    styles = {k: _text_style(v) for k, v in data["styles"].items() if k not in ("headline", "lead_headline")}
    h = data["styles"]["headline"]
    headline = HeadlineStyle(
        font=h["font"],
        sizes_by_cols={int(k): float(v) for k, v in h["sizes_by_cols"].items()},
        min_size=float(h["min_size"]),
        max_lines=int(h["max_lines"]),
        lead_factor=float(data["styles"].get("lead_headline", {}).get("size_factor", 1.0)),
    )
    comp = data.get("composition", {})
    return Template(
        name=data["name"],
        label=data.get("label", data["name"]),
        trim_w=trim_w,
        trim_h=trim_h,
        pages=int(data["pages"]),
        grid=grid,
        masthead_lines=int(data.get("masthead_lines", 0)),
        composition=CompositionStyle(**comp),
        fonts=data["fonts"],
        styles=styles,
        headline=headline,
        asset_roots=tuple(data.get("asset_roots", ())),
        rules=data.get("rules", {}),
        tables=data.get("tables") or {},
        conventions=data.get("conventions") or {},
    )
