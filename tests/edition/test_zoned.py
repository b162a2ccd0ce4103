"""Zoned editions: a district edition names its base and replaces some pages; built into its own
folder, the pages it does not replace are byte-identical to the base build's."""

from __future__ import annotations

import pytest

from layout.build import build, prepare
from layout.diagnostics import InputError
from tests.edition.editionkit import edition_yaml, page_ids, text_of, write_edition

ZONE = """\
zone: 江北版
base: 2026-12-01.yaml
pages:
  - page: A05
    section: 江北
    items:
      - story: jiangbei
        at: {col: 1, line: 1, cols: 8, lines: 105}
stories:
  jiangbei:
    headline: 江北區新建社區圖書館
    body: |
      江北區今天宣佈新建三座社區圖書館。
"""


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("zoned")
    base = write_edition(tmp / "editions", edition_yaml(8), name="2026-12-01.yaml")
    zone = write_edition(tmp / "editions", ZONE, name="2026-12-01-jiangbei.yaml")
    return build(base, tmp / "out" / "base", preflight=False), build(zone, tmp / "out" / "jiangbei", preflight=False)


def test_zone_pages_replace_the_base_pages(builds):
    base, zone = builds
    assert [p.page.id for p in zone.layout.pages] == page_ids({"A": 8})
    a05 = next(p for p in zone.layout.pages if p.page.id == "A05")
    assert "江北區新建社區圖書館" in text_of(a05.frame, "headline", "jiangbei")
    assert "A05　江北　江北版" in text_of(a05.frame, "folio")
    assert zone.outdir != base.outdir
    # the base story of A05 is on no page of the zone: reported with its characters, not lost
    assert any(d.code == "STORY-NOT-PLACED" and d.story == "s-A05" for d in zone.diagnostics)


def test_unchanged_pages_are_byte_identical_to_the_base_build(builds):
    base, zone = builds
    for page in page_ids({"A": 8}):
        same = (base.outdir / f"{page}.pdf").read_bytes() == (zone.outdir / f"{page}.pdf").read_bytes()
        assert same == (page != "A05"), page


def _errors(tmp_path, zone_text):
    write_edition(tmp_path, edition_yaml(8), name="2026-12-01.yaml")
    path = write_edition(tmp_path, zone_text, name="zone.yaml")
    with pytest.raises(InputError) as info:
        prepare(path)
    return info.value.diagnostics


def test_zone_replacing_a_page_the_base_lacks(tmp_path):
    d = next(d for d in _errors(tmp_path, ZONE.replace("page: A05", "page: A50")) if d.code == "ZONE-PAGE")
    assert d.location.file.endswith("zone.yaml") and d.location.line == 4 and "A05" in d.hint


def test_zone_with_a_missing_base(tmp_path):
    d = next(d for d in _errors(tmp_path, ZONE.replace("base: 2026-12-01.yaml", "base: 2026-12-02.yaml"))
             if d.code == "ZONE-BASE")
    assert d.location.line == 2


def test_zone_errors_point_into_the_right_file(tmp_path):
    errors = _errors(tmp_path, ZONE.replace("story: jiangbei\n", "story: jiangbie\n"))
    d = next(d for d in errors if d.code == "STORY-MISSING")
    assert d.location.file.endswith("zone.yaml") and "jiangbei" in d.hint


def test_a_zone_renders_only_its_own_pages_after_the_base_build(tmp_path, monkeypatch):
    """With the build cache, the zone's unchanged pages come from the base build's entries: only
    the replaced page (and the zone's edition.pdf) are rendered."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE", str(cache))
    base = write_edition(tmp_path / "editions", edition_yaml(8), name="2026-12-01.yaml")
    zone = write_edition(tmp_path / "editions", ZONE, name="2026-12-01-jiangbei.yaml")
    build(base, tmp_path / "out" / "base", preflight=False, proofs=False)
    before = set((cache / "pages").rglob("*.bin"))
    build(zone, tmp_path / "out" / "jiangbei", preflight=False, proofs=False)
    rendered = set((cache / "pages").rglob("*.bin")) - before
    assert len(rendered) == 2  # A05 and edition.pdf
