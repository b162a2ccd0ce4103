"""A corpus of bad inputs, one or more per class (YAML, schema, references, files, fonts, ads, content,
cache, output folders, permissions), each run through the `layout` command in a subprocess as a
user would: every case ends with a clear message (the code; file:line:column where it is about the
edition), the exit code the README promises (2 nothing built, 1 built with errors), no traceback,
and — when nothing is built — the previous good output byte for byte as it was.

The base is the small test edition (tests/data/mini) with a photo added, built once; each case
starts from a copy of that build's folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.robust.strategies import ROOT

MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"
PHOTO = ROOT / "assets" / "photos" / "lab.jpg"
PAGES = [f"A{n:02d}" for n in range(1, 13)]
A02 = "      - story: s02\n        at: {col: 1, line: 1, cols: 4, lines: 105}\n"
# The base edition: the mini edition with a photo beside the story on A02.
PHOTO_ITEM = "      - photo: {file: photos/lab.jpg, caption: 實驗室}\n        at: {col: 5, line: 1, cols: 2, lines: 20}\n"


def base_text() -> str:
    text = MINI.read_text("utf-8")
    assert A02 in text
    return text.replace(A02, A02 + PHOTO_ITEM, 1)


def write_base(folder: Path, text: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "photos").mkdir(exist_ok=True)
    shutil.copy(PHOTO, folder / "photos" / "lab.jpg")
    path = folder / "edition.yaml"
    path.write_text(base_text() if text is None else text, "utf-8")
    return path


def run(*args: str, cwd: Path = ROOT, env: dict | None = None, user: int | None = None,
        preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "layout", *args]
    if user is not None:  # as another user (the tests run as root, whom no permission stops)
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    # The build cache is on, as on a user's desk: the suite's own folder (tests/conftest.py), which
    # every case may find in any state, since a build's output is the same from any cache state
    # (the cache case below gives its own folder, and "off" for its reference). With it off, every
    # run loaded the word dictionary and planned the pages from nothing: most of this file's time.
    # Another user (setpriv) cannot write the suite's folder: those runs have the cache off.
    cache = os.environ.get("LAYOUT_CACHE", "off") if user is None else "off"
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "LAYOUT_CACHE": cache, **(env or {})}
    return subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600,
                          preexec_fn=preexec, stdin=subprocess.DEVNULL)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under `folder`: files with their bytes, folders as None."""
    out: dict[str, bytes | None] = {}
    for p in sorted(folder.rglob("*")):
        out[str(p.relative_to(folder))] = p.read_bytes() if p.is_file() and not p.is_symlink() else None
    return out


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """The base edition built once through the command: (its folder, the build's snapshot)."""
    root = tmp_path_factory.mktemp("good")
    ed = write_base(root / "ed")
    r = run("build", str(ed), "-o", str(root / "out"), "--no-proofs")
    assert r.returncode == 0, r.stderr
    shot = snapshot(root / "out")
    assert {f"{p}.pdf" for p in PAGES} | {"edition.pdf", "report.json"} <= set(shot)
    return root / "out", shot


def fresh_output(good, folder: Path) -> Path:
    out = folder / "out"
    shutil.copytree(good[0], out, symlinks=True)
    assert snapshot(out) == good[1]
    return out


def line_of(text: str, needle: str) -> int:
    return next(n for n, t in enumerate(text.splitlines(), 1) if needle in t)


def assert_clean_failure(r: subprocess.CompletedProcess, code: str, status: int) -> None:
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    assert r.returncode == status, (r.returncode, r.stderr)
    assert f"error {code}:" in r.stderr, r.stderr


# --- cases about the edition: it does not load (exit 2), the previous output stays -------------------

@dataclass(frozen=True)
class Case:
    name: str
    code: str  # the diagnostic that must be said
    mutate: Callable[[Path, str], str]  # (edition's folder, base text) -> new text; may write files
    at: str | None = None  # a piece of the new text whose line the message must name


