"""The edition named on the command line is read only when it is a regular file of a sane size: a
named pipe (which no one writes) blocked `layout check` for ever, /dev/zero filled the memory, and
a 60 MB file was parsed whole. Each is EDITION-FILE with the reason, at once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from layout.diagnostics import InputError
from layout.model.load import MAX_EDITION_BYTES, load_edition
from tests.robust.test_bad_inputs import ROOT


def _error(path) -> str:
    with pytest.raises(InputError) as info:
        load_edition(path)
    [d] = [d for d in info.value.diagnostics if d.code == "EDITION-FILE"]
    return d.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "edition.yaml"
    os.mkfifo(fifo)
    # in a child, so that the old behaviour (blocking in open) fails the test instead of hanging it
    code = f"from layout.model.load import load_edition\ntry:\n    load_edition({str(fifo)!r})\nexcept Exception:\n    pass"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    assert "not a regular file" in _error(fifo)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="/dev/zero")
def test_a_device_is_refused():
    assert "not a regular file" in _error("/dev/zero")


def test_a_file_past_the_size_limit_is_refused_unread(tmp_path):
    big = tmp_path / "edition.yaml"
    with open(big, "wb") as f:
        f.write(b"paper: x\n")
        f.truncate(MAX_EDITION_BYTES + 1)  # sparse: nothing of it is on the disk
    assert "is it the right file?" in _error(big)


def test_a_link_loop_and_a_pipe_named_as_files_say_what_they_are(tmp_path):
    """A photo named through links that point at each other was 'a broken link'; a named pipe
    'not a regular file (a folder?)'."""
    from layout.model.paths import resolve_file

    os.symlink(tmp_path / "b.jpg", tmp_path / "a.jpg")
    os.symlink(tmp_path / "a.jpg", tmp_path / "b.jpg")
    loop = resolve_file("a.jpg", tmp_path, ())
    assert loop.path is None and loop.problem.code == "FILE-MISSING"
    assert "loop of links" in loop.problem.message, loop.problem
    os.mkfifo(tmp_path / "pipe.jpg")
    pipe = resolve_file("pipe.jpg", tmp_path, ())
    assert pipe.problem.code == "FILE-NOT-A-FILE" and "named pipe" in pipe.problem.message, pipe.problem
    (tmp_path / "dir.jpg").mkdir()
    assert "it is a folder" in resolve_file("dir.jpg", tmp_path, ()).problem.message
