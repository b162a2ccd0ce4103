"""Hypothesis strategies for whole editions (valid and broken) and for composer input.

A generated edition is a plain dict (the YAML document) plus the text files it names; `write_edition`
puts both in a folder. Valid editions follow docs/edition-format.md: 12 broadsheet pages whose
modules tile the 8 x 105 grid exactly (lines 13-105 on the masthead page), random stories with
Han / punctuation / digit / Latin paragraphs and sub-heads, optional photos taken from
assets/photos, box ads. Broken editions are valid ones with one known fault, paired with the
diagnostic code the loader must report for it.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
PHOTOS = ROOT / "assets" / "photos"
# Small ones of each kind the loader accepts (RGB and CMYK JPEG, palette and 16-bit PNG): photo
# preparation dominates a build, so large files would only slow the tests down.
PHOTO_FILES = ("lab.jpg", "harbour.jpg", "park.png", "bridge-fog.png")

COLUMNS, LINES, MASTHEAD_LINES, PAGE_COUNT = 8, 105, 12, 12
PAGE_IDS = tuple(f"A{n:02d}" for n in range(1, PAGE_COUNT + 1))

HAN = "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都兩體制機當使點從業本去把性好應開它合還因由其些然前外天政四日那社義事平形相全表間樣與關各重新線內數正心反你明看原又麼利比或但質氣第向道命此變條只沒結解問意建月公無系軍很情者最立代想已通並提直題黨程展五果料象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計別她手角期根論運農指幾九區強放決西被幹做必戰先回則任取據處理世車"
STOPS = ("，", "。", "、", "；", "：", "？", "！", "……", "——", "·")
PAIRS = ("“”", "「」", "《》", "（）", "‘’", "『』")
WORDS = ("AI", "Python", "GDP", "iPhone", "e-mail", "COVID-19", "5G", "OK", "WTO", "Wi-Fi")

han_run = st.text(alphabet=HAN, min_size=1, max_size=12)
latin = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
number = st.tuples(st.sampled_from(["", "¥", "#"]), st.integers(0, 10**7),
                   st.sampled_from(["", ".5", "%", "km", "億元", "年"])).map(lambda t: f"{t[0]}{t[1]}{t[2]}")
quoted = st.tuples(st.sampled_from(PAIRS), han_run).map(lambda t: t[0][0] + t[1] + t[0][1])


@st.composite
def paragraph(draw, max_tokens: int = 30) -> str:
    """A paragraph as an editor would type it: Han runs with marks after text, quoted phrases,
    numbers and Latin words (with or without spaces around them), ending in a full stop."""
    parts = [draw(han_run)]
    for _ in range(draw(st.integers(0, max_tokens))):
        kind = draw(st.sampled_from(["han", "han", "han", "stop", "quoted", "number", "latin"]))
        if kind == "stop":
            parts.append(draw(st.sampled_from(STOPS)))
            parts.append(draw(han_run))  # marks follow text, never each other
        elif kind == "quoted":
            parts.append(draw(quoted))
        elif kind in ("number", "latin"):
            space = draw(st.sampled_from(["", " "]))
            parts.append(space + draw(number if kind == "number" else latin) + space)
            parts.append(draw(han_run))
        else:
            parts.append(draw(han_run))
    return "".join(parts).strip() + draw(st.sampled_from(["。", "！", "？", "……", "。”"]))


short_text = st.text(alphabet=HAN, min_size=2, max_size=10)


def seeded_paragraph(rng: random.Random, max_tokens: int = 30) -> str:
    """The same kind of paragraph as `paragraph()`, from a seeded generator: a whole edition of
    hypothesis-drawn text would overrun hypothesis's per-example budget."""

    def han() -> str:
        return "".join(rng.choice(HAN) for _ in range(rng.randint(1, 12)))

    parts = [han()]
    for _ in range(rng.randint(0, max_tokens)):
        kind = rng.choice(["han", "han", "han", "stop", "quoted", "number", "latin"])
        if kind == "stop":
            parts += [rng.choice(STOPS), han()]
        elif kind == "quoted":
            pair = rng.choice(PAIRS)
            parts.append(pair[0] + han() + pair[1])
        elif kind == "number":
            space = rng.choice(["", " "])
            parts += [space + rng.choice(["", "¥", "#"]) + str(rng.randint(0, 10**7))
                      + rng.choice(["", ".5", "%", "km", "億元", "年"]) + space, han()]
        elif kind == "latin":
            space = rng.choice(["", " "])
            parts += [space + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + space, han()]
        else:
            parts.append(han())
    return "".join(parts).strip() + rng.choice(["。", "！", "？", "……", "。”"])


@dataclass(frozen=True)
class Rect:
    col: int
    line: int
    cols: int
    lines: int

    def at(self) -> dict:
        return {"col": self.col, "line": self.line, "cols": self.cols, "lines": self.lines}