def _sub(old: str, new: str, count: int = 1) -> Callable[[Path, str], str]:
    def mutate(folder: Path, text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)
    return mutate


def _photo_file(name: str, data: bytes | None = None, *, folder_instead: bool = False):
    def mutate(folder: Path, text: str) -> str:
        target = folder / "photos" / name
        if folder_instead:
            target.mkdir()
        elif data is not None:
            target.write_bytes(data)
        return text.replace("photos/lab.jpg", f"photos/{name}")
    return mutate


def _fifo_instead(folder: Path, text: str) -> str:
    """The edition file replaced by a named pipe no one writes (a build waited on it for ever)."""
    path = folder / "edition.yaml"
    (folder / "kept.yaml").write_text(text, "utf-8")
    path.unlink()
    os.mkfifo(path)
    return text


def _too_many_nodes(folder: Path, text: str) -> str:
    filler = "\n".join(f"  - {n}" for n in range(205_000))
    return text.replace("stories:\n", "filler:\n" + filler + "\nstories:\n", 1)


def _font(content: bytes | None):
    def mutate(folder: Path, text: str) -> str:
        if content is not None:
            (folder / "Broken.otf").write_bytes(content)
        return "fonts: {body: [{file: Broken.otf}]}\n" + text
    return mutate


def _garbage_in_cff() -> bytes:
    """The shipped body face with 64 KB of its CFF table overwritten (its checksum left as it was)."""
    from fontTools.ttLib import TTFont

    data = bytearray((ROOT / "fonts" / "NotoSerifCJKsc-Regular.otf").read_bytes())
    offset = TTFont(ROOT / "fonts" / "NotoSerifCJKsc-Regular.otf", lazy=True).reader.tables["CFF "].offset
    start = offset + 200_000
    data[start:start + 65_536] = bytes((n * 131 + 7) % 251 for n in range(65_536))
    return bytes(data)


def _font_folder(folder: Path, text: str) -> str:
    (folder / "Broken.otf").mkdir()
    return "fonts: {body: [{file: Broken.otf}]}\n" + text


def _pdf_ad(content: bytes):
    def mutate(folder: Path, text: str) -> str:
        (folder / "bank.pdf").write_bytes(content)
        text = text.replace("ads:\n", "ads:\n  bank:\n    kind: pdf\n    file: bank.pdf\n", 1)
        return text.replace(PHOTO_ITEM, "      - ad: bank\n        at: {col: 5, line: 1, cols: 2, lines: 20}\n", 1)
    return mutate


