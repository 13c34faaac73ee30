"""What the offline copy knows of the files it packs, kept between builds (`.loa-cache/offline/<lang>/`),
so that a rebuild after one edit reads again only what changed (issue #14): each file's SHA-256 by the
file's identity (`files.json`, loa/cache/filememo.py: device, inode, size and modification time, as git's
index keeps it; that module says what such a key can miss and why it does not here), and the files each
rendered page links to by the page's SHA-256 and place (`known.json`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from loa.cache.filememo import FileMemo
from loa.cache.files import write_atomically
from loa.outputs.offline.rewrite import linked_files

FORMAT = 3


def fingerprint(path: Path) -> tuple[bytes, str]:
    """The file's bytes, with their SHA-256."""
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


class Known:
    """What the cache folder holds, and what this build found (saved by `save`)."""

    def __init__(self, cache: Path | None) -> None:
        self.path = cache / "known.json" if cache is not None else None
        self.memo = FileMemo(cache / "files.json" if cache is not None else None)
        self.links: dict[str, list[str]] = {}
        self.kept_links: dict[str, list[str]] = {}
        self.seen: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        """Pages read by this build, by their SHA-256 (`write` rewrites them)."""
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            if self.path is not None:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data["format"] == FORMAT and isinstance(data["links"], dict):
                    self.links = data["links"]

    def of(self, name: str, path: Path, page: bool = False) -> str:
        """The SHA-256 of the file at `path`, packed as `name`: kept, if the file is the one it was found
        in; else read (raises OSError if it cannot be), a `page`'s text kept for `text`."""
        if name in self.seen:
            return self.seen[name]

        def read(file: Path) -> str:
            data, sha = fingerprint(file)
            if page:
                self.texts[sha] = data.decode("utf-8")
            return sha

        sha = self.seen[name] = self.memo.get(path, read)
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
        with contextlib.suppress(OSError):
            self.memo.save()
            if self.path is not None and self.kept_links != self.links:
                write_atomically(self.path, json.dumps({"format": FORMAT, "links": self.kept_links},
                                                       separators=(",", ":")))
