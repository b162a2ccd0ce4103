"""The warm rebuild behind `layout watch`: only the edited story's page changes, and a preview
build leaves no edition.pdf that would not match its pages."""

from layout.build import build
from layout.watchbuild import Rebuilder
from tests.e2e.conftest import MINI


def test_a_one_story_edit_changes_only_its_page(tmp_path):
    ed = tmp_path / "mini.yaml"
    ed.write_text(MINI.read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    build(ed, out, preflight=False)  # a full build first: edition.pdf is there
    assert (out / "edition.pdf").exists()
    rebuild = Rebuilder()
    rebuild(ed, out)
    ed.write_text(ed.read_text("utf-8").replace("這是第5版的測試稿件", "這是第5版修改後的測試稿件"), "utf-8")
    assert rebuild(ed, out) == ["A05"]
    assert not (out / "edition.pdf").exists()
    assert rebuild(ed, out) == []  # nothing changed since


def test_a_warm_rebuild_gives_the_bytes_of_a_cold_build(tmp_path):
    ed = tmp_path / "mini.yaml"
    ed.write_text(MINI.read_text("utf-8"), "utf-8")
    rebuild = Rebuilder()
    rebuild(ed, tmp_path / "warm")
    ed.write_text(ed.read_text("utf-8").replace("這是第5版的測試稿件", "這是第5版修改後的測試稿件"), "utf-8")
    rebuild(ed, tmp_path / "warm")
    build(ed, tmp_path / "cold", preflight=False)
    for page in ("A01", "A05", "A12"):
        assert (tmp_path / "warm" / f"{page}.pdf").read_bytes() == (tmp_path / "cold" / f"{page}.pdf").read_bytes()
