"""The whole-build replay: a build whose inputs are all as they were when a previous build read them
gives exactly that build's outputs, so `layout build` writes those outputs again (from the build
cache) instead of loading the edition, its fonts and its laid-out pages.

A completed build leaves a `Manifest` in $LAYOUT_CACHE/replay, found by a key naming what is not a
file: the engine's source, the Python and the installed packages, the current folder, the edition
and output paths as given, the build options (proofs, preflight, print profile, edition PDF) and
the LAYOUT_* environment. The manifest lists every path the build looked at, each with what it was
(a file's content digest, a folder's listing, a path that did not exist), the output files as
content-addressed blobs, what the command printed and its error and warning counts. The next build
with the same key checks every listed path; when all are as recorded it writes the blobs (each
checked against its digest) into a staging folder and publishes it as a build does
(layout/outfolder.py: the lock, the swap), prints the same lines and returns the same exit code.
Anything different, missing or damaged means a real build: a stale replay would be far worse than
a slow build.

What a build looked at is observed, not listed by hand (`Recorder`):
  * the "open", "os.listdir", "os.scandir" audit events of Python (sys.addaudithook): every file the
    engine or a Python library opens (fonts before they are mapped, photos through Pillow, YAML,
    CSV and text files, templates, profiles), every folder listed (glob, asset roots);
  * os.stat / os.lstat while the build runs: the probes that decide between candidate files (an
    edition's own font over a shipped one, the first asset root holding a photo), so a file that
    appears where the build found none makes the next build real;
  * forked workers (page rendering, photos) inherit both and send their paths back to the parent;
  * the files C libraries open by name, which Python does not see: SQLite databases (their own
    audit event), ad PDFs opened by pikepdf/qpdf,
    the proof label face opened by FreeType (stat first, so probed), page PDFs rasterised by pdfium
    (our own outputs), and programs run with subprocess (Ghostscript: the program file itself is an
    input, its arguments when they are files). The paths in the prepared edition (photos, ads,
    tables, texts) and every face of the font catalog are added from the build's own data too.
Not inputs: the build cache (entries only save time), the output folder and its staging/old/lock
siblings, files and folders the build itself created, the engine's own *.py files (in the key) and
the Python installation (its version and the installed distributions are in the key).

A file's digest is memoised by (device, inode, size, mtime_ns, ctime_ns), as git's index does, so
the ~100 MB of fonts are not read on every build; the ctime changes with any write or `touch`, so
a file rewritten with its old size and mtime put back is hashed again. An entry is only memoised
once its times are a few seconds old (a file written in the same tick as the hash could change
unseen).

Time stamps: report.json's build_time (and the PROOF stamp in proof.html, taken from it) say when
the outputs were computed. A replay writes the very same bytes, so they keep the original build's
time: the files are that build's. `layout build -v` says that the build was replayed and when the
original build ran; the summary line shows this command's own time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMAT = 1  # of the manifest; a different one is not read
KIND = "replay"
RACY_NS = 3_000_000_000  # a file changed this recently is hashed again next time
# Variables that only tune how a build runs (or where the cache is) are not part of the key.
REPLAY_ENV = "LAYOUT_REPLAY"  # "off": every build is a real one (the other caches still apply)
_ENV_IGNORED = ("LAYOUT_CACHE", "LAYOUT_CACHE_MAX_MB", "LAYOUT_TRACEBACK", REPLAY_ENV)
_TIMED = "\x00"  # where the summary line shows the command's time (never in a path or a message)


# --- what a path was -------------------------------------------------------------------------------


def _sig(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class DigestMemo:
    """SHA-256 of files, remembered by their stat signature between builds (one JSON file in the
    cache; a damaged one is empty)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, list] = {}
        self.dirty = False
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(path.read_bytes())
                entries = data.get("entries") if isinstance(data, dict) else None
                if isinstance(entries, dict) and data.get("format") == FORMAT \
                        and data.get("digest") == _text_digest(json.dumps(entries, sort_keys=True)):
                    self.entries = entries

    def digest(self, path: str, st: os.stat_result | None = None) -> str | None:
        """The file's content digest, or None when it cannot be read or changed while being read."""
        try:
            st = st or os.stat(path)
        except OSError:
            return None
        sig = _sig(st)
        hit = self.entries.get(path)
        if isinstance(hit, list) and len(hit) == 6 and hit[:5] == sig:
            return hit[5]
        try:
            with open(path, "rb") as f:
                before = _sig(os.fstat(f.fileno()))
                digest = hashlib.file_digest(f, "sha256").hexdigest()
                after = _sig(os.fstat(f.fileno()))
        except OSError:
            return None
        if before != sig or after != sig:
            return None  # written while we read it: nothing to trust
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
            self.entries[path] = [*sig, digest]
            self.dirty = True
        return digest

    def save(self, store: ReplayStore) -> None:
        if self.path is None or not self.dirty:
            return
        entries = self.entries
        if len(entries) > 20000:  # files of many editions: keep the memo small to read
            entries = dict(list(entries.items())[-10000:])
        text = json.dumps(entries, sort_keys=True)
        store.write(self.path, json.dumps({"format": FORMAT, "digest": _text_digest(text), "entries": entries})
                    .encode())
        self.dirty = False


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _listing(path: str, hide: str | None = None) -> list[str]:
    """A folder's names that a build can depend on: not Python's bytecode (written by imports as
    they go), nor, in the output folder's parent (`hide` is its name), the output folder and the
    build's own hidden staging, old and lock entries beside it."""
    names = [n for n in os.listdir(path) if n != "__pycache__" and not n.endswith(".pyc")]
    if hide is not None:
        names = [n for n in names if n != hide and not n.startswith(f".{hide}.")]
    return sorted(names)


