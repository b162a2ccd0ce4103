"""The generated edition of the ad planning tests (tests/ads/adkit.py), written once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from adkit import write_edition


@pytest.fixture(scope="session")
def edition_path(tmp_path_factory) -> Path:
    return write_edition(tmp_path_factory.mktemp("ads-edition"))
