"""The font catalogue: roles (body, headline, ...) mapped to fallback chains of faces.

    cfg = {"body": [{"file": "NotoSerifCJKsc-Regular.otf"},
                    {"file": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "index": 2}]}
    catalog = FontCatalog.from_config(cfg)
    chain = catalog.chain("body")

Relative file names resolve against `base_dir`, or the repository's fonts/ directory. A face used
by several roles is loaded once and shared, so metrics and subsetting caches are shared too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from layout.fonts.chain import FontChain
from layout.fonts.face import Face, FaceSpec
from layout.fonts.sfnt import FontFileError, face_count

# The package lives in <repo>/layout/fonts; the shipped faces in <repo>/fonts.
FONTS_DIR = Path(__file__).resolve().parent.parent.parent / "fonts"

# The shipped faces by role, with Debian's full faces as fallback for rare characters.
_NOTO = Path("/usr/share/fonts/opentype/noto")
DEFAULT_CONFIG: dict[str, list[dict[str, Any]]] = {
    "body": [{"file": "NotoSerifCJKsc-Regular.otf"}, {"file": str(_NOTO / "NotoSerifCJK-Regular.ttc"), "index": 2}],
    "bold": [{"file": "NotoSerifCJKsc-Bold.otf"}, {"file": str(_NOTO / "NotoSerifCJK-Bold.ttc"), "index": 2}],
    "sans": [{"file": "NotoSansCJKsc-Bold.otf"}, {"file": str(_NOTO / "NotoSansCJK-Bold.ttc"), "index": 2}],
    "headline": [{"file": "NotoSansCJKsc-Black.otf"}, {"file": str(_NOTO / "NotoSansCJK-Black.ttc"), "index": 2}],
}


@dataclass(frozen=True)
class FaceRef:
    path: Path
    index: int

    @property
    def key(self) -> str:
        return f"{self.path.stem}#{self.index}" if self.index else self.path.stem


class FontCatalog:
    def __init__(self, chains: Mapping[str, FontChain], faces: Mapping[str, Face]):
        self._chains = dict(chains)
        self._faces = dict(faces)

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any], base_dir: Path | None = None) -> FontCatalog:
        """Build from {role: [{"file": str, "index": int?}, ...]}; raises ValueError on bad input."""
        if not isinstance(cfg, Mapping) or not cfg:
            raise ValueError("font config must be a non-empty mapping of role -> list of faces")
        base = Path(base_dir) if base_dir is not None else FONTS_DIR
        faces: dict[FaceRef, Face] = {}
        keys: set[str] = set()
        chains: dict[str, FontChain] = {}
        for role, entries in cfg.items():
            if not isinstance(entries, list | tuple) or not entries:
                raise ValueError(f"font role {role!r}: expected a non-empty list of faces")
            chain_faces = []
            for n, entry in enumerate(entries):
                ref = _face_ref(role, n, entry, base)
                face = faces.get(ref)
                if face is None:
                    # A face is named by its file's stem in glyph runs, caches and the PDF's font
                    # resources: two files of one name (an edition's own LXGWWenKai-Regular.ttf
                    # beside the shipped one) get distinct names, in the order the config lists them.
                    key, k = ref.key, 1
                    while key in keys:
                        k += 1
                        key = f"{ref.key}~{k}"
                    keys.add(key)
                    try:
                        face = Face(FaceSpec(ref.path, ref.index), key=key)
                    except Exception as exc:  # fontTools raises many kinds on a broken file
                        msg = str(exc) if str(exc).startswith(str(ref.path)) else f"cannot read {ref.path}: {exc}"
                        raise ValueError(f"font role {role!r}, face {n + 1}: {msg}") from exc
                    faces[ref] = face
                chain_faces.append(face)
            chains[role] = FontChain(role, chain_faces)
        return cls(chains, {f.key: f for f in faces.values()})

    @classmethod
    def default(cls) -> FontCatalog:
        """The shipped faces (fonts/) by role, with Debian's Noto collections as fallbacks when present."""
        cfg = {
            role: [e for e in entries if not Path(e["file"]).is_absolute() or Path(e["file"]).exists()]
            for role, entries in DEFAULT_CONFIG.items()
        }
        return cls.from_config(cfg)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self._chains)

    @property
    def faces(self) -> tuple[Face, ...]:
        return tuple(self._faces.values())

    def chain(self, role: str) -> FontChain:
        try:
            return self._chains[role]
        except KeyError:
            raise ValueError(f"unknown font role {role!r} (known: {', '.join(self._chains)})") from None

    def face(self, key: str) -> Face:
        try:
            return self._faces[key]
        except KeyError:
            raise ValueError(f"unknown font face {key!r} (known: {', '.join(self._faces)})") from None

    def __repr__(self) -> str:
        return f"FontCatalog({list(self._chains)})"


def _face_ref(role: str, n: int, entry: Any, base: Path) -> FaceRef:
    where = f"font role {role!r}, face {n + 1}"
    if isinstance(entry, str):
        entry = {"file": entry}
    if not isinstance(entry, Mapping) or "file" not in entry:
        raise ValueError(f"{where}: expected a mapping with 'file' (and optional 'index')")
    unknown = set(entry) - {"file", "index"}
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    raw = entry["file"]
    if isinstance(raw, bool) or not isinstance(raw, str | int | float) or not str(raw).strip():
        raise ValueError(f"{where}: 'file' must be the font file's name or path, got {raw!r}")
    path = Path(str(raw).strip()).expanduser()
    if not path.is_absolute():
        path = base / path
    index = entry.get("index", 0)
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise ValueError(f"{where}: 'index' must be a non-negative integer, got {index!r}")
    if path.is_dir():
        raise ValueError(f"{where}: {path} is a directory, not a font file")
    if not path.exists():
        raise ValueError(f"{where}: font file not found: {path}")
    if not path.is_file():
        raise ValueError(f"{where}: {path} is not a regular file (a device, pipe or socket?)")
    try:
        count = face_count(path)
    except FontFileError as exc:
        raise ValueError(f"{where}: {exc}") from exc
    except (OSError, ValueError) as exc:
        raise ValueError(f"{where}: cannot read {path}: {(exc.strerror or exc) if isinstance(exc, OSError) else exc}") from exc
    if index >= count:
        raise ValueError(f"{where}: cannot read {path}: face index {index}, but the file has {count} face(s)")
    return FaceRef(path.resolve(), index)
