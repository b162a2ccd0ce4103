"""Fixtures for the edition loader tests; the helpers live in modelkit.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from modelkit import EditionDir, build_edition_dir


@pytest.fixture
def ed(tmp_path: Path) -> EditionDir:
    return build_edition_dir(tmp_path / "ed")
