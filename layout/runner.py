"""The runner: a small process forked at the start of `layout build`, before the edition is loaded,
that does the build's work on files and small values when the build asks for it (issue 18):
edition.pdf put together from the page files, the preflight of the pages (their descriptions and
photos handed over in a file, layout/output.py `PreflightJob`), the proofs from the output folder.

Why: a build's peak RSS is its largest process's. By the output stage the build process holds the
faces, the laid-out edition and the prepared photos (~270 MB at 24 pages); qpdf's object graph of
the whole edition (+50 MB), preflight's decoded photos and plates (+35 MB) and the contact sheet
with its PNG encoder (+55 MB) came on top of that, and the proof renderers and the preflight
worker forked from it counted its pages as theirs. The runner, forked when the build process is
~30 MB, holds none of that: its peak is its own work's, and so is that of the processes it forks.
Its jobs are module-level functions (pickled by name) with picklable arguments; their values and
errors come back the same way, one job after another in the order sent.

It is only for a one-shot process (the `layout build` command): a long-lived caller (`layout
watch`, tests) does the same work in its own process, as before, and so does a build where forking
is not possible (no os.fork, LAYOUT_NO_FORK, threads running). A runner that dies leaves its jobs
to the build process (the same results, only the memory it would have saved). Forked after the
replay recorder starts, it inherits its audit hooks and relay (layout/replay.py), so what it reads
is recorded as the build's."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, Pipe

# Imported by the runner while it waits (the edition is being laid out meanwhile, mostly on the
# other core): its first job starts without the import time.
PRELOAD = ("layout.render.assemble", "layout.preflight.described", "layout.proof.proofs")


@dataclass
class Runner:
    pid: int
    conn: Connection
    jobs: dict[int, tuple] = field(default_factory=dict)  # sent and not yet answered, by ticket (in order)
    replies: dict[int, tuple] = field(default_factory=dict)  # answered before they were asked for
    tickets: int = 0
    lost: bool = False
    closed: bool = False
    done: list[str] = field(default_factory=list)  # names of the jobs it ran (for tests)

    @staticmethod
    def start(preload: tuple[str, ...] = PRELOAD) -> Runner | None:
        """Fork the runner now; None where that cannot be done safely (the caller works alone)."""
        if not hasattr(os, "fork") or os.environ.get("LAYOUT_NO_FORK") or threading.active_count() > 1:
            return None
        ours, theirs = Pipe(duplex=True)
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError:
            ours.close()
            theirs.close()
            return None
        if pid == 0:  # the runner: serve, and leave without the parent's clean-up
            code = 0
            try:
                ours.close()
                code = _serve(theirs, preload)
            except BaseException:  # noqa: BLE001 - Ctrl-C and the rest: the parent reports them
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        return Runner(pid, ours)

    @property
    def busy(self) -> bool:
        return bool(self.jobs)

    def submit(self, func: Callable, *args, **kwargs) -> int:
        """Send a job (a module-level function and picklable arguments) and go on; its ticket
        for `result`. The runner does its jobs one after another, in the order sent."""
        self.tickets += 1
        self.jobs[self.tickets] = (func, args, kwargs)
        if not (self.lost or self.closed):
            try:
                self.conn.send((func, args, kwargs))
            except (OSError, EOFError):
                self.lost = True
        return self.tickets

    def result(self, ticket: int | None = None):
        """The value of the job of `ticket` (default: the oldest not asked for yet), or its
        exception raised again here (an OSError with its errno, message and file; anything else
        as a RuntimeError carrying the runner's traceback). When the runner died meanwhile (killed,
        out of memory), the job is done in this process: the same value, only the memory it would
        have saved."""
        if ticket is None:
            ticket = min(self.jobs, default=None) if self.jobs else min(self.replies, default=None)
        if ticket is None or (ticket not in self.jobs and ticket not in self.replies):
            raise RuntimeError("no such job")
        while ticket not in self.replies and not (self.lost or self.closed):
            try:
                reply = self.conn.recv()
            except (OSError, EOFError):
                self.lost = True
                break
            oldest = min(self.jobs)
            del self.jobs[oldest]
            self.replies[oldest] = reply
            if reply[0] == "ok":
                self.done.append(reply[2])
        if ticket not in self.replies:  # the runner is gone: the job here
            func, args, kwargs = self.jobs.pop(ticket)
            return func(*args, **kwargs)
        reply = self.replies.pop(ticket)
        if reply[0] == "ok":
            return reply[1]
        if reply[0] == "oserror":
            _, errno_, strerror, filename = reply
            raise OSError(errno_, strerror, filename)
        raise RuntimeError(f"the runner's job failed:\n{reply[1]}")

    def run(self, func: Callable, *args, **kwargs):
        """func(*args, **kwargs) in the runner (after the jobs sent before it), waited for."""
        return self.result(self.submit(func, *args, **kwargs))

    def finish(self) -> None:
        """Wait for every job sent; the first one's error is raised."""
        while self.jobs or self.replies:
            self.result()

    def close(self) -> None:
        """Tell the runner to leave and wait for it (so that its peak RSS and its children's are
        counted with this process's: the wait4 figure the benchmark reads)."""
        if self.closed:
            return
        self.closed = True
        if self.jobs:  # the build stopped with a job out (an error): its result is not wanted
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError, EOFError):
            self.conn.send(None)
        self.conn.close()
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, 0)


@contextlib.contextmanager
def running(enabled: bool = True) -> Iterator[Runner | None]:
    """A runner for the duration of the block (None when not enabled or not possible)."""
    runner = Runner.start() if enabled else None
    try:
        yield runner
    finally:
        if runner is not None:
            runner.close()


def _serve(conn: Connection, preload: tuple[str, ...]) -> int:
    """The runner's loop: jobs in, results out, until told to stop or the build process is gone."""
    import importlib

    for name in preload:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return 0
        if job is None:
            return 0
        func, args, kwargs = job
        try:
            reply = ("ok", func(*args, **kwargs), getattr(func, "__name__", "?"))
        except OSError as err:
            reply = ("oserror", err.errno, err.strerror or str(err), _filename(err.filename))
        except Exception:  # noqa: BLE001 - said by the build process, with this traceback
            reply = ("error", traceback.format_exc())
        try:
            conn.send(reply)
        except (TypeError, AttributeError, ValueError):  # a value that does not pickle
            conn.send(("error", traceback.format_exc()))
        except (EOFError, OSError):
            return 0


def _filename(name) -> str | None:
    if name is None or isinstance(name, str):
        return name
    return os.fsdecode(name) if isinstance(name, (bytes, os.PathLike)) else str(name)
