"""The build cache is never trusted: a cached page layout that is damaged (cut off, edited, with the
wrong types, an item index out of range, a module off the grid or over another) is ignored and
written again, and the pages come out exactly as with the cache off. Damage that keeps a valid
digest (an entry written that way on purpose, or by a buggy version) is caught by the check of
the entry's meaning, not only by the digest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from layout.build import prepare
from layout.cache import JsonCache, plan_entry, value_digest
from layout.render.dump import dump_frame
from tests.robust.strategies import ROOT

SAMPLE = ROOT / "editions" / "sample.yaml"

GOOD = {"decisions": [[0, [1, 1, 4, 50], [20], 3, 40.0], [1, [5, 1, 4, 50], [], None, None]],
        "diagnostics": [["AUTOLAYOUT", "info", "page A02: score 1", None]]}
BOUNDS = {"items": 3, "pinned": {2: (1, 60, 8, 46)}, "columns": 8, "lines": 105, "top": 1}


def _with(path, value):
    """GOOD with one part replaced: path is a list of keys/indices."""
    data = json.loads(json.dumps(GOOD))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


BAD = {
    "module off the grid": _with(["decisions", 0, 1], [1, 1, 50, 500]),
    "module past the last line": _with(["decisions", 1, 1], [5, 30, 4, 80]),
    "item index out of range": _with(["decisions", 1, 0], 99),
    "item index negative": _with(["decisions", 1, 0], -1),
    "item given twice": _with(["decisions", 1, 0], 0),
    "a pinned item moved": _with(["decisions", 1, 0], 2),
    "item as text": _with(["decisions", 0, 0], "0"),
    "item as a bool": _with(["decisions", 0, 0], False),
    "module as text": _with(["decisions", 0, 1], "1,1,4,50"),
    "module of three numbers": _with(["decisions", 0, 1], [1, 1, 4]),
    "module of floats": _with(["decisions", 0, 1], [1.0, 1, 4, 50]),
    "modules overlapping": _with(["decisions", 1, 1], [4, 1, 4, 50]),
    "over a pinned module": _with(["decisions", 1, 1], [5, 40, 4, 30]),
    "photo deeper than its module": _with(["decisions", 0, 2], [51]),
    "photo lines not a list": _with(["decisions", 0, 2], 20),
    "photo wider than its module": _with(["decisions", 0, 3], 5),
    "headline size as text": _with(["decisions", 0, 4], "big"),
    "headline size zero": _with(["decisions", 0, 4], 0),
    "decision too short": _with(["decisions", 0], [0, [1, 1, 4, 50]]),
    "decisions not a list": _with(["decisions"], {"0": 1}),
    "unknown severity": _with(["diagnostics", 0, 1], "fatal"),
    "diagnostic code not a code": _with(["diagnostics", 0, 0], "rm -rf"),
    "message not text": _with(["diagnostics", 0, 2], 5),
    "a key missing": {"decisions": []},
    "not a mapping": [GOOD["decisions"]],
}


def test_a_good_entry_passes():
    decisions, said = plan_entry(GOOD, **BOUNDS)
    assert decisions == [(0, (1, 1, 4, 50), (20,), 3, 40.0), (1, (5, 1, 4, 50), (), None, None)]
    assert said == [("AUTOLAYOUT", "info", "page A02: score 1", None, None)]
    # the story a diagnostic names is kept too (a fifth element)
    with_story = {**GOOD, "diagnostics": [["AUTOLAYOUT-UNDERSET", "warning", "short", None, "s02"]]}
    assert plan_entry(with_story, **BOUNDS)[1] == [("AUTOLAYOUT-UNDERSET", "warning", "short", None, "s02")]
    # a plan names pinned items too, where they are pinned
    with_pinned = {**GOOD, "decisions": [*GOOD["decisions"], [2, [1, 60, 8, 46], [], None, 30.0]]}
    assert len(plan_entry(with_pinned, **BOUNDS)[0]) == 3


def test_a_module_above_the_masthead_is_refused():
    with pytest.raises(ValueError):
        plan_entry(GOOD, **{**BOUNDS, "top": 13})


@pytest.mark.parametrize("name", list(BAD))
def test_a_damaged_entry_is_refused(name):
    with pytest.raises((ValueError, TypeError)):
        plan_entry(BAD[name], **BOUNDS)


def test_a_refused_entry_is_deleted_and_a_good_one_read(tmp_path):
    cache = JsonCache(tmp_path, "autolayout")

    def check(v):
        return plan_entry(v, **BOUNDS)

    cache.store("k", GOOD)
    assert cache.load("k", check=check)[0][0][1] == (1, 1, 4, 50)
    path = cache._path("k")
    entry = json.loads(path.read_text("utf-8"))
    # a valid digest, a meaning that is wrong: the check refuses it and the file goes
    entry["value"] = BAD["module off the grid"]
    entry["digest"] = value_digest(entry["value"])
    path.write_text(json.dumps(entry), "utf-8")
    assert cache.load("k", check=check) is None and not path.exists()
    # an edited value under the old digest: refused by the digest
    cache.store("k", GOOD)
    entry = json.loads(path.read_text("utf-8"))
    entry["value"]["decisions"][0][1] = [1, 1, 4, 49]
    path.write_text(json.dumps(entry), "utf-8")
    assert cache.load("k") is None and not path.exists()


# --- a whole edition: any damage gives the pages of no cache -------------------------------------------


def _pages(prep) -> tuple[list[str], list[tuple]]:
    frames = [dump_frame(p.frame) for p in prep.layout.pages]
    said = [(d.code, d.severity.value, d.page, d.message) for d in prep.ctx.diagnostics]
    return frames, said


def _damage_all(folder: Path) -> dict[Path, str]:
    """Each cached plan damaged another way (most with a digest that matches the damage)."""
    files = sorted(folder.rglob("*.json"))
    kinds = ["module off the grid", "item index out of range", "item as text", "modules overlapping",
             "unknown severity", "headline size as text", None, "cut", "list", "stale digest", "no digest"]
    damaged = {}
    for n, path in enumerate(files):
        entry = json.loads(path.read_text("utf-8"))
        kind = kinds[n % len(kinds)]
        value = entry["value"]
        decisions = value["decisions"]
        if kind == "module off the grid" and decisions:
            decisions[0][1] = [1, 1, 50, 500]
        elif kind == "item index out of range" and decisions:
            decisions[0][0] = 99
        elif kind == "item as text" and decisions:
            decisions[0][0] = str(decisions[0][0])
        elif kind == "modules overlapping" and len(decisions) > 1:
            decisions[1][1] = list(decisions[0][1])
        elif kind == "unknown severity":
            value["diagnostics"] = [["AUTOLAYOUT", "fatal", "x", None]]
        elif kind == "headline size as text" and decisions:
            decisions[0][4] = "big"
        elif kind is None:
            value["decisions"] = [[0, [1, 1, 1, 1], [], None, None]] * 2
        entry["digest"] = value_digest(value)
        text = json.dumps(entry, ensure_ascii=False)
        if kind == "cut":
            text = text[: len(text) // 2]
        elif kind == "list":
            text = json.dumps([entry])
        elif kind == "stale digest" and decisions:
            decisions[0][1][0] += 1
            text = json.dumps(entry, ensure_ascii=False)  # with the digest of the value before the edit
        elif kind == "no digest":
            del entry["digest"]  # as the cache wrote entries before it had digests
            text = json.dumps(entry, ensure_ascii=False)
        path.write_text(text, "utf-8")
        damaged[path] = text
    return damaged


def test_a_damaged_plan_cache_gives_the_pages_of_no_cache(sample_cold, tmp_path, monkeypatch):
    # The two builds from nothing (cache off; into an empty folder, which fills it) are made once
    # per run for this and tests/autolayout/test_plan_cache.py (tests/conftest.py).
    reference = (sample_cold["off"]["frames"], sample_cold["off"]["said"])
    assert (sample_cold["filled"]["frames"], sample_cold["filled"]["said"]) == reference  # fills the cache
    shutil.copytree(sample_cold["cache"], tmp_path, dirs_exist_ok=True)
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path))
    damaged = _damage_all(tmp_path / "autolayout")
    assert len(damaged) >= 8
    assert _pages(prepare(SAMPLE)) == reference, "a damaged cache changed the pages"
    for path, bad in damaged.items():
        assert path.exists() and path.read_text("utf-8") != bad, f"{path} was not written again"
    # (a read marks an entry used, so its mtime moves; a rewrite would be a new file: renamed in)
    stamps = {p: (p.stat().st_ino, p.read_bytes()) for p in damaged}
    assert _pages(prepare(SAMPLE)) == reference  # and the rewritten entries read back the same,
    assert {p: (p.stat().st_ino, p.read_bytes()) for p in damaged} == stamps, "a good entry was refused"


# --- the photo cache: metadata with the right digest but the wrong types ----------------------------------


def _photo(tmp_path: Path) -> Path:
    import numpy as np
    from PIL import Image

    yy, xx = np.mgrid[0:200, 0:300]
    rgb = np.stack([xx * 255 // 300, yy * 255 // 200, 255 - (xx + yy) * 255 // 500], -1).astype(np.uint8)
    path = tmp_path / "photo.jpg"
    Image.fromarray(rgb).save(path, quality=90)
    return path


@pytest.mark.parametrize("damage", ["meta a list", "ppi as text", "ppi a bool", "width NaN", "width negative",
                                    "mode a number", "size a string"])
def test_a_photo_cache_entry_with_wrong_types_is_redone(tmp_path, damage):
    from layout.images import CACHE_MAGIC, ImageCache, ImageStore
    from layout.printprofile import load_profile

    profile = load_profile("newsprint")
    photo = _photo(tmp_path)
    fresh = ImageStore().prepare(photo, 100.0, 66.0, profile=profile)
    cache = ImageCache(tmp_path / "cache")
    ImageStore(cache).prepare(photo, 100.0, 66.0, profile=profile)
    (entry,) = [p for p in (tmp_path / "cache").rglob("*.img")]
    head, _, data = entry.read_bytes()[len(CACHE_MAGIC):].partition(b"\n")
    meta = json.loads(head)  # the JPEG and its sha256 stay right: only the metadata is wrong
    if damage == "meta a list":
        meta = [meta]
    else:
        field, value = {"ppi as text": ("effective_ppi", "300"), "ppi a bool": ("effective_ppi", True),
                        "width NaN": ("width_pt", float("nan")), "width negative": ("width_pt", -100.0),
                        "mode a number": ("mode", 4), "size a string": ("size", "300x200")}[damage]
        meta[field] = value
    entry.write_bytes(CACHE_MAGIC + json.dumps(meta).encode() + b"\n" + data)
    again = ImageStore(ImageCache(tmp_path / "cache")).prepare(photo, 100.0, 66.0, profile=profile)
    assert again.data == fresh.data and again.effective_ppi == pytest.approx(fresh.effective_ppi)
    head2 = entry.read_bytes()[len(CACHE_MAGIC):].partition(b"\n")[0]
    assert json.loads(head2) != meta, "the damaged entry was not written again"


def test_a_file_check_entry_is_checked():
    from layout.cache import file_problems

    good = [["PHOTO-CORRUPT", "x.jpg is damaged or truncated", "copy it again"]]
    assert file_problems(good) == [("PHOTO-CORRUPT", "x.jpg is damaged or truncated", "copy it again")]
    assert file_problems([]) == []
    for bad in ({"a": 1}, [["PHOTO-CORRUPT", "m"]], [["FILE-UNREADABLE", "m", None]], [[1, "m", None]],
                [["PHOTO-CORRUPT", 5, None]], "[]"):
        with pytest.raises((ValueError, TypeError)):
            file_problems(bad)
