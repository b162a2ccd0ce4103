"""The examples in docs/edition-format.md for sections, templates, settings and zoned editions
load as written (the sections example builds with its section front and jump)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from layout.build import prepare
from layout.template import load_template
from tests.edition.editionkit import text_of

DOC = Path(__file__).resolve().parents[2] / "docs" / "edition-format.md"


def _blocks(heading: str) -> list[str]:
    text = DOC.read_text("utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 5)
    return re.findall(r"```yaml\n(.*?)```", text[start:end], flags=re.S)


def test_sections_example_builds(tmp_path):
    block = next(b for b in _blocks("Sections") if b.startswith("# a complete"))
    path = tmp_path / "edition.yaml"
    path.write_text(block, encoding="utf-8")
    prep = prepare(path)
    pages = {p.page.id: p for p in prep.layout.pages}
    assert list(pages) == ["A01", "A02", "B01", "B02"]
    assert "城市週刊" in text_of(pages["B01"].frame, "masthead")
    teasers = text_of(pages["A01"].frame, "teaser")
    assert "港區將建濱江步道B01版" in teasers and "博物館週五夜場開放B02版" in teasers
    assert not [d for d in prep.ctx.diagnostics if d.severity.value == "error"]


def test_template_example_loads(tmp_path):
    block = next(b for b in _blocks("Templates") if "extends: broadsheet" in b)
    (tmp_path / "chenbao.yaml").write_text(block, encoding="utf-8")
    t = load_template("chenbao.yaml", base_dir=tmp_path)
    assert (t.grid.columns, t.grid.chars_across(2), t.composition.punct_style) == (6, 35, "quanjiao")


def test_publication_example_loads(tmp_path):
    from layout.calendar import load_publication

    block = _blocks("The publication calendar")[0]
    (tmp_path / "publication.yaml").write_text(block, encoding="utf-8")
    pub = load_publication(tmp_path / "publication.yaml")
    assert pub.paper == "渝江晨報" and len(pub.holidays) == 2 and pub.pages[4] == 16
    assert yaml.safe_load(block)["known_issue"]["issue"] == 8123