EDITION_CASES = [
    # YAML
    Case("yaml-tab", "YAML-SYNTAX", _sub("    section: 測試\n", "\tsection: 測試\n"), at="\tsection"),
    Case("yaml-unclosed-quote", "YAML-SYNTAX", _sub("headline: 簡訊", 'headline: "簡訊'), at=None),
    Case("yaml-duplicate-key", "YAML-DUPLICATE-KEY", _sub("    headline: 簡訊\n", "    headline: 簡訊\n    headline: 又\n"),
         at="headline: 又"),
    Case("yaml-tag", "YAML-TAG", _sub("headline: 簡訊", "headline: !!binary aGVsbG8="), at="!!binary"),
    Case("yaml-node-limit", "YAML-LIMIT", _too_many_nodes),
    # schema
    Case("schema-unknown-key", "EDITION-UNKNOWN-KEY", _sub("    headline: 簡訊", "    headlin: 簡訊"), at="headlin:"),
    Case("schema-type", "EDITION-TYPE", _sub("cols: 8, lines: 41}", "cols: true, lines: 41}"), at="cols: true"),
    Case("schema-date", "EDITION-DATE", _sub("date: 2026-12-01", "date: 2026-02-30"), at="date: 2026-02-30"),
    Case("schema-off-grid", "GRID-OUTSIDE", _sub("at: {col: 1, line: 1, cols: 4, lines: 105}",
                                                 "at: {col: 7, line: 1, cols: 4, lines: 105}"), at="col: 7, line: 1,"),
    # a print setting out of range in the edition's overrides: at its line (it was the file alone)
    Case("print-override-range", "PRINT-PROFILE-INVALID",
         _sub("paper: 測試晨報\n", "paper: 測試晨報\noverrides:\n  print:\n    ink_limit: -5\n"), at="ink_limit: -5"),
    Case("edition-a-pipe", "EDITION-FILE", lambda folder, text: _fifo_instead(folder, text)),
    # references
    Case("ref-teaser-story", "STORY-MISSING", _sub("teasers: [s02, s03, s05]", "teasers: [s02, s03, s55]"),
         at="s55"),
    Case("ref-jump-page", "PAGE-MISSING", _sub("jump: A04", "jump: A44"), at="jump: A44"),
    Case("ref-ad", "AD-MISSING", _sub("- ad: subscribe", "- ad: subscribbe"), at="subscribbe"),
    # files
    Case("file-missing", "FILE-MISSING", _photo_file("nosuch.jpg"), at="photos/nosuch.jpg"),
    Case("file-truncated-photo", "PHOTO-CORRUPT", _photo_file("cut.jpg", PHOTO.read_bytes()[:5000]),
         at="photos/cut.jpg"),
    Case("file-not-an-image", "PHOTO-CORRUPT", _photo_file("text.jpg", b"this is not a picture\n" * 40),
         at="photos/text.jpg"),
    Case("file-a-folder", "FILE-NOT-A-FILE", _photo_file("folder.jpg", folder_instead=True), at="photos/folder.jpg"),
    Case("file-escapes", "PATH-ESCAPE", _sub("photos/lab.jpg", "../../../../etc/hostname"), at="etc/hostname"),
    # fonts
    Case("font-missing", "FONT-FILE", _font(None), at="Broken.otf"),
    Case("font-truncated", "FONT-FILE", _font((ROOT / "fonts" / "NotoSerifCJKsc-Regular.otf").read_bytes()[:3000]),
         at="Broken.otf"),
    Case("font-garbage-cff", "FONT-FILE", _font(_garbage_in_cff()), at="Broken.otf"),
    Case("font-a-folder", "FONT-FILE", _font_folder, at="Broken.otf"),
    # ads
    Case("ad-kind", "AD-KIND", _sub("kind: box", "kind: poster"), at="kind: poster"),
    Case("ad-pdf-not-a-pdf", "AD-PDF-CORRUPT", _pdf_ad(b"GIF89a not a pdf at all"), at="bank.pdf"),
    Case("ad-pdf-truncated", "AD-PDF-CORRUPT", _pdf_ad(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"), at="bank.pdf"),
]


@pytest.mark.parametrize("case", EDITION_CASES, ids=lambda c: c.name)
def test_a_bad_edition_says_where_exits_2_and_leaves_the_output(case, good, tmp_path):
    ed = write_base(tmp_path / "ed")
    text = case.mutate(ed.parent, ed.read_text("utf-8"))
    if ed.is_file():  # (not when the case made it a pipe)
        ed.write_text(text, "utf-8")
    out = fresh_output(good, tmp_path)
    r = run("build", str(ed), "-o", str(out), "--no-proofs")
    assert_clean_failure(r, case.code, 2)
    if case.at is not None:
        assert f"edition.yaml:{line_of(text, case.at)}:" in r.stderr, r.stderr
    assert snapshot(out) == good[1], "the previous output was touched"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")
                and not p.name.endswith(".lock")], "a staging folder was left"


def test_past_the_node_limit_only_the_limit_is_said(tmp_path):
    ed = write_base(tmp_path / "ed")
    ed.write_text(_too_many_nodes(ed.parent, ed.read_text("utf-8")), "utf-8")
    r = run("check", str(ed))
    assert_clean_failure(r, "YAML-LIMIT", 2)
    said = [line for line in r.stderr.splitlines() if ": error " in line]
    assert len(said) == 1, r.stderr  # no PAGE-MISSING, no "no 'stories'", no empty duplicate keys


# --- permissions: as an ordinary user (the tests run as root, whom permissions do not stop) -------------

NOBODY = 65534


def _as_user_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="layout-perm-"))
    folder.chmod(0o755)
    return folder


