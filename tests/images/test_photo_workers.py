"""Photos prepared several at a time in worker processes (ImageStore.prepare_many): the same
bytes as one by one in this process, whichever worker makes which photo, with and without the
cache; a broken photo fails as it does without workers."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import layout.images as images
from layout.images import ImageCache, ImageStore, PhotoRequest
from layout.printprofile import load_profile

PROFILE = load_profile("newsprint")


@pytest.fixture
def photos(tmp_path) -> list[Path]:
    rng = np.random.default_rng(11)
    out = []
    for i, (w, h) in enumerate([(900, 600), (640, 480), (300, 500), (1200, 700), (420, 420)]):
        yy, xx = np.mgrid[0:h, 0:w]
        rgb = np.stack([(xx * 255 // w + 40 * i) % 256, yy * 255 // h, rng.integers(0, 256, (h, w))], -1)
        path = tmp_path / f"p{i}.jpg"
        Image.fromarray(rgb.astype(np.uint8)).save(path, quality=90)
        out.append(path)
    return out


def _requests(photos: list[Path]) -> list[PhotoRequest]:
    reqs = [PhotoRequest(p, 180.0 + 20 * i, 120.0, (0.4, 0.6), mono=i == 2) for i, p in enumerate(photos)]
    return reqs + [reqs[0]]  # the same photo twice: prepared once


def _one_by_one(reqs: list[PhotoRequest]) -> list[bytes]:
    store = ImageStore()
    return [store.prepare(r.path, r.width_pt, r.height_pt, focus=r.focus, mono=r.mono, profile=PROFILE).data
            for r in reqs]


def test_workers_give_the_bytes_of_one_by_one(photos, counted, monkeypatch):
    monkeypatch.setattr(images, "_cores", lambda: 2)  # workers even on a one-core machine
    monkeypatch.delenv("LAYOUT_NO_FORK", raising=False)
    reqs = _requests(photos)
    store = ImageStore()
    store.prepare_many(reqs, profile=PROFILE)
    assert counted == []  # all made in the workers
    assert len(store) == len(photos)
    got = [store.prepare(r.path, r.width_pt, r.height_pt, focus=r.focus, mono=r.mono, profile=PROFILE) for r in reqs]
    assert counted == []  # `prepare` found every photo made
    assert [g.data for g in got] == _one_by_one(reqs)
    assert [g.image.mode for g in got][:3] == ["CMYK", "CMYK", "L"]
    assert all(g.source == str(r.path) for g, r in zip(got, reqs, strict=True))


def test_workers_fill_the_cache_and_a_warm_store_reads_it(tmp_path, photos, counted, monkeypatch):
    monkeypatch.setattr(images, "_cores", lambda: 2)
    monkeypatch.delenv("LAYOUT_NO_FORK", raising=False)
    reqs = _requests(photos)
    ImageStore(ImageCache(tmp_path / "c")).prepare_many(reqs, profile=PROFILE)
    warm = ImageStore(ImageCache(tmp_path / "c"))
    warm.prepare_many(reqs, profile=PROFILE)  # all from the disk: no workers, nothing made
    got = [warm.prepare(r.path, r.width_pt, r.height_pt, focus=r.focus, mono=r.mono, profile=PROFILE).data
           for r in reqs]
    assert counted == []
    assert got == _one_by_one(reqs)


def test_no_fork_prepares_in_this_process(photos, counted, monkeypatch):
    monkeypatch.setattr(images, "_cores", lambda: 2)
    monkeypatch.setenv("LAYOUT_NO_FORK", "1")
    reqs = _requests(photos)
    store = ImageStore()
    store.prepare_many(reqs, profile=PROFILE)
    got = [store.prepare(r.path, r.width_pt, r.height_pt, focus=r.focus, mono=r.mono, profile=PROFILE).data
           for r in reqs]
    assert len(counted) == len(photos)
    assert got == _one_by_one(reqs)


def test_a_broken_photo_fails_as_without_workers(tmp_path, photos, monkeypatch):
    monkeypatch.setattr(images, "_cores", lambda: 2)
    monkeypatch.delenv("LAYOUT_NO_FORK", raising=False)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(photos[0].read_bytes()[:200])  # a JPEG cut off in its header
    reqs = [*_requests(photos), PhotoRequest(broken, 100.0, 80.0)]
    store = ImageStore()
    with pytest.raises(OSError) as with_workers:
        store.prepare_many(reqs, profile=PROFILE)
        store.prepare(broken, 100.0, 80.0, profile=PROFILE)
    with pytest.raises(OSError) as alone:
        ImageStore().prepare(broken, 100.0, 80.0, profile=PROFILE)
    assert type(with_workers.value) is type(alone.value)


def test_a_ctrl_c_reaching_the_workers_is_left_to_the_build(photos, monkeypatch, capfd):
    """Ctrl-C is sent to the whole process group: a photo worker ends without a KeyboardInterrupt
    traceback of its own (the build stops and says so once); a worker that ended is no loss, the
    photos are made in this process (and no worker is left waiting for ever)."""
    monkeypatch.setattr(images, "_cores", lambda: 2)
    monkeypatch.delenv("LAYOUT_NO_FORK", raising=False)
    monkeypatch.setattr(images, "_prepare_job", _interrupted_job)
    reqs = _requests(photos)
    store = ImageStore()
    store.prepare_many(reqs, profile=PROFILE)
    assert [store.prepare(r.path, r.width_pt, r.height_pt, focus=r.focus, mono=r.mono, profile=PROFILE).data
            for r in reqs] == _one_by_one(reqs)
    assert "Traceback" not in capfd.readouterr().err


_REAL_JOB = images._prepare_job


def _interrupted_job(*args):
    """A photo job that first gets a Ctrl-C, as a worker does when the terminal sends one (a
    module-level function: the pool sends jobs by name)."""
    os.kill(os.getpid(), signal.SIGINT)
    return _REAL_JOB(*args)
