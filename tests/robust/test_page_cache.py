"""Pages whose inputs did not change are not rendered or preflighted again: their PDF bytes (and
edition.pdf, when no page changed) and their preflight findings come from the build cache. What
comes from the cache is exactly what a build with the cache off writes, and a damaged entry is
dropped and written again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layout.build import build
from tests.robust.strategies import ROOT

MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


def _preflight(out: Path) -> list:
    return json.loads((out / "report.json").read_text("utf-8"))["preflight"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The mini edition built with the cache off."""
    out = tmp_path_factory.mktemp("ref") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAYOUT_CACHE", "off")
        build(MINI, out)
    return _files(out), _preflight(out)


def _cached_build(cache: Path, out: Path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(cache))
    return build(MINI, out)


def test_a_warm_build_takes_pages_and_findings_from_the_cache_and_writes_the_same_bytes(
        reference, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    _cached_build(cache, tmp_path / "a", monkeypatch)
    pages = sorted((cache / "pages").rglob("*.bin"))
    findings = sorted((cache / "preflight").rglob("*.json"))
    assert len(pages) == len(reference[0])  # every page and edition.pdf
    assert len(findings) == len(reference[0]) - 1  # every page
    stamp = {p: p.stat().st_ino for p in pages + findings}
    _cached_build(cache, tmp_path / "b", monkeypatch)
    assert _files(tmp_path / "b") == reference[0]
    assert _preflight(tmp_path / "b") == reference[1]
    # nothing was rendered or checked again: no entry was written anew (a new file: reads only touch)
    assert {p: p.stat().st_ino for p in pages + findings} == stamp


def test_a_damaged_page_or_finding_entry_is_dropped_and_written_again(reference, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    _cached_build(cache, tmp_path / "a", monkeypatch)
    damaged = {}
    for n, entry in enumerate(sorted((cache / "pages").rglob("*.bin"))):
        raw = bytearray(entry.read_bytes())
        if n % 2:
            raw[-10] ^= 0xFF  # one flipped byte in the PDF
        else:
            raw = raw[: len(raw) // 2]  # cut off
        entry.write_bytes(bytes(raw))
        damaged[entry] = bytes(raw)
    for entry in sorted((cache / "preflight").rglob("*.json")):
        data = json.loads(entry.read_text("utf-8"))
        data["value"] = [{"code": 1, "severity": "bad"}]
        entry.write_text(json.dumps(data), "utf-8")  # digest no longer matches
        damaged[entry] = entry.read_bytes()
    _cached_build(cache, tmp_path / "b", monkeypatch)
    assert _files(tmp_path / "b") == reference[0]
    assert _preflight(tmp_path / "b") == reference[1]
    assert all(p.exists() and p.read_bytes() != bad for p, bad in damaged.items())


def test_a_changed_page_is_rendered_again_and_the_others_are_not(reference, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    _cached_build(cache, tmp_path / "a", monkeypatch)
    before = {p: p.stat().st_ino for p in (cache / "pages").rglob("*.bin")}
    edited = tmp_path / "mini"
    edited.mkdir()
    for f in MINI.parent.iterdir():
        if f.is_file():
            (edited / f.name).write_bytes(f.read_bytes())
    text = (edited / MINI.name).read_text("utf-8")
    (edited / MINI.name).write_text(text.replace("全市今日氣溫", "全市明日氣溫", 1), "utf-8")
    monkeypatch.setenv("LAYOUT_CACHE", str(cache))
    build(edited / MINI.name, tmp_path / "b")
    after = {p: p.stat().st_ino for p in (cache / "pages").rglob("*.bin")}
    assert set(before) <= set(after) and all(after[p] == t for p, t in before.items())
    new = set(after) - set(before)
    assert len(new) == 2  # the edited page and edition.pdf
