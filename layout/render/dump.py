"""A stable text dump of a PageFrame: one line per item, positions rounded to 0.01 pt. Golden
files of whole pages are made of it, so a change of layout shows up as a readable diff."""

from __future__ import annotations

from layout.color import CMYK
from layout.frames import Box, GlyphRun, ImageItem, Mark, PageFrame, PdfItem, Rule


def _c(colour: CMYK | None) -> str:
    if colour is None:
        return "-"
    return "/".join(f"{v:g}" for v in (colour.c, colour.m, colour.y, colour.k))


def _src(item) -> str:
    s = item.source
    parts = [s.kind]
    if s.story:
        parts.append(s.story)
    if s.paragraph is not None:
        parts.append(f"p{s.paragraph}")
    return ":".join(parts)


def dump_frame(frame: PageFrame) -> str:
    out = [f"page {frame.page_id} {frame.width:.2f}x{frame.height:.2f} {'colour' if frame.colour else 'mono'}"]
    for m in frame.modules:
        notch = "" if m.notch is None else " notch {:.2f},{:.2f} {:.2f}x{:.2f}".format(*m.notch)
        out.append(f"module {m.kind} {m.ref or '-'} {m.x:.2f},{m.y:.2f} {m.w:.2f}x{m.h:.2f}{notch}")
    for item in frame.items:
        if isinstance(item, GlyphRun) and (item.vertical or item.rotated):
            # down a column (issue 16): the column's x, the first glyph's top to the last one's foot
            g0, g1 = item.glyphs[0], item.glyphs[-1]
            out.append(f"{'vtext' if item.vertical else 'rtext'} {_src(item)} {item.face} {item.size:g}pt "
                       f"{_c(item.color)} x={g0.x:.2f} y={g0.y:.2f}..{g1.y + g1.advance:.2f} {item.text}")
        elif isinstance(item, GlyphRun):
            g0, g1 = item.glyphs[0], item.glyphs[-1]
            out.append(f"text {_src(item)} {item.face} {item.size:g}pt {_c(item.color)} "
                       f"y={g0.y:.2f} x={g0.x:.2f}..{g1.x + g1.advance:.2f} {item.text}")
        elif isinstance(item, Rule):
            out.append(f"rule {_src(item)} {item.x0:.2f},{item.y0:.2f}-{item.x1:.2f},{item.y1:.2f} "
                       f"w={item.width:g} {_c(item.color)}")
        elif isinstance(item, Box):
            out.append(f"box {_src(item)} {item.x:.2f},{item.y:.2f} {item.w:.2f}x{item.h:.2f} "
                       f"fill={_c(item.fill)} stroke={_c(item.stroke)}")
        elif isinstance(item, ImageItem):
            out.append(f"image {_src(item)} {item.x:.2f},{item.y:.2f} {item.w:.2f}x{item.h:.2f} "
                       f"{item.image.split('|')[0].rsplit('/', 1)[-1]}")
        elif isinstance(item, Mark):
            along = f"{item.x:.2f}..{item.x1:.2f} y={item.y:.2f}" if item.y1 is None else \
                f"x={item.x:.2f} {item.y:.2f}..{item.y1:.2f}"  # beside vertical text
            out.append(f"mark {_src(item)} {item.kind} {along} s={item.size:.2f} {_c(item.color)}")
        elif isinstance(item, PdfItem):
            out.append(f"pdf {_src(item)} {item.x:.2f},{item.y:.2f} {item.w:.2f}x{item.h:.2f} "
                       f"{item.path.rsplit('/', 1)[-1]}")
    return "\n".join(out) + "\n"
