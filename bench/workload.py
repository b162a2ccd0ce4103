"""A deterministic workload the size of a real edition, written twice: as an edition file for
`layout build` and as a Typst document setting the same content, for bench/sidebyside.py.

Each page is one section of a daily: a front page with the masthead and a pinned lead story, and
inside pages of four to six stories, one or two with a photo, placed by the automatic layout (no
`at:`), as a layout editor books them. The text is the sample edition's paragraphs reshuffled with
a fixed seed, so the mix of punctuation, digits and Latin is a real paper's; about 6 000 Han
characters a page (72 000 for 12 pages)."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_TEXT = ROOT / "editions" / "sample"
PHOTOS = sorted((ROOT / "assets" / "photos").glob("*.jpg"))
SECTIONS = ["要聞", "要聞", "城市", "城市", "經濟", "經濟", "文化", "文化", "體育", "體育", "副刊", "天下"]
HAN_PER_PAGE = 6000


@dataclass
class Story:
    sid: str
    headline: str
    paragraphs: list[str]
    photo: str | None = None
    photo_cols: int = 3
    photo_lines: int = 24


@dataclass
class Page:
    pid: str
    section: str
    front: bool
    stories: list[Story] = field(default_factory=list)


def han_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _pool() -> tuple[list[str], list[str]]:
    paras, heads = [], []
    for f in sorted(SAMPLE_TEXT.glob("*.txt")):
        paras += [ln.strip() for ln in f.read_text("utf-8").splitlines() if ln.strip() and not ln.startswith("## ")]
    for line in (ROOT / "editions" / "sample.yaml").read_text("utf-8").splitlines():
        line = line.strip()
        if line.startswith("headline: "):
            heads.append(line.removeprefix("headline: ").strip())
    return paras, heads


def plan(pages: int, seed: int = 20261201) -> list[Page]:
    rng = random.Random(seed)
    paras, heads = _pool()
    out: list[Page] = []
    photo_n = 0
    for p in range(1, pages + 1):
        page = Page(f"A{p:02d}", SECTIONS[(p - 1) % len(SECTIONS)], front=p == 1)
        n_stories = 4 if page.front else rng.choice([4, 5, 6])
        budget = HAN_PER_PAGE - (1200 if page.front else 0)  # the masthead and teasers take room
        weights = sorted((rng.uniform(0.5, 2.0) for _ in range(n_stories)), reverse=True)
        for m, w in enumerate(weights):
            target = int(budget * w / sum(weights))
            body, n = [], 0
            while n < target:
                para = rng.choice(paras)
                body.append(para)
                n += han_count(para)
            story = Story(f"s{p:02d}-{m}", heads[(p * 7 + m) % len(heads)], body)
            if PHOTOS and (m == 0 or (m == 2 and rng.random() < 0.5)):
                story.photo = PHOTOS[photo_n % len(PHOTOS)].name
                story.photo_cols = 4 if m == 0 else 3
                story.photo_lines = 28 if m == 0 else 22
                photo_n += 1
            page.stories.append(story)
        out.append(page)
    return out


def write_edition(pages: list[Page], out_dir: Path) -> Path:
    """The edition file: the front page's lead pinned under the masthead, the rest unpinned."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "text").mkdir(exist_ok=True)
    (out_dir / "photos").mkdir(exist_ok=True)
    lines = ["paper: 渝江晨報", "date: 2026-12-01", "issue: 8123", "template: broadsheet", "print: newsprint",
             "pages:"]
    stories = ["stories:"]
    for page in pages:
        lines += [f"  - page: {page.pid}", f"    section: {page.section}"]
        if page.front:
            lines.append("    masthead: true")
        lines.append("    items:")
        for m, st in enumerate(page.stories):
            lines.append(f"      - story: {st.sid}")
            if page.front and m == 0:
                lines.append("        at: {col: 1, line: 13, cols: 8, lines: 50}")
            (out_dir / "text" / f"{st.sid}.txt").write_text("\n".join(st.paragraphs) + "\n", "utf-8")
            stories += [f"  {st.sid}:", f"    headline: {json.dumps(st.headline, ensure_ascii=False)}",
                        f"    body: text/{st.sid}.txt"]
            if st.photo:
                shutil.copyfile(ROOT / "assets" / "photos" / st.photo, out_dir / "photos" / st.photo)
                stories += ["    photos:", f"      - file: photos/{st.photo}", "        caption: 基準測試圖片說明文字。",
                            "        credit: 本報記者 攝", f"        cols: {st.photo_cols}",
                            f"        lines: {st.photo_lines}"]
    path = out_dir / "workload.yaml"
    path.write_text("\n".join(lines + stories) + "\n", "utf-8")
    return path


