"""report.json: per page (modules, grid) and per story (copyfit: lines and characters set, overset,
underset, missing glyphs), all diagnostics and preflight findings. Proofs and tools read it."""

from __future__ import annotations

import datetime as _dt

from layout.ads.plan import ad_report
from layout.diagnostics import Severity
from layout.fonts.report import SourceLines, page_missing_glyphs
from layout.render.pdfx import page_geometry


def _ink_chars(text: str) -> int:
    """Characters that are not white space (str.split splits on exactly those str.isspace names)."""
    return sum(map(len, text.split()))


def story_chars(story) -> int:
    """The characters a story's body flow sets: its paragraphs' and sub-heads' (inline markup is
    already gone from their text) and its dateline (本報訊), which is set in front of the first
    body paragraph — so that chars == chars_set + overset_chars, whatever lines are overset."""
    chars = sum(_ink_chars(p.text) for p in story.paragraphs)
    if story.dateline and any(p.kind == "body" for p in story.paragraphs):
        chars += _ink_chars(story.dateline)
    return chars


def story_copyfit(layout) -> dict:
    story = layout.story
    r = layout.result
    chars = story_chars(story)
    if r.overset_lines:
        status = "over"
    elif r.underset_lines > len({(run.slot.page, run.slot.x) for run in r.runs}):
        status = "under"  # more than one empty line per column
    else:
        status = "fits"
    return {
        "id": story.id, "headline": story.headline, "pages": layout.pages, "chars": chars,
        "chars_set": r.chars_set, "lines_set": r.lines_set, "overset_chars": r.overset_chars,
        "overset_lines": r.overset_lines, "underset_lines": r.underset_lines, "status": status,
    }


def _missing_glyphs(ctx, story, served: dict) -> list[dict]:
    """Characters of the story's text that no face of their role's fallback chain has, once per
    paragraph (the same ones the FONT-MISSING-GLYPH diagnostics name). `served`: role -> the
    characters its chain has, found so far (each asked once per build, not once per paragraph)."""
    out = []
    for n, para in enumerate(story.paragraphs):
        role = ctx.template.style("subhead" if para.kind == "subhead" else "body").font
        chain = ctx.setter.chains[role]
        known = served.setdefault(role, {})
        has_all = served.setdefault(("has", role), set())  # the characters of `known` the chain has
        if has_all.issuperset(para.text):
            continue  # the usual paragraph: every character already found served (one set operation)
        for ch in dict.fromkeys(para.text):
            has = known.get(ch)
            if has is None:
                has = known[ch] = ch.isspace() or chain.resolve(ch) is not None
                if has:
                    has_all.add(ch)
            if not has:
                out.append({"char": ch, "code": f"U+{ord(ch):04X}", "paragraph": n})
    return out


def edition_report(prep, findings: list[dict], timings: dict[str, float]) -> dict:
    ctx = prep.ctx
    e = ctx.edition
    g = ctx.grid
    served: dict = {}  # role -> {character: served}, and ("has", role) -> the characters served
    missing = {sid: _missing_glyphs(ctx, story, served) for sid, story in e.stories.items()}
    lines = SourceLines()
    pages = []
    for page in prep.layout.pages:
        f = page.frame
        geo = page_geometry(ctx.profile, f.width, f.height)  # where the trim sits in the media box
        pages.append({
            "id": page.page.id, "file": f"{page.page.id}.pdf", "section": page.page.section,
            "width": f.width, "height": f.height, "colour": page.page.colour,
            "trim_x": geo.trim_x, "trim_y": geo.trim_y,
            "modules": [{"kind": m.kind, "ref": m.ref, "x": round(m.x, 3), "y": round(m.y, 3),
                         "w": round(m.w, 3), "h": round(m.h, 3),
                         # an L-shaped story module's cut-out corner (issue 13), only when it has one
                         **({"notch": [round(v, 3) for v in m.notch]} if m.notch else {})} for m in f.modules],
            # characters no face has, with the cell they were set in (the proofs mark it) and their source
            "missing_glyphs": page_missing_glyphs(e, page.page.id, page.page_facts().missing, lines),
            "grid": {"x": g.left, "y": g.top, "pitch": g.pitch, "lines": g.lines,
                     "baseline_offset": g.baseline(1) - g.line_top(1),
                     "columns": [[g.col_x(c), g.col_x(c) + g.column_width] for c in range(1, g.columns + 1)]},
        })
    stories = []
    for sid, layout in prep.layout.stories.items():
        entry = story_copyfit(layout)
        entry["missing_glyphs"] = missing.get(sid, [])
        stories.append(entry)
    for sid, story in e.stories.items():
        if sid not in prep.layout.stories:
            chars = story_chars(story)
            stories.append({"id": sid, "headline": story.headline, "pages": [], "chars": chars, "chars_set": 0,
                            "lines_set": 0, "overset_chars": chars, "overset_lines": 0, "underset_lines": 0,
                            "status": "over", "missing_glyphs": missing.get(sid, [])})
    tables = tables_copyfit(prep)
    diags = [d.to_json() for d in ctx.diagnostics]
    return {
        "paper": e.paper, "date": e.date.isoformat(), "issue": e.issue, "template": ctx.template.name,
        "print_profile": ctx.profile.name,
        # when the build ran, for the proof stamp; the print files themselves carry fixed dates
        "build_time": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "pages": pages, "stories": stories, "tables": tables, "diagnostics": diags, "preflight": findings,
        "ads": ad_report(e),  # every ad's final place, and the bookings not placed (layout/ads)
        "summary": {
            "pages": len(pages), "stories": len(stories), "tables": len(tables),
            "overset": sum(1 for s in stories + tables if s["status"] == "over"),
            "errors": sum(1 for d in ctx.diagnostics if d.severity is Severity.ERROR),
            "warnings": sum(1 for d in ctx.diagnostics if d.severity is Severity.WARNING),
        },
        "timings": {k: round(v, 4) for k, v in timings.items()},
    }


def tables_copyfit(prep) -> list[dict]:
    """Tables' copyfit in the stories' terms (characters set and over, status), plus their rows; a
    table on no page is over by all its characters."""
    out = [t.to_json() for page in prep.layout.pages for t in getattr(page, "tables", ())]
    placed = {t["id"] for t in out}
    for tid, table in (getattr(prep.ctx.edition, "tables", None) or {}).items():
        if tid not in placed:
            out.append({"id": tid, "kind": "table", "headline": table.title, "pages": [], "rows": len(table.rows),
                        "rows_set": 0, "overset_rows": len(table.rows), "chars": table.chars, "chars_set": 0,
                        "overset_chars": table.chars, "left_out_columns": [], "status": "over"})
    return out
