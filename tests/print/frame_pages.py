"""Small hand-made PageFrames rendered by the real PDF writer (layout.render.pdf), for print tests
that need to know exactly what lies under what."""

from __future__ import annotations

from pathlib import Path

from layout.color import CMYK
from layout.fonts.catalog import FONTS_DIR, FontCatalog
from layout.frames import GlyphRun, PageFrame, PlacedGlyph, Source
from layout.printprofile import PrintProfile
from layout.render.pdf import render

ROLES = {"body": "NotoSerifCJKsc-Regular.otf", "sans": "NotoSansCJKsc-Bold.otf"}


def catalog() -> FontCatalog:
    return FontCatalog.from_config({role: [{"file": f}] for role, f in ROLES.items()}, FONTS_DIR)


def glyph_run(cat: FontCatalog, text: str, x: float, y: float, size: float, colour: CMYK,
              role: str = "sans", kind: str = "body", story: str | None = None) -> GlyphRun:
    """One line of `text` from (x, baseline y), in frame coordinates (pt from the trim's top left)."""
    glyphs, face_key = [], None
    for ch in text:
        face, gid = cat.chain(role).resolve(ch)
        face_key = face.key
        adv = face.advance(gid) * size
        glyphs.append(PlacedGlyph(gid, x, y, ch, advance=adv))
        x += adv
    return GlyphRun(face_key, size, tuple(glyphs), color=colour, source=Source(story=story, kind=kind))


def write(path: Path, frames: list[PageFrame], profile: PrintProfile, cat: FontCatalog) -> Path:
    data, pending = render(frames, catalog=cat, images={}, profile=profile, title=path.stem)
    assert not pending
    path.write_bytes(data)
    return path
