"""What a reader waits for on slow 3G: first and repeat visits of three pages, the first search and the next.

Serves a built site on 127.0.0.1 (gzip level 6 for text, as a static host sends it; `Last-Modified` and
`Cache-Control: no-cache`: the repeat visit comes after the host's cache time, every file is asked for
again and a 304 costs a round trip) and opens pages in Debian's Chromium (Playwright) with the
Chrome DevTools Protocol's network emulation: slow 3G, 400 kbit/s down and up, 400 ms round trip, CPU not
throttled. The emulation is applied to the page and to the site's service worker, if it has one (its own
requests are not the page's).

    .venv/bin/python bench/slow3g.py /tmp/site --label before
    .venv/bin/python bench/slow3g.py bench/out/n1000/site-loa --material vi/s00/m-0001/ --campaign vi/campaigns/c-0001/

For each page, in a new browser profile: the first visit, then (after the service worker, if any, has
taken control) a repeat visit of the same address, as when the reader comes back. Measured per visit:
first contentful paint, the time until the hotline bar has been laid out and a frame drawn, and the
bytes the server sent (headers and bodies, for the page and everything the page or its worker fetched
until the network is quiet). Then, on a material page already open: the first search (the field gets
focus and a query is typed at once: Pagefind loads), the next query, and a query after the page is opened
again (what a kept Pagefind saves), each until the results are shown; then, in a new profile, the first
search typed at a reader's pace (5 characters a second), from focus and from the last key.
The report is printed and written to bench/results/<YYYY-MM-DD>-slow3g.md (`-2`, `-3`... later the same day).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import gzip
import json
import statistics
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
TEXT = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml",
        "application/atom+xml")
RESULTS = Path(__file__).parent / "results"

# Records, in the page, when the hotline bar first exists with a size: rendering (and so animation frames)
# waits for the stylesheets in <head>, so the first frame that sees it laid out is the one that draws it.
HOTLINE_PROBE = """
(() => {
  function look() {
    const bar = document.querySelector(".loa-hotline");
    if (bar && bar.getBoundingClientRect().height > 0) { window.__loaHotline = performance.now(); return; }
    requestAnimationFrame(look);
  }
  requestAnimationFrame(look);
})();
"""


class Counted(SimpleHTTPRequestHandler):
    """A static host: gzip for text (level 6), Last-Modified and revalidation; counts the bytes it sends."""

    sent: ClassVar[list[int]] = [0]
    last: ClassVar[list[float]] = [0.0]
    packed: ClassVar[dict[tuple[str, float], bytes]] = {}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        # the repeat visit comes after the host's cache time: the browser asks again for every file (a 304
        # costs a round trip, not the file)
        self.send_header("Cache-Control", "no-cache")
        Counted.last[0] = time.monotonic()
        super().end_headers()

    def send_header(self, keyword: str, value: str) -> None:
        Counted.sent[0] += len(keyword) + len(value) + 4
        super().send_header(keyword, value)

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not kind.startswith(TEXT) or self.headers.get("If-Modified-Since"):
            return super().send_head()
        stat = path.stat()
        data = Counted.packed.get((str(path), stat.st_mtime))
        if data is None:
            data = Counted.packed[(str(path), stat.st_mtime)] = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        if self.command != "HEAD":
            Counted.sent[0] += len(data)
            self.wfile.write(data)
        return None

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        Counted.sent[0] += len(data)
        outputfile.write(data)


def quiet(seconds: float = 1.5, limit: float = 60.0) -> None:
    """Wait until the server has answered nothing for `seconds` (the page and its worker are done)."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if time.monotonic() - Counted.last[0] >= seconds:
            return
        time.sleep(0.1)


