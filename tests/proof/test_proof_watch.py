"""watch: a save of a story file triggers one rebuild that re-proofs only the changed pages."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from proof_fakebuild import make_fake_build

from layout.proof import watch
from layout.proof.watch import referenced_files

EDITION = """\
paper: 重慶晨報
date: 2026-03-04
issue: 8123
pages: []
stories:
  harbour-plan:
    headline: 港口規劃獲批
    body: text/harbour.txt
    photos:
      - file: photos/port.jpg
  inline:
    headline: 短訊
    body: 這是一段內文。
ads:
  bank:
    kind: pdf
    file: ads/bank.pdf
  gone:
    kind: pdf
    file: ads/missing.pdf
"""


def _edition(tmp_path: Path) -> Path:
    for name, text in (("text/harbour.txt", "港口規劃獲批。\n"), ("photos/port.jpg", "x"), ("ads/bank.pdf", "x")):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    edition = tmp_path / "edition.yaml"
    edition.write_text(EDITION, encoding="utf-8")
    return edition


def _bump(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()  # make sure the mtime moves even on a coarse-clock file system
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def _wait_for(cond: Callable[[], bool], limit: float = 20.0) -> bool:
    """Poll a condition; the limit only bounds a broken run, it is not a timing assertion."""
    deadline = time.monotonic() + limit
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_referenced_files(tmp_path: Path) -> None:
    edition = _edition(tmp_path)
    names = [p.relative_to(tmp_path).as_posix() for p in referenced_files(edition)]
    assert names == ["edition.yaml", "text/harbour.txt", "photos/port.jpg", "ads/bank.pdf"]


def test_referenced_files_of_broken_yaml_is_the_edition(tmp_path: Path) -> None:
    edition = tmp_path / "edition.yaml"
    edition.write_text("stories: [unclosed\n", encoding="utf-8")
    assert referenced_files(edition) == [edition]


class FakeBuild:
    """Stands in for the real build: writes a fake build dir; the story edit changes page A05."""

    def __init__(self) -> None:
        self.calls = 0
        self.started = threading.Event()

    def __call__(self, edition: Path, outdir: Path) -> list[str]:
        self.calls += 1
        text = (edition.parent / "text/harbour.txt").read_text(encoding="utf-8")
        make_fake_build(outdir, extra={"A05": f"v{len(text)}"})
        self.started.set()
        return ["A05"] if self.calls > 1 else [f"A{n:02d}" for n in range(1, 13)]


def test_watch_rebuilds_after_a_story_file_is_saved(tmp_path: Path) -> None:
    edition = _edition(tmp_path)
    outdir = tmp_path / "out"
    build = FakeBuild()
    log = io.StringIO()
    result: list = []
    t = threading.Thread(target=lambda: result.extend(watch(edition, outdir, build, interval=0.05, once=True,
                                                            out=log)))
    t.start()
    assert build.started.wait(20)
    # The watch loop is polling once it says so (after the initial proofs).
    assert _wait_for(lambda: "watching" in log.getvalue())
    before = {p.name: p.stat().st_mtime_ns for p in (outdir / "proofs").glob("A*.png")}
    assert len(before) == 12
    _bump(tmp_path / "text/harbour.txt", "港口規劃獲批，明年動工。\n")
    t.join(20)
    assert not t.is_alive()
    assert build.calls == 2
    initial, rebuild = result
    assert initial.changed_files == [] and len(initial.pages) == 12
    assert rebuild.changed_files == [tmp_path / "text/harbour.txt"] and rebuild.pages == ["A05"]
    assert rebuild.rendered == ["A05"]  # every page looked at, the changed one alone rendered
    assert rebuild.error is None
    after = {p.name: p.stat().st_mtime_ns for p in (outdir / "proofs").glob("A*.png")}
    assert [n for n in sorted(after) if after[n] != before[n]] == ["A05.png"]
    lines = log.getvalue().splitlines()
    assert any("text/harbour.txt: A05 in" in line for line in lines)


def test_watch_survives_a_failing_build_and_stops_on_request(tmp_path: Path) -> None:
    edition = _edition(tmp_path)
    stop = threading.Event()
    seen = threading.Event()

    def broken(_edition: Path, _outdir: Path) -> list[str]:
        seen.set()
        raise ValueError("edition.yaml:3:1 bad issue")

    log = io.StringIO()
    result: list = []
    t = threading.Thread(target=lambda: result.extend(
        watch(edition, tmp_path / "out", broken, interval=0.05, initial=False, stop=stop, out=log)))
    t.start()
    assert _wait_for(lambda: "watching" in log.getvalue())
    _bump(edition, EDITION.replace("8123", "8124"))
    assert seen.wait(20)
    assert _wait_for(lambda: "build failed" in log.getvalue())
    assert t.is_alive()  # the loop goes on after the failure
    stop.set()
    t.join(20)
    assert not t.is_alive()
    assert len(result) == 1 and result[0].error is not None and "bad issue" in result[0].error
    assert "build failed: edition.yaml:3:1 bad issue" in log.getvalue()
