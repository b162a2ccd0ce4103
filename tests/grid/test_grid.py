"""Grid arithmetic: the numbers a layout desk works with."""

import pytest

from layout.grid.grid import Rect
from layout.template import load_template
from layout.units import to_mm


@pytest.fixture(scope="module")
def broadsheet():
    return load_template("broadsheet")


def test_broadsheet_module_widths_are_13n_plus_gutters(broadsheet):
    g = broadsheet.grid
    assert [g.chars_across(n) for n in range(1, 9)] == [13 * n + (n - 1) for n in range(1, 9)]
    assert g.chars_across(8) == 111
    assert g.span_width(8) == pytest.approx(111 * 9)
    assert to_mm(g.span_width(8)) == pytest.approx(352.4, abs=0.1)


def test_broadsheet_type_area_is_centred_and_inside_the_trim(broadsheet):
    g = broadsheet.grid
    assert g.left == pytest.approx((broadsheet.trim_w - g.width) / 2)
    assert g.top + g.height < broadsheet.trim_h
    assert to_mm(broadsheet.trim_w) == pytest.approx(390)
    assert to_mm(broadsheet.trim_h) == pytest.approx(546)


def test_tabloid_grid(tmp_path):
    t = load_template("tabloid")
    g = t.grid
    assert g.columns == 6 and g.column_chars == 12
    assert g.chars_across(6) == 6 * 12 + 5
    assert to_mm(t.trim_w) == pytest.approx(273) and to_mm(t.trim_h) == pytest.approx(390)
    assert g.top + g.height < t.trim_h and g.left > 0


def test_columns_and_lines_are_placed_on_the_pitch(broadsheet):
    g = broadsheet.grid
    assert g.col_x(2) - g.col_x(1) == pytest.approx(14 * 9)
    assert g.line_top(11) - g.line_top(1) == pytest.approx(10 * 13.5)
    # the body line is centred in its grid line: the em box (0.88 up, 0.12 down) is centred
    base = g.baseline(1)
    top_of_em = base - 0.88 * 9
    bottom_of_em = base + 0.12 * 9
    assert top_of_em - g.line_top(1) == pytest.approx(g.line_top(2) - bottom_of_em)


def test_module_rect(broadsheet):
    g = broadsheet.grid
    r = g.rect(3, 10, 2, 20)
    assert r == Rect(g.col_x(3), g.line_top(10), 27 * 9, 20 * 13.5)


@pytest.mark.parametrize("cols,k,per,gutter", [(3, 2, 20, 9.0), (2, 1, 27, 0.0), (8, 5, 21, 13.5), (4, 3, 17, 18.0)])
def test_split_columns_keep_integer_measures(broadsheet, cols, k, per, gutter):
    g = broadsheet.grid
    got_per, got_gutter = g.split(cols, k)
    assert (got_per, got_gutter) == (per, gutter)
    # the k columns and k-1 gutters fill the module exactly
    assert got_per * 9 * k + got_gutter * (k - 1) == pytest.approx(g.span_width(cols))


def test_lines_for_rounds_up_to_whole_lines(broadsheet):
    g = broadsheet.grid
    assert g.lines_for(13.5) == 1
    assert g.lines_for(13.6) == 2
    assert g.lines_for(40) == 3  # G16: a 40 pt headline block reserves 3 lines of 13.5 (R40)
