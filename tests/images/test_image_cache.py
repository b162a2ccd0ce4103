"""The persistent cache of prepared photos: a rebuild loads the same bytes without separating
again; any change that alters the bytes misses; damaged or foreign entries are ignored; writes
are atomic; it can be turned off. Every test uses its own temporary cache folder."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import layout.images as images
from layout.images import ImageCache, ImageStore
from layout.printprofile import load_profile, replace

PROFILE = load_profile("newsprint")
W, H = 200.0, 120.0  # pt: a 600 px photo at 216 ppi (above the target: it is resampled)


@pytest.fixture
def photo(tmp_path) -> Path:
    yy, xx = np.mgrid[0:400, 0:600]
    rgb = np.stack([xx * 255 // 600, yy * 255 // 400, 255 - (xx + yy) * 255 // 1000], -1).astype(np.uint8)
    path = tmp_path / "photo.jpg"
    Image.fromarray(rgb).save(path, quality=92)
    return path


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_second_build_loads_the_same_bytes(tmp_path, photo, counted):
    cache = ImageCache(tmp_path / "cache")
    first = ImageStore(cache).prepare(photo, W, H, profile=PROFILE)
    second = ImageStore(ImageCache(tmp_path / "cache")).prepare(photo, W, H, profile=PROFILE)
    assert len(counted) == 1  # the second store read the disk
    assert second.data == first.data and second.key == first.key
    assert second.image.mode == first.image.mode == "CMYK" and second.image.size == first.image.size
    assert second.effective_ppi == pytest.approx(first.effective_ppi)
    assert (second.width_pt, second.height_pt) == (W, H)
    assert second.final_ppi == pytest.approx(first.final_ppi)
    assert np.asarray(second.image).shape == (*first.image.size[::-1], 4)  # decodes on demand


def test_diagnostics_name_the_current_path(tmp_path, photo, counted):
    cache = ImageCache(tmp_path / "cache")
    small_w, small_h = 400.0, 240.0  # 108 ppi: below the minimum
    first = ImageStore(cache).prepare(photo, small_w, small_h, profile=PROFILE)
    copy = tmp_path / "renamed.jpg"
    copy.write_bytes(photo.read_bytes())
    again = ImageStore(cache).prepare(copy, small_w, small_h, profile=PROFILE)
    assert len(counted) == 1  # same content, same entry
    assert [d.code for d in again.diagnostics] == [d.code for d in first.diagnostics] == ["IMAGE-LOW-PPI"]
    assert "renamed.jpg" in again.diagnostics[0].message and again.source == str(copy)


@pytest.mark.parametrize("change", ["size", "focus", "mono", "ink_limit", "quality", "photo", "code"])
def test_what_changes_the_bytes_misses(tmp_path, photo, counted, change):
    cache = ImageCache(tmp_path / "cache")
    ImageStore(cache).prepare(photo, W, H, profile=PROFILE)
    kw = {"focus": (0.5, 0.5), "profile": PROFILE, "mono": False}
    w = W
    cache2 = ImageCache(tmp_path / "cache")
    if change == "size":
        w = W - 10
    elif change == "focus":
        kw["focus"] = (0.2, 0.5)
    elif change == "mono":
        kw["mono"] = True
    elif change == "ink_limit":
        kw["profile"] = replace(PROFILE, ink_limit=200.0)
    elif change == "quality":
        kw["profile"] = replace(PROFILE, jpeg_quality=80)
    elif change == "photo":
        Image.open(photo).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(photo, quality=92)
    elif change == "code":
        cache2.version = "another-version"
    ImageStore(cache2).prepare(photo, w, H, **kw)
    assert len(counted) == 2


def test_a_profile_change_that_does_not_touch_photos_still_hits(tmp_path, photo, counted):
    cache = ImageCache(tmp_path / "cache")
    ImageStore(cache).prepare(photo, W, H, profile=PROFILE)
    ImageStore(cache).prepare(photo, W, H, profile=load_profile("commercial"))  # bleed and marks only
    assert len(counted) == 1


def _damage(entry: Path, how: str) -> None:
    blob = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    elif how == "garbage":
        entry.write_bytes(os.urandom(len(blob)))
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "flipped":  # one JPEG byte changed: the digest no longer matches
        i = len(blob) - 100
        entry.write_bytes(blob[:i] + bytes([blob[i] ^ 0xFF]) + blob[i + 1:])
    elif how == "foreign_key":  # a well-formed entry of another photo under this name
        entry.write_bytes(blob.replace(b'"key": "', b'"key": "0', 1))
    elif how == "bad_json":
        head = blob.index(b"\n") + 1
        entry.write_bytes(blob[:head] + b"{not json\n" + blob[blob.index(b"\n", head) + 1:])


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty", "flipped", "foreign_key", "bad_json"])
def test_damaged_entries_are_ignored_and_replaced(tmp_path, photo, counted, how):
    folder = tmp_path / "cache"
    good = ImageStore(ImageCache(folder)).prepare(photo, W, H, profile=PROFILE)
    (entry,) = _entries(folder)
    _damage(entry, how)
    again = ImageStore(ImageCache(folder)).prepare(photo, W, H, profile=PROFILE)
    assert len(counted) == 2  # prepared again, not loaded
    assert again.data == good.data
    # ... and the entry was rewritten: a third build loads it.
    third = ImageStore(ImageCache(folder)).prepare(photo, W, H, profile=PROFILE)
    assert len(counted) == 2 and third.data == good.data


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path, photo, monkeypatch):
    folder = tmp_path / "cache"
    ImageStore(ImageCache(folder)).prepare(photo, W, H, profile=PROFILE)
    (entry,) = _entries(folder)
    assert not entry.name.startswith(".tmp")

    # A write that fails half-way leaves the old entry as it was and no temporary file.
    before = entry.read_bytes()

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(images.os, "replace", failing_replace)
    prepared = images.prepare_photo(photo, W, H, profile=PROFILE)
    ImageCache(folder).store(prepared)
    assert _entries(folder) == [entry] and entry.read_bytes() == before


def test_an_unwritable_cache_does_not_fail_the_build(tmp_path, photo):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    store = ImageStore(ImageCache(blocked / "images"))
    assert store.prepare(photo, W, H, profile=PROFILE).data


def test_default_folder_and_switching_off(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "c"))
    assert ImageCache.default().folder == tmp_path / "c" / "images"
    for off in ("off", "0", "none"):
        monkeypatch.setenv("LAYOUT_CACHE", off)
        assert ImageCache.default() is None
    monkeypatch.delenv("LAYOUT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert ImageCache.default().folder == tmp_path / "xdg" / "layout" / "images"
    assert ImageStore().cache is None  # a plain store (tests, tools) never touches the disk


def test_table_separation_equals_the_plane_maths_exactly():
    """The lookup tables (_separate_rgb8) give bit for bit what the documented plane maths gives,
    over a lattice of RGB colours that includes both ends of every channel."""
    levels = np.unique(np.r_[np.arange(0, 256, 3), 1, 2, 254, 255]).astype(np.uint8)
    r, g, b = np.meshgrid(levels, levels, levels, indexing="ij")
    rgb = np.stack([r.ravel(), g.ravel(), b.ravel()], -1).reshape(len(levels), -1, 3)
    img = Image.fromarray(rgb, "RGB")
    for profile in (PROFILE, replace(PROFILE, highlight_pct=5.0, shadow_pct=90.0)):
        fast = images._separate_rgb8(img, profile)
        floats = images._planes(img)
        slow = [images._clamp_tones(p, profile) for p in images._separate_planes(*floats, profile)]
        for a, b_ in zip(fast, slow, strict=True):
            assert a.dtype == b_.dtype == np.float32
            assert np.array_equal(a, b_)


def _reference_inks(img, profile, margin):
    """The documented plane maths, whole image at once: separation, tone clamps, ink limit."""
    floats = images._planes(img)
    planes = tuple(images._clamp_tones(p, profile) for p in images._separate_planes(*floats, profile))
    return images._limit_planes(planes, profile, margin)


def test_strip_separation_equals_the_whole_image_plane_maths():
    """The uint8 tables with their ink-limit pre-test (_rgb8_inks, strip by strip) give bit for
    bit the ink values of the plane maths on the whole image, for a lattice of every corner of the
    RGB cube, dark saturated colours the limit scales and a photo-sized noise image that spans
    several strips; including a profile whose low ink limit scales most dark pixels."""
    rng = np.random.default_rng(3)
    levels = np.unique(np.r_[np.arange(0, 256, 5), 1, 2, 254, 255]).astype(np.uint8)
    r, g, b = np.meshgrid(levels, levels, levels, indexing="ij")
    lattice = np.stack([r.ravel(), g.ravel(), b.ravel()], -1).reshape(len(levels), -1, 3)
    dark = rng.integers(0, 90, size=(300, 700, 3), dtype=np.uint8)  # > STRIP_PIXELS pixels
    noise = rng.integers(0, 256, size=(517, 333, 3), dtype=np.uint8)
    low = replace(PROFILE, ink_limit=160.0, ink_warn=150.0, highlight_pct=5.0, shadow_pct=90.0)
    scaled = 0
    for profile in (PROFILE, low):
        for margin in (2.0, 7.5):
            for arr in (lattice, dark, noise):
                img = Image.fromarray(arr, "RGB")
                fast = images._ink_planes(img, profile, margin)
                slow = _reference_inks(img, profile, margin)
                for a, b_ in zip(fast, slow, strict=True):
                    assert a.dtype == b_.dtype == np.uint8
                    assert np.array_equal(a, b_)
                unlimited = _reference_inks(img, replace(profile, ink_limit=400.0, ink_warn=400.0), 0.0)
                scaled += int((fast[0] != unlimited[0]).sum())
    assert scaled > 1000  # the ink limit did scale pixels, so the float path for them was taken


def test_grey_table_equals_the_plane_maths():
    levels = np.arange(256, dtype=np.uint8).reshape(16, 16)
    img = Image.fromarray(levels, "L")
    for profile in (PROFILE, replace(PROFILE, highlight_pct=5.0, shadow_pct=90.0)):
        k = images._clamp_tones(1.0 - images._planes(img)[0], profile)
        expected = np.rint((1.0 - k) * 255).astype(np.uint8)
        assert np.array_equal(np.asarray(images.to_grey(img, profile)), expected)
