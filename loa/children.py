"""Child processes (render workers, Pagefind) end with the build that started them.

A build killed with SIGKILL (a CI time-out, the out-of-memory killer) cannot stop its children:
they must notice by themselves. On Linux the kernel does it: `prctl(PR_SET_PDEATHSIG, SIGKILL)`
kills the child when the thread that started it ends (Loa starts its workers and Pagefind from
threads that wait for them). Elsewhere a worker watches its parent's pid twice a second (an
orphan gets another parent on POSIX systems; on Windows, where workers are spawned, not forked,
a worker whose parent is gone finds its task pipe closed and ends).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import TypedDict

PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>."""
WATCH_SECONDS = 0.5


def _prctl() -> Callable[..., int] | None:
    """libc's `prctl`, looked up once in the parent: a forked child only calls it (see `pdeathsig`)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return function


_PRCTL = _prctl()


def pdeathsig() -> bool:
    """In a child process: ask the kernel to kill it when its parent ends. False where it cannot."""
    if _PRCTL is None:
        return False
    return _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0


def die_with(parent: int) -> None:
    """In a child process (a worker's initializer): end it soon after the process `parent` ends."""
    if pdeathsig():
        if os.getppid() != parent:  # the parent died before the kernel was asked
            os._exit(1)
        return
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="loa-watch-parent").start()


def _watch(parent: int) -> None:
    # An orphan gets another parent (init, or a subreaper): then this process is no longer wanted.
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


class PopenOptions(TypedDict, total=False):
    preexec_fn: Callable[[], None]
    creationflags: int


def popen_options(nice: bool) -> PopenOptions:
    """Keyword arguments for `subprocess.run` of a Pagefind process (`nice`: at a lower priority).

    POSIX: `preexec_fn` (below). Windows has neither `preexec_fn` (subprocess refuses it there)
    nor `os.nice`: the priority is a creation flag instead, and a Pagefind whose build is killed
    ends when it has written its index.
    """
    if hasattr(os, "nice"):
        setup = pagefind_setup(nice)
        return {} if setup is None else {"preexec_fn": setup}
    below: int | None = getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", None)  # Windows only
    return {"creationflags": below} if nice and below is not None else {}


def pagefind_setup(nice: bool) -> Callable[[], None] | None:
    """`preexec_fn` for a Pagefind process (Linux: dies with the build; `nice`: lower priority)."""
    if _PRCTL is None and not nice:
        return None
    parent = os.getpid()

    def setup() -> None:  # runs in the forked child before exec (the setting survives exec)
        if pdeathsig() and os.getppid() != parent:
            os._exit(1)
        if nice:
            os.nice(10)
    return setup
