"""The output folder of a build, replaced as a whole or not at all: the staging folder beside it,
the swap, the manifest of the names a build made, the lock two builds into one folder take turns
with, and the tidying of what a killed build left. Only the standard library: the whole-build
replay (layout/replay.py) publishes through these without loading the engine's stages."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from layout.diagnostics import Diagnostic, Location, OutputError, Severity

# --- the output folder: replaced as a whole or not at all ------------------------------------------
#
# A build is written into a staging folder beside the output folder (same parent, so the same file
# system) and then exchanged with it in one rename: renameat2(RENAME_EXCHANGE) on Linux swaps the
# two directory entries atomically, so a reader (the print shop's pickup, a proof viewer) sees either
# the whole previous set or the whole new one, never a mix, and a build that fails or is killed
# before the swap leaves the previous folder exactly as it was. The output path stays a real folder
# (not a symlink to a versioned one), which network shares and pickup tools handle everywhere.
# Where the kernel or file system cannot exchange, two renames are used; the moment between them is
# recovered by the next build (see recover_leftovers).
#
# Entries of the old folder that no build made (a note, a `suggest/` or `diff/` folder) are moved
# into the new one after the swap: the manifest `.layout-build.json` says which names a build made,
# so a build folder that also holds someone's PDFs never loses them. An existing folder without a
# manifest is only taken when it is empty or holds nothing but what builds write (an older build):
# a folder that is not a build's (a Desktop) is never swapped away.

MANIFEST = ".layout-build.json"
STAGING_MARK = ".layout-staging"  # in a staging folder until the moment it is swapped in
_OLD_SCHEME = (".lock",)  # hidden names builds before the manifest kept inside the folder
BUILD_NAMES = ("edition.pdf", "report.json", "proofs")  # a build's whatever the manifest says


def output_error(code: str, path: Path | str, message: str, hint: str) -> OutputError:
    return OutputError([Diagnostic(code, Severity.ERROR, message, Location(str(path)), hint=hint)])


def _os_message(err: OSError) -> str:
    return err.strerror or str(err)


@dataclass(frozen=True)
class OutputFolder:
    """Where a build goes: the folder itself (symlinks resolved: the folder they point to is what is
    replaced) and the hidden names beside it that a build uses."""

    path: Path

    @staticmethod
    def of(outdir: Path) -> OutputFolder:
        return OutputFolder(Path(os.path.realpath(os.path.abspath(outdir))))

    @property
    def parent(self) -> Path:
        return self.path.parent

    def sibling(self, what: str, pid: int | None = None) -> Path:
        return self.parent / f".{self.path.name}.{what}" if pid is None else \
            self.parent / f".{self.path.name}.{what}-{pid}"

    def leftovers(self) -> list[Path]:
        prefix = f".{self.path.name}."
        try:
            return sorted(p for p in self.parent.iterdir() if p.name.startswith(prefix)
                          and p.name[len(prefix):].split("-", 1)[0] in ("staging", "old") and p.is_dir()
                          and not p.is_symlink())
        except OSError:
            return []


def check_destination(folder: OutputFolder, edition: Path | None = None) -> None:
    """Every reason the folder cannot be replaced, found before anything is built or touched.
    Raises OutputError (exit 2) naming the path."""
    path, parent = folder.path, folder.parent
    hint_other = "name another output folder with -o"
    if path == Path(path.anchor):
        raise output_error("OUTPUT-FOLDER", path, "the root folder cannot be an output folder", hint_other)
    if os.path.lexists(path) and not path.is_dir():
        what = "a broken link" if path.is_symlink() or not path.exists() else "a file, not a folder"
        raise output_error("OUTPUT-FOLDER", path, f"the output folder {path} is {what}",
                           "remove it, or name a folder with -o")
    try:
        holds = [(Path(os.path.realpath(os.getcwd())), "the current folder")]
    except OSError:  # the current folder was deleted: it cannot be inside the output
        holds = []
    if edition is not None:
        holds.append((Path(os.path.realpath(os.path.abspath(edition))).parent, "the edition's folder"))
    for inside, what in holds:
        if inside == path or path in inside.parents:
            raise output_error("OUTPUT-FOLDER", path, f"the output folder {path} holds {what} ({inside}); a build "
                               "replaces its output folder as a whole", "give the output a folder of its own, "
                               "e.g. -o out/EDITION")
    # The parent: created if missing; it must take the staging folder and the swap.
    blocker = next((p for p in (parent, *parent.parents) if os.path.lexists(p) and not p.is_dir()), None)
    if blocker is not None:
        raise output_error("OUTPUT-FOLDER", blocker, f"{blocker} is a file, so the output folder {path} cannot be "
                           "made in it", hint_other)
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise output_error("OUTPUT-FOLDER", err.filename or parent, f"cannot create the folder "
                           f"{err.filename or parent}: {_os_message(err)}", hint_other) from None
    if not parent.is_dir():
        raise output_error("OUTPUT-FOLDER", parent, f"{parent} is not a folder", hint_other)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise output_error("OUTPUT-FOLDER", parent, f"cannot create files in {parent} (permission denied); the "
                           f"build is staged beside {path.name} and swapped in whole", hint_other)
    if path.is_dir():
        st = path.stat()
        if not os.access(path, os.W_OK | os.X_OK) or not st.st_mode & 0o222:
            raise output_error("OUTPUT-FOLDER", path, f"the output folder {path} is read-only",
                               "make it writable (chmod u+w), or name another folder with -o")
        if st.st_dev != parent.stat().st_dev:
            raise output_error("OUTPUT-FOLDER", path, f"the output folder {path} is a mount point; it cannot be "
                               "replaced as a whole", "name a folder inside it with -o")
        strangers = _not_a_build(path)
        if strangers:
            shown = ", ".join(strangers[:5]) + (f" and {len(strangers) - 5} more" if len(strangers) > 5 else "")
            raise output_error("OUTPUT-FOLDER", path, f"the folder {path} holds files no build made ({shown}); a "
                               "build replaces its output folder as a whole",
                               "name a new or empty folder, or one a build made, with -o")


# What a build folder held before builds wrote a manifest (and the folders other commands put in one).
# Page PDFs by the usual page ids (A01, B12): an advertiser's Bank.pdf makes a folder not a build's.
_BUILD_LIKE = re.compile(r"[A-Z]{1,3}[0-9]{1,3}\.pdf|edition\.pdf|report\.json|proofs|diff|suggest|\.lock|\.staging-.*")


def _not_a_build(path: Path) -> list[str]:
    """The entries of an existing folder that show it is not a build's output folder (someone's
    Desktop, a project folder): [] when it has a build's manifest, is empty or holds only what a
    build writes. Only a build's folder is replaced whole, its other entries carried over."""
    if (path / MANIFEST).is_file():
        return []
    try:
        names = sorted(p.name for p in path.iterdir())
    except OSError:
        return []
    return [n for n in names if not _BUILD_LIKE.fullmatch(n)]