def path_state(path: str, how: str, memo: DigestMemo, st: os.stat_result | None = None) -> str | None:
    """What `path` is now, as the build saw it: how="stat" (followed links: "file:<digest>", "dir",
    "absent", "other"), "lstat" (a link is "link:<target>") or "list" (a folder's names:
    "list:<digest>"). None when it cannot be told (a file being written)."""
    import stat as st_mode

    try:
        if how == "list" or how.startswith("list-except:"):
            hide = how.partition(":")[2] or None
            return "list:" + _text_digest("\n".join(_listing(path, hide)))
        if st is None:
            st = os.lstat(path) if how == "lstat" else os.stat(path)
    except FileNotFoundError:
        return "absent"
    except NotADirectoryError:
        return "absent" if not how.startswith("list") else "other"
    except OSError:
        return "other"
    if st_mode.S_ISLNK(st.st_mode):
        try:
            return "link:" + os.readlink(path)
        except OSError:
            return None
    if st_mode.S_ISDIR(st.st_mode):
        return "dir"
    if st_mode.S_ISREG(st.st_mode):
        digest = memo.digest(path, st)
        return None if digest is None else "file:" + digest
    return "other"


# --- the manifest ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """One file of the output folder: its name there (with / for proofs/...), digest, size, mode."""

    name: str
    sha256: str
    size: int
    mode: int


