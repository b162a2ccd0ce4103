"""The whole-build replay (layout/replay.py): a `layout build` whose inputs are all as a recorded
build found them gives that build's outputs again without building; any input changed — the
edition, an included text file, the template, a photo, a CSV table, a booking list, a font, an ad
PDF, a command-line option, the engine's own source — makes the next build a real one with the new
output, and so does a damaged cache entry. Each build runs as the command does (a new process), with
--timings, whose stage list says whether it was replayed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.robust.strategies import ROOT

PHOTO = ROOT / "assets" / "photos" / "b-ferry.jpg"
OTHER_PHOTO = ROOT / "assets" / "photos" / "b-court.jpg"
AD_PDF = ROOT / "assets" / "ads" / "bank-half.pdf"
KAI = ROOT / "fonts" / "LXGWWenKai-Regular.ttf"

EDITION = """\
paper: 測試晨報
date: 2026-12-01
issue: 8123
template: templates/paper.yaml
fonts:
  kai: [{file: kai.ttf}]
bookings: bookings.csv
pages:
  - page: A01
    section: 要聞
    masthead: true
    items:
      - story: lead
        at: {col: 1, line: 13, cols: 8, lines: 50}
      - table: quotes
        at: {col: 1, line: 63, cols: 8, lines: 20}
  - page: A02
    section: 測試
    items:
      - story: second
        at: {col: 1, line: 1, cols: 8, lines: 60}
stories:
  lead:
    headline: 本市人工智能再加碼
    byline: 本報記者 陳思遠
    body: lead.txt
    photos:
      - file: photo.jpg
        caption: 產業園展示中心內，市民體驗智能機器人。
        cols: 3
        lines: 24
  second:
    headline: 第二版測試稿件
    byline: 本報記者 林曉
    body: |
      這是第二版的測試稿件，用於檢查分欄和基線網格。
tables:
  quotes:
    title: 收盤行情
    file: quotes.csv
"""

TEMPLATE = """\
extends: broadsheet
name: paper
composition:
  punct_style: kaiming
