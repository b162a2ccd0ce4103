"""Proofs that cost little: the build stamp lives in proof.html, so a page's image depends on its
PDF and marks only; images are kept in the build cache and in the proofs folder's index, and a
page is rendered only when those inputs changed. Renders are counted (ProofResult.rendered), not
timed."""

from __future__ import annotations

import hashlib
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from proof_fakebuild import BLEED, PAGE_IDS, TRIM_H, TRIM_W, make_fake_build

from layout.cache import BlobCache
from layout.proof import make_proofs
from layout.proof.geometry import image_size
from layout.proof.png import encode_png, png_size
from layout.proof.proofs import INDEX, THUMB_DIR
from layout.proof.raster import pack_entry, unpack_entry

DPI = 30  # small images: these tests are about what is rendered, not how it looks


def _files(outdir: Path) -> dict[str, str]:
    """Digest of every image file of the proofs (page images, thumbnails, contact sheet)."""
    proofs = outdir / "proofs"
    paths = [*proofs.glob("*.png"), *(proofs / THUMB_DIR).glob("*.png")]
    return {p.relative_to(proofs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths)}


def _cache(tmp_path: Path, name: str = "cache") -> BlobCache:
    return BlobCache(tmp_path / name, "proofs")


class _Stamps(HTMLParser):
    """The text of each page's stamp in proof.html, by page id."""

    def __init__(self) -> None:
        super().__init__()
        self.stamps: dict[str, str] = {}
        self._page: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and "stamp" in (a.get("class") or "").split():
            self._page, self._depth = a["data-page"], 1
            self.stamps[self._page] = ""
        elif self._page is not None and tag not in ("br",):
            self._depth += 1

    def handle_endtag(self, tag):
        if self._page is not None and tag != "br":
            self._depth -= 1
            if self._depth == 0:
                self._page = None

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_data(self, data):
        if self._page is not None:
            self.stamps[self._page] += data + " "


def test_the_stamp_is_in_proof_html_on_every_page(tmp_path: Path) -> None:
    make_fake_build(tmp_path, build_time="2026-03-04 21:05")
    result = make_proofs(tmp_path, dpi=DPI, workers=1, cache=None)
    doc = _Stamps()
    doc.feed(result.html.read_text("utf-8"))
    assert sorted(doc.stamps) == PAGE_IDS
    a01 = doc.stamps["A01"]
    for part in ("PROOF", "重慶晨報", "2026-03-04", "8123", "A01 要聞", "2026-03-04 21:05"):
        assert part in a01, part
    assert "OVERSET" in doc.stamps["A05"] and "OVERSET" not in a01  # over after its jump to A05
    assert "OVERSET" not in doc.stamps["A03"] and "no flags" in doc.stamps["A03"]
    assert "PREFLIGHT" in doc.stamps["A07"]  # the fake build has a preflight error on A07
    # The stamp sits over the page image, inside its sheet.
    html = result.html.read_text("utf-8")
    sheet = html.index('<figure id="page-A01"')
    assert html.index('class="stamp" data-page="A01"') < html.index("</figure>", sheet)


def test_images_do_not_change_with_the_build_time(tmp_path: Path) -> None:
    """Two builds a minute apart give byte-identical images; only proof.html tells them apart."""
    first, second = tmp_path / "first", tmp_path / "second"
    make_fake_build(first, build_time="2026-03-04 21:05")
    make_fake_build(second, build_time="2026-03-04 21:06")
    a = make_proofs(first, dpi=DPI, workers=1, cache=None)
    b = make_proofs(second, dpi=DPI, workers=1, cache=None)
    assert a.rendered == b.rendered == PAGE_IDS
    assert _files(first) == _files(second) and len(_files(first)) == 25  # 12 pages, 12 thumbnails, the sheet
    assert "21:05" in a.html.read_text("utf-8") and "21:06" in b.html.read_text("utf-8")


