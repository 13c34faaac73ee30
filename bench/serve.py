"""Edit-to-reload latency of `build.py serve`: from saving a Markdown file to the page on disk and in the browser.

    .venv/bin/python bench/serve.py --n 1000 --edits 10

Uses the corpus of bench/run.py (bench/out/nN/loa) if there is one, else generates bench/out/serve-nN/loa.
Starts serve, opens a material page in Chromium (Debian's, driven by Playwright), then for each edit
puts a unique marker in the page's first `## ` heading (a text edit) or its title (a front matter edit;
the two kinds alternate two by two) and times (a) until the rebuilt HTML file contains it and (b) until
the reloaded page's DOM does. Results go to stdout and
bench/results/<YYYY-MM-DD>-serve.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import PYTHON, REPO, TODAY, machine_info, save_report  # noqa: E402
from weight import ARGS  # noqa: E402

MATERIALS = ("s00/m-0001", "s00/m-0007")  # vi with an en translation, vi without one (falls back in en)
TIMEOUT = 30.0
GAP = 1.5
HEADING = re.compile(r"^## .*$", re.MULTILINE)
TITLE = re.compile(r"^title: .*$", re.MULTILINE)
KINDS = ("text", "title")
"""A save that changes a material's text (its first heading), or its front matter (its title: listed elsewhere)."""
IN_DOM = "m => !!document.body && document.body.textContent.includes(m)"


class Serve:
    """`build.py serve` as a subprocess; its stdout and stderr lines are kept with perf_counter() times."""

    def __init__(self, corpus: Path, port: int) -> None:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
        self.proc = subprocess.Popen([str(PYTHON), "build.py", "serve", "--root", str(corpus), "--port", str(port),
                                      "--today", TODAY], cwd=REPO, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines: list[tuple[float, str]] = []
        for stream in (self.proc.stdout, self.proc.stderr):  # two pipes: their lines cannot interleave
            threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, prefix: str, after: float, timeout: float) -> tuple[float, str] | None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for stamp, line in list(self.lines):
                if stamp >= after and line.startswith(prefix):
                    return stamp, line
            if self.proc.poll() is not None:
                tail = "\n".join(line for _, line in self.lines[-30:])
                raise SystemExit(f"serve exited ({self.proc.returncode}):\n{tail}")
            time.sleep(0.01)
        return None

    def since(self, after: float) -> list[str]:
        return [line for stamp, line in self.lines if stamp >= after]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # serve's Ctrl+C path: stops the watcher, closes its workers
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def corpus_for(n: int, out: Path) -> Path:
    shared = out / f"n{n}" / "loa"  # what bench/run.py generates
    if (shared / "content" / "vi").is_dir():
        return shared
    corpus = out / f"serve-n{n}" / "loa"
    if not (corpus / "content" / "vi").is_dir():
        print(f"generating {corpus}: {generate(n, corpus, None)}", file=sys.stderr, flush=True)
    return corpus


def wait_on_disk(path: Path, marker: bytes, start: float, found: list[float]) -> None:
    while time.perf_counter() - start < TIMEOUT:
        try:
            if marker in path.read_bytes():
                found.append(time.perf_counter())
                return
        except FileNotFoundError:
            pass
        time.sleep(0.002)


def ms(value: float | None) -> str:
    return "timeout" if value is None else f"{value * 1000:.0f}"


@dataclass
class Result:
    start: list[str] = field(default_factory=list)
    """Serve's `built` and `ready for edits` lines."""
    rows: list[list[str]] = field(default_factory=list)
    times: dict[str, dict[str, list[float | None]]] = field(default_factory=lambda: {
        kind: {"disk": [], "serve log": [], "browser": []} for kind in KINDS})
    other: list[str] = field(default_factory=list)
    """What else serve printed during the edits (errors, tracebacks)."""


def edit(page: Any, serve: Serve, corpus: Path, material: str, i: int, kind: str, result: Result) -> None:
    from playwright.sync_api import Error as PlaywrightError

    marker = f"Bench edit {i} {secrets.token_hex(4)}"
    html = corpus / "site" / "vi" / material / "index.html"
    found: list[float] = []
    t0 = time.perf_counter()
    source = corpus / "content" / "vi" / f"{material}.md"
    current = source.read_text(encoding="utf-8")  # edits accumulate: a text edit leaves the last title as it is
    edited = HEADING.sub(f"## {marker}", current, count=1) if kind == "text" else \
        TITLE.sub(f"title: {marker}", current, count=1)
    source.write_text(edited, encoding="utf-8")
    disk = threading.Thread(target=wait_on_disk, args=(html, marker.encode(), t0, found))
    disk.start()
    t_browser = None
    while time.perf_counter() - t0 < TIMEOUT:
        try:
            if page.evaluate(IN_DOM, marker):
                t_browser = time.perf_counter() - t0
                break
        except PlaywrightError:  # the document went away mid-call: the reload started
            pass
        time.sleep(0.005)
    disk.join()
    logged = serve.wait_for("rebuilt", t0, 5)
    if kind == "title":  # the pages that list the title come after the page itself: wait for them too
        serve.wait_for("then rebuilt", t0, TIMEOUT)
    printed = [line for line in serve.since(t0) if not line.startswith("changed:")]
    rebuilt = [line for line in printed if line.startswith(("rebuilt", "then rebuilt"))]
    result.other += [line for line in printed if line not in rebuilt]
    extra = len(printed) - len(rebuilt)
    values = (found[0] - t0 if found else None, logged[0] - t0 if logged else None, t_browser)
    for key, value in zip(result.times[kind], values, strict=True):
        result.times[kind][key].append(value)
    result.rows.append([str(i + 1), f"vi/{material}", kind, *map(ms, values),
                        "; ".join(rebuilt) + (f" (+{extra} other lines, below)" if extra else "")])
    print(" | ".join(result.rows[-1]), file=sys.stderr, flush=True)