"""

BOOKINGS = """\
id,advertiser,ad,size,height,page,section,side,colour,category,priority,kind,file,title,lines
bank,渝江銀行,,通欄,15,A02,,,true,,9,pdf,bank.pdf,,
"""

QUOTES = "名稱,代碼,收盤\n渝江銀行,601000,71.76\n山城啤酒,601037,\"1,185.60\"\n"
LEAD = "本市今天發佈《人工智能產業發展三年行動計劃》，提出到2028年全市AI產業規模突破1,000億元。\n" * 6


def write_edition(folder: Path) -> Path:
    """The edition and its files; it builds with one error (the booked PDF ad is deeper than its
    strip: AD-SIZE-MISMATCH) and one warning, so exit status 1 is replayed too."""
    folder.mkdir(parents=True)
    (folder / "templates").mkdir()
    (folder / "templates" / "paper.yaml").write_text(TEMPLATE, "utf-8")
    (folder / "bookings.csv").write_text(BOOKINGS, "utf-8")
    (folder / "quotes.csv").write_text(QUOTES, "utf-8")
    (folder / "lead.txt").write_text(LEAD, "utf-8")
    shutil.copy(PHOTO, folder / "photo.jpg")
    shutil.copy(AD_PDF, folder / "bank.pdf")
    shutil.copy(KAI, folder / "kai.ttf")
    path = folder / "ed.yaml"
    path.write_text(EDITION, "utf-8")
    return path


def run(edition: Path, out: Path, cache: Path | str, *extra: str, pythonpath: Path = ROOT,
        cwd: Path | None = None) -> tuple[subprocess.CompletedProcess, bool]:
    """`layout build` in a new process; (the process, whether it was a replay)."""
    env = {**os.environ, "LAYOUT_CACHE": str(cache), "PYTHONPATH": str(pythonpath)}
    done = subprocess.run([sys.executable, "-m", "layout", "build", str(edition), "-o", str(out), "--timings",
                           *extra], env=env, capture_output=True, text=True, timeout=900, cwd=cwd or ROOT)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    stages = [line.split()[0] for line in done.stderr.split("timings:")[-1].splitlines() if line.strip()]
    return done, stages[:1] == ["replay"]


def files(out: Path) -> dict[str, bytes]:
    """Every file of an output folder (report.json without its time stamps and stage times, the
    proofs' HTML without the build time it shows)."""
    found = {}
    stamp = json.loads((out / "report.json").read_text("utf-8"))["build_time"].encode()
    for p in sorted(out.rglob("*")):
        if p.is_file():
            name = p.relative_to(out).as_posix()
            data = p.read_bytes()
            if name == "report.json":
                report = json.loads(data)
                report.pop("build_time")
                report.pop("timings")
                data = json.dumps(report, sort_keys=True, ensure_ascii=False).encode()
            elif name.endswith(".html"):
                data = data.replace(stamp, b"")
            found[name] = data
    return found


def summary(done: subprocess.CompletedProcess) -> str:
    line = next(t for t in done.stdout.splitlines() if t.startswith("built "))
    return line.split(" in ")[0] + line.split(" s:", 1)[1]  # without the command's own time


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One build cache for the module: the first build of each test's edition is warm (its pages
    come from the cache), so every test pays a warm build and not a cold one."""
    root = tmp_path_factory.mktemp("replay-cache")
    ed = write_edition(root / "warm-up")
    run(ed, root / "warm-up-out", root / "cache", "--no-proofs")
    return root / "cache"


@pytest.fixture
def built(cache, tmp_path):
    """An edition built and then replayed once (so the replay is known to work for it)."""
    ed = write_edition(tmp_path / "ed")
    out = tmp_path / "out"
    first, replayed = run(ed, out, cache, "--no-proofs")
    assert not replayed
    before = files(out)
    again, replayed = run(ed, out, cache, "--no-proofs")
    assert replayed, again.stderr[-2000:]
    assert files(out) == before
    assert again.stdout.count("\n") == first.stdout.count("\n") and summary(again) == summary(first)
    assert again.stderr.split("timings:")[0] == first.stderr.split("timings:")[0]
    assert again.returncode == first.returncode
    return ed, out, before


def rebuilt(ed: Path, out: Path, cache: Path, *extra: str) -> dict[str, bytes]:
    """The next build: asserted a real one; its files."""
    done, replayed = run(ed, out, cache, "--no-proofs", *extra)
    assert not replayed, "a changed input was replayed"
    return files(out)


def test_the_replay_writes_the_same_outputs_and_a_changed_edition_builds(built, cache):
    ed, out, before = built
    ed.write_text(ed.read_text("utf-8").replace("第二版測試稿件", "第二版新的稿件"), "utf-8")
    after = rebuilt(ed, out, cache)
    assert after["A02.pdf"] != before["A02.pdf"]
    assert "第二版新的稿件" in after["report.json"].decode()


def test_an_included_text_file_rewritten_with_its_size_and_mtime_kept_builds(built, cache):
    ed, out, before = built
    text = ed.parent / "lead.txt"
    st = text.stat()
    new = LEAD.replace("人工智能", "機器學習", 1)
    assert len(new.encode()) == st.st_size
    text.write_text(new, "utf-8")
    os.utime(text, ns=(st.st_atime_ns, st.st_mtime_ns))  # the same size and mtime: only the ctime tells
    assert text.stat().st_mtime_ns == st.st_mtime_ns
    after = rebuilt(ed, out, cache)
    assert after["A01.pdf"] != before["A01.pdf"]


def test_a_changed_template_builds(built, cache):
    ed, out, before = built
    (ed.parent / "templates" / "paper.yaml").write_text(TEMPLATE.replace("kaiming", "plain"), "utf-8")
    after = rebuilt(ed, out, cache)
    assert after["A01.pdf"] != before["A01.pdf"]  # 》， set in two full ems now


def test_a_replaced_photo_builds(built, cache):
    ed, out, before = built
    shutil.copy(OTHER_PHOTO, ed.parent / "photo.jpg")
    after = rebuilt(ed, out, cache)
    assert after["A01.pdf"] != before["A01.pdf"]


def test_a_changed_csv_table_builds(built, cache):
    ed, out, before = built
    (ed.parent / "quotes.csv").write_text(QUOTES.replace("71.76", "72.01"), "utf-8")
    after = rebuilt(ed, out, cache)
    assert after["A01.pdf"] != before["A01.pdf"]


def test_a_changed_booking_list_builds(built, cache):
    ed, out, before = built
    (ed.parent / "bookings.csv").write_text(BOOKINGS.replace(",A02,", ",A01,"), "utf-8")
    after = rebuilt(ed, out, cache)
    assert json.loads(after["report.json"])["ads"] != json.loads(before["report.json"])["ads"]


def test_a_replaced_ad_pdf_opened_by_a_c_library_builds(built, cache, tmp_path):
    ed, out, before = built
    import pikepdf

    with pikepdf.open(AD_PDF) as pdf:  # the same ad with a line drawn over it
        pdf.pages[0].contents_add(pikepdf.Stream(pdf, b"q 0 0 0 1 K 2 w 10 10 m 100 100 l S Q"))
        pdf.save(tmp_path / "other.pdf")
    shutil.copy(tmp_path / "other.pdf", ed.parent / "bank.pdf")
    after = rebuilt(ed, out, cache)
    assert after["A02.pdf"] != before["A02.pdf"]


def test_a_replaced_font_builds(built, cache):
    ed, out, before = built
    shutil.copy(ROOT / "fonts" / "NotoSerifCJKtc-Regular.otf", ed.parent / "kai.ttf")
    after = rebuilt(ed, out, cache)
    assert after["A01.pdf"] != before["A01.pdf"]


def test_a_font_that_appears_where_the_build_found_none_builds(cache, tmp_path):
    """A probe, not a read: a face named by file name alone is the edition folder's file of that
    name when there is one, else the shipped one (build.py `_edition_fonts`). The build found none
    in the edition's folder; one put there makes the next build real, and set in it."""
    ed = write_edition(tmp_path / "ed")
    # both roles the template sets in this face (two files of one name in one build trip the PDF
    # writer: a defect of its own, reported)
    ed.write_text(ed.read_text("utf-8").replace(
        "kai: [{file: kai.ttf}]", f"kai: [{{file: {KAI.name}}}]\n  fangsong: [{{file: {KAI.name}}}]"), "utf-8")
    out = tmp_path / "out"
    run(ed, out, cache, "--no-proofs")
    _, replayed = run(ed, out, cache, "--no-proofs")
    assert replayed
    before = files(out)
    shutil.copy(ROOT / "fonts" / "NotoSerifCJKtc-Regular.otf", ed.parent / KAI.name)
    after = rebuilt(ed, out, cache)
    assert after["A01.pdf"] != before["A01.pdf"]


