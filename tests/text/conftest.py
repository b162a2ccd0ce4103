"""Fixtures: the synthetic test fonts TF / TF-TC, built once per session into a temp folder."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path

import pytest

from layout.fonts.chain import FontChain
from layout.fonts.face import Face, FaceSpec
from layout.text.compose import compose_paragraph
from layout.text.style import CompositionStyle

_BUILDER = Path(__file__).resolve().parents[1] / "fonts" / "make_test_font.py"
NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")

# The golden cases' settings (cjk-rules.md §d): quanjiao+lineend, level gb, no indent.
GOLDEN = CompositionStyle(punct_style="quanjiao+lineend", level="gb", indent=0.0, breaker="first-fit")


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


def lines_text(par) -> list[str]:
    return ["".join(g.text for g in ln.glyphs) for ln in par.lines]


def box_xs(line) -> list[float]:
    return [g.box_x for g in line.glyphs]


def gap_between(line, a: str, b: str) -> float:
    """The space between the set boxes of the adjacent glyphs `a` and `b` on a line, in em."""
    gl = list(line.glyphs)
    for g, h in zip(gl, gl[1:], strict=False):
        if g.text == a and h.text == b:
            return h.box_x - (g.box_x + g.width)
    raise AssertionError(f"{a}{b} not adjacent")
