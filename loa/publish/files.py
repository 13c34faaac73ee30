"""The site's files as a build handles them: walked, listed, hard-linked from the site being replaced, locked.

Pure Python and the standard library; `loa/publish/reuse.py` (pages) and `loa/outputs/__init__.py` (outputs' files)
take the previous site's files with these.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from loa.cache.keys import digest

try:  # POSIX only: imported at module level unguarded, it stopped every command on Windows
    import fcntl
except ImportError:
    fcntl = None  # type: ignore[assignment]

KIND = "site-files-1"
"""The kind of `listing`'s digests (`loa/cache/keys.py`)."""


def link_files(pairs: Iterable[tuple[str, str]]) -> None:
    """Hard-link each (source, target) pair, making the target's folder first."""
    made: set[str] = set()
    for source, target in pairs:
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        link_file(Path(source), Path(target))


def link_file(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or no hard links: copy (keeping the time, see reusable_pages)
        shutil.copy2(source, target)


def files_under(folder: Path) -> list[tuple[str, os.stat_result]]:
    """Every file under `folder` (not in linked folders), by its path in it ('/'-separated, sorted), with its
    stat: walked with `os.scandir`, whose entries know their kind (pathlib's `rglob`, `is_file` and `stat`
    took 3 times as long over the 12,000 files of the outputs a rebuild takes over at 1,000 materials)."""
    found = []
    folders = [("", str(folder))]
    while folders:
        prefix, path = folders.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.is_file():
                    found.append((prefix + entry.name, entry.stat()))
    return sorted(found, key=lambda item: item[0])


def listing(folder: Path) -> tuple[str, int]:
    """A digest of a folder's files as they are on disk (names, sizes and modification times), and their bytes."""
    found = files_under(folder)
    return (digest(KIND, [f"{name}:{stat.st_size}:{stat.st_mtime_ns}" for name, stat in found]),
            sum(stat.st_size for _name, stat in found))


def link_tree(source: Path, target: Path) -> None:
    link_files((os.path.join(source, name), os.path.join(target, name)) for name, _stat in files_under(source))


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if need be), for folders that builds and `serve` share."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        else:
            with _locked_without_fcntl(handle.fileno()):
                yield


@contextmanager
def _locked_without_fcntl(fd: int) -> Iterator[None]:
    """Windows: a lock on the file's first byte (msvcrt); elsewhere without fcntl, no lock (it
    only keeps a `build` and a `serve` of the same project from writing a search bundle at once)."""
    try:
        msvcrt = importlib.import_module("msvcrt")
    except ImportError:
        yield
        return
    os.lseek(fd, 0, os.SEEK_SET)  # the same byte in every process
    while True:
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # tries for 10 s, then raises
            break
        except OSError:
            continue
    try:
        yield
    finally:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
