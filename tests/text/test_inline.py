"""Inline styles in story files (layout/text/inline.py): the markup, its errors with file, line and
column through the loader, and the page description it becomes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from layout.diagnostics import InputError
from layout.frames import Mark
from layout.text.inline import Span, parse_inline

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"


def test_markup_is_removed_and_spans_point_into_the_plain_text():
    text, spans, errors = parse_inline("**本報訊** 這是「{dots:重點}」，{kai:引文}、{name:渝江}和{book:江城雪}。")
    assert text == "本報訊 這是「重點」，引文、渝江和江城雪。"
    assert not errors
    got = {(s.kind, s.role, text[s.start:s.end]) for s in spans}
    assert got == {("face", "bold", "本報訊"), ("dots", "", "重點"), ("face", "kai", "引文"),
                   ("name", "", "渝江"), ("book", "", "江城雪")}


def test_escapes_and_single_stars_are_text():
    assert parse_inline(r"5*3、\*\*、\{a\}、\\") == ("5*3、**、{a}、\\", (), ())


def test_nesting():
    text, spans, errors = parse_inline("**粗{dots:點}體**")
    assert text == "粗點體" and not errors
    assert Span(0, 3, "face", "bold") in spans and Span(1, 2, "dots") in spans


@pytest.mark.parametrize(("raw", "column", "words"), [
    ("未閉**合", 2, "not closed"),
    ("甲{dots:乙", 1, "not closed"),
    ("甲}乙", 1, "no mark open"),
    ("甲{乙}", 1, "starts no mark"),
    ("甲{dots:}乙", 1, "empty"),
    ("甲****乙", 1, "empty"),
    ("{dots:甲{dots:乙}}", 7, "inside another"),
])
def test_malformed_marks(raw, column, words):
    _, _, errors = parse_inline(raw)
    assert errors and errors[0].column == column and words in errors[0].message, errors


def _edition(tmp_path: Path, body_lines: list[str], **story) -> Path:
    data = yaml.safe_load(MINI.read_text("utf-8"))
    (tmp_path / "lead.txt").write_text("\n".join(body_lines) + "\n", "utf-8")
    data["stories"]["lead"].update({"body": "lead.txt", **story})
    for sub in ("assets",):
        if (MINI.parent / sub).exists():
            shutil.copytree(MINI.parent / sub, tmp_path / sub)
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_a_malformed_mark_is_an_error_with_file_line_and_column(tmp_path):
    from layout.model.load import load_edition

    path = _edition(tmp_path, ["第一段沒有問題。", "  第二段有**未閉合的粗體。"])
    with pytest.raises(InputError) as err:
        load_edition(path, check_files=False)
    found = [d for d in err.value.diagnostics if d.code == "TEXT-MARKUP"]
    assert len(found) == 1
    loc = found[0].location
    assert (Path(loc.file).name, loc.line, loc.column) == ("lead.txt", 2, 7)  # the ** after 2 spaces + 4 chars
    assert "**" in found[0].hint


@pytest.fixture(scope="module")
def styled_build(tmp_path_factory):
    from layout.build import prepare

    tmp = tmp_path_factory.mktemp("styled")
    path = _edition(tmp, [
        "2026年，這是「{dots:重點}」。**粗體強調**的一句話，{name:渝江}與{book:江城雪}。",
        "第二段。",
    ], dateline="本報訊")
    return prepare(path)


def _lead_runs(prep, paragraph):
    frame = next(p.frame for p in prep.layout.pages if p.page.id == "A01")
    return frame, [r for r in frame.runs() if r.source.story == "lead" and r.source.paragraph == paragraph]


def test_dateline_bold_and_one_em_before_digits_and_han(styled_build):
    frame, runs = _lead_runs(styled_build, 0)
    glyphs = [(g, r) for r in runs for g in r.glyphs]
    text = "".join(g.text for g, _ in glyphs)
    assert text.startswith("本報訊\u30002026年")
    bold = [r for r in runs if "Bold" in r.face]
    assert bold and bold[0].text == "本報訊"
    xun = next(g for g, _ in glyphs if g.text == "訊")
    two = next(g for g, _ in glyphs if g.text == "2")
    size = runs[0].size
    assert two.x - (xun.x + xun.advance) == pytest.approx(size, abs=0.01)  # exactly 1 em, before a digit
    # the same before Han: compose the dateline before Han text with the same setter
    from layout.model.edition import Paragraph
    from layout.paginate.typeset import styled_paragraph

    setter = styled_build.ctx.setter
    t, runs2, fixed, _ = styled_paragraph(setter, Paragraph("記者獲悉"), "本報訊")
    par = setter.paragraph(t, "body", 13.0, runs=runs2, fixed=fixed)
    g = list(par.lines[0].glyphs)
    assert g[4].box_x - (g[2].box_x + g[2].width) == pytest.approx(1.0)


def test_markup_never_prints_and_marks_are_drawn(styled_build):
    frame, runs = _lead_runs(styled_build, 0)
    text = "".join(r.text for r in runs)
    assert "*" not in text and "{" not in text and "dots" not in text
    assert any("Bold" in r.face and r.text == "粗體強調" for r in runs)
    marks = [i for i in frame.items if isinstance(i, Mark) and i.source.story == "lead"]
    kinds = sorted(m.kind for m in marks)
    assert kinds == ["dot", "dot", "line", "wavy"]
    glyph = {g.text: g for r in runs for g in r.glyphs}
    dots = sorted((m for m in marks if m.kind == "dot"), key=lambda m: m.x)
    for m, ch in zip(dots, "重點", strict=True):
        g = glyph[ch]
        assert m.x == pytest.approx(g.x + g.advance / 2, abs=0.01) and m.y > g.y
    line = next(m for m in marks if m.kind == "line")
    assert glyph["渝"].x <= line.x < line.x1 <= glyph["江"].x + glyph["江"].advance
    assert not [d for d in styled_build.ctx.diagnostics if d.code.startswith("TEXT-MARK")]


def test_marks_reach_the_pdf(styled_build, tmp_path):
    """The PDF writer draws the dots (filled circles: curves) and the wavy line (curves); a page
    without marks draws no curve at all (text, boxes and rules are no curves)."""
    import pikepdf

    from layout.build import build

    edition = styled_build.ctx.edition.path
    build(edition, tmp_path / "out", preflight=False)

    def curves(page_file):
        with pikepdf.open(page_file) as pdf:
            ops = pikepdf.parse_content_stream(pdf.pages[0])
            return sum(1 for _, op in ops if str(op) == "c")

    assert curves(tmp_path / "out" / "A01.pdf") >= 2 * 4  # two dots of four curves each, and more
    assert curves(tmp_path / "out" / "A02.pdf") == 0
