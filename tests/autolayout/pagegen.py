"""Edition files written for the autolayout tests: pages booked the way a layout editor books them
(issue 13), and the generator the property tests draw pages from.

Text is cut from the sample edition's story files (real Chinese sentences with their punctuation),
so line breaking meets what a night's copy brings. Photos are copied into the test folder's
assets (the template's asset root is ../assets next to the edition's folder)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import yaml

from layout.diagnostics import Diagnostics
from layout.model import load_edition

ROOT = Path(__file__).resolve().parents[2]
PHOTOS = ("train.jpg", "port.jpg", "market.jpg", "skyline.jpg", "stadium.jpg", "harbour.jpg")


def _corpus() -> str:
    text = "".join(p.read_text("utf-8").replace("\n", "") for p in sorted((ROOT / "editions" / "sample").glob("*.txt")))
    return text


CORPUS = _corpus()


def han(n: int, start: int = 0) -> str:
    """About n characters of running text, from `start` in the corpus (wrapping round)."""
    start %= len(CORPUS)
    out = (CORPUS * (2 + n // len(CORPUS)))[start:start + n]
    return out.strip() or "文"


def paragraphs(total: int, count: int, start: int = 0, subheads: int = 0) -> str:
    """`count` paragraphs of `total` characters in all, with `subheads` sub-heads spread among them."""
    count = max(1, count)
    size = max(1, total // count)
    lines = []
    every = max(1, count // (subheads + 1)) if subheads else 0
    made = 0
    for k in range(count):
        if subheads and k and k % every == 0 and made < subheads:
            lines.append("## " + han(8, start + 7 * k + 3))
            made += 1
        lines.append(han(size, start + k * size))
    return "\n".join(lines)


def story(sid: str, chars: int, *, start: int = 0, paras: int | None = None, subheads: int = 0, decks: int = 0,
          byline: bool = True, photos: list[dict] | None = None, jump: str | None = None, kicker: bool = False,
          headline: str | None = None) -> dict:
    s: dict = {"headline": headline or han(10, start + 5)}
    if kicker:
        s["kicker"] = han(12, start + 31)
    if decks:
        s["decks"] = [han(16, start + 61 + 20 * k) for k in range(decks)]
    if byline:
        s["byline"] = "本報記者 陳思遠"
    s["body"] = paragraphs(chars, paras or max(1, chars // 220), start, subheads)
    if photos:
        s["photos"] = photos
    if jump:
        s["jump"] = jump
    return s


def photo(n: int, cols: int = 3, lines: int = 20) -> dict:
    return {"file": f"../assets/photos/{PHOTOS[n % len(PHOTOS)]}", "caption": han(24, 900 + 37 * n),
            "credit": "本報記者 林曉 攝", "cols": cols, "lines": lines}


SUBSCRIBE = {"kind": "box", "title": "2027年度報紙徵訂開始",
             "lines": ["全年定價：360元", "半年定價：186元", "零售價：每份2元", "訂閱熱線：023-6188 0000",
                       "全市各郵政網點均可辦理"], "slogan": "一報在手 知曉江城"}
CLINIC = {"kind": "box", "title": "社區衛生服務中心冬季義診",
          "lines": ["12月6日、13日上午9:00—11:30", "全市43家社區衛生服務中心同步舉行", "免費測量血壓、血糖",
                    "預約電話：023-6000 1212"]}


def write(folder: Path, pages: list[dict], stories: dict, ads: dict | None = None, name: str = "page") -> Path:
    """The edition file (and its photos) in `folder`; returns its path."""
    (folder / "assets" / "photos").mkdir(parents=True, exist_ok=True)
    for p in PHOTOS:
        target = folder / "assets" / "photos" / p
        if not target.exists():
            shutil.copyfile(ROOT / "assets" / "photos" / p, target)
    ed = folder / "editions"
    ed.mkdir(exist_ok=True)
    doc = {"paper": "渝江晨報", "date": "2026-12-01", "issue": 8123, "template": "broadsheet", "print": "newsprint",
           "pages": pages, "stories": stories}
    if ads:
        doc["ads"] = ads
    path = ed / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def context(prep, path: Path):
    """A build context for the edition at `path` with the prepared sample's template, fonts and text
    setter (faces loaded and paragraphs composed once for the session); no plan cache."""
    t = prep.template
    roots = [(path.parent / r).resolve() for r in t.asset_roots]
    edition = load_edition(path, asset_roots=roots, page_count=None, grid=(t.grid.columns, t.grid.lines))
    return dataclasses.replace(prep.ctx, edition=edition, diagnostics=Diagnostics(), plans=None), edition


# -- the pages of issue 13 ------------------------------------------------------------------------------

def front_page(folder: Path, *, sized: bool = True) -> Path:
    """A01: one lead story (headline, two decks, byline, nine paragraphs, five sub-heads, a photo), a
    2 × 26 subscription box and teasers across the foot, booked at natural sizes; the teased stories
    on A02 (unpinned, so the engine places them too)."""
    box: dict = {"ad": "subscribe"}
    teasers: dict = {"teasers": ["t1", "t2", "t3", "t4"]}
    if sized:
        box["size"] = {"cols": 2, "lines": 26}
        teasers["size"] = {"cols": 8, "lines": 10}
    pages = [{"page": "A01", "masthead": True, "items": [{"story": "lead"}, box, teasers]},
             {"page": "A02", "items": [{"story": s} for s in ("t1", "t2", "t3", "t4")]}]
    stories = {"lead": story("lead", 2600, paras=9, subheads=5, decks=2, kicker=True, photos=[photo(0, 4, 26)])}
    for k, s in enumerate(("t1", "t2", "t3", "t4")):
        stories[s] = story(s, (1700, 1300, 1100, 900)[k], start=3000 + 1500 * k)
        stories[s]["teaser"] = han(14, 7000 + 50 * k)
    return write(folder, pages, stories, {"subscribe": SUBSCRIBE}, "front")


def one_story(folder: Path, chars: int = 6000) -> Path:
    pages = [{"page": "A02", "items": [{"story": "only"}]}]
    return write(folder, pages, {"only": story("only", chars, decks=1, photos=[photo(1, 3, 22)])}, name="one")


def too_little(folder: Path) -> Path:
    pages = [{"page": "A03", "items": [{"story": "short-a"}, {"story": "short-b"}]}]
    stories = {"short-a": story("short-a", 700, start=200), "short-b": story("short-b", 450, start=4000)}
    return write(folder, pages, stories, name="little")


def ads_heavy(folder: Path) -> Path:
    """A box ad 2 × 20 and teasers 6 × 10 on one page with three stories."""
    pages = [{"page": "A02", "items": [{"story": "s1"}, {"story": "s2"}, {"story": "s3"},
                                       {"ad": "clinic", "size": {"cols": 2, "lines": 20}},
                                       {"teasers": ["s4", "s5"], "size": {"cols": 6, "lines": 10}}]},
             {"page": "A03", "items": [{"story": "s4"}, {"story": "s5"}]}]
    stories = {f"s{k}": story(f"s{k}", c, start=800 * k, photos=[photo(k, 3, 18)] if k == 1 else None)
               for k, c in ((1, 2600), (2, 1800), (3, 1200), (4, 3000), (5, 2500))}
    return write(folder, pages, stories, {"clinic": CLINIC}, "ads")


def overfull(folder: Path, *, jump: bool | str, extra: int = 3000) -> Path:
    """Five stories more than the page holds; with `jump`, the lead continues on A03 (`jump="auto"`:
    on the next page with room, A03 being full and A04 not)."""
    items = [{"story": f"o{k}"} for k in range(1, 6)]
    pages = [{"page": "A02", "items": items}]
    chars = (3400, 2100, 1800, 1500, 1200)
    target = "auto" if jump == "auto" else "A03"
    stories = {f"o{k}": story(f"o{k}", c, start=611 * k, photos=[photo(k, 3, 20)] if k in (1, 3) else None,
                              jump=target if jump and k == 1 else None)
               for k, c in zip(range(1, 6), chars, strict=True)}
    a03 = [{"continued": "o1"}, {"story": "extra"}] if jump is True else [{"story": "extra"}]
    stories["extra"] = story("extra", extra, start=9000)
    pages.append({"page": "A03", "items": a03})
    if jump == "auto":
        stories["extra"] = story("extra", 9500, start=9000)  # A03 full: the rest goes on to A04
        pages.append({"page": "A04", "items": [{"story": "a4"}]})
        stories["a4"] = story("a4", 2500, start=2000)
    return write(folder, pages, stories, name=f"overfull-{jump}")


def lay_out(ctx):
    """Plan, then paginate, as a build does (layout.build.prepare)."""
    from layout.build import lay_out as build_lay_out

    return build_lay_out(ctx)


def generated(folder: Path, n, chars, with_photo, ads, pin, jump, masthead, extra: str = "none",
              vertical: int = -1) -> Path:
    """A02 with `n` stories of `chars` characters (photos on those in `with_photo`), booked ads of
    the sizes in `ads`, the lead, the second story or the first ad pinned (`pin`), the lead jumping
    to A03 or not, a masthead or not, and an item the engine sizes (`extra`: "box", a box ad
    without a size; "teasers", teasers of A03's story without a size; "none"); A03 holds the
    continuation (if any) and one more story. `vertical`: the index of a story set vertically
    (issue 16; its digit runs set across the column, 縱中橫, and counted character by character),
    or -1."""
    stories, items = {}, []
    for k in range(n):
        pic = [photo(k, cols=min(3, 2 + k % 2), lines=14 + 2 * k)] if k in with_photo else None
        stories[f"s{k}"] = story(f"s{k}", chars[k], start=977 * k + 13, photos=pic,
                                         jump="A03" if jump and k == 0 else None)
        if k == vertical:
            stories[f"s{k}"]["direction"] = "vertical"
        items.append({"story": f"s{k}"})
    top = 13 if masthead else 1
    if pin == "lead":
        items[0]["at"] = {"col": 1, "line": top, "cols": 5, "lines": 40}
    if pin == "second" and n > 1:
        items[1]["at"] = {"col": 6, "line": top, "cols": 3, "lines": 30}
    booked = {}
    col = 9
    for k, (w, h) in enumerate(ads):
        name = f"ad{k}"
        booked[name] = CLINIC
        entry = {"ad": name, "size": {"cols": w, "lines": h}}
        if pin == "ad" and k == 0 and col - w >= 1:
            entry = {"ad": name, "at": {"col": col - w, "line": 106 - h, "cols": w, "lines": h}}
        items.append(entry)
    if extra == "box":
        booked["subscribe"] = SUBSCRIBE
        items.append({"ad": "subscribe"})
    elif extra == "teasers":
        items.append({"teasers": ["other"]})
    pages_ = [{"page": "A02", "masthead": masthead, "items": items}]
    a03 = [{"story": "other"}]
    if jump:
        a03.insert(0, {"continued": "s0"})
    pages_.append({"page": "A03", "items": a03})
    stories["other"] = story("other", 2500, start=5000)
    if extra == "teasers":
        stories["other"]["teaser"] = han(14, 7000)
    return write(folder, pages_, stories, booked or None, name="generated")
