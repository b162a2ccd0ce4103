"""The README's command 2 (install and run the tests) is one command that works as root on a machine
without sudo and as a user with sudo, and `.ci/run` runs exactly that command, step by step."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

from tests.robust.strategies import ROOT


def readme_command(n: int) -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    m = re.search(rf"^{n}\. .*?```sh\n\s*(.+?)\n\s*```", text, re.S | re.M)
    assert m, f"README command {n} not found"
    return m.group(1).strip()


def test_ci_runs_the_readme_command_step_by_step():
    steps = readme_command(2).split(" && ")
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    at = 0
    for step in steps:
        # the test run itself may add pytest's -q; everything else is the README's text as written
        found = next((n for n in range(at, len(lines)) if lines[n] == step or
                      (step.startswith("python -m pytest") and lines[n].startswith(step))), None)
        assert found is not None, f".ci/run does not run {step!r} (after line {at})"
        at = found + 1
    assert "apt-get update" in readme_command(2), "a fresh machine has no package lists"


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _run_with_stubs(tmp_path: Path, with_sudo: bool) -> list[str]:
    """Command 2 in a shell whose PATH has only stubs that log their calls: apt-get, python3 (whose
    `-m venv` makes an activate script putting the venv's stub pip and python first), and sudo
    when asked for. Returns the calls in order."""
    bin_, vbin, work = tmp_path / "bin", tmp_path / "vbin", tmp_path / "work"
    for folder in (bin_, vbin, work):
        folder.mkdir()
    log = tmp_path / "log"
    _stub(bin_, "apt-get", f'echo "apt-get $*" >> {log}')
    _stub(bin_, "python3", f'echo "python3 $*" >> {log}; /bin/mkdir -p .venv/bin; '
                           f'echo "PATH={vbin}:$PATH" > .venv/bin/activate')
    _stub(vbin, "pip", f'echo "pip $*" >> {log}')
    _stub(vbin, "python", f'echo "python $*" >> {log}')
    if with_sudo:
        _stub(bin_, "sudo", f'echo "sudo $1" >> {log}; "$@"')
    r = subprocess.run(["/bin/bash", "-c", readme_command(2)], cwd=work, env={"PATH": str(bin_), "HOME": str(tmp_path)},
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return log.read_text().splitlines()


def test_command_2_works_as_root_without_sudo(tmp_path):
    calls = _run_with_stubs(tmp_path, with_sudo=False)
    assert [c.split()[0] + " " + c.split()[1] for c in calls] == [
        "apt-get update", "apt-get install", "python3 -m", "pip install", "python -m"], calls
    assert "ghostscript" in calls[1] and calls[-1] == "python -m pytest -n auto"


def test_command_2_uses_sudo_where_there_is_one(tmp_path):
    calls = _run_with_stubs(tmp_path, with_sudo=True)
    assert calls[:4] == ["sudo apt-get", "apt-get update", "sudo apt-get", calls[3]], calls
    assert calls[3].startswith("apt-get install -y ") and calls[-1] == "python -m pytest -n auto"


def test_command_1_is_one_command_ending_in_a_build():
    cmd = readme_command(1)
    assert "\n" not in cmd and cmd.startswith("python3 -m venv .venv")
    assert cmd.split(" && ")[-1].startswith("layout build editions/sample.yaml")
    assert os.path.isfile(ROOT / "editions" / "sample.yaml")
