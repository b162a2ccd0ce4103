"""Whatever a table's YAML or its CSV file holds, loading raises nothing but InputError, and a table
that loads is set without an exception: every row is placed or counted as overset."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tablekit import lay_out, write_edition

from layout.diagnostics import InputError
from layout.table.load import COLUMN_KEYS, TABLE_KEYS

WORDS = ["平安銀行", "萬科A", "11.52", "+0.12", "-1.05%", "▲0.3", "1,234.5", "—", "", "19:30", "12月1日", "x",
         "number", "change", "text", "fit", "5em", "2", "t.csv", "t.tsv", "名稱", "收盤", "多雲轉小雨，局部中雨"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 50), st.floats(-1e3, 1e3), st.sampled_from(WORDS),
                    st.text(max_size=6))
keys = st.one_of(st.sampled_from(TABLE_KEYS + COLUMN_KEYS + ("名稱", "收盤")), st.text(max_size=5))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=14)
csv_text = st.lists(st.lists(st.sampled_from(WORDS + ['"', ",", "\t", "a\nb"]), max_size=6), max_size=12).map(
    lambda rows: "\n".join(",".join(r) for r in rows))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(table=st.dictionaries(keys, values, max_size=7), csv=csv_text, cols=st.integers(1, 8),
       lines=st.integers(1, 60))
def test_tables_never_crash(kit, tmp_path_factory, table, csv, cols, lines):
    folder = tmp_path_factory.mktemp("fuzz")
    body = yaml.safe_dump({"t": table}, allow_unicode=True)
    path = write_edition(folder, body, f"- table: t\n  at: {{col: 1, line: 1, cols: {cols}, lines: {lines}}}",
                         files={"t.csv": csv, "t.tsv": csv.replace(",", "\t")})
    try:
        lay, _ = lay_out(kit, path)
    except InputError:
        return
    for result in lay.pages[0].tables:
        assert 0 <= result.rows_set <= result.rows
        assert result.chars_set <= result.chars


cells = st.sampled_from(WORDS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(width=st.integers(1, 7), data=st.data(), cols=st.integers(1, 8), lines=st.integers(1, 60),
       extra=st.dictionaries(st.sampled_from(("signs", "tint", "group_every", "across", "row_rules", "title")),
                             scalars, max_size=3))
def test_inline_tables_set_or_report(kit, tmp_path_factory, width, data, cols, lines, extra):
    header = [f"列{n}" for n in range(width)]
    rows = data.draw(st.lists(st.lists(cells, min_size=width, max_size=width), max_size=30))
    types = data.draw(st.dictionaries(st.sampled_from(header), st.sampled_from(
        ["text", "number", "change", "percent", "date", "time", {"width": 1}, {"width": "3em"}]), max_size=3))
    folder = tmp_path_factory.mktemp("fuzz")
    body = yaml.safe_dump({"t": {"header": header, "rows": rows, "columns": types, **extra}}, allow_unicode=True)
    path = write_edition(folder, body, f"- table: t\n  at: {{col: 1, line: 1, cols: {cols}, lines: {lines}}}")
    try:
        lay, diags = lay_out(kit, path)
    except InputError:
        return
    result = lay.pages[0].tables[0]
    assert 0 <= result.rows_set <= result.rows == len(rows)
    set_rows = {r.source.paragraph for r in lay.pages[0].frame.runs() if r.source.kind == "table-cell"}
    assert set_rows <= set(range(result.rows_set))
    if result.rows_set < result.rows:
        assert any(d.code == "TABLE-OVERSET" for d in diags)
    module = next(m for m in lay.pages[0].frame.modules if m.kind == "table")
    for run in lay.pages[0].frame.runs():
        if run.source.story == "t":
            for g in run.glyphs:
                assert module.x - 0.01 <= g.left and g.left + g.advance <= module.x + module.w + 0.01, run.text
                assert module.y - 0.01 <= g.y <= module.y + module.h + 0.01, run.text


def test_a_title_in_a_one_line_module_is_reported_not_drawn_below_it(kit, tmp_path_factory):
    """Found by the property above: a table with a title (here `title: false`, read as the text
    "false") and no rows, in a module one line deep, drew its title under the module."""
    folder = tmp_path_factory.mktemp("one-line")
    body = yaml.safe_dump({"t": {"header": ["列0"], "rows": [], "title": "本市未來三天天氣預報"}}, allow_unicode=True)
    path = write_edition(folder, body, "- table: t\n  at: {col: 1, line: 1, cols: 1, lines: 1}")
    lay, diags = lay_out(kit, path)
    module = next(m for m in lay.pages[0].frame.modules if m.kind == "table")
    for run in lay.pages[0].frame.runs():
        if run.source.story == "t":
            assert all(module.y - 0.01 <= g.y <= module.y + module.h + 0.01 for g in run.glyphs), run.text
    said = [d for d in diags if d.code == "TABLE-OVERSET" and d.story == "t"]
    assert said and "characters" in said[0].message