def _can_switch_user() -> bool:
    return os.geteuid() == 0 and shutil.which("setpriv") is not None


@pytest.fixture
def user_folder():
    if os.geteuid() != 0:
        folder = Path(tempfile.mkdtemp(prefix="layout-perm-"))
        yield folder, None
    elif _can_switch_user():
        folder = _as_user_folder()
        yield folder, NOBODY
    else:
        pytest.skip("needs root with setpriv, or an ordinary user, to test permissions")
        return
    for p in [folder, *folder.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(folder)


def _own(paths, uid):
    if uid is not None:
        for p in paths:
            os.chown(p, uid, uid)


@pytest.mark.parametrize("what", ["photo", "ad PDF"])
def test_an_unreadable_file_is_said_as_unreadable_not_damaged(user_folder, what):
    folder, uid = user_folder
    ed = write_base(folder / "ed")
    name = "photos/lab.jpg"
    if what == "ad PDF":
        ed.write_text(_pdf_ad(b"%PDF-1.4 whatever")(ed.parent, ed.read_text("utf-8")), "utf-8")
        name = "bank.pdf"
    (ed.parent / name).chmod(0o000)
    out = folder / "out"
    out.mkdir()
    _own([folder, out], uid)
    r = run("build", str(ed), "-o", str(out), "--no-proofs", user=uid, cwd=folder)
    assert_clean_failure(r, "FILE-UNREADABLE", 2)
    assert "damaged" not in r.stderr and "ermission denied" in r.stderr
    assert f"edition.yaml:{line_of(ed.read_text('utf-8'), name)}:" in r.stderr
    assert list(out.iterdir()) == []


def test_an_unreadable_edition_is_said(user_folder):
    folder, uid = user_folder
    ed = write_base(folder / "ed")
    ed.chmod(0o000)
    _own([folder], uid)
    r = run("check", str(ed), user=uid, cwd=folder)
    assert_clean_failure(r, "EDITION-FILE", 2)
    assert "ermission denied" in r.stderr


def test_an_output_folder_in_a_folder_without_write_permission(user_folder):
    folder, uid = user_folder
    ed = write_base(folder / "ed")
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    r = run("build", str(ed), "-o", str(locked / "out"), "--no-proofs", user=uid, cwd=folder)
    assert_clean_failure(r, "OUTPUT-FOLDER", 2)
    assert str(locked) in r.stderr


# --- the output folder ------------------------------------------------------------------------------


def test_output_naming_a_file(good, tmp_path):
    ed = write_base(tmp_path / "ed")
    target = tmp_path / "A01.pdf"
    target.write_bytes(b"the print shop's file")
    r = run("build", str(ed), "-o", str(target), "--no-proofs")
    assert_clean_failure(r, "OUTPUT-FOLDER", 2)
    assert str(target) in r.stderr and target.read_bytes() == b"the print shop's file"
    r = run("build", str(ed), "-o", str(target / "sub"), "--no-proofs")
    assert_clean_failure(r, "OUTPUT-FOLDER", 2)
    assert target.read_bytes() == b"the print shop's file"


def test_output_a_read_only_folder(good, tmp_path):
    ed = write_base(tmp_path / "ed")
    out = fresh_output(good, tmp_path)
    out.chmod(0o555)
    try:
        r = run("build", str(ed), "-o", str(out), "--no-proofs")
    finally:
        out.chmod(0o755)
    assert_clean_failure(r, "OUTPUT-FOLDER", 2)
    assert "read-only" in r.stderr and snapshot(out) == good[1]


def test_output_the_editions_own_folder(tmp_path):
    ed = write_base(tmp_path / "ed")
    before = snapshot(ed.parent)
    r = run("build", str(ed), "-o", str(ed.parent), "--no-proofs")
    assert_clean_failure(r, "OUTPUT-FOLDER", 2)
    assert snapshot(ed.parent) == before


def test_a_folder_where_a_page_pdf_is_a_directory_is_replaced_whole(good, tmp_path):
    """A12.pdf a directory, A03.pdf read-only, a read-only subfolder of proofs, a note: the build
    replaces the set as a whole; the note (no build made it) is carried over."""
    ed = write_base(tmp_path / "ed", base_text().replace("paper: 測試晨報", "paper: 另一晨報", 1))
    out = fresh_output(good, tmp_path)
    (out / "A12.pdf").unlink()
    (out / "A12.pdf").mkdir()
    (out / "A12.pdf" / "inside").write_text("x")
    (out / "A03.pdf").chmod(0o444)
    (out / "proofs" / "old").mkdir(parents=True)
    (out / "proofs" / "old" / "x.png").write_bytes(b"png")
    (out / "proofs" / "old").chmod(0o555)
    (out / "notes.txt").write_text("for the night editor", "utf-8")
    r = run("build", str(ed), "-o", str(out), "--no-proofs")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert names == {f"{p}.pdf" for p in PAGES} | {"edition.pdf", "report.json", "notes.txt"}
    assert all((out / f"{p}.pdf").is_file() for p in PAGES)
    assert (out / "notes.txt").read_text("utf-8") == "for the night editor"
    assert all((out / f"{p}.pdf").read_bytes() != good[1][f"{p}.pdf"] for p in PAGES)  # all from the new build
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.") and not p.name.endswith(".lock")]


def _limit_file_size():
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))