def test_a_changed_option_builds_and_each_option_replays_its_own(built, cache):
    ed, out, before = built
    after = rebuilt(ed, out, cache, "--print", "commercial")
    assert after["A01.pdf"] != before["A01.pdf"]
    done, replayed = run(ed, out, cache, "--no-proofs")  # back to the first options: its own replay
    assert replayed and files(out) == before
    done, replayed = run(ed, out, cache, "--no-proofs", "--no-preflight")
    assert not replayed
    assert json.loads(files(out)["report.json"])["preflight"] == []


def test_strict_is_applied_to_a_replayed_build(built, cache):
    ed, out, before = built
    done, replayed = run(ed, out, cache, "--no-proofs", "--strict")
    assert replayed
    assert done.returncode == 1 and "(--strict)" in done.stderr  # the sheet-of-4 warning counts now


def test_a_tampered_or_removed_output_folder_is_written_whole_again(built, cache):
    """The output folder is not an input (a build never reads it): a replay writes all of it
    again. Its files share storage with the cache's blobs, so a file edited in place damages the
    blob too, which the digest check finds: that build is real, with the same result."""
    ed, out, before = built
    (out / "A01.pdf").unlink()
    (out / "A01.pdf").write_bytes(b"replaced")
    (out / "edition.pdf").unlink()
    (out / "note.txt").write_text("the desk's note", "utf-8")  # not the build's: kept, as a build keeps it
    _, replayed = run(ed, out, cache, "--no-proofs")
    assert replayed
    after = files(out)
    assert after.pop("note.txt") == b"the desk's note"
    assert after == before
    shutil.rmtree(out)
    _, replayed = run(ed, out, cache, "--no-proofs")
    assert replayed and files(out) == before
    with open(out / "A02.pdf", "r+b") as f:  # edited in place
        f.seek(100)
        f.write(b"#")
    _, replayed = run(ed, out, cache, "--no-proofs")
    assert not replayed
    assert files(out) == before
    _, replayed = run(ed, out, cache, "--no-proofs")
    assert replayed and files(out) == before