@dataclass
class Manifest:
    """A completed build, enough to give it again: what it looked at, what it wrote, what it said."""

    key: str
    inputs: list[tuple[str, str, str]]  # (path, how, state) — see path_state
    folders: list[str]  # the output's subfolders (proofs, proofs/...), parents first
    outputs: list[Output]
    lines: list[tuple[str, str]]  # ("out" | "err", text) the command printed; _TIMED marks the time
    progress: list[str]  # the pages in the order they were written (-v prints them)
    errors: int
    warnings: int
    built_at: str  # report.json's build_time

    def to_json(self) -> dict:
        return {"format": FORMAT, **asdict(self)}

    @staticmethod
    def from_json(data) -> Manifest:
        """The manifest in `data`; ValueError/TypeError/KeyError when it is not one."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a replay manifest")
        inputs = [(str(p), str(h), str(s)) for p, h, s in data["inputs"]]
        outputs = [Output(str(o["name"]), str(o["sha256"]), int(o["size"]), int(o["mode"])) for o in data["outputs"]]
        for o in outputs:
            parts = o.name.split("/")
            if not o.name or o.name.startswith("/") or any(p in ("", ".", "..") for p in parts) or len(o.sha256) != 64:
                raise ValueError(f"bad output {o.name!r}")
        folders = [str(f) for f in data["folders"]]
        if any(f.startswith("/") or ".." in f.split("/") for f in folders):
            raise ValueError("bad folder")
        lines = [(str(s), str(t)) for s, t in data["lines"]]
        return Manifest(str(data["key"]), inputs, folders, outputs, lines, [str(p) for p in data["progress"]],
                        int(data["errors"]), int(data["warnings"]), str(data["built_at"]))


class ReplayStore:
    """$LAYOUT_CACHE/replay: manifests by key, output blobs by content, the digest memo."""

    def __init__(self, root: Path) -> None:
        self.folder = root / KIND

    def manifest_path(self, key: str) -> Path:
        return self.folder / "manifests" / key[:2] / f"{key}.json"

    def blob_path(self, sha256: str) -> Path:
        return self.folder / "blobs" / sha256[:2] / sha256

    @property
    def memo_path(self) -> Path:
        return self.folder / "digests.json"

    def write(self, target: Path, data: bytes) -> bool:
        """Write beside and rename (a reader never sees half a file); False when it failed."""
        tmp = target.parent / f".tmp-{os.getpid()}-{threading.get_ident()}-{target.name}"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
            return True
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            return False

    def load_manifest(self, key: str) -> Manifest | None:
        path = self.manifest_path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        try:
            head, _, body = raw.partition(b"\n")
            if json.loads(head) != {"sha256": hashlib.sha256(body).hexdigest()}:
                raise ValueError("digest")
            manifest = Manifest.from_json(json.loads(body))
            if manifest.key != key:
                raise ValueError("key")
        except (ValueError, TypeError, KeyError, IndexError):
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        touch(path)
        return manifest

    def save_manifest(self, manifest: Manifest) -> bool:
        body = json.dumps(manifest.to_json(), ensure_ascii=False).encode("utf-8")
        head = json.dumps({"sha256": hashlib.sha256(body).hexdigest()}).encode()
        return self.write(self.manifest_path(manifest.key), head + b"\n" + body)

    def keep_blob(self, src: Path, sha256: str) -> bool:
        """Keep the file `src` (its digest computed by the caller) as a blob: linked when the file
        system allows (the output and the blob are then one file: an output edited in place is
        found by the digest check on the next read, which then builds for real), else copied. A
        blob already there is replaced by this one (it may have been damaged since)."""
        target = self.blob_path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.parent / f".tmp-{os.getpid()}-{sha256}"
        with contextlib.suppress(OSError):
            tmp.unlink()
        try:
            try:
                os.link(src, tmp)
            except OSError:
                import shutil

                shutil.copyfile(src, tmp)
            os.replace(tmp, target)
        except BaseException:
            # a full disk mid-copy: the part written goes (pruning never removes a .tmp- file)
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return True


def touch(path: Path) -> None:
    """Mark a cache entry as used now (the cache is pruned least recently used first)."""
    with contextlib.suppress(OSError):
        os.utime(path)


# --- the key: everything that is not a file the build reads ----------------------------------------


def _engine_digest(memo: DigestMemo) -> str:
    """A digest of the engine's *.py files (the same files as cache.code_version), memoised."""
    package = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest = memo.digest(str(path))
        h.update(f"{path.relative_to(package).as_posix()}\0{digest}\n".encode())
    return h.hexdigest()


