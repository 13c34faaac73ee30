"""A folder of cache entries, each a file named by its key, kept under a size limit.

One eviction rule for every cache that grows with the content (rendered Markdown, compiled
templates, share images...): reading an entry marks it used (its modification time), and `prune`
removes the least recently used entries once the folder is over its limit, down to three quarters
of it, so that a build that stays under the limit removes nothing. Entries are written atomically
(`loa/cache/files.py`): processes read while others write, and a reader never sees half a file.

A store notes its suffix, limit and layout in a file of its folder (`MANIFEST`) when it first
writes there, so that `loa/cache/evict.py` prunes every store of `.loa-cache/` after a build
without a list of them: a cache added by an output is pruned by the same rule.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from loa.cache.files import write_atomically

MiB = 1024 * 1024
MANIFEST = ".store.json"


class Store:
    def __init__(self, directory: Path, suffix: str, limit: int, fanout: bool = True) -> None:
        self.directory = directory
        self.suffix = suffix
        self.limit = limit
        """Bytes the folder may hold before `prune` removes entries."""
        self.fanout = fanout
        """Entries in subfolders by the key's first two characters (for caches of thousands of entries)."""
        self._noted = False

    @classmethod
    def noted_in(cls, directory: Path) -> Store | None:
        """The store whose manifest is in `directory`, if it reads back as one."""
        try:
            data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
            suffix, limit, fanout = data["suffix"], data["limit"], data["fanout"]
            if isinstance(suffix, str) and isinstance(limit, int) and isinstance(fanout, bool):
                return cls(directory, suffix, limit, fanout)
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def path(self, key: str) -> Path:
        name = f"{key}{self.suffix}"
        return self.directory / key[:2] / name if self.fanout else self.directory / name

    def read(self, key: str) -> bytes | None:
        """The entry's bytes, marked as used; None if there is none (or it cannot be read)."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):  # a read-only cache is still a cache
            os.utime(path)
        return data

    def write(self, key: str, data: str | bytes) -> None:
        write_atomically(self.path(key), data)
        if not self._noted:
            manifest = self.directory / MANIFEST
            if not manifest.is_file():
                write_atomically(manifest, json.dumps({"suffix": self.suffix, "limit": self.limit,
                                                       "fanout": self.fanout}))
            self._noted = True

    def prune(self) -> int:
        """Remove the least recently used entries if the folder is over its limit; returns how many."""
        entries = []
        for path in self.directory.glob(f"*/*{self.suffix}" if self.fanout else f"*{self.suffix}"):
            if path.name == MANIFEST:
                continue
            with contextlib.suppress(OSError):  # removed meanwhile by another build
                stat = path.stat()
                entries.append((stat.st_mtime_ns, stat.st_size, path))
        total = sum(size for _time, size, _path in entries)
        if total <= self.limit:
            return 0
        removed = 0
        for _time, size, path in sorted(entries):
            if total <= self.limit * 3 // 4:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
            total -= size
        return removed
