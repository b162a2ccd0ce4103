"""Which faces serve which roles, and which characters no face has (FONT-MISSING-GLYPH)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from layout.diagnostics import Diagnostic, Severity
from layout.fonts.catalog import FontCatalog

Item = tuple[str, str | None, int | None, str]  # (role, story_id, paragraph_index, text)


@dataclass(frozen=True)
class MissingChar:
    char: str
    codepoint: str  # "U+XXXX"
    role: str
    story: str | None
    paragraph: int | None


@dataclass
class FontReport:
    # role -> face key -> number of distinct characters that face serves for the role
    roles: dict[str, dict[str, int]] = field(default_factory=dict)
    # face key -> the distinct characters it serves (any role), sorted
    chars: dict[str, str] = field(default_factory=dict)
    missing: list[MissingChar] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def format(self) -> str:
        """A plain-text summary: faces per role, characters per face, then each missing character."""
        lines = []
        for role, faces in self.roles.items():
            used = ", ".join(f"{key} ({n})" for key, n in faces.items() if n) or "no characters"
            lines.append(f"{role}: {used}")
        for key, chars in self.chars.items():
            lines.append(f"{key}: {len(chars)} distinct characters")
        if self.diagnostics:
            lines.append(f"{len(self.diagnostics)} missing character(s):")
            lines += [d.format() for d in self.diagnostics]
        else:
            lines.append("no missing characters")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "roles": self.roles,
            "faces": {key: {"characters": len(chars)} for key, chars in self.chars.items()},
            "missing": [m.__dict__ for m in self.missing],
        }


def _needs_glyph(ch: str) -> bool:
    # spaces become advances and format/control characters are not drawn
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")


def font_report(catalog: FontCatalog, items: Iterable[Item]) -> FontReport:
    """Resolve every character of `items` through its role's chain.

    A character no face of the chain has is reported once per (role, story, paragraph) as an
    error diagnostic FONT-MISSING-GLYPH; an unknown role raises ValueError (a bug upstream)."""
    report = FontReport()
    served: dict[str, set[str]] = {}
    per_role: dict[str, dict[str, set[str]]] = {}
    seen_missing: set[tuple[str, str, str | None, int | None]] = set()
    for role, story, paragraph, text in items:
        chain = catalog.chain(role)
        role_faces = per_role.setdefault(role, {f.key: set() for f in chain.faces})
        for ch in text:
            if not _needs_glyph(ch):
                continue
            hit = chain.resolve(ch)
            if hit is not None:
                key = hit[0].key
                role_faces[key].add(ch)
                served.setdefault(key, set()).add(ch)
                continue
            mark = (ch, role, story, paragraph)
            if mark in seen_missing:
                continue
            seen_missing.add(mark)
            cp = f"U+{ord(ch):04X}"
            name = unicodedata.name(ch, "")
            damaged = chain.damaged.get(ch, [])
            report.missing.append(MissingChar(ch, cp, role, story, paragraph))
            report.diagnostics.append(
                Diagnostic(
                    "FONT-MISSING-GLYPH",
                    Severity.ERROR,
                    f"no {role} face has {ch!r} ({cp}{' ' + name if name else ''})"
                    + (f"; the glyph of {', '.join(damaged)} is damaged" if damaged else ""),
                    hint=f"faces tried: {', '.join(f.key for f in chain.faces)}; add a fallback face "
                    "to the role or replace the character",
                    story=story,
                    paragraph=paragraph,
                )
            )
    report.diagnostics += damaged_glyph_diagnostics(catalog)
    report.roles = {role: {k: len(v) for k, v in faces.items()} for role, faces in per_role.items()}
    report.chars = {key: "".join(sorted(chars)) for key, chars in served.items()}
    return report


def damaged_glyph_diagnostics(catalog: FontCatalog) -> list[Diagnostic]:
    """FONT-GLYPH-DAMAGED, one warning per face, for the characters the chains resolved so far whose
    glyph in that face is damaged (the next face served them, or FONT-MISSING-GLYPH says none did)."""
    per_face: dict[str, set[str]] = {}
    for role in catalog.roles:
        for ch, keys in catalog.chain(role).damaged.items():
            for key in keys:
                per_face.setdefault(key, set()).add(ch)
    out = []
    for key, chars in sorted(per_face.items()):
        face = catalog.face(key)
        listed = "".join(sorted(chars))
        sample = "; ".join(f"{ch} U+{ord(ch):04X}: {face.glyph_problem(face.gid(ch))}" for ch in sorted(chars)[:3])
        out.append(Diagnostic(
            "FONT-GLYPH-DAMAGED", Severity.WARNING,
            f"{face.spec.path}: the glyphs of {len(chars)} character(s) are damaged and were not used: {listed} "
            f"({sample})",
            hint="the font file was written broken: get a sound copy of it; until then these characters come "
                 "from the next face of their role (or are reported missing)",
        ))
    return out
