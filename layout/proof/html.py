"""proof.html: one static file that works from file:// with no server and no external resources.
Every problem links to a box drawn over its page image; the box is positioned in percent of the
image so it stays in place at any display width, and CSS :target lights it up."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from layout.proof.contact import page_flags
from layout.proof.geometry import PageGeometry
from layout.proof.report import Finding, Report, StoryInfo

CSS = """
body{font:15px/1.45 "Noto Sans CJK SC","Noto Sans CJK TC",sans-serif;margin:0;color:#222;background:#f4f4f0}
header{padding:12px 20px;background:#222;color:#fff;position:sticky;top:0;z-index:5}
header h1{font-size:20px;margin:0}
header nav a{color:#ddd;margin-right:10px}
main{padding:10px 20px}
[id]{scroll-margin-top:120px}
table{border-collapse:collapse;background:#fff;margin:8px 0 20px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
.over{color:#c00;font-weight:bold}.under{color:#b60}.fits{color:#070}
.error{color:#c00}.warning{color:#b60}
.pages{display:flex;flex-wrap:wrap;gap:24px}
figure{margin:0;width:min(900px,100%)}
figcaption{font-weight:bold;margin:6px 0}
.sheet{position:relative;line-height:0;box-shadow:0 1px 6px #0004;background:#fff}
.sheet img{width:100%;height:auto;display:block}
.box{position:absolute;display:block;box-sizing:border-box;border:2px solid transparent}
.box:hover{border-color:#06c8}
.box.over{border-color:#e00a}
.box.missing{border-color:#e00;background:#e003}
.box:target{border:4px solid #f0c;background:#f0c3;animation:pulse 1s ease-in-out 3}
@keyframes pulse{50%{background:#f0c6}}
.flag{color:#c00;font-weight:bold;margin-left:6px}
.sheet{container-type:inline-size}
.stamp{position:absolute;top:.5%;right:.5%;padding:.4em .6em;line-height:1.25;pointer-events:none;
 font-size:clamp(8px,1.25cqw,16px);color:#d00;background:#fffd;border:2px solid #d00c;text-align:right}
.stamp b{display:block;font-size:2.4em;line-height:1;letter-spacing:.05em}
.stamp .state{font-weight:bold}.stamp .ok{color:#070}
@media print{header{position:static}.stamp{background:#fff}}
"""

# Live preview from file:// (no server, and fetch() is not allowed there): every few seconds load
# version.js as a script; it calls proofVersion() with the current build's version, and the page
# reloads only when that differs from its own. The scroll position survives the reload.
LIVE_JS = """
const V=%s;
window.proofVersion=v=>{if(v!==V){sessionStorage.setItem('proofY',scrollY);location.reload()}};
addEventListener('load',()=>{const y=sessionStorage.getItem('proofY');
 if(y!==null&&!location.hash)scrollTo(0,+y);sessionStorage.removeItem('proofY')});
setInterval(()=>{const s=document.createElement('script');s.src='version.js?'+Date.now();
 s.onload=s.onerror=()=>s.remove();document.head.appendChild(s)},%d);
"""
VERSION_JS = "proofVersion(%s);\n"


def anchor(*parts: str) -> str:
    """A fragment id from arbitrary story/page ids: keep safe characters, hex-code the rest, so
    two different ids never share an anchor."""
    return "-".join(re.sub(r"[^A-Za-z0-9_]", lambda m: f"_{ord(m.group()):x}", p) for p in parts)


@dataclass(frozen=True)
class PageImage:
    id: str
    src: str  # relative to proof.html, with a cache-busting query
    geometry: PageGeometry


def _pct(box: tuple[float, float, float, float], size: tuple[int, int]) -> str:
    x0, y0, x1, y1 = box
    w, h = size
    x0, y0 = max(0.0, x0), max(0.0, y0)
    x1, y1 = min(float(w), x1), min(float(h), y1)
    return (f"left:{100 * x0 / w:.3f}%;top:{100 * y0 / h:.3f}%;"
            f"width:{100 * max(0.0, x1 - x0) / w:.3f}%;height:{100 * max(0.0, y1 - y0) / h:.3f}%")


def _clip(m) -> str:
    """An L-shaped module's box cut to its outline (issue 13), so that the item in its notch is
    the one under the pointer there; nothing for a rectangle."""
    if getattr(m, "notch", None) is None or m.w <= 0 or m.h <= 0:
        return ""
    points = ", ".join(f"{100 * (x - m.x) / m.w:.3f}% {100 * (y - m.y) / m.h:.3f}%" for x, y in m.outline())
    return f";clip-path:polygon({points})"


def _story_links(report: Report, story: StoryInfo) -> list[str]:
    """Links to every module of the story, on every page, in page order."""
    links = []
    for page in report.pages:
        for m in page.modules:
            if m.ref == story.id and m.kind in ("story", "continued"):
                label = page.id if m.kind == "story" else f"{page.id} (continued)"
                links.append(f'<a href="#{anchor("m", page.id, story.id, m.kind)}">{escape(label)}</a>')
    if not links:  # placed nowhere we know of: at least the pages the report names
        links = [f'<a href="#{anchor("page", p)}">{escape(p)}</a>' for p in story.pages]
    return links


def _finding_anchor(i: int, f: Finding) -> str | None:
    if f.page is None:
        return None
    return anchor("pf", str(i)) if f.bbox is not None else anchor("page", f.page)


def _rows(cells: Iterable[str]) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def page_state(report: Report, page_id: str) -> str:
    """What the stamp says of a page's state: the flags the contact sheet shows, or that it has none."""
    flags = page_flags(report, page_id)
    return " · ".join(flags) if flags else "no flags"


def _stamp(report: Report, page, stamp: str, proof_id: str) -> str:
    """The PROOF stamp over a page's image: edition, page, build time and the page's state. It is
    drawn here, not into the image, so that the image depends on the page alone (and is cached)."""
    edition = f"{report.paper} {report.date} 第{report.issue}期"
    lines = [escape(edition), escape(f"{page.id} {page.section}".strip()), escape(stamp)]
    if proof_id:
        lines.append(escape(f"proof {proof_id}"))
    state = page_state(report, page.id)
    cls = "state" if state != "no flags" else "state ok"
    return (f'<div class="stamp" data-page="{escape(page.id)}"><b>PROOF</b>' + "<br>".join(lines)
            + f'<br><span class="{cls}">{escape(state)}</span></div>')


def render_html(report: Report, images: list[PageImage], *, live_seconds: float | None = None,
                version: str = "", stamp: str | None = None, proof_id: str = "") -> str:
    """The page; with live_seconds, it checks version.js that often and reloads on a new version.
    stamp: the time in each page's PROOF stamp (default: the report's build time)."""
    stamp = report.build_time if stamp is None else stamp
    geoms = {im.id: im.geometry for im in images}
    out: list[str] = ['<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8">']
    out.append('<meta name="viewport" content="width=device-width,initial-scale=1">')
    title = f"{report.paper} {report.date} 第{report.issue}期 proof"
    out.append(f"<title>{escape(title)}</title><style>{CSS}</style>")
    if live_seconds:
        out.append(f"<script>{LIVE_JS % (json.dumps(version), round(live_seconds * 1000))}</script>")
    out.append("</head><body><header>")
    over = [s for s in report.stories if s.status == "over"]
    errors = [f for f in report.preflight if f.severity == "error"]
    out.append(f"<h1>{escape(title)} — PROOF {escape(stamp)}" + (f" · {escape(proof_id)}" if proof_id else "")
               + "</h1>")
    out.append(f"<div>{len(report.pages)} pages · {len(over)} overset · "
               f"{sum(len(s.missing_glyphs) for s in report.stories)} missing glyphs · "
               f"{len(errors)} preflight errors · {len(report.diagnostics)} diagnostics</div><nav>")
    out.append('<a href="#stories">stories</a><a href="#preflight">preflight</a>'
               '<a href="#diagnostics">diagnostics</a><a href="contact.png">contact sheet</a> ')
    out.extend(f'<a href="#{anchor("page", p.id)}">{escape(p.id)}</a>' for p in report.pages)
    out.append("</nav></header><main>")

    out.append('<h2 id="stories">Stories</h2><table><tr><th>story</th><th>headline</th><th>copyfit</th>'
               "<th>pages</th><th>missing glyphs</th><th>notes</th></tr>")
    for s in sorted(report.stories, key=lambda s: ({"over": 0, "under": 1}.get(s.status, 2), s.id)):
        glyphs = ", ".join(f"{escape(g.char)} {escape(g.code)}" + (f" ¶{g.paragraph}" if g.paragraph else "")
                           for g in s.missing_glyphs)
        notes = "; ".join(escape(d.message) for d in report.diagnostics if d.story == s.id)
        out.append(f'<tr id="{anchor("story", s.id)}" class="story-row {s.status}">'
                   + "".join(f"<td>{c}</td>" for c in (
                       escape(s.id), escape(s.headline), f'<span class="{s.status}">{escape(s.copyfit)}</span>',
                       " ".join(_story_links(report, s)), glyphs, notes)) + "</tr>")
    out.append("</table>")

    out.append('<h2 id="preflight">Preflight</h2><table><tr><th>page</th><th>severity</th><th>code</th>'
               "<th>message</th></tr>")
    for i, f in enumerate(report.preflight):
        target = _finding_anchor(i, f)
        where = f'<a href="#{target}">{escape(f.page or f.file)}</a>' if target else escape(f.page or f.file)
        out.append(_rows((where, f'<span class="{escape(f.severity)}">{escape(f.severity)}</span>',
                          escape(f.code), escape(f.message))))
    out.append("</table>")

    out.append('<h2 id="diagnostics">Diagnostics</h2><table><tr><th>severity</th><th>code</th><th>message</th>'
               "<th>where</th><th>hint</th></tr>")
    for d in report.diagnostics:
        where = ":".join(str(v) for v in (d.file, d.line, d.column) if v is not None)
        if d.story and report.story(d.story):
            where += f' <a href="#{anchor("story", d.story)}">{escape(d.story)}</a>'
        if d.page:
            where += f' <a href="#{anchor("page", d.page)}">{escape(d.page)}</a>'
        out.append(_rows((f'<span class="{escape(d.severity)}">{escape(d.severity)}</span>', escape(d.code),
                          escape(d.message), where, escape(d.hint or ""))))
    out.append("</table>")

    out.append('<h2>Pages</h2><div class="pages">')
    stories = {s.id: s for s in report.stories}
    for im in images:
        page = report.page(im.id)
        if page is None:
            continue
        geom = geoms[im.id]
        out.append(f'<figure id="{anchor("page", page.id)}" data-page="{escape(page.id)}">'
                   f"<figcaption>{escape(page.id)} {escape(page.section)}</figcaption><div class=\"sheet\">"
                   f'<img src="{escape(im.src)}" alt="page {escape(page.id)}" loading="eager">')
        for m in page.modules:
            if m.ref is None:
                continue
            story = stories.get(m.ref)
            cls = "box " + m.kind + (" over" if story and story.over_on(page.id) else "")
            href = f' href="#{anchor("story", m.ref)}"' if story else ""
            tip = f"{m.kind} {m.ref}" + (f": {story.copyfit}" if story else "")
            out.append(f'<a class="{escape(cls)}" id="{anchor("m", page.id, m.ref, m.kind)}"{href} '
                       f'title="{escape(tip)}" style="{_pct(geom.trim_rect_px(m.x, m.y, m.w, m.h), geom.size)}'
                       f'{_clip(m)}"></a>')
        for m in page.missing:  # characters no face has: not printed, boxed on the image already
            tip = f"missing glyph {m.char} {m.code}" + (f" in {m.item}" if m.item else "") + \
                (f" at {m.source}" if m.source else "")
            href = f' href="#{anchor("story", m.story)}"' if m.story and m.story in stories else ""
            out.append(f'<a class="box missing"{href} title="{escape(tip)}" '
                       f'style="{_pct(geom.trim_rect_px(m.x, m.y, m.w, m.h), geom.size)}"></a>')
        for i, f in enumerate(report.preflight):
            if f.page == page.id and f.bbox is not None:
                out.append(f'<a class="box finding" id="{anchor("pf", str(i))}" href="#preflight" '
                           f'title="{escape(f.code)}: {escape(f.message)}" '
                           f'style="{_pct(geom.pdf_rect_px(*f.bbox), geom.size)}"></a>')
        out.append(_stamp(report, page, stamp, proof_id))
        out.append("</div></figure>")
    out.append("</div></main></body></html>\n")
    return "".join(out)