def test_a_write_failing_midway_leaves_the_previous_output(good, tmp_path):
    """Like a full disk: every file over 60 kB fails to write; the build stops with a message naming
    the file, and the print shop's folder keeps the previous set."""
    ed = write_base(tmp_path / "ed", base_text().replace("paper: 測試晨報", "paper: 另一晨報", 1))
    out = fresh_output(good, tmp_path)
    # The cache off, as the test was written: with it on, a cache entry over the limit fails
    # first (said as OUTPUT-WRITE of the staging folder, without a page file's name).
    r = run("build", str(ed), "-o", str(out), "--no-proofs", preexec=_limit_file_size, env={"LAYOUT_CACHE": "off"})
    assert_clean_failure(r, "OUTPUT-WRITE", 2)
    assert "untouched" in r.stderr
    # the file named as the output folder's (it named the hidden staging folder, removed by then):
    # a page PDF, or the preflight's working file, written beside the page PDFs since issue 18
    named = (f"{out}: error OUTPUT-WRITE: cannot write A", f"{out}: error OUTPUT-WRITE: cannot write the build's "
             "working file .preflight-pages")
    assert any(n in r.stderr for n in named) and ".staging" not in r.stderr, r.stderr
    assert snapshot(out) == good[1]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.") and not p.name.endswith(".lock")]


# --- content: built, with errors (exit 1); warnings only with --strict --------------------------------


def test_overset_text_builds_and_exits_1(good, tmp_path):
    text = base_text().replace("at: {col: 1, line: 65, cols: 8, lines: 41}", "at: {col: 1, line: 65, cols: 1, lines: 41}")
    text = text.replace("全市今日氣溫5至12℃，陰有小雨。", "全市今日氣溫5至12℃，陰有小雨。" * 40)
    ed = write_base(tmp_path / "ed", text)
    out = tmp_path / "out"
    r = run("build", str(ed), "-o", str(out), "--no-proofs")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "overset brief" in r.stderr
    assert {f"{p}.pdf" for p in PAGES} <= {p.name for p in out.iterdir()}
    r = run("check", str(ed))
    assert r.returncode == 1 and "overset brief" in r.stderr, r.stderr


