"""Lighthouse 12 (npm `lighthouse`, pinned in bench/lighthouse/package.json, apart from the test tools so that
`make test` does not install it) on the pages the design is judged on, mobile.

Serves a built site on 127.0.0.1 and runs Lighthouse against Debian's Chromium (CHROME_PATH), headless,
with its default mobile settings (simulated slow 4G and a 4x slower CPU); nothing leaves the machine.
Prints a Markdown table of the four scores per page, with the audits that cost points, and saves it.

    npm ci --prefix bench/lighthouse --ignore-scripts
    .venv/bin/python build.py build --out /tmp/site --today 2026-12-01
    .venv/bin/python bench/lighthouse.py /tmp/site --save bench/results/2026-11-30-lighthouse.md
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / "bench" / "lighthouse"
PAGES = {
    "root chooser": "",
    "home": "vi/",
    "campaign": "vi/campaigns/safer-internet-2027/",
    "material (families)": "vi/online-safety/first-phone/",
    "material (children)": "vi/online-safety/cyberbullying/",
    "topic": "vi/topics/online-safety/",
    "404": "vi/404.html",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def lighthouse_command() -> list[str]:
    found = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse", path=str(TOOL / "node_modules" / ".bin"))
    if not found:
        raise SystemExit("lighthouse is missing: npm ci --prefix bench/lighthouse (or set LIGHTHOUSE to its cli.js)")
    return ["node", found] if found.endswith(".js") else [found]


def run(command: list[str], url: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.json"
        subprocess.run([*command, url, "--output=json", f"--output-path={out}", "--quiet",
                        f"--only-categories={','.join(CATEGORIES)}",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
                       check=True, env={**os.environ, "CHROME_PATH": CHROME})
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return report


def losses(report: dict[str, Any]) -> list[str]:
    """The audits that cost points (score below 1 with a weight), as `category: audit id`."""
    lost = []
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                lost.append(f"{name}: {ref['id']}")
    return lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--save", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    command = lighthouse_command()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(args.site.resolve())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    version = ""
    lines = ["| page | performance | accessibility | best practices | SEO | CLS | points lost on |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for label, path in PAGES.items():
        report = run(command, base + path)
        version = report["lighthouseVersion"]
        scores = [round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES]
        cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
        lines.append(f"| {label} (`/{path}`) | " + " | ".join(map(str, scores))
                     + f" | {cls:.3f} | {', '.join(losses(report)) or '-'} |")
    server.shutdown()
    text = f"Lighthouse {version}, mobile (its defaults), Chromium {chromium_version()}\n\n" + "\n".join(lines) + "\n"
    print(text)
    if args.save:
        args.save.write_text(text, encoding="utf-8")


def chromium_version() -> str:
    found = subprocess.run([CHROME, "--version"], capture_output=True, text=True, check=False)
    return found.stdout.split()[1] if found.stdout else "?"


if __name__ == "__main__":
    main()
