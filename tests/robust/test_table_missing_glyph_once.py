"""A character no face has in a table (its title, a header, a cell, a note) is one error, said once
at its place; report.json (and so the proof's red box) gives the cell's file:line:column. It was
said twice, by the table's setter and again by the page's furniture check (as 'edition.yaml:1,
paragraph 0' for a cell of a CSV file), and counted as two errors."""

from __future__ import annotations

import json

from tests.robust.test_bad_inputs import PHOTO_ITEM, run, write_base


def test_each_missing_table_character_is_one_error_at_its_place(tmp_path):
    ed = write_base(tmp_path / "ed")
    (ed.parent / "q.csv").write_text("名\ue202稱,收盤\n渝江\ue200銀行,71.76\n山城啤酒,1185.60\n", "utf-8")
    text = ed.read_text("utf-8").replace(
        "ads:\n", "tables:\n  q:\n    title: 行\ue201情\n    file: q.csv\n    source: 來源\ue203交易所\nads:\n", 1)
    text = text.replace(PHOTO_ITEM, "      - table: q\n        at: {col: 5, line: 1, cols: 2, lines: 20}\n", 1)
    ed.write_text(text, "utf-8")
    r = run("build", str(ed), "-o", str(tmp_path / "out"), "--no-proofs")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    said = [line for line in r.stderr.splitlines() if "FONT-MISSING-GLYPH" in line]
    assert sorted(ch for line in said for ch in "\ue200\ue201\ue202\ue203" if repr(ch)[1:-1] in line) \
        == sorted("\ue200\ue201\ue202\ue203"), said
    assert len(said) == 4, said
    assert ", 4 errors," in r.stdout, r.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    marks = {m["char"]: (m["kind"], m["file"], m["line"], m["column"])
             for p in report["pages"] for m in p.get("missing_glyphs", [])}
    assert marks["\ue200"][0] == "table-cell" and marks["\ue200"][2:] == (2, 3), marks
    assert marks["\ue200"][1].endswith("q.csv") and marks["\ue202"][2:] == (1, 2), marks
