"""Page PDFs on both cores: a forked child renders the last pages (as many as balance the work),
the files are the bytes one process writes alone, and edition.pdf is put together from them."""

from __future__ import annotations

import pytest

import layout.output as output
from layout.build import prepare
from layout.images import ImageStore
from tests.e2e.conftest import MINI


def test_share_balances_the_child_and_the_parent():
    weights = [100] * 12
    # six pages each; a seventh would make the child the longer one (700 against 500)
    assert output._share(list(range(12)), weights) == [6, 7, 8, 9, 10, 11]
    assert output._share([], weights) == []
    # two pages left to render (the rest from the cache): one each
    assert output._share([4, 7], weights) == [7]
    assert output._share([4], weights) == []
    # one heavy page stays here, the light ones go: 110 for the child, 1000 here
    assert output._share(list(range(12)), [1000] + [10] * 11) == list(range(1, 12))


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    import os

    old = os.environ.get("LAYOUT_CACHE")
    os.environ["LAYOUT_CACHE"] = "off"
    try:
        prep = prepare(MINI)
        images = output.prepare_images(prep, ImageStore())
    finally:
        if old is None:
            del os.environ["LAYOUT_CACHE"]
        else:
            os.environ["LAYOUT_CACHE"] = old
    return prep, images


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


def test_pages_rendered_by_the_child_are_the_bytes_of_one_process(mini, tmp_path, monkeypatch):
    prep, images = mini
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    rendered: list[int] = []
    real = output._render_file

    def counting(prep_, frames, images_, title):
        rendered.append(len(frames))  # calls in this process only: the child's are not seen here
        return real(prep_, frames, images_, title)

    monkeypatch.setattr(output, "_render_file", counting)
    monkeypatch.delenv("LAYOUT_NO_FORK", raising=False)
    (tmp_path / "two").mkdir()
    seen: list[str] = []
    memory: dict = {}
    files = output.write_pdfs(prep, images, tmp_path / "two", progress=seen.append, cache=memory)
    pages = [p.page.id for p in prep.layout.pages]
    assert [f.name for f in files] == [f"{p}.pdf" for p in pages] + ["edition.pdf"]
    assert sorted(seen) == sorted(pages)  # every page reported, the child's after it finished
    assert 0 < len(rendered) < len(pages)  # some pages were left to the child
    assert len(memory) == len(pages)  # `layout watch` keeps every page's bytes, the child's too
    monkeypatch.setenv("LAYOUT_NO_FORK", "1")
    (tmp_path / "one").mkdir()
    output.write_pdfs(prep, images, tmp_path / "one")
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert set(memory.values()) == {v for k, v in _files(tmp_path / "one").items() if k != "edition.pdf"}


def test_the_edition_is_the_page_files_put_together(mini, tmp_path, monkeypatch):
    """edition.pdf holds each page file's page, its content and its resources as they are, in
    page order, with the edition's title; it is not rendered again (no render call makes it)."""
    import io

    import pikepdf

    prep, images = mini
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    monkeypatch.setenv("LAYOUT_NO_FORK", "1")
    calls: list[int] = []
    real = output._render_file
    monkeypatch.setattr(output, "_render_file", lambda p, frames, i, t: calls.append(len(frames)) or real(p, frames, i, t))
    files = output.write_pdfs(prep, images, tmp_path)
    assert calls == [1] * len(prep.layout.pages)  # one page a call, nothing for the edition
    edition = pikepdf.open(io.BytesIO(files[-1].read_bytes()))
    assert len(edition.pages) == len(files) - 1
    e = prep.ctx.edition
    assert str(edition.docinfo.Title) == f"{e.paper} {e.date.isoformat()}"
    assert "/OutputIntents" in edition.Root
    singles = [pikepdf.open(path) for path in files[:-1]]
    for page, single in zip(edition.pages, singles, strict=True):
        alone = single.pages[0]
        assert b"".join(c.read_bytes() for c in _contents(page)) == b"".join(c.read_bytes() for c in _contents(alone))
        assert sorted(page.Resources.keys()) == sorted(alone.Resources.keys())
        assert [float(v) for v in page.TrimBox] == [float(v) for v in alone.TrimBox]


def _contents(page):
    import pikepdf

    c = page.obj.Contents
    return list(c) if isinstance(c, pikepdf.Array) else [c]