def test_a_damaged_blob_or_manifest_means_a_real_build_with_the_right_output(built, cache):
    ed, out, before = built
    blobs = sorted((cache / "replay" / "blobs").rglob("*"))
    for blob in blobs:
        if blob.is_file() and blob.read_bytes() == before["A01.pdf"]:
            data = bytearray(blob.read_bytes())
            data[len(data) // 2] ^= 0x20
            blob.write_bytes(bytes(data))  # the output file shares it (a link): both damaged
            break
    else:
        pytest.fail("no blob holds A01.pdf")
    done, replayed = run(ed, out, cache, "--no-proofs")
    assert not replayed
    assert files(out) == before
    for manifest in (cache / "replay" / "manifests").rglob("*.json"):
        manifest.write_bytes(manifest.read_bytes()[:-5])
    done, replayed = run(ed, out, cache, "--no-proofs")
    assert not replayed
    assert files(out) == before


def test_a_change_to_the_engine_source_builds(cache, tmp_path):
    """A copy of the engine, one comment added to a module: its builds are real again."""
    engine = tmp_path / "engine"
    engine.mkdir()
    shutil.copytree(ROOT / "layout", engine / "layout", ignore=shutil.ignore_patterns("__pycache__"))
    (engine / "fonts").symlink_to(ROOT / "fonts")
    (engine / "assets").symlink_to(ROOT / "assets")
    ed = write_edition(tmp_path / "ed")
    out = tmp_path / "out"
    own = tmp_path / "cache"  # the copy's own cache: its first build is cold either way
    run(ed, out, own, "--no-proofs", "--no-preflight", pythonpath=engine, cwd=engine)
    done, replayed = run(ed, out, own, "--no-proofs", "--no-preflight", pythonpath=engine, cwd=engine)
    assert replayed
    assert f"{engine}/layout/" in subprocess.run(  # the copy is the engine these builds ran
        [sys.executable, "-c", "import layout; print(layout.__file__)"], cwd=engine, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(engine)}).stdout
    module = engine / "layout" / "units.py"
    module.write_text(module.read_text("utf-8") + "\n# a comment\n", "utf-8")
    _, replayed = run(ed, out, own, "--no-proofs", "--no-preflight", pythonpath=engine, cwd=engine)
    assert not replayed


def test_outputs_with_proofs_are_byte_identical_with_and_without_the_memo(cache, tmp_path):
    ed = write_edition(tmp_path / "ed")
    run(ed, tmp_path / "one", cache)
    _, replayed = run(ed, tmp_path / "one", cache)
    assert replayed
    run(ed, tmp_path / "off", "off")
    memo, plain = files(tmp_path / "one"), files(tmp_path / "off")
    assert any(name.startswith("proofs/") for name in memo)
    assert memo == plain, [n for n in memo if memo[n] != plain.get(n)]


def test_a_replay_loads_none_of_the_engine_s_stages(built, cache):
    """The decision and the replay run before any heavy import: no numpy, Pillow, pikepdf,
    reportlab, pypdfium2, jsonschema, YAML parser, and none of the engine's stages."""
    ed, out, before = built
    env = {**os.environ, "LAYOUT_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "layout", "build", str(ed), "-o", str(out),
                           "--no-proofs", "--timings"], env=env, capture_output=True, text=True, timeout=900,
                          cwd=ROOT)
    assert "\n  replay " in done.stderr, done.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    heavy = {"numpy", "PIL", "pikepdf", "reportlab", "pypdfium2", "jsonschema", "yaml", "ruamel", "jieba",
             "layout.build", "layout.model", "layout.fonts", "layout.render", "layout.paginate", "layout.output"}
    assert not {m for m in imported if m.split(".")[0] in heavy or m in heavy}
    assert "layout.replay" in imported
    assert files(out) == before


_OPENS = r"""
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
from layout.cli import main
code = main(sys.argv[1:])
print("OPENED", [p for p in opened if p.endswith((".ttf", ".otf", ".jpg", ".txt", ".csv"))])
"""


def test_a_replay_reads_no_font_photo_or_text_whose_stat_is_unchanged(built, cache):
    """The digest memo: files whose device, inode, size, mtime and ctime are as when they were
    hashed are not read again (the fonts alone are megabytes); a changed one is (test above)."""
    ed, out, before = built
    env = {**os.environ, "LAYOUT_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    import time

    from layout.replay import RACY_NS

    newest = max(f.stat().st_ctime_ns for f in ed.parent.rglob("*"))
    time.sleep(max(0.0, (newest + RACY_NS - time.time_ns()) / 1e9 + 0.5))  # not "just written"
    for _ in range(2):  # the first replay may still hash a file the build read when it was new
        done = subprocess.run([sys.executable, "-c", _OPENS, "build", str(ed), "-o", str(out), "--no-proofs",
                               "--timings"], env=env, capture_output=True, text=True, timeout=900, cwd=ROOT)
        assert "\n  replay " in done.stderr, done.stderr[-2000:]
    opened = [line for line in done.stdout.splitlines() if line.startswith("OPENED")][0]
    assert opened == "OPENED []", opened
    assert files(out) == before