class Emulation:
    """Slow 3G on every page and service worker of a context, through the browser's DevTools session."""

    def __init__(self, browser: Any) -> None:
        self.session = browser.new_browser_cdp_session()
        self.session.on("Target.attachedToTarget", self._attached)
        self.session.send("Target.setDiscoverTargets", {"discover": True})
        self.session.on("Target.targetCreated", self._created)
        self.workers = 0

    def _created(self, event: dict[str, Any]) -> None:
        info = event["targetInfo"]
        if info["type"] == "service_worker":
            self.session.send("Target.attachToTarget", {"targetId": info["targetId"], "flatten": False})

    def _attached(self, event: dict[str, Any]) -> None:
        if event["targetInfo"]["type"] != "service_worker":
            return
        self.workers += 1
        for number, (method, params) in enumerate((("Network.enable", {}),
                                                   ("Network.emulateNetworkConditions", SLOW_3G))):
            message = json.dumps({"id": number + 1, "method": method, "params": params})
            with contextlib.suppress(Exception):  # the browser closing as a worker starts
                self.session.send("Target.sendMessageToTarget", {"sessionId": event["sessionId"], "message": message})

    @staticmethod
    def page(context: Any, page: Any) -> None:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})


def visit(context: Any, url: str) -> dict[str, float]:
    page = context.new_page()
    Emulation.page(context, page)
    Counted.sent[0] = 0
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_function("() => window.__loaHotline !== undefined", timeout=60_000)
    fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || -1")
    hotline = page.evaluate("window.__loaHotline")
    served = page.evaluate("performance.getEntriesByType('navigation')[0].workerStart > 0")
    html = page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")
    quiet()
    result = {"fcp": fcp, "hotline": hotline, "html": html, "bytes": Counted.sent[0], "worker": float(served)}
    page.close()
    return result


def measure_page(browser: Any, emulation: Any, url: str) -> tuple[dict[str, float], dict[str, float]]:
    context = browser.new_context()
    context.add_init_script(HOTLINE_PROBE)
    first = visit(context, url)
    page = context.new_page()
    page.goto(url, wait_until="load", timeout=120_000)
    # a worker registered after `load` takes control once installed: wait for it (at most 30 s), as the reader's
    # later visit would find it
    page.evaluate("""() => !navigator.serviceWorker ? null : Promise.race([
        navigator.serviceWorker.getRegistration().then(r => r ? navigator.serviceWorker.ready : null),
        new Promise(ok => setTimeout(ok, 30000))])""")
    quiet()
    page.close()
    repeat = visit(context, url)
    context.close()
    return first, repeat


def searching(browser: Any, url: str, queries: list[str]) -> tuple[float, float, float, int, int, int]:
    context = browser.new_context()
    page = context.new_page()
    Emulation.page(context, page)
    page.goto(url, wait_until="load", timeout=120_000)
    quiet()
    times: list[float] = []
    counts: list[int] = []
    for query in queries[:2]:
        page.wait_for_function("() => !document.querySelector('.loa-search__results').children.length")
        Counted.sent[0] = 0
        start = time.monotonic()
        page.fill("#loa-search-input", query)
        page.wait_for_function(SHOWN, polling="raf", timeout=120_000)
        times.append(time.monotonic() - start)
        quiet()
        counts.append(Counted.sent[0])
        page.fill("#loa-search-input", "")
    # a later visit (the page opened again, a new query): what a kept Pagefind saves
    page.goto(url, wait_until="load", timeout=120_000)
    quiet()
    Counted.sent[0] = 0
    start = time.monotonic()
    page.fill("#loa-search-input", queries[2])
    page.wait_for_function(SHOWN, polling="raf", timeout=120_000)
    times.append(time.monotonic() - start)
    quiet()
    counts.append(Counted.sent[0])
    context.close()
    return times[0], times[1], times[2], counts[0], counts[1], counts[2]


SHOWN = """() => {
    const status = document.querySelector('.loa-search__status').textContent.trim();
    return status && !status.endsWith('…') && document.querySelector('.loa-search__results').children.length;
}"""


