"""The service worker's files (loa/outputs/serviceworker.py): sw.js with the build's version, the offline pages, and
what a campaign page's "save for offline" keeps. Its behaviour in Chromium: tests/browser/test_offline_sw.py."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from conftest import BuildSite
from loa.outputs.serviceworker import KEPT_LIMIT, LARGE


def version(site: Path) -> str:
    found = re.search(r'var VERSION = "([0-9a-f]+)";', (site / "sw.js").read_text(encoding="utf-8"))
    assert found, "sw.js has no version"
    return found.group(1)


def saved(page: Path) -> list[str]:
    found = re.search(r'<div class="loa-save" hidden data-urls="([^"]*)"', page.read_text(encoding="utf-8"))
    return json.loads(html.unescape(found.group(1))) if found else []


def test_the_worker_its_offline_pages_and_the_save_list(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    site = tiny_site / "site"
    code = (site / "sw.js").read_text(encoding="utf-8")
    assert 'var LANGUAGES = ["vi", "en"];' in code
    assert "__LOA_" not in code
    assert "Không có kết nối mạng" in (site / "vi/offline.html").read_text(encoding="utf-8")
    assert "You are offline" in (site / "en/offline.html").read_text(encoding="utf-8")
    # the campaign page keeps itself, its posters and leaflet, its two materials and their PDFs
    campaign = site / "vi/campaigns/safe-summer/index.html"
    urls = saved(campaign)
    assert urls[0] == "./"
    assert "../../drowning/ten-actions/" in urls and "../../drowning/checklist/" in urls
    assert "../../drowning/ten-actions/ten-actions.a4.pdf" in urls
    assert any(url.endswith(".leaflet.a4.pdf") for url in urls)
    for url in urls:  # every file it names is in the site
        path = (campaign.parent / url).resolve()
        assert (path / "index.html" if url.endswith("/") else path).is_file(), url
    assert 'loa-offline.js"' in campaign.read_text(encoding="utf-8")
    assert saved(site / "vi/drowning/ten-actions/index.html") == []
    assert saved(site / "vi/campaigns/index.html") == []


def test_the_version_follows_the_pages(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    first = version(tiny_site / "site")
    build_site(tiny_site)
    assert version(tiny_site / "site") == first  # nothing changed: readers keep their cache
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8").replace("Trẻ cần", "Mọi trẻ cần"), encoding="utf-8")
    build_site(tiny_site)
    assert version(tiny_site / "site") != first


def test_the_offline_copies_are_downloads_the_worker_leaves_alone(tiny_site: Path, build_site: BuildSite) -> None:
    """The worker does not answer (so never keeps) a request for an offline copy: its DOWNLOAD pattern matches
    every ZIP the build writes and none of the files a reader reads; KEPT_LIMIT and LARGE are filled in."""
    build_site(tiny_site)
    site = tiny_site / "site"
    code = (site / "sw.js").read_text(encoding="utf-8")
    assert f"var KEPT_LIMIT = {KEPT_LIMIT};" in code and f"var LARGE = {LARGE};" in code
    found = re.search(r"var DOWNLOAD = /(.+)/(i?);", code)
    assert found, "sw.js has no DOWNLOAD pattern"
    download = re.compile(found.group(1), re.IGNORECASE if found.group(2) else 0)
    zips = sorted(site.rglob("*.zip"))
    assert zips, "the build wrote no offline copy"
    for path in sorted(site.rglob("*")):
        if path.is_file():
            address = "/" + path.relative_to(site).as_posix()
            assert bool(download.search(address)) == (path.suffix == ".zip"), address
