"""The Tables section of docs/edition-format.md is an edition that loads and sets cleanly, and the
sample edition's tables validate against the JSON Schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from tablekit import lay_out

ROOT = Path(__file__).resolve().parents[2]


def docs_tables_block() -> str:
    text = (ROOT / "docs" / "edition-format.md").read_text(encoding="utf-8")
    section = text[text.index("## Tables"):]
    return re.search(r"```yaml\n(.*?)```", section, flags=re.S).group(1)


def test_the_documented_tables_load_and_fit(kit, tmp_path):
    (tmp_path / "sample" / "tables").mkdir(parents=True)
    csv = (ROOT / "editions" / "sample" / "tables" / "a-shares.csv").read_text(encoding="utf-8")
    (tmp_path / "sample" / "tables" / "a-shares.csv").write_text(csv, encoding="utf-8")
    block = docs_tables_block().replace("      - table: a-shares\n", "      - table: weather\n"
                                        "        at: {col: 1, line: 1, cols: 2, lines: 30}\n      - table: a-shares\n")
    text = "paper: 測試晨報\ndate: 2026-12-01\nissue: 1\nstories: {}\n" + block
    (tmp_path / "e.yaml").write_text(text, encoding="utf-8")
    lay, diags = lay_out(kit, tmp_path / "e.yaml")
    assert [d.format() for d in diags if d.severity == "error"] == []
    assert [(t.id, t.status) for t in lay.pages[0].tables] == [("weather", "fits"), ("a-shares", "fits")]


def test_sample_tables_validate_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "layout" / "model" / "edition.schema.json").read_text(encoding="utf-8"))
    sample = yaml.safe_load((ROOT / "editions" / "sample.yaml").read_text(encoding="utf-8"))
    part = {"$defs": schema["$defs"], **schema["properties"]["tables"]}
    jsonschema.Draft202012Validator(part).validate(sample["tables"])
    bad = {"t": {"file": "x.csv", "rows": [["a"]]}}
    assert list(jsonschema.Draft202012Validator(part).iter_errors(bad))