@st.composite
def tiling(draw, rect: Rect, depth: int = 0, min_cols: int = 2, min_lines: int = 18) -> list[Rect]:
    """Guillotine cuts of `rect` into modules: together they cover it exactly, none overlap."""
    can_v = rect.cols >= 2 * min_cols
    can_h = rect.lines >= 2 * min_lines
    if depth >= 3 or not (can_v or can_h) or draw(st.integers(0, 3)) == 0:
        return [rect]
    if can_v and (not can_h or draw(st.booleans())):
        k = draw(st.integers(min_cols, rect.cols - min_cols))
        parts = (Rect(rect.col, rect.line, k, rect.lines), Rect(rect.col + k, rect.line, rect.cols - k, rect.lines))
    else:
        k = draw(st.integers(min_lines, rect.lines - min_lines))
        parts = (Rect(rect.col, rect.line, rect.cols, k), Rect(rect.col, rect.line + k, rect.cols, rect.lines - k))
    return [r for part in parts for r in draw(tiling(part, depth + 1, min_cols, min_lines))]


@dataclass
class GeneratedEdition:
    doc: dict  # the YAML document
    files: dict[str, str] = field(default_factory=dict)  # text files beside it: name -> content
    photos: tuple[str, ...] = ()  # photo files (names in PHOTO_FILES) the edition uses

    def stories(self) -> dict[str, dict]:
        return self.doc["stories"]


