"""`layout suggest --proofs`: the sample edition's A05 alternatives as proofs of the real page, an
index with their scores, and YAML snippets that pin an alternative when pasted into the edition."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageChops, ImageStat

from layout.autolayout.alternatives import pin_snippet
from layout.autolayout.plan import apply, plan_page
from layout.build import prepare
from layout.cli import main
from layout.model import load_edition

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "editions" / "sample.yaml"
PAGE = "A05"
N = 2  # alternatives: enough to compare, few enough to keep the test short


@pytest.fixture(scope="module")
def suggested(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("suggest") / PAGE
    code = main(["suggest", str(SAMPLE), PAGE, "-n", str(N), "--dpi", "50", "--proofs", str(out)])
    assert code == 0
    return out


def _index(folder: Path) -> str:
    return (folder / "index.html").read_text("utf-8")


def test_one_png_per_alternative_and_they_differ(suggested):
    pngs = sorted(suggested.glob("alternative-*.png"))
    assert [p.name for p in pngs] == [f"alternative-{n}.png" for n in range(1, N + 1)]
    images = [Image.open(p).convert("RGB") for p in pngs]
    assert len({im.width for im in images}) == 1
    w, h = images[0].width, min(im.height for im in images)
    assert w > 300 and h > w  # a portrait page at 50 dpi, not a placeholder thumbnail
    # The captions differ anyway (and may wrap to more lines): compare the pages below them, from
    # the foot up, whose modules must differ.
    body = [im.crop((0, im.height - h + h // 5, w, im.height)) for im in images]
    for i in range(N):
        for j in range(i + 1, N):
            assert ImageChops.difference(body[i], body[j]).getbbox() is not None, (i, j)


def test_captions_are_drawn(suggested):
    """The caption band is mostly white with dark text, above a page that starts lower."""
    im = Image.open(suggested / "alternative-1.png").convert("L")
    band = im.crop((0, 0, im.width, 12))
    assert band.getextrema()[0] < 100  # text
    assert ImageStat.Stat(band).mean[0] > 200  # on white


def test_index_lists_alternatives_in_ascending_score(suggested):
    html = _index(suggested)
    scores = [float(s) for s in re.findall(r"class='alternative' id='alternative-\d+' data-score='([\d.]+)'", html)]
    assert len(scores) == N
    assert scores == sorted(scores)
    for n in range(1, N + 1):
        assert f"src='alternative-{n}.png'" in html
        assert f"alternative {n}: score " in html
    assert "traded:" in html


def test_snippet_parses_and_is_in_the_index(suggested):
    html = _index(suggested)
    for n in range(1, N + 1):
        text = (suggested / f"alternative-{n}.yaml").read_text("utf-8")
        data = yaml.safe_load(text)
        items = data["items"]
        # the page's four stories and its market table (pinned: a table needs its module)
        assert [next(iter(i)) for i in items] == ["story"] * 4 + ["table"]
        assert all(set(i["at"]) == {"col", "line", "cols", "lines"} for i in items)
        assert text.splitlines()[1] in html


def _paste(snippet: str, folder: Path, page: str = PAGE) -> Path:
    """A copy of the sample edition whose page's items are the snippet, beside copies of its text
    files and a link to the shared assets (the template's asset root is ../assets)."""
    src = SAMPLE.read_text("utf-8")
    start = src.index(f"  - page: {page}\n")
    items = src.index("    items:\n", start)
    end = src.index("\n\n", items)
    pasted = "\n".join("    " + line if line else line for line in snippet.rstrip("\n").splitlines())
    editions = folder / "editions"
    editions.mkdir()
    shutil.copytree(SAMPLE.parent / "sample", editions / "sample")
    (folder / "assets").symlink_to(ROOT / "assets", target_is_directory=True)
    path = editions / "sample.yaml"
    path.write_text(src[:items] + pasted + src[end:], "utf-8")
    return path


def test_pasted_snippet_builds_the_page_with_those_modules(suggested, tmp_path):
    snippet = (suggested / "alternative-2.yaml").read_text("utf-8")
    wanted = {i.get("story") or i["table"]: i["at"] for i in yaml.safe_load(snippet)["items"]}
    prep = prepare(_paste(snippet, tmp_path))
    page = prep.ctx.edition.page(PAGE)
    placed = {i.ref: {"col": i.at.col, "line": i.at.line, "cols": i.at.cols, "lines": i.at.lines}
              for i in page.items}
    assert placed == wanted
    grid = prep.template.grid
    frame = next(p.frame for p in prep.layout.pages if p.page.id == PAGE)
    modules = {m.ref: (m.x, m.y, m.w, m.h) for m in frame.modules if m.kind in ("story", "table")}
    assert set(modules) == set(wanted)
    for ref, at in wanted.items():
        r = grid.rect(at["col"], at["line"], at["cols"], at["lines"])
        assert modules[ref] == pytest.approx((r.x, r.y, r.w, r.h), abs=0.01), ref
    # Nothing on the pinned page was left to the optimiser.
    assert not any(d.code.startswith("AUTOLAYOUT") and d.page == PAGE for d in prep.ctx.diagnostics)


def test_snippet_of_a_page_with_a_free_photo(tmp_path):
    """A02 has a free photo: its entry keeps file, caption and credit and carries the size the
    engine chose, and the pasted edition loads with every item where the plan put it."""
    prep = prepare(SAMPLE)
    roots = [(SAMPLE.parent / r).resolve() for r in prep.template.asset_roots]
    grid = (prep.template.grid.columns, prep.template.grid.lines)
    written = load_edition(SAMPLE, asset_roots=roots, page_count=prep.template.pages, grid=grid)
    page = written.page("A02")
    plan = plan_page(prep.ctx, written, page, keep=1)
    assert plan.best is not None
    snippet = pin_snippet(written, page, plan, plan.best)
    photo = next(i["photo"] for i in yaml.safe_load(snippet)["items"] if "photo" in i)
    assert photo["file"] == "../assets/photos/stadium.jpg"
    assert photo["credit"] == "本報記者 梁子墨 攝"
    path = _paste(snippet, tmp_path, "A02")
    pasted = load_edition(path, asset_roots=[(path.parent / r).resolve() for r in prep.template.asset_roots],
                          page_count=prep.template.pages, grid=grid).page("A02")
    expected = apply(written, page, plan, plan.best).page("A02")
    assert [(i.kind, i.ref, i.at) for i in pasted.items] == [(i.kind, i.ref, i.at) for i in expected.items]
    got = next(i.photo for i in pasted.items if i.kind == "photo")
    want = next(i.photo for i in expected.items if i.kind == "photo")
    assert (got.file.resolve(), got.caption, got.cols, got.lines) == (want.file.resolve(), want.caption, want.cols,
                                                                       want.lines)
