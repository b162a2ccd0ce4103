"""Editions of any size written for a test: a front page with masthead, lead story (jumping to a
later page) and teasers, then one small story per page, every item pinned with `at:` so that a
build takes no optimiser time. Sections (A, B, …) and a template file are optional."""

from __future__ import annotations

from pathlib import Path

from layout.frames import GlyphRun

BODY = "本市今天發佈產業發展行動計劃，提出到2028年全市產業規模突破1,000億元。"


def page_ids(sections: dict[str, int]) -> list[str]:
    return [f"{letter}{n:02d}" for letter, count in sections.items() for n in range(1, count + 1)]


def edition_yaml(sections: dict[str, int] | int, *, template: str | None = None, jump_to: str | None = None,
                 blank: tuple[str, ...] = (), section_meta: bool = False, columns: int = 8, lines: int = 105,
                 masthead_lines: int = 12, flag_lines: int = 6, lead_paras: int = 120, date: str = "2026-12-01",
                 issue: int = 8123, extra_top: str = "", teasers: list[str] | None = None) -> str:
    if isinstance(sections, int):
        sections = {"A": sections}
    ids = page_ids(sections)
    jump_to = jump_to or ids[-2]
    half = columns // 2
    out = ["paper: 測試晨報", f"date: {date}", f"issue: {issue}"]
    if template:
        out.append(f"template: {template}")
    if extra_top:
        out.append(extra_top.rstrip("\n"))
    if section_meta:
        out.append("sections:")
        for n, letter in enumerate(sections):
            out.append(f"  {letter}: {{name: 第{letter}疊{'' if n == 0 else ', flag: 城市週刊'}}}")
    out.append("pages:")
    stories = []
    fronts = {f"{letter}01" for letter in sections}
    for page in ids:
        out.append(f"  - page: {page}")
        if page in blank:
            out.append("    items: []")
            continue
        out.append("    items:")
        top = 1
        if page == ids[0]:
            out[-2:-1] = [f"  - page: {page}", "    masthead: true"]
            top = masthead_lines + 1
            out += ["      - story: lead", f"        at: {{col: 1, line: {top}, cols: {columns}, lines: 30}}",
                    f"      - teasers: [{', '.join('s-' + p for p in (teasers or ids[1:4]))}]",
                    f"        at: {{col: 1, line: {top + 30}, cols: {columns}, lines: 12}}"]
            continue
        if page in fronts and section_meta:
            top = flag_lines + 1
        out += [f"      - story: s-{page}", f"        at: {{col: 1, line: {top}, cols: {half}, lines: {lines - top + 1}}}"]
        stories.append(page)
        if page == jump_to:
            out += ["      - continued: lead", f"        at: {{col: {half + 1}, line: {top}, cols: {columns - half}, "
                    f"lines: {lines - top + 1}}}"]
    out.append("stories:")
    out += ["  lead:", "    headline: 本市產業再加碼", f"    jump: {jump_to}", "    body: |"]
    out += [f"      {BODY}"] * lead_paras
    for page in stories:
        out += [f"  s-{page}:", f"    headline: {page}版測試稿件", f"    teaser: {page}版導讀", "    body: |",
                f"      這是{page}版的測試稿件。"]
    return "\n".join(out) + "\n"


def write_edition(folder: Path, text: str, name: str = "edition.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def text_of(frame, kind: str | None = None, story: str | None = None) -> str:
    return "".join(r.text for r in frame.items if isinstance(r, GlyphRun)
                   and (kind is None or r.source.kind == kind) and (story is None or r.source.story == story))
