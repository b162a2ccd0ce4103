"""A one-story edit, as layout staff make them all night: in `layout watch`'s long-lived process
(faces, composed text, laid-out page groups and page PDFs kept in memory between saves) and from
the build cache, only the edited story's page is laid out and drawn again, and every file is the
one a build with no cache at all gives of the edited edition — also after a series of edits and
after an edit is taken back (a state the build cache holds, and memory no longer does)."""

from __future__ import annotations

import shutil

import pytest

import layout.output as output
import layout.paginate.edition as pagination
from layout.build import build
from layout.watchbuild import Rebuilder
from tests.robust.cachekit import MINI, outputs

A05 = "這是第5版的測試稿件"
A07 = "這是第7版的測試稿件"


@pytest.fixture
def counted(monkeypatch):
    """The page groups laid out and the page PDFs drawn, by page id, while a test runs."""
    seen = {"groups": [], "drawn": []}
    lay_out, render = pagination._lay_out_group, output._render_file

    def lay_out_group(ctx, group, *args):
        seen["groups"].append([p.id for p in group])
        return lay_out(ctx, group, *args)

    def render_file(prep, frames, images, title):
        seen["drawn"].extend(f.page_id for f in frames)
        return render(prep, frames, images, title)

    monkeypatch.setattr(pagination, "_lay_out_group", lay_out_group)
    monkeypatch.setattr(output, "_render_file", render_file)
    monkeypatch.setenv("LAYOUT_NO_FORK", "1")  # every page drawn in this process, where it is counted
    return seen


def _cold(edition, out, monkeypatch):
    """The edition built with no cache at all, and its outputs."""
    with monkeypatch.context() as mp:
        mp.setenv("LAYOUT_CACHE", "off")
        build(edition, out, preflight=False, edition_pdf=False)
    return outputs(out)


def _edit(edition, old: str, new: str) -> None:
    text = edition.read_text("utf-8")
    assert text.count(old) == 1
    edition.write_text(text.replace(old, new), "utf-8")


@pytest.mark.parametrize("cache_on", [True, False], ids=["cache", "no-cache"])
def test_watch_edits_lay_out_and_draw_only_the_edited_page_and_match_a_cold_build(
        tmp_path, monkeypatch, counted, cache_on):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache") if cache_on else "off")
    ed = tmp_path / "mini.yaml"
    shutil.copy(MINI, ed)
    out = tmp_path / "watch"
    rebuild = Rebuilder()
    rebuild(ed, out)
    first = outputs(out)
    steps = [(A05, "這是第5版改過的測試稿件", "A05"), (A07, "這是第7版也改過的稿件", "A07"),
             ("這是第5版改過的測試稿件", A05, "A05")]  # the last one takes the first edit back
    for n, (old, new, page) in enumerate(steps):
        _edit(ed, old, new)
        counted["groups"].clear()
        counted["drawn"].clear()
        assert rebuild(ed, out) == [page]
        # the edited story's page group alone was laid out and its page alone drawn; when the edit
        # is taken back, that version of the group and page comes from the cache (memory holds
        # only the current pages)
        again = n == 2 and cache_on
        assert counted["groups"] == ([] if again else [[page]])
        assert counted["drawn"] == ([] if again else [page])
        got = outputs(out)
        assert got == _cold(ed, tmp_path / f"cold{n}", monkeypatch)
    assert got[0]["A05.pdf"] == first[0]["A05.pdf"]  # the edit taken back: the page as it started


def test_watch_keeps_only_the_current_pages_in_memory(tmp_path, monkeypatch):
    """A night of saves must not keep every version of every page: after each rebuild the page
    PDFs and page groups held are those of the pages as they are now."""
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    ed = tmp_path / "mini.yaml"
    shutil.copy(MINI, ed)
    rebuild = Rebuilder()
    rebuild(ed, tmp_path / "out")
    pages = len(list((tmp_path / "out").glob("A*.pdf")))
    groups = len(rebuild.groups)
    for n in range(3):
        _edit(ed, A05 if n == 0 else f"這是第5版的第{n}次修改", f"這是第5版的第{n + 1}次修改")
        assert rebuild(ed, tmp_path / "out") == ["A05"]
        assert len(rebuild.pages) == pages
        assert len(rebuild.groups) == groups


def test_a_new_process_edit_from_the_cache_draws_only_the_edited_page(tmp_path, monkeypatch, counted):
    """`layout build` after an edit, from a cache an earlier build filled: the other pages'
    groups, PDFs and font subsets come from the cache, and the files are a cold build's."""
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    ed = tmp_path / "mini.yaml"
    shutil.copy(MINI, ed)
    build(ed, tmp_path / "first", preflight=False, edition_pdf=False)
    _edit(ed, A07, "這是第7版改正後的稿件")
    counted["groups"].clear()
    counted["drawn"].clear()
    build(ed, tmp_path / "edited", preflight=False, edition_pdf=False)
    assert counted["groups"] == [["A07"]]
    assert counted["drawn"] == ["A07"]
    assert outputs(tmp_path / "edited") == _cold(ed, tmp_path / "cold", monkeypatch)


