"""edition.pdf is put together from the page files in a forked worker while the build preflights
the pages and writes report.json (layout/output.py write_pdfs `later`): the same bytes as when
the build does it itself, and a worker that cannot write it fails the build as any write does,
leaving the previous output as it was."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from layout.build import build
from layout.diagnostics import OutputError
from tests.robust.strategies import ROOT

MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


def test_edition_pdf_from_the_worker_is_the_one_the_build_makes_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    build(MINI, tmp_path / "forked", preflight=False)
    monkeypatch.setenv("LAYOUT_NO_FORK", "1")
    build(MINI, tmp_path / "alone", preflight=False)
    assert "edition.pdf" in _files(tmp_path / "forked")
    assert _files(tmp_path / "forked") == _files(tmp_path / "alone")


def test_a_worker_that_cannot_write_edition_pdf_fails_the_build(tmp_path, monkeypatch):
    import os

    from layout.render import assemble

    if not hasattr(os, "fork"):
        pytest.skip("no fork here: the build puts edition.pdf together itself")
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    out = tmp_path / "out"
    build(MINI, out, preflight=False)
    before = _files(out)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "edition.pdf"))

    monkeypatch.setattr(assemble, "edition_from_pages", full_disk)  # the forked worker inherits it
    other = tmp_path / "other.yaml"
    other.write_text(MINI.read_text("utf-8").replace("測試晨報", "另一晨報"), "utf-8")
    with pytest.raises(OutputError) as info:
        build(other, out, preflight=False)
    assert info.value.diagnostics[0].code == "OUTPUT-WRITE"
    assert _files(out) == before  # the previous output untouched
    assert json.loads((out / "report.json").read_text("utf-8"))["paper"] == "測試晨報"
