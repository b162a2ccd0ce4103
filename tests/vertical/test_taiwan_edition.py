"""A Taiwan-convention edition with vertical stories builds: TC faces embedded, centred
punctuation, 「」 quotes, vertical story and vertical head on their pages, reading order in the
PDF text, print and preflight stages unchanged (issue 16)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from layout.build import build, prepare
from layout.text.punct import classify_ink

EDITION = Path(__file__).resolve().parent / "data" / "taiwan.yaml"


def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="module")
def taiwan_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("taiwan")
    return build(EDITION, out, proofs=True), out


@pytest.fixture(scope="module")
def taiwan_prep():
    return prepare(EDITION)


def _page(prep, page_id):
    return next(p for p in prep.layout.pages if p.page.id == page_id)


def test_the_convention_selects_tc_faces_cns_punctuation_and_corner_quotes(taiwan_prep):
    prep = taiwan_prep
    assert prep.template.convention == "taiwan"
    assert prep.template.composition.convention == "taiwan" and prep.template.composition.punct_style == "plain"
    assert prep.catalog.chain("body").primary.key == "NotoSerifCJKtc-Regular"
    assert prep.catalog.chain("headline").primary.key == "NotoSansCJKtc-Black"
    heads = [r for p in prep.layout.pages for r in p.frame.runs() if r.source.kind == "headline"]
    assert heads and {r.face for r in heads} == {"NotoSansCJKtc-Black"}  # horizontal and vertical heads
    a03 = _page(prep, "A03").frame
    body = [r for r in a03.runs() if r.source.story == "s03" and r.source.kind == "body"]
    text = "".join(r.text for r in body)
    assert "「數字經濟」" in text and "“" not in text  # typed “”, set 「」
    face = prep.catalog.face("NotoSerifCJKtc-Regular")
    commas = [g for r in body if r.face == face.key for g in r.glyphs if g.text == "，"]
    assert commas
    ink = face.ink(commas[0].gid)
    assert classify_ink(face.advance(commas[0].gid), ink[0], ink[2]) == "centre"  # CNS: centred in the em


def test_vertical_story_and_vertical_head_are_in_the_page_description(taiwan_prep):
    a02 = _page(taiwan_prep, "A02").frame
    s02 = [r for r in a02.runs() if r.source.story == "s02"]
    assert s02 and all(r.vertical or r.rotated for r in s02)
    assert {r.source.kind for r in s02} >= {"kicker", "headline", "byline", "body", "subhead"}
    assert any(r.rotated and r.text == "Shuttle" for r in s02)
    a03 = _page(taiwan_prep, "A03").frame
    head = [r for r in a03.runs() if r.source.story == "s03" and r.source.kind == "headline"]
    assert head and all(r.vertical for r in head)
    body = [r for r in a03.runs() if r.source.story == "s03" and r.source.kind == "body"]
    right_of_body = max(g.x + g.advance for r in body for g in r.glyphs)
    assert min(g.x for r in head for g in r.glyphs) > right_of_body  # the strip stands right of the body


def test_the_edition_builds_clean_with_tc_faces_and_reading_order(taiwan_build):
    result, out = taiwan_build
    report = (out / "report.json").read_text("utf-8")
    import json

    data = json.loads(report)
    assert data["summary"]["errors"] == 0, [d for d in data["diagnostics"] if d["severity"] == "error"]
    assert not [f for f in data["preflight"] if f["severity"] == "error"]
    assert data["summary"]["overset"] == 0
    pdffonts = _tool("pdffonts")
    fonts = subprocess.run([pdffonts, str(out / "A02.pdf")], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJKtc-Regular" in fonts and "NotoSansCJKtc-Bold" in fonts and "Identity-V" in fonts
    # the headlines are in the TC Sans Black, as the mainland's are in the SC one (fonts/README.md)
    for page in ("A01", "A02", "A03"):
        fonts = subprocess.run([pdffonts, str(out / f"{page}.pdf")], capture_output=True, text=True,
                               check=True).stdout
        assert "NotoSansCJKtc-Black" in fonts and "NotoSansCJKsc-Black" not in fonts, (page, fonts)
    pdftotext = _tool("pdftotext")
    raw = subprocess.run([pdftotext, "-raw", str(out / "A02.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    flat = "".join(raw.split())
    for piece in ("市府宣佈第12屆「山城」論壇下月登場",
                  "台北市政府今天宣佈，第12屆「山城」論壇將於下月舉行，來自各地的代表共300人出席。",
                  "交通安排主辦單位說，論壇期間將加開捷運班次，並在會場周邊設置Shuttle接駁車，全程約15分鐘。"):
        assert piece in flat


def test_a_vertical_story_jumps_in_vertical_form_and_loses_nothing(tmp_path):
    text = EDITION.read_text("utf-8")
    text = text.replace("      - story: s02\n        at: {col: 1, line: 1, cols: 4, lines: 105}",
                        "      - story: s02\n        at: {col: 1, line: 1, cols: 2, lines: 12}", 1)
    text = text.replace("      - story: s05\n        at: {col: 1, line: 1, cols: 4, lines: 105}",
                        "      - story: s05\n        at: {col: 1, line: 1, cols: 4, lines: 105}\n"
                        "      - continued: s02\n        at: {col: 5, line: 1, cols: 4, lines: 105}", 1)
    text = text.replace("    direction: vertical\n", "    direction: vertical\n    jump: A05\n", 1)
    path = tmp_path / "jump.yaml"
    path.write_text(text, "utf-8")
    prep = prepare(path)
    errors = prep.ctx.diagnostics.errors
    assert not errors, errors
    a02, a05 = _page(prep, "A02").frame, _page(prep, "A05").frame
    jump = [r for r in a02.runs() if r.source.story == "s02" and r.source.kind == "jump"]
    cont = [r for r in a05.runs() if r.source.story == "s02" and r.source.kind == "jump"]
    assert "".join(r.text for r in jump) == "（下轉A05版）" and all(r.vertical or r.rotated for r in jump)
    assert "".join(r.text for r in cont) == "（上接A02版）" and all(r.vertical or r.rotated for r in cont)
    story = prep.ctx.edition.stories["s02"]
    printed = {}
    for frame in (a02, a05):
        for r in frame.runs():
            if r.source.story == "s02" and r.source.kind == "body":
                printed.setdefault(r.source.paragraph, []).append(r.text)
    body = [(n, p) for n, p in enumerate(story.paragraphs) if p.kind == "body"]
    assert any(r.source.kind == "body" for r in a05.runs() if r.source.story == "s02")  # the jump is used
    for n, p in body:  # every character of every paragraph printed, in order
        assert "".join(printed[n]) == p.text.replace(" ", "")
    assert prep.layout.stories["s02"].result.overset_lines == 0


def test_proofs_render_the_vertical_pages(taiwan_build):
    _, out = taiwan_build
    proofs = out / "proofs"
    assert (proofs / "proof.html").exists()
    assert any(p.name.startswith("A02") and p.suffix == ".png" for p in proofs.iterdir())


def test_a_vertical_head_in_a_one_column_module_is_set_horizontally_with_a_warning(tmp_path):
    text = EDITION.read_text("utf-8").replace(
        "      - story: s03\n        at: {col: 1, line: 1, cols: 4, lines: 105}",
        "      - story: s03\n        at: {col: 1, line: 1, cols: 1, lines: 105}", 1)
    path = tmp_path / "narrow.yaml"
    path.write_text(text, "utf-8")
    prep = prepare(path)
    codes = [d.code for d in prep.ctx.diagnostics.warnings if d.story == "s03"]
    assert "HEADLINE-VERTICAL-NARROW" in codes
    head = [r for r in _page(prep, "A03").frame.runs() if r.source.story == "s03" and r.source.kind == "headline"]
    assert head and not any(r.vertical for r in head)


def test_vertical_pages_are_byte_identical_from_a_fresh_build(taiwan_build, tmp_path):
    from layout.build import build as build_again

    _, out = taiwan_build
    again = tmp_path / "again"
    build_again(EDITION, again, preflight=False)
    for page in ("A02.pdf", "A03.pdf"):
        assert (again / page).read_bytes() == (out / page).read_bytes(), page


# --- the print stage on vertical pages: the same checks as the sample's (tests/print) -----------


def _run(*cmd):
    return subprocess.run([_tool(cmd[0]), *cmd[1:]], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("page", ["A02", "A03"])
def test_vertical_pages_pass_qpdf_and_embed_every_font(taiwan_build, page):
    _, out = taiwan_build
    r = _run("qpdf", "--check", str(out / f"{page}.pdf"))
    assert r.returncode == 0 and "No syntax or stream encoding errors" in r.stdout, r.stdout + r.stderr
    rows = _run("pdffonts", str(out / f"{page}.pdf")).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row  # embedded, subset, with a ToUnicode map


def test_ghostscript_redistils_the_vertical_page_as_pdfx(taiwan_build, tmp_path):
    import importlib.util

    import pikepdf

    _tool("gs")
    path = Path(__file__).resolve().parents[1] / "print" / "test_print_pdfx.py"
    spec = importlib.util.spec_from_file_location("print_pdfx_for_vertical", path)
    pdfx = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pdfx)
    _, out = taiwan_build
    said, redistilled = pdfx.gs_pdfx(out / "A02.pdf", tmp_path)
    assert said.strip() == ""
    with pikepdf.open(redistilled) as pdf:
        assert str(pdf.trailer.Info.GTS_PDFXVersion).startswith("PDF/X")


def test_vertical_body_text_prints_on_the_k_plate_only(taiwan_build, tmp_path):
    """Ghostscript's separations of the vertical page: every sampled body column is solid K and
    has no C, M or Y (the upright glyphs in Identity-V fonts and the rotated Latin alike)."""
    import re

    import numpy as np
    from PIL import Image

    result, out = taiwan_build
    _tool("gs")
    dpi = 50
    r = _run("gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{dpi}",
             f"-sOutputFile={tmp_path}/a.tif", str(out / "A02.pdf"))
    assert r.returncode == 0, r.stderr
    plates = {}
    for name in ("Cyan", "Magenta", "Yellow", "Black"):
        with Image.open(tmp_path / f"a({name}).tif") as im:
            plates[name] = 255 - np.asarray(im.convert("L"), dtype=np.int32)
    info = _run("pdfinfo", "-box", str(out / "A02.pdf")).stdout
    boxes = {m.group(1): [float(v) for v in m.group(2).split()]
             for m in re.finditer(r"^(\w+Box):\s+([-\d. ]+)$", info, re.M)}
    trim, media = boxes["TrimBox"], boxes["MediaBox"]
    s = dpi / 72.0

    def px(x, y):
        return int(round((trim[0] - media[0] + x) * s)), int(round((media[3] - trim[3] + y) * s))

    frame = next(p for p in result.layout.pages if p.page.id == "A02").frame
    runs = [r for r in frame.runs() if r.source.kind == "body" and (r.vertical or r.rotated) and len(r.glyphs) > 3]
    assert len(runs) >= 10
    for run_ in runs:
        xs = [g.x for g in run_.glyphs]
        ys = [g.y for g in run_.glyphs] + [g.y + g.advance for g in run_.glyphs]
        half = run_.size / 2
        x0, y0 = px(min(xs) - half, min(ys))
        x1, y1 = px(max(xs) + half, max(ys))
        for plate in ("Cyan", "Magenta", "Yellow"):
            assert plates[plate][y0:y1, x0:x1].max(initial=0) == 0, (plate, run_.text)
        assert plates["Black"][y0:y1, x0:x1].max(initial=0) > 128, run_.text


def test_a_character_no_face_has_in_vertical_text_is_reported_and_marked(tmp_path):
    """Nothing lost silently: in a vertical head and a vertical body, a character no face has is
    an error at its place, and its cell is kept on the page for the proofs (MissingGlyph)."""
    from layout.frames import MissingGlyph

    text = EDITION.read_text("utf-8").replace("    headline: {text: 捷運新線年底通車, direction: vertical}",
                                              "    headline: {text: 捷運\U00020000新線年底通車, direction: vertical}", 1)
    text = text.replace("      主辦單位說，論壇期間", "      主辦單位說，\U00020001論壇期間", 1)
    path = tmp_path / "missing.yaml"
    path.write_text(text, "utf-8")
    prep = prepare(path)
    found = {(d.story, d.code) for d in prep.ctx.diagnostics.errors}
    assert ("s03", "FONT-MISSING-GLYPH") in found and ("s02", "FONT-MISSING-GLYPH") in found
    a03 = _page(prep, "A03").frame
    cells = [i for i in a03.items if isinstance(i, MissingGlyph) and i.source.story == "s03"]
    assert [c.text for c in cells] == ["\U00020000"] and cells[0].source.kind == "headline"
    head = [r for r in a03.runs() if r.source.story == "s03" and r.source.kind == "headline"]
    assert "".join(r.text for r in head) == "捷運新線年底通車"  # the rest printed, nothing drawn for it
    a02 = _page(prep, "A02").frame
    body = [i for i in a02.items if isinstance(i, MissingGlyph) and i.source.story == "s02"]
    assert [c.text for c in body] == ["\U00020001"] and body[0].source.kind == "body"
    from layout.frames import escapes

    assert escapes(a02) == [] and escapes(a03) == []


def test_a_vertical_story_sets_its_table_horizontally_at_the_foot(tmp_path):
    """A story table in a vertical story (it used to be dropped without a word): horizontal, at
    the module's foot left of the head's strip, the bands cut above it, all its rows set."""
    from layout.frames import GlyphRun, escapes

    text = EDITION.read_text("utf-8").replace("    direction: vertical\n",
                                              "    direction: vertical\n    tables: [prices]\n", 1)
    text = text.replace("\nads:\n", """
