"""A table as plain, immutable data: columns with their type and width rule, rows of cells, each
cell keeping where it was typed (YAML line or CSV file:line) for its diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from layout.diagnostics import Location

COLUMN_TYPES = ("text", "number", "percent", "change", "date", "time")
WIDTH_KINDS = ("fit", "share", "em")
ALIGNS = ("left", "right", "centre", "decimal")
SIGN_STYLES = ("plusminus", "arrows", "as-written")
SIGN_COLOURS = ("red-up", "green-up", "none")  # red-up: 紅漲綠跌, the mainland and Hong Kong convention


@dataclass(frozen=True)
class Width:
    """How wide a column is: `fit` (its widest cell), `em` (a fixed number of ems of the table's
    body size) or `share` (a weighted share of what the other columns leave)."""

    kind: str = "fit"
    value: float = 0.0  # ems for `em`, the weight for `share`


@dataclass(frozen=True)
class Column:
    name: str  # the header text
    type: str = "text"
    width: Width = field(default_factory=Width)
    align: str | None = None  # None: by type (text left, figures on the decimal point, dates right)
    declared: bool = False  # typed in `columns:` (else inferred from its cells)
    loc: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Cell:
    text: str
    loc: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    group_start: bool = False  # an empty row before it in the data: a rule between groups
    loc: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Table:
    id: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    title: str = ""
    source: str = ""  # the source line (來源：…), set at the foot
    notes: tuple[str, ...] = ()  # notes (註：…), set at the foot above the source line
    file: Path | None = None  # the CSV/TSV file the rows came from, if any
    style: str = "default"  # a table style of the template
    signs: str = "plusminus"
    sign_colours: str = "red-up"
    tint: bool = False  # a light tint on alternate rows
    row_rules: bool = False  # hairlines between all rows
    group_every: int | None = None  # a rule after every n rows (quote tables: 5)
    across: int | None = None  # columns of the module the table is set in; None: as few as fit
    jump: str | None = None  # page where the rows that do not fit continue (placed there a second time)
    loc: Location = field(default_factory=Location, compare=False)

    @property
    def chars(self) -> int:
        """Characters of the table's cells (header included), not counting spaces: for copyfit."""
        texts = [c.name for c in self.columns] + [c.text for r in self.rows for c in r.cells]
        return sum(1 for t in texts for ch in t if not ch.isspace())
