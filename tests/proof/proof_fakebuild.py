"""A fake build directory for proof tests: 12 broadsheet page PDFs drawn with reportlab (plain
shapes and Helvetica text, no CJK fonts needed) and a report.json in the build's format."""

from __future__ import annotations

import json
from pathlib import Path

from reportlab.pdfgen import canvas

TRIM_W, TRIM_H = 1105.5, 1547.7  # 390 x 546 mm
BLEED = 8.5  # 3 mm
PAGE_IDS = [f"A{n:02d}" for n in range(1, 13)]
SECTIONS = ["要聞", "要聞", "綜合", "綜合", "經濟", "經濟", "城事", "城事", "文體", "文體", "副刊", "廣告"]
GRID_X, GRID_Y, PITCH, LINES = 56.0, 90.0, 13.5, 105
COL_W, GUTTER = 117.0, 9.0


def column_x(col: int) -> float:
    return GRID_X + (col - 1) * (COL_W + GUTTER)


def module(kind: str, ref: str | None, col: int, line: int, cols: int, lines: int) -> dict:
    return {"kind": kind, "ref": ref, "x": column_x(col), "y": GRID_Y + (line - 1) * PITCH,
            "w": cols * COL_W + (cols - 1) * GUTTER, "h": lines * PITCH}


def page_modules(pid: str) -> list[dict]:
    if pid == "A01":
        return [module("masthead", None, 1, 1, 8, 12), module("story", "harbour-plan", 1, 13, 6, 60),
                module("ad", "subscribe", 7, 13, 2, 30), module("teasers", None, 1, 90, 8, 16)]
    if pid == "A05":
        return [module("continued", "harbour-plan", 1, 60, 4, 46), module("story", f"story-{pid}", 1, 1, 8, 59)]
    return [module("story", f"story-{pid}", 1, 1, 8, 59), module("story", f"brief-{pid}", 1, 60, 8, 46)]


def draw_page(path: Path, pid: str, modules: list[dict], *, extra: str = "", invariant: bool = True) -> None:
    w, h = TRIM_W + 2 * BLEED, TRIM_H + 2 * BLEED
    c = canvas.Canvas(str(path), pagesize=(w, h), invariant=int(invariant))
    c.setTrimBox((BLEED, BLEED, BLEED + TRIM_W, BLEED + TRIM_H))
    c.setBleedBox((0, 0, w, h))
    top = BLEED + TRIM_H
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont("Helvetica-Bold", 28)
    c.drawString(BLEED + GRID_X, top - 60, f"Fake Daily  {pid}")
    for m in modules:
        x, y = BLEED + m["x"], top - m["y"] - m["h"]
        c.setStrokeColorCMYK(0, 0, 0, 0.6)
        c.setLineWidth(0.5)
        c.line(x, y + m["h"] - 2, x + m["w"], y + m["h"] - 2)
        c.setFont("Helvetica-Bold", 18)
        c.drawString(x + 4, y + m["h"] - 24, f"{m['kind']} {m['ref'] or ''}")
        c.setFont("Helvetica", 9)
        for i in range(3, int(m["h"] // PITCH)):
            c.drawString(x + 4, y + m["h"] - i * PITCH, ("text " * 40)[: int(m["w"] / 5)])
    if extra:
        c.setFont("Helvetica-Bold", 40)
        c.drawString(BLEED + 300, BLEED + 300, extra)
    c.showPage()
    c.save()


def make_fake_build(outdir: Path, *, extra: dict[str, str] | None = None, build_time: str = "2026-03-04 21:05") -> dict:
    """Write the build into outdir and return the report. `extra` maps page id -> text stamped on it
    (to make a page differ between two builds)."""
    outdir.mkdir(parents=True, exist_ok=True)
    pages = []
    for pid, section in zip(PAGE_IDS, SECTIONS, strict=True):
        mods = page_modules(pid)
        draw_page(outdir / f"{pid}.pdf", pid, mods, extra=(extra or {}).get(pid, ""))
        pages.append({"id": pid, "file": f"{pid}.pdf", "section": section, "width": TRIM_W, "height": TRIM_H,
                      "trim_x": BLEED, "trim_y": BLEED, "modules": mods,
                      "grid": {"x": GRID_X, "y": GRID_Y,
                               "columns": [[column_x(c), column_x(c) + COL_W] for c in range(1, 9)],
                               "pitch": PITCH, "lines": LINES}})
    stories = [{"id": "harbour-plan", "headline": "港口規劃獲批", "pages": ["A01", "A05"], "chars": 4200,
                "chars_set": 4143, "lines_set": 290, "overset_chars": 57, "overset_lines": 3,
                "underset_lines": 0, "status": "over",
                "missing_glyphs": [{"char": "𠮷", "code": "U+20BB7", "paragraph": 4}]}]
    for pid in PAGE_IDS[1:]:
        stories.append({"id": f"story-{pid}", "headline": f"{pid} 頭條", "pages": [pid], "chars": 3000,
                        "chars_set": 3000, "lines_set": 200, "overset_chars": 0, "overset_lines": 0,
                        "underset_lines": 5 if pid == "A03" else 0, "status": "under" if pid == "A03" else "fits",
                        "missing_glyphs": []})
    report = {
        "paper": "重慶晨報", "date": "2026-03-04", "issue": 8123, "build_time": build_time,
        "pages": pages, "stories": stories,
        "diagnostics": [{"code": "overset", "severity": "warning", "message": "story harbour-plan is overset by 57 characters",
                         "location": {"file": "edition.yaml", "line": 14, "column": 9}, "hint": "cut 3 lines",
                         "story": "harbour-plan", "paragraph": None, "page": "A05"}],
        "preflight": [{"file": "A07.pdf", "page": "A07", "code": "rich-black-small-text", "severity": "error",
                       "message": "rich black text under 12 pt", "bbox": [100.0, 200.0, 300.0, 260.0]},
                      {"file": "A08.pdf", "page": "A08", "code": "no-output-intent", "severity": "error",
                       "message": "no OutputIntent", "bbox": None}],
        "timings": {"compose": 0.5, "render": 1.0},
    }
    (outdir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report
