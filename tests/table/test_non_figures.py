"""Cells that are no figure ("no value": N/A, n.a., a dash) in a column of figures are set as a
non-figure: centred under the column's figures, never aligned on its decimal point. The dashes of
Chinese copy (the full-width hyphen －, the horizontal bar ―) and "not available" with points or in
another case (n.a., N.A.) were "not a number" (TABLE-CELL-TYPE, the edition refused)."""

from __future__ import annotations

from tablekit import lay_out, write_edition

from layout.frames import GlyphRun
from layout.table.cells import parse

FIGURES = ["11.52", "1,234.50", "3.07"]
BLANKS = ["N/A", "n/a", "NA", "-", "—", "n.a.", "N.A.", "－", "―", "N/a"]
TABLE = """
quotes:
  title: 收盤
  file: q.csv
  columns: {收盤: number}
"""


def test_not_available_and_dashes_are_no_value_in_every_figure_type():
    for kind in ("number", "percent", "change", "time"):
        for text in BLANKS:
            value = parse(kind, text)
            assert value is not None and value.blank and value.anchor is None and value.display == text, (kind, text)


def test_no_value_cells_are_centred_under_the_figures(kit, tmp_path):
    rows = [*FIGURES, *BLANKS]
    csv = "名稱,收盤\n" + "".join(f'行{n},"{text}"\n' for n, text in enumerate(rows))
    path = write_edition(tmp_path, TABLE, "- table: quotes\n  at: {col: 1, line: 1, cols: 2, lines: 30}",
                         files={"q.csv": csv})
    lay, diags = lay_out(kit, path)
    assert not [d for d in diags if d.code == "TABLE-CELL-TYPE"], [d.format() for d in diags]
    runs = {}
    for item in lay.pages[0].frame.items:
        if isinstance(item, GlyphRun) and item.source.kind == "table-cell":
            runs.setdefault(item.source.paragraph, []).append(item)
    cells = {r: max(rs, key=lambda run: run.glyphs[0].left) for r, rs in runs.items()}  # the figure column
    assert [cells[r].text for r in range(len(rows))] == rows  # printed as typed: nothing lost
    points = [next(g.x for g in cells[r].glyphs if g.text == ".") for r in range(len(FIGURES))]
    assert max(points) - min(points) < 0.01  # the figures on their decimal point
    block = (min(cells[r].glyphs[0].left for r in range(len(FIGURES))),
             max(cells[r].glyphs[-1].x + cells[r].glyphs[-1].advance for r in range(len(FIGURES))))
    for r in range(len(FIGURES), len(rows)):
        run = cells[r]
        mid = (run.glyphs[0].left + run.glyphs[-1].x + run.glyphs[-1].advance) / 2
        assert abs(mid - sum(block) / 2) < 0.05, (run.text, mid, block)
