"""The alternatives of `layout suggest` as proofs of the real page: each layout the optimiser kept
is applied to the edition, paginated and rendered with the build's own stages, rasterised with the
proof overlays and captioned; an index.html shows them side by side with their scores, trades and
a YAML snippet of `at:` values that pins the layout in the edition file."""

from __future__ import annotations

import dataclasses
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

from layout.autolayout.plan import PagePlan, apply, decisions, plan_edition
from layout.autolayout.search import Solution
from layout.build import Prepared
from layout.diagnostics import Diagnostics
from layout.images import ImageCache, ImageStore
from layout.model.edition import Edition, Page, PageItem
from layout.output import prepare_images
from layout.paginate.context import Context
from layout.paginate.edition import EditionLayout, paginate
from layout.proof.overlay import OverlayOptions, label_font
from layout.proof.raster import PNG_COMPRESS_LEVEL, PageJob, render_page
from layout.proof.report import StoryInfo, parse_report
from layout.render.pdf import place_pdf_ads, render
from layout.report import edition_report

CAPTION_PT = 11  # caption type size at 72 dpi; scaled with the proof


@dataclass(frozen=True)
class Alternative:
    number: int  # 1 = the best (lowest score)
    score: float
    traded: tuple[str, ...]
    fill: float  # share of the live area used
    snippet: str  # YAML: the page's items with their at: values
    png: Path
    pdf: Path
    copyfit: tuple[tuple[str, str], ...]  # (story id, copyfit as paginated) of the page's stories
    chosen: bool = False  # the layout a build of the edition takes


def caption(plan: PagePlan, number: int, solution: Solution) -> str:
    trades = "; ".join(plan.traded(solution)) or "nothing"
    return f"alternative {number}: score {solution.score.total:.1f}, traded {trades}"


def _item_head(edition: Edition, item: PageItem) -> dict:
    """The item's kind and reference as the edition file writes them (no position)."""
    if item.kind == "teasers":
        return {"teasers": list(item.refs)}
    if item.kind == "photo" and item.photo is not None:
        ph = item.photo
        base = edition.path.parent
        fields: dict = {"file": os.path.relpath(ph.file, base)}
        if ph.caption:
            fields["caption"] = ph.caption
        if ph.credit:
            fields["credit"] = ph.credit
        fields |= {"cols": ph.cols, "lines": ph.lines}
        if ph.focus != (0.5, 0.5):
            fields["focus"] = list(ph.focus)
        return {"photo": fields}
    return {item.kind: item.ref}


def pin_snippet(edition: Edition, page: Page, plan: PagePlan, solution: Solution, number: int = 1) -> str:
    """The page's `items:` with every module placed as `solution` places it, in the page's own
    order. Free photos carry their chosen size; a story's headline size and photo depth belong to
    the story (and the edition file has no key for the headline size), so they are comments."""
    placed = apply(edition, page, plan, solution).page(page.id)
    assert placed is not None
    chosen = {d.item: d for d in decisions(plan, solution)}
    out = [f"# page {page.id}, alternative {number} (score {solution.score.total:.1f}): "
           "paste as the page's items: to pin it"]
    out.append("items:")
    for index, item in enumerate(placed.items):
        entry = _item_head(edition, item)
        if item.at is not None:
            a = item.at
            entry["at"] = {"col": a.col, "line": a.line, "cols": a.cols, "lines": a.lines}
        text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)
        out += ["  " + line for line in text.rstrip("\n").splitlines()]
        d = chosen.get(index)
        if item.kind == "story" and d is not None:
            notes = []
            if d.head_size:
                notes.append(f"headline {d.head_size:g} pt")
            if d.photo_lines:
                notes.append("photo depth " + ", ".join(str(n) for n in d.photo_lines) + " lines")
            if notes:
                out.append("    # the engine chose " + "; ".join(notes) + " (the module stays as pinned either way)")
    return "\n".join(out) + "\n"


def _page_only(prep: Prepared, ctx: Context, lay: EditionLayout, page_id: str) -> Prepared:
    """A Prepared that holds one page, so that the build's image and report stages see only it."""
    one = next(p for p in lay.pages if p.page.id == page_id)
    stories = {sid: s for sid, s in lay.stories.items() if page_id in s.pages}
    return Prepared(prep.template, ctx, EditionLayout([one], stories), prep.catalog, {})


def _render_pdf(sub: Prepared, store: ImageStore, title: str) -> bytes:
    ctx = sub.ctx
    frames = sub.layout.frames()
    images = prepare_images(sub, store)
    data, pending = render(frames, catalog=sub.catalog, images=images, profile=ctx.profile, title=title,
                           date=ctx.edition.date)
    return place_pdf_ads(data, pending, frames)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: float) -> list[str]:
    """Greedy wrap: a Latin word or number is kept whole, Chinese may break between any two
    characters (it has no spaces)."""
    lines, line = [], ""
    for token in re.findall(r"[A-Za-z0-9.,;:%()'-]+ ?|.", text):
        if line and draw.textlength(line + token.rstrip(), font=font) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return lines + [line.rstrip()] if line.strip() else lines


