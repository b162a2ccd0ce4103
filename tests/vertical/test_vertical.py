"""Vertical composition (cjk-rules R50-R56), checked through the page description (GlyphRuns)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from layout.frames import Module, PageFrame, Source, escapes
from layout.grid.grid import IDEO_ASCENT
from layout.paginate.vertical import column_runs
from layout.text import rules_zh as R
from layout.text.vertical import VerticalComposer, display_columns, prepare
from tests.vertical.conftest import GOLDEN, column_text

approx = pytest.approx
SIZE = 20.0
AXIS, TOP = 200.0, 50.0


def runs_of(par, comp, size=SIZE):
    out = []
    for k, line in enumerate(par.lines):
        out += column_runs(line, comp, AXIS - k * size * 1.5, TOP, size, source=Source(story="t", kind="body"))
    return out


def glyphs(runs):
    return [(r, g) for r in runs for g in r.glyphs]


def test_quotes_tcy_and_acronyms_are_prepared_before_composition():
    p = prepare("第12屆“山城”論壇，GDP與Python，2026年，3.5億，50%")
    assert p.source == "第12屆「山城」論壇，GDP與Python，2026年，3.5億，50%"
    assert list(p.tcy.values()) == ["12"]  # 2026 (4 digits), 3.5 and 50% are rotated with their signs
    assert "".join(p.upright_latin.values()) == "GDP"


def test_g18_vertical_headline_through_the_page_description(sans):
    comp = VerticalComposer(GOLDEN, sans)
    face = sans.primary
    par = display_columns("第12屆“山城”論壇", 20, 2, comp)
    assert len(par.lines) == 1
    runs = runs_of(par, comp)
    assert "".join(r.text for r in runs) == "第12屆「山城」論壇"  # R52: the quotes become corner brackets
    assert all(r.vertical and not r.rotated for r in runs)
    placed = glyphs(runs)
    by_text = {g.text: (r, g) for r, g in placed}
    # 12: tate-chu-yoko, both digits side by side in the one em cell after 第, centred on the axis (R54)
    (r1, one), (r2, two) = by_text["1"], by_text["2"]
    natural = sum(face.advance(face.gid(c)) for c in "12")
    assert r1 is r2 and r1.size == approx(SIZE * min(1.0, 1 / natural))  # squeezed to the em if wider
    left = one.x - face.advance(one.gid) * r1.size / 2
    right = two.x + face.advance(two.gid) * r1.size / 2
    assert (left + right) / 2 == approx(AXIS, abs=0.01)
    assert right - left <= SIZE + 1e-6
    # the digits' baseline: their em box centred in the cell that starts one em below the top
    face_metrics = comp.vchain.vfaces[face.key].metrics
    small = r1.size
    assert one.y + face_metrics.origin(one.gid) * small == approx(TOP + SIZE + (SIZE - small) / 2 + IDEO_ASCENT * small)
    # Han neighbours solid against the cell: 屆 starts right under it, no Han-Latin glue
    assert by_text["屆"][1].y == approx(TOP + 2 * SIZE)
    # the corner brackets drawn with the face's vertical forms (vert): the glyphs of ﹁ and ﹂
    assert by_text["「"][1].gid == face.gid("﹁") != face.gid("「")
    assert by_text["」"][1].gid == face.gid("﹂") != face.gid("」")


def test_vertical_story_quotes_become_vertical_corner_forms(vcomp, serif):
    par = vcomp.paragraph("他說：“我們明天見。”大家都笑了。", 30)
    runs = runs_of(par, vcomp, 9)
    face = serif.primary
    text = "".join(r.text for r in runs)
    assert "「我們明天見。」" in text and "“" not in text
    gids = {g.text: g.gid for _, g in glyphs(runs)}
    assert gids["「"] == face.gid("﹁") and gids["」"] == face.gid("﹂")
    assert gids["。"] == face.gid("︒")  # the vertical full stop (top-right quadrant, GB)


def test_two_digit_number_upright_in_a_body_column(vcomp):
    par = vcomp.paragraph("今年共有12個項目入選。", 20)
    placed = glyphs(runs_of(par, vcomp, 9))
    digits = [(r, g) for r, g in placed if g.text in "12"]
    assert [g.text for _, g in digits] == ["1", "2"]
    assert digits[0][1].y == approx(digits[1][1].y)  # side by side, one cell
    assert digits[0][1].x < digits[1][1].x
    han = [g for _, g in placed if g.text in "有個"]
    assert han[1].y - han[0].y == approx(2 * 9)  # 有 | cell | 個: two ems, set solid (R54)


def test_latin_word_is_rotated_with_quarter_em_glue(vcomp):
    par = vcomp.paragraph("使用Python編程", 20)
    runs = runs_of(par, vcomp, 10)
    rotated = [r for r in runs if r.rotated]
    assert len(rotated) == 1 and rotated[0].text == "Python" and not rotated[0].vertical
    word = rotated[0].glyphs
    assert all(g.x == approx(AXIS - (IDEO_ASCENT - 0.5) * 10) for g in word)  # one baseline down the column
    assert all(b.y == approx(a.y + a.advance) for a, b in zip(word, word[1:], strict=False))  # set solid
    placed = dict((g.text, g) for _, g in glyphs(runs))
    yong, bian = placed["用"], placed["編"]
    assert word[0].y - (yong.y + yong.advance) == approx(2.5)  # R53: ¼ em glue to the Han before
    assert bian.y - (word[-1].y + word[-1].advance) == approx(2.5)


@pytest.mark.parametrize("breaker", ["first-fit", "total-fit"])
def test_line_start_prohibited_mark_is_moved_down_the_column(serif, breaker):
    from dataclasses import replace

    comp = VerticalComposer(replace(GOLDEN, breaker=breaker), serif)
    par = comp.paragraph("甲乙丙丁戊，己庚。", 5)  # G1 set vertically
    assert [column_text(ln) for ln in par.lines] == ["甲乙丙丁", "戊，己庚。"]
    first = par.lines[0].glyphs
    assert [g.y for g in first] == approx([0, 4 / 3, 8 / 3, 4])  # justified down the column
    for ln in par.lines:
        assert ln.glyphs[0].text not in R.NO_START_CHARS


def test_vertical_punctuation_is_measured_down_the_column(serif, serif_tc):
    """R2 vertically: the SC vertical ，。 stand in the top-right quadrant (blank below: compressible
    at a column end), the TC ones centred (nothing to compress)."""
    from layout.text.vertical import VerticalChain

    for chain, side in ((serif, "left"), (serif_tc, "centre")):
        vc = VerticalChain(chain)
        from layout.text.punct import classify_ink

        for ch in "，。":
            vf, gid = vc.resolve(ch)
            ink = vf.ink(gid)
            assert classify_ink(vf.advance(gid), ink[0], ink[2]) == side, (chain, ch)


def test_column_runs_stay_inside_their_module(vcomp):
    par = vcomp.paragraph("台北市政府今天宣佈，第12屆“山城”論壇將於下月舉行，Python與GDP都會談到。", 13)
    runs = runs_of(par, vcomp, 9)
    frame = PageFrame("T1", 400, 400, tuple(runs), (Module(AXIS - 9 * 1.5 * len(par.lines), TOP, 9 * 1.5 *
                                                           len(par.lines) + 9, 13 * 9, "story", "t"),))
    assert escapes(frame) == []


def _render(frames):
    from layout.fonts.catalog import FontCatalog
    from layout.printprofile import load_profile
    from layout.render.pdf import render

    data, _ = render(frames, catalog=FontCatalog.default(), images={}, profile=load_profile("newsprint"), title="t")
    return data


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_text_comes_back_in_reading_order(tmp_path):
    from layout.fonts.catalog import FontCatalog

    cat = FontCatalog.default()
    comp = VerticalComposer(GOLDEN, cat.chain("body"))
    text = "第12屆“山城”論壇今天開幕，來自各地的代表出席，Python也談到。大會將持續三天。"
    par = comp.paragraph(text, 10)
    runs = runs_of(par, comp, 12)
    frame = PageFrame("T1", 400, 400, tuple(runs), (Module(0, 0, 400, 400, "story", "t"),))
    pdf = tmp_path / "v.pdf"
    pdf.write_bytes(_render([frame]))
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "".join(out.split()) == prepare(text).source  # columns right to left, each top to bottom
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Identity-V" in fonts
    qpdf = shutil.which("qpdf")
    if qpdf:
        subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, check=True)


def test_vertical_display_lines_are_balanced(sans):
    comp = VerticalComposer(GOLDEN, sans)
    text = "市政府宣佈明年起全面推動城市更新計劃"  # 18 characters
    par = display_columns(text, 12, 2, comp)
    assert len(par.lines) == 2
    lengths = [ln.length for ln in par.lines]
    assert max(lengths) - min(lengths) <= 1.0 + 1e-6  # 9 | 9, not 12 | 6
    assert "".join(column_text(ln) for ln in par.lines) == text


def test_a_display_breaker_decides_the_column_breaks(sans):
    """The word-boundary breaker of horizontal display lines is passed in: its pieces become the
    columns (each still kinsoku-checked), and the characters keep their place in the text."""
    comp = VerticalComposer(GOLDEN, sans)
    text = "城市更新計劃明年起全面推動"
    calls = []

    def breaker(t, length):
        calls.append((t, length))
        return ["城市更新計劃", "明年起全面推動"]

    par = display_columns(text, 12, 2, comp, breaker)
    assert calls == [(text, 12)]
    assert [column_text(ln) for ln in par.lines] == ["城市更新計劃", "明年起全面推動"]
    assert par.lines[1].glyphs[0].index == text.index("明")


def test_an_upright_acronym_never_splits_across_columns(vcomp):
    # With 4 em columns, GDP would fall over a column break as three upright cells: it is then
    # set as one rotated word instead; elsewhere it stays upright.
    for text in ("今年GDP增長", "全年GDP增長三成"):
        par = vcomp.paragraph(text, 4)
        for ln in par.lines:
            letters = [g for g in ln.glyphs if g.text in "GDP"]
            assert "".join(g.text for g in letters) in ("", "GDP"), [column_text(x) for x in par.lines]
    par = vcomp.paragraph("GDP增長", 10)
    assert all(g.kind == "upright" for g in par.lines[0].glyphs)


def test_an_acronym_that_fits_the_column_stays_upright_wherever_it_falls(vcomp):
    """qa2's vertical story set RCEP and AI turned where the first composition broke a column
    inside them (they then moved to the next column's head, whole), and upright elsewhere in the
    same story: the column now breaks before the acronym and it stays upright."""
    text = ("業內人士分析，隨著RCEP規則紅利持續釋放，本地柑橘、榨菜等農產品出口東盟國家的通關時間已壓縮至"
            "6小時以內。在AI大模型、5G基站和工業互聯網等領域，本市今年新增專利。")
    for measure in (9, 10, 11, 12, 13):
        par = vcomp.paragraph(text, measure, indent=2.0)
        letters = [g for ln in par.lines for g in ln.glyphs if g.text in "RCEPAI"]
        assert "".join(g.text for g in letters) == "RCEPAI"
        assert all(g.kind == "upright" for g in letters), (measure, [column_text(ln) for ln in par.lines])
        for ln in par.lines:
            got = "".join(g.text for g in ln.glyphs if g.text in "RCEPAI")
            assert got in ("", "RCEP", "AI", "RCEPAI"), [column_text(x) for x in par.lines]


def test_vertical_display_lines_break_at_word_boundaries(sans):
    """The display rules of horizontal headlines (layout.text.display) choose the column breaks:
    balanced by length alone, 城市更新計劃明年起全面推動 would split 明年 (7 | 6); at the word
    boundary it is 城市更新計劃 | 明年起全面推動. The editor's space is the preferred break."""
    from layout.text.vertical import DisplayBreaker

    comp = VerticalComposer(GOLDEN, sans)
    text = "城市更新計劃明年起全面推動"
    plain = display_columns(text, 8, 2, comp)
    assert [column_text(ln) for ln in plain.lines] == ["城市更新計劃明", "年起全面推動"]  # the naive balance
    breaker = DisplayBreaker(comp, max_columns=2)
    par = display_columns(text, 8, 2, comp, breaker)
    assert [column_text(ln) for ln in par.lines] == ["城市更新計劃", "明年起全面推動"]
    assert breaker.breaks(text, 8).inside_words == 0
    # the same breaks as the horizontal display lines of the same Han text (both 1 em a character)
    from layout.text.display import compose_display

    for text, length in (("市府宣佈 明年起全面推動城市更新", 12), ("捷運新線年底通車，沿線居民期待已久", 9),
                         ("本市人工智能產業規模突破千億元", 8)):
        flat = compose_display(text, length, GOLDEN, sans, max_lines=2)
        across = ["".join(g.text for g in ln.glyphs).strip() for ln in flat.lines]
        down = [column_text(ln) for ln in display_columns(text, length, 2, comp, breaker).lines]
        assert down == across, (text, down, across)


def test_a_display_break_never_falls_inside_an_upright_acronym(sans):
    from layout.text.vertical import DisplayBreaker

    comp = VerticalComposer(GOLDEN, sans)
    breaker = DisplayBreaker(comp, max_columns=3)
    for length in (3, 4, 5, 6):
        for piece in breaker("全年GDP增長三成", length):
            assert "GDP"[:1] not in piece or "GDP" in piece, (length, piece)


def test_a_vertical_headline_on_the_page_breaks_its_columns_between_words(tmp_path):
    """Through the build: balanced by length alone the 13 characters would break 7 | 6, inside
    明年; the page's headline breaks at the word boundary, with no DISPLAY-WORD-BROKEN."""
    from pathlib import Path

    from layout.build import prepare

    edition = Path(__file__).resolve().parent / "data" / "taiwan.yaml"
    text = edition.read_text("utf-8").replace("    headline: {text: 捷運新線年底通車, direction: vertical}",
                                              "    headline: {text: 城市更新計劃明年起全面推動, direction: vertical}", 1)
    text = text.replace("      - story: s03\n        at: {col: 1, line: 1, cols: 4, lines: 105}",
                        "      - story: s03\n        at: {col: 1, line: 1, cols: 4, lines: 24}\n"
                        "      - story: s06\n        at: {col: 1, line: 25, cols: 4, lines: 81}", 1)
    text = text.replace("    items:\n      - story: s06\n        at: {col: 1, line: 1, cols: 4, lines: 105}\n",
                        "    items: []\n", 1)
    path = tmp_path / "head.yaml"
    path.write_text(text, "utf-8")
    prep = prepare(path)
    frame = next(p for p in prep.layout.pages if p.page.id == "A03").frame
    head = [r for r in frame.runs() if r.source.story == "s03" and r.source.kind == "headline"]
    columns = {}
    for r in head:
        columns.setdefault(round(r.glyphs[0].x, 1), []).append(r.text)
    texts = ["".join(v) for _, v in sorted(columns.items(), reverse=True)]  # right to left
    assert "".join(texts) == "城市更新計劃明年起全面推動" and len(texts) == 2  # two columns of 7.75 em
    from layout.text.words import word_spans

    spans = word_spans("城市更新計劃明年起全面推動", prep.ctx.edition.words)
    ends = {0} | {e for _, e in spans}
    cut = 0
    for col in texts[:-1]:
        cut += len(col)
        assert cut in ends, texts  # every column break between words
    broken = [d for d in prep.ctx.diagnostics.warnings if d.code == "DISPLAY-WORD-BROKEN" and d.story == "s03"]
    assert not broken


def test_glyphs_a_vertical_subset_cannot_reproduce_are_listed_with_the_horizontal_ones(monkeypatch):
    """The Identity-V subsets are checked glyph by glyph like the horizontal ones, and what they
    do not reproduce goes on the same PdfFonts.problems list (it used to be thrown away)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from layout.fonts.catalog import FontCatalog
    from layout.fonts.pdf import PdfFonts
    from layout.fonts.pdf import canvas_kwargs as font_canvas_kwargs
    from layout.render.vertical import VerticalFonts

    cat = FontCatalog.default()
    comp = VerticalComposer(GOLDEN, cat.chain("body"))
    runs = runs_of(comp.paragraph("重點在此。", 10), comp)
    face = cat.face(runs[0].face)
    gid = runs[0].glyphs[1].gid
    real = face.subset_checked

    def damaged(gids, name=None):
        program, bad = real(gids, name)
        return program, {**bad, gid: "outline differs (test)"}

    monkeypatch.setattr(face, "subset_checked", damaged)
    fonts = PdfFonts(cat)
    vfonts = VerticalFonts(fonts)
    canvas = Canvas(io.BytesIO(), **font_canvas_kwargs())
    for r in runs:
        vfonts.draw_run(canvas, cat.face(r.face), r, 400)
    canvas.showPage()
    canvas.save()
    assert (face.key, gid, "點", "outline differs (test)") in fonts.problems


def test_a_web_or_mail_address_in_a_column_is_one_turned_word():
    """The digits and capitals of an address are no 縱中橫 cells or upright letters: the address
    is turned whole, not cut round upright cells (…/2026/ 12/ 03/ printed with gaps)."""
    url = "https://www.example.gov.cn/notice/2026/12/03/index.html"
    mail = "Service.Desk@NASA.gov"
    p = prepare(f"詳情請訪問{url}查詢，或致函{mail}，第12屆ABC論壇")
    assert url in p.text and mail in p.text
    assert list(p.tcy.values()) == ["12"]  # 第12屆 only
    assert "".join(p.upright_latin.values()) == "ABC"