def _names(folder: Path) -> set[str]:
    """The names a build made in `folder`, from its manifest (empty when there is none or it is not
    ours: then nothing in the folder is taken for a build's output but what the new build writes)."""
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    names = data.get("outputs") if isinstance(data, dict) else None
    if not isinstance(names, list):
        return set()
    return {n for n in names if isinstance(n, str) and n and "/" not in n and n not in (".", "..")}


def write_manifest(stage: Path, names) -> None:
    (stage / MANIFEST).write_text(json.dumps({"outputs": sorted(set(names))}, indent=1), "utf-8")


def _foreign(old: Path, new_names: set[str]) -> list[Path]:
    """Entries of an old output folder that no build made: they move into the new folder."""
    ours = _names(old) | new_names | {MANIFEST, STAGING_MARK, *_OLD_SCHEME, *BUILD_NAMES}
    try:
        entries = sorted(old.iterdir())
    except OSError:
        return []
    # A folder from before builds wrote a manifest: it was let through only because everything in
    # it is what builds write (check_destination), so all of it is the old build's.
    older = not (old / MANIFEST).is_file()
    return [p for p in entries if p.name not in ours and not p.name.startswith(".staging-")
            and not (older and _BUILD_LIKE.fullmatch(p.name))]


def remove_tree(path: Path) -> list[str]:
    """Delete a folder even where a subfolder was made read-only; the paths that could not be
    removed. A folder holding a mount point (another file system) is left alone: deleting through
    it would delete what is mounted there."""
    try:
        root_dev = path.lstat().st_dev
        for top, dirs, _ in os.walk(path):
            for d in dirs:
                sub = os.path.join(top, d)
                if not os.path.islink(sub) and os.lstat(sub).st_dev != root_dev:
                    return [f"{sub} (another file system is mounted there)"]
    except OSError as err:
        return [f"{path}: {_os_message(err)}"]
    failed: list[str] = []

    def retry(func, p, exc):
        try:
            os.chmod(os.path.dirname(p) or ".", 0o700)
            func(p)
        except OSError:
            failed.append(p)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:
        shutil.rmtree(path, onerror=retry)
    return failed


