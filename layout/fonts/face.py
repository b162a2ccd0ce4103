"""One font face: cmap, advances and ink boxes read with fontTools, once, lazily."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from layout.fonts.cff import CffSource
from layout.fonts.sfnt import read_sfnt
from layout.fonts.ttf import TrueTypeSource


@dataclass(frozen=True)
class FaceSpec:
    path: Path
    index: int = 0  # face number in a collection (.ttc/.otc)


class Face:
    """A loaded face. Metrics are in em (fractions of the font size)."""

    def __init__(self, spec: FaceSpec, key: str | None = None):
        self.spec = spec
        self.font = TTFont(str(spec.path), fontNumber=spec.index, lazy=True)
        self.upem = self.font["head"].unitsPerEm
        self.key = key or self._default_key()
        self._ink: dict[int, tuple[float, float, float, float] | None] = {}

    def _default_key(self) -> str:
        name = self.font["name"].getDebugName(6) or self.spec.path.stem
        return name if self.spec.index == 0 else f"{name}"

    @cached_property
    def digest(self) -> str:
        """Content hash of the font file and face index (cache key for derived data)."""
        h = hashlib.sha256()
        with open(self.spec.path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        h.update(str(self.spec.index).encode())
        return h.hexdigest()[:16]

    @cached_property
    def cmap(self) -> dict[int, int]:
        order = self.font.getGlyphOrder()
        index = {name: gid for gid, name in enumerate(order)}
        return {cp: index[name] for cp, name in self.font.getBestCmap().items()}

    @cached_property
    def glyph_order(self) -> list[str]:
        return self.font.getGlyphOrder()

    @cached_property
    def _advances(self) -> list[int]:
        hmtx = self.font["hmtx"].metrics
        return [hmtx[name][0] for name in self.glyph_order]

    @cached_property
    def is_cff(self) -> bool:
        return "CFF " in self.font

    @cached_property
    def ascent(self) -> float:
        os2 = self.font["OS/2"]
        return os2.sTypoAscender / self.upem

    @cached_property
    def descent(self) -> float:
        os2 = self.font["OS/2"]
        return -os2.sTypoDescender / self.upem

    @cached_property
    def ps_name(self) -> str:
        """PostScript name (name ID 6), letters/digits/-/_ only: used for the PDF BaseFont."""
        raw = self.font["name"].getDebugName(6) or self.spec.path.stem
        return "".join(c for c in raw if c.isascii() and (c.isalnum() or c in "-_")) or "Font"

    @cached_property
    def bbox(self) -> tuple[float, float, float, float]:
        """Font bounding box from `head`, in em."""
        head = self.font["head"]
        return tuple(v / self.upem for v in (head.xMin, head.yMin, head.xMax, head.yMax))

    @cached_property
    def cap_height(self) -> float:
        os2 = self.font["OS/2"]
        cap = getattr(os2, "sCapHeight", 0) or os2.sTypoAscender
        return cap / self.upem

    @cached_property
    def outlines(self) -> CffSource | TrueTypeSource:
        """The outline table parsed for fast subsetting; parsed once, closures cached on it."""
        tables = read_sfnt(self.spec.path, self.spec.index)
        if tables.has("CFF "):
            return CffSource.parse(tables.table("CFF "))
        if tables.has("glyf"):
            return TrueTypeSource.parse(tables)
        raise ValueError(f"{self.spec.path}: no CFF or glyf outlines (CFF2 is not supported)")

    def subset_program(self, gids: set[int] | frozenset[int], font_name: str | None = None) -> bytes:
        """The embeddable font program holding `gids` (and .notdef) under their own glyph ids:
        a CID-keyed CFF for CFF faces, a TrueType file for glyf faces."""
        src = self.outlines
        if isinstance(src, CffSource):
            return src.subset(gids, (font_name or self.ps_name).encode("ascii"))
        return src.subset(gids)

    def gid(self, ch: str) -> int | None:
        return self.cmap.get(ord(ch))

    def has(self, ch: str) -> bool:
        return ord(ch) in self.cmap

    def advance(self, gid: int) -> float:
        return self._advances[gid] / self.upem

    def ink(self, gid: int) -> tuple[float, float, float, float] | None:
        """Ink bounding box (xmin, ymin, xmax, ymax) in em, or None for a blank glyph."""
        if gid not in self._ink:
            pen = BoundsPen(self.font.getGlyphSet())
            self.font.getGlyphSet()[self.glyph_order[gid]].draw(pen)
            b = pen.bounds
            self._ink[gid] = None if b is None else tuple(v / self.upem for v in b)
        return self._ink[gid]

    def __repr__(self) -> str:
        return f"Face({self.key!r})"
