"""End to end on a small edition: files, fonts, text round trip, grid, determinism, overset."""

import os
import subprocess
import sys

import pytest

from layout.frames import GlyphRun
from tests.e2e.conftest import MINI, ROOT, need

PAGES = [f"A{n:02d}" for n in range(1, 13)]


def test_writes_one_pdf_per_page_the_edition_and_the_report(mini_build):
    names = sorted(p.name for p in mini_build.outdir.iterdir() if not p.name.startswith("."))
    assert names == sorted([f"{p}.pdf" for p in PAGES] + ["edition.pdf", "report.json"])
    assert not list(mini_build.outdir.glob(".staging*"))


def test_every_font_is_embedded_subset_with_unicode(mini_build):
    pdffonts = need("pdffonts")
    fonts = {}
    for name in [*PAGES, "edition"]:
        out = subprocess.run([pdffonts, str(mini_build.outdir / f"{name}.pdf")], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
        assert out, name
        for row in out:
            cols = row.split()
            emb, sub, uni = cols[-5:-2]
            assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        fonts[name] = [row.split()[0] for row in out]  # subset tag + face
    for name in PAGES:
        faces = [f.split("+", 1)[1] for f in fonts[name]]
        assert len(faces) == len(set(faces)), f"one font object per face in {name}: {faces}"
    # edition.pdf is the page files put together (render/assemble.py): each page's own subsets
    assert sorted(fonts["edition"]) == sorted(f for name in PAGES for f in fonts[name])


def test_qpdf_finds_no_errors(mini_build):
    qpdf = need("qpdf")
    for name in [*PAGES, "edition"]:
        r = subprocess.run([qpdf, "--check", str(mini_build.outdir / f"{name}.pdf")], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr


def _frame_text(frame, story, kinds=("body",)):
    return "".join(r.text for r in frame.items if isinstance(r, GlyphRun) and r.source.story == story
                   and r.source.kind in kinds)


def test_every_character_is_placed_or_overset(mini_build):
    lay = mini_build.layout
    for sid, story_layout in lay.stories.items():
        story = story_layout.story
        source = "".join(p.text for p in story.paragraphs if p.kind == "body")
        if story.dateline:
            source = story.dateline + "　" + source
        placed = "".join(_frame_text(page.frame, sid) for page in lay.pages)
        r = story_layout.result
        assert r.overset_chars == 0, sid
        assert placed.replace(" ", "") == source.replace(" ", ""), sid


def test_pdftotext_gives_back_each_page_text(mini_build):
    pdftotext = need("pdftotext")
    for page in mini_build.layout.pages:
        got = subprocess.run([pdftotext, "-raw", str(mini_build.outdir / f"{page.page.id}.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
        flat = "".join(got.split())
        for sid in {r.source.story for r in page.frame.items if isinstance(r, GlyphRun) and r.source.kind == "body"}:
            text = "".join(_frame_text(page.frame, sid, ("body", "subhead")).split())
            assert text in flat, (page.page.id, sid)


def test_every_body_baseline_is_on_the_grid(mini_build):
    for page in mini_build.layout.pages:
        y0, pitch = page.frame.baseline_grid
        for run in page.frame.items:
            if isinstance(run, GlyphRun) and run.source.kind == "body":
                k = (run.glyphs[0].y - y0) / pitch
                assert abs(k - round(k)) * pitch < 0.01, (page.page.id, run.text)


def test_report_copyfit_matches_the_flow(mini_build):
    report = {s["id"]: s for s in mini_build.report["stories"]}
    for sid, lay in mini_build.layout.stories.items():
        r = lay.result
        assert report[sid]["lines_set"] == r.lines_set
        assert report[sid]["overset_chars"] == r.overset_chars
        assert report[sid]["chars_set"] + report[sid]["overset_chars"] == report[sid]["chars"] + (
            len(lay.story.dateline) + 1 if lay.story.dateline else 0)


def test_rebuild_is_byte_identical_across_processes(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "layout", "build", str(MINI), "-o", str(out), "--no-proofs",
                        "--no-preflight"], check=True, env=env, cwd=ROOT, capture_output=True)
        outs.append(out)
    for name in [*PAGES, "edition"]:
        a = (outs[0] / f"{name}.pdf").read_bytes()
        b = (outs[1] / f"{name}.pdf").read_bytes()
        assert a == b, name


def test_overset_is_reported_per_story(tmp_path):
    text = MINI.read_text("utf-8").replace("at: {col: 1, line: 1, cols: 4, lines: 105}\n", "at: {col: 1, line: 1, cols: 1, lines: 6}\n", 1)
    ed = tmp_path / "over.yaml"
    ed.write_text(text, "utf-8")
    from layout.build import prepare

    prep = prepare(ed)
    r = prep.layout.stories["s02"].result
    story = prep.ctx.edition.stories["s02"]
    total = sum(len(p.text.replace(" ", "")) for p in story.paragraphs)
    assert r.overset_chars > 0 and r.overset_lines > 0
    assert r.chars_set + r.overset_chars == total


@pytest.mark.parametrize("bad,expect", [
    ("at: {col: 1, line: 1, cols: 4, lines: 105}", "at: {col: 7, line: 1, cols: 4, lines: 105}"),
])
def test_a_module_off_the_grid_is_an_input_error_with_its_line(tmp_path, bad, expect):
    text = MINI.read_text("utf-8").replace(bad, expect, 1)
    ed = tmp_path / "off.yaml"
    ed.write_text(text, "utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if expect in t)
    r = subprocess.run([sys.executable, "-m", "layout", "check", str(ed)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2
    assert f"off.yaml:{line}:" in r.stderr
    assert "Traceback" not in r.stderr
