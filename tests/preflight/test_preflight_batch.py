"""Batched Ghostscript renders (several files in one process, shared among threads) give every
file exactly its own pages, and the same findings as checking the files one by one."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "print"))
from make_bad_ads import make_corpus  # noqa: E402
from sample_page import build_page  # noqa: E402

from layout.preflight import ink, preflight_many, preflight_pdf  # noqa: E402
from layout.printprofile import load_profile  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript missing")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("batch")
    out = dict(make_corpus(d / "ads"))
    profile = load_profile("newsprint")
    out["two_pages"] = build_page(d / "two.pdf", profile, d, pages=2)
    out["mono_page"] = build_page(d / "mono.pdf", profile, d, mono=True)
    return out


def _same_plates(a: list[ink.PagePlates], b: list[ink.PagePlates]) -> bool:
    return len(a) == len(b) and all(
        x.plates.keys() == y.plates.keys() and all(np.array_equal(x.plates[k], y.plates[k]) for k in x.plates)
        for x, y in zip(a, b, strict=True))


def test_batch_gives_each_file_its_own_pages(files, monkeypatch):
    monkeypatch.setattr(ink, "MAX_PAGES_PER_RUN", 3)  # two runs: (ink_400, two_pages), (clean, ...)
    names = ["ink_400", "two_pages", "clean", "mono_page"]
    paths = [files[n] for n in names]
    batch = list(ink.render_batch(paths, [1, 2, 1, 1], 36))
    for path, got in zip(paths, batch, strict=True):
        assert _same_plates(got, ink.render_plates(path, 36)), path.name
    assert len(batch[1]) == 2


def test_a_file_ghostscript_cannot_read_does_not_shift_the_others(files, tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    paths = [files["clean"], junk, files["ink_400"]]
    got = list(ink.render_batch(paths, [1, 1, 1], 36))
    assert isinstance(got[1], Exception) or got[1] == []  # gs reads no page of it (and may exit 0)
    assert _same_plates(got[0], ink.render_plates(files["clean"], 36))
    assert _same_plates(got[2], ink.render_plates(files["ink_400"], 36))


@pytest.fixture(scope="module")
def one_by_one(files) -> dict[tuple[Path, str], list]:
    """preflight_pdf of each file, mono False and {1}: the reference every worker count is held to
    (the same call on the same file, so worked out once for the three counts, not three times)."""
    profile = load_profile("newsprint")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ink, "MAX_PAGES_PER_RUN", 2)  # as in the test (a one-file check does not batch anyway)
        return {(p, repr(mono)): preflight_pdf(p, profile, mono=mono) for mono in (False, {1})
                for p in files.values()}


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_preflight_many_equals_one_by_one(files, one_by_one, workers, monkeypatch):
    monkeypatch.setattr(ink, "MAX_PAGES_PER_RUN", 2)
    profile = load_profile("newsprint")
    paths = list(files.values())
    for mono in (False, {1}):
        many = preflight_many(paths, profile, workers=workers, mono=mono)
        assert list(many) == paths
        for p in paths:
            assert many[p] == one_by_one[p, repr(mono)], p.name
    # The batched render still finds what it must: colour on a page declared mono, 400 % ink.
    many = preflight_many(paths, profile, workers=workers, mono=True)
    assert "COLOR-ON-MONO-PAGE" in {f.code for f in many[files["two_pages"]]}
    assert "COLOR-ON-MONO-PAGE" not in {f.code for f in many[files["mono_page"]]}
    assert "INK-OVER-LIMIT" in {f.code for f in many[files["ink_400"]]}