def _python_digest() -> str:
    """The interpreter and the distributions installed where it imports from: an upgraded pikepdf,
    Pillow or pypdfium2 (their .dist-info names carry the versions) is a different build."""
    # the interpreter by its real file and its environment (`layout` runs bin/python3, `python -m
    # layout` bin/python: the same interpreter)
    exe = os.path.realpath(sys.executable)
    h = hashlib.sha256(f"{sys.version}\0{exe}\0{sys.prefix}\0{sys.platform}\n".encode())
    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".")
                           if n.endswith((".dist-info", ".egg-info", ".pth", ".egg-link")))
        except OSError:
            continue
        if names:  # folders holding no distribution (the script's or current folder) do not count:
            # `layout build` and `python -m layout build` are one build
            h.update(f"{os.path.abspath(entry or '.')}\0{chr(1).join(names)}\n".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class Request:
    """One `layout build` command: the paths as given and the options that change its outputs."""

    edition: str
    outdir: str
    options: dict = field(default_factory=dict)  # proofs, preflight, print profile, edition_pdf

    def key(self, memo: DigestMemo) -> str:
        env = {k: v for k, v in os.environ.items() if k.startswith("LAYOUT_") and k not in _ENV_IGNORED}
        try:
            cwd = os.getcwd()
        except OSError:
            cwd = None
        data = {"format": FORMAT, "engine": _engine_digest(memo), "python": _python_digest(), "cwd": cwd,
                "edition": [self.edition, os.path.abspath(self.edition)],
                "outdir": [self.outdir, os.path.realpath(os.path.abspath(self.outdir))],
                "options": self.options, "env": sorted(env.items())}
        return _text_digest(json.dumps(data, sort_keys=True, default=str))


# --- observing a build -----------------------------------------------------------------------------

_ACTIVE: Recorder | None = None  # the recording build of this process (audit hooks cannot be removed)
_HOOKED = False
_BUSY = threading.local()  # the hook's own file operations are not the build's
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "os.mkdir", "os.rename", "os.replace", "os.link",
                     "os.symlink", "subprocess.Popen", "os.posix_spawn", "os.exec", "sqlite3.connect"})


_IMPORTLIB = os.path.join(os.path.dirname(os.__file__), "importlib", "")


def _audit(event: str, args: tuple) -> None:
    rec = _ACTIVE
    if rec is None or event not in _EVENTS or getattr(_BUSY, "on", False):
        return
    # The import system's own listings and reads (finding and loading modules) are not the build's
    # inputs: the engine's modules are in the key, the installed packages' versions too.
    # (importlib.metadata lists every sys.path folder to find a distribution's version.)
    where = sys._getframe(1).f_code.co_filename
    if where.startswith("<frozen importlib") or event != "open" and _IMPORTLIB in where:
        return
    _BUSY.on = True
    try:
        rec.event(event, args)
    except Exception:  # noqa: BLE001 - a hook that raises would fail the build's own operation
        rec.broken = True
    finally:
        _BUSY.on = False


def _fs(path) -> str | None:
    if path is None:
        return "."
    if isinstance(path, int):
        return None
    try:
        return os.fsdecode(os.fspath(path))
    except TypeError:
        return None