def test_a_missing_glyph_builds_and_exits_1(tmp_path):
    ed = write_base(tmp_path / "ed", base_text().replace("全市今日氣溫", "全市今日氣溫\U0002A6A5", 1))
    r = run("build", str(ed), "-o", str(tmp_path / "out"), "--no-proofs", "--no-preflight")
    assert_clean_failure(r, "FONT-MISSING-GLYPH", 1)
    assert (tmp_path / "out" / "A01.pdf").is_file()
    r = run("check", str(ed))  # was: "1 errors", exit 0
    assert_clean_failure(r, "FONT-MISSING-GLYPH", 1)


def test_a_page_that_cannot_be_laid_out_exits_1(tmp_path):
    # A page's fixed areas that cannot fit together (a story pinned over most of the page and a box
    # ad booked at a size no free area holds): reported, and the build has errors. (A page of
    # unpinned items is always laid out: issue 13.)
    booked = ("      - story: s02\n        at: {col: 1, line: 1, cols: 8, lines: 80}\n"
              "      - ad: extra-box\n        size: {cols: 8, lines: 40}\n")
    text = base_text().replace(A02 + PHOTO_ITEM, booked, 1)
    text = text.replace("ads:\n", "ads:\n  extra-box:\n    kind: box\n    title: 冬季促銷\n    lines: [全場八折]\n", 1)
    ed = write_base(tmp_path / "ed", text)
    r = run("check", str(ed))
    assert_clean_failure(r, "AUTOLAYOUT-NO-LAYOUT", 1)


def test_warnings_exit_0_and_1_with_strict(tmp_path):
    text = base_text().replace("stories:\n", "stories:\n  extra:\n    headline: 未排稿件\n    body: 一段。\n", 1)
    ed = write_base(tmp_path / "ed", text)
    r = run("check", str(ed))
    assert r.returncode == 0 and "warning STORY-" in r.stderr, r.stderr
    r = run("check", str(ed), "--strict")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    r = run("build", str(ed), "-o", str(tmp_path / "out"), "--no-proofs", "--no-preflight")
    assert r.returncode == 0, r.stderr
    r = run("build", str(ed), "-o", str(tmp_path / "out"), "--no-proofs", "--no-preflight", "--strict")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr


# --- cache: any damage to it gives the same bytes as no cache -------------------------------------------


