"""Vertical text fixtures: the shipped SC-region faces (they keep vert/vrt2, vmtx and VORG)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.fonts.chain import FontChain
from layout.fonts.face import Face, FaceSpec
from layout.text.style import CompositionStyle
from layout.text.vertical import VerticalComposer

FONTS = Path(__file__).resolve().parents[2] / "fonts"
# The golden settings of cjk-rules §d: quanjiao+lineend, level gb, no indent, first-fit.
GOLDEN = CompositionStyle(punct_style="quanjiao+lineend", level="gb", indent=0.0, breaker="first-fit")


@pytest.fixture(scope="session")
def sans() -> FontChain:
    return FontChain("headline", [Face(FaceSpec(FONTS / "NotoSansCJKsc-Bold.otf"))])


@pytest.fixture(scope="session")
def serif() -> FontChain:
    return FontChain("body", [Face(FaceSpec(FONTS / "NotoSerifCJKsc-Regular.otf"))])


@pytest.fixture(scope="session")
def serif_tc() -> FontChain:
    return FontChain("body", [Face(FaceSpec(FONTS / "NotoSerifCJKtc-Regular.otf"))])


@pytest.fixture(scope="session")
def vcomp(serif) -> VerticalComposer:
    return VerticalComposer(GOLDEN, serif)


def column_text(line) -> str:
    return "".join(g.text for g in line.glyphs)
