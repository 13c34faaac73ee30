"""A site hosted under a sub-path (`site_url: https://portal.example.gov.vn/tre-em/`), as a host serves it.

The 404 pages are served at any depth, so their links are paths from the host's root: under the
site's path, never `/vi/` (issue 12). Served here by a small host that maps /tre-em/ to the site
folder, answers 404 elsewhere, and gives the language's 404 page for a missing path under it.
"""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import TINY_SITE, TODAY, write_tree
from loa.pipeline import Options, build

PREFIX = "/tre-em/"
SITE_URL = f"https://portal.example.gov.vn{PREFIX}"


class Host(http.server.SimpleHTTPRequestHandler):
    """Serves the site under PREFIX only, with 404.html as hosts do (the language's, else the root's)."""

    def __init__(self, *args: object, site: Path, **kwargs: object) -> None:
        self.site = site
        super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if not path.startswith(PREFIX):
            self.send_error(404)
            return
        inside = path[len(PREFIX):]
        target = self.site / inside
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or ".." in inside.split("/"):
            lang = self.site / inside.split("/")[0] / "404.html"
            self._send(404, lang if inside and lang.is_file() else self.site / "404.html")
            return
        self._send(200, target)

    def _send(self, status: int, file: Path) -> None:
        body = file.read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and name in ("href", "src", "action"):
                self.links.append(value)
            if value is not None and name == "data-bundle":  # Pagefind's bundle folder
                self.links.append(value + "pagefind-entry.json")


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    files = dict(TINY_SITE)
    files["mkdocs.yml"] = files["mkdocs.yml"].replace("site_url: https://example.org/", f"site_url: {SITE_URL}")
    root = write_tree(tmp_path_factory.mktemp("subpath") / "project", files)
    build(Options(root=root, out=root / "site", today=TODAY, jobs=1))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Host, site=root / "site"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def broken_links(host: str, path: str) -> list[str]:
    """The links of the page served at `path` that do not lead to a file of the site."""
    _status, text = fetch(host + path)
    parser = Links()
    parser.feed(text)
    assert parser.links, path
    broken = []
    for link in parser.links:
        if link.startswith(("tel:", "mailto:", "#")):
            continue
        url = urljoin(host + path, link)
        if url.startswith(SITE_URL):  # canonical and hreflang links: the same path on this host
            url = host + urlsplit(url).path
        if fetch(url.split("#")[0])[0] != 200:
            broken.append(f"{link} -> {url}")
    return broken


@pytest.mark.parametrize("path", [
    f"{PREFIX}vi/no/such/page/",             # the vi 404 page, three folders deep
    f"{PREFIX}en/drowning/gone.html",         # the en 404 page
    f"{PREFIX}vi/404.html",                   # the vi 404 page where it is
    f"{PREFIX}no-such-language/deep/page/",   # the root 404 page, deep
    f"{PREFIX}404.html",
    PREFIX,                                   # the root language chooser
])
def test_every_link_resolves_under_the_sub_path(host: str, path: str) -> None:
    assert broken_links(host, path) == []


def test_the_404_pages_are_served(host: str) -> None:
    status, text = fetch(f"{host}{PREFIX}vi/no/such/page/")
    assert status == 404 and f'href="{PREFIX}vi/"' in text and 'href="/vi/"' not in text
    status, text = fetch(f"{host}{PREFIX}nowhere/")
    assert status == 404 and f'href="{PREFIX}en/"' in text and 'href="/en/"' not in text


def test_without_a_sub_path_the_404_links_are_from_the_root(tiny_site: Path, tmp_path: Path) -> None:
    build(Options(root=tiny_site, out=tmp_path / "site", today=TODAY, jobs=1))
    assert '<a href="/vi/"' in (tmp_path / "site/vi/404.html").read_text(encoding="utf-8")
    assert '<a href="/en/"' in (tmp_path / "site/404.html").read_text(encoding="utf-8")
