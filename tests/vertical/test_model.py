"""The edition keys of issue 16: convention, a story's direction, a headline's direction."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.diagnostics import InputError
from layout.model.convention import with_corner_quotes
from layout.model.load import load_edition
from layout.template import apply_convention, load_template

TAIWAN = Path(__file__).resolve().parent / "data" / "taiwan.yaml"


def _edition(tmp_path, old, new):
    text = TAIWAN.read_text("utf-8")
    assert old in text
    path = tmp_path / "ed.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_convention_and_directions_load():
    e = load_edition(TAIWAN, check_files=False)
    assert e.convention == "taiwan"
    assert e.stories["s02"].direction == "vertical" and e.stories["s02"].headline_direction is None
    assert e.stories["s03"].headline == "捷運新線年底通車" and e.stories["s03"].headline_direction == "vertical"
    assert e.stories["s04"].direction == "horizontal"


@pytest.mark.parametrize("old,new,word", [
    ("convention: taiwan\n", "convention: taiwn\n", "taiwan"),
    ("    direction: vertical\n", "    direction: vertcal\n", "vertical"),
    ("direction: vertical}", "direction: sideways}", "vertical"),
    ("{text: 捷運新線年底通車, direction: vertical}", "{txt: 捷運新線年底通車}", "text"),
])
def test_a_wrong_value_is_an_input_error_with_its_place_and_a_suggestion(tmp_path, old, new, word):
    with pytest.raises(InputError) as err:
        load_edition(_edition(tmp_path, old, new), check_files=False)
    d = err.value.diagnostics[0]
    assert d.location.file.endswith("ed.yaml") and d.location.line is not None and d.location.column is not None
    assert word in (d.hint or "") + d.message


def test_corner_quotes_reach_every_story_text_but_not_ads():
    e = load_edition(TAIWAN, check_files=False)
    q = with_corner_quotes(e)
    assert "「山城」" in q.stories["s02"].headline and "“" not in q.stories["s02"].paragraphs[0].text
    assert all("“" not in p.text and "”" not in p.text for s in q.stories.values() for p in s.paragraphs)
    assert q.ads == e.ads


def test_apply_convention_sets_faces_style_and_quotes():
    t = load_template("broadsheet")
    assert apply_convention(t, "mainland") == t.__class__(**{**t.__dict__, "convention": "mainland"})
    tw = apply_convention(t, "taiwan")
    assert tw.quotes == "corner" and tw.composition.punct_style == "plain" and tw.composition.level == "loose"
    assert tw.fonts["body"][0]["file"] == "NotoSerifCJKtc-Regular.otf"
    hk = apply_convention(t, "hongkong")
    assert hk.composition.convention == "taiwan" and hk.composition.punct_style == "quanjiao"
    assert t.styles["byline"].font == "kai" and t.styles["caption"].font == "kai" and t.styles["note"].font == "kai"


def test_the_taiwan_edition_validates_against_the_schema_and_typos_do_not():
    import copy
    import datetime as dt
    import json

    import jsonschema
    import yaml

    def as_json(value):  # YAML values as a JSON-minded editor sees them: dates are strings
        if isinstance(value, dict):
            return {str(k): as_json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [as_json(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    schema = json.loads((Path(__file__).resolve().parents[2] / "layout" / "model" / "edition.schema.json")
                        .read_text("utf-8"))
    data = as_json(yaml.safe_load(TAIWAN.read_text("utf-8")))
    validator = jsonschema.Draft202012Validator(schema)

    validator.validate(data)
    for path, bad in ((("convention",), "taiwn"), (("stories", "s02", "direction"), "vertcal"),
                      (("stories", "s03", "headline"), {"txt": "捷運"})):
        wrong = copy.deepcopy(data)
        node = wrong
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = bad
        assert not validator.is_valid(wrong), path
