"""The overprint state the page PDF holds at every paint is the one its item asks for: solid black
text, rules and dots overprint, everything else knocks out, whatever was drawn before it.

PDF's /OP also sets the fill overprint when a state has no /op, and reportlab writes a key only
when its own record changes; the writer used to let a black rule's /OP true carry into the next
tint box (a box that overprints the photo or colour below it) and a grey rule's /OP false into
black text (black that knocks out and shows a white halo when the plates slip). The content stream
is read back with pikepdf and the state followed operator by operator, as a RIP follows it."""

from __future__ import annotations

import io
import itertools
import sys
from pathlib import Path

import pikepdf
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from frame_pages import catalog, glyph_run  # noqa: E402

from layout.color import CMYK  # noqa: E402
from layout.frames import Box, Mark, PageFrame, Rule  # noqa: E402
from layout.printprofile import load_profile  # noqa: E402
from layout.render.pdf import render  # noqa: E402
from layout.units import mm  # noqa: E402

K = CMYK(0, 0, 0, 100)
GREY = CMYK(0, 0, 0, 40)
RED = CMYK(0, 100, 100, 0)
TINT = CMYK(20, 0, 60, 0)


@pytest.fixture(scope="module")
def fonts():
    return catalog()


def _paints(data: bytes) -> list[tuple[str, bool, bool]]:
    """(operator, fill overprint, stroke overprint) in effect at each painting operator."""
    pdf = pikepdf.open(io.BytesIO(data))
    page = pdf.pages[0]
    states = page.Resources.get("/ExtGState", {})
    op_fill = op_stroke = False
    stack = []
    out = []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "q":
            stack.append((op_fill, op_stroke))
        elif name == "Q":
            op_fill, op_stroke = stack.pop()
        elif name == "gs":
            gs = states[operands[0]]
            if "/OP" in gs:
                op_stroke = bool(gs.OP)
                if "/op" not in gs:
                    op_fill = op_stroke  # /op defaults to /OP
            if "/op" in gs:
                op_fill = bool(gs.op)
        elif name in ("f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "S", "s"):
            out.append((name, op_fill, op_stroke))
    return out


def _expected(item) -> list[tuple[str, bool | None, bool | None]]:
    black = lambda c: c == K  # noqa: E731 - solid black only overprints
    if isinstance(item, Rule):
        return [("S", None, black(item.color))]
    if isinstance(item, Box):
        return [("f", False, None)]
    if isinstance(item, Mark):
        return [("f", black(item.color), None)]
    return [("T", black(item.color), None)]


ITEMS = {
    "black rule": lambda f: Rule(mm(5), mm(5), mm(60), mm(5), 0.5, K),
    "grey rule": lambda f: Rule(mm(5), mm(8), mm(60), mm(8), 0.5, GREY),
    "tint box": lambda f: Box(mm(5), mm(10), mm(40), mm(10), fill=TINT),
    "grey box": lambda f: Box(mm(50), mm(10), mm(20), mm(10), fill=GREY),
    "black text": lambda f: glyph_run(f, "黑字", mm(5), mm(30), 20.0, K, kind="headline"),
    "red text": lambda f: glyph_run(f, "紅字", mm(40), mm(30), 20.0, RED, kind="headline"),
    "black dot": lambda f: Mark("dot", mm(70), mm(40), size=2.0),
}


@pytest.mark.parametrize("order", list(itertools.permutations(ITEMS, 3)))
def test_every_paint_has_the_overprint_its_item_asks(fonts, order):
    items = [ITEMS[name](fonts) for name in order] * 2
    data, _ = render([PageFrame("P", mm(100), mm(60), tuple(items))], catalog=fonts, images={},
                     profile=load_profile("newsprint"), title="T")
    paints = _paints(data)
    expected = [e for item in items for e in _expected(item)]
    assert len(paints) == len(expected), (paints, expected)
    for (op, fill, stroke), (want_op, want_fill, want_stroke), item in zip(paints, expected, items, strict=True):
        assert op.startswith(want_op[0]) or (want_op == "T" and op in ("Tj", "TJ")), (op, want_op)
        if want_fill is not None:
            assert fill == want_fill, f"{item} painted with fill overprint {fill} (order {order})"
        if want_stroke is not None:
            assert stroke == want_stroke, f"{item} stroked with overprint {stroke} (order {order})"
