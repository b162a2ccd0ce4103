"""Where derived data may be kept between builds ($LAYOUT_CACHE, else ~/.cache/layout; "off"
disables it), and a small store of JSON values there. The cache only saves time: an entry that
does not read back exactly is missing, and failing to write one never fails a build."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

CACHE_ENV = "LAYOUT_CACHE"
_OFF = ("off", "0", "none", "no", "false")


def cache_root() -> Path | None:
    root = os.environ.get(CACHE_ENV)
    if root is not None and root.strip().lower() in _OFF:
        return None
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = str(Path(base) / "layout")
    return Path(root)


@cache
def code_version() -> str:
    """A digest of the engine's own source: any change to it invalidates what it derived."""
    h = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class JsonCache:
    def __init__(self, folder: Path, kind: str) -> None:
        self.folder = Path(folder)
        self.kind = kind

    @staticmethod
    def default(kind: str) -> JsonCache | None:
        root = cache_root()
        return None if root is None else JsonCache(root / kind, kind)

    def _path(self, key: str) -> Path:
        name = hashlib.sha256(f"{self.kind}:{key}:{code_version()}".encode()).hexdigest()[:32]
        return self.folder / name[:2] / f"{name}.json"

    def load(self, key: str):
        try:
            entry = json.loads(self._path(key).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or entry.get("version") != code_version():
            return None
        return entry.get("value")

    def store(self, key: str, value) -> None:
        target = self._path(key)
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=target.parent, prefix=".tmp-", delete=False,
                                             encoding="utf-8") as f:
                tmp = Path(f.name)
                json.dump({"key": key, "version": code_version(), "value": value}, f, ensure_ascii=False)
            os.replace(tmp, target)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