tables:
  prices:
    header: [品種, 單位, 今日價, 漲跌]
    columns: {漲跌: change}
    rows:
      - [白菜, 元/斤, 1.20, -0.10]
      - [蘿蔔, 元/斤, 0.95, 0.00]
      - [豬肉（精瘦）, 元/斤, 16.80, +0.40]
    source: 來源：市商務委

ads:
""", 1)
    path = tmp_path / "table.yaml"
    path.write_text(text, "utf-8")
    prep = prepare(path)
    assert not [d for d in prep.ctx.diagnostics.errors if d.story == "s02"]
    page = _page(prep, "A02")
    assert [(t.id, t.rows_set, t.status) for t in page.tables] == [("prices", 3, "fits")]
    frame = page.frame
    table = [r for r in frame.items if isinstance(r, GlyphRun) and r.source.story == "prices"]
    assert table and not any(r.vertical or r.rotated for r in table)
    body = [r for r in frame.runs() if r.source.story == "s02" and r.source.kind == "body"]
    head = [r for r in frame.runs() if r.source.story == "s02" and r.source.kind in ("kicker", "headline", "byline")]
    top = min(g.y - r.size for r in table for g in r.glyphs)
    assert max(g.y + g.advance for r in body for g in r.glyphs) < top  # the bands above the table
    module = next(m for m in frame.modules if m.ref == "s02")
    assert max(g.y for r in table for g in r.glyphs) <= module.y + module.h
    assert max(g.x + g.advance for r in table for g in r.glyphs) < min(g.x - r.size / 2 for r in head for g in r.glyphs)
    assert escapes(frame) == []
    assert prep.layout.stories["s02"].result.overset_lines == 0
