"""Table styles: the template's `tables:` block, one named style per kind of table (quotes,
results, listings), each taking what it does not say from the template's `default` style, and that
from the defaults below."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from layout.color import CMYK

MIN_SIZE = 6.0  # pt: nothing under 6 pt anywhere (print-spec)


@dataclass(frozen=True)
class TableStyle:
    name: str = "default"
    body_font: str = "body"  # font role of the cells
    head_font: str = "sans"  # the header row
    title_font: str = "sans"
    note_font: str = "body"  # notes and the source line
    sizes: tuple[float, ...] = (8.0, 7.5, 7.0, 6.5, 6.0)  # body size steps, largest first: a table too
    # wide for its module is set one step smaller, down to the last
    title_size: float = 10.5
    note_size: float = 7.0
    leading: float = 1.5  # row pitch as a multiple of the body size
    gap: float = 1.0  # ems between columns
    tint: CMYK = CMYK(0, 0, 0, 10)  # alternate rows, when the table asks for it
    up: CMYK = CMYK(0, 100, 100, 0)  # rises (red in the red-up convention)
    down: CMYK = CMYK(100, 0, 100, 0)  # falls (green)
    rule_top: float = 1.0  # pt: above the header
    rule_head: float = 0.5  # below the header
    rule_group: float = 0.25  # between groups of rows
    rule_row: float = 0.25  # between rows, when the table asks for row rules
    rule_bottom: float = 0.5  # under the last row of each column


_COLOURS = ("tint", "up", "down")


def style_from(name: str, data: dict, base: TableStyle) -> TableStyle:
    """`data` (one style of the template) over `base`. A template is the engine's own data: a bad
    value there is a bug in the template, raised as ValueError with the style's name."""
    known = {f.name for f in fields(TableStyle)} - {"name"}
    values: dict = {"name": name}
    for key, value in (data or {}).items():
        if key not in known:
            raise ValueError(f"table style {name!r}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
        if key in _COLOURS:
            value = CMYK.parse(value)
        elif key == "sizes":
            value = tuple(sorted((float(v) for v in value), reverse=True))
            if not value or value[-1] < MIN_SIZE:
                raise ValueError(f"table style {name!r}: sizes must be given and at least {MIN_SIZE:g} pt")
        elif key in ("title_size", "note_size") and float(value) < MIN_SIZE:
            raise ValueError(f"table style {name!r}: {key} under {MIN_SIZE:g} pt")
        elif not key.endswith("_font"):
            value = float(value)
        values[key] = value
    return replace(base, **values)


def table_style(template_tables: dict, name: str) -> TableStyle | None:
    """The named style of the template (None when it has no such style); `default` always exists."""
    base = style_from("default", template_tables.get("default") or {}, TableStyle())
    if name == "default":
        return base
    if name not in template_tables:
        return None
    return style_from(name, template_tables[name] or {}, base)
