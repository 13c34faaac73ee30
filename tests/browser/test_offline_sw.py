"""Reading without a network: the service worker (theme/loa/sw.js, loa/outputs/serviceworker.py) in real Chromium.

A tiny real site is built and served over http://127.0.0.1 (a service worker needs http, not file://).
Pages a reader opened are read again offline; a page never opened shows the offline page in the reader's
language; "save for offline" on a campaign page keeps its materials and their PDFs; a new build reaches the
reader after one reload online, and the old cache is gone; no request goes to another host.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from loa.outputs.serviceworker import KEPT_LIMIT
from loa.pipeline import Options, build

from . import csp
from .conftest import TODAY, _QuietHandler
from .test_a11y import AXE_OPTIONS, OURS, RUN_AXE, WCAG

# Playwright reports a service worker's own requests only with this set (read when its driver starts).
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

CONTROLLED = "() => navigator.serviceWorker.controller !== null"
KEPT = """async (url) => {
  for (const name of await caches.keys()) {
    if (/^loa-/.test(name) && !['loa-kept', 'loa-saved'].includes(name) && await (await caches.open(name)).match(url)) {
      return true;
    }
  }
  return false;
}"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, built_site: Path) -> Path:
    """The tiny site, built once (after the session's sample site, before Playwright's threads start)."""
    from conftest import TINY_SITE, write_tree  # tests/conftest.py

    root = write_tree(tmp_path_factory.mktemp("offline") / "project", dict(TINY_SITE))
    build(Options(root=root, out=root / "site", today=TODAY, jobs=1))
    return root


