"""Black text and rules overprint for real: OPM 1 beside /op true, so that in DeviceCMYK the
zero C, M, Y of 100 % K leave the inks below alone. Confirmed with a Ghostscript separation
render (tiffsep), summed here."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frame_pages import catalog, glyph_run, write  # noqa: E402

from layout.color import BLACK, CMYK  # noqa: E402
from layout.frames import Box, PageFrame, Rule  # noqa: E402
from layout.printprofile import load_profile  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript missing")
DPI = 72
CYAN40 = CMYK(40, 0, 0, 0)


def _plates(path: Path, tmp: Path) -> dict[str, np.ndarray]:
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{DPI}",
                    f"-sOutputFile={tmp}/o.tif", str(path)], check=True, capture_output=True, timeout=120)
    out = {}
    for plate in ("Cyan", "Magenta", "Yellow", "Black"):
        with Image.open(tmp / f"o({plate}).tif") as im:
            out[plate] = 255 - np.asarray(im.convert("L"), dtype=np.int32)
    return out


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A cyan 40 % panel with 36 pt black text and a 2 pt black rule on it, a K 30 % tint box and
    48 pt grey (K 50 %) text on the same panel (tints and greys knock out)."""
    tmp = tmp_path_factory.mktemp("overprint")
    cat = catalog()
    items = (
        Box(20, 20, 360, 260, fill=CYAN40),
        glyph_run(cat, "黑字疊印黑字疊印", 40, 90, 36, BLACK),
        Rule(40, 130, 360, 130, width=2.0, color=BLACK),
        Box(40, 180, 120, 80, fill=CMYK(0, 0, 0, 30)),
        glyph_run(cat, "灰字", 200, 250, 48, CMYK(0, 0, 0, 50)),
    )
    path = write(tmp / "op.pdf", [PageFrame("T1", 400, 300, items)], load_profile("newsprint"), cat)
    return path, _plates(path, tmp)


def test_cyan_survives_under_black_text(page):
    _, plates = page
    # Solid K pixels of the text line (rows 55..95 pt from the top, columns 40..360).
    k, c = plates["Black"][50:95, 40:360], plates["Cyan"][50:95, 40:360]
    solid = k > 250
    assert solid.sum() > 200  # the text is really there
    # Under every solid black pixel the 40 % cyan is still there (0 if the text knocked out).
    assert c[solid].min() == pytest.approx(0.40 * 255, abs=3)


def test_cyan_survives_under_black_rule(page):
    _, plates = page
    row = plates["Black"][129:131, 60:340] > 250
    assert row.any()
    assert plates["Cyan"][129:131, 60:340][row].min() == pytest.approx(0.40 * 255, abs=3)


def test_tint_boxes_knock_out(page):
    _, plates = page
    inside = (slice(190, 250), slice(50, 150))
    assert plates["Black"][inside].min() == pytest.approx(0.30 * 255, abs=3)
    assert plates["Cyan"][inside].max() == 0


def test_grey_text_knocks_out(page):
    _, plates = page
    k, c = plates["Black"][205:255, 200:300], plates["Cyan"][205:255, 200:300]
    grey = np.abs(k - 0.5 * 255) < 4
    assert grey.sum() > 100
    assert c[grey].max() == 0


def test_every_overprint_state_carries_opm_1(page):
    path, _ = page
    with pikepdf.open(path) as pdf:
        page0 = pdf.pages[0]
        states = page0.obj.Resources.ExtGState
        used = [str(ops[0]) for ops, op in pikepdf.parse_content_stream(page0) if str(op) == "gs"]
        keys = {}
        for name in used:
            for k, v in states[name].items():
                keys.setdefault(k, set()).add(bool(v) if k in ("/op", "/OP") else int(v))
        assert keys.get("/OPM") == {1}
        assert True in keys.get("/op", set()) and True in keys.get("/OP", set())
        # OPM is set before the first overprint.
        first_opm = next(i for i, n in enumerate(used) if "/OPM" in states[n])
        first_op = next(i for i, n in enumerate(used) if {"/op", "/OP"} & set(states[n].keys()))
        assert first_opm < first_op
