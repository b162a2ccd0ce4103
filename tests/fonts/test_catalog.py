"""FontCatalog: config resolution, shared faces, clear errors."""

from __future__ import annotations

import shutil

import pytest

from layout.fonts.catalog import FONTS_DIR, FontCatalog

from .helpers import DEBIAN_NOTO, SHIPPED, shipped_catalog


def test_shipped_faces_exist_and_are_small_enough():
    sizes = {name: (FONTS_DIR / name).stat().st_size for name in SHIPPED.values()}
    assert sum(sizes.values()) + sum(p.stat().st_size for p in FONTS_DIR.iterdir() if p.suffix != ".otf") < 50e6
    assert (FONTS_DIR / "LICENSE-OFL.txt").read_text().count("SIL OPEN FONT LICENSE Version 1.1") == 1


def test_roles_chains_and_shared_faces(tmp_path):
    cfg = {
        "body": [{"file": "NotoSerifCJKsc-Regular.otf"}],
        "caption": [{"file": "NotoSansCJKsc-Bold.otf"}, {"file": "NotoSerifCJKsc-Regular.otf"}],
    }
    cat = FontCatalog.from_config(cfg)
    assert cat.roles == ("body", "caption")
    body = cat.chain("body").primary
    assert cat.chain("caption").faces[1] is body  # loaded once, shared
    assert cat.face(body.key) is body
    assert len(cat.faces) == 2


def test_base_dir_and_absolute_paths(tmp_path):
    shutil.copy(FONTS_DIR / "NotoSansCJKsc-Black.otf", tmp_path / "H.otf")
    cat = FontCatalog.from_config({"h": [{"file": "H.otf"}], "b": [str(FONTS_DIR / "NotoSerifCJKsc-Bold.otf")]},
                                  base_dir=tmp_path)
    assert cat.chain("h").primary.spec.path == (tmp_path / "H.otf").resolve()
    assert cat.chain("b").primary.gid("字") is not None


@pytest.mark.skipif(not DEBIAN_NOTO.exists(), reason="fonts-noto-cjk not installed")
def test_collection_index_and_fallback():
    cat = FontCatalog.from_config(
        {"body": [{"file": "NotoSerifCJKsc-Regular.otf"}, {"file": str(DEBIAN_NOTO), "index": 2}]}
    )
    chain = cat.chain("body")
    fallback = chain.faces[1]
    assert fallback.spec.index == 2 and fallback.ps_name == "NotoSerifCJKsc-Regular"
    assert fallback.key != chain.primary.key
    # a Han character the full face has and the shipped subset (Big5 + GB 2312) lacks
    rare = next(chr(cp) for cp in sorted(fallback.cmap) if cp >= 0x4E00 and cp not in chain.primary.cmap)
    assert chain.primary.gid(rare) is None
    hit = chain.resolve(rare)
    assert hit is not None and hit[0] is fallback


@pytest.mark.parametrize(
    "cfg,message",
    [
        ({}, "non-empty mapping"),
        ({"body": []}, "non-empty list"),
        ({"body": [{"file": "missing.otf"}]}, "font file not found"),
        ({"body": [{"path": "x.otf"}]}, "expected a mapping with 'file'"),
        ({"body": [{"file": "NotoSerifCJKsc-Regular.otf", "index": -1}]}, "non-negative integer"),
        ({"body": [{"file": "NotoSerifCJKsc-Regular.otf", "index": 3}]}, "cannot read"),
        ({"body": [{"file": "NotoSerifCJKsc-Regular.otf", "size": 3}]}, "unknown key"),
        ({"body": [{"file": "README.md"}]}, "not an OpenType/TrueType font"),
    ],
)
def test_config_errors_are_value_errors(cfg, message):
    with pytest.raises(ValueError, match=message):
        FontCatalog.from_config(cfg)


def test_unknown_role_and_face():
    cat = shipped_catalog()
    with pytest.raises(ValueError, match="unknown font role 'kicker'.*body"):
        cat.chain("kicker")
    with pytest.raises(ValueError, match="unknown font face"):
        cat.face("Nope")


def test_default_catalog_has_the_four_roles():
    cat = FontCatalog.default()
    assert set(cat.roles) == {"body", "bold", "sans", "headline"}
    assert cat.chain("headline").primary.ps_name == "NotoSansCJKsc-Black"


def test_two_files_of_one_name_are_two_faces(tmp_path):
    """An edition's own LXGWWenKai-Regular.ttf (another face) for kai, beside the shipped file of
    that name for fangsong: both were named by the file's stem, so one name stood for two faces and
    writing the PDF crashed (IndexError in the text operators: one face's glyph ids measured with
    the other's advances)."""
    import io
    from pathlib import Path

    import pikepdf

    from .helpers import make_pdf
    from .make_test_font import build_test_font

    own = build_test_font(tmp_path / "LXGWWenKai-Regular.ttf")
    shipped = Path(__file__).resolve().parents[2] / "fonts" / "LXGWWenKai-Regular.ttf"
    cat = FontCatalog.from_config({"kai": [{"file": str(own)}], "fangsong": [{"file": str(shipped)}]})
    kai, fang = cat.chain("kai").faces[0], cat.chain("fangsong").faces[0]
    assert kai.key != fang.key and {kai.key, fang.key} == {f.key for f in cat.faces}
    again = FontCatalog.from_config({"kai": [{"file": str(own)}], "fangsong": [{"file": str(shipped)}]})
    assert [f.key for f in again.faces] == [f.key for f in cat.faces]  # the same names every build
    pdf = make_pdf(cat, [("kai", "國務院總理"), ("fangsong", "國務院總理研究部署")])
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages[0].Resources.Font) == 2
