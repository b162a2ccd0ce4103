"""Every overset story is an error diagnostic with its place in the edition: a pinned story's
overset was only a line of the build's summary ("overset h1: 514 characters"), with no file:line
and no entry among report.json's diagnostics, while the exit line counted it as an error."""

from __future__ import annotations

import yaml

from layout.build import prepare


def _edition(tmp_path):
    body = "\n".join("市交通運輸局有關負責人表示，下一步將結合軌道環線開通後的客流變化，優化調整公交線路。" * 3
                     for _ in range(12))
    doc = {"paper": "測試報", "date": "2026-12-01", "issue": 1,
           "pages": [{"page": "A01", "masthead": True,
                      "items": [{"story": "h1", "at": {"col": 1, "line": 13, "cols": 3, "lines": 20}},
                                {"story": "ok", "at": {"col": 4, "line": 13, "cols": 5, "lines": 60}}]},
                     {"page": "A02", "items": []}],
           "stories": {"h1": {"headline": "容不下的稿子", "body": body},
                       "ok": {"headline": "放得下的稿子", "body": "短稿一則。"}}}
    path = tmp_path / "over.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_a_pinned_storys_overset_is_an_error_at_its_item(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    path = _edition(tmp_path)
    prep = prepare(path)
    r = prep.layout.stories["h1"].result
    assert r.overset_chars > 0
    [d] = [d for d in prep.ctx.diagnostics if d.code == "STORY-OVERSET"]
    assert d.severity == "error" and d.story == "h1" and d.page == "A01"
    assert f"{r.overset_chars} characters" in d.message and f"({r.overset_lines} lines)" in d.message
    line = path.read_text("utf-8").split("\n")[d.location.line - 1]
    assert "col: 1" in line or "story: h1" in line  # the item's at: (or the item) that is too small
    assert not [d for d in prep.ctx.diagnostics if d.story == "ok" and "OVERSET" in d.code]


def test_a_pinned_story_far_shorter_than_its_module_is_said_at_its_item(tmp_path, monkeypatch):
    """A pinned 5 × 60 module holding one sentence printed white space with no word (qa2's pinned
    brief): STORY-UNDERSET at the item, with the empty lines per column and what to add; the full
    story beside it is not underset."""
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    path = _edition(tmp_path)
    prep = prepare(path)
    [d] = [d for d in prep.ctx.diagnostics if d.code == "STORY-UNDERSET"]
    assert d.severity == "warning" and d.story == "ok" and d.page == "A01"
    feet = d.message.split("column's foot: ")[1].rstrip(")")
    assert len(feet.split(", ")) == 5 and sum(map(int, feet.split(", "))) > 250
    line = path.read_text("utf-8").split("\n")[d.location.line - 1]
    assert "col: 4" in line or "story: ok" in line
    assert "characters" in d.hint


def test_a_jumped_storys_overset_hint_points_at_its_continuation(tmp_path, monkeypatch):
    """A story already jumped and still over was told to 'give it a jump:'; the hint names the
    continuation slot to enlarge instead."""
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    path = _edition(tmp_path)
    doc = yaml.safe_load(path.read_text("utf-8"))
    doc["stories"]["h1"]["jump"] = "A02"
    doc["pages"][1]["items"] = [{"continued": "h1", "at": {"col": 1, "line": 1, "cols": 2, "lines": 10}}]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    prep = prepare(path)
    [d] = [d for d in prep.ctx.diagnostics if d.code == "STORY-OVERSET"]
    assert "after its jump" in d.message and d.page == "A02"
    assert "give it a jump" not in d.hint and "continued: slot on A02" in d.hint
