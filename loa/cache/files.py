"""Writing a file so that a reader never sees half of it: Loa's caches and records.

Processes (the render workers, `build` and `serve`) read these files while others write them;
a build killed mid-write must leave the old file or none, never a truncated one.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

RETRY_SECONDS = 5.0 if sys.platform == "win32" else 0.0
"""How long `replace` tries again. Windows refuses, for a moment, to rename a file or folder that
another process holds open (a browser's request to `serve`, a worker reading a cache entry, an
antivirus scan); POSIX renames it anyway, so there the first refusal is final."""


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path`: a temporary file beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        replace(Path(temp), path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def replace(source: Path, target: Path) -> None:
    """`os.replace`, tried again for up to `RETRY_SECONDS` while the system refuses it."""
    deadline = time.monotonic() + RETRY_SECONDS
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)
