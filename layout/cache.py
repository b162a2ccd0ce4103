"""Where derived data may be kept between builds ($LAYOUT_CACHE, else ~/.cache/layout; "off"
disables it), and a small store of JSON values there. The cache only saves time: an entry that
does not read back exactly is missing, and failing to write one never fails a build.

Nothing read from the cache is trusted: an entry carries a digest of its value (a damaged or
hand-edited file fails it), and the reader passes a check of the value's shape and meaning (types,
indices in range, modules on the grid; see `plan_entry`). An entry failing either is deleted and
treated as missing, so the caller computes the value again and stores a good one: a build from any
cache state gives the same bytes as a build with the cache off."""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import enum
import hashlib
import io
import json
import math
import os
import pickle
import re
import shutil
import tempfile
from collections.abc import Callable
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


def library_signature(name: str) -> tuple | None:
    """An installed library by its package's file, found without importing it, and that file's
    size and time (installing another version writes it again): what a cache key names a
    library's results by. importlib.metadata gives the version numbers but scans every installed
    distribution (~45 ms idle, a tenth of a warm build's pagination). None: not installed."""
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        return None
    origin = getattr(spec, "origin", None)
    if not origin:
        return None
    try:
        st = os.stat(origin)
    except OSError:
        return (str(origin), None)
    return (str(origin), st.st_size, st.st_mtime_ns)


CACHE_MAX_ENV = "LAYOUT_CACHE_MAX_MB"
CACHE_MAX_MB = 2048  # a night's rebuilds of a 24-page edition stay well inside this


def cache_limit() -> int:
    """The most bytes the cache may hold after a build ($LAYOUT_CACHE_MAX_MB, default 2 GiB)."""
    try:
        mb = float(os.environ.get(CACHE_MAX_ENV, CACHE_MAX_MB))
    except ValueError:
        mb = CACHE_MAX_MB
    return max(0, int(mb * 1024 * 1024))


def prune(root: Path | None, max_bytes: int) -> int:
    """Delete the least recently used entries (a read marks an entry used: `_Store._used`, and
    layout/replay.py's `touch`) until the cache holds at most three quarters of
    `max_bytes` (nothing when it holds no more than `max_bytes`); the bytes removed. Every entry
    only saves time: one removed is computed again when next needed, so pruning never changes a
    build's output, and a build reading an entry as it goes still reads it whole (an open file
    outlives its name). Files being written (.tmp-*) are left alone. The deferred writes of this
    process (`deferred_writes`) are waited for first, so a build's entries are there when it ends."""
    settle()  # the build's deferred entries first: they are part of what is kept
    if root is None or not root.is_dir():
        return 0
    entries: list[tuple[int, int, str]] = []
    total = 0
    stack = [str(root)]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for e in it:
                    try:
                        if e.is_dir(follow_symlinks=False):
                            stack.append(e.path)
                        elif e.is_file(follow_symlinks=False) and not e.name.startswith(".tmp-"):
                            st = e.stat(follow_symlinks=False)
                            entries.append((st.st_mtime_ns, st.st_size, e.path))
                            total += st.st_size
                    except OSError:
                        continue
        except OSError:
            continue
    if total <= max_bytes:
        return 0
    goal = max_bytes * 3 // 4
    removed = 0
    for _, size, path in sorted(entries):
        if total - removed <= goal:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed += size
    return removed


WRITER_NICENESS = 10  # added to the deferred writer's niceness (os.nice)


class DeferredWrites:
    """Cache writes that may wait until the values they keep are complete: queued while the
    deferral is active (`deferred_writes`), then done all together in one forked child (`start`),
    beside the output stage, instead of one after the other on the build's critical path (pickling
    a 12-page edition's laid-out page groups is ~1.3 s of CPU). The child inherits the values as
    they are, so nothing is copied to it, and writes each entry as a build does (beside, then
    renamed). A failed or killed child only leaves entries unwritten, which costs the next build
    time, never bytes: nothing of the build depends on it."""

    def __init__(self) -> None:
        self.jobs: list[Callable[[], None]] = []

    def add(self, job: Callable[[], None]) -> None:
        self.jobs.append(job)

    def start(self) -> None:
        """Write what is queued: in a forked child where one can be made (and this process has no
        other thread, which a fork would leave holding its locks), else here, now."""
        import threading

        jobs, self.jobs = self.jobs, []
        if not jobs:
            return
        pid = None
        if hasattr(os, "fork") and not os.environ.get("LAYOUT_NO_FORK") and threading.active_count() == 1:
            with contextlib.suppress(OSError):
                pid = os.fork()
        if pid == 0:  # the child: write, and leave without the parent's cleanup or its output
            try:
                # Behind the build's own processes on the cores (the PDFs, preflight and proofs are
                # what the build waits for); it waits for this child only at its very end.
                with contextlib.suppress(OSError):
                    os.nice(WRITER_NICENESS)
                _run_all(jobs)
            finally:
                os._exit(0)
        if pid is None:
            _run_all(jobs)
        else:
            _WRITING.append(pid)


