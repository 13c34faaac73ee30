"""What a reader waits for on slow 3G: first and repeat visits of three pages, the first search and the next.

Serves built sites on 127.0.0.1 (gzip level 6 for text, as a static host sends it; `Last-Modified` and
`Cache-Control: no-cache`: the repeat visit comes after the host's cache time, every file is asked for
again and a 304 costs a round trip; HTTP/1.1, so at most 6 requests at a time) and opens pages in Debian's
Chromium (Playwright) with the Chrome DevTools Protocol's network emulation: slow 3G, 400 kbit/s down and
up, 400 ms round trip, CPU not throttled. The emulation is applied to the page and to the site's service
worker, if it has one (its own requests are not the page's).

    .venv/bin/python bench/slow3g.py /tmp/site --label before
    .venv/bin/python bench/slow3g.py before=/tmp/site-main after=/tmp/site-branch --only search
    .venv/bin/python bench/slow3g.py bench/out/n1000/site-loa --material vi/s00/m-0001/ --campaign vi/campaigns/c-0001/

Several sites are measured in turn within each run (each on its own port, so its own origin, worker and
caches), so that a loaded machine slows them alike; the report puts their figures side by side.

For each page, in a new browser profile: the first visit, then (after the service worker, if any, has
taken control) a repeat visit of the same address, as when the reader comes back. Measured per visit:
first contentful paint, the time until the hotline bar has been laid out and a frame drawn, and the
bytes the server sent (headers and bodies, for the page and everything the page or its worker fetched
until the network is quiet).

The first search, as a reader on a phone makes it (360 px wide, a new profile, the material page just
opened): from the tap on the header's search button (which opens the field and gives it focus), the first
key 0.6 s later, then 4 keys a second, Loa's 250 ms pause after the last key, Pagefind's search, and the
first animation frame that shows results with their count; also the frame that shows the last of the 8
results (they are shown as they come). Times are taken in the page (performance.now()), so they include
the typing (2.6 s for 'duoi nuoc'), every request Pagefind makes and its WebAssembly's start, and nothing
of the driver. Then, on a desktop-sized page: the whole query put in the field at once, the next query,
and a query after the page is opened again (what a kept Pagefind saves), each until the results are shown.
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

    def ensure(self, context: Any) -> bool:
        """Whether the context's service worker's own requests are slowed: a request it makes takes at least a
        round trip. If not (seen now and then: the worker's DevTools session loses the emulation), its target
        is attached again and the emulation sent again; the answer is the check made after that."""
        workers = context.service_workers
        if not workers:
            return True
        probe = ("() => { const t = performance.now(); "
                 "return fetch('/robots.txt?' + t).then(() => performance.now() - t); }")
        if workers[0].evaluate(probe) >= SLOW_3G["latency"] * 0.9:
            return True
        for info in self.session.send("Target.getTargets")["targetInfos"]:
            if info["type"] == "service_worker":
                self.session.send("Target.attachToTarget", {"targetId": info["targetId"], "flatten": False})
        time.sleep(0.5)
        return bool(workers[0].evaluate(probe) >= SLOW_3G["latency"] * 0.9)

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
    slowed = emulation.ensure(context)
    repeat = visit(context, url)
    repeat["slowed"] = float(slowed and emulation.ensure(context))
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


# Times taken in the page (performance.now()), not by the driver: the tap on the header's search button, the
# last key, and the first animation frame in which the results list and the status that counts them are shown.
TAP_PROBE = """
(() => {
  addEventListener("click", (event) => {
    if (event.target.closest(".loa-search__open") && window.__loaTap === undefined) window.__loaTap = performance.now();
  }, true);
  addEventListener("keydown", () => { window.__loaKey = performance.now(); }, true);
  // the list's last change: the last of the 8 results shown (the search box shows them as they come)
  addEventListener("DOMContentLoaded", () => {
    const list = document.querySelector(".loa-search__results");
    if (list) new MutationObserver(() => { window.__loaLast = performance.now(); }).observe(list, {childList: true});
  });
  function look() {
    const status = document.querySelector(".loa-search__status");
    const list = document.querySelector(".loa-search__results");
    const text = status ? status.textContent.trim() : "";
    if (window.__loaTap !== undefined && text && !text.endsWith("…") && list.children.length) {
      window.__loaShown = performance.now();
      return;
    }
    requestAnimationFrame(look);
  }
  requestAnimationFrame(look);
})();
"""
PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
FIRST_KEY = 0.6
"""Seconds from the tap on the search button to the first key: the field opens, the phone's keyboard comes up."""
KEY = 0.25
"""Seconds a key: 4 characters a second, a practised reader on a phone's keyboard."""


def tapped(browser: Any, url: str, query: str) -> dict[str, float]:
    """The first search as a reader on a phone makes it, in a new profile on a page just opened: a tap on the
    header's search button (which opens and focuses the field), the first key FIRST_KEY s later, then a key
    every KEY s, Loa's 250 ms pause after the last key, the search, its 8 results' fragments, and the frame
    that shows them. Returns seconds from the tap and from the last key to that frame, and the bytes sent."""
    context = browser.new_context(**PHONE)
    context.add_init_script(TAP_PROBE)
    page = context.new_page()
    Emulation.page(context, page)
    page.goto(url, wait_until="load", timeout=120_000)
    quiet()
    Counted.sent[0] = 0
    page.click(".loa-search__open")
    time.sleep(FIRST_KEY)
    page.keyboard.type(query, delay=KEY * 1000)
    page.wait_for_function("() => window.__loaShown !== undefined", timeout=120_000)
    quiet()
    tap, key, shown, last = page.evaluate("[window.__loaTap, window.__loaKey, window.__loaShown, window.__loaLast]")
    sent = Counted.sent[0]
    context.close()
    return {"tap": (shown - tap) / 1000, "key": (shown - key) / 1000, "all": (last - tap) / 1000, "bytes": sent}


def middle(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def report_path(day: str) -> Path:
    path = RESULTS / f"{day}-slow3g.md"
    number = 2
    while path.exists():
        path = RESULTS / f"{day}-slow3g-{number}.md"
        number += 1
    return path


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counted, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def one_run(browser: Any, emulation: Any, base: str, args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement of one site, once."""
    queries = args.queries.split(",")
    run: dict[str, Any] = {}
    if args.only in ("all", "pages"):
        for label, path in (("home", args.home), ("campaign", args.campaign), ("material", args.material)):
            run[label] = measure_page(browser, emulation, base + path)
    if args.only in ("all", "search"):
        run["search"] = searching(browser, base + args.material, queries)
        run["tapped"] = tapped(browser, base + args.material, queries[0])
    return run


def site_argument(text: str) -> tuple[str, Path]:
    label, _, path = text.rpartition("=")
    return label or Path(path).name, Path(path).resolve()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=site_argument, metavar="[LABEL=]SITE",
                        help="built sites; several are measured in turn within each run (before=..., after=...)")
    parser.add_argument("--home", default="vi/")
    parser.add_argument("--campaign", default="vi/campaigns/safe-summer-2026/")
    parser.add_argument("--material", default="vi/drowning/ten-actions/")
    parser.add_argument("--queries", default="duoi nuoc,an toan,tre em",
                        help="the first search, the next, and one on a later visit of the page")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the report gives each figure's median")
    parser.add_argument("--only", choices=("all", "pages", "search"), default="all")
    parser.add_argument("--label", default="", help="a word for the report's title")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()
    servers = [(label, *serve(site)) for label, site in args.sites]
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _server, _base in servers}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        emulation = Emulation(browser)
        for number in range(args.repeat):
            # the sites in turn within each run (in a turning order), so that the machine's load falls on all
            for label, _server, base in servers[number % len(servers):] + servers[:number % len(servers)]:
                runs[label].append(one_run(browser, emulation, base, args))
        workers = emulation.workers
        browser.close()
    for _label, server, _base in servers:
        server.shutdown()
    text = report(args, runs, workers)
    print(text)
    if not args.no_save:
        path = report_path(datetime.date.today().isoformat())
        path.write_text(text, encoding="utf-8")
        print(f"written to {path}")


def report(args: argparse.Namespace, runs: dict[str, list[dict[str, Any]]], workers: int) -> str:
    labels = list(runs)
    names = ", ".join(f"{label} `{site}`" for label, site in args.sites)
    both = " / ".join(labels)
    lines = [f"# Slow 3G{' (' + args.label + ')' if args.label else ''}: {datetime.date.today().isoformat()}", "",
             f"Sites: {names}, measured in turn within each run. "
             "Chromium with DevTools network emulation: 400 kbit/s down and up, 400 ms round trip, CPU not "
             "throttled; gzip level 6 for text, `Cache-Control: no-cache` (the repeat visit comes after the "
             "host's cache time: every file is asked for again, a 304 costs a round trip); HTTP/1.1 "
             f"(Python's server); `bench/slow3g.py`, median of {args.repeat} runs. "
             "Goals (issue #17): first visit's content ≤ 2.5 s, repeat visit ≤ 1 s, first search's results ≤ 4 s.", ""]
    first = runs[labels[0]][0]
    if "home" in first:
        lines += [f"| page | visit | page's HTML received (s) {both} | first contentful paint (s) {both} "
                  f"| hotline visible (s) {both} | KB sent {both} | from service worker {both} "
                  f"| runs whose worker was slowed too {both} |",
                  "|---|---|---:|---:|---:|---:|---|---|"]
        paths = {"home": args.home, "campaign": args.campaign, "material": args.material}
        for page in ("home", "campaign", "material"):
            for index, kind in enumerate(("first", "repeat")):
                m = [middle([run[page][index] for run in runs[label]]) for label in labels]
                cells = [" / ".join(f"{x[key] / 1000:.2f}" for x in m) for key in ("html", "fcp", "hotline")]
                cells.append(" / ".join(f"{x['bytes'] / 1024:.1f}" for x in m))
                cells.append(" / ".join("yes" if x["worker"] else "no" for x in m))
                cells.append(" / ".join(f"{sum(run[page][index].get('slowed', 1) for run in runs[label]):.0f} of "
                                        f"{len(runs[label])}" for label in labels) if index else "")
                lines.append(f"| {page} (`/{paths[page]}`) | {kind} | " + " | ".join(cells) + " |")
        lines.append("")
    if "search" in first:
        queries = args.queries.split(",")
        search = {label: [statistics.median(v) for v in zip(*(run["search"] for run in runs[label]), strict=True)]
                  for label in labels}
        tap = {label: middle([run["tapped"] for run in runs[label]]) for label in labels}
        def row(values: Any, scale: float = 1.0) -> str:
            return " / ".join(f"{value / scale:.{1 if scale > 1 else 2}f}" for value in values)

        lines += [f"| search, on the material page | results shown (s) {both} | KB sent {both} |", "|---|---:|---:|",
                  f"| first search, '{queries[0]}', from the tap on the search button: tap, field open, first key "
                  f"{FIRST_KEY} s later, {1 / KEY:.0f} keys a second, results painted | "
                  f"**{row(tap[label]['tap'] for label in labels)}** | "
                  f"{row((tap[label]['bytes'] for label in labels), 1024)} |",
                  f"| the same, from the last key | {row(tap[label]['key'] for label in labels)} | |",
                  f"| the same, from the tap until the last of the 8 results is shown | "
                  f"{row(tap[label]['all'] for label in labels)} | |",
                  f"| first, '{queries[0]}', the whole query put in the field at once (Pagefind loads) | "
                  f"{row(search[label][0] for label in labels)} | "
                  f"{row((search[label][3] for label in labels), 1024)} |",
                  f"| next, '{queries[1]}' | {row(search[label][1] for label in labels)} | "
                  f"{row((search[label][4] for label in labels), 1024)} |",
                  f"| on a later visit of the page, '{queries[2]}' | {row(search[label][2] for label in labels)} | "
                  f"{row((search[label][5] for label in labels), 1024)} |", ""]
    lines.append(f"Service workers seen (and throttled): {workers}.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