@pytest.fixture(scope="module")
def site_url(project: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(project / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def new_context(browser: Any, base: str) -> tuple[Any, list[str]]:
    """A fresh profile (no cache, no worker), recording every request of its pages and workers."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    csp.watch(context)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    return context, requests


def elsewhere(requests: list[str], base: str) -> list[str]:
    return [url for url in requests if not url.startswith((base, "data:", "blob:"))]


def open_kept(page: Any, url: str) -> None:
    """Open `url` and wait until the worker controls the page and has kept it."""
    page.goto(url)
    page.wait_for_function(CONTROLLED, timeout=20_000)
    page.wait_for_function(KEPT, arg=url, timeout=20_000)


def axe_findings(page: Any, base: str) -> list[str]:
    page.add_script_tag(url=base + "__axe__/axe.min.js")
    violations = page.evaluate(RUN_AXE, [AXE_OPTIONS, OURS])
    return [f"{v['id']}: {n['target']}" for v in violations for n in v["nodes"]
            if n["ours"] or any(tag in WCAG for tag in v["tags"])]


def test_opened_pages_are_read_offline_and_others_show_the_offline_page(browser: Any, site_url: str,
                                                                         axe_source: Path) -> None:
    context, requests = new_context(browser, site_url)
    try:
        page = context.new_page()
        open_kept(page, site_url + "vi/")
        open_kept(page, site_url + "vi/drowning/ten-actions/")
        assert context.service_workers, "no service worker registered"
        page.add_script_tag(url=site_url + "__axe__/axe.min.js")  # kept by the worker, for the audit offline
        context.set_offline(True)
        page.reload()
        assert page.locator("h1").first.inner_text() == "Mười hành động phòng, chống đuối nước"
        assert page.locator(".loa-hotline").is_visible()
        page.goto(site_url + "vi/")
        assert page.locator(".loa-hotline").is_visible()
        # never opened: the offline page, in the page's language, with the hotline and the way home
        page.goto(site_url + "vi/drowning/checklist/")
        assert page.locator("h1").inner_text() == "Không có kết nối mạng"
        assert page.locator(".loa-hotline .loa-tel").get_attribute("href") == "tel:111"
        page.locator(".md-content a", has_text="Về trang chủ").click()
        page.wait_for_url(site_url + "vi/")
        assert page.locator(".loa-hotline").is_visible()
        page.goto(site_url + "vi/drowning/checklist/")
        assert page.evaluate("getComputedStyle(document.querySelector('.loa-hotline')).display") != "none"
        assert not axe_findings(page, site_url)
        assert not csp.problems(page, "offline page")
        assert not elsewhere(requests, site_url)
    finally:
        context.close()


def test_a_saved_campaign_is_read_offline_with_its_materials_and_pdfs(browser: Any, site_url: str,
                                                                       axe_source: Path) -> None:
    context, requests = new_context(browser, site_url)
    try:
        page = context.new_page()
        page.goto(site_url + "vi/campaigns/safe-summer/")
        button = page.get_by_role("button", name="Lưu để đọc khi không có mạng")
        button.click(timeout=20_000)  # shown once the worker is registered
        status = page.locator(".loa-save__status")
        page.wait_for_function("() => document.querySelector('.loa-save__status').textContent.startsWith('Đã lưu:')",
                               timeout=30_000)
        assert status.inner_text().startswith("Đã lưu:")
        assert not axe_findings(page, site_url)
        assert not csp.problems(page, "campaign page")
        context.set_offline(True)
        for url, title in (("vi/drowning/ten-actions/", "Mười hành động phòng, chống đuối nước"),
                           ("vi/drowning/checklist/", "Danh sách kiểm tra an toàn trong nhà")):
            page.goto(site_url + url)
            assert page.locator("h1").first.inner_text() == title
        pdf = page.evaluate("""async (url) => {
            const response = await fetch(url);
            const start = new Uint8Array(await response.arrayBuffer()).slice(0, 5);
            return [response.status, String.fromCharCode(...start)];
        }""", site_url + "vi/drowning/ten-actions/ten-actions.a4.pdf")
        assert pdf == [200, "%PDF-"]
        assert page.evaluate("(url) => fetch(url).then(r => r.status)", site_url + "vi/images/pool.svg") == 200
        assert not elsewhere(requests, site_url)
    finally:
        context.close()


def test_a_new_build_shows_after_one_reload_and_the_old_cache_is_deleted(browser: Any, project: Path,
                                                                         site_url: str) -> None:
    material = project / "content/vi/drowning/ten-actions.md"
    original = material.read_text(encoding="utf-8")
    context, requests = new_context(browser, site_url)
    try:
        page = context.new_page()
        url = site_url + "vi/drowning/ten-actions/"
        open_kept(page, url)
        before = page.evaluate("caches.keys()")
        assert len([name for name in before if name not in ("loa-kept", "loa-saved")]) == 1, before
        material.write_text(original.replace("Trẻ cần người lớn trông chừng.", "Dạy trẻ biết bơi sớm."),
                            encoding="utf-8")
        build(Options(root=project, out=project / "site", today=TODAY, jobs=1))
        page.reload()
        assert "Dạy trẻ biết bơi sớm." in page.locator(".md-content").inner_text()
        # the new worker takes over and deletes the old version's cache (what it held moves to loa-kept)
        page.wait_for_function("""async (old) => {
            const names = await caches.keys();
            return !names.includes(old) && names.some(n => /^loa-/.test(n) && !['loa-kept', 'loa-saved'].includes(n));
        }""", arg=next(name for name in before if name not in ("loa-kept", "loa-saved")), timeout=20_000)
        assert not elsewhere(requests, site_url)
    finally:
        context.close()
        material.write_text(original, encoding="utf-8")


IN_A_CACHE = """async (url) => {
  for (const name of await caches.keys()) if (await (await caches.open(name)).match(url)) return name;
  return null;
}"""


def test_the_offline_copy_is_downloaded_but_never_kept(browser: Any, project: Path, site_url: str) -> None:
    """The ZIP a teacher downloads (megabytes) goes to the download, not to the worker's caches."""
    copy = next((project / "site" / "vi").glob("*-offline.zip"))
    url = site_url + "vi/" + copy.name
    context, requests = new_context(browser, site_url)
    try:
        page = context.new_page()
        open_kept(page, site_url + "vi/")
        with page.expect_download() as download:
            page.locator(f'a[href$="{copy.name}"]').first.click()
        assert download.value.path().stat().st_size == copy.stat().st_size
        assert page.evaluate("(url) => fetch(url).then(r => r.status)", url) == 200
        page.wait_for_timeout(1500)  # a worker that kept it would have put it by now
        assert page.evaluate(IN_A_CACHE, url) is None
        assert not elsewhere(requests, site_url)
    finally:
        context.close()


def test_kept_pages_are_bounded_oldest_first_and_saved_ones_stay(browser: Any, project: Path,
                                                                 site_url: str) -> None:
    """A new worker moves the older caches to loa-kept and cuts it to KEPT_LIMIT entries, the oldest first,
    never one a reader saved. The older cache is made in the page (more entries than the limit, the saved
    campaign's first, so the oldest); the new worker is the same sw.js with one more byte."""
    worker = project / "site" / "sw.js"
    code = worker.read_text(encoding="utf-8")
    context, _requests = new_context(browser, site_url)
    try:
        page = context.new_page()
        page.goto(site_url + "vi/campaigns/safe-summer/")
        page.get_by_role("button", name="Lưu để đọc khi không có mạng").click(timeout=20_000)
        page.wait_for_function("() => document.querySelector('.loa-save__status').textContent.startsWith('Đã lưu:')",
                               timeout=30_000)
        saved = page.evaluate("async () => (await (await caches.open('loa-saved')).keys()).map(r => r.url)")
        assert site_url + "vi/drowning/ten-actions/ten-actions.a4.pdf" in saved
        page.evaluate("""async ([limit, saved]) => {
            const old = await caches.open('loa-0old');
            for (const url of saved) await old.put(url, new Response('saved'));
            for (let i = 0; i < limit + 20; i++) await old.put(location.origin + '/old/' + i, new Response('old'));
        }""", [KEPT_LIMIT, saved])
        worker.write_text(code + "\n", encoding="utf-8")
        page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
        kept: list[str] = []
        for _ in range(100):  # the new worker moves the entries one by one, then cuts (a polling of up to 20 s)
            names = page.evaluate("caches.keys()")
            kept = page.evaluate("async () => (await (await caches.open('loa-kept')).keys()).map(r => r.url)")
            if "loa-0old" not in names and len(kept) <= KEPT_LIMIT:
                break
            page.wait_for_timeout(200)
        assert "loa-0old" not in names
        assert len(kept) == KEPT_LIMIT
        assert set(saved) <= set(kept)
        old = [url.rsplit("/", 1)[1] for url in kept if "/old/" in url]
        assert old == [str(i) for i in range(20 + len(saved), KEPT_LIMIT + 20)]  # the newest, in order
    finally:
        context.close()
        worker.write_text(code, encoding="utf-8")
