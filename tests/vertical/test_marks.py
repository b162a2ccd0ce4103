"""Inline styles in vertical text (cjk-rules R47, R48, R55): emphasis dots on the right of the
characters, proper-noun and book-title lines on the left, bold and Kai runs in their faces;
checked through the page description and, for the drawing, the PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from layout.frames import Mark, Module, PageFrame, Source, escapes
from layout.paginate.vertical import DOT_X, LINE_X, column_marks, column_runs
from layout.text.inline import parse_inline
from layout.text.vertical import VerticalComposer
from tests.vertical.conftest import GOLDEN

approx = pytest.approx
SIZE, AXIS, TOP = 10.0, 200.0, 50.0
EDITION = Path(__file__).resolve().parent / "data" / "taiwan.yaml"


def _set(comp, raw, measure=20):
    text, spans, errors = parse_inline(raw)
    assert not errors
    par = comp.paragraph(text, measure)
    return text, spans, par


def test_g17_vertical_emphasis_dots_stand_right_of_the_characters(vcomp):
    """G17 set vertically: exactly 2 dots, right of 重 and 點 and centred on each down the column,
    none beside 「」。 (R47, R55)."""
    text, spans, par = _set(vcomp, "這是「{dots:重點}」。")
    line = par.lines[0]
    marks = column_marks(line, spans, AXIS, TOP, SIZE, source=Source(story="s"))
    assert [m.kind for m in marks] == ["dot", "dot"]
    by_text = {g.text: g for g in line.glyphs}
    for m, ch in zip(marks, "重點", strict=True):
        g = by_text[ch]
        assert m.x == approx(AXIS + DOT_X * SIZE) and m.x - m.size / 2 > AXIS + SIZE / 2  # right of the em box
        assert m.y == approx(TOP + (g.y + g.advance / 2) * SIZE)  # centred on the character
    assert marks[1].y - marks[0].y == approx(SIZE)  # solid Han: one em apart


def test_dots_on_a_two_digit_cell_and_a_rotated_word(vcomp):
    text, spans, par = _set(vcomp, "{dots:第12屆Python}")
    line = par.lines[0]
    marks = column_marks(line, spans, AXIS, TOP, SIZE, source=Source(story="s"))
    # 第, the 12 cell (one dot: it reads as one character), 屆, and each letter of the rotated word
    assert len(marks) == 3 + len("Python")
    cell = [g for g in line.glyphs if g.kind == "tcy"]
    assert marks[1].y == approx(TOP + (cell[0].y + 0.5) * SIZE)
    rotated = [g for g in line.glyphs if g.kind == "rotated"]
    assert [m.y for m in marks[3:]] == approx([TOP + (g.y + g.advance / 2) * SIZE for g in rotated])


def test_name_and_book_lines_stand_left_and_break_with_the_column(vcomp):
    text, spans, par = _set(vcomp, "市民前往{name:渝江}邊閱讀{book:江城雪}一書，並在江邊合影留念。", 8)
    lines = par.lines
    marks = [m for ln in lines for m in column_marks(ln, spans, AXIS, TOP, SIZE, source=Source(story="s"))]
    kinds = [m.kind for m in marks]
    assert kinds.count("line") == 1 and "wavy" in kinds
    for m in marks:
        assert m.y1 is not None and m.y1 > m.y  # runs down the column
        assert m.x == approx(AXIS - LINE_X * SIZE) and m.x + m.size / 2 < AXIS - SIZE / 2  # left of the em box
    name = next(m for m in marks if m.kind == "line")
    glyphs = {g.text: g for g in lines[0].glyphs}
    assert name.y == approx(TOP + (glyphs["渝"].y + 0.06) * SIZE)
    assert name.y1 == approx(TOP + (glyphs["江"].y + glyphs["江"].advance - 0.06) * SIZE)
    # 江城雪 falls over the column break (8 em columns): one wavy line in each column, none across
    book_cols = {k for k, ln in enumerate(lines) for m in column_marks(ln, spans, AXIS, TOP, SIZE,
                                                                        source=Source(story="s")) if m.kind == "wavy"}
    starts = [ln.glyphs[0].index for ln in lines]
    first_book = text.index("江城雪")
    split = any(first_book < s < first_book + 3 for s in starts)
    assert len(book_cols) == (2 if split else 1)


def test_inline_bold_and_kai_runs_take_their_faces_in_a_column(serif, sans):
    comp = VerticalComposer(GOLDEN, serif)
    text = "記者會上，市長說明計劃，第12屆會議將於下月舉行。"
    start, end = text.index("市長"), text.index("，第")
    cell = text.index("12")
    par = comp.paragraph(text, 30, runs=((start, end, sans), (cell - 1, cell + 3, sans)))
    faces = {g.index: g.face for ln in par.lines for g in ln.glyphs}
    assert {faces[k] for k in range(start, end)} == {sans.primary.key}
    assert faces[0] == serif.primary.key and faces[end] == serif.primary.key
    digits = [g for ln in par.lines for g in ln.glyphs if g.kind == "tcy"]
    assert digits and {g.face for g in digits} == {sans.primary.key}  # the cell's digits in the run's face
    plain = comp.paragraph(text, 30)
    assert "".join(g.text for ln in par.lines for g in ln.glyphs) == "".join(
        g.text for ln in plain.lines for g in ln.glyphs)


def test_fixed_gap_is_kept_in_a_column(vcomp):
    text = "本報訊\u3000市政府今天宣佈新的交通計劃。"
    par = vcomp.paragraph(text, 30, fixed=((3, 1.0),))
    glyphs = {g.index: g for g in par.lines[0].glyphs}
    assert glyphs[4].y - (glyphs[2].y + glyphs[2].advance) == approx(1.0)  # exactly one em, not glue


@pytest.fixture(scope="module")
def marked_prep(tmp_path_factory):
    from layout.build import prepare

    text = EDITION.read_text("utf-8").replace(
        "      台北市政府今天宣佈，第12屆“山城”論壇將於下月舉行，",
        "      台北市政府今天宣佈，第12屆“山城”論壇將於下月在{name:渝江}畔舉行，{dots:重點}討論**城市更新**與{book:江城雪}，", 1)
    text = text.replace("    direction: vertical\n", "    direction: vertical\n    dateline: 本報訊\n", 1)
    path = tmp_path_factory.mktemp("marks") / "marks.yaml"
    path.write_text(text, "utf-8")
    return prepare(path)


def test_a_vertical_story_prints_its_marks_faces_and_dateline(marked_prep):
    prep = marked_prep
    frame = next(p for p in prep.layout.pages if p.page.id == "A02").frame
    story = prep.ctx.edition.stories["s02"]
    marks = [i for i in frame.items if isinstance(i, Mark) and i.source.story == "s02"]
    assert sorted(m.kind for m in marks) == ["dot", "dot", "line", "wavy"]
    assert all(m.y1 is not None for m in marks if m.kind != "dot")
    body = [r for r in frame.runs() if r.source.story == "s02" and r.source.kind == "body"]
    body_chain = prep.catalog.chain(prep.template.style("body").font)
    first = "".join(r.text for r in body if r.source.paragraph == 0)
    assert first.startswith("本報訊") and "**" not in first and "{" not in first
    assert first.replace("\u3000", "") == ("本報訊" + story.paragraphs[0].text).replace(" ", "")
    run_faces = {r.face for r in body if r.text and set(r.text) <= set("城市更新")}
    assert run_faces and body_chain.primary.key not in run_faces  # 城市更新 set in the bold role's face
    assert escapes(frame) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_vertical_marks_are_drawn_and_the_text_still_reads_in_order(tmp_path, vcomp):
    from layout.fonts.catalog import FontCatalog
    from layout.printprofile import load_profile
    from layout.render.pdf import render

    cat = FontCatalog.default()
    comp = VerticalComposer(GOLDEN, cat.chain("body"))
    text, spans, par = _set(comp, "市民前往{name:渝江}邊閱讀{book:江城雪}，{dots:重點}在此。", 30)
    items = []
    for k, ln in enumerate(par.lines):
        items += column_runs(ln, comp, AXIS - k * 15, TOP, SIZE, source=Source(story="t", kind="body"))
        items += column_marks(ln, spans, AXIS - k * 15, TOP, SIZE, source=Source(story="t", kind="body"))
    frame = PageFrame("T1", 400, 400, tuple(items), (Module(0, 0, 400, 400, "story", "t"),))
    assert escapes(frame) == []
    data, _ = render([frame], catalog=cat, images={}, profile=load_profile("newsprint"), title="t")
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "".join(out.split()) == text
    # the lines are strokes down the page: drawn in a coordinate system turned by 90°, the wavy one in curves
    import pikepdf

    with pikepdf.open(pdf) as doc:
        ops = pikepdf.parse_content_stream(doc.pages[0])
    turned = [o for o in ops if str(o.operator) == "cm" and [float(v) for v in o.operands[:4]] == [0, -1, 1, 0]]
    assert len(turned) >= 2  # the name line and the book line
    assert sum(1 for o in ops if str(o.operator) == "c") >= 2