def _damage(folder: Path) -> dict[Path, bytes]:
    """Damage every cache entry under `folder`, each a different way; what each now holds."""
    ways = [lambda b: b[: len(b) // 2], lambda b: b"", lambda b: b"\x00" * 64, lambda b: b.replace(b"1", b"2", 3),
            lambda b: b'{"key": 1, "value": []}', lambda b: b[::-1]]
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    damaged = {}
    for n, p in enumerate(files):
        damaged[p] = ways[n % len(ways)](p.read_bytes())
        p.write_bytes(damaged[p])
    return damaged


def _without_timings(shot: dict) -> dict:
    """A build's files, report.json without what differs from run to run (its timings, build time)."""
    import json

    report = json.loads(shot["report.json"])
    report.pop("timings", None)
    report.pop("build_time", None)
    return {**shot, "report.json": report}


def _engine_source() -> str:
    """The digest the cache names its entries by (layout.cache.code_version), worked out afresh."""
    from layout.cache import code_version

    code_version.cache_clear()
    return code_version()


def test_a_damaged_cache_gives_the_bytes_of_no_cache(good, tmp_path):
    # Every entry's file name has the engine's source digest in it: an edit or a merge into this
    # checkout while the test runs makes the later builds look for other names, so none of the
    # damaged entries is read again and all are "left" (the one failure seen of this test, and
    # again here by editing layout/replay.py mid-run). That run proves nothing either way.
    source = _engine_source()
    ed = write_base(tmp_path / "ed")
    cache = tmp_path / "cache"
    r = run("build", str(ed), "-o", str(tmp_path / "fill"), "--no-proofs", env={"LAYOUT_CACHE": str(cache)})
    assert r.returncode == 0, r.stderr
    damaged = _damage(cache)
    assert len(damaged) >= 2  # the photo and its file check at least
    out = tmp_path / "out"
    r = run("build", str(ed), "-o", str(out), "--no-proofs", env={"LAYOUT_CACHE": str(cache)})
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    # the reference: the same edition file (report.json names it) built with the cache off
    ref = tmp_path / "ref"
    r = run("build", str(ed), "-o", str(ref), "--no-proofs", env={"LAYOUT_CACHE": "off"})
    assert r.returncode == 0, r.stderr
    assert _without_timings(snapshot(out)) == _without_timings(snapshot(ref)), "a damaged cache changed the output"
    # each damaged entry was dropped and written again — but the whole-build replay's record of the
    # first build (keyed by its output folder, and its outputs' blobs): no build into that folder
    # came since; the next one is a real build, however the record was damaged
    left = [p for p, bad in damaged.items() if not (p.exists() and p.read_bytes() != bad)]
    if left and _engine_source() != source:
        pytest.skip("the engine's source changed while the test ran (an edit or a merge): its cache names changed")
    assert [p for p in left if p.relative_to(cache).parts[0] != "replay"] == [], left
    r = run("build", str(ed), "-o", str(tmp_path / "fill"), "--no-proofs", "--timings",
            env={"LAYOUT_CACHE": str(cache)})
    assert r.returncode == 0 and "\n  load " in r.stderr  # a real build: a damaged record is never replayed
    assert _without_timings(snapshot(tmp_path / "fill")) == _without_timings(snapshot(ref))


# --- the other commands -----------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("preflight", "/nonexistent/ad.pdf"),
    ("preflight", "{tmp}"),
    ("proof", "/nonexistent/out"),
    ("proof", "{tmp}"),
    ("diff", "/nonexistent/a", "{tmp}"),
    ("watch", "/nonexistent/ed.yaml", "--once"),
    ("suggest", "/nonexistent/ed.yaml", "A02"),
    ("check", "/nonexistent/ed.yaml"),
    ("build", "{tmp}", "-o", "{tmp}/out"),
    ("fonts", "/nonexistent/ed.yaml"),
], ids=lambda a: "-".join(a[:2]).replace("/", "_"))
def test_other_commands_say_what_is_missing_and_exit_2(args, tmp_path):
    args = tuple(a.replace("{tmp}", str(tmp_path)) for a in args)
    r = run(*args)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    assert "error" in r.stderr and any(a in r.stderr for a in args[1:]), r.stderr


@pytest.mark.parametrize("args", [
    ("proof", "OUT", "--dpi", "0"),  # an internal error (a crop outside the page)
    ("proof", "OUT", "--dpi", "100000"),  # a MemoryError, after minutes
    ("suggest", "ED", "A02", "-n", "0"),  # 'proofs: …/index.html' of no layout, exit 0
    ("suggest", "ED", "A02", "-n", "-3"),
    ("suggest", "ED", "A02", "--no-proofs", "--dpi", "0"),
], ids=lambda a: "-".join(a[:1] + a[-2:]))
def test_a_number_argument_out_of_range_is_a_usage_error(args, good, tmp_path):
    ed = write_base(tmp_path / "ed")
    args = tuple(str(good[0]) if a == "OUT" else str(ed) if a == "ED" else a for a in args)
    r = run(*args)
    assert r.returncode == 2 and "Traceback" not in r.stderr, (r.returncode, r.stderr)
    assert f"argument {args[-2]}: {args[-1]} is outside" in r.stderr, r.stderr


def test_preflight_of_a_damaged_pdf_exits_1(tmp_path):
    bad = tmp_path / "ad.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    r = run("preflight", str(bad))
    assert r.returncode == 1 and "PDF-UNREADABLE" in r.stdout and "Traceback" not in r.stderr


