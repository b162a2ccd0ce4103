"""Grid arithmetic in one place. Body type sets the grid: a column is `column_chars` characters of
body type, gutters are whole characters, and every body line sits on the baseline grid."""

from __future__ import annotations

import math
from dataclasses import dataclass

# The CJK ideographic em box spans 0.88 em above the baseline and 0.12 em below it; a body line is
# centred vertically in its grid line.
IDEO_ASCENT = 0.88


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def x1(self) -> float:
        return self.x + self.w

    @property
    def y1(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Rect, eps: float = 0.01) -> bool:
        return (
            self.x < other.x1 - eps
            and other.x < self.x1 - eps
            and self.y < other.y1 - eps
            and other.y < self.y1 - eps
        )

    def contains(self, other: Rect, eps: float = 0.01) -> bool:
        return (
            other.x >= self.x - eps
            and other.y >= self.y - eps
            and other.x1 <= self.x1 + eps
            and other.y1 <= self.y1 + eps
        )


@dataclass(frozen=True)
class Grid:
    columns: int
    column_chars: int
    gutter_chars: int
    body_size: float  # pt
    pitch: float  # pt, baseline to baseline
    lines: int
    left: float  # pt from the trim's left edge to column 1
    top: float  # pt from the trim's top edge to the top of grid line 1

    @property
    def column_width(self) -> float:
        return self.column_chars * self.body_size

    @property
    def gutter(self) -> float:
        return self.gutter_chars * self.body_size

    @property
    def width(self) -> float:
        return self.span_width(self.columns)

    @property
    def height(self) -> float:
        return self.lines * self.pitch

    def chars_across(self, cols: int) -> int:
        """Characters of body type across a module `cols` columns wide: 13n + (n - 1) on a broadsheet."""
        return cols * self.column_chars + (cols - 1) * self.gutter_chars

    def span_width(self, cols: int) -> float:
        return self.chars_across(cols) * self.body_size

    def col_x(self, col: int) -> float:
        """Left edge of column `col` (1-based), pt from the trim's left edge."""
        return self.left + (col - 1) * (self.column_width + self.gutter)

    def line_top(self, line: int) -> float:
        """Top of grid line `line` (1-based)."""
        return self.top + (line - 1) * self.pitch

    def baseline(self, line: int, size: float | None = None) -> float:
        """Baseline of grid line `line` for type of `size` (body size by default)."""
        size = self.body_size if size is None else size
        return self.line_top(line) + (self.pitch - size) / 2 + IDEO_ASCENT * size

    def rect(self, col: int, line: int, cols: int, lines: int) -> Rect:
        return Rect(self.col_x(col), self.line_top(line), self.span_width(cols), lines * self.pitch)

    def lines_for(self, height: float) -> int:
        """Whole grid lines needed for `height` pt (anything that interrupts a column takes whole lines)."""
        return max(1, math.ceil(height / self.pitch - 1e-6))

    def split(self, cols: int, k: int) -> tuple[int, float]:
        """破欄: set an n-column module in k columns. Returns (characters per column, gutter in pt).

        Each new column holds floor((width - (k - 1)) / k) characters so that the measure stays a whole
        number of em (R39); what remains is shared out among the k - 1 gutters, which grow beyond one
        character. With k == 1 the whole width is one column."""
        width_chars = self.chars_across(cols)
        if k < 1 or k > width_chars:
            raise ValueError(f"cannot split {cols} columns into {k}")
        if k == 1:
            return width_chars, 0.0
        per = (width_chars - (k - 1) * self.gutter_chars) // k
        spare = width_chars - per * k
        return per, spare * self.body_size / (k - 1)