def test_watch_sees_a_page_file_changed_behind_its_back(tmp_path, monkeypatch):
    """The rebuild remembers its pages' digests by file signature instead of reading every page
    before each build: a page PDF overwritten in the output folder (same size, so only the
    signature's times and the bytes tell) is read again, found changed and written right."""
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    ed = tmp_path / "mini.yaml"
    shutil.copy(MINI, ed)
    out = tmp_path / "out"
    rebuild = Rebuilder()
    rebuild(ed, out)
    good = (out / "A03.pdf").read_bytes()
    (out / "A03.pdf").write_bytes(good[:-10] + b"%%damaged\n")
    assert rebuild(ed, out) == ["A03"]
    assert (out / "A03.pdf").read_bytes() == good
    assert rebuild(ed, out) == []


def test_a_correction_to_an_automatically_laid_out_page_matches_a_cold_build(tmp_path, monkeypatch):
    """A sub-editor's one-character correction (bench/workload.py new_edit) to a story on a page
    the automatic layout places: in watch and in a new build from the cache, the page's search is
    taken from the cache (its options measure as before) and every file is a cold build's."""
    import layout.autolayout.plan as plan
    from bench.workload import make, new_edit

    edition, _, _ = make(tmp_path / "w", 4)
    story = tmp_path / "w" / "text" / "s02-0.txt"
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "watch"
    announced = []
    rebuild = Rebuilder(announce=lambda pages, seconds: announced.append(pages))
    rebuild(edition, out)
    searched = []
    real = plan.optimise

    def counted(problem, *args, **kw):
        searched.append({pc.name for pc in problem.pieces})
        return real(problem, *args, **kw)

    monkeypatch.setattr(plan, "optimise", counted)
    for n in range(2):
        new_edit(story, n)
        searched.clear()
        assert rebuild(edition, out) == ["A02"]
        assert not any("story s02-0" in names for names in searched)
        cold = _cold(edition, tmp_path / f"cold{n}", monkeypatch)
        assert outputs(out) == cold
        fresh = tmp_path / f"fresh{n}"
        build(edition, fresh, preflight=False, edition_pdf=False)  # as a new process: nothing in memory
        assert outputs(fresh) == cold
    assert announced == [["A01", "A02", "A03", "A04"], ["A02"], ["A02"]]  # published pages, said before proofs


def test_watch_waits_for_the_cache_writer_at_the_next_save_not_at_this_one(tmp_path, monkeypatch):
    """A save's rebuild returns once its output is published: the deferred cache writes it started
    are waited for (and the cache pruned, at most every PRUNE_EVERY seconds) when the next save
    is rebuilt."""
    import layout.cache as cache
    import layout.watchbuild as watchbuild

    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    ed = tmp_path / "mini.yaml"
    shutil.copy(MINI, ed)
    calls = []
    real_prune, real_settle = cache.prune, cache.settle
    monkeypatch.setattr(cache, "prune", lambda *a: calls.append("prune") or real_prune(*a))
    monkeypatch.setattr(cache, "settle", lambda: calls.append("settle") or real_settle())
    clock = [1000.0]
    monkeypatch.setattr(watchbuild.time, "monotonic", lambda: clock[0])
    rebuild = Rebuilder()
    rebuild(ed, tmp_path / "out")
    assert calls == ["prune", "settle"]  # before this build: nothing of its own waited for
    for n, step in enumerate((1.0, watchbuild.PRUNE_EVERY)):
        calls.clear()
        clock[0] += step
        _edit(ed, A05 if n == 0 else "這是第5版的第1次修改", f"這是第5版的第{n + 1}次修改")
        assert rebuild(ed, tmp_path / "out") == ["A05"]
        assert calls == (["settle"] if n == 0 else ["prune", "settle"])


def test_layout_watch_says_when_a_saves_page_pdf_is_published(tmp_path, monkeypatch, capsys):
    """`layout watch` announces the refresh, the page PDFs published, before the watch renders
    their proofs (the loop is stood in for: one build, then one save of a story)."""
    import sys

    import layout.proof.watch  # noqa: F401 - the module (the package's `watch` is its function)
    from layout.cli import main

    watching = sys.modules["layout.proof.watch"]

    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    ed = tmp_path / "mini.yaml"
    shutil.copy(MINI, ed)

    def loop(edition, outdir, rebuild, **_):
        rebuild(edition, outdir)
        print("proofs now")
        _edit(edition, A05, "這是第5版改過的測試稿件")
        rebuild(edition, outdir)
        print("proofs now")

    monkeypatch.setattr(watching, "watch", loop)
    assert main(["watch", str(ed), "-o", str(tmp_path / "out")]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "published" in line or "proofs now" in line]
    assert [line.split("] ", 1)[-1].split(" in ")[0] for line in lines] == [
        f"{len(list((tmp_path / 'out').glob('A*.pdf')))} page PDFs published", "proofs now",
        "A05.pdf published", "proofs now"]
    assert lines[2].endswith("s; proofs follow")
