"""`serve` as a user runs it: a real server on 127.0.0.1 that rebuilds on save."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def status(base: str) -> dict[str, object]:
    return dict(json.loads(get(base + "__loa/status")))


def wait_for(predicate: object, seconds: float = 60) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture
def server(tiny_site: Path) -> Iterator[tuple[Path, str]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(tiny_site),
                                "--port", str(port), "--today", "2026-12-01"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        def up() -> bool:
            try:
                status(base)
                return True
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                return False
        wait_for(up)
        yield tiny_site, base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_rebuilds_on_save_and_reports_problems(server: tuple[Path, str]) -> None:
    root, base = server
    page = get(base + "en/drowning/ten-actions/")
    assert "Children need an adult watching." in page
    assert '<script src="/__loa/reload.js">' in page  # the reload script, added by the server only
    assert "/__loa/" not in (root / "site/en/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert "/__loa/status" in get(base + "__loa/reload.js")  # a file: the pages' CSP refuses inline scripts
    first = status(base)["build"]

    material = root / "content/en/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8").replace(
        "Children need an adult watching.", "An adult must always watch."), encoding="utf-8")
    wait_for(lambda: status(base)["build"] != first)
    assert "An adult must always watch." in get(base + "en/drowning/ten-actions/")

    material.write_text(material.read_text(encoding="utf-8").replace("type: fact-sheet", "type: factsheet"),
                        encoding="utf-8")
    wait_for(lambda: status(base)["problems"])
    problems = status(base)["problems"]
    assert isinstance(problems, list)
    assert problems[0].startswith("content/en/drowning/ten-actions.md:4:7: error: type: 'factsheet'")
    assert "An adult must always watch." in get(base + "en/drowning/ten-actions/")  # previous build stays


def test_serve_404_and_root(server: tuple[Path, str]) -> None:
    _root, base = server
    assert "Tiếng Việt" in get(base)
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(base + "en/no-such-page/")
    assert missing.value.code == 404


def test_watcher_reports_saves_not_editor_temporary_files(tiny_site: Path) -> None:
    from watchdog.events import FileCreatedEvent, FileModifiedEvent, FileMovedEvent

    from loa.serve import Watcher

    watcher = Watcher(tiny_site)
    watcher.stop()  # events are fed by hand below
    material = tiny_site / "content/en/drowning/ten-actions.md"
    temporary = material.with_name("sedX1y2Z3")  # `sed -i` writes a temporary file, then renames it
    watcher.on_any_event(FileCreatedEvent(str(temporary)))
    watcher.on_any_event(FileModifiedEvent(str(temporary)))
    watcher.on_any_event(FileMovedEvent(str(temporary), str(material)))
    watcher.on_any_event(FileModifiedEvent(str(material.with_name(".ten-actions.md.swp"))))  # vim's swap file
    watcher.on_any_event(FileModifiedEvent(str(tiny_site / "site/en/index.html")))  # Loa's own output
    assert watcher.changes() == [material]
