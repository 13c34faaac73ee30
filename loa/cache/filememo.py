"""What an output worked out from a file, kept by the file's identity between builds, as git's index keeps
a file's hash: a rebuild after one edit then reads the one page that changed, not the 1,200 of a language.

A file is known by (device, inode, size, modification time in ns). A page a build takes over from the
previous site is a hard link of the same file (loa/publish/reuse.py), so its identity stays while its
path moves from the staging folder to the site. Not the path, then, and not the change time (making a
hard link changes it). What could fool the key is a file rewritten with the same size and the same
modification time as when it was read: a file modified less than `SETTLE_NS` before it was read is not
kept (git's "racily clean" files), so that a rewrite is always at a later time than the one kept; and
a program that sets an old time on purpose does not write Loa's site folders.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from loa.cache.files import write_atomically

SETTLE_NS = 3_000_000_000
"""A file modified this recently when read is read again next time: more than the coarsest file system
clock Loa may write on (FAT's 2 s)."""
FORMAT = 1


class FileMemo:
    """A text value per file, made by `make(path)` once per version of the file; `save` keeps them in `path`
    (only those asked for since it was loaded: a page gone from the site is forgotten)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, str] = {}
        self.used: dict[str, str] = {}
        self.read = 0
        """How many files `make` was run on (tests count them)."""
        if path is not None:
            try:
                found = json.loads(path.read_text(encoding="utf-8"))
                files = found.get("files") if found.get("format") == FORMAT else None
                if isinstance(files, dict) and all(isinstance(v, str) for v in files.values()):
                    self.known = files  # anything else: foreign or damaged, every file is read
            except (OSError, ValueError, AttributeError):
                pass  # no memo, or a damaged one: every file is read

    def get(self, file: Path, make: Callable[[Path], str]) -> str:
        stat = os.stat(file)
        identity = f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"
        value = self.known.get(identity)
        if value is None:
            value = make(file)
            self.read += 1
            if time.time_ns() - stat.st_mtime_ns < SETTLE_NS:
                return value  # too recent to be known by its time: read again next time
        self.used[identity] = value
        return value

    def save(self) -> None:
        if self.path is not None and self.used != self.known:
            write_atomically(self.path, json.dumps({"format": FORMAT, "files": self.used}, separators=(",", ":")))
