"""Template and publication files with any value in any place: an InputError with positions, never
another exception."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.calendar import load_publication
from layout.diagnostics import InputError
from layout.template import load_template

TEMPLATE = yaml.safe_load("""
extends: broadsheet
name: x
pages: {min: 2, max: 64, step: 2, sheet: 4, default: 12}
trim_mm: [390, 546]
grid: {columns: 6, column_chars: 17, gutter_chars: 1, body_size: 9.5, pitch: 14, lines: 100, top_mm: 26}
masthead_lines: 12
flag_lines: 6
composition: {punct_style: quanjiao, level: gb, indent: 2}
fonts: {body: [{file: NotoSerifCJKsc-Regular.otf}]}
styles:
  body: {font: body}
  headline: {font: headline, sizes_by_cols: {1: 18, 6: 56}, min_size: 16, max_lines: 2}
  masthead: {font: song-bold, size: 64, colour: red}
rules: {column_rule: 0.5}
""")

PUBLICATION = yaml.safe_load("""
paper: 測試晨報
weekdays: [mon, tue, wed, thu, fri]
pages: {mon: 8}
known_issue: {date: '2027-01-08', issue: 100}
holidays: [{date: '2027-01-01', name: 元旦}]
""")

values = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                   st.text(max_size=8), st.lists(st.integers(-5, 500), max_size=5),
                   st.dictionaries(st.text(max_size=5), st.integers(-5, 500), max_size=3))


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for n, v in enumerate(data):
            yield from _paths(v, prefix + (n,))


def _mutate(data, path, value):
    import copy

    data = copy.deepcopy(data)
    if not path:
        return value
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


TEMPLATE_PATHS = list(_paths(TEMPLATE))
PUBLICATION_PATHS = list(_paths(PUBLICATION))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(TEMPLATE_PATHS), values)
def test_template_any_value_anywhere(tmp_path, path, value):
    file = tmp_path / "t.yaml"
    file.write_text(yaml.safe_dump(_mutate(TEMPLATE, path, value), allow_unicode=True), encoding="utf-8")
    try:
        load_template("t.yaml", base_dir=tmp_path)
    except InputError as err:
        assert err.diagnostics and all(d.location.file for d in err.diagnostics)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(PUBLICATION_PATHS), values)
def test_publication_any_value_anywhere(tmp_path, path, value):
    file = tmp_path / "p.yaml"
    file.write_text(yaml.safe_dump(_mutate(PUBLICATION, path, value), allow_unicode=True), encoding="utf-8")
    try:
        load_publication(file)
    except InputError as err:
        assert err.diagnostics and all(d.location.file for d in err.diagnostics)
