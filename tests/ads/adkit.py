"""A generated 12-page broadsheet edition with 20 bookings of mixed sizes, wishes and colour, some
of which cannot be placed (each for a different reason), and small stories on every page for the
automatic layout to fill the rest."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pikepdf
import pytest
import yaml

from layout.template import load_template

SECTIONS = ["要聞", "要聞", "城市", "城市", "經濟", "經濟", "文化", "文化", "體育", "體育", "廣告", "生活"]
COLOUR_PAGES = ["A01", "A04", "A05", "A09", "A12"]
SENTENCES = ["市政府昨日召開新聞發佈會，介紹今年以來全市經濟運行情況。", "記者從會上獲悉，前三季度全市生產總值同比增長百分之六。",
             "業內人士表示，消費市場持續回暖，新興產業增勢良好。", "據了解，相關部門將進一步優化營商環境，支持企業發展。",
             "市民王先生說，這些變化讓人看到了城市發展的活力。"]


def story_text(n: int, chars: int) -> str:
    out, i = [], n
    while sum(len(s) for s in out) < chars:
        out.append(SENTENCES[i % len(SENTENCES)])
        i += 1
    text = "".join(out)
    return "\n".join(text[k:k + 120] for k in range(0, len(text), 120))


def ad_pdf(w: float, h: float, fill: str = "0 0 0 1 k") -> bytes:
    """A one-page PDF ad of w × h pt, a rectangle painted in `fill` (a colour operator) inside it."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(w, h))
    page.obj.Contents = pdf.make_stream(f"{fill} 2 2 {w - 4:.2f} {h - 4:.2f} re f".encode())
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)
    return buf.getvalue()


# (id, advertiser, size YAML, other keys YAML); the ad is a box ad of its own unless `ad:` is given
BOOKINGS = [
    ("ear", "晨報發行部", "報眼", "colour: true\n    priority: 10"),
    ("bank-a", "渝江銀行", "通欄", "height: 15\n    page: A01\n    colour: true\n    category: 銀行\n    priority: 9"),
    ("bank-b", "山城銀行", "半通欄", "height: 20\n    section: 要聞\n    category: 銀行\n    priority: 8"),
    ("bank-c", "江北銀行", "半通欄", "height: 20\n    section: 要聞\n    category: 銀行\n    priority: 1"),
    ("broker", "西南證券", "半版", "section: 經濟\n    priority: 5"),
    ("pinned", "城建集團", "4x30", "page: A06\n    at: {col: 5, line: 76}"),
    ("travel", "長江旅行社", "1/4版", "side: right\n    colour: true\n    priority: 4"),
    ("strip", "家電城", "中縫", "page: A03\n    priority: 3"),
    ("pdf-ad", "汽車城", "{cols: 3, lines: 20}", "ad: car-pdf\n    section: 體育\n    colour: true"),
    ("mm-ad", "眼鏡店", "半通欄", "height: 50mm\n    section: 城市"),
    ("top-ad", "書店", "2x12", "page: A07\n    fold: above"),
    ("below", "藥房", "{cols: 2, lines: 18}", "fold: below\n    section: 生活\n    colour: true"),
    ("small-1", "花店", "2x10", ""),
    ("small-2", "麵館", "2x10", "separate: [花店]"),
    ("small-3", "洗衣店", "1x10", "side: left"),
    ("classified", "分類廣告", "整版", "page: A11\n    priority: 6"),
    ("too-many", "搬家公司", "2x10", "page: A11"),
    ("no-room", "傢俬城", "6x20", "page: A06"),
    ("mono-only", "畫廊", "3x15", "section: 文化\n    colour: true"),
    ("huge", "地產商", "半版", "section: 要聞\n    priority: -1"),
    ("cinema", "影城", "通欄", "height: 10\n    side: right\n    priority: 2"),
]
# What the bookings that cannot go anywhere fail on: the reason each must be reported with.
UNPLACED = {"bank-c": "separation", "too-many": "share", "no-room": "full", "mono-only": "colour", "huge": "share"}


def booking_rows(bookings=BOOKINGS) -> list[dict]:
    """The bookings as plain values, as an ad system would export them."""
    rows = []
    for bid, advertiser, size, extra in bookings:
        row = {"id": bid, "advertiser": advertiser, **(yaml.safe_load(extra.replace("\n    ", "\n")) or {})}
        sized = yaml.safe_load(size)
        row["size"] = f"{sized['cols']}x{sized['lines']}" if isinstance(sized, dict) else size
        if "ad" not in row:
            row.update(kind="box", title=advertiser, lines=["電話 6000 0000"])
        rows.append(row)
    return rows