def typed(browser: Any, url: str, query: str) -> tuple[float, float]:
    """The first search as a reader makes it: the field gets focus (Pagefind starts loading), the query is
    typed at 5 characters a second. Returns (from focus, from the last key) until the results are shown."""
    context = browser.new_context()
    page = context.new_page()
    Emulation.page(context, page)
    page.goto(url, wait_until="load", timeout=120_000)
    quiet()
    start = time.monotonic()
    page.focus("#loa-search-input")
    page.keyboard.type(query, delay=200)
    typed_at = time.monotonic()
    page.wait_for_function(SHOWN, polling="raf", timeout=120_000)
    end = time.monotonic()
    context.close()
    return end - start, end - typed_at


def middle(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def report_path(day: str) -> Path:
    path = RESULTS / f"{day}-slow3g.md"
    number = 2
    while path.exists():
        path = RESULTS / f"{day}-slow3g-{number}.md"
        number += 1
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--home", default="vi/")
    parser.add_argument("--campaign", default="vi/campaigns/safe-summer-2026/")
    parser.add_argument("--material", default="vi/drowning/ten-actions/")
    parser.add_argument("--queries", default="duoi nuoc,an toan,tre em",
                        help="the first search, the next, and one on a later visit of the page")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the report gives each figure's median")
    parser.add_argument("--label", default="", help="a word for the report's title (before, after)")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()
    site = args.site.resolve()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counted, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        emulation = Emulation(browser)
        for label, path in (("home", args.home), ("campaign", args.campaign), ("material", args.material)):
            runs = [measure_page(browser, emulation, base + path) for _ in range(args.repeat)]
            rows.append((label, path, middle([run[0] for run in runs]), middle([run[1] for run in runs])))
        queries = args.queries.split(",")
        first_query, next_query, later_query = queries
        search = tuple(map(statistics.median, zip(*(searching(browser, base + args.material, queries)
                                                     for _ in range(args.repeat)), strict=True)))
        reader = tuple(map(statistics.median, zip(*(typed(browser, base + args.material, first_query)
                                                    for _ in range(args.repeat)), strict=True)))
        workers = emulation.workers
        browser.close()
    server.shutdown()
    lines = [f"# Slow 3G{' (' + args.label + ')' if args.label else ''}: {site.name}, "
             f"{datetime.date.today().isoformat()}", "",
             "Chromium with DevTools network emulation: 400 kbit/s down and up, 400 ms round trip, CPU not "
             "throttled; gzip level 6 for text, `Cache-Control: no-cache` (the repeat visit comes after the "
             "host's cache time: every file is asked for again, a 304 costs a round trip); `bench/slow3g.py`, "
             f"median of {args.repeat} runs. "
             "Goals (issue #17): first visit's content ≤ 2.5 s, repeat visit ≤ 1 s, first search's results ≤ 4 s.", "",
             "| page | visit | page's HTML received (s) | first contentful paint (s) | hotline visible (s) | KB sent "
             "| from service worker |",
             "|---|---|---:|---:|---:|---:|---|"]
    for label, path, first, repeat in rows:
        for kind, m in (("first", first), ("repeat", repeat)):
            times = " | ".join(f"{m[key] / 1000:.2f}" for key in ("html", "fcp", "hotline"))
            lines.append(f"| {label} (`/{path}`) | {kind} | {times} | {m['bytes'] / 1024:.1f} | "
                         f"{'yes' if m['worker'] else 'no'} |")
    lines += ["", "| search (on the material page) | results shown (s) | KB sent |", "|---|---:|---:|",
              f"| first, '{first_query}' (Pagefind loads) | {search[0]:.2f} | {search[3] / 1024:.1f} |",
              f"| next, '{next_query}' | {search[1]:.2f} | {search[4] / 1024:.1f} |",
              f"| on a later visit of the page, '{later_query}' | {search[2]:.2f} | {search[5] / 1024:.1f} |", "",
              f"The first search as a reader types it (focus, then 5 characters a second): results {reader[0]:.2f} s "
              f"after the field got focus, {reader[1]:.2f} s after the last key.", "",
              f"Service workers seen (and throttled): {workers}."]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_save:
        path = report_path(datetime.date.today().isoformat())
        path.write_text(text, encoding="utf-8")
        print(f"written to {path}")


if __name__ == "__main__":
    main()
