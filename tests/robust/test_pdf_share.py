"""Page PDFs on both cores: the child that renders edition.pdf renders the last pages too (as many
as balance the work), and the files are the bytes one process writes alone."""

from __future__ import annotations

import pytest

import layout.output as output
from layout.build import prepare
from layout.images import ImageStore
from tests.e2e.conftest import MINI


def test_share_balances_the_child_and_the_parent():
    weights = [100] * 12
    theirs = output._share(list(range(12)), weights)
    # edition.pdf is half of all pages' work: 600 + 3 pages = 900 for the child, 9 pages (900) here;
    # a fourth page would make the child the longer one (1000 against 800)
    assert theirs == [9, 10, 11]
    assert output._share([], weights) == []
    # only two pages left to render (the rest from the cache): the child's edition.pdf is enough
    assert output._share([4, 7], weights) == []
    # one heavy page stays here, the light ones go: 555 + 110 for the child, 1000 here
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
    assert 0 < len(rendered) < len(pages)  # some pages were left to the child (and edition.pdf)
    assert len(memory) == len(pages)  # `layout watch` keeps every page's bytes, the child's too
    monkeypatch.setenv("LAYOUT_NO_FORK", "1")
    (tmp_path / "one").mkdir()
    output.write_pdfs(prep, images, tmp_path / "one")
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert set(memory.values()) == {v for k, v in _files(tmp_path / "one").items() if k != "edition.pdf"}
