"""Atomic publishing: build into a staging folder next to the target, swap on success.

A failed or interrupted build removes only its staging folder; the previous
`site/` stays exactly as it was.
"""

from __future__ import annotations

import os
import shutil
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
    """Yield an empty folder; on normal exit it replaces `out`, on error it is removed."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.parent / f".{out.name}.loa-new-{os.getpid()}"
    old = out.parent / f".{out.name}.loa-old-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    try:
        yield temp
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    if out.exists():
        out.rename(old)
    temp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
