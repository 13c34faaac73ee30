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

from conftest import REPO, TODAY
from loa.pipeline import Options, build
from loa.serve.rebuild import Rebuilder
from loa.serve.server import ServeState, rebuild


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


def not_found(url: str) -> str:
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(url)
    assert missing.value.code == 404
    return str(missing.value.read().decode("utf-8"))


def test_serve_404_and_root(server: tuple[Path, str]) -> None:
    root, base = server
    assert "Tiếng Việt" in get(base)
    # A missing page under a language gets that language's 404 page, as hosts configured per language do.
    for lang in ("en", "vi"):
        page = not_found(base + f"{lang}/no-such-page/")
        assert page.startswith((root / f"site/{lang}/404.html").read_text(encoding="utf-8").split("</body>")[0])
    assert '<html lang="en"' in not_found(base + "en/no-such-page/")
    assert "Page not found" in not_found(base + "en/drowning/no-such-page")
    # Outside any language: the root 404 page (the language chooser).
    page = not_found(base + "no-such-page/")
    assert page.startswith((root / "site/404.html").read_text(encoding="utf-8").split("</body>")[0])
    assert "Page not found" not in page


def test_serve_has_no_service_worker(server: tuple[Path, str]) -> None:
    # the build writes sw.js (loa/outputs/serviceworker.py), but a worker in the preview could show a page kept in
    # its cache instead of the text just saved: serve answers 404, so the pages' script registers nothing
    root, base = server
    wait_for(lambda: (root / "site/sw.js").is_file())
    assert "no service worker" in not_found(base + "sw.js")


def test_serve_busy_port_is_a_usage_error(tiny_site: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--root", str(tiny_site),
                               "--port", str(port), "--today", "2026-12-01"],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == (f"build.py: error: port {port} is busy (another serve running? "
                           f"use --port {port + 1})\n")
    assert "Traceback" not in done.stdout
    assert not (tiny_site / "site").exists()  # refused before building anything
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--root", str(tiny_site),
                           "--port", "99999"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (2, "build.py: error: --port: 99999 is not a port number "
                                                 "(1024 to 65535, e.g. --port 8000)\n")


def test_watcher_reports_saves_not_editor_temporary_files(tiny_site: Path) -> None:
    from watchdog.events import FileCreatedEvent, FileModifiedEvent, FileMovedEvent

    from loa.serve.watch import Watcher

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


@pytest.fixture(params=["cache", "no-cache"])
def rebuilder(request: pytest.FixtureRequest, tiny_site: Path, tmp_path: Path) -> Iterator[Rebuilder]:
    # The checklist has a heading that the Vietnamese material links to, with its #anchor.
    checklist = tiny_site / "content/vi/drowning/checklist.md"
    checklist.write_text(checklist.read_text(encoding="utf-8") + "\n## Dấu hiệu nguy hiểm\n\nNước sâu.\n",
                         encoding="utf-8")
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8") + "\nXem [dấu hiệu](checklist.md#dau-hieu-nguy-hiem).\n",
                        encoding="utf-8")
    english = checklist.read_text(encoding="utf-8").replace("Danh sách kiểm tra an toàn trong nhà", "Home checklist")
    (tiny_site / "content/en/drowning/checklist.md").write_text(english, encoding="utf-8")  # no warning to start
    cache = tmp_path / "cache" if request.param == "cache" else None
    rebuilder = Rebuilder(Options(root=tiny_site, out=tiny_site / "site", today=TODAY, cache_dir=cache),
                          lambda _message: None)
    assert rebuilder.full().result.warnings == ()
    rebuilder.warm_up()
    yield rebuilder
    rebuilder.close()


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def clean_warnings(root: Path, tmp_path: Path) -> list[str]:
    return [str(w) for w in build(Options(root=root, out=tmp_path / "clean", today=TODAY)).warnings]


ANCHOR = ("content/vi/drowning/ten-actions.md:{line}:1: warning: Doc file 'drowning/ten-actions.md' contains a link "
          "'checklist.md#{anchor}', but the doc 'drowning/checklist.md' does not contain an anchor '#{anchor}'.")


def test_partial_rebuild_checks_anchors_of_the_saved_page(rebuilder: Rebuilder, tmp_path: Path) -> None:
    root = rebuilder.options.root
    saved = edit(root / "content/vi/drowning/ten-actions.md", "#dau-hieu-nguy-hiem", "#dau-hieu")
    update = rebuilder.update([saved])
    assert not update.full
    warnings = [str(w) for w in update.result.warnings]
    assert warnings == [ANCHOR.format(line=18, anchor="dau-hieu")]
    assert warnings == clean_warnings(root, tmp_path)
    saved = edit(saved, "#dau-hieu)", "#dau-hieu-nguy-hiem)")
    assert rebuilder.update([saved]).result.warnings == ()


def test_partial_rebuild_checks_links_to_the_anchors_of_a_saved_page(rebuilder: Rebuilder, tmp_path: Path) -> None:
    root = rebuilder.options.root
    saved = edit(root / "content/vi/drowning/checklist.md", "## Dấu hiệu nguy hiểm", "## Dấu hiệu")
    update = rebuilder.update([saved])
    assert not update.full
    assert "drowning/ten-actions.md" not in update.rendered["vi"]  # checked, not rendered again
    warnings = [str(w) for w in update.result.warnings]
    assert warnings == [ANCHOR.format(line=18, anchor="dau-hieu-nguy-hiem")]
    assert warnings == clean_warnings(root, tmp_path)
    # Another save elsewhere keeps the warning: the list is the site's, not the last save's.
    other = edit(root / "content/en/drowning/ten-actions.md", "Children need", "Children always need")
    assert [str(w) for w in rebuilder.update([other]).result.warnings] == warnings
    edit(saved, "## Dấu hiệu\n", "## Dấu hiệu nguy hiểm\n")
    assert rebuilder.update([saved]).result.warnings == ()


def test_serve_prints_the_warnings_after_each_rebuild(rebuilder: Rebuilder,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = rebuilder.options.root
    state, said = ServeState(), []
    saved = edit(root / "content/vi/drowning/ten-actions.md", "#dau-hieu-nguy-hiem", "#dau-hieu")
    assert rebuild(rebuilder, [saved], state, said.append)
    assert capsys.readouterr().err == ANCHOR.format(line=18, anchor="dau-hieu") + "\n"
    assert said[-1] == "1 warning"
    # The next save (elsewhere) lists the site's warnings again, each once.
    other = edit(root / "content/en/drowning/ten-actions.md", "Children need", "Children always need")
    assert rebuild(rebuilder, [other], state, said.append)
    assert capsys.readouterr().err == ANCHOR.format(line=18, anchor="dau-hieu") + "\n"
    assert said[-1] == "1 warning"
    edit(saved, "#dau-hieu)", "#dau-hieu-nguy-hiem)")
    assert rebuild(rebuilder, [saved], state, said.append)
    assert capsys.readouterr().err == ""
    assert said[-1] == "no warnings left"
    said.clear()
    assert rebuild(rebuilder, None, state, said.append)  # a full build
    assert capsys.readouterr().err == ""
    assert not any("warning" in line for line in said)
