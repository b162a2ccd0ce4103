"""A wrong print profile (a shop's file or the edition's overrides) is an input error with a clear
message and exit code 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_small_colour_text import _tabloid_edition  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _build(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "layout", "build", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


@pytest.mark.parametrize("override, code, words", [
    ("{multi_ink_text_pt: big}", "PRINT-PROFILE-INVALID", "multi_ink_text_pt must be a number"),
    # an unknown setting is refused by the loader already, where it is written
    ("{small_txt_pt: 12}", "EDITION-UNKNOWN-KEY", "small_text_pt"),
])
def test_bad_override_is_exit_2_with_the_setting_named(tmp_path, override, code, words):
    ed = _tabloid_edition(tmp_path)
    ed.write_text(ed.read_text("utf-8").replace("template: tabloid\n", f"template: tabloid\noverrides:\n"
                                                f"  print: {override}\n"), "utf-8")
    r = _build([str(ed), "-o", str(tmp_path / "out")], tmp_path)
    assert r.returncode == 2, r.stderr
    assert code in r.stderr and words in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert not (tmp_path / "out").exists()


def test_shop_profile_file_that_is_not_yaml(tmp_path):
    ed = _tabloid_edition(tmp_path)
    shop = tmp_path / "shop.yaml"
    shop.write_text("name: shop\nink_limit: [1\n")
    r = _build([str(ed), "--print", str(shop), "-o", str(tmp_path / "out")], tmp_path)
    assert r.returncode == 2, r.stderr
    assert "shop.yaml:3:1" in r.stderr and "Traceback" not in r.stderr