def test_suggest_with_an_unknown_page_exits_2(tmp_path):
    ed = write_base(tmp_path / "ed")
    r = run("suggest", str(ed), "Z99", "--no-proofs")
    assert r.returncode == 2 and "no page 'Z99'" in r.stderr and "Traceback" not in r.stderr



def test_a_photo_gone_since_loading_is_said_as_unreadable(good, tmp_path, monkeypatch):
    """An upload replaced or removed while the build runs: a message naming the photo, nothing
    replaced (in process: the file is made to vanish between loading and output)."""
    from layout.build import build
    from layout.diagnostics import OutputError
    from layout.images import ImageStore

    ed = write_base(tmp_path / "ed")
    out = fresh_output(good, tmp_path)
    gone = ed.parent / "photos" / "lab.jpg"

    def vanish(self, path, *a, **kw):
        raise FileNotFoundError(2, "No such file or directory", str(gone))

    monkeypatch.setattr(ImageStore, "prepare", vanish)
    with pytest.raises(OutputError) as err:
        build(ed, out, preflight=False)
    (d,) = err.value.diagnostics
    assert d.code == "FILE-UNREADABLE" and str(gone) in d.message
    assert snapshot(out) == good[1]


def test_a_folder_no_build_made_is_not_replaced(tmp_path):
    """`-o ~/Desktop`: a folder holding other things and no build's manifest is refused, untouched;
    an empty folder, or one holding only what builds write (an older build), is used."""
    ed = write_base(tmp_path / "ed")
    desk = tmp_path / "desk"
    (desk / "photos").mkdir(parents=True)
    (desk / "letter.odt").write_bytes(b"dear editor")
    (desk / "A01.pdf").write_bytes(b"%PDF- an older page")
    before = snapshot(desk)
    r = run("build", str(ed), "-o", str(desk), "--no-proofs", "--no-preflight")
    assert_clean_failure(r, "OUTPUT-FOLDER", 2)
    assert "letter.odt" in r.stderr and snapshot(desk) == before
    ads = tmp_path / "ads"  # an advertiser's PDFs are not pages of a build
    ads.mkdir()
    (ads / "Bank.pdf").write_bytes(b"%PDF- the bank's ad")
    r = run("build", str(ed), "-o", str(ads), "--no-proofs", "--no-preflight")
    assert_clean_failure(r, "OUTPUT-FOLDER", 2)
    assert (ads / "Bank.pdf").read_bytes() == b"%PDF- the bank's ad"
    older = tmp_path / "older"
    older.mkdir()
    (older / "A01.pdf").write_bytes(b"%PDF- an older page")
    (older / "B07.pdf").write_bytes(b"%PDF- a page of another edition")
    r = run("build", str(ed), "-o", str(older), "--no-proofs", "--no-preflight")
    assert r.returncode == 0, r.stderr
    # the older build's pages go with it: no page of another edition stays beside the new set
    assert (older / "A01.pdf").read_bytes().startswith(b"%PDF-1") and not (older / "B07.pdf").exists()


def test_a_mount_point_inside_an_old_folder_is_never_deleted_through(tmp_path, monkeypatch):
    """remove_tree stops at another file system (seen as a different st_dev)."""
    from layout import output

    folder = tmp_path / "old"
    (folder / "mnt").mkdir(parents=True)
    (folder / "mnt" / "precious").write_text("x")
    real_lstat = os.lstat

    class Other:
        def __init__(self, st):
            self.st = st

        def __getattr__(self, name):
            return getattr(self.st, name) if name != "st_dev" else self.st.st_dev + 1

    monkeypatch.setattr(output.os, "lstat", lambda p, *a, **kw: Other(real_lstat(p)) if str(p).endswith("mnt")
                        else real_lstat(p, *a, **kw))
    problems = output.remove_tree(folder)
    assert problems and "mounted" in problems[0]
    assert (folder / "mnt" / "precious").read_text() == "x"