def _carry(old: Path, target: Path, new_names: set[str]) -> list[str]:
    """Move the foreign entries of `old` into `target` (unless `target` has the name already)."""
    problems = []
    for entry in _foreign(old, new_names):
        dest = target / entry.name
        if os.path.lexists(dest):
            continue
        try:
            os.rename(entry, dest)
        except OSError as err:
            problems.append(f"{entry}: {_os_message(err)}")
    return problems


def recover_leftovers(folder: OutputFolder) -> list[str]:
    """Clear what an interrupted build left beside the folder (called under the lock). A staging
    folder (still marked) is dropped. An unmarked one is a previous output moved aside: it goes
    back into place when the output folder is missing (a build stopped between its two renames),
    otherwise its foreign entries are carried into the output folder and it is dropped."""
    problems: list[str] = []
    for left in folder.leftovers():
        if not (left / STAGING_MARK).exists():
            if not os.path.lexists(folder.path):
                try:
                    os.rename(left, folder.path)
                    continue
                except OSError as err:
                    problems.append(f"{left}: {_os_message(err)}")
                    continue
            if folder.path.is_dir():
                problems += _carry(left, folder.path, _names(folder.path))
        problems += [f"{p}: could not be removed" for p in remove_tree(left)]
    return problems


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directory entries in one step (Linux renameat2); False where not supported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def stage_folder(folder: OutputFolder) -> Path:
    """A new, empty staging folder beside the output folder, with the output folder's permissions
    and group (so a folder shared with the print shop stays shared); writable by us while building."""
    stage = folder.sibling("staging", os.getpid())
    stage.mkdir()
    (stage / STAGING_MARK).write_bytes(b"")
    if folder.path.is_dir():
        st = folder.path.stat()
        with contextlib.suppress(OSError):
            os.chown(stage, -1, st.st_gid)
        os.chmod(stage, (st.st_mode & 0o7777) | 0o700)
    return stage


def publish(stage: Path, folder: OutputFolder, *, keep: tuple[str, ...] = ()) -> list[str]:
    """Put the finished staging folder in place of the output folder in one step. `keep`: entries
    of the old folder copied into the new one first (a live preview keeps its proof images). The
    manifest lists the new folder's own names. Returns what could not be tidied afterwards."""
    target = folder.path
    new_names = {p.name for p in stage.iterdir()} - {STAGING_MARK}
    if target.is_dir():
        for name in keep:
            src = target / name
            if src.is_dir() and not os.path.lexists(stage / name):
                shutil.copytree(src, stage / name, symlinks=True, copy_function=_link_or_copy)
                new_names.add(name)
        os.chmod(stage, target.stat().st_mode & 0o7777)
    write_manifest(stage, new_names - {MANIFEST})
    old = folder.sibling("old", os.getpid())
    # From here on the folder is a complete build: unmarked, a leftover is kept, not dropped.
    (stage / STAGING_MARK).unlink()
    if not target.is_dir():
        os.rename(stage, target)  # nothing to replace: the folder appears whole
        return []
    if _exchange(stage, target):
        # The new build is in place; from here on nothing may raise (the caller would take the
        # stage name, which now holds the previous output, for a failed build's and delete it).
        try:
            os.rename(stage, old)
        except OSError:
            old = stage  # tidied from where it is (and by the next build if not now)
    else:
        os.rename(target, old)
        try:
            os.rename(stage, target)
        except OSError:
            os.rename(old, target)  # put the previous output back: nothing was replaced
            raise
    problems = _carry(old, target, new_names)
    problems += [f"{p}: could not be removed" for p in remove_tree(old)]
    return problems


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@contextlib.contextmanager
def locked(folder: OutputFolder):
    """Hold the lock of an output folder. The lock file lives beside the folder (the folder itself
    is swapped out by the build), so two builds into one folder take turns."""
    path = folder.sibling("lock")
    try:
        lock = open(path, "a")  # noqa: SIM115 - held for the whole block
    except OSError as err:
        raise output_error("OUTPUT-FOLDER", path, f"cannot create the lock file {path}: {err.strerror or err}",
                           "name another output folder with -o") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
