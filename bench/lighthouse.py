"""Lighthouse 12 (npm `lighthouse`, pinned in bench/lighthouse/package.json, apart from the test tools so that
`make test` does not install it) on the pages the design is judged on, mobile.

Serves a built site on 127.0.0.1 and runs Lighthouse against Debian's Chromium (CHROME_PATH), headless,
with its default mobile settings (simulated slow 4G and a 4x slower CPU); nothing leaves the machine.
Prints a Markdown table of the four scores per page, with the audits that cost points, and saves it.

The site is served as a static host sends it, text gzip-compressed (level 6: bench/slow3g.py's host, the
compression bench/weight.py counts): Lighthouse's simulation costs each request by the bytes it saw cross
the wire, so an uncompressed server made Material's stylesheet 138 KB instead of 23 KB on the simulated
slow 4G link (about 0.9 s of first paint). `--plain` serves without compression, as a host that sends
files as they are (an object store without Content-Encoding) would. Each page is measured `--repeat`
times (3 by default) and the median performance is reported: the score moves with the machine's load.

    npm ci --prefix bench/lighthouse --ignore-scripts
    .venv/bin/python build.py build --out /tmp/site --today 2026-12-01
    .venv/bin/python bench/lighthouse.py /tmp/site --save bench/results/2026-11-30-lighthouse.md
    .venv/bin/python bench/lighthouse.py /tmp/site --plain --repeat 1 --json /tmp/reports
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import subprocess
import sys
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
sys.path.insert(0, str(REPO / "bench"))

from slow3g import Counted  # noqa: E402  (the gzip static host)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def lighthouse_command() -> list[str]:
    found = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse", path=str(TOOL / "node_modules" / ".bin"))
    if not found:
        raise SystemExit("lighthouse is missing: npm ci --prefix bench/lighthouse (or set LIGHTHOUSE to its cli.js)")
    return ["node", found] if found.endswith(".js") else [found]


def run(command: list[str], url: str, keep: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out = (keep or Path(folder)) / "report.json"
        subprocess.run([*command, url, "--output=json", f"--output-path={out}", "--quiet",
                        f"--only-categories={','.join(CATEGORIES)}",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
                       check=True, env={**os.environ, "CHROME_PATH": CHROME})
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        if keep:
            out.rename(keep / f"{len(list(keep.glob('*.json')))}.json")
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
    parser.add_argument("--repeat", type=int, default=3, help="runs per page; the median performance is shown")
    parser.add_argument("--plain", action="store_true", help="serve without compression")
    parser.add_argument("--json", type=Path, help="keep each Lighthouse report in this folder")
    parser.add_argument("--only", help="these pages only, comma-separated labels (home,404,...)")
    args = parser.parse_args()
    command = lighthouse_command()
    handler = Quiet if args.plain else Counted
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(args.site.resolve())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    version = ""
    lines = ["| page | performance (median; runs) | accessibility | best practices | SEO | CLS | FCP (s) | LCP (s) "
             "| points lost on |", "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    only = set(args.only.split(",")) if args.only else set(PAGES)
    for label, path in PAGES.items():
        if label not in only:
            continue
        reports = []
        for _ in range(args.repeat):
            keep = args.json / re.sub(r"\W+", "-", label).strip("-") if args.json else None
            if keep:
                keep.mkdir(parents=True, exist_ok=True)
            reports.append(run(command, base + path, keep))
        # the run whose performance is the median stands for the page (its other scores and metrics)
        reports.sort(key=lambda report: report["categories"]["performance"]["score"] or 0)
        report = reports[len(reports) // 2]
        version = report["lighthouseVersion"]
        scores = [round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES]
        runs = ", ".join(str(round(100 * (r["categories"]["performance"]["score"] or 0))) for r in reports)
        metrics = [report["audits"][a]["numericValue"] for a in ("first-contentful-paint", "largest-contentful-paint")]
        cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
        lines.append(f"| {label} (`/{path}`) | {scores[0]} ({runs}) | " + " | ".join(map(str, scores[1:]))
                     + f" | {cls:.3f} | {metrics[0] / 1000:.2f} | {metrics[1] / 1000:.2f}"
                     + f" | {', '.join(losses(report)) or '-'} |")
    server.shutdown()
    load = os.getloadavg()
    text = (f"Lighthouse {version}, mobile (its defaults), Chromium {chromium_version()}; "
            f"{'served without compression' if args.plain else 'served gzip-compressed (level 6)'}; "
            f"{args.repeat} run(s) a page; load average at the end {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}\n\n"
            + "\n".join(lines) + "\n")
    print(text)
    if args.save:
        args.save.write_text(text, encoding="utf-8")


def chromium_version() -> str:
    found = subprocess.run([CHROME, "--version"], capture_output=True, text=True, check=False)
    return found.stdout.split()[1] if found.stdout else "?"


if __name__ == "__main__":
    main()
