"""Proofs of real builds (the mini edition): a story edit renders only its page's proof again, and
the proof images of an edition are the same bytes from a cold cache, a warm one, or none."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import layout.proof.proofs as proofs_module
from layout.build import build
from tests.e2e.conftest import MINI

EDIT = ("這是第5版的測試稿件", "這是第5版修改後的測試稿件")  # a word in the story on A05 (see tests/e2e)


def _images(out: Path) -> dict[str, str]:
    folder = out / "proofs"
    paths = [*folder.glob("*.png"), *(folder / ".thumbs").glob("*.png")]
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths)}


@pytest.fixture
def renders(monkeypatch) -> list[list[str]]:
    """The page ids each make_proofs call rendered (the jobs that reached the renderer)."""
    calls: list[list[str]] = []
    real = proofs_module._run

    def counting(jobs, workers):
        calls.append([j.page.id for j in jobs])
        return real(jobs, workers)

    monkeypatch.setattr(proofs_module, "_run", counting)
    return calls


def test_proofs_of_real_builds_from_any_cache_state_and_after_an_edit(tmp_path: Path, monkeypatch,
                                                                      renders) -> None:
    ed = tmp_path / "mini.yaml"
    ed.write_text(MINI.read_text("utf-8"), "utf-8")
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    build(ed, tmp_path / "off", proofs=True, preflight=False)
    pages = len(list((tmp_path / "off").glob("A*.pdf")))
    assert len(renders[-1]) == pages
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    build(ed, tmp_path / "cold", proofs=True, preflight=False)
    assert len(renders[-1]) == pages  # a cold cache: every page
    build(ed, tmp_path / "warm", proofs=True, preflight=False)
    assert renders[-1] == []  # nothing changed: every image from the cache
    off = _images(tmp_path / "off")
    assert len(off) == 2 * pages + 1  # page images, thumbnails, the contact sheet
    assert off == _images(tmp_path / "cold") == _images(tmp_path / "warm")
    # The build's time is in proof.html's stamps only.
    html = (tmp_path / "warm" / "proofs" / "proof.html").read_text("utf-8")
    assert html.count('class="stamp"') == pages
    # A word changed in the story on A05: that page alone is rendered again.
    ed.write_text(ed.read_text("utf-8").replace(*EDIT), "utf-8")
    build(ed, tmp_path / "edited", proofs=True, preflight=False)
    assert renders[-1] == ["A05"]
    changed = {k for k, v in _images(tmp_path / "edited").items() if off.get(k) != v}
    assert changed == {"A05.png", ".thumbs/A05.png", "contact.png"}
