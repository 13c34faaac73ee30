"""The built sample site, served on 127.0.0.1, and the tools that check it in a real browser.

One build and one server per test session. Chromium (the Debian package at /usr/bin/chromium)
is driven by Playwright; axe-core and the Nu Html Checker come from npm (package-lock.json).
A missing tool skips these tests on a developer's machine with the command that installs it,
and fails them when the `CI` environment variable is set: CI must never pass without them.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from loa.pipeline import Options, build

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = REPO / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
TODAY = dt.date(2026, 12, 1)


def missing(what: str, install: str) -> None:
    """Skip locally, fail in CI (CI set): a check that cannot run must not look green there."""
    message = f"{what} is missing; install it with: {install}"
    if os.environ.get("CI"):
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    build(Options(root=REPO, out=out, today=TODAY))
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site, and axe-core at /__axe__/ so Chromium caches its compiled code across pages."""

    def translate_path(self, path: str) -> str:
        if path.startswith("/__axe__/"):
            return str(AXE)
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib's name)
        pass


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The built site on http://127.0.0.1:<free port>/, as a static host serves it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.is_file():
        missing("axe-core (node_modules)", "npm ci")
    return AXE


@pytest.fixture(scope="session")
def browser(built_site: Path) -> Iterator[Any]:
    # Depends on built_site so that the build (which may fork worker processes) runs before
    # Playwright starts its threads: forking a process with those threads running can hang.
    if not CHROMIUM.exists():
        missing(f"Chromium ({CHROMIUM})", "apt-get install chromium fonts-noto-core")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python", ".venv/bin/pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PHONE = {"width": 360, "height": 740}
"""A cheap phone's viewport."""


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    """A page at 360 px, shared by a module's tests."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        missing("Java (for the Nu Html Checker)", "apt-get install default-jre-headless")
    if not VNU.is_file():
        missing("vnu.jar (node_modules)", "npm ci")
    return [str(java), "-jar", str(VNU)]


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the audit writes its findings: LOA_REPORT_DIR if set, else a temporary folder (never the repo)."""
    chosen = os.environ.get("LOA_REPORT_DIR")
    directory = Path(chosen) if chosen else tmp_path_factory.mktemp("report")
    directory.mkdir(parents=True, exist_ok=True)
    return directory
