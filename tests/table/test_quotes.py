"""A 40-row stock table (name, code, close, change, change %) in a module two columns deep enough
for half of it: it runs into the second column with the header repeated, its figures are aligned
on the decimal point (checked on the PageFrame's glyph positions), and signs and colours are right
on a colour page and on a mono page."""

from __future__ import annotations

import random

import pytest
from tablekit import lay_out, write_edition

from layout.color import BLACK, CMYK
from layout.frames import Box, GlyphRun
from layout.table.setting import _within
from layout.table.style import TableStyle

ROWS = 40


def quotes_csv(seed: int = 7) -> tuple[str, list[tuple[str, str, str, str, str]]]:
    rnd = random.Random(seed)
    rows = []
    for n in range(ROWS):
        close = rnd.choice([rnd.uniform(2, 30), rnd.uniform(30, 300), rnd.uniform(1000, 3000)])
        change = rnd.choice([0.0, rnd.uniform(-3, 3)])
        name = rnd.choice(["平安銀行", "萬科A", "中國石化", "招商銀行", "TCL科技", "比亞迪", "貴州茅台", "京東方A"])
        rows.append((f"{name}{n}", f"{600000 + n * 7}", f"{close:,.2f}", f"{change:+.2f}", f"{change / close * 100:+.2f}%"))
    lines = ["名稱,代碼,收盤,漲跌,漲跌幅"] + [",".join(f'"{c}"' if "," in c else c for c in r) for r in rows]
    return "\n".join(lines) + "\n", rows


TABLE = """
quotes:
  title: 滬深股市收盤行情
  source: 來源：上海、深圳證券交易所
  notes: [註：收盤價單位為元。]
  file: quotes.csv
  columns: {{代碼: text}}
  group_every: 5
  signs: {signs}
"""


@pytest.fixture(scope="module", params=["plusminus", "arrows"])
def quotes(request, kit, tmp_path_factory):
    csv, rows = quotes_csv()
    folder = tmp_path_factory.mktemp("quotes")
    path = write_edition(folder, TABLE.format(signs=request.param),
                         "- table: quotes\n  at: {col: 1, line: 1, cols: 4, lines: 30}", files={"quotes.csv": csv})
    lay, diags = lay_out(kit, path)
    return request.param, rows, lay, diags


def cell_runs(frame):
    """{row: [runs of its cells, left to right]}; every cell here is one face, so one run."""
    out: dict[int, list[GlyphRun]] = {}
    for item in frame.items:
        if isinstance(item, GlyphRun) and item.source.kind == "table-cell":
            out.setdefault(item.source.paragraph, []).append(item)
    return {r: sorted(runs, key=lambda run: run.glyphs[0].left) for r, runs in out.items()}


