"""The same bytes every time: a generated edition built twice gives byte-identical PDFs, in one
process and in two processes with different PYTHONHASHSEED. The caches kept between builds are off,
so that no build replays another's results."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.build import build
from tests.robust.strategies import ROOT, editions, write_edition

_settings = dict(deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.function_scoped_fixture])


def pdfs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


@settings(max_examples=3, **_settings)
@given(ed=editions())
def test_two_builds_in_one_process_are_byte_identical(tmp_path_factory, monkeypatch, ed):
    monkeypatch.setenv("LAYOUT_CACHE", "off")  # each build computes everything: nothing is replayed
    folder = tmp_path_factory.mktemp("det")
    path = write_edition(ed, folder / "ed")
    build(path, folder / "one", preflight=False)
    build(path, folder / "two", preflight=False)
    one, two = pdfs(folder / "one"), pdfs(folder / "two")
    assert len(one) == 13
    assert one == two, [name for name in one if one[name] != two.get(name)]


# One interpreter builds several editions, so that the cross-process check costs two start-ups.
_BUILD_ALL = textwrap.dedent("""
    import sys
    from pathlib import Path
    from layout.build import build
    for edition in sys.argv[2:]:
        build(Path(edition), Path(sys.argv[1]) / Path(edition).parent.name, preflight=False)
""")


@settings(max_examples=1, **_settings)
@given(data=st.data())
def test_builds_in_processes_with_different_hash_seeds_are_byte_identical(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("seeds")
    paths = [write_edition(data.draw(editions(), label=f"edition {k}"), folder / f"ed{k}") for k in range(3)]
    outs = []
    for seed in ("0", "4242"):
        out = folder / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "LAYOUT_CACHE": "off"}
        r = subprocess.run([sys.executable, "-c", _BUILD_ALL, str(out), *map(str, paths)], cwd=ROOT, env=env,
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        outs.append(out)
    for path in paths:
        a, b = pdfs(outs[0] / path.parent.name), pdfs(outs[1] / path.parent.name)
        assert len(a) == 13
        assert a == b, (path.parent.name, [name for name in a if a[name] != b.get(name)])