def _run_all(jobs: list[Callable[[], None]]) -> None:
    for job in jobs:
        with contextlib.suppress(Exception):  # a cache write that fails is an entry not kept
            job()


# The process's deferral in force (set by `deferred_writes`), and its writing children not yet
# waited for (`settle`): process-wide by nature, as the children are.
_DEFERRAL: contextvars.ContextVar[DeferredWrites | None] = contextvars.ContextVar("layout_cache_deferral",
                                                                                  default=None)
_WRITING: list[int] = []


@contextlib.contextmanager
def deferred_writes():
    """Within it, `write_later` queues cache writes; on leaving, they are started in a child
    (DeferredWrites.start) and the caller goes on. `settle` waits for them: prune() does, at the end
    of a build, so a build's entries are on disk when it returns."""
    writes = DeferredWrites()
    token = _DEFERRAL.set(writes)
    try:
        yield writes
    except BaseException:
        # A build that failed or was interrupted writes nothing behind its back: what was queued
        # only saved the next build time (its child would outlive the command).
        writes.jobs = []
        raise
    finally:
        _DEFERRAL.reset(token)
    writes.start()


def write_later(job: Callable[[], None]) -> None:
    """Run the cache write `job` now, or queue it when a deferral is active (`deferred_writes`).
    The job must only read values that do not change after it is queued."""
    writes = _DEFERRAL.get()
    if writes is None:
        job()
    else:
        writes.add(job)


def settle(*, stop: bool = False) -> None:
    """Wait for the children writing deferred cache entries (none: returns at once); `stop`: end
    them first (a failed or interrupted build: nothing of it goes on after the command)."""
    while _WRITING:
        pid = _WRITING.pop()
        if stop:
            stop_child(pid)
        else:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, 0)


def end_background(*, stop: bool) -> None:
    """Wait for this process's background children (deferred cache writes, photo prefetches, the
    word dictionary's writer), or with `stop` end them: a build that failed or was interrupted
    leaves nothing running after it (each child, told to stop, removes its half-written file).
    Only modules already loaded are asked: one never imported started nothing."""
    import sys

    settle(stop=stop)
    images = sys.modules.get("layout.images")
    if images is not None:
        if stop:
            images.stop_prefetches()
        else:
            images.drain_prefetches()
    words = sys.modules.get("layout.text.words")
    if words is not None:
        words.end_kept_dictionary(stop=stop)


STOP_GRACE_S = 10.0  # how long a child told to stop may take to tidy up before it is killed


def stop_child(pid: int, grace: float = STOP_GRACE_S) -> None:
    """End a forked child of this process and reap it. SIGINT first, which a Python child turns
    into KeyboardInterrupt: its `finally` blocks remove the half-written file beside a cache entry
    (a SIGKILLed writer would leave a .tmp- file that pruning never removes). One that has not
    ended after `grace` seconds is killed."""
    import signal
    import time

    with contextlib.suppress(OSError):  # gone already: reaped below
        os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + grace
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        if time.monotonic() >= deadline:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            return
        time.sleep(0.01)


