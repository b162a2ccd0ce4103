"""Missing glyphs named by their real item, marks composed, variation selectors kept with their base
(layout.fonts.clusters, layout.fonts.report).

An emoji in a box ad was reported "story subscribe"; one in the page credits had no item at all in
`layout fonts`; a caption's was "paragraph 0" of its story. "Cafe" + U+0301 (é typed decomposed)
was reported missing its accent and printed "Cafe" though the faces have é; 葛 + U+E0100 and 漢 +
U+FE00 (a base and its variation selector) were reported missing the selector, with a red box on
the proof and a blank an em wide after the base, though the base is printed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from layout.build import build
from layout.fonts.clusters import compose, compose_edition, is_selector
from layout.fonts.report import font_report
from layout.text.inline import Span

from .helpers import shipped_catalog

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"
EMOJI = "\U0001F35C"
ACUTE = "\u0301"


def test_a_base_and_marks_are_composed_only_where_the_composed_form_has_a_glyph():
    lacks_acute = lambda c: c != ACUTE  # noqa: E731
    assert compose(f"Cafe{ACUTE}好", lacks_acute) == ("Café好", [0, 1, 2, 3, 3, 4, 5])
    assert compose(f"Cafe{ACUTE}", lambda c: True) is None  # the faces have e and the accent: as typed
    assert compose(f"Cafe{ACUTE}", lambda c: c not in ("é", ACUTE)) is None  # no é either: as typed
    assert compose("\uf91d字", lambda c: False) is None  # a compatibility ideograph stays itself (no NFC)
    # a variation selector goes with its base, set in its default form: no em-wide blank after it
    assert compose("葛\U000E0100城☎\ufe0e", lacks_acute) == ("葛城☎", [0, 1, 1, 2, 3, 3])
    assert is_selector("\U000E0100") and is_selector("\ufe0e") and not is_selector(ACUTE)


def test_spans_follow_the_composed_text():
    import datetime as dt
    from types import SimpleNamespace

    from layout.model.edition import Edition, Paragraph, Story

    para = Paragraph(f"e{ACUTE}e{ACUTE}重點", spans=(Span(4, 6, "dot"),))
    edition = Edition(Path("e.yaml"), "測試晨報", dt.date(2026, 12, 1), 1,
                      stories={"s": Story("s", "標題", paragraphs=(para,))})
    template = SimpleNamespace(style=lambda name: SimpleNamespace(font="body"),
                               headline=SimpleNamespace(font="headline"))
    out = compose_edition(edition, template, lambda role: lambda c: c != ACUTE)
    (p,) = out.stories["s"].paragraphs
    assert p.text == "éé重點" and p.spans == (Span(2, 4, "dot"),) and p.text[2:4] == "重點"
    plain = Edition(Path("e.yaml"), "測試晨報", dt.date(2026, 12, 1), 1, stories={"s": Story("s", "標題")})
    assert compose_edition(plain, template, lambda role: lambda c: True) is plain  # the usual night: as it was


def test_layout_fonts_names_the_ad_and_the_page_credits_and_skips_selectors():
    items = [("ad_title", None, None, f"徵訂{EMOJI}", None, "box ad subscribe"),
             ("folio", None, None, f"責任編輯 王{EMOJI}", None, "the credits of page A02"),
             ("body", "s1", 0, f"Cafe{ACUTE}與葛\U000E0100城與漢\ufe00字", None)]
    cat = shipped_catalog()
    rep = font_report(cat, [(cat.roles[0] if r not in cat.roles else r, *rest) for r, *rest in items])
    said = {(d.story, d.message.split(" in ")[-1] if " in " in d.message else "") for d in rep.diagnostics}
    assert (None, "box ad subscribe") in said and (None, "the credits of page A02") in said
    assert not [d for d in rep.diagnostics if d.story == "s1"], [d.message for d in rep.diagnostics]
    assert [m.item for m in rep.missing] == ["box ad subscribe", "the credits of page A02"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clusters")
    text = MINI.read_text("utf-8")
    text = text.replace("    title: 2027年度報紙徵訂開始", f"    title: 2027年度報紙{EMOJI}徵訂開始")
    text = text.replace("credits: {責任編輯: 王小明, 校對: 張三}", f"credits: {{責任編輯: 王小{EMOJI}明, 校對: 張三}}")
    text = text.replace("      全市今日氣溫5至12℃，陰有小雨。",
                        f"      全市今日氣溫5至12℃，陰有小雨。咖啡館Cafe{ACUTE}在葛\U000E0100城與漢\ufe00口。")
    text = text.replace("    headline: 簡訊", "    headline: 簡\ufe00訊")
    edition = tmp / "e.yaml"
    edition.write_text(text, "utf-8")
    result = build(edition, tmp / "out", preflight=False, proofs=False)
    return result, tmp / "out"


def test_the_build_names_ads_and_furniture_by_their_item(built):
    result, _ = built
    said = [d for d in result.diagnostics if d.code == "FONT-MISSING-GLYPH"]
    ad = [d for d in said if "box ad subscribe" in d.message]
    credits = [d for d in said if "folio of page A01" in d.message]
    assert ad and credits, [d.format() for d in said]
    assert all(d.story is None and ", story " not in d.format() for d in ad + credits), [d.format() for d in ad + credits]
    assert all(EMOJI in d.message for d in said), [d.format() for d in said]  # nothing else is missing


def test_the_build_prints_the_composed_form_and_no_selector_is_missing(built):
    _, out = built
    report = json.loads((out / "report.json").read_text("utf-8"))
    codes = {m["code"] for p in report["pages"] for m in p["missing_glyphs"]}
    codes |= {m["code"] for s in report["stories"] for m in s["missing_glyphs"]}
    assert codes == {f"U+{ord(EMOJI):04X}"}, codes  # no U+0301, U+FE00, U+E0100: no red box for them
    text = subprocess.run(["pdftotext", str(out / "A01.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Café" in text.replace("\n", "") and "葛城與漢口" in text.replace("\n", "")


def test_report_json_and_the_proof_name_the_item_of_each_missing_glyph(built):
    from layout.proof.report import load_report

    _, out = built
    marks = [m for p in load_report(out).pages for m in p.missing]
    assert {m.item for m in marks} >= {"box ad subscribe", "the folio of page A01 (paper, date, section, credits)"}
    from layout.proof import make_proofs

    html = make_proofs(out, pages=["A01"], workers=1, dpi=40).html.read_text("utf-8")
    assert "in box ad subscribe at " in html  # the red box's tip on proof.html


def test_a_dropped_variation_selector_is_reported_naming_its_item(built):
    # it was left out silently: the editor asked for a form (葛 + U+E0100) the page does not print
    result, _ = built
    said = [d for d in result.diagnostics if d.code == "FONT-VARIATION-DROPPED"]
    assert all(d.severity == "warning" for d in said)
    assert any("U+FE00 after '簡'" in d.message and "in the headline of story brief" in d.message
               for d in said), [d.format() for d in said]
    body = [d for d in said if "U+E0100" in d.message]
    assert body and "'葛'" in body[0].message and body[0].location.column is not None, [d.format() for d in said]
    assert any("U+FE00" in d.message and "'漢'" in d.message for d in said), [d.format() for d in said]


def test_table_texts_and_the_paper_name_are_composed_like_story_text():
    # they skipped the step: "Cafe" + U+0301 in a cell or the paper's name printed "Cafe"
    import datetime as dt
    from types import SimpleNamespace

    from layout.model.edition import Edition
    from layout.table.model import Cell, Column, Row, Table

    table = Table("t", columns=(Column(f"Cafe{ACUTE}"),), rows=(Row((Cell(f"e{ACUTE}12"),)),),
                  title=f"咖啡Cafe{ACUTE}", notes=(f"註：e{ACUTE}",), source=f"來源：e{ACUTE}")
    edition = Edition(Path("e.yaml"), f"Cafe{ACUTE}晨報", dt.date(2026, 12, 1), 1, tables={"t": table})
    template = SimpleNamespace(style=lambda name: SimpleNamespace(font="body"),
                               headline=SimpleNamespace(font="headline"), tables={})
    out = compose_edition(edition, template, lambda role: lambda c: c != ACUTE)
    assert out.paper == "Café晨報"
    t = out.tables["t"]
    assert (t.columns[0].name, t.rows[0].cells[0].text, t.title, t.notes, t.source) == \
        ("Café", "é12", "咖啡Café", ("註：é",), "來源：é")
    assert edition.tables["t"] is table and table.rows[0].cells[0].text == f"e{ACUTE}12"  # the input is kept
