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
def staging(out: Path) -> Iterator[Path]:
    """Yield an empty folder; on normal exit it replaces `out`, on error it is removed.

    The replaced site is deleted in a background thread (joined at exit), while the build
    records what it published; a crash meanwhile leaves it for the next build to delete.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.loa-old-*"):
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
    threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True},
                     name="loa-remove-old-site").start()
