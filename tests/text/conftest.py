"""Fixtures: the synthetic test fonts TF / TF-TC, built once per session into a temp folder."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path

import pytest
from textkit import GOLDEN

from layout.fonts.chain import FontChain
from layout.fonts.face import Face, FaceSpec
from layout.text.compose import compose_paragraph

_BUILDER = Path(__file__).resolve().parents[1] / "fonts" / "make_test_font.py"
NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def _builder():
    spec = importlib.util.spec_from_file_location("make_test_font", _BUILDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def font_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tf")
    b = _builder()
    b.build_test_font(out / "TF.ttf", "sc")
    b.build_test_font(out / "TF-TC.ttf", "tc")
    return out


@pytest.fixture(scope="session")
def tf(font_dir) -> FontChain:
    return FontChain("body", [Face(FaceSpec(font_dir / "TF.ttf"))])


@pytest.fixture(scope="session")
def tf_tc(font_dir) -> FontChain:
    return FontChain("body", [Face(FaceSpec(font_dir / "TF-TC.ttf"))])


@pytest.fixture(scope="session")
def noto() -> FontChain:
    if not NOTO_SERIF.exists():
        pytest.skip(f"{NOTO_SERIF} is not installed")
    return FontChain("body", [Face(FaceSpec(NOTO_SERIF, 2))])


@pytest.fixture(scope="session")
def compose(tf):
    """compose(text, L, **style overrides) with the golden settings and TF."""

    def run(text: str, measure: float, chain: FontChain | None = None, **overrides):
        return compose_paragraph(text, measure, replace(GOLDEN, **overrides), chain or tf)

    return run
