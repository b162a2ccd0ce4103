"""What the page-cache tests share: the mini edition, a build's outputs to compare (PDF bytes and
report.json without its times), one build with the cache off as the reference, and a cache filled
by one build (copied by each test that damages it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from layout.build import build
from tests.robust.strategies import ROOT

MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"


def outputs(out: Path) -> tuple[dict[str, bytes], dict]:
    report = json.loads((out / "report.json").read_text("utf-8"))
    report.pop("build_time")
    report.pop("timings")
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}, report


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAYOUT_CACHE", "off")
        build(MINI, out)
    return outputs(out)


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    """A cache filled by one build of the mini edition (copied for each test that damages it)."""
    root = tmp_path_factory.mktemp("warm")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAYOUT_CACHE", str(root / "cache"))
        build(MINI, root / "out")
    return root / "cache"


@pytest.fixture
def cache(warmed, tmp_path, monkeypatch):
    """A copy of the warmed cache, this test's LAYOUT_CACHE (the test may damage it)."""
    copy = tmp_path / "cache"
    shutil.copytree(warmed, copy)
    monkeypatch.setenv("LAYOUT_CACHE", str(copy))
    return copy
