"""Page weight as a reader's phone sees it: bytes fetched by a first visit, a second page, a first search.

Serves a built site on 127.0.0.1, opens pages in Chromium (Debian's, driven by Playwright) and adds
up what the browser requested, raw and gzip-compressed (level 6, as a static host would send it).

    .venv/bin/python bench/weight.py site                     # the sample site, after `make site`
    .venv/bin/python bench/weight.py bench/out/n1000/site-loa --page vi/s00/m-0001/
"""

from __future__ import annotations

import argparse
import functools
import gzip
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


class Quiet(SimpleHTTPRequestHandler):
    served: ClassVar[list[str]] = []
    """Every GET the server answered: the page's requests and the service worker's own (which Playwright's
    page events do not see: the worker fetches `sw.js`'s offline page after `load`, theme/loa/sw.js)."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        Quiet.served.append(self.path)
        super().do_GET()


def sizes(site: Path, urls: list[str]) -> tuple[int, int, int]:
    raw = packed = count = 0
    for url in dict.fromkeys(urls):
        path = site / unquote(urlsplit(url).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            packed += len(gzip.compress(data, 6, mtime=0))
            count += 1
    return count, raw, packed


def index_bytes(site: Path) -> dict[str, int]:
    totals: dict[str, int] = {}
    for path in site.glob("*/pagefind/**/*"):
        if path.is_file() and "_" in path.name and path.suffix in (".pf_index", ".pf_fragment", ".pf_meta"):
            lang = path.name.split("_")[0].removeprefix("pagefind.")
            totals[lang] = totals.get(lang, 0) + path.stat().st_size
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--page", default="vi/drowning/ten-actions/", help="a typical material page")
    parser.add_argument("--second", default="vi/drowning/float-to-survive/", help="the next page read")
    parser.add_argument("--query", default="duoi nuoc")
    parser.add_argument("--width", type=int, default=0, help="window width, CSS px (default 1280)")
    args = parser.parse_args()
    site = args.site.resolve()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        # bypass_csp: Playwright's wait_for_function evaluates a string, which the pages' CSP refuses (no
        # 'unsafe-eval'); the bytes fetched are the same
        window = {"viewport": {"width": args.width, "height": 800}} if args.width else {}
        page = browser.new_page(bypass_csp=True, **window)  # type: ignore[arg-type]
        seen: list[str] = []
        # HEAD requests (the PDF links ask for their size, theme/assets/javascripts/loa.js) fetch no body
        page.on("request", lambda request: seen.append(request.url) if request.method == "GET" else None)
        page.goto(base + args.page)
        page.wait_for_load_state("networkidle")
        first = list(seen)
        # the service worker registers after `load` and keeps the page's files (from the HTTP cache) and the
        # offline page (from the network): what the server answered meanwhile, besides the page's own requests
        page.evaluate("() => navigator.serviceWorker ? navigator.serviceWorker.ready.then(() => true) : false")
        page.wait_for_timeout(1500)
        worker = [url for url in (base.rstrip("/") + path for path in Quiet.served) if url not in first]
        seen.clear()
        page.goto(base + args.second)
        page.wait_for_load_state("networkidle")
        second = [url for url in seen if url not in first]
        seen.clear()
        page.fill("#loa-search-input", args.query)
        # a function, not an expression: Playwright evaluates an expression with eval(), which the CSP refuses
        page.wait_for_function("() => (s => s && !s.endsWith('…'))("
                               "document.querySelector('.loa-search__status').textContent.trim())")
        page.wait_for_load_state("networkidle")
        query = [url for url in seen if "/pagefind/" in url]
        browser.close()
    server.shutdown()
    print("| what | requests | raw (KB) | gzip (KB) |\n|---|---:|---:|---:|")
    for label, urls in ((f"first visit of /{args.page}", first),
                        ("the service worker, after load (its script, the offline page)", worker),
                        (f"then /{args.second}", second), (f"first search, '{args.query}'", query)):
        count, raw, packed = sizes(site, urls)
        print(f"| {label} | {count} | {raw / 1024:.1f} | {packed / 1024:.1f} |")
    print("\nThe service worker's requests: " + ", ".join(urlsplit(url).path for url in worker))
    searched = [url for url in first if "pagefind" in url]
    print(f"\nSearch files fetched before the reader searches: {len(searched)}")
    print("Search index on disk per language (index + fragments + meta, KB): "
          + ", ".join(f"{lang} {size / 1024:.0f}" for lang, size in sorted(index_bytes(site).items())))


if __name__ == "__main__":
    main()
