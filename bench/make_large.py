"""Generate the large benchmark edition: 24 broadsheet pages, 72 stories, 100 000+ Han characters,
30 photos. The text is the sample edition's own paragraphs, reshuffled with a fixed seed, so the
mix of punctuation, digits and Latin is a real paper's."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_TEXT = ROOT / "editions" / "sample"
PHOTOS = sorted((ROOT / "assets" / "photos").glob("*.jpg"))

# (col, line, cols, lines, with photo) for the three stories of a page
MODULES = [(1, 1, 5, 60, True), (6, 1, 3, 60, False), (1, 61, 8, 45, False)]


def han_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def paragraphs() -> list[str]:
    paras = []
    for f in sorted(SAMPLE_TEXT.glob("*.txt")):
        paras += [ln.strip() for ln in f.read_text("utf-8").splitlines() if ln.strip() and not ln.startswith("## ")]
    return paras


def make(out_dir: Path, pages: int = 24, target_han: int = 102_000) -> Path:
    rng = random.Random(20261201)
    pool = paragraphs()
    if not pool:
        raise SystemExit("no sample text found under editions/sample/")
    out_dir.mkdir(parents=True, exist_ok=True)
    per_story = target_han // (pages * len(MODULES))
    lines = ["paper: 渝江晨報", "date: 2026-12-01", "issue: 8124", "pages:"]
    stories = ["stories:"]
    photo_n = 0
    for p in range(1, pages + 1):
        pid = f"A{p:02d}"
        lines += [f"  - page: {pid}", "    section: 測試", "    items:"]
        for m, (col, line, cols, nlines, photo) in enumerate(MODULES):
            sid = f"s{p:02d}-{m}"
            lines += [f"      - story: {sid}", f"        at: {{col: {col}, line: {line}, cols: {cols}, lines: {nlines}}}"]
            body, n = [], 0
            while n < per_story:
                para = rng.choice(pool)
                body.append(para)
                n += han_count(para)
            (out_dir / f"{sid}.txt").write_text("\n".join(body) + "\n", "utf-8")
            stories += [f"  {sid}:", f"    headline: 第{p}版第{m + 1}條測試新聞標題", f"    body: {sid}.txt"]
            if photo and photo_n < 30 and PHOTOS:
                ph = PHOTOS[photo_n % len(PHOTOS)]
                photo_n += 1
                (out_dir / "photos").mkdir(exist_ok=True)
                shutil.copyfile(ph, out_dir / "photos" / ph.name)
                stories += ["    photos:", f"      - file: photos/{ph.name}", "        caption: 基準測試圖片說明文字。",
                            "        credit: 本報記者 攝", "        cols: 3", "        lines: 18"]
    path = out_dir / "large.yaml"
    path.write_text("\n".join(lines + stories) + "\n", "utf-8")
    return path


if __name__ == "__main__":
    print(make(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results" / "large"))
