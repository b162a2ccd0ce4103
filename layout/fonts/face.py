"""One font face: cmap, advances and ink boxes read with fontTools, once, lazily."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont


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
