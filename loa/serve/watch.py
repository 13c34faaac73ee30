"""The file watcher of `serve`: which saves matter, collected from inotify (watchdog) or by polling.

Apart from the HTTP side (`loa/serve/server.py`): it knows only the project's folders, and
tells a save from an editor's backup, lock or temporary file.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

WATCHED = ("mkdocs.yml", "campaigns", "content", "theme")
QUIET_SECONDS = 0.05
"""A save often comes as several events (write, rename, attributes): wait this long for the last one."""
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")


def watched(root: Path, path: Path) -> bool:
    """Is `path` a file whose change matters (not an editor's backup, lock or temporary file)?"""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    return bool(parts) and parts[0] in WATCHED and not any(part.startswith((".", "#")) for part in parts) \
        and not path.name.endswith(IGNORED_SUFFIXES) and path.name != "4913"  # vim's write test


def snapshot(root: Path) -> dict[str, float]:
    """Modification times of every watched file (the fallback where file events are not available)."""
    stamps: dict[str, float] = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for file in files:
            try:
                stamps[str(file)] = file.stat().st_mtime_ns
            except FileNotFoundError:
                continue
    return stamps


class Watcher(FileSystemEventHandler):
    """Collects changed paths: from inotify (through watchdog) where it works, else by polling."""

    def __init__(self, root: Path, interval: float = 0.3) -> None:
        self.root = root.resolve()
        self.interval = interval
        self.paths: set[Path] = set()
        self.created: set[Path] = set()
        self.lock = threading.Lock()
        """`paths` and `created` are filled by watchdog's thread."""
        self.event = threading.Event()
        self.observer: Any = Observer()
        try:
            # Only what is watched: the site and the cache, written by every build, stay out.
            self.observer.schedule(self, str(self.root), recursive=False)  # mkdocs.yml
            for name in WATCHED:
                if (self.root / name).is_dir():
                    self.observer.schedule(self, str(self.root / name), recursive=True)
            self.observer.start()
        except OSError:  # e.g. the inotify watch limit: poll instead
            self.observer = None
        self.before = snapshot(self.root) if self.observer is None else {}

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory:
            return
        with self.lock:
            if event.event_type == "created":
                self.created.add(Path(str(event.src_path)))
            for name in (event.src_path, getattr(event, "dest_path", "")):
                path = Path(str(name)) if name else None
                if path is not None and watched(self.root, path):
                    self.paths.add(path)
                    self.event.set()

    def changes(self) -> list[Path]:
        """Block until watched files change; returns them."""
        if self.observer is None:
            while True:
                time.sleep(self.interval)
                now = snapshot(self.root)
                if now != self.before:
                    changed = set(now) ^ set(self.before) | {k for k in now if self.before.get(k) != now[k]}
                    self.before = now
                    polled = sorted(Path(c) for c in changed if watched(self.root, Path(c)))
                    if polled:
                        return polled
        while True:
            self.event.wait()
            while True:  # until the save's events stop coming
                self.event.clear()
                if not self.event.wait(QUIET_SECONDS):
                    break
            with self.lock:
                paths, created, self.paths, self.created = self.paths, self.created, set(), set()
            # An editor's (or sed's) temporary file, created and renamed away within the save, is not a change.
            paths = {path for path in paths if path.exists() or path not in created}
            if paths:
                return sorted(paths)

    def stop(self) -> None:
        if self.observer is not None:
            self.observer.stop()
