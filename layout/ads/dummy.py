"""The ad dummy: the edition's pages before any story is placed, with every ad's place and size.

`layout dummy EDITION [-o OUT]` writes OUT/dummy.pdf (one page per page of the edition, drawn as
PageFrames through the project's PDF writer, and a last page listing every page's ads and areas,
the totals and the bookings not placed), OUT/<page>.png (each page rendered with pypdfium2,
as the proofs are), and OUT/dummy.json for an ad system: per page the ads (advertiser, booking,
grid rectangle and mm, size, colour), the live area, the ads' area and the free editorial area in
column-lines and the ad share; in all the same sums, and the bookings that could not be placed
with why. The same edition gives byte-identical files (no clock, no dict order)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from layout.ads.plan import AdPlan, size_checks
from layout.color import BLACK, CMYK
from layout.diagnostics import Diagnostic
from layout.frames import Box, Item, PageFrame, Source
from layout.paginate.typeset import line_runs
from layout.units import mm

AD_COLOUR_FILL = CMYK(0, 35, 15, 0)  # colour ads: a pink tint, so colour is seen at a glance
AD_MONO_FILL = CMYK(0, 0, 0, 22)
OBSTACLE_FILL = CMYK(0, 0, 0, 8)  # items the edition already pins (stories, photos, tables)
MASTHEAD_FILL = CMYK(0, 0, 0, 14)
COLUMN_FILL = CMYK(0, 0, 0, 3)
LABEL = "sans"  # font role of the labels
PNG_DPI = 40


@dataclass(frozen=True)
class PageSummary:
    id: str
    section: str
    colour: bool
    live: int  # column-lines under the masthead
    ads: int  # column-lines of ads
    pinned: int  # column-lines of the edition's other pinned items (stories, photos, …)
    entries: tuple[dict, ...]  # the page's ads, as in dummy.json

    @property
    def free(self) -> int:
        """The editorial area: what the ads leave (pinned stories included)."""
        return self.live - self.ads

    @property
    def share(self) -> float:
        return self.ads / self.live if self.live else 0.0

    def to_json(self) -> dict:
        return {"id": self.id, "section": self.section, "colour": self.colour, "live_col_lines": self.live,
                "ad_col_lines": self.ads, "editorial_col_lines": self.free, "pinned_editorial_col_lines": self.pinned,
                "ad_share": round(self.share, 4), "ads": list(self.entries)}


@dataclass
class DummyResult:
    outdir: Path
    summary: list[PageSummary]
    data: dict
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def summarise(ctx) -> list[PageSummary]:
    """Per page: its ads (booked or placed by hand with `at:`) and the areas, in column-lines."""
    e, t, g = ctx.edition, ctx.template, ctx.grid
    plan: AdPlan | None = getattr(e, "ad_plan", None)
    booked = {(p.page, p.rect): p for p in plan.placed()} if plan else {}
    out = []
    for page in e.pages:
        top = t.masthead_lines + 1 if page.masthead else 1
        live = g.columns * (g.lines - top + 1)
        entries, ads, pinned = [], 0, 0
        for item in page.items:
            if item.at is None:
                continue
            a = item.at
            area = a.cols * a.lines
            if item.kind != "ad":
                pinned += area
                continue
            ads += area
            r = g.rect(a.col, a.line, a.cols, a.lines)
            b = booked.get((page.id, (a.col, a.line, a.cols, a.lines)))
            entries.append({
                "ad": item.ref, "booking": b.booking if b else None,
                "advertiser": b.advertiser if b else None,
                "colour": b.colour if b else page.colour,
                "size": b.size if b else f"{a.cols} cols × {a.lines} lines",
                "col": a.col, "line": a.line, "cols": a.cols, "lines": a.lines,
                "mm": [round(r.x / mm(1), 1), round(r.y / mm(1), 1), round(r.w / mm(1), 1), round(r.h / mm(1), 1)],
            })
        out.append(PageSummary(page.id, page.section, page.colour, live, ads, pinned, tuple(entries)))
    return out


def dummy_data(ctx, summary: list[PageSummary], diagnostics: list[Diagnostic]) -> dict:
    e = ctx.edition
    plan: AdPlan | None = getattr(e, "ad_plan", None)
    live = sum(p.live for p in summary)
    ads = sum(p.ads for p in summary)
    return {
        "paper": e.paper, "date": e.date.isoformat(), "issue": e.issue, "template": ctx.template.name,
        "grid": {"columns": ctx.grid.columns, "lines": ctx.grid.lines},
        "stacking": plan.stacking if plan else None,
        "pages": [p.to_json() for p in summary],
        "unplaced": [p.to_json() for p in plan.unplaced()] if plan else [],
        "total": {"live_col_lines": live, "ad_col_lines": ads, "editorial_col_lines": live - ads,
                  "ad_share": round(ads / live, 4) if live else 0.0,
                  "booked": len(plan.placements) if plan else 0, "placed": len(plan.placed()) if plan else 0},
        "diagnostics": [d.to_json() for d in diagnostics],
    }


def _label(ctx, text: str, x: float, y: float, width: float, bottom: float, size: float,
           colour: CMYK = BLACK) -> tuple[list[Item], float]:
    """Lines of `text` from (x, y) down, wrapped at `width`; what would pass `bottom` is left out
    (a label of the dummy, not printed content)."""
    items: list[Item] = []
    if width < size:
        return items, y
    for line in ctx.setter.block(text, LABEL, size, width, justify=False).lines:
        if y + size * 1.3 > bottom:
            break
        items += line_runs(line, x, y + size * 1.05, size, colour=colour, source=Source(kind="dummy"))
        y += size * 1.3
    return items, y


def dummy_frame(ctx, page, summary: PageSummary, total_share: float) -> PageFrame:
    g, t = ctx.grid, ctx.template
    src = Source(kind="dummy")
    items: list[Item] = []
    for c in range(1, g.columns + 1):
        items.append(Box(g.col_x(c), g.line_top(1), g.column_width, g.lines * g.pitch, fill=COLUMN_FILL, source=src))
    if page.masthead:
        r = g.rect(1, 1, g.columns, t.masthead_lines)
        items.append(Box(r.x, r.y, r.w, r.h, fill=MASTHEAD_FILL, source=src))
        items += _label(ctx, "報頭", r.x + 6, r.y + 6, r.w - 12, r.y1, 14)[0]
    for item in page.items:
        if item.at is None or item.kind == "ad":
            continue
        r = g.rect(item.at.col, item.at.line, item.at.cols, item.at.lines)
        items.append(Box(r.x, r.y, r.w, r.h, fill=OBSTACLE_FILL, stroke=CMYK(0, 0, 0, 40), stroke_width=0.5,
                         source=src))
        name = f"{item.kind} {item.ref}" if item.ref else item.kind
        items += _label(ctx, name, r.x + 4, r.y + 4, r.w - 8, r.y1 - 2, 8, CMYK(0, 0, 0, 60))[0]
    for entry in summary.entries:
        r = g.rect(entry["col"], entry["line"], entry["cols"], entry["lines"])
        fill = AD_COLOUR_FILL if entry["colour"] and page.colour else AD_MONO_FILL
        items.append(Box(r.x, r.y, r.w, r.h, fill=fill, stroke=BLACK, stroke_width=1.0, source=src))
        y = r.y + 4
        for text, size in ((entry["advertiser"] or entry["ad"], 12.0), (entry["size"], 8.0),
                           ("彩色" if entry["colour"] else "黑白", 8.0),
                           (f"booking {entry['booking']}" if entry["booking"] else f"ad {entry['ad']}", 7.0)):
            runs, y = _label(ctx, text, r.x + 4, y, r.w - 8, r.y1 - 2, size)
            items += runs
    head = (f"{page.id} {page.section}　{'彩色' if page.colour else '黑白'}　廣告 {summary.ads} 欄行 "
            f"({summary.share:.0%})　編輯區 {summary.free} 欄行　全刊廣告 {total_share:.0%}")
    top = max(4.0, g.line_top(1) - 2.2 * 11)
    items += _label(ctx, head, g.left, top, g.width, g.line_top(1) - 2, 11)[0]
    return PageFrame(page.id, t.trim_w, t.trim_h, tuple(items), colour=page.colour)


def summary_frame(ctx, summary: list[PageSummary], data: dict) -> PageFrame:
    """The dummy's last page: every page's ads and areas in one table, the totals, and the
    bookings that could not be placed with why (what the ad department acts on)."""
    g, t = ctx.grid, ctx.template
    items: list[Item] = []
    x, width, bottom = g.left, g.width, g.line_top(g.lines) + g.pitch
    y = g.line_top(1)
    total = data["total"]
    texts: list[tuple[str, float]] = [
        (f"{ctx.edition.paper} {ctx.edition.date.isoformat()} 廣告版樣：{total['placed']}/{total['booked']} 則預訂已安排，"
         f"廣告 {total['ad_col_lines']} 欄行，佔全刊 {total['ad_share']:.1%}，編輯區 {total['editorial_col_lines']} 欄行", 14.0)]
    for page in summary:
        ads = "；".join(f"{e['advertiser'] or e['ad']}（{e['size']}，{'彩色' if e['colour'] else '黑白'}）"
                       for e in page.entries) or "無廣告"
        texts.append((f"{page.id} {page.section}　{'彩色' if page.colour else '黑白'}　廣告 {page.ads} 欄行 "
                      f"({page.share:.0%})　編輯區 {page.free} 欄行：{ads}", 10.0))
    unplaced = data["unplaced"]
    texts.append((f"未能安排的預訂：{len(unplaced)}" if unplaced else "所有預訂均已安排", 12.0))
    for u in unplaced:
        texts.append((f"{u['booking']}（{u['advertiser']}，{u['size']}）：{u['message']}", 9.0))
    for n, (text, size) in enumerate(texts):
        runs, new_y = _label(ctx, text, x, y, width, bottom, size)
        if new_y == y and text:  # the page is full: say where the rest is
            items += _label(ctx, f"… 另有 {len(texts) - n} 項，見 dummy.json", x, bottom - 12, width, bottom + 1, 9)[0]
            break
        items += runs
        y = new_y + size * 0.6
    return PageFrame("summary", t.trim_w, t.trim_h, tuple(items), colour=False)


def make_dummy(edition_path: Path, outdir: Path, *, dpi: int = PNG_DPI) -> DummyResult:
    """Plan the edition's ads (without laying out any story) and write the dummy's files."""
    import pypdfium2 as pdfium

    from layout.build import prepare
    from layout.render.pdf import render

    prep = prepare(Path(edition_path), layout=False)
    ctx = prep.ctx
    plan = getattr(ctx.edition, "ad_plan", None)
    if plan is not None:
        ctx.diagnostics.extend(size_checks(ctx, plan))
    diags = list(ctx.diagnostics)
    summary = summarise(ctx)
    data = dummy_data(ctx, summary, diags)
    total = data["total"]["ad_share"]
    from layout.render.pdfx import page_geometry

    geo = page_geometry(ctx.profile, ctx.template.trim_w, ctx.template.trim_h)
    scale = dpi / 72.0
    # Where the trim sits in each page image, so that an ad system can draw on them by mm.
    data["images"] = {"dpi": dpi, "trim_left_px": round(geo.trim_x * scale, 3),
                      "trim_top_px": round((geo.media_h - geo.trim_y - geo.trim_h) * scale, 3),
                      "px_per_mm": round(mm(1) * scale, 5), "files": [f"{p.id}.png" for p in ctx.edition.pages]}
    frames = [dummy_frame(ctx, page, s, total) for page, s in zip(ctx.edition.pages, summary, strict=True)]
    frames.append(summary_frame(ctx, summary, data))
    e = ctx.edition
    pdf, _ = render(frames, catalog=prep.catalog, images={}, profile=ctx.profile,
                    title=f"{e.paper} {e.date.isoformat()} 廣告版樣", date=e.date)
    outdir.mkdir(parents=True, exist_ok=True)
    files = [_write(outdir / "dummy.pdf", pdf),
             _write(outdir / "dummy.json", json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))]
    doc = pdfium.PdfDocument(pdf)
    try:
        for index, page in enumerate(e.pages):
            image = doc[index].render(scale=scale).to_pil().convert("RGB")
            path = outdir / f"{page.id}.png"
            tmp = path.with_name(f".{path.name}.tmp")
            image.save(tmp, format="PNG")
            os.replace(tmp, path)
            files.append(path)
    finally:
        doc.close()
    return DummyResult(outdir, summary, data, diags, files)


def _write(path: Path, data: bytes) -> Path:
    """Beside and renamed: a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path
