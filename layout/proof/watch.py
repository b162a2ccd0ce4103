"""watch: rebuild and re-proof whenever the edition or a file it references is saved.

Polling, not inotify: it works the same on every file system (network shares included) and the
handful of files an edition names costs microseconds to stat."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import yaml

from layout.proof.proofs import make_proofs

Stamp = tuple[int, int, int]  # mtime_ns, size, inode: an atomic save (rename) changes the inode


@dataclass(frozen=True)
class Rebuild:
    changed_files: list[Path]
    pages: list[str]  # pages whose PDF changed, as the build says
    build_seconds: float
    proof_seconds: float
    error: str | None = None
    full: bool = False  # every page was proofed (the initial build)
    rendered: list[str] = field(default_factory=list)  # pages whose proof image was made again

    @property
    def seconds(self) -> float:
        return self.build_seconds + self.proof_seconds


@dataclass
class _State:
    files: list[Path] = field(default_factory=list)
    stamps: dict[Path, Stamp | None] = field(default_factory=dict)


def referenced_files(edition: Path) -> list[Path]:
    """The edition file and the files it names: story bodies, photos, ad files. Unreadable or
    half-written YAML yields just the edition (the build will report the error)."""
    files = [edition]
    try:
        data = yaml.safe_load(edition.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return files
    if not isinstance(data, dict):
        return files
    base = edition.parent
    names: list[str] = []
    for story in (data.get("stories") or {}).values() if isinstance(data.get("stories"), dict) else ():
        if not isinstance(story, dict):
            continue
        body = story.get("body")
        if isinstance(body, str) and "\n" not in body and len(body) < 300:
            names.append(body)  # inline text is filtered out below: it names no existing file
        names.extend(p.get("file") for p in story.get("photos") or () if isinstance(p, dict))
    ads = data.get("ads")
    names.extend(a.get("file") for a in (ads.values() if isinstance(ads, dict) else ()) if isinstance(a, dict))
    for name in names:
        if not isinstance(name, str) or not name.strip():
            continue
        try:
            path = base / name
            if path.is_file() and path not in files:
                files.append(path)
        except (OSError, ValueError):
            continue
    return files


def _stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _snapshot(edition: Path) -> _State:
    files = referenced_files(edition)
    return _State(files=files, stamps={f: _stamp(f) for f in files})


def _changed(state: _State) -> list[Path]:
    return [f for f in state.files if _stamp(f) != state.stamps.get(f)]


def _rebuild(edition: Path, outdir: Path, build: Callable[[Path, Path], list[str]], changed: list[Path],
             proof_options: dict, full: bool) -> Rebuild:
    t0 = time.perf_counter()
    try:
        pages = list(build(edition, outdir))
    except Exception as exc:  # noqa: BLE001 - a broken edition mid-edit must not end the watch
        return Rebuild(changed, [], time.perf_counter() - t0, 0.0, error=f"build failed: {exc}", full=full)
    t1 = time.perf_counter()
    try:
        # Every page is looked at, but only those whose image inputs changed (their PDF, or their
        # marks: a story's copyfit can change on a page whose PDF did not) are rendered again; the
        # others stay as they are in proofs/ (make_proofs keeps an index of what made each image).
        result = make_proofs(outdir, **proof_options)
    except Exception as exc:  # noqa: BLE001
        return Rebuild(changed, pages, t1 - t0, time.perf_counter() - t1, error=f"proofs failed: {exc}",
                       full=full)
    return Rebuild(changed, pages, t1 - t0, time.perf_counter() - t1, full=full, rendered=result.rendered)


def _print(rb: Rebuild, out: TextIO, base: Path) -> None:
    names = ", ".join(_rel(f, base) for f in rb.changed_files) or "start"
    clock = time.strftime("%H:%M:%S")
    if rb.error:
        print(f"[{clock}] {names}: {rb.error}", file=out, flush=True)
        return
    pages = "all pages" if rb.full else " ".join(rb.rendered) or "no page changed"
    print(f"[{clock}] {names}: {pages} in {rb.seconds:.2f} s (build {rb.build_seconds:.2f} s, "
          f"proofs {rb.proof_seconds:.2f} s)", file=out, flush=True)


def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def watch(edition: Path, outdir: Path, build: Callable[[Path, Path], list[str]], *, interval: float = 0.2,
          once: bool = False, initial: bool = True, stop: threading.Event | None = None,
          out: TextIO | None = None, dpi: int = 100, grid: bool = False) -> list[Rebuild]:
    """Poll `edition` and the files it references every `interval` seconds; on a change call
    build(edition, outdir) -> changed page ids and re-proof the pages whose proof inputs changed.

    initial: build and proof everything once before watching. once: return after the first rebuild
    caused by a change. stop: an event that ends the loop (for embedding and tests); Ctrl-C also ends
    it. Returns the rebuilds done (the initial one included)."""
    edition, outdir = Path(edition), Path(outdir)
    out = out or sys.stdout
    stop = stop or threading.Event()
    proof_options = {"dpi": dpi, "grid": grid, "live_seconds": 1.0}
    base = edition.parent
    done: list[Rebuild] = []
    state = _snapshot(edition)
    if initial:
        rb = _rebuild(edition, outdir, build, [], proof_options, full=True)
        _print(rb, out, base)
        done.append(rb)
    print(f"watching {len(state.files)} files; proofs in {outdir / 'proofs' / 'proof.html'}", file=out, flush=True)
    try:
        while not stop.wait(interval):
            changed = _changed(state)
            if not changed:
                continue
            # Snapshot before building: a save during the build is then seen on the next poll.
            state = _snapshot(edition)
            rb = _rebuild(edition, outdir, build, changed, proof_options, full=False)
            _print(rb, out, base)
            done.append(rb)
            if once:
                break
    except KeyboardInterrupt:
        pass
    return done
