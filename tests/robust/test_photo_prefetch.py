"""Photos prepared while the pages are laid out (layout/images.py PhotoPrefetch, issue 18): each
page group laid out sends its photos to a forked child, which prepares them into the build
cache on the other core; the output stage takes over what is left and finds them all there. The
outputs are those of a build with the cache off, whatever the child does, and no photo is
prepared twice."""

from __future__ import annotations

import os
import re
import shutil

import pytest

import layout.images as images
from layout.build import build
from tests.robust.cachekit import MINI, outputs
from tests.robust.strategies import ROOT

PHOTOS = ["harbour.jpg", "b-ferry.jpg", "b-court.jpg", "bridge-fog.png"]


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The mini edition with a photo in four of its stories (pinned pages: no automatic layout)."""
    folder = tmp_path_factory.mktemp("photos")
    text = MINI.read_text("utf-8")
    for n, (sid, photo) in enumerate(zip(["s02", "s03", "s05", "s06"], PHOTOS, strict=True)):
        shutil.copyfile(ROOT / "assets" / "photos" / photo, folder / photo)
        text, found = re.subn(rf"(\n  {sid}:\n    headline: [^\n]*\n)",
                              rf"\1    photos:\n      - file: {photo}\n        caption: 第{n}張圖片\n"
                              rf"        cols: 3\n        lines: 24\n", text)
        assert found == 1
    (folder / "mini.yaml").write_text(text, "utf-8")
    for extra in MINI.parent.iterdir():
        if extra.name != "mini.yaml":
            shutil.copy(extra, folder / extra.name)
    return folder / "mini.yaml"


@pytest.fixture(scope="module")
def reference(edition, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAYOUT_CACHE", "off")
        build(edition, out)
    return outputs(out)


def _count_prepared(monkeypatch) -> list[str]:
    """The photos prepare_photo made in this process (the child's calls are in its own memory)."""
    made: list[str] = []
    real = images.prepare_photo

    def counting(path, *a, **k):
        made.append(str(path))
        return real(path, *a, **k)

    monkeypatch.setattr(images, "prepare_photo", counting)
    return made


def test_the_child_prepares_photos_and_the_build_writes_the_same_bytes(edition, reference, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    started: list[int] = []
    real_start = images.PhotoPrefetch._start

    def start(self):
        ok = real_start(self)
        started.append(ok)
        return ok

    monkeypatch.setattr(images.PhotoPrefetch, "_start", start)
    made = _count_prepared(monkeypatch)
    monkeypatch.setattr(images, "_cores", lambda: 1)  # no pool of workers: what is left is made here
    hashed: list[str] = []
    real_digest = images.file_digest

    def digest(path):
        hashed.append(str(path))
        return real_digest(path)

    monkeypatch.setattr(images, "file_digest", digest)
    build(edition, tmp_path / "out")
    assert len(hashed) == len(set(hashed)) == len(PHOTOS)  # each photo file read for its digest once
    assert started == [True]
    assert outputs(tmp_path / "out") == reference
    entries = list((tmp_path / "cache" / "images").rglob("*.img"))
    assert len(entries) == len(PHOTOS)
    assert len(made) < len(PHOTOS)  # the child made the others
    assert len(made) == len(set(made))  # none twice here
    assert not list((tmp_path / "cache" / "images").glob(".tmp-*"))  # the claims are tidied away
    assert not images._UNDRAINED


def test_a_prefetch_child_that_dies_changes_nothing(edition, reference, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    parent = os.getpid()
    real = images.PhotoPrefetch._prepare

    def die(self, *job):
        if os.getpid() != parent:
            os._exit(9)  # killed with a photo claimed and not written
        return real(self, *job)

    monkeypatch.setattr(images.PhotoPrefetch, "_prepare", die)
    build(edition, tmp_path / "out")
    assert outputs(tmp_path / "out") == reference
    assert len(list((tmp_path / "cache" / "images").rglob("*.img"))) == len(PHOTOS)


def test_no_prefetch_with_the_cache_off(edition, reference, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    monkeypatch.setattr(images.PhotoPrefetch, "_start", lambda self: pytest.fail("a prefetch without a cache"))
    build(edition, tmp_path / "out")
    assert outputs(tmp_path / "out") == reference


def test_a_claimed_photo_is_prepared_once(tmp_path, monkeypatch):
    """Both processes go through the queue (the child from the front, drain from the back): each
    photo is made by exactly one of them."""
    from layout.printprofile import load_profile

    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    profile = load_profile("newsprint", None)
    made = _count_prepared(monkeypatch)
    reqs = [images.PhotoRequest(ROOT / "assets" / "photos" / p, 200.0 + n, 150.0) for n, p in enumerate(PHOTOS)]
    with images.prefetching() as pf:
        images.prefetch(reqs, profile)
        images.prefetch(reqs[:2], profile)  # sent again: queued once
        assert len(pf.sent) == len(PHOTOS)
    images.drain_prefetches()
    entries = list((tmp_path / "cache" / "images").rglob("*.img"))
    assert len(entries) == len(PHOTOS)
    assert len(made) == len(set(made)) <= len(PHOTOS)
    store = images.ImageStore(images.ImageCache.default())
    for req in reqs:  # what the cache holds is what preparing them gives
        got = store.prepare(req.path, req.width_pt, req.height_pt, profile=profile)
        assert got.data == images.prepare_photo(req.path, req.width_pt, req.height_pt, profile=profile).data


def test_a_store_without_a_cache_takes_the_prefetched_photos(edition, reference, tmp_path, monkeypatch):
    """`layout watch` keeps its photos in an ImageStore of its own, without a cache: what the
    prefetch prepared is read from the build cache all the same, not prepared again."""
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(images, "_cores", lambda: 1)
    parent = os.getpid()
    made_here: list[str] = []
    real = images.PhotoPrefetch._prepare

    def only_the_child(self, *job):
        if os.getpid() == parent:
            return None  # drain leaves everything to the child
        return real(self, *job)

    monkeypatch.setattr(images.PhotoPrefetch, "_prepare", only_the_child)
    real_photo = images.prepare_photo
    monkeypatch.setattr(images, "prepare_photo", lambda *a, **k: made_here.append(a[0]) or real_photo(*a, **k))
    store = images.ImageStore()  # as layout/watchbuild.py keeps one
    build(edition, tmp_path / "out", image_store=store)
    assert outputs(tmp_path / "out") == reference
    assert len(store) == len(PHOTOS)
    assert made_here == []  # every photo from what the child prepared
