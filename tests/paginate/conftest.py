"""A prepared mini edition shared by the pagination tests: its context (template, grid, text
setter) sets single items (a box ad, teasers) without building pages, each test with its own
diagnostics."""

import dataclasses
from pathlib import Path

import pytest

from layout.diagnostics import Diagnostics

MINI = Path(__file__).resolve().parents[1] / "data" / "mini" / "mini.yaml"


@pytest.fixture(scope="session")
def mini_prepared():
    from layout.build import prepare

    return prepare(MINI)


@pytest.fixture
def ctx(mini_prepared):
    return dataclasses.replace(mini_prepared.ctx, diagnostics=Diagnostics())
