"""What the offline copy knows of the files it packs, kept between builds
(`.loa-cache/offline/<lang>/known.json`), so that a rebuild after one edit reads again only what changed
(issue #14): each file's SHA-256 by its stat, as git's index keeps it, and the files each
rendered page links to by the page's SHA-256 and place.

A file's stat (device, inode, size, modification time in ns) stands for its bytes. A build's staging
folder holds hard links of the previous site's files (loa/publish/reuse.py), so an unchanged file keeps
its stat from build to build, while any file written again (by MkDocs, an output, or `write_atomically`,
which replaces it) has a new modification time, and usually a new inode. (The change time cannot be
in the key: linking a file changes it.) What a stat can miss is a file rewritten in place with the same
size within the same tick of the file system's clock as the write before it (1 or 2 s on some file
systems): a file is therefore trusted by its stat only if its modification time is `SETTLED_NS` older
than the moment the copy first hashed it (git calls the others "racily clean"), and a file modified
since then has a later modification time. A file whose time was set back on purpose to the exact
nanosecond it had, at the same size and inode, would still be missed; nothing of Loa's does that.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path

from loa.cache.files import write_atomically
from loa.outputs.offline.rewrite import linked_files

FORMAT = 2
SETTLED_NS = 3_000_000_000
"""How much older than the first hashing a file's modification time must be for its stat to be trusted:
more than the coarsest file system clock Loa may write on (FAT's 2 s)."""


def fingerprint(path: Path) -> tuple[bytes, str]:
    """The file's bytes, with their SHA-256."""
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


class Known:
    """What `cache/known.json` holds, and what this build found (saved by `save`)."""

    def __init__(self, cache: Path | None) -> None:
        self.path = cache / "known.json" if cache is not None else None
        self.started = time.time_ns()
        self.files: dict[str, list[object]] = {}
        self.links: dict[str, list[str]] = {}
        self.kept_files: dict[str, list[object]] = {}
        self.kept_links: dict[str, list[str]] = {}
        self.seen: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        """Pages read by this build, by their SHA-256 (`write` rewrites them)."""
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            if self.path is not None:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data["format"] == FORMAT and isinstance(data["files"], dict) and isinstance(data["links"], dict):
                    self.files, self.links = data["files"], data["links"]

    def of(self, name: str, path: Path, page: bool = False) -> str:
        """The SHA-256 of the file at `path`, packed as `name`: kept, if its stat is the one it was found
        with; else read (raises OSError if it cannot be), a `page`'s text kept for `text`."""
        if name in self.seen:
            return self.seen[name]
        stat = os.stat(path)
        stamp: list[object] = [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]
        entry = self.files.get(name)
        if isinstance(entry, list) and len(entry) == 5 and entry[:4] == stamp and isinstance(entry[4], str):
            self.kept_files[name] = entry
            sha = self.seen[name] = entry[4]
            return sha
        data, sha = fingerprint(path)
        if page:
            self.texts[sha] = data.decode("utf-8")
        if stat.st_mtime_ns < self.started - SETTLED_NS:  # else not trusted next time: it may change in its tick
            self.kept_files[name] = [*stamp, sha]
        self.seen[name] = sha
        return sha

    def linked(self, name: str, path: Path, sha: str) -> list[str]:
        """What the page at `path` (`name` in the copy, bytes `sha`) links to in the copy (`linked_files`)."""
        key = f"{sha} {name}"  # the same HTML elsewhere links elsewhere
        found = self.links.get(key)
        if not (isinstance(found, list) and all(isinstance(link, str) for link in found)):
            text = self.texts.get(sha)
            found = sorted(linked_files(text if text is not None else path.read_text(encoding="utf-8"), name))
        self.kept_links[key] = found
        return found

    def text(self, path: Path, sha: str) -> str:
        """The page's text, as read by `of` if it was."""
        text = self.texts.get(sha)
        return text if text is not None else path.read_text(encoding="utf-8")

    def save(self) -> None:
        """Keep what this build found (only that: what the copy no longer packs is forgotten)."""
        if self.path is not None and (self.kept_files != self.files or self.kept_links != self.links):
            with contextlib.suppress(OSError):
                write_atomically(self.path, json.dumps({"format": FORMAT, "files": self.kept_files,
                                                        "links": self.kept_links}, separators=(",", ":")))
