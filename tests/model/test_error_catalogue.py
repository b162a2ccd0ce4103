"""Every diagnostic code the loader can emit is documented in docs/errors.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def emitted_codes() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "layout" / "model").glob("*.py"):
        codes |= set(re.findall(r'"([A-Z]+(?:-[A-Z0-9]+)+)"', path.read_text(encoding="utf-8")))
    return codes


def test_every_loader_code_is_documented():
    documented = set(re.findall(r"^\| `([A-Z0-9-]+)` \|", (ROOT / "docs" / "errors.md").read_text(encoding="utf-8"),
                                flags=re.M))
    assert len(emitted_codes()) > 30
    assert emitted_codes() - documented == set()