def bench(corpus: Path, edits: int, port: int) -> Result:
    from playwright.sync_api import sync_playwright

    originals = {m: (corpus / "content" / "vi" / f"{m}.md").read_text(encoding="utf-8") for m in MATERIALS}
    result = Result()
    serve = Serve(corpus, port)
    try:
        if serve.wait_for("ready for edits", 0, 1800) is None:
            raise SystemExit("serve was not ready for edits after 30 min")
        result.start = [line for _, line in serve.lines if line.startswith(("built", "ready"))]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            polling = [False]  # has the current document started its long poll (`?since=`)?
            page.on("framenavigated", lambda frame: polling.__setitem__(0, False) if frame == page.main_frame else None)
            page.on("request", lambda request: polling.__setitem__(0, True) if "since=" in request.url else None)
            current = ""
            for i in range(edits):
                material = MATERIALS[i % len(MATERIALS)]
                if material != current:
                    page.wait_for_timeout(GAP * 1000)  # a reload the last save asked for is over
                    page.goto(f"http://127.0.0.1:{port}/vi/{material}/")
                    current = material
                deadline = time.perf_counter() + TIMEOUT
                while not polling[0] and time.perf_counter() < deadline:
                    page.wait_for_timeout(10)
                page.wait_for_timeout(GAP * 1000)  # the previous save's work (Pagefind, workers) settles
                edit(page, serve, corpus, material, i, KINDS[i // 2 % len(KINDS)], result)
            browser.close()
    finally:
        restored = time.perf_counter()
        for material, text in originals.items():
            (corpus / "content" / "vi" / f"{material}.md").write_text(text, encoding="utf-8")
        if serve.proc.poll() is None:
            serve.wait_for("rebuilt", restored, TIMEOUT)  # leave site/ as the corpus builds it
        serve.stop()
    return result


def report(result: Result, corpus: Path, command: str) -> str:
    shown = corpus.relative_to(REPO) if corpus.is_relative_to(REPO) else corpus
    lines = [f"# Loa serve: save to reload, {dt.date.today().isoformat()}", "", f"Command: `{command}`", "",
             *machine_info(), "", f"Corpus: `{shown}`; serve started with: {'; '.join(result.start)}.", "",
             "Saves alternate, two by two, between a **text** edit (the first `##` heading: only the saved text "
             "is checked again) and a **title** edit (front matter: the whole input is checked again, and the "
             "pages that list the title are rendered too).", "",
             "Times in ms from the file write: **disk**, the rebuilt `index.html` contains the new text (polled "
             "every 2 ms); **serve log**, serve's `rebuilt` line read from its stdout; **browser**, the reloaded "
             "page's DOM in Chromium contains it (polled every ~5 ms).", "",
             "| edit | page | save | disk | serve log | browser | serve printed |", "|---:|---|---|---:|---:|---:|---|",
             *("| " + " | ".join(row) + " |" for row in result.rows), "",
             "| save | | median | min | max | timeouts |", "|---|---|---:|---:|---:|---:|"]
    for kind, measures in result.times.items():
        for label, values in measures.items():
            done = [v for v in values if v is not None]
            stats = [ms(statistics.median(done)), ms(min(done)), ms(max(done))] if done else ["-"] * 3
            lines.append(f"| {kind} | {label} | {' | '.join(stats)} | {len(values) - len(done)} |")
    if result.other:
        lines += ["", f"Other serve output during the edits ({len(result.other)} lines; the first 40):", "", "```",
                  *result.other[:40], "```"]
    return "\n".join([*lines, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="materials per language of the generated corpus")
    parser.add_argument("--edits", type=int, default=10, help="saves to time")
    parser.add_argument("--port", type=int, default=0, help="serve's port (default: a free one)")
    parser.add_argument("--corpus", type=Path, help="an existing Loa project (default: see above)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="corpora (default: bench/out)")
    parser.add_argument("--results", type=Path, default=HERE / "results", help="where the report goes")
    args = parser.parse_args(argv)
    if not PYTHON.exists():
        parser.error(f"no {PYTHON}: run `make` (or create the venv) first")
    if args.n < 10 or args.edits < 1:
        parser.error("--n must be at least 10 (m-0007 is edited), --edits at least 1")
    corpus = (args.corpus or corpus_for(args.n, args.out)).resolve()
    result = bench(corpus, args.edits, args.port or free_port())
    text = report(result, corpus, "bench/serve.py " + " ".join(argv if argv is not None else sys.argv[1:]))
    save_report(text, args.results, "-serve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
