"""A PDF ad's inks kept in the build cache (layout/ads/inks.py): Ghostscript rendered every PDF ad
again in every build (~0.27 s an ad) though the answer depends on the file's bytes only. Kept by
the file's content digest, checked when read back, the same answer from any cache state."""

from __future__ import annotations

import os

import pytest
from adkit import ad_pdf, needs_gs

import layout.preflight.ink as ink
from layout.ads.inks import ArtInks, InkReader, pdf_inks
from layout.cache import JsonCache
from layout.model.edition import Ad

pytestmark = needs_gs


@pytest.fixture
def renders(monkeypatch, tmp_path):
    """Ghostscript runs counted, in a cache of the test's own."""
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    calls = []
    real = ink.render_page

    def counted(path, dpi, page_index):
        calls.append(str(path))
        return real(path, dpi, page_index)

    monkeypatch.setattr(ink, "render_page", counted)
    return calls


def test_a_pdf_ad_is_rendered_once_across_builds(tmp_path, renders):
    (tmp_path / "red.pdf").write_bytes(ad_pdf(200, 100, "0 1 1 0 k"))
    (tmp_path / "black.pdf").write_bytes(ad_pdf(200, 100, "0 0 0 1 k"))
    first = [pdf_inks(tmp_path / "red.pdf"), pdf_inks(tmp_path / "black.pdf")]
    assert first == [ArtInks(("Magenta", "Yellow")), ArtInks()] and len(renders) == 2
    # the next build (a new reader, a new process as far as the reader knows): from the cache
    reader = InkReader()
    again = [reader.of(Ad("a", "pdf", file=tmp_path / "red.pdf")), reader.of(Ad("b", "pdf", file=tmp_path / "black.pdf"))]
    assert again == first and len(renders) == 2


def test_the_key_is_the_files_content(tmp_path, renders):
    art = ad_pdf(200, 100, "0 1 1 0 k")
    (tmp_path / "red.pdf").write_bytes(art)
    pdf_inks(tmp_path / "red.pdf")
    (tmp_path / "copy.pdf").write_bytes(art)  # the same bytes under another name: no render
    assert pdf_inks(tmp_path / "copy.pdf").inks == ("Magenta", "Yellow") and len(renders) == 1
    # other bytes of the same size and time under the same name: rendered again
    st = os.stat(tmp_path / "red.pdf")
    black = ad_pdf(200, 100, "0 0 0 1 k")
    assert len(black) == len(art)
    (tmp_path / "red.pdf").write_bytes(black)
    os.utime(tmp_path / "red.pdf", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert pdf_inks(tmp_path / "red.pdf").inks == () and len(renders) == 2


def test_a_damaged_entry_is_rendered_again_and_stored_good(tmp_path, renders):
    (tmp_path / "red.pdf").write_bytes(ad_pdf(200, 100, "0 1 1 0 k"))
    pdf_inks(tmp_path / "red.pdf")
    (entry,) = (tmp_path / "cache" / "ad-inks").rglob("*.json")
    entry.write_text(entry.read_text("utf-8").replace("Magenta", "Black"), "utf-8")  # its digest fails now
    assert pdf_inks(tmp_path / "red.pdf").inks == ("Magenta", "Yellow") and len(renders) == 2
    assert pdf_inks(tmp_path / "red.pdf").inks == ("Magenta", "Yellow") and len(renders) == 2  # stored again


def test_a_well_formed_entry_that_says_nonsense_is_refused():
    from layout.ads.inks import inks_entry

    assert inks_entry(["Magenta", "Yellow"]) == ArtInks(("Magenta", "Yellow"))
    assert inks_entry([]) == ArtInks()
    for bad in (["Black"], ["Yellow", "Magenta"], ["Cyan", "Cyan"], [""], "Cyan", [3], None):
        with pytest.raises(ValueError):
            inks_entry(bad)


def test_with_the_cache_off_every_read_renders_and_gives_the_same(tmp_path, renders, monkeypatch):
    (tmp_path / "red.pdf").write_bytes(ad_pdf(200, 100, "0 1 1 0 k"))
    cached = pdf_inks(tmp_path / "red.pdf")
    monkeypatch.setenv("LAYOUT_CACHE", "off")
    assert JsonCache.default("ad-inks") is None
    assert pdf_inks(tmp_path / "red.pdf") == cached and pdf_inks(tmp_path / "red.pdf") == cached
    assert len(renders) == 3


def test_an_unknown_answer_is_not_kept(tmp_path, renders, monkeypatch):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\nnot a pdf at all\n")
    assert pdf_inks(tmp_path / "bad.pdf").unknown
    assert not list((tmp_path / "cache").rglob("*.json"))
    assert pdf_inks(tmp_path / "bad.pdf").unknown and len(renders) == 2
