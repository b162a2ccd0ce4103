"""The faces of the regional conventions (issue 16): what fonts/README.md says of their sizes is
what is shipped, within the issue's budget, and fonts/make_fonts.py refuses to start without its
sources, naming what is missing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

FONTS = Path(__file__).resolve().parents[2] / "fonts"
BUDGET = 20_000_000  # bytes: "the new subsets together should not add more than about 20 MB"


def _bytes(text: str, label: str) -> int:
    m = re.search(label + r"[^(]*\(([\d ]+) bytes", text)
    assert m, label
    return int(m.group(1).replace(" ", ""))


def test_the_readme_sizes_are_the_shipped_files_and_within_budget():
    readme = (FONTS / "README.md").read_text("utf-8")
    added = sum(p.stat().st_size for p in FONTS.iterdir() if "tc-" in p.name or p.suffix == ".ttf")
    sc = sum(p.stat().st_size for p in FONTS.glob("*sc-*.otf"))
    assert _bytes(readme, r"for issue 16 \(TC and Kai\)") == added
    assert _bytes(readme, "the four SC faces") == sc
    assert _bytes(readme, "Total") == added + sc
    assert added <= BUDGET


def test_every_face_make_fonts_cuts_is_shipped_and_in_the_readme_table():
    sys.path.insert(0, str(FONTS))
    try:
        import make_fonts
    finally:
        sys.path.remove(str(FONTS))
    readme = (FONTS / "README.md").read_text("utf-8")
    for name, job in make_fonts.FACES.items():
        size = (FONTS / name).stat().st_size
        row = next((ln for ln in readme.splitlines() if ln.startswith(f"| `{name}` |")), None)
        assert row is not None, name
        assert f"| {size / 1e6:.2f} MB |" in row, (name, size)
        if job.index == make_fonts.TC_INDEX:
            assert "index 3 (TC)" in row and job.repertoire == "big5"
    # the Traditional-region Black is there for the Taiwan / Hong Kong headline role
    assert make_fonts.FACES["NotoSansCJKtc-Black.otf"].source == "NotoSansCJK-Black.ttc"


def test_make_fonts_names_missing_sources_and_builds_nothing(tmp_path):
    before = {p.name: p.stat().st_mtime_ns for p in FONTS.iterdir()}
    r = subprocess.run([sys.executable, str(FONTS / "make_fonts.py"), "--noto-dir", str(tmp_path),
                        "--only", "NotoSansCJKsc-Black.otf", "LXGWWenKai-Regular.ttf"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "NotoSansCJK-Black.ttc" in r.stderr and "fonts-noto-cjk-extra" in r.stderr
    assert "--wenkai" in r.stderr and "Traceback" not in r.stderr
    assert {p.name: p.stat().st_mtime_ns for p in FONTS.iterdir()} == before
