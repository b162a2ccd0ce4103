"""Path safety for files named in an edition (story text, photos, ads).

A name is relative to the edition's folder (or, failing that, to an asset root the caller
trusts). It must stay inside that folder both as written (`..` may not climb out) and once
symbolic links are resolved (a link may not point outside). This keeps a build from reading
whatever a mistyped or malicious edition names, e.g. ../../etc/passwd.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from layout.diagnostics import did_you_mean


@dataclass(frozen=True)
class PathProblem:
    code: str  # PATH-INVALID | PATH-ESCAPE | FILE-MISSING | FILE-NOT-A-FILE
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class Resolved:
    path: Path | None  # the real file, when it is safe and exists
    problem: PathProblem | None = None


def _inside(child: str, parent: str) -> bool:
    try:
        return os.path.commonpath([child, parent]) == parent
    except ValueError:  # different drives, mixed absolute/relative
        return False


def resolve_file(raw: str, base_dir: Path, asset_roots: Sequence[Path] = ()) -> Resolved:
    """Resolve `raw` (as written in the edition) against the edition folder, then the asset
    roots; the first root where it exists wins. Never raises for bad input."""
    if not raw or not raw.strip():
        return Resolved(None, PathProblem("PATH-INVALID", "the file name is empty", "name a file, e.g. assets/photo.jpg"))
    if "\x00" in raw or any(ord(ch) < 32 for ch in raw):
        return Resolved(None, PathProblem("PATH-INVALID", f"the file name {raw!r} contains control characters"))
    roots = [Path(base_dir)] + [Path(r) for r in asset_roots]
    allowed = [os.path.abspath(r) for r in roots]
    given = Path(raw)
    # Relative to the edition's folder first, then to each asset root; a name may use '..' as long
    # as where it lands is inside one of the allowed folders (editions/../assets/x.jpg is fine).
    candidates: list[str] = []
    for root_abs in allowed:
        lexical = os.path.normpath(os.path.join(root_abs, raw))  # an absolute raw replaces root_abs
        if any(_inside(lexical, a) for a in allowed) and lexical not in candidates:
            candidates.append(lexical)
    if not candidates:
        where = "outside the edition's folder" + (" and the asset roots" if asset_roots else "")
        hint = "name files relative to the edition's folder, without '..' leaving it"
        if given.is_absolute():
            hint = "use a path relative to the edition's folder instead of an absolute one"
        return Resolved(None, PathProblem("PATH-ESCAPE", f"{raw!r} points {where}", hint))
    for lexical in candidates:
        try:
            if not os.path.lexists(lexical):
                continue
            real = os.path.realpath(lexical)
            real_roots = [os.path.realpath(r) for r in roots]
            if not any(_inside(real, r) for r in real_roots):
                return Resolved(
                    None,
                    PathProblem(
                        "PATH-ESCAPE",
                        f"{raw!r} is a link to {real}, outside the edition's folder",
                        "copy the file into the edition's folder instead of linking to it",
                    ),
                )
            if not os.path.exists(real):
                try:
                    os.stat(lexical)
                    why = "is a broken link"
                except OSError as err:  # ELOOP: links pointing at each other (realpath stops there)
                    why = ("is a link in a loop of links (each points at another)" if err.errno == errno.ELOOP
                           else "is a broken link")
                return Resolved(None, PathProblem("FILE-MISSING", f"{raw!r} {why}",
                                                  "link to the file itself, or copy the file here"))
            if not os.path.isfile(real):
                what = "a folder" if os.path.isdir(real) else "a named pipe, a device or a socket"
                return Resolved(None, PathProblem("FILE-NOT-A-FILE", f"{raw!r} is not a regular file: it is {what}"))
            return Resolved(Path(real))
        except (OSError, ValueError) as exc:  # name too long, bad encoding
            return Resolved(None, PathProblem("PATH-INVALID", f"{raw!r} cannot be used as a file name: {exc}"))
    return Resolved(None, PathProblem("FILE-MISSING", f"file {raw!r} does not exist", _nearby(raw, Path(candidates[0]))))


def _nearby(raw: str, lexical: Path) -> str:
    """A did-you-mean among the files in the folder the name points into: a Windows path's
    backslashes as slashes, a name that differs only in case (file names here are case-sensitive,
    not on the editor's Mac or PC), or the closest name."""
    if "\\" in raw:
        slashed = raw.replace("\\", "/")
        if Path(str(lexical).replace("\\", "/")).is_file():
            return f"write paths with '/', not '\\': did you mean {slashed!r}?"
    folder = lexical.parent
    try:
        names = [p.name for p in folder.iterdir()][:5000] if folder.is_dir() else []
    except OSError:
        names = []
    same = [n for n in names if n.lower() == lexical.name.lower()]
    guess = same[0] if len(same) == 1 else did_you_mean(lexical.name, names)
    if guess:
        shown = str(Path(raw).parent / guess) if Path(raw).parent != Path(".") else guess
        return f"did you mean {shown!r}?"
    return "paths are relative to the edition file's folder; check the spelling and the folder"