@st.composite
def story(draw, sid: str, rect: Rect, photos: bool) -> tuple[dict, dict[str, str]]:
    rng = random.Random(draw(st.integers(0, 2**32), label="text seed"))
    body = []
    for _ in range(draw(st.integers(1, 5), label="paragraphs")):
        if rng.randint(0, 5) == 0:
            body.append("## " + "".join(rng.choice(HAN) for _ in range(rng.randint(2, 10))))
        body.append(seeded_paragraph(rng))
    s: dict = {"headline": draw(st.text(alphabet=HAN, min_size=2, max_size=3 + 2 * rect.cols))}
    if draw(st.booleans()):
        s["kicker"] = draw(short_text)
    if draw(st.integers(0, 3)) == 0:
        s["decks"] = draw(st.lists(short_text, min_size=1, max_size=2))
    if draw(st.booleans()):
        s["byline"] = "本報記者 " + draw(st.text(alphabet=HAN, min_size=2, max_size=3))
    if draw(st.integers(0, 3)) == 0:
        s["dateline"] = "本報訊"
    files = {}
    text = "\n".join(body) + "\n"
    if draw(st.booleans()):
        name = f"text/{sid}.txt"
        files[name] = text
        s["body"] = name
    else:
        s["body"] = text
    if photos and rect.cols >= 2 and rect.lines >= 40 and draw(st.integers(0, 3)) == 0:
        s["photos"] = [{"file": f"photos/{draw(st.sampled_from(PHOTO_FILES))}", "caption": draw(short_text),
                        "credit": "本報記者 攝", "cols": draw(st.integers(1, rect.cols - 1)),
                        "lines": draw(st.integers(8, rect.lines // 3))}]
    return s, files


@st.composite
def editions(draw, photos: bool = True, max_depth: int = 3) -> GeneratedEdition:
    """A valid 12-page broadsheet edition."""
    pages, stories, ads, files = [], {}, {}, {}
    for n, pid in enumerate(PAGE_IDS):
        top = MASTHEAD_LINES + 1 if n == 0 else 1
        rects = draw(tiling(Rect(1, top, COLUMNS, LINES - top + 1), 3 - max_depth))
        items = []
        for k, rect in enumerate(rects):
            ref = f"p{n + 1}m{k + 1}"
            kind = draw(st.sampled_from(["story"] * 6 + ["ad"]))
            if kind == "ad":
                ads[ref] = {"kind": "box", "title": draw(short_text), "lines": draw(st.lists(short_text, max_size=3)),
                            "colour": "red"}
                items.append({"ad": ref, "at": rect.at()})
            else:
                stories[ref], extra = draw(story(ref, rect, photos))
                files.update(extra)
                items.append({"story": ref, "at": rect.at()})
        page = {"page": pid, "section": draw(st.sampled_from(["要聞", "城事", "經濟", "體育", "文化"])), "items": items}
        if n == 0:
            page["masthead"] = True
        pages.append(page)
    doc = {"paper": "測試晨報", "date": "2026-12-01", "issue": draw(st.integers(1, 99999)),
           "colour_pages": draw(st.lists(st.sampled_from(PAGE_IDS), unique=True, max_size=3)),
           "pages": pages, "stories": stories}
    if ads:
        doc["ads"] = ads
    used = tuple(sorted({p["file"].split("/")[-1] for s in stories.values() for p in s.get("photos", [])}))
    return GeneratedEdition(doc, files, used)


def dump(doc: dict) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)


def write_edition(ed: GeneratedEdition, folder: Path, text: str | None = None) -> Path:
    """The edition's YAML (or `text` instead), text files and photos in `folder`; returns the YAML."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in ed.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, "utf-8")
    if ed.photos:
        (folder / "photos").mkdir(exist_ok=True)
        for name in ed.photos:
            if not (folder / "photos" / name).exists():
                shutil.copyfile(PHOTOS / name, folder / "photos" / name)
    path = folder / "edition.yaml"
    path.write_text(dump(ed.doc) if text is None else text, "utf-8")
    return path


# -- broken editions -------------------------------------------------------------------------------


def _first_story(doc: dict) -> str:
    return next(iter(doc["stories"]))


def _break(doc: dict, fault: str, draw) -> tuple[str, str]:
    """Apply `fault` to `doc` in place; returns (expected code, a text that must be on the reported
    line, or "" when the fault has no single line)."""
    sid = _first_story(doc)
    page = doc["pages"][draw(st.integers(0, PAGE_COUNT - 1))]
    item = page["items"][0]
    if fault == "missing-key":
        del doc["stories"][sid]["headline"]
        return "EDITION-MISSING-KEY", ""
    if fault == "unknown-key":
        doc["stories"][sid]["headlin"] = "錯字"
        return "EDITION-UNKNOWN-KEY", "headlin:"
    if fault == "wrong-type":
        item["at"]["cols"] = "寬"
        return "EDITION-TYPE", "寬"
    if fault == "missing-story":
        key = "story" if "story" in item else "ad"
        item[key] = "no-such-ref"
        return ("STORY-MISSING" if key == "story" else "AD-MISSING"), "no-such-ref"
    if fault == "off-grid":
        item["at"]["col"] = COLUMNS + 1
        return "GRID-OUTSIDE", ""
    if fault == "overlap":
        page["items"].append(dict(item))
        return ("STORY-PLACED-TWICE" if "story" in item else "GRID-OVERLAP"), ""
    if fault == "page-count":
        if draw(st.booleans()):
            doc["pages"].pop()
        else:
            doc["pages"].append({"page": "A13", "section": "多餘", "items": []})
        return "PAGE-COUNT", ""
    if fault == "control-char":
        s = doc["stories"][sid]
        if s["body"].endswith(".txt"):
            s["body"] = "正文\x07控制字符。"
        else:
            s["body"] = s["body"].replace("\n", "\x1b\n", 1)
        return "TEXT-CONTROL-CHAR", ""
    if fault == "bad-date":
        doc["date"] = "2026-02-30"
        return "EDITION-DATE", "2026-02-30"
    if fault == "missing-file":
        doc["stories"][sid]["body"] = "text/nowhere.txt"
        return "FILE-MISSING", "nowhere.txt"
    if fault == "path-escape":
        doc["stories"][sid]["body"] = "../../etc/passwd.txt"
        return "PATH-ESCAPE", "passwd"
    raise AssertionError(fault)


FAULTS = ("missing-key", "unknown-key", "wrong-type", "missing-story", "off-grid", "overlap", "page-count",
          "control-char", "bad-date", "missing-file", "path-escape")


@dataclass
class BrokenEdition:
    edition: GeneratedEdition
    fault: str
    code: str  # the diagnostic code the loader must report
    needle: str  # text on the line the diagnostic must name ("" when no single line)


@st.composite
def broken_editions(draw, fault: str | None = None) -> BrokenEdition:
    ed = draw(editions(photos=False, max_depth=1))
    fault = fault or draw(st.sampled_from(FAULTS))
    code, needle = _break(ed.doc, fault, draw)
    return BrokenEdition(ed, fault, code, needle)


# -- composer input ----------------------------------------------------------------------------------

# Everything a text file or a YAML value can smuggle into the composer: controls, lone surrogates,
# astral characters (CJK extension B, emoji), combining marks, bidi controls, variation selectors.
NASTY = ("\x00\x07\t\n\r\x0b\x0c\x1b\x7f\x85\u00a0\u00ad\u200b\u200c\u200d\u2028\u2029\u202e\u2060\u3000"
         "\ufeff\ufe0f\ufffd\ufffe\uffff\ud800\udfff\U00020000\U0002a6d6\U0001f600\U0001f1e8\U0001f1f3"
         "\u0301\u0e33\u05d0\u0627\uff21\uff10\u2014\u2026\u22ef\u00b7\u30fb ")
composer_text = st.one_of(
    st.just(""),
    paragraph(),
    st.text(max_size=60),  # any code points, surrogates included
    st.text(alphabet=HAN + "".join(STOPS) + "".join(PAIRS) + NASTY + "AZaz09.,-%", max_size=80),
    st.tuples(paragraph(max_tokens=4), st.sampled_from(["x", "9", "—", "…", "中", "“"]),
              st.integers(30, 400)).map(lambda t: t[0] + t[1] * t[2]),  # a huge word (or run)
    st.lists(st.one_of(paragraph(max_tokens=5), st.text(alphabet=NASTY, max_size=6)), max_size=5).map("".join),
)
PUNCT_STYLES = ("kaiming", "quanjiao", "quanjiao+lineend", "banjiao", "plain")
LEVELS = ("none", "loose", "basic", "gb", "strict")
