"""The built HTML: valid (Nu Html Checker), and every internal link and #anchor resolves. No browser."""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

LANGS = ("vi", "en", "hmn")
SITE_ORIGIN = "http://loa.test/"
# Nu Html Checker messages we accept, each with its reason. Empty: every error is fixed in theme/.
VNU_ACCEPTED: dict[str, str] = {}


class _Links(HTMLParser):
    """Collects ids and the targets of href/src attributes of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.base: str | None = None
        self.first_a: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(str(values[name]))
        if tag == "base" and values.get("href"):
            self.base = values["href"]
        if tag == "a" and self.first_a is None:
            self.first_a = values.get("href")
        if tag in ("a", "link", "area") and values.get("href") and values.get("rel") not in ("canonical", "alternate"):
            self.links.append(str(values["href"]))
        if tag in ("img", "script", "source") and values.get("src"):
            self.links.append(str(values["src"]))


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(site: Path, url_path: str) -> Path:
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def broken_links(site: Path, pages: list[Path]) -> list[str]:
    ids: dict[Path, set[str]] = {}
    problems: list[str] = []
    for page in pages:
        rel = page.relative_to(site).as_posix()
        page_url = SITE_ORIGIN + (rel.removesuffix("index.html"))
        parsed = parse(page)
        ids.setdefault(page, parsed.ids)
        for href in parsed.links:
            url = urlsplit(urljoin(page_url, href))
            if f"{url.scheme}://{url.netloc}/" != SITE_ORIGIN:
                continue  # tel:, mailto:, https://other.host/: not ours to resolve
            target = target_file(site, url.path)
            if not target.is_file():
                problems.append(f"{rel}: {href} -> {target.relative_to(site)} does not exist")
                continue
            if url.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = parse(target).ids
                if unquote(url.fragment) not in ids[target]:
                    problems.append(f"{rel}: {href} -> no id '{url.fragment}' in {target.relative_to(site)}")
    return problems


@pytest.mark.parametrize("lang", [*LANGS, ""])
def test_internal_links_and_anchors_resolve(built_site: Path, lang: str) -> None:
    pages = sorted((built_site / lang).rglob("*.html")) if lang else sorted(built_site.glob("*.html"))
    assert pages
    problems = broken_links(built_site, pages)
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems)


def test_the_link_checker_finds_a_broken_link_and_anchor(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="x"><a href="../b/">b</a> <a href="#y">y</a> <a href="#x">x</a>'
                                               '<a href="tel:111">t</a> <a href="/a/#x">a</a></p>')
    assert broken_links(tmp_path, [tmp_path / "a" / "index.html"]) == [
        "a/index.html: ../b/ -> b/index.html does not exist",
        "a/index.html: #y -> no id 'y' in a/index.html",
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_skip_link_comes_first_and_targets_the_content(built_site: Path, lang: str) -> None:
    """WCAG 2.4.1: on every page, with or without a table of contents, the first link skips to the content."""
    wrong = []
    for page in sorted((built_site / lang).rglob("*.html")):
        parsed = parse(page)
        if parsed.first_a != "#loa-content" or "loa-content" not in parsed.ids:
            wrong.append(f"{page.relative_to(built_site)}: first link {parsed.first_a!r}")
    assert not wrong, "\n".join(wrong)


def test_html_is_valid(built_site: Path, vnu_command: list[str]) -> None:
    """The Nu Html Checker over every built page at once (one JVM start)."""
    run = subprocess.run([*vnu_command, "--errors-only", "--format", "json", "--skip-non-html", str(built_site)],
                         capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [m for m in messages
              if m.get("type") == "error" and not any(k in m.get("message", "") for k in VNU_ACCEPTED)]
    checked = len(list(built_site.rglob("*.html")))
    assert checked > 100
    lines = [f"{m.get('url', '').split(str(built_site))[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
             for m in errors]
    assert not errors, f"{len(errors)} HTML errors in {checked} files:\n" + "\n".join(lines[:50])
