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
        # character -> keys of the faces that map it to a glyph whose outline is damaged (skipped)
        self.damaged: dict[str, list[str]] = {}
        # while not None, every character asked for (a page group's composition records what its
        # chains set, so that its damaged-glyph warnings can be given again when it comes from the cache)
        self.seen: set[str] | None = None

    @property
    def primary(self) -> Face:
        return self.faces[0]

    def resolve(self, ch: str) -> tuple[Face, int] | None:
        """The first face that has a sound glyph for `ch`, with its glyph id; None when no face has
        one. A glyph whose outline is damaged (Face.glyph_problem) would print blank or as garbage:
        the next face serves the character instead, and `damaged` records the skip."""
        if self.seen is not None:
            self.seen.add(ch)
        hit = self._memo.get(ch, False)
        if hit is False:
            hit = None
            for face in self.faces:
                gid = face.gid(ch)
                if gid is not None:
                    if face.glyph_problem(gid) is not None:
                        self.damaged.setdefault(ch, []).append(face.key)
                        continue
                    hit = (face, gid)
                    break
            self._memo[ch] = hit
        return hit

    def __repr__(self) -> str:
        return f"FontChain({self.role!r}, {[f.key for f in self.faces]})"