class _Store:
    """A folder of entries of one kind, each file named by a digest of (kind, key, engine version)."""

    SUFFIX = ""

    def __init__(self, folder: Path, kind: str) -> None:
        self.folder = Path(folder)
        self.kind = kind

    @classmethod
    def default(cls, kind: str):
        """The store of `kind` under the cache root, or None when the cache is off."""
        root = cache_root()
        return None if root is None else cls(root / kind, kind)

    def _path(self, key: str) -> Path:
        name = hashlib.sha256(f"{self.kind}:{key}:{code_version()}".encode()).hexdigest()[:32]
        return self.folder / name[:2] / f"{name}{self.SUFFIX}"

    @staticmethod
    def _used(path: Path) -> None:
        """Mark an entry read back good as used now: prune() removes the least recently used."""
        with contextlib.suppress(OSError):
            os.utime(path)

    @staticmethod
    def _drop(path: Path) -> None:
        """Remove a damaged entry (the caller stores a good one in its place)."""
        with contextlib.suppress(OSError):
            path.unlink()

    def _write(self, target: Path, *parts: bytes | Path) -> None:
        """Write beside and rename (a reader never sees half an entry); failing never fails a build.
        The entry is `parts` one after the other, a Path standing for that file's bytes (copied in
        blocks: an edition PDF of 40 MB is not read whole, nor joined to its header in a copy)."""
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=target.parent, prefix=".tmp-", delete=False) as f:
                tmp = Path(f.name)
                for part in parts:
                    if isinstance(part, Path):
                        with open(part, "rb") as src:
                            shutil.copyfileobj(src, f)
                    else:
                        f.write(part)
            os.replace(tmp, target)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)


class JsonCache(_Store):
    SUFFIX = ".json"

    def load(self, key: str, check: Callable[[object], object] | None = None):
        """The value stored under `key`, or None when there is none or it is damaged. `check`
        takes the value and returns what the caller uses (or None, or raises ValueError / TypeError
        / KeyError / IndexError, when the value is not what the caller expects)."""
        path = self._path(key)
        try:
            entry = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            self._drop(path)
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or entry.get("version") != code_version():
            self._drop(path)
            return None
        value = entry.get("value")
        if entry.get("digest") != value_digest(value):
            self._drop(path)
            return None
        if check is None:
            self._used(path)
            return value
        try:
            checked = check(value)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            checked = None
        if checked is None:
            self._drop(path)
        else:
            self._used(path)
        return checked

    def store(self, key: str, value) -> None:
        try:
            text = json.dumps({"key": key, "version": code_version(), "digest": value_digest(value), "value": value},
                              ensure_ascii=False)
        except (TypeError, ValueError):
            return
        self._write(self._path(key), text.encode("utf-8"))


