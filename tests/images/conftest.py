"""Fixtures shared by the photo tests (fixtures only: helpers imported by name from a conftest
would collide with the other folders' conftest modules)."""

from __future__ import annotations

import pytest

import layout.images as images


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The photo preparations (separations) done in this process; a forked worker's calls are not
    seen here."""
    calls: list[str] = []
    real = images.prepare_photo

    def counting(path, *a, **kw):
        calls.append(str(path))
        return real(path, *a, **kw)

    monkeypatch.setattr(images, "prepare_photo", counting)
    return calls
