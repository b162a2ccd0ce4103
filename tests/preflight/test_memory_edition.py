"""edition.pdf written into its file and kept in the build cache from there (issue 18: put
together in memory, the 24-page edition was held three times over, its buffer, its bytes and the
cache entry's header joined to them, 40 MB each, the build's peak): the same bytes and the same
cache entry as before. (What it saves is measured on the build: bench/README.md, VmHWM by stage.)"""

from __future__ import annotations

import io

import pikepdf

from layout.cache import BlobCache
from layout.printprofile import load_profile
from layout.render.assemble import edition_from_pages, write_edition


def _page(n: int, payload: int) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 300))
    # an incompressible stream standing in for a photo (streams are copied as they are)
    noise = bytes((i * 7919 + n * 104729) % 251 for i in range(payload))
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(
        Im0=pdf.make_stream(noise, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=payload // 4,
                            Height=1, ColorSpace=pikepdf.Name.DeviceCMYK, BitsPerComponent=8)))
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)
    return buf.getvalue()


def test_the_edition_written_into_its_file_is_the_one_made_in_memory(tmp_path):
    pages = [_page(n, 400_000) for n in range(4)]
    profile = load_profile("newsprint")
    target = tmp_path / "edition.pdf"
    write_edition(pages, target, title="T 2026-12-02", profile=profile)
    made = edition_from_pages(pages, title="T 2026-12-02", profile=profile)
    assert target.read_bytes() == made
    files = []
    for n, data in enumerate(pages):
        files.append(tmp_path / f"A{n:02d}.pdf")
        files[-1].write_bytes(data)
    from_files = tmp_path / "from-files.pdf"
    write_edition(files, from_files, title="T 2026-12-02", profile=profile)
    assert from_files.read_bytes() == made
    assert len(pikepdf.open(target).pages) == 4


def test_a_file_kept_in_the_blob_cache_is_the_entry_of_its_bytes(tmp_path):
    data = _page(1, 300_000)
    src = tmp_path / "page.pdf"
    src.write_bytes(data)
    by_bytes, by_file = BlobCache(tmp_path / "a", "pages"), BlobCache(tmp_path / "b", "pages")
    by_bytes.store("k", data)
    by_file.store_file("k", src)
    (one,) = (tmp_path / "a").rglob("*.bin")
    (other,) = (tmp_path / "b").rglob("*.bin")
    assert one.read_bytes() == other.read_bytes()
    assert by_file.load("k") == data
    by_file.store_file("gone", tmp_path / "missing.pdf")  # a file that is not there is not kept
    assert by_file.load("gone") is None