def add_caption(png: Path, text: str, dpi: int) -> None:
    """A white band above the proof with the caption, so the picture itself stays the page."""
    page = Image.open(png).convert("RGB")
    size = max(10, round(CAPTION_PT * dpi / 72))
    font = label_font(size)
    pad = max(4, size // 2)
    probe = ImageDraw.Draw(page)
    lines = _wrap(probe, text, font, page.width - 2 * pad)
    step = round(size * 1.3)
    band = 2 * pad + step * len(lines)
    out = Image.new("RGB", (page.width, page.height + band), (255, 255, 255))
    out.paste(page, (0, band))
    draw = ImageDraw.Draw(out)
    for n, line in enumerate(lines):
        draw.text((pad, pad + n * step), line, font=font, fill=(0, 0, 0))
    tmp = png.with_name(f".{png.name}.tmp")
    out.save(tmp, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    tmp.replace(png)


def render_alternatives(prep: Prepared, edition: Edition, page: Page, plan: PagePlan, outdir: Path,
                        *, dpi: int = 72, chosen: Solution | None = None) -> list[Alternative]:
    """One PDF, captioned PNG and YAML snippet per solution of the plan, in outdir.

    `edition` is the edition as written (the page's unplaced items still without at); each
    alternative is the whole edition paginated again with this page placed, so that text flow,
    jumps and photos are exactly what a build with it pinned gives."""
    outdir.mkdir(parents=True, exist_ok=True)
    store = ImageStore(ImageCache.default())
    e = edition
    out = []
    for n, sol in enumerate(plan.solutions, start=1):
        placed = apply(edition, page, plan, sol)
        ctx = Context(placed, prep.template, prep.ctx.setter, Diagnostics(), profile=prep.ctx.profile,
                      plans=prep.ctx.plans)
        ctx.edition, _ = plan_edition(ctx, ctx.plans)  # the other pages as a build places them
        sub = _page_only(prep, ctx, paginate(ctx), page.id)
        pdf = outdir / f"alternative-{n}.pdf"
        pdf.write_bytes(_render_pdf(sub, store, f"{e.paper} {e.date.isoformat()} {page.id} alternative {n}"))
        report = parse_report(edition_report(sub, [], {}))
        info = report.page(page.id)
        assert info is not None
        info = dataclasses.replace(info, file=pdf.name)
        stories: dict[str, StoryInfo] = {s.id: s for s in report.stories if page.id in s.pages}
        png = outdir / f"alternative-{n}.png"
        render_page(PageJob(page=info, pdf=pdf, png=png, thumb=outdir / ".thumbs" / png.name, dpi=dpi,
                            overlay=OverlayOptions(outlines=True, overset=True, stamp=None), stories=stories))
        text = caption(plan, n, sol)
        add_caption(png, text, dpi)
        snippet = pin_snippet(edition, page, plan, sol, n)
        (outdir / f"alternative-{n}.yaml").write_text(snippet, "utf-8")
        out.append(Alternative(n, sol.score.total, tuple(plan.traded(sol)), plan.fill(sol), snippet, png, pdf,
                               tuple((s.id, s.copyfit) for s in stories.values()), sol is chosen))
    return out


_CSS = """body{font-family:sans-serif;margin:1em;background:#eee}
.row{display:flex;gap:1em;align-items:flex-start;overflow-x:auto}
figure.alternative{margin:0;background:#fff;padding:.6em;flex:0 0 auto;width:min(32%,560px);min-width:300px}
figure img{width:100%;border:1px solid #999}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:85%}
.score{font-weight:bold}"""


def index_html(page: Page, plan: PagePlan, alternatives: list[Alternative]) -> str:
    e = html.escape
    head = f"page {page.id}: {len(alternatives)} alternative(s)"
    if plan.relaxed:
        head += " (relaxed: no layout keeps every story within one empty line per column)"
    parts = [f"<!doctype html><html lang='zh-Hant'><head><meta charset='utf-8'><title>{e(head)}</title>"
             f"<style>{_CSS}</style></head><body><h1>{e(head)}</h1>"]
    parts += [f"<p class='problem'>cannot place: {e(why)}</p>" for why in plan.problems]
    parts.append("<div class='row'>")
    for alt in alternatives:
        trades = "".join(f"<li>{e(t)}</li>" for t in alt.traded) or "<li>nothing</li>"
        fit = "".join(f"<li>{e(sid)}: {e(status)}</li>" for sid, status in alt.copyfit)
        mark = "; <b>the build's layout</b>" if alt.chosen else ""
        parts.append(
            f"<figure class='alternative' id='alternative-{alt.number}' data-score='{alt.score:.3f}'>"
            f"<figcaption><span class='score'>alternative {alt.number}: score {alt.score:.1f}</span>, "
            f"{alt.fill:.1%} of the live area used{mark}</figcaption>"
            f"<a href='{e(alt.pdf.name)}'><img src='{e(alt.png.name)}' alt='alternative {alt.number}'></a>"
            f"<p>traded:</p><ul class='traded'>{trades}</ul>"
            f"<p>as paginated:</p><ul class='copyfit'>{fit}</ul>"
            f"<p>to pin it (<a href='alternative-{alt.number}.yaml'>alternative-{alt.number}.yaml</a>):</p>"
            f"<pre class='snippet'>{e(alt.snippet)}</pre></figure>")
    parts.append("</div></body></html>\n")
    return "".join(parts)


def write_index(outdir: Path, page: Page, plan: PagePlan, alternatives: list[Alternative]) -> Path:
    path = outdir / "index.html"
    tmp = path.with_name(".index.html.tmp")
    tmp.write_text(index_html(page, plan, alternatives), "utf-8")
    tmp.replace(path)
    return path
