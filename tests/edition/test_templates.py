"""Templates of one's own: a file beside the edition that extends a shipped template, checked
against the template schema with every bad key reported at its file:line:column with a
suggestion; the shipped templates are in the same format."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from layout.build import prepare
from layout.diagnostics import InputError
from layout.frames import GlyphRun
from layout.template import SCHEMA_PATH, SHIPPED_DIR, TEMPLATE_NAMES, load_template, schema
from tests.edition.editionkit import edition_yaml, write_edition

ROOT = Path(__file__).resolve().parents[2]

CHENBAO = """\
# 晨報's own grid: six wide columns of 17 characters of 9.5 pt on a 14 pt pitch
extends: broadsheet
name: chenbao
label: 晨報對開
grid:
  columns: 6
  column_chars: 17
  body_size: 9.5
  pitch: 14
styles:
  headline:
    sizes_by_cols: {1: 18, 2: 26, 3: 34, 4: 42, 5: 48, 6: 56}
composition:
  punct_style: quanjiao
"""


def _six_column(tmp_path: Path, template_text: str = CHENBAO, **kw) -> Path:
    (tmp_path / "templates").mkdir(parents=True, exist_ok=True)
    (tmp_path / "templates" / "chenbao.yaml").write_text(template_text, encoding="utf-8")
    return write_edition(tmp_path, edition_yaml(8, template="templates/chenbao.yaml", columns=6, **kw))


def test_shipped_templates_follow_the_schema():
    validator = jsonschema.Draft202012Validator(schema())
    validator.check_schema(schema())
    for name in TEMPLATE_NAMES:
        validator.validate(yaml.safe_load((SHIPPED_DIR / f"{name}.yaml").read_text("utf-8")))
    assert sorted(p.stem for p in SHIPPED_DIR.glob("*.yaml")) == sorted(TEMPLATE_NAMES)
    assert SCHEMA_PATH.is_file()


def test_six_column_template_extending_broadsheet(tmp_path):
    path = _six_column(tmp_path)
    prep = prepare(path)
    t = prep.template
    g = t.grid
    assert (t.name, g.columns, g.column_chars, g.body_size, g.pitch, g.lines) == ("chenbao", 6, 17, 9.5, 14.0, 105)
    assert t.trim_w == load_template("broadsheet").trim_w  # inherited
    assert t.headline.sizes_by_cols[6] == 56 and t.headline.min_size == 16
    assert t.composition.punct_style == "quanjiao" and t.composition.level == "gb"
    assert prep.ctx.setter.style.punct_style == "quanjiao"
    # the type area is centred on the trim and every body line sits on the 14 pt grid
    assert abs(g.left * 2 + g.width - t.trim_w) < 1e-6
    page = prep.layout.pages[1].frame
    body = [r for r in page.items if isinstance(r, GlyphRun) and r.source.kind == "body"]
    assert body
    for run in body:
        assert run.size == 9.5
        assert min(run.glyphs[0].x for run in body) >= g.left - 0.01
        line = (run.glyphs[0].y - g.baseline(1)) / g.pitch
        assert abs(line - round(line)) < 1e-6
    assert page.baseline_grid == (g.baseline(1), 14.0)


def test_an_item_outside_the_six_columns_is_refused(tmp_path):
    path = _six_column(tmp_path)
    text = path.read_text("utf-8").replace("{col: 1, line: 1, cols: 3, lines: 105}", "{col: 5, line: 1, cols: 3, lines: 105}", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        prepare(path)
    assert any(d.code == "GRID-OUTSIDE" and "6 columns" in d.hint for d in info.value.diagnostics)


def _line_col(text: str, needle: str) -> tuple[int, int]:
    for n, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(needle)


# (change to the template text, the code, the text at the reported place, a word of the hint)
BAD_TEMPLATE = [
    ("  columns: 6\n", "  colums: 6\n", "TEMPLATE-UNKNOWN-KEY", "colums", "did you mean 'columns'"),
    ("  punct_style: quanjiao\n", "  punct_style: kaimin\n", "TEMPLATE-VALUE", "kaimin", "did you mean 'kaiming'"),
    ("  columns: 6\n", "  columns: 30\n", "TEMPLATE-VALUE", "30", "from 1 to 20"),
    ("  pitch: 14\n", "  pitch: wide\n", "TEMPLATE-VALUE", "pitch: wide", "a number"),
    ("extends: broadsheet\n", "extend: broadsheet\n", "TEMPLATE-UNKNOWN-KEY", "extend", "did you mean 'extends'"),
    ("extends: broadsheet\n", "extends: broadshet\n", "TEMPLATE-UNKNOWN", "broadshet", "did you mean 'broadsheet'"),
    ("  columns: 6\n", "  columns: 9\n", "TEMPLATE-VALUE", "9", "at most 6 such columns"),
    ("  pitch: 14\n", "  pitch: 8\n", "TEMPLATE-VALUE", "8", "1.5 × the body size"),
    ("styles:\n", "styles:\n  body: {font: bodyy, size: 9}\n", "TEMPLATE-VALUE", "bodyy", "did you mean 'body'"),
    ("styles:\n", "styles:\n  bodytext: {font: body, size: 9}\n", "TEMPLATE-UNKNOWN-KEY", "bodytext", "allowed keys"),
    ("label: 晨報對開\n", "label: 晨報對開\npages: {min: 4, max: 2}\n", "TEMPLATE-VALUE", "4", "swap"),
    ("styles:\n", "styles:\n  body: {font: body, size: 9}\n", "TEMPLATE-VALUE", "{font: body, size: 9}", "follows grid.body_size"),
]


@pytest.mark.parametrize("old,new,code,at,hint", BAD_TEMPLATE, ids=[b[1].strip()[:24] for b in BAD_TEMPLATE])
def test_bad_template_key_gives_its_place_and_a_suggestion(tmp_path, old, new, code, at, hint):
    text = CHENBAO.replace(old, new)
    assert text != CHENBAO
    path = _six_column(tmp_path, text)
    with pytest.raises(InputError) as info:
        prepare(path)
    found = [d for d in info.value.diagnostics if d.code == code]
    assert found, [d.format() for d in info.value.diagnostics]
    d = found[0]
    assert d.location.file == str(tmp_path / "templates" / "chenbao.yaml")
    line, col = _line_col(text, at if at not in ("9", "8", "4", "30") else new.strip().split("\n")[-1])
    assert d.location.line == line, d.format()
    assert d.location.column is not None
    assert hint in d.hint, d.format()


def test_template_without_extends_lists_what_is_missing(tmp_path):
    path = _six_column(tmp_path, "name: bare\ngrid: {columns: 6}\n")
    with pytest.raises(InputError) as info:
        prepare(path)
    missing = {d.message for d in info.value.diagnostics if d.code == "TEMPLATE-MISSING-KEY"}
    assert "the template has no 'trim_mm'" in missing and "the template has no 'fonts'" in missing
    assert all(d.location.file.endswith("chenbao.yaml") for d in info.value.diagnostics)


def test_missing_template_file_is_placed_at_the_edition_key(tmp_path):
    text = edition_yaml(8, template="templates/nope.yaml")
    path = write_edition(tmp_path, text)
    with pytest.raises(InputError) as info:
        prepare(path)
    d = next(d for d in info.value.diagnostics if d.code == "TEMPLATE-FILE")
    assert (d.location.file, d.location.line, d.location.column) == (str(path), *_line_col(text, "templates/nope.yaml"))


def test_missing_template_file_names_the_folder_looked_in(tmp_path, monkeypatch):
    """An edition named by a relative path: the hint named its folder as '.' ("it is relative
    to ."); it gives the folder and the file looked for by their full names."""
    path = write_edition(tmp_path, edition_yaml(8, template="templates/nope.yaml"))
    monkeypatch.chdir(path.parent)
    with pytest.raises(InputError) as info:
        prepare(Path(path.name))
    d = next(d for d in info.value.diagnostics if d.code == "TEMPLATE-FILE")
    assert str(path.parent / "templates" / "nope.yaml") in d.message
    assert f"({path.parent})" in d.hint and "relative to ." not in d.hint


def test_unknown_template_name_suggests(tmp_path):
    text = edition_yaml(8, template="tabliod")
    path = write_edition(tmp_path, text)
    with pytest.raises(InputError) as info:
        prepare(path)
    d = next(d for d in info.value.diagnostics if d.code == "TEMPLATE-UNKNOWN")
    assert d.location.line == _line_col(text, "tabliod")[0] and "did you mean 'tabloid'" in d.hint


def test_extends_loop(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "b.yaml").write_text("extends: chenbao.yaml\n", encoding="utf-8")
    path = _six_column(tmp_path, CHENBAO.replace("extends: broadsheet", "extends: b.yaml"))
    with pytest.raises(InputError) as info:
        prepare(path)
    assert any(d.code == "TEMPLATE-EXTENDS" for d in info.value.diagnostics)


def test_cli_reports_file_line_column_and_exits_2(tmp_path):
    path = _six_column(tmp_path, CHENBAO.replace("  columns: 6\n", "  colums: 6\n"))
    r = subprocess.run([sys.executable, "-m", "layout", "check", str(path)], capture_output=True, text=True,
                       cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 2
    line, col = _line_col(CHENBAO.replace("  columns: 6\n", "  colums: 6\n"), "colums")
    assert f"chenbao.yaml:{line}:{col}" in r.stderr and "did you mean 'columns'" in r.stderr
    assert "Traceback" not in r.stderr


def test_nine_column_template(tmp_path):
    (tmp_path / "nine.yaml").write_text("extends: broadsheet\nname: nine\ngrid: {columns: 9, column_chars: 11}\n",
                                         encoding="utf-8")
    t = load_template("nine.yaml", base_dir=tmp_path)
    assert (t.grid.columns, t.grid.chars_across(9), t.grid.chars_across(2)) == (9, 107, 23)
    assert t.files[0] == "layout/templates/broadsheet.yaml" and t.files[1].endswith("nine.yaml")
