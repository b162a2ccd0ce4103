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


def test_layout_diff_names_exactly_the_pages_a_story_edit_changed(tmp_path):
    """Two edits: a word in the A05 story changes A05 alone; a paragraph added near the top of the
    lead story, which jumps from A01 to A04, moves its lines on both pages."""
    import subprocess
    import sys

    from tests.e2e.conftest import ROOT

    ed = tmp_path / "mini.yaml"
    ed.write_text(MINI.read_text("utf-8"), "utf-8")
    build(ed, tmp_path / "old", preflight=False)
    text = ed.read_text("utf-8").replace("這是第5版的測試稿件", "這是第5版修改後的測試稿件")
    lead = "      本市今天發佈《人工智能產業發展三年行動計劃》，提出到2028年全市AI產業規模突破1,000億元。\n"
    assert lead in text
    text = text.replace(lead, lead + "      新增一段：全市已建成算力中心三座，總算力規模居西部前列。\n", 1)
    ed.write_text(text, "utf-8")
    build(ed, tmp_path / "new", preflight=False)
    r = subprocess.run([sys.executable, "-m", "layout", "diff", str(tmp_path / "old"), str(tmp_path / "new"),
                        "-o", str(tmp_path / "diff")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "changed pages: A01, A04, A05"
    assert sorted(p.name for p in (tmp_path / "diff").glob("*-diff.png")) == ["A01-diff.png", "A04-diff.png",
                                                                              "A05-diff.png"]
