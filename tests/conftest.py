"""Suite-wide set-up: derived data (prepared photos, page layouts) is cached in a folder of this
run, never in the user's ~/.cache, so the tests neither depend on nor disturb it.

Also the costly set-ups that tests in several folders need (`shared`): made once per run, not
once per test file or per pytest-xdist worker. The workers are separate processes, so what they
share is written to a folder all of them see, under a file lock: the first worker to ask makes
it, the others wait for it and read it. Only plain data is shared (pickled), read-only."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "editions" / "sample.yaml"


def pytest_configure(config):
    if "LAYOUT_CACHE" not in os.environ:
        os.environ["LAYOUT_CACHE"] = tempfile.mkdtemp(prefix="layout-test-cache-")


@pytest.fixture(scope="session")
def shared_root(tmp_path_factory) -> Path:
    """A folder of this run that every xdist worker sees: a worker's base temp is a subfolder of
    the run's (pytest-N/popen-gwK), the run's own without xdist."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared"
    root.mkdir(exist_ok=True)
    return root


@pytest.fixture(scope="session")
def shared(shared_root) -> Callable:
    """shared(name, make) -> make(folder)'s value, made once per run: `folder` is an empty folder
    of the run for files that go with the value; the value is pickled beside it for the other
    workers. A make() that fails leaves nothing behind: the next asker tries again (and fails the
    same way, in its own test)."""

    def once(name: str, make: Callable[[Path], object]):
        folder, value_file = shared_root / name, shared_root / f"{name}.pickle"
        with open(shared_root / f"{name}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if value_file.exists():
                return pickle.loads(value_file.read_bytes())
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            value = make(folder)
            partial = value_file.with_suffix(".partial")
            partial.write_bytes(pickle.dumps(value))
            partial.replace(value_file)
            return value

    return once


def sample_summary(prep) -> dict:
    """What the cache tests compare of a prepared sample: each page's text dump, every diagnostic,
    the modules the plan placed and the headline sizes it chose."""
    from layout.render.dump import dump_frame

    edition = prep.ctx.edition
    return {
        "frames": [dump_frame(p.frame) for p in prep.layout.pages],
        "said": [(d.code, d.severity.value, d.page, d.message) for d in prep.ctx.diagnostics],
        "placed": [(p.id, [(i.kind, i.ref, i.at.col, i.at.line, i.at.cols, i.at.lines) for i in p.items])
                   for p in edition.pages],
        "heads": {sid: s.headline_size for sid, s in edition.stories.items()},
    }


@pytest.fixture(scope="session")
def sample_cold(shared) -> dict:
    """The sample edition prepared twice from nothing, once per run (each costs a full plan
    search): {"off": its summary with the cache off (the optimiser's own answer), "filled": its
    summary prepared into an empty cache folder, "cache": that folder, as the run left it}. Tests
    copy the folder before they use or damage it."""
    if not SAMPLE.exists():
        pytest.skip("editions/sample.yaml is not there")

    def make(folder: Path) -> dict:
        from layout.build import prepare

        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("LAYOUT_CACHE", "off")
            off = sample_summary(prepare(SAMPLE))
            mp.setenv("LAYOUT_CACHE", str(folder))
            filled = sample_summary(prepare(SAMPLE))
        return {"off": off, "filled": filled, "cache": folder}

    return shared("sample-cold", make)