def _typst_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_typst(pages: list[Page], out_dir: Path) -> Path:
    """The same content in Typst: the broadsheet's trim and 8-column grid (13 characters of 9 pt,
    a one-character gutter, 13.5 pt pitch), the same faces (the repository's fonts/), headlines in
    Sans Bold, photos at the same width, each page its own page. Typst sets CJK with its own
    justification and line breaking; no masthead artwork, folios or teasers are drawn, which only
    favours Typst."""
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = [
        '#set page(width: 390mm, height: 546mm, margin: (top: 26mm, bottom: 20mm, x: 19mm))',
        '#set text(font: "Noto Serif CJK SC", size: 9pt, lang: "zh", region: "cn")',
        '#set par(justify: true, leading: 4.5pt, first-line-indent: (amount: 2em, all: true), spacing: 4.5pt)',
    ]
    for i, page in enumerate(pages):
        if i:
            doc.append("#pagebreak()")
        if page.front:
            doc.append('#align(center, text(font: "Noto Sans CJK SC", weight: "black", size: 60pt)[渝江晨報])')
        doc.append(f'#text(font: "Noto Sans CJK SC", size: 8pt)[{page.pid} {page.section}]')
        doc.append("#columns(8, gutter: 9pt)[")
        for st in page.stories:
            size = 30 if st is page.stories[0] else 18
            doc.append(f'#text(font: "Noto Sans CJK SC", weight: "bold", size: {size}pt)[#{_typst_str(st.headline)}]')
            doc.append("")
            if st.photo:
                doc.append(f'#figure(image("photos/{st.photo}", width: 100%), caption: [基準測試圖片說明文字。])')
            for para in st.paragraphs:
                doc.append("#" + _typst_str(para))
                doc.append("")
        doc.append("]")
    path = out_dir / "workload.typ"
    path.write_text("\n".join(doc) + "\n", "utf-8")
    return path


def make(out_dir: Path, pages: int) -> tuple[Path, Path, int]:
    """Write both forms; returns (edition, typst source, Han characters)."""
    plan_ = plan(pages)
    han = sum(han_count(p) for page in plan_ for st in page.stories for p in st.paragraphs)
    return write_edition(plan_, out_dir), write_typst(plan_, out_dir), han


def new_edit(story: Path, n: int) -> str:
    """Edit number `n` of a story file, as a sub-editor's correction: one Han character of the
    body replaced by another Han character of the same story (so it is set in the same faces).
    Deterministic by `n`, and never a text seen before: edit n changes the character at position
    p(n) = 40 + 37·n (counted in Han characters, wrapping round the story), positions that differ
    for every n below the story's length / 37, and the text after each edit is the text before it
    with one more place changed, so no state of the file comes back (a benchmark of an edit must
    not rebuild a state the cache already holds). Returns a description of the change."""
    text = story.read_text("utf-8")
    han = [i for i, c in enumerate(text) if "\u4e00" <= c <= "\u9fff"]
    if len(han) < 2:
        raise ValueError(f"{story}: too few Han characters to edit")
    at = han[(40 + 37 * n) % len(han)]
    # the replacement: the next Han character of the story (cyclically) that differs from the old one
    old = text[at]
    start = han.index(at)
    new = next((text[han[(start + k) % len(han)]] for k in range(1, len(han))
                if text[han[(start + k) % len(han)]] != old), None)
    if new is None:
        raise ValueError(f"{story}: every Han character is the same; nothing to edit")
    story.write_text(text[:at] + new + text[at + 1:], "utf-8")
    return f"{story.name}[{at}] {old}→{new}"
