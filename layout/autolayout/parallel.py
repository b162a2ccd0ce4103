"""One job run in a forked child while the parent works on, its result sent back pickled through a
pipe: how the automatic layout plans independent pages on both cores (plan.planned_ahead).

A fork inherits the loaded faces, the template and the text setter's composed paragraphs, so only
the result crosses the pipe. (layout/output.py forks edition.pdf the same way, but that child
writes a file and sends nothing back.) A child that fails says why on stderr and sends nothing: the
parent then does the job itself, so a build never depends on the child."""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import traceback
from dataclasses import dataclass


@dataclass(frozen=True)
class Child:
    pid: int
    read_fd: int


def start(job) -> Child | None:
    """`job()` started in a forked child; None where fork is not available (the caller does it)."""
    if not hasattr(os, "fork"):
        return None
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # the child: the one job, its result down the pipe, and out without the parent's cleanup
        code = 1
        try:
            os.close(r)
            data = pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(w, "wb") as out:
                out.write(data)
            code = 0
        except (KeyboardInterrupt, BrokenPipeError):
            # Ctrl-C reaches the whole process group, and a parent that stopped has closed the
            # pipe: the parent says "interrupted" once; a child's traceback would only hide it.
            pass
        except BaseException:
            # os._exit skips the interpreter's report: without this nobody learns why
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(w)
    return Child(pid, r)


def finish(child: Child):
    """The child's result, or None when it failed (its error is on stderr)."""
    with os.fdopen(child.read_fd, "rb") as src:
        data = src.read()  # to the end: the child closes the pipe when it has written all
    _, status = os.waitpid(child.pid, 0)
    if status != 0 or not data:
        return None
    try:
        return pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None


def abandon(child: Child) -> None:
    """Stop a child whose result is no longer wanted (the parent failed or was interrupted) and
    reap it: it does not run on after the build."""
    from layout.cache import stop_child

    with contextlib.suppress(OSError):
        os.close(child.read_fd)
    stop_child(child.pid)
