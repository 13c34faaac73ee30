"""`python build.py serve`: build, serve on 127.0.0.1, rebuild on save, reload the browser.

The reload script is added to HTML responses by the server only, so `site/`
stays exactly what `build` writes. A build with errors keeps the previous site
on screen and shows the problems in the terminal and in the browser.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field, replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .build import Options, Progress, build
from .errors import ContentError, LoaError

WATCHED = ("mkdocs.yml", "campaigns", "content", "theme")
STATUS_PATH = "/__loa/status"
RELOAD_SCRIPT = b"""<script>
(function () {
  var seen = null;
  function show(problems) {
    var box = document.getElementById("loa-dev-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre"); box.id = "loa-dev-problems"; box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;bottom:0;left:0;right:0;max-height:40vh;overflow:auto;margin:0;" +
        "padding:1em;background:#fff3cd;color:#1a1a1a;border-top:3px solid #8a1c1c;z-index:1000;font-size:14px";
      document.body.appendChild(box);
    }
    box.textContent = "Loa: the last save has problems (the page shows the previous build):\\n" + problems.join("\\n");
  }
  function poll() {
    fetch("/__loa/status", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.build !== seen) { location.reload(); return; }
      seen = s.build; show(s.problems); setTimeout(poll, 700);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
</script>"""


@dataclass
class ServeState:
    """Shared between the watcher thread and the HTTP handlers."""

    build: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler(SimpleHTTPRequestHandler):
    state: ServeState

    def __init__(self, *args: Any, state: ServeState, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.path.split("?")[0] == STATUS_PATH:
            with self.state.lock:
                body = json.dumps({"build": self.state.build, "problems": self.state.problems}).encode()
            self._send(200, "application/json", body)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                super().do_GET()  # redirects to the slash URL
                return
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self._send(200, "text/html; charset=utf-8", inject(path.read_bytes()))
            return
        if not path.exists():
            not_found = Path(self.directory) / "404.html"
            if not_found.is_file():
                self._send(404, "text/html; charset=utf-8", inject(not_found.read_bytes()))
                return
        super().do_GET()

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def inject(html: bytes) -> bytes:
    index = html.rfind(b"</body>")
    return html[:index] + RELOAD_SCRIPT + html[index:] if index >= 0 else html + RELOAD_SCRIPT


def snapshot(root: Path) -> dict[str, float]:
    """Modification times of every watched file (a poll: works on every file system)."""
    stamps: dict[str, float] = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for file in files:
            try:
                stamps[str(file)] = file.stat().st_mtime_ns
            except FileNotFoundError:
                continue
    return stamps


def rebuild(options: Options, state: ServeState, progress: Progress) -> None:
    started = time.perf_counter()
    try:
        result = build(options, lambda _m: None)
    except ContentError as exc:
        lines = [str(p) for p in exc.problems]
        for line in lines:
            print(line, flush=True)
        with state.lock:
            state.problems = lines
        return
    except LoaError as exc:
        with state.lock:
            state.problems = [str(exc)]
        print(f"error: {exc}", flush=True)
        return
    with state.lock:
        state.build += 1
        state.problems = []
    progress(f"rebuilt {result.pages} pages in {time.perf_counter() - started:.2f} s; browser reloads")


def serve(options: Options, port: int, progress: Progress, interval: float = 0.3) -> int:
    options = replace(options, strict=False)
    state = ServeState()
    rebuild(options, state, progress)
    if not options.out.exists():
        return 1
    handler = partial(Handler, directory=str(options.out), state=state)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    progress(f"serving on http://127.0.0.1:{port}/ (Ctrl+C to stop); watching {', '.join(WATCHED)}")
    before = snapshot(options.root)
    try:
        while True:
            time.sleep(interval)
            now = snapshot(options.root)
            if now != before:
                changed = sorted(set(now) ^ set(before) | {k for k in now if before.get(k) != now[k]})
                progress(f"changed: {', '.join(Path(c).name for c in changed[:3])}"
                         + (f" and {len(changed) - 3} more" if len(changed) > 3 else ""))
                before = now
                rebuild(options, state, progress)
    except KeyboardInterrupt:
        progress("stopped")
    finally:
        server.shutdown()
    return 0
