"""Atomic publishing: build into a staging folder next to the target, swap on success.

A failed or interrupted build removes only its staging folder; the previous
`site/` stays exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError


def check_target(out: Path, root: Path) -> None:
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents or (out / "mkdocs.yml").exists() or (out / "campaigns").is_dir():
        raise UsageError(f"--out {out}: refusing to replace a folder that holds the project; "
                         "choose an output folder such as 'site'")


@contextmanager
def staging(out: Path, trash: Path | None = None) -> Iterator[Path]:
    """Yield an empty folder; on normal exit it replaces `out`, on error it is removed.

    The replaced site goes to `trash` (see `empty_trash`), or is deleted in a background thread
    (joined at exit) while the build records what it published.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.loa-old-*"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    temp = out.parent / f".{out.name}.loa-new-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    try:
        yield temp
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.loa-old-{uuid.uuid4().hex}"
    if out.exists():
        out.rename(old)
    temp.rename(out)
    if not old.exists():
        return
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            old.rename(trash / old.name)
            return
        except OSError:
            pass  # another file system
    threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True},
                     name="loa-remove-old-site").start()


def empty_trash(trash: Path) -> threading.Thread | None:
    """Delete the sites that earlier builds replaced, in a background thread (joined at exit).

    Deleting 10,000 files takes a second on some disks: the next build does it while it
    checks the content, instead of the build that replaced them making its user wait.
    """
    if not trash.is_dir():
        return None
    entries = list(trash.iterdir())
    if not entries:
        return None

    def remove() -> None:
        for entry in entries:
            shutil.rmtree(entry, ignore_errors=True)
    thread = threading.Thread(target=remove, name="loa-empty-trash")
    thread.start()
    return thread
