"""A small valid edition in a temporary folder (text files, a CMYK JPEG, an ad PDF), and helpers
to load it and to find the diagnostics a load reports."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from layout.diagnostics import Diagnostic, InputError
from layout.model.load import load_edition

GRID = (8, 105)
PAGES = 3

VALID = """\
paper: 重慶晨報
date: 2026-03-04
issue: 8123
template: broadsheet
print: newsprint
colour_pages: [A01]
pages:
  - page: A01
    section: 要聞
    masthead: true
    credits: {責任編輯: 王小明, 校對: 張三}
    items:
      - story: ai-plan
        at: {col: 1, line: 13, cols: 6, lines: 60}
      - ad: subscribe
        at: {col: 7, line: 13, cols: 2, lines: 30}
      - teasers: [rail-link, museum]
        at: {col: 1, line: 90, cols: 8, lines: 16}
  - page: A02
    section: 城事
    items:
      - story: rail-link
        at: {col: 1, line: 1, cols: 4, lines: 50}
      - story: museum
        at: {col: 5, line: 1, cols: 4, lines: 50}
      - ad: bank
        at: {col: 1, line: 60, cols: 8, lines: 46}
  - page: A03
    section: 城事
    items:
      - continued: ai-plan
        at: {col: 1, line: 1, cols: 4, lines: 40}
      - photo: {file: assets/park.jpg, caption: 公園}
        at: {col: 5, line: 1, cols: 4, lines: 30}
stories:
  ai-plan:
    kicker: 將建人工智能創新孵化社區
    headline: 本市人工智能再加碼
    decks: [科技創新水平連續七年居西部首位]
    byline: 本報記者 陳思遠
    body: text/ai-plan.txt
    jump: A03
    photos:
      - file: assets/park.jpg
        caption: 產業園展示中心
        credit: 本報記者 林曉 攝
        cols: 3
        lines: 24
        focus: [0.5, 0.4]
  rail-link:
    headline: 軌道新線開通
    teaser: 軌道新線今日開通
    body: |
      第一段。
      ## 小標題
      第二段。
  museum:
    headline: 博物館之夜
    body: 博物館今晚延時開放。
ads:
  subscribe:
    kind: box
    title: 2027年度報紙徵訂開始
    lines: [全年定價：360元, 訂閱熱線：023-6000 0000]
    colour: red
  bank:
    kind: pdf
    file: assets/bank.pdf
"""

STORY_TEXT = "\ufeff本市人工智能產業規模突破千億元。\r\n\r\n## 產業園\r\n　　園區已有企業三百家。\r\n"


def make_jpeg(mode: str = "CMYK", size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, (10, 20, 30, 0) if mode == "CMYK" else 128).save(buf, "JPEG")
    return buf.getvalue()


def make_pdf(encrypt: bool = False) -> bytes:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    # an ad draws something: a blank page is AD-PDF-EMPTY
    page.obj.Contents = pdf.make_stream(b"0 0 0 1 k 50 50 495 742 re f")
    buf = io.BytesIO()
    if encrypt:
        pdf.save(buf, encryption=pikepdf.Encryption(owner="o", user="u"))
    else:
        pdf.save(buf)
    return buf.getvalue()


@dataclass
class EditionDir:
    root: Path

    @property
    def path(self) -> Path:
        return self.root / "edition.yaml"

    def write(self, text: str) -> Path:
        self.path.write_text(text, encoding="utf-8")
        return self.path

    def replace(self, old: str, new: str, count: int = 1) -> Path:
        text = self.path.read_text(encoding="utf-8")
        assert old in text, old
        return self.write(text.replace(old, new, count))

    def line_of(self, needle: str, nth: int = 1) -> int:
        """1-based line of the nth line containing needle in the edition file."""
        hits = [i for i, line in enumerate(self.path.read_text(encoding="utf-8").split("\n"), 1) if needle in line]
        return hits[nth - 1]

    def load(self, **kw):
        kw.setdefault("page_count", PAGES)
        kw.setdefault("grid", GRID)
        return load_edition(self.path, **kw)

    def errors(self, **kw) -> list[Diagnostic]:
        with pytest.raises(InputError) as info:
            self.load(**kw)
        return info.value.diagnostics

    def only(self, code: str, **kw) -> Diagnostic:
        """The one diagnostic with `code` (fails if there is none or several)."""
        diags = self.errors(**kw)
        found = [d for d in diags if d.code == code]
        assert len(found) == 1, "\n".join(d.format() for d in diags)
        return found[0]


def build_edition_dir(root: Path) -> EditionDir:
    (root / "text").mkdir(parents=True, exist_ok=True)
    (root / "assets").mkdir(exist_ok=True)
    (root / "text" / "ai-plan.txt").write_bytes(STORY_TEXT.encode("utf-8"))
    (root / "assets" / "park.jpg").write_bytes(make_jpeg())
    (root / "assets" / "bank.pdf").write_bytes(make_pdf())
    ed = EditionDir(root)
    ed.write(VALID)
    return ed
