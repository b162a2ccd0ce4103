"""A fallback chain: the faces that serve one role (body, headline, ...), tried in order."""

from __future__ import annotations

from collections.abc import Sequence

from layout.fonts.face import Face


class FontChain:
    def __init__(self, role: str, faces: Sequence[Face]):
        if not faces:
            raise ValueError(f"font role {role!r} has no faces")
        self.role = role
        self.faces = tuple(faces)
        self._memo: dict[str, tuple[Face, int] | None] = {}

    @property
    def primary(self) -> Face:
        return self.faces[0]

    def resolve(self, ch: str) -> tuple[Face, int] | None:
        """The first face that has `ch`, with its glyph id; None when no face has it."""
        hit = self._memo.get(ch, False)
        if hit is False:
            hit = None
            for face in self.faces:
                gid = face.gid(ch)
                if gid is not None:
                    hit = (face, gid)
                    break
            self._memo[ch] = hit
        return hit

    def __repr__(self) -> str:
        return f"FontChain({self.role!r}, {[f.key for f in self.faces]})"
