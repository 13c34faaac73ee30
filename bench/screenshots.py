"""Screenshots of the pages the design is judged on, at phone, tablet and desktop widths, light and dark.

Serves a built site on 127.0.0.1 and opens each page in Chromium (Debian's, driven by Playwright).

    .venv/bin/python build.py build --out /tmp/site --today 2026-12-01
    .venv/bin/python bench/screenshots.py /tmp/site --out /tmp/shots             # every page, width, scheme
    .venv/bin/python bench/screenshots.py /tmp/site --out /tmp/shots --widths 360 --schemes light --full
"""

from __future__ import annotations

import argparse
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

PAGES = {
    "home": "en/",
    "campaign": "en/campaigns/safer-internet-2027/",
    "material-families": "en/online-safety/first-phone/",
    "material-children": "en/online-safety/cyberbullying/",
    "topic": "en/topics/online-safety/",
    "404": "en/404.html",
    "root": "",
}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--widths", default="360,768,1280")
    parser.add_argument("--schemes", default="light,dark")
    parser.add_argument("--lang", default="en", help="the language prefix of the pages")
    parser.add_argument("--full", action="store_true", help="the whole page, not only the first screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for scheme in args.schemes.split(","):
            color: Literal["light", "dark"] = "dark" if scheme == "dark" else "light"
            for width in (int(w) for w in args.widths.split(",")):
                context = browser.new_context(viewport={"width": width, "height": 800 if width > 400 else 740},
                                              color_scheme=color, device_scale_factor=1)
                page = context.new_page()
                for name in args.pages.split(","):
                    path = PAGES[name]
                    if path.startswith("en/"):
                        path = f"{args.lang}/" + path[3:]
                    page.goto(base + path)
                    page.screenshot(path=str(args.out / f"{name}-{width}-{scheme}.png"), full_page=args.full)
                context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