class Recorder:
    """Notes every path a build looks at (see the module's note), in this process and in the
    processes it forks; `inputs` turns the notes into the manifest's inputs."""

    def __init__(self, relay: Path | None) -> None:
        self.pid = os.getpid()
        self.seen: dict[tuple[str, str], list[int] | None] = {}  # (path, how) -> stat signature then
        self.written: set[str] = set()
        self.created: set[str] = set()
        self.broken = False
        self.relay = relay  # forked workers append their notes here
        self._relay_fd: int | None = None  # opened by the build's process; its workers inherit it
        self._stat = self._lstat = None
        self.staged_outputs: tuple[list[str], list[Output]] | None = None
        self.built_at = ""
        self.store: ReplayStore | None = None  # where staged() keeps the outputs
        self.declared: set[str] = set()  # the files the prepared edition names

    # -- collecting
    def note(self, path, how: str, st: os.stat_result | None = None) -> None:
        p = _fs(path)
        if p is None:
            return
        p = os.path.abspath(p)
        if os.getpid() != self.pid:
            self._send(["n", p, how])
            return
        if (p, how) not in self.seen:
            self.seen[(p, how)] = None if st is None else _sig(st)

    def _send(self, item: list) -> None:
        """A worker's note, appended to the relay the build's process opened before forking (so a
        relay that cannot be made is known to the process that records: nothing is recorded)."""
        if self._relay_fd is not None:
            os.write(self._relay_fd, (json.dumps(item) + "\n").encode("utf-8", "surrogateescape"))

    def _wrote(self, path, kind: str = "w") -> None:
        p = _fs(path)
        if p is None:
            return
        p = os.path.abspath(p)
        if os.getpid() != self.pid:
            self._send([kind, p, ""])
        else:
            (self.created if kind == "d" else self.written).add(p)

    def event(self, event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            if isinstance(mode, str) and any(c in mode for c in "wax+") or \
                    mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS:
                self._wrote(path)
            else:
                self.note(path, "stat")
        elif event in ("os.listdir", "os.scandir"):
            self.note(args[0] if args else None, "list")
        elif event == "os.mkdir":
            p = _fs(args[0])
            if p is not None and not os.path.lexists(p):
                self._wrote(p, "d")
        elif event in ("os.rename", "os.replace", "os.link", "os.symlink"):
            self._wrote(args[1])
        elif event == "sqlite3.connect":  # SQLite opens its file in C (a URI: file:PATH?mode=ro)
            db = _fs(args[0]) if args else None
            if db and db != ":memory:":
                self.note(db[5:].split("?", 1)[0] if db.startswith("file:") else db, "stat")
        elif event in ("subprocess.Popen", "os.posix_spawn", "os.exec"):
            import shutil

            program, argv = args[0], args[1]
            argv = [argv] if isinstance(argv, str | bytes | os.PathLike) else list(argv or [])
            exe = _fs(program) if program is not None else (_fs(argv[0]) if argv else None)
            if exe:
                found = shutil.which(exe) if os.sep not in exe else exe
                self.note(os.path.realpath(found) if found else exe, "stat")
            for a in argv[1:]:
                a = _fs(a) if isinstance(a, str | bytes | os.PathLike) else None
                if a and os.path.isabs(a) and os.path.isfile(a):
                    self.note(a, "stat")

    def declare(self, prep) -> None:
        """The files the prepared edition names and the font catalog's faces: inputs whether or not
        Python opened them (C libraries open ad PDFs and some faces by name)."""
        named = list(_paths_in((prep.ctx.edition, prep.template, prep.ctx.profile)))
        for face in getattr(prep.catalog, "faces", ()):
            spec = getattr(face, "spec", None)
            if getattr(spec, "path", None) is not None:
                named.append(spec.path)
        for path in named:
            self.note(path, "stat")
            self.declared.add(os.path.abspath(path))

    def staged(self, prep, stage: Path) -> None:
        """build()'s hook just before the staging folder is published: the declared inputs, and the
        outputs kept as blobs (the store is set by Memo.recorder). Never fails the build: anything
        going wrong here only means nothing is recorded."""
        try:
            self._staged(prep, stage)
        except Exception:  # noqa: BLE001 - recording only saves time
            self.broken = True
            self.staged_outputs = None

    def _staged(self, prep, stage: Path) -> None:
        self.declare(prep)
        folders, outputs = [], []
        from layout.outfolder import STAGING_MARK

        for top, dirs, files in os.walk(stage):
            dirs.sort()
            rel_top = os.path.relpath(top, stage)
            for d in dirs:
                full = os.path.join(top, d)
                if os.path.islink(full):
                    self.broken = True
                folders.append(d if rel_top == "." else f"{rel_top}/{d}")
            for name in sorted(files):
                full = os.path.join(top, name)
                rel = name if rel_top == "." else f"{rel_top}/{name}"
                if rel == STAGING_MARK:
                    continue
                st = os.lstat(full)
                if not os.path.isfile(full) or os.path.islink(full):
                    self.broken = True
                    continue
                with open(full, "rb") as f:
                    digest = hashlib.file_digest(f, "sha256").hexdigest()
                if self.store is None or not self.store.keep_blob(Path(full), digest):
                    self.broken = True
                outputs.append(Output(rel, digest, st.st_size, st.st_mode & 0o7777))
        self.staged_outputs = (folders, outputs)
        try:
            report = json.loads((stage / "report.json").read_text("utf-8"))
            self.built_at = str(report.get("build_time", ""))
        except (OSError, ValueError, AttributeError):
            self.built_at = ""

    # -- the scope of a build
    def __enter__(self) -> Recorder:
        global _ACTIVE, _HOOKED
        if _ACTIVE is not None:
            raise RuntimeError("a build is already being recorded in this process")
        if not _HOOKED:
            sys.addaudithook(_audit)
            _HOOKED = True
        self._stat, self._lstat = os.stat, os.lstat
        real_stat, real_lstat = os.stat, os.lstat
        rec = self

        # The probes a build makes (Path.exists, os.path.isfile, realpath) call os.stat / os.lstat
        # by attribute, so wrapping them for the build's duration sees them; the result or the
        # absence is noted, the call itself is unchanged.
        def stat(path, *a, **kw):
            return rec._probe(real_stat, "stat" if kw.get("follow_symlinks", True) else "lstat", path, a, kw)

        def lstat(path, *a, **kw):
            return rec._probe(real_lstat, "lstat", path, a, kw)

        os.stat, os.lstat = stat, lstat
        try:
            self._relay_fd = None if self.relay is None else \
                os.open(self.relay, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError:
            self._relay_fd = None
        if self._relay_fd is None:
            self.broken = True  # a worker's reads could not be heard: record nothing
        _ACTIVE = self
        return self

    def _probe(self, real, how: str, path, a, kw):
        try:
            st = real(path, *a, **kw)
        except OSError:
            if not getattr(_BUSY, "on", False) and not kw.get("dir_fd"):
                self._guarded(self.note, path, how)
            raise
        if not getattr(_BUSY, "on", False) and not kw.get("dir_fd"):
            self._guarded(self.note, path, how, st)
        return st

    def _guarded(self, func, *args) -> None:
        _BUSY.on = True
        try:
            func(*args)
        except Exception:  # noqa: BLE001 - never fail the build's own call
            self.broken = True
        finally:
            _BUSY.on = False

    def __exit__(self, *exc) -> None:
        global _ACTIVE
        _ACTIVE = None
        os.stat, os.lstat = self._stat, self._lstat
        if self._relay_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._relay_fd)
            self._relay_fd = None
        self._read_relay()  # the workers are done: their notes in, the relay file removed

    # -- the result
    def _read_relay(self) -> None:
        if self.relay is None:
            return
        try:
            text = self.relay.read_text("utf-8", "surrogateescape")
        except FileNotFoundError:
            return
        except OSError:
            self.broken = True
            with contextlib.suppress(OSError):
                self.relay.unlink()
            return
        for line in text.splitlines():
            try:
                kind, path, how = json.loads(line)
            except ValueError:
                self.broken = True  # a worker killed mid-line: the notes are incomplete
                continue
            if kind == "n":
                self.seen.setdefault((path, how), None)
            elif kind == "d":
                self.created.add(path)
            else:
                self.written.add(path)
        with contextlib.suppress(OSError):
            self.relay.unlink()

    def inputs(self, memo: DigestMemo, cache: Path, outdir: str) -> list[tuple[str, str, str]] | None:
        """(path, how, state) of every path the build looked at, or None when one cannot be told
        or changed while the build ran (nothing is recorded then). `cache`: the cache root;
        `outdir`: the output folder (neither is an input)."""
        if self.broken:
            return None
        out_real = os.path.realpath(os.path.abspath(outdir))
        parent, name = os.path.split(out_real)
        excluded = _excluded(cache, out_real)
        skip = tuple(os.path.join(e, "") for e in excluded) + tuple(os.path.join(p, "") for p in self.created)
        roots = tuple(os.path.join(r, "") for r in {os.path.abspath(cache), os.path.realpath(cache)})
        if any(p.startswith(roots) or os.path.realpath(p).startswith(roots) for p in self.declared):
            return None  # an input inside the cache folder (LAYOUT_CACHE=. in the editions' folder)
        beside = os.path.join(parent, f".{name}.")  # staging, old, lock
        package = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")
        kept = []
        for (path, how), sig in sorted(self.seen.items()):
            if path in self.written or path in self.created or path in excluded or path.startswith(skip) \
                    or path.startswith(beside):
                continue
            if path.startswith(package) and path.endswith((".py", ".pyc")):
                continue  # the engine's source is in the key
            kept.append((path, how, sig))
        # The build lists the output folder's parent to find what a killed build left there: not an
        # input, unless inputs live in that folder too (then its listing counts, without the
        # build's own hidden entries beside the output).
        holds_inputs = any(os.path.dirname(p) == parent for p, how, _ in kept if how != "list")
        out = []
        for path, how, sig in kept:
            if path == parent and how == "list":
                if not holds_inputs:
                    continue
                how = f"list-except:{name}"
            state = path_state(path, how, memo)
            if state is None:
                return None
            if sig is not None and state.startswith("file:"):
                try:
                    now = os.stat(path) if how == "stat" else os.lstat(path)
                except OSError:
                    return None
                if _sig(now) != sig:
                    return None  # changed since the build looked at it
            out.append((path, how, state))
        return out


def _paths_in(roots) -> list[Path]:
    """Every Path held anywhere in these values (dataclasses, mappings, sequences)."""
    import dataclasses

    found: list[Path] = []
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        v = stack.pop()
        if isinstance(v, Path):
            found.append(v)
            continue
        if v is None or isinstance(v, str | bytes | int | float | bool) or id(v) in seen:
            continue
        seen.add(id(v))
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            stack.extend(getattr(v, f.name, None) for f in dataclasses.fields(v))
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list | tuple | set | frozenset):
            stack.extend(v)
    return found