def write_booking_file(root: Path, kind: str, bookings=BOOKINGS) -> str:
    rows = booking_rows(bookings)
    if kind == "yaml":
        for row in rows:
            if "kind" in row:
                row["ad"] = {k: row.pop(k) for k in ("kind", "title", "lines")}
        (root / "bookings.yaml").write_text(yaml.safe_dump({"bookings": rows}, allow_unicode=True), "utf-8")
        return "bookings.yaml"
    columns = ["id", "advertiser", "ad", "size", "height", "page", "section", "side", "fold", "at", "colour",
               "category", "separate", "priority", "kind", "title", "lines"]
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(columns)
    for row in rows:
        cells = []
        for c in columns:
            v = row.get(c, "")
            if isinstance(v, list):
                v = "|".join(v)
            elif isinstance(v, dict):
                v = f"{v['col']} {v['line']}"
            elif isinstance(v, bool):
                v = "true" if v else "false"
            cells.append(v)
        out.writerow(cells)
    (root / "bookings.csv").write_text(buf.getvalue(), "utf-8")
    return "bookings.csv"


def write_edition(root: Path, bookings=BOOKINGS, fill: dict[str, int] | None = None,
                  booking_file: str | None = None) -> Path:
    """The edition; `fill` (page id → free column-lines, from the dummy): stories on those pages
    only, sized to the free area as a night's copy is written to the dummy; without it one short
    story a page (the dummy lays out none)."""
    g = load_template("broadsheet").grid
    (root / "ads").mkdir(parents=True, exist_ok=True)
    (root / "ads" / "car.pdf").write_bytes(ad_pdf(g.span_width(3), 20 * g.pitch))
    lines = ["paper: 測試晨報", "date: 2026-12-01", "issue: 9001", "template: broadsheet",
             f"colour_pages: [{', '.join(COLOUR_PAGES)}]"]
    lines.append("pages:")
    stories = []
    sizes: dict[str, int] = {}
    for n, section in enumerate(SECTIONS, start=1):
        pid = f"A{n:02d}"
        lines += [f"  - page: {pid}", f"    section: {section}"]
        if n == 1:
            lines.append("    masthead: true")
        lines.append("    items:")
        if section == "廣告" or (fill is not None and pid not in fill):
            lines.append("      []")
            continue
        count = 3 if fill else 1
        for k in range(1, count + 1):
            sid = f"s{n:02d}-{k}"
            lines.append(f"      - story: {sid}")
            stories.append(sid)
            if fill:
                # about 13 characters a column-line, less the headlines: a little short of full
                share = (0.5, 0.3, 0.2)[k - 1]
                sizes[sid] = int(fill.get(pid, 0) * 13 * 0.78 * share)
    lines.append("stories:")
    for i, sid in enumerate(stories):
        lines += [f"  {sid}:", f"    headline: 第{i + 1}條新聞標題", "    body: |"]
        lines += ["      " + t for t in story_text(i, sizes.get(sid, 900 + 150 * (i % 4))).split("\n")]
    lines += ["ads:", "  car-pdf:", "    kind: pdf", "    file: ads/car.pdf"]
    if booking_file:
        lines.append(f"bookings: {write_booking_file(root, booking_file, bookings)}")
        bookings = []
    else:
        lines.append("bookings:")
    for bid, advertiser, size, extra in bookings:
        lines += [f"  - id: {bid}", f"    advertiser: {advertiser}", f"    size: {size}"]
        if "ad:" not in extra:
            lines += ["    ad: {kind: box, title: " + advertiser + ", lines: [電話 6000 0000]}"]
        lines += [f"    {e.strip()}" for e in extra.split("\n") if e.strip()]
    path = root / "edition.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _has_gs() -> bool:
    from layout.preflight.ink import GhostscriptMissing, _gs

    try:
        _gs()
    except GhostscriptMissing:
        return False
    return True


# the tests that read a PDF's separations, which Ghostscript renders
needs_gs = pytest.mark.skipif(not _has_gs(), reason="Ghostscript renders a PDF's separations")
