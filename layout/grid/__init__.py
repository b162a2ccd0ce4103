"""The page grid (版心): columns, gutters and the baseline grid; modules in grid units."""

from layout.grid.grid import Grid, Rect  # noqa: F401