# --- the command's side ----------------------------------------------------------------------------


def _excluded(root: Path, out_real: str) -> list[str]:
    """What is never an input: the cache, the system's pseudo file systems, the Python installation
    and the output folder."""
    # The standard library and the installed packages (their versions are in the key); not all of
    # /usr, which holds Ghostscript and the system's fonts.
    stdlib = os.path.dirname(os.__file__)
    prefixes = {stdlib, os.path.join(stdlib, "lib-dynload"), *(p for p in sys.path if os.path.basename(p) in
                                                               ("site-packages", "dist-packages"))}
    if sys.prefix != sys.base_prefix:
        prefixes.add(sys.prefix)  # a virtual environment
    return sorted({os.path.abspath(root), os.path.realpath(root), out_real, "/proc", "/sys", "/dev", *prefixes})


@dataclass
class Replayed:
    """A build given again: what to print and the folder's tidying problems."""

    manifest: Manifest
    folder: object  # the OutputFolder published
    leftovers: list[str]
    seconds: float


class Memo:
    """The replay of one command: look for a manifest and give it again, or record the build."""

    def __init__(self, root: Path, request: Request) -> None:
        self.root = root
        self.request = request
        self.store = ReplayStore(root)
        self.memo = DigestMemo(self.store.memo_path)
        self.key = request.key(self.memo)

    @staticmethod
    def open(request: Request) -> Memo | None:
        from layout.cache import _OFF, cache_root

        root = cache_root()
        if root is None or os.environ.get(REPLAY_ENV, "").strip().lower() in _OFF:
            return None
        return Memo(root, request)

    # -- replaying
    def current(self) -> Manifest | None:
        """The recorded build, when every input is as it was (else None)."""
        manifest = self.store.load_manifest(self.key)
        if manifest is None:
            return None
        for path, how, state in manifest.inputs:
            if path_state(path, how, self.memo) != state:
                self.memo.save(self.store)
                return None
        self.memo.save(self.store)
        return manifest

    def replay(self) -> Replayed | None:
        """Publish the recorded outputs into the output folder as a build would, or None (nothing
        touched) when there is no current manifest or a blob does not check out."""
        t0 = time.perf_counter()
        manifest = self.current()
        if manifest is None:
            return None
        from layout.outfolder import (
            OutputFolder,
            check_destination,
            locked,
            publish,
            recover_leftovers,
            remove_tree,
            stage_folder,
        )

        folder = OutputFolder.of(Path(self.request.outdir))
        edition = Path(self.request.edition)
        check_destination(folder, edition)
        with locked(folder):
            leftovers = recover_leftovers(folder)
            check_destination(folder, edition)
            stage = None
            try:
                stage = stage_folder(folder)
                if not self._fill(stage, manifest):
                    return None
                leftovers += publish(stage, folder)
                stage = None
            except OSError:
                # Nothing was replaced (publish raises only before the swap): the real build meets
                # the same problem and says it as a build does (OUTPUT-WRITE, with the path).
                return None
            finally:
                if stage is not None:
                    remove_tree(stage)
        return Replayed(manifest, folder, leftovers, time.perf_counter() - t0)

    def _fill(self, stage: Path, manifest: Manifest) -> bool:
        """The outputs written into the staging folder, each blob checked against its digest (in
        two threads: hashing releases the interpreter lock, and it is most of a replay's work).
        False when a blob is missing or damaged (it is deleted: the real build stores it again)."""
        for rel in manifest.folders:
            os.makedirs(os.path.join(stage, rel), exist_ok=True)
        opened: list[tuple[Output, str, object, os.stat_result]] = []
        try:
            for out in manifest.outputs:
                blob = str(self.store.blob_path(out.sha256))
                try:
                    f = open(blob, "rb")  # noqa: SIM115 - closed below, after the links
                except OSError:
                    return False
                opened.append((out, blob, f, os.fstat(f.fileno())))
            if not _all_match(opened):
                return False
            for out, blob, f, st in opened:
                dest = os.path.join(stage, out.name)
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                try:
                    os.link(blob, dest)
                    # the name may hold another file by now (pruned and written again)
                    if os.stat(dest).st_ino != st.st_ino:
                        return False
                except OSError:
                    import shutil

                    f.seek(0)
                    with open(dest, "wb") as w:
                        shutil.copyfileobj(f, w, 1 << 20)
                os.chmod(dest, out.mode)
                touch(Path(blob))
        finally:
            for _, _, f, _ in opened:
                f.close()
        return True

    # -- recording
    def recorder(self) -> Recorder:
        relay = self.store.folder / "tmp" / f".tmp-relay-{os.getpid()}-{time.time_ns()}"
        with contextlib.suppress(OSError):
            relay.parent.mkdir(parents=True, exist_ok=True)
        rec = Recorder(relay)
        rec.store = self.store
        return rec

    def save(self, rec: Recorder, lines: list[tuple[str, str]], progress: list[str], errors: int,
             warnings: int) -> bool:
        """Record the build `rec` watched; False (nothing recorded) when its inputs cannot all be
        told or an output could not be kept."""
        if rec.staged_outputs is None:
            return False
        inputs = rec.inputs(self.memo, self.root, self.request.outdir)
        if inputs is None:
            return False
        folders, outputs = rec.staged_outputs
        manifest = Manifest(self.key, inputs, folders, outputs, lines, progress, errors, warnings, rec.built_at)
        self.memo.save(self.store)
        return self.store.save_manifest(manifest)


def _all_match(opened: list) -> bool:
    """Whether every opened blob has its recorded size and digest; the ones that do not are
    deleted. The larger files are shared out between this thread and one more."""
    bad: list[str] = []

    def check(items) -> None:
        for out, blob, f, st in items:
            if st.st_size != out.size or hashlib.file_digest(f, "sha256").hexdigest() != out.sha256:
                bad.append(blob)

    mine, theirs, load = [], [], [0, 0]
    for item in sorted(opened, key=lambda i: -i[3].st_size):
        side = 0 if load[0] <= load[1] else 1
        (mine, theirs)[side].append(item)
        load[side] += item[3].st_size
    worker = threading.Thread(target=check, args=(theirs,))
    worker.start()
    check(mine)
    worker.join()
    for blob in bad:
        with contextlib.suppress(OSError):
            os.unlink(blob)
    return not bad


def show_line(text: str, seconds: float) -> str:
    """A printed line with the command's own time where the build's was."""
    return text.replace(_TIMED, f"{seconds:.2f}")


TIMED = _TIMED