def test_the_same_bytes_from_a_cold_or_warm_cache_serial_or_parallel(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    runs = {}
    for name, kw in (("off", {"cache": None, "workers": 1}), ("cold", {"cache": cache, "workers": 2}),
                     ("warm", {"cache": cache, "workers": 2})):
        out = tmp_path / name
        make_fake_build(out)
        result = make_proofs(out, dpi=DPI, **kw)
        runs[name] = (result, _files(out))
    assert runs["off"][0].rendered == runs["cold"][0].rendered == PAGE_IDS
    assert runs["warm"][0].rendered == [] and runs["warm"][0].reused == PAGE_IDS
    assert runs["off"][1] == runs["cold"][1] == runs["warm"][1]
    # proof.html too (the same report): the boxes over a cached image sit where they do over a new one
    html = {name: r.html.read_text("utf-8") for name, (r, _) in runs.items()}
    assert html["off"] == html["cold"] == html["warm"]


def test_an_edited_page_alone_is_rendered_again(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    make_fake_build(tmp_path / "before")
    make_proofs(tmp_path / "before", dpi=DPI, workers=1, cache=cache)
    after = tmp_path / "after"  # a new build folder, as `layout build` makes: only the cache is shared
    make_fake_build(after, extra={"A03": "a story on A03 was edited"})
    result = make_proofs(after, dpi=DPI, workers=1, cache=cache)
    assert result.rendered == ["A03"]
    assert result.reused == [p for p in PAGE_IDS if p != "A03"]


def test_a_change_of_marks_alone_renders_the_pages_it_shows_on(tmp_path: Path) -> None:
    """The overset story's PDF pages did not change, but it fits now: its red marks go."""
    cache = _cache(tmp_path)
    make_fake_build(tmp_path)
    make_proofs(tmp_path, dpi=DPI, workers=1, cache=cache)
    path = tmp_path / "report.json"
    report = json.loads(path.read_text("utf-8"))
    story = next(s for s in report["stories"] if s["id"] == "harbour-plan")
    story.update(status="fits", overset_chars=0, overset_lines=0)
    path.write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    result = make_proofs(tmp_path, dpi=DPI, workers=1, cache=cache)
    assert result.rendered == ["A01", "A05"]  # the pages its modules are on


def test_a_damaged_cache_entry_is_rendered_again(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    make_fake_build(tmp_path / "one")
    make_proofs(tmp_path / "one", dpi=DPI, workers=1, cache=cache)
    want = _files(tmp_path / "one")
    key = json.loads((tmp_path / "one" / "proofs" / INDEX).read_text("utf-8"))["A04"]["key"]
    entry = cache._path(key)
    raw = bytearray(entry.read_bytes())
    raw[-100] ^= 0xFF  # one byte of the image flipped: the entry's digest no longer matches
    entry.write_bytes(bytes(raw))
    make_fake_build(tmp_path / "two")
    result = make_proofs(tmp_path / "two", dpi=DPI, workers=1, cache=cache)
    assert result.rendered == ["A04"]
    assert _files(tmp_path / "two") == want
    # ... and stored again: a third build takes everything from the cache.
    make_fake_build(tmp_path / "three")
    assert make_proofs(tmp_path / "three", dpi=DPI, workers=1, cache=cache).rendered == []


def test_an_entry_that_is_not_the_pages_image_is_not_used(tmp_path: Path) -> None:
    """A well-formed entry (its digest checks out) holding another image, not of this page's size,
    is rendered over."""
    cache = _cache(tmp_path)
    make_fake_build(tmp_path / "one")
    make_proofs(tmp_path / "one", dpi=DPI, workers=1, cache=cache)
    key = json.loads((tmp_path / "one" / "proofs" / INDEX).read_text("utf-8"))["A02"]["key"]
    geom, _, thumb = unpack_entry(cache.load(key))
    cache.store(key, pack_entry(geom, encode_png(Image.new("RGB", (40, 40), "white")), thumb))
    make_fake_build(tmp_path / "two")
    assert make_proofs(tmp_path / "two", dpi=DPI, workers=1, cache=cache).rendered == ["A02"]
    assert _files(tmp_path / "two") == _files(tmp_path / "one")


def test_the_folder_keeps_images_whose_inputs_did_not_change(tmp_path: Path) -> None:
    """`watch` proofs into the same folder: unchanged pages are not even copied from the cache; a
    page image damaged in the folder is made again."""
    make_fake_build(tmp_path)
    make_proofs(tmp_path, dpi=DPI, workers=1, cache=None)
    mtimes = {p: (tmp_path / "proofs" / f"{p}.png").stat().st_mtime_ns for p in PAGE_IDS}
    make_fake_build(tmp_path, extra={"A05": "edited"})
    (tmp_path / "proofs" / "A09.png").write_bytes(b"not a png")
    result = make_proofs(tmp_path, dpi=DPI, workers=1, cache=None)
    assert result.rendered == ["A05", "A09"]
    changed = [p for p in PAGE_IDS if (tmp_path / "proofs" / f"{p}.png").stat().st_mtime_ns != mtimes[p]]
    assert changed == ["A05", "A09"]
    with Image.open(tmp_path / "proofs" / "A09.png") as im:
        assert im.size == image_size((0, 0, TRIM_W + 2 * BLEED, TRIM_H + 2 * BLEED), DPI / 72)


def test_encode_png_round_trips_the_pixels(tmp_path: Path) -> None:
    make_fake_build(tmp_path)
    doc = pdfium.PdfDocument(str(tmp_path / "A01.pdf"))
    img = doc[0].render(scale=50 / 72, rev_byteorder=True).to_pil().convert("RGB")
    doc.close()
    data = encode_png(img)
    assert png_size(data) == img.size
    with Image.open(io.BytesIO(data)) as back:
        assert back.mode == "RGB" and back.tobytes() == img.tobytes()
    assert encode_png(img) == data  # the same pixels, the same bytes
    assert png_size(data[:20]) is None and png_size(b"x" * 40) is None
    broken = bytearray(data)
    broken[20] ^= 1  # the header's height, under its checksum
    assert png_size(bytes(broken)) is None


@pytest.mark.parametrize("mode", ["L", "RGBA"])
def test_encode_png_takes_other_modes_as_rgb(mode: str) -> None:
    img = Image.new(mode, (7, 3), 128 if mode == "L" else (10, 20, 30, 255))
    with Image.open(io.BytesIO(encode_png(img))) as back:
        assert back.mode == "RGB" and back.tobytes() == img.convert("RGB").tobytes()