def test_forty_rows_run_into_the_second_column_with_the_header_repeated(quotes):
    _, rows, lay, diags = quotes
    assert not [d for d in diags if d.severity == "error"], [d.format() for d in diags]
    page = lay.pages[0]
    result = page.tables[0]
    assert (result.rows, result.rows_set, result.across, result.status) == (ROWS, ROWS, 2, "fits")
    heads = [r for r in page.frame.items if isinstance(r, GlyphRun) and r.source.kind == "table-head"]
    assert [r.text for r in heads] == ["名稱", "代碼", "收盤", "漲跌", "漲跌幅"] * 2
    module = next(m for m in page.frame.modules if m.kind == "table")
    second = module.x + (module.w + 9.0) / 2  # the second column starts after half the width and a gutter
    assert abs(heads[5].glyphs[0].left - second) < 0.01
    runs = cell_runs(page.frame)
    assert sorted(runs) == list(range(ROWS))
    # Rows in order down the first column, then down the second; both columns end level.
    first = [r for r in range(ROWS) if runs[r][0].glyphs[0].left < second - 1]
    assert first == list(range(ROWS // 2))
    ys = [runs[r][0].glyphs[0].y for r in range(ROWS)]
    assert ys[:20] == sorted(ys[:20]) and ys[20:] == sorted(ys[20:])
    assert abs(ys[19] - ys[39]) < 0.01 and abs(ys[0] - ys[20]) < 0.01
    # Every character of every cell is on the page.
    for r, row in enumerate(rows):
        texts = [run.text for run in runs[r]]
        assert texts[0].replace(" ", "") == row[0] and texts[1] == row[1] and texts[2] == row[2]


def test_figures_are_aligned_on_the_decimal_point(quotes):
    _, _, lay, _ = quotes
    runs = cell_runs(lay.pages[0].frame)
    for half in (range(0, 20), range(20, 40)):
        for col in (2, 3, 4):  # close, change, change %
            points = [next(g.x for g in runs[r][col].glyphs if g.text == ".") for r in half]
            assert max(points) - min(points) < 0.01, (col, points)
            # tabular figures: the digit before the point is in the same slot in every row
            slots = [[g.left for g in runs[r][col].glyphs if g.text.isdigit()][-3] for r in half]
            assert max(slots) - min(slots) < 0.01


def test_changes_carry_their_signs(quotes):
    signs, rows, lay, _ = quotes
    runs = cell_runs(lay.pages[0].frame)
    up, down = ("+", "−") if signs == "plusminus" else ("▲", "▼")
    for r, row in enumerate(rows):
        for col in (3, 4):
            typed, shown = row[col], runs[r][col].text
            digits = typed.lstrip("+-")
            if float(digits.rstrip("%")) == 0:
                assert shown == digits, (typed, shown)
            else:
                assert shown == (up if typed[0] == "+" else down) + digits, (typed, shown)


def tints(frame):
    return [b for b in frame.items if isinstance(b, Box) and b.fill is not None and b.source.kind == "table-tint"]


def test_colour_page_marks_rises_red_and_falls_green_under_black_figures(quotes):
    _, rows, lay, _ = quotes
    frame = lay.pages[0].frame
    assert lay.pages[0].page.colour
    style = TableStyle()
    red, green = _within(style.up, 30.0), _within(style.down, 30.0)
    assert red.total <= 30 and green.total <= 30 and red.m > 0 and green.c > 0
    runs = cell_runs(frame)
    boxes = tints(frame)
    for r, row in enumerate(rows):
        for col in (3, 4):
            run = runs[r][col]
            assert run.color == BLACK  # 8 pt: text prints from the black plate only
            x = run.glyphs[-1].x
            under = [b for b in boxes if b.x <= x <= b.x + b.w and b.y <= run.glyphs[0].y <= b.y + b.h]
            value = float(row[col].rstrip("%"))
            want = [] if value == 0 else [red if value > 0 else green]
            assert [b.fill for b in under] == want, (row[col], under)


def test_mono_page_is_black_only(kit, tmp_path):
    csv, _ = quotes_csv()
    path = write_edition(tmp_path, TABLE.format(signs="arrows"), "[]",
                         "- table: quotes\n  at: {col: 1, line: 1, cols: 4, lines: 30}", files={"quotes.csv": csv})
    lay, _ = lay_out(kit, path)
    page = lay.pages[1]
    assert not page.page.colour
    for item in page.frame.items:
        colour = getattr(item, "color", None) or getattr(item, "fill", None) or getattr(item, "stroke", None)
        if colour is not None:
            assert colour.is_k_only, item
    texts = [r.text for r in page.frame.items if isinstance(r, GlyphRun) and r.source.kind == "table-cell"]
    assert any(t.startswith("▲") for t in texts) and any(t.startswith("▼") for t in texts)


def test_one_ink_colours_colour_the_figures_themselves(tmp_path):
    """A template whose rise and fall colours print from one plate each may colour the small
    figures: they do, and unchanged ones stay black."""
    from layout.fonts.catalog import FontCatalog
    from layout.paginate.typeset import TextSetter
    from layout.template import load_template

    template = load_template("broadsheet", {"tables": {"default": {"up": [0, 100, 0, 0], "down": [100, 0, 0, 0]}}})
    catalog = FontCatalog.from_config(template.fonts, base_dir=None)
    setter = TextSetter({role: catalog.chain(role) for role in template.fonts}, template.composition)
    csv, rows = quotes_csv()
    path = write_edition(tmp_path, TABLE.format(signs="plusminus"),
                         "- table: quotes\n  at: {col: 1, line: 1, cols: 4, lines: 30}", files={"quotes.csv": csv})
    lay, _ = lay_out((template, setter), path)
    runs = cell_runs(lay.pages[0].frame)
    for r, row in enumerate(rows):
        value = float(row[3])
        want = BLACK if value == 0 else CMYK(0, 100, 0, 0) if value > 0 else CMYK(100, 0, 0, 0)
        assert runs[r][3].color == want
        assert runs[r][2].color == BLACK  # the close is not a change
    assert not tints(lay.pages[0].frame)


def test_sign_colour_conventions():
    """red-up (紅漲綠跌) by default, green-up swaps them, none leaves everything black; unchanged
    and mono are black; a one-ink colour colours the figure, a two-ink one becomes a tint."""
    from dataclasses import replace as dc_replace
    from types import SimpleNamespace

    from layout.printprofile import PrintProfile
    from layout.table.model import Table
    from layout.table.setting import _sign_colour

    ctx = SimpleNamespace(profile=PrintProfile())
    style = TableStyle()
    t = Table("t", (), ())
    red, green = _within(style.up, 30), _within(style.down, 30)
    assert _sign_colour(ctx, style, t, 1, 8, True) == (BLACK, red)
    assert _sign_colour(ctx, style, t, -1, 8, True) == (BLACK, green)
    assert _sign_colour(ctx, style, dc_replace(t, sign_colours="green-up"), 1, 8, True) == (BLACK, green)
    assert _sign_colour(ctx, style, dc_replace(t, sign_colours="none"), 1, 8, True) == (BLACK, None)
    assert _sign_colour(ctx, style, t, 0, 8, True) == (BLACK, None)
    assert _sign_colour(ctx, style, t, 1, 8, False) == (BLACK, None)
    assert _sign_colour(ctx, style, t, 1, 14, True) == (style.up, None)  # big enough for two inks
    one_ink = dc_replace(style, up=CMYK(0, 100, 0, 0))
    assert _sign_colour(ctx, one_ink, t, 1, 8, True) == (CMYK(0, 100, 0, 0), None)