class BlobCache(_Store):
    """Bytes kept between builds (a page's PDF), under a key naming everything they depend on.
    Each entry is a one-line JSON header (key, engine version, SHA-256 and length of the bytes)
    and the bytes; an entry whose header or bytes do not check out is deleted and missing."""

    SUFFIX = ".bin"

    def load(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            self._drop(path)
            return None
        head, sep, data = raw.partition(b"\n")
        try:
            header = json.loads(head) if sep else None
        except ValueError:
            header = None
        if (not isinstance(header, dict) or header.get("key") != key or header.get("version") != code_version()
                or header.get("length") != len(data) or header.get("sha256") != hashlib.sha256(data).hexdigest()):
            self._drop(path)
            return None
        self._used(path)
        return data

    def store(self, key: str, data: bytes) -> None:
        self._write(self._path(key), self._header(key, len(data), hashlib.sha256(data).hexdigest()), data)

    def store_file(self, key: str, path: Path) -> None:
        """Keep the bytes of the file at `path` (as store(key, path.read_bytes()), read in blocks)."""
        try:
            with open(path, "rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
                length = f.tell()
        except OSError:
            return
        self._write(self._path(key), self._header(key, length, digest), Path(path))

    @staticmethod
    def _header(key: str, length: int, digest: str) -> bytes:
        return json.dumps({"key": key, "version": code_version(), "length": length, "sha256": digest},
                          ensure_ascii=False).encode("utf-8") + b"\n"


def value_digest(value) -> str | None:
    """A digest of a JSON value in one canonical spelling (None for what JSON cannot hold)."""
    try:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- checks of what readers take from the cache --------------------------------------------------------


def _int(value, lo: int, hi: int) -> int:
    if type(value) is not int or not lo <= value <= hi:
        raise ValueError(f"{value!r} is not a whole number in {lo}..{hi}")
    return value


def _text(value, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


_CODE = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*")
SEVERITIES = ("error", "warning", "info")


def diagnostic_entries(value) -> list[tuple[str, str, str, str | None, str | None]]:
    """[code, severity, message, hint, story] lists, as the plan cache keeps what a page's layout
    said (the story may be left out: then None)."""
    if not isinstance(value, list):
        raise TypeError("diagnostics are not a list")
    out = []
    for d in value:
        if not isinstance(d, list) or len(d) not in (4, 5):
            raise ValueError(f"{d!r} is not [code, severity, message, hint, story]")
        code, sev, msg, hint = _text(d[0]), _text(d[1]), _text(d[2]), _text(d[3], optional=True)
        story = _text(d[4], optional=True) if len(d) == 5 else None
        if not _CODE.fullmatch(code) or sev not in SEVERITIES:
            raise ValueError(f"{code!r}/{sev!r} is not a diagnostic code and severity")
        out.append((code, sev, msg, hint, story))
    return out


def _notch(value, cols: int, lines: int) -> tuple[str, int, int]:
    """[side, cols, lines] of a cached L-shaped module's notch, narrower and shallower than it."""
    if not isinstance(value, list) or len(value) != 3 or value[0] not in ("left", "right"):
        raise ValueError(f"{value!r} is not a notch")
    return value[0], _int(value[1], 1, cols - 1), _int(value[2], 1, lines - 1)


def _cells(module: tuple[int, int, int, int], notch: tuple[str, int, int] | None) -> list[tuple[int, int, int, int]]:
    """The module's cells as rectangles: itself, or the band over its notch and the columns beside it."""
    if notch is None:
        return [module]
    col, line, cols, lines = module
    side, n_cols, n_lines = notch
    beside = col + n_cols if side == "left" else col
    return [(col, line, cols, lines - n_lines), (beside, line + lines - n_lines, cols - n_cols, n_lines)]


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def plan_entry(value, *, items: int, pinned: dict[int, tuple[int, int, int, int]], columns: int, lines: int,
               top: int = 1, notched: dict[int, tuple[str, int, int]] | None = None):
    """A cached page layout checked against the page it is for: `items` items, the modules of the
    pinned ones (item index -> col, line, cols, lines; a plan may name them, only where they are
    pinned), and the grid (columns × lines, the first line a module may start on). Returns
    (decisions, diagnostics) as plain tuples — decision: (item, (col, line, cols, lines),
    photo_lines, photo_cols, head_size) — or raises ValueError/TypeError when anything is off: a
    wrong type, an item index out of range or given twice, a module off the grid or over another
    module, a pinned item moved, a photo deeper than its module, a headline size that is not a
    positive size."""
    if not isinstance(value, dict) or set(value) != {"decisions", "diagnostics"}:
        raise ValueError("not a plan entry")
    raw = value["decisions"]
    if not isinstance(raw, list):
        raise TypeError("decisions are not a list")
    decisions = []
    seen: set[int] = set()
    # (`notched`: the notches of pinned L-shaped modules, whose cells another item may take)
    taken = [cells for n, m in pinned.items() for cells in _cells(tuple(m), (notched or {}).get(n))]
    for d in raw:
        if not isinstance(d, list) or len(d) not in (5, 6, 7):
            raise ValueError(f"{d!r} is not a decision")
        item = _int(d[0], 0, items - 1)
        if item in seen:
            raise ValueError(f"item {item} is placed twice")
        seen.add(item)
        if not isinstance(d[1], list) or len(d[1]) != 4:
            raise ValueError(f"{d[1]!r} is not a module")
        col, line = _int(d[1][0], 1, columns), _int(d[1][1], 1, lines)
        cols, depth = _int(d[1][2], 1, columns - col + 1), _int(d[1][3], 1, lines - line + 1)
        module = (col, line, cols, depth)
        # an L-shaped module's notch (issue 13), then a held headline's block depth (Story.head_lines)
        notch = _notch(d[5], cols, depth) if len(d) >= 6 and d[5] is not None else None
        head_lines = _int(d[6], 1, depth) if len(d) == 7 else 0
        if item in pinned:
            if module != tuple(pinned[item]):
                raise ValueError(f"pinned item {item} moved to {module}")
        else:
            if line < top:
                raise ValueError(f"module {module} starts above line {top}")
            cells = _cells(module, notch)
            if any(_overlaps(part, other) for part in cells for other in taken):
                raise ValueError(f"module {module} overlaps another")
            taken.extend(cells)
        if not isinstance(d[2], list):
            raise TypeError("photo lines are not a list")
        photo_lines = tuple(_int(n, 1, depth) for n in d[2])
        photo_cols = None if d[3] is None else _int(d[3], 1, cols)
        head = d[4]
        if head is not None and (type(head) not in (int, float) or not math.isfinite(head) or not 0 < head <= 1000):
            raise ValueError(f"{head!r} is not a headline size")
        decisions.append((item, module, photo_lines, photo_cols, head)
                         + ((notch, head_lines) if head_lines else (notch,) if notch else ()))
    return decisions, diagnostic_entries(value["diagnostics"])


def cached_plan_bounds(ctx, page) -> dict:
    """What `plan_entry` checks a cached plan of `page` against, from the build's context: the
    page's items (which are free), the pinned modules, the template's grid and masthead."""
    template = ctx.template
    return {"items": len(page.items),
            "pinned": {n: (i.at.col, i.at.line, i.at.cols, i.at.lines) for n, i in enumerate(page.items)
                       if i.at is not None},
            "notched": {n: (i.at.notch.side, i.at.notch.cols, i.at.notch.lines) for n, i in enumerate(page.items)
                        if i.at is not None and i.at.notch is not None},
            "columns": template.grid.columns, "lines": template.grid.lines,
            "top": template.masthead_lines + 1 if page.masthead else 1}


PHOTO_CHECK_CODES = ("PHOTO-CORRUPT", "PHOTO-FORMAT", "PHOTO-TOO-LARGE")  # what a photo's bytes can show


def file_problems(value, codes: tuple[str, ...] = PHOTO_CHECK_CODES) -> list[tuple[str, str, str | None]]:
    """[code, message, hint] lists, as the file-check cache keeps a photo's problems; only the codes
    a check of the file's bytes gives (an unreadable file is never remembered)."""
    if not isinstance(value, list):
        raise TypeError("not a list")
    out = []
    for p in value:
        if not isinstance(p, list) or len(p) != 3:
            raise ValueError(f"{p!r} is not [code, message, hint]")
        code, msg, hint = _text(p[0]), _text(p[1]), _text(p[2], optional=True)
        if code not in codes:
            raise ValueError(f"{code!r} is not what a check of the file gives")
        out.append((code, msg, hint))
    return out


# --- objects of the engine's own types (a page's laid-out result) ------------------------------------


class _EngineUnpickler(pickle.Unpickler):
    """Unpickles only the engine's own data classes and enums (and paths and dates): a cache entry
    that names any other callable (a function, os.system) is refused, so an entry can at most give
    wrong values of the engine's types, which the caller's check and the digest catch."""

    _PLAIN = {("pathlib", "PosixPath"), ("pathlib", "PurePosixPath"), ("pathlib", "WindowsPath"),
              ("datetime", "date"), ("datetime", "datetime")}

    def find_class(self, module: str, name: str):
        if (module, name) in self._PLAIN:
            return super().find_class(module, name)
        if module == "layout" or module.startswith("layout."):
            obj = super().find_class(module, name)
            if isinstance(obj, type) and (dataclasses.is_dataclass(obj) or issubclass(obj, enum.Enum)):
                return obj
        raise pickle.UnpicklingError(f"{module}.{name} is not an engine data type")


class ObjectCache(BlobCache):
    """Values of the engine's data types kept between builds (pickled: a page's frame, its stories'
    flow), with BlobCache's header check of the bytes and a restricted unpickler; `check` takes the
    value and returns it (or None, or raises) as JsonCache's does."""

    def load(self, key: str, check: Callable[[object], object] | None = None):  # type: ignore[override]
        data = super().load(key)
        if data is None:
            return None
        try:
            value = _EngineUnpickler(io.BytesIO(data)).load()
            checked = value if check is None else check(value)
        except Exception:  # noqa: BLE001 - any way an entry fails to read back means it is missing
            checked = None
        if checked is None:
            self._drop(self._path(key))
        return checked

    def store(self, key: str, value) -> None:  # type: ignore[override]
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return
        super().store(key, data)


def file_signature(path) -> list | None:
    """A file as a cache key spells it: [path, size, mtime_ns] ([path] when it cannot be read, so
    the key still changes when it appears), None for no file."""
    if path is None:
        return None
    try:
        st = Path(path).stat()
    except OSError:
        return [str(path)]
    return [str(path), st.st_size, st.st_mtime_ns]
