"""A warm build in a new process does no work twice: pages whose inputs did not change are not
composed or paginated at all (counted: every paragraph the composer sets is logged), and after
one story is edited only the pages of that story are. The files are those of a cold build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.robust.strategies import ROOT

MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"

# Run in a fresh interpreter: count what the composer and the segmenter's dictionary do, build,
# print the counts. Nothing of the engine is changed, only watched.
SCRIPT = r"""
import json, sys
from pathlib import Path
import layout.text.compose as compose
import layout.text.words as words

composed = []
original = compose.Composer.paragraph
def counting(self, text, *args, **kw):
    composed.append(text)
    return original(self, text, *args, **kw)
compose.Composer.paragraph = counting
from layout.build import build
build(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps({"composed": composed, "jieba": words._base.cache_info().currsize}))
"""


def _build(edition: Path, out: Path, cache: Path) -> dict:
    env = {**os.environ, "LAYOUT_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(edition), str(out)], env=env, capture_output=True,
                          text=True, timeout=600, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


def _report(out: Path) -> dict:
    report = json.loads((out / "report.json").read_text("utf-8"))
    report.pop("build_time")
    report.pop("timings")
    return report


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ed")
    shutil.copy(MINI, folder / "mini.yaml")
    return folder / "mini.yaml"


@pytest.fixture(scope="module")
def cold(edition, tmp_path_factory):
    root = tmp_path_factory.mktemp("cold")
    counts = _build(edition, root / "out", root / "cache")
    return root, counts


def test_a_warm_build_in_a_new_process_composes_nothing_and_writes_the_same_files(cold, edition, tmp_path):
    root, first = cold
    assert first["composed"]  # the cold build did compose (the count sees the composer)
    warm = _build(edition, tmp_path / "out", root / "cache")
    assert warm["composed"] == []
    assert warm["jieba"] == 0  # the segmenter's dictionary was never loaded
    assert _files(tmp_path / "out") == _files(root / "out")
    assert _report(tmp_path / "out") == _report(root / "out")


def test_after_editing_one_story_only_its_pages_are_composed_and_the_files_match_a_cold_build(
        cold, edition, tmp_path):
    root, _ = cold
    text = edition.read_text("utf-8")
    assert text.count("這是第7版的測試稿件") == 1
    edited = tmp_path / "ed" / "mini.yaml"
    edited.parent.mkdir()
    # the same number of lines, so that every other story stays where the file says it is
    edited.write_text(text.replace("這是第7版的測試稿件", "這是第七版的測試稿"), "utf-8")
    cache = tmp_path / "cache"
    shutil.copytree(root / "cache", cache)
    after = _build(edited, tmp_path / "out", cache)
    assert after["composed"]
    report = _report(tmp_path / "out")
    pages_of = {s["id"]: set(s["pages"]) for s in report["stories"]}
    assert pages_of["s07"] == {"A07"}
    others = [s["headline"] for s in report["stories"] if s["id"] != "s07"]
    # nothing of another page was set again: no other story's headline was composed
    assert not set(after["composed"]) & set(others)
    assert any("第七版" in t for t in after["composed"])
    assert after["jieba"] == 0  # its headline was segmented before: the word spans come from the cache
    # and the result is what a build with no cache at all gives
    _build(edited, tmp_path / "fresh", tmp_path / "empty-cache")
    assert _files(tmp_path / "out") == _files(tmp_path / "fresh")
    assert _report(tmp_path / "out") == _report(tmp_path / "fresh")
