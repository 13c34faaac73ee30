"""The offline copy of each language (loa/outputs/offline/), unzipped into a folder and opened in Chromium from
`file://`, as a school's computer would: every link of every page followed, nothing missing, no request out of
the folder, the A–Z index in place of search, and axe-core and the Nu Html Checker on its pages.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from . import csp
from .test_a11y import AXE_OPTIONS, DESKTOP, OURS, RUN_AXE, WCAG

LANGS = ("vi", "en", "hmn")
LINKS = """() => [...Array.from(document.querySelectorAll('a[href], link[href]'), a => a.href),
                 ...Array.from(document.querySelectorAll('form[action]'), form => form.action)]"""


@dataclass
class Visit:
    """What following every link of one language's copy found."""

    folder: Path
    pages: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    online: list[str] = field(default_factory=list)
    """Links to the site online (the note's "latest version")."""
    csp: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def copies(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each language's copy, unzipped: the folder its `index.html` is in."""
    found = {}
    for lang in LANGS:
        (archive,) = (built_site / lang).glob("*-offline.zip")
        into = tmp_path_factory.mktemp(f"offline-{lang}")
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(into)
        found[lang] = into / archive.stem
    return found


def file_path(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def visit(browser: Any, folder: Path, axe: Path) -> Visit:
    """Open the copy's index.html and follow every link of every page it reaches; axe on a sample of them."""
    found = Visit(folder)
    root = folder.as_uri() + "/"
    context = browser.new_context(viewport=DESKTOP, bypass_csp=False)
    csp.watch(context)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    def failed(request: Any) -> None:
        # a request the next navigation cut short (the favicon of a page left at once) is not a missing file
        if "ERR_ABORTED" in (request.failure or "") and file_path(request.url).is_file():
            return
        found.missing.append(f"{request.url} (failed: {request.failure})")
    context.on("requestfailed", failed)
    page = context.new_page()
    queue, seen = [folder / "index.html"], {folder / "index.html"}
    while queue:
        path = queue.pop()
        here = path.relative_to(folder).as_posix()
        page.goto(path.as_uri())
        found.pages.add(here)
        found.csp += csp.problems(page, here)
        for link in page.evaluate(LINKS):
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                found.online.append(f"{here}: {link}")
            elif parts.scheme == "file":
                target = file_path(link)
                if not target.is_file():
                    found.missing.append(f"{here}: {link}")
                elif target.suffix == ".html" and target not in seen:
                    seen.add(target)
                    queue.append(target)
    found.outside = [url for url in requests if not url.startswith((root, "data:"))]
    context.close()
    # axe-core, injected (the policy allows no inline script: this context does not enforce it)
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    for here in sample(found.pages):
        page.goto((folder / here).as_uri())
        page.add_script_tag(path=str(axe))
        for violation in page.evaluate(RUN_AXE, [AXE_OPTIONS, OURS]):
            for node in violation["nodes"]:
                if any(tag in WCAG for tag in violation["tags"]) or node["ours"]:
                    found.findings.append(f"{here} {violation['id']}: {node['target']} {node['html']}")
    context.close()
    return found


def sample(pages: set[str]) -> list[str]:
    """The home, the A–Z index, and the first campaign, toolkit, material and hub page."""
    chosen = ["index.html", "search/index.html"]
    for start in ("campaigns/", "drowning/", "topics/", "audiences/"):
        chosen += sorted(p for p in pages if p.startswith(start) and p.count("/") >= 2)[:1]
    chosen += sorted(p for p in pages if p.endswith("toolkit/index.html"))[:1]
    return [p for p in chosen if p in pages]


@pytest.fixture(scope="module")
def visits(browser: Any, copies: dict[str, Path], axe_source: Path) -> Iterator[dict[str, Visit]]:
    yield {lang: visit(browser, folder, axe_source) for lang, folder in copies.items()}


@pytest.mark.parametrize("lang", LANGS)
def test_every_link_of_every_page_is_a_file_of_the_copy(visits: dict[str, Visit], lang: str) -> None:
    found = visits[lang]
    every = {path.relative_to(found.folder).as_posix() for path in found.folder.rglob("*.html")}
    assert found.pages == every  # every page reached from index.html by its links
    assert len(found.pages) > 20
    assert found.missing == []
    assert found.outside == []  # no request out of the folder
    assert found.csp == []
    # the one link to the site online on each page: its latest version, in the note
    site = [link for link in found.online if "loa.example.gov.vn" in link]
    assert len(site) == len(found.pages)
    assert all(link.split(": ", 1)[1].startswith(f"https://loa.example.gov.vn/{lang}/") for link in site)


@pytest.mark.parametrize("lang", LANGS)
def test_the_a_to_z_index_lists_every_page(browser: Any, copies: dict[str, Path], lang: str) -> None:
    folder = copies[lang]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto((folder / "search" / "index.html").as_uri())
    listed = page.evaluate("() => Array.from(document.querySelectorAll('ul.loa-az a'), a => a.href)")
    context.close()
    every = {path for path in folder.rglob("*.html") if path != folder / "search" / "index.html"}
    assert sorted(file_path(url) for url in listed) == sorted(every)


@pytest.mark.parametrize("lang", LANGS)
def test_the_search_box_says_search_is_online_only_and_opens_the_index(browser: Any, copies: dict[str, Path],
                                                                       lang: str) -> None:
    folder = copies[lang]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto((folder / "drowning" / "ten-actions" / "index.html").as_uri())
    strings = json.loads(page.get_attribute("form.loa-search", "data-strings") or "{}")
    page.focus("#loa-search-input")
    page.wait_for_function("document.querySelector('.loa-search__status').textContent.length > 0")
    assert page.text_content(".loa-search__status") == strings["offline"]
    link = page.locator(".loa-search__results a")
    assert link.text_content() == strings["offline_index"]
    assert page.locator(".loa-search__panel").is_visible()
    page.keyboard.type("nuoc")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the form opens its action: the A–Z index
    assert file_path(page.url) == folder / "search" / "index.html"
    assert page.locator("ul.loa-az").count() > 1
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_no_wcag_violations_in_the_copy(visits: dict[str, Visit], lang: str) -> None:
    assert visits[lang].findings == []


def test_the_copy_is_valid_html(copies: dict[str, Path], vnu_command: list[str]) -> None:
    """The Nu Html Checker over every page of every copy (one JVM start)."""
    folders = [str(folder) for folder in copies.values()]
    run = subprocess.run([*vnu_command, "--errors-only", "--format", "json", "--skip-non-html", *folders],
                         capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit('-offline/', 1)[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
              for m in messages if m.get("type") == "error"]
    assert sum(len(list(Path(folder).rglob("*.html"))) for folder in folders) > 60
    assert errors == []
