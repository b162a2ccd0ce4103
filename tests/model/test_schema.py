"""The JSON Schema, the docs and the loader describe the same format."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from modelkit import make_jpeg, make_pdf

from layout.diagnostics import Diagnostics
from layout.model import load as L
from layout.model.load import load_edition

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "layout" / "model" / "edition.schema.json"
DOC = ROOT / "docs" / "edition-format.md"

jsonschema = pytest.importorskip("jsonschema")


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def as_json(value):
    """YAML values as a JSON-minded editor sees them: dates are strings."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def doc_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def complete_example() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## A complete example"):]
    return re.search(r"```yaml\n(.*?)```", section, flags=re.S).group(1)


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(schema())


def test_docs_complete_example_validates():
    jsonschema.Draft202012Validator(schema()).validate(as_json(yaml.safe_load(complete_example())))


def test_every_docs_fragment_validates_against_its_part():
    """Edition fragments against the edition schema (key by key); template files and publication
    files against their own schemas; a zoned edition's parts as the edition's."""
    full = schema()
    template_schema = json.loads((ROOT / "layout" / "templates" / "template.schema.json").read_text("utf-8"))
    calendar_schema = json.loads((ROOT / "layout" / "calendar.schema.json").read_text("utf-8"))
    for block in doc_blocks():
        data = as_json(yaml.safe_load(block))
        if "extends" in data:
            from layout.model.schemacheck import partial

            jsonschema.Draft202012Validator(partial(template_schema)).validate(data)
            continue
        if "weekdays" in data:
            jsonschema.Draft202012Validator(calendar_schema).validate(data)
            continue
        if "zone" in data:
            assert set(data) <= {"zone", "base", "pages", "stories", "ads"}
            data = {k: v for k, v in data.items() if k not in ("zone", "base")}
        for key, value in data.items():
            part = {"$defs": full["$defs"], **full["properties"][key]}
            jsonschema.Draft202012Validator(part).validate(value)


def test_schema_rejects_what_the_loader_rejects():
    validator = jsonschema.Draft202012Validator(schema())
    good = as_json(yaml.safe_load(complete_example()))
    bad = json.loads(json.dumps(good))
    bad["stories"]["ai-plan"]["bylin"] = "x"
    bad["pages"][0]["items"][0]["at"]["col"] = 0
    del bad["issue"]
    bad["ads"]["bank-half"] = {"kind": "pdf"}
    assert len(list(validator.iter_errors(bad))) >= 4


def test_docs_complete_example_loads(tmp_path):
    (tmp_path / "sample").mkdir()
    (tmp_path / "sample" / "ai-plan.txt").write_text("第一段。\n\n## 小標題\n第二段。\n", encoding="utf-8")
    (tmp_path / "assets" / "photos").mkdir(parents=True)
    (tmp_path / "assets" / "ads").mkdir()
    for name in ("park.jpg", "port.jpg"):
        (tmp_path / "assets" / "photos" / name).write_bytes(make_jpeg())
    (tmp_path / "assets" / "ads" / "bank.pdf").write_bytes(make_pdf())
    path = tmp_path / "edition.yaml"
    path.write_text(complete_example(), encoding="utf-8")
    diags = Diagnostics()
    edition = load_edition(path, page_count=3, grid=(8, 105), diagnostics=diags)
    assert [d.format() for d in diags] == []
    assert edition.stories["harbour-plan"].paragraphs[1].kind == "subhead"


def _props(node: dict) -> set[str]:
    return set(node["properties"])


def test_schema_keys_match_the_loader():
    s = schema()
    d = s["$defs"]
    assert _props(s) == set(L.TOP_KEYS)
    assert set(s["required"]) == set(L.TOP_REQUIRED)
    assert _props(d["page"]) == set(L.PAGE_KEYS)
    assert _props(d["item"]) == set(L.ITEM_KEYS)
    assert _props(d["at"]) == set(L.AT_ALL_KEYS)
    assert set(d["at"]["required"]) == set(L.AT_KEYS)
    assert _props(d["at"]["properties"]["notch"]) == set(L.NOTCH_KEYS)
    assert d["at"]["properties"]["notch"]["properties"]["side"]["enum"] == list(L.NOTCH_SIDES)
    assert _props(d["story"]) == set(L.STORY_KEYS)
    assert _props(d["photo"]) == set(L.PHOTO_KEYS)
    assert _props(d["photo"]["properties"]["at"]) == set(L.PHOTO_AT_KEYS)
    assert _props(d["ad"]) == set(L.AD_KEYS)
    assert d["ad"]["properties"]["kind"]["enum"] == list(L.AD_KINDS)
    assert s["properties"]["template"]["anyOf"][0]["enum"] == list(L.TEMPLATES)
    template_schema = json.loads((ROOT / "layout" / "templates" / "template.schema.json").read_text("utf-8"))
    assert d["composition"] == template_schema["$defs"]["composition"], "one composition format for both files"
    assert s["properties"]["print"]["enum"] == list(L.PRINT_PROFILES)


def test_docs_top_level_table_matches_the_loader():
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("## Top level"):text.index("## Pages")]
    assert set(re.findall(r"^\| `(\w+)` \|", table, flags=re.M)) == set(L.TOP_KEYS)


SAMPLE = ROOT / "editions" / "sample.yaml"


@pytest.mark.skipif(not SAMPLE.exists(), reason="editions/sample.yaml not written yet")
def test_sample_edition_validates():
    jsonschema.Draft202012Validator(schema()).validate(as_json(yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))))


def test_a_value_found_valid_is_not_checked_again_and_a_bad_one_always_is(tmp_path, monkeypatch):
    """check_node remembers values it found valid (by schema, value and jsonschema's install), so a
    rebuild whose file did not change skips jsonschema; a value with problems is checked every
    time, and so is any value that differs, by type too (a date and the text of its repr)."""
    from layout.model import schemacheck

    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    sch = {"type": "object", "properties": {"date": {"type": "string"}, "n": {"type": "integer"}},
           "additionalProperties": False}
    good = {"date": "datetime.date(2026, 12, 1)", "n": 3}
    bad = {"date": dt.date(2026, 12, 1), "n": 3}

    def check(value):
        return schemacheck.check_node(None, sch, file="x.yaml", what="the test", plain=value)

    assert check(good) == []
    assert len(check(bad)) == 1
    real = jsonschema.Draft202012Validator
    checked = []

    def counting(*args, **kw):
        checked.append(args)
        return real(*args, **kw)

    monkeypatch.setattr(jsonschema, "Draft202012Validator", counting)
    assert check(good) == [] and not checked  # remembered: jsonschema not asked
    assert len(check(bad)) == 1 and len(checked) == 1  # a problem is found again, never remembered
    assert check({"n": 1}) == [] and len(checked) == 2
    assert len(check({"n": True})) == 1 and len(checked) == 3  # True == 1 in Python, not to the schema
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    assert check(good) == [] and len(checked) == 4  # no cache: checked
