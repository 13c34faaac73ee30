"""`python build.py serve`: build, serve on 127.0.0.1, rebuild on save, reload the browser.

The reload script is added to HTML responses by the server only, so `site/`
stays exactly what `build` writes. A save, reported by the watcher
(`loa/serve/watch.py`), re-renders only the pages it reaches (`loa/serve/rebuild.py`);
the browser waits on a long-polled status URL, so it reloads as soon as the pages are on
disk. A build with errors keeps the previous site on screen and shows the problems in the
terminal and in the browser.
"""

from __future__ import annotations

import contextlib
import errno
import json
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from loa import messages
from loa.errors import ContentError, LoaError, Problem, UsageError
from loa.messages import _, ngettext
from loa.outputs.serviceworker import WORKER
from loa.pipeline import Options, Progress
from loa.serve.cms.app import Cms
from loa.serve.rebuild import Rebuilder
from loa.serve.watch import WATCHED, Watcher

STATUS_PATH = "/__loa/status"
LONG_POLL_SECONDS = 20.0
RELOAD_PATH = "/__loa/reload.js"
# A file, not an inline script: the pages' Content-Security-Policy (theme/main.html) refuses inline scripts.
RELOAD_SCRIPT = f'<script src="{RELOAD_PATH}"></script>'.encode()
RELOAD_JS = b"""(function () {
  var seen = null, version = null;
  function show(problems, title, lang) {
    var box = document.getElementById("loa-dev-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre"); box.id = "loa-dev-problems"; box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;bottom:0;left:0;right:0;max-height:40vh;overflow:auto;margin:0;" +
        "padding:1em;background:#fff3cd;color:#1a1a1a;border-top:3px solid #8a1c1c;z-index:1000;font-size:14px";
      document.body.appendChild(box);
    }
    // The words come from the server, in the language of Loa's messages (loa/messages.py).
    box.lang = lang; box.textContent = title + "\\n" + problems.join("\\n");
  }
  function poll() {
    // The server answers when the build number changes (or after a while): a reload follows a save at once.
    fetch("/__loa/status" + (version === null ? "" : "?since=" + version), {cache: "no-store"})
      .then(function (r) { return r.json(); }).then(function (s) {
        if (seen !== null && s.build !== seen) { location.reload(); return; }
        seen = s.build; version = s.version; show(s.problems, s.title, s.lang); setTimeout(poll, 0);
      }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
"""


@dataclass
class ServeState:
    """Shared between the watcher thread and the HTTP handlers."""

    build: int = 0
    """Counts successful builds; the browser reloads when it changes."""
    problems: list[str] = field(default_factory=list)
    version: int = 0
    """Counts every outcome, success or problems: what a waiting browser waits for."""
    changed: threading.Condition = field(default_factory=threading.Condition)
    warned: bool = False
    """The last good build had warnings (so that their end is said)."""
    report: tuple[Problem, ...] = ()
    """The last build's errors, or the site's warnings after a good one: what /admin/ shows of a file."""

    def publish(self, *, built: bool, problems: list[str]) -> None:
        with self.changed:
            self.build += built
            self.problems = problems
            self.version += 1
            self.changed.notify_all()

    def wait(self, since: int | None, timeout: float = LONG_POLL_SECONDS) -> dict[str, Any]:
        """The status once its version differs from `since` (at once without `since`), or after `timeout`."""
        with self.changed:
            if since is not None:
                self.changed.wait_for(lambda: self.version != since, timeout)
            return {"build": self.build, "version": self.version, "problems": list(self.problems),
                    "title": _("Loa: the last save has problems (the page shows the previous build):"),
                    "lang": messages.current()}


class Handler(SimpleHTTPRequestHandler):
    state: ServeState

    def __init__(self, *args: Any, state: ServeState, cms: Cms | None = None, **kwargs: Any) -> None:
        self.state = state
        self.cms = cms
        super().__init__(*args, **kwargs)

    def do_POST(self) -> None:
        answer = self.cms.post(self.path, self.headers, self.rfile) if self.cms is not None else None
        self._send(*answer) if answer is not None else self._send(404, "text/plain; charset=utf-8", b"not found")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        answer = self.cms.get(self.path, self.headers) if self.cms is not None else None
        if answer is not None:  # /admin/ and /api/: Decap CMS (loa/serve/cms/)
            self._send(*answer)
            return
        if url.path == STATUS_PATH:
            since = parse_qs(url.query).get("since", [""])[0]
            status = self.state.wait(int(since) if since.isdigit() else None)
            self._send(200, "application/json", json.dumps(status).encode())
            return
        if url.path == RELOAD_PATH:
            self._send(200, "text/javascript; charset=utf-8", RELOAD_JS)
            return
        if url.path == f"/{WORKER}":
            # no service worker in the preview: a page kept in its cache would hide the text just saved
            self._send(404, "text/plain; charset=utf-8", b"no service worker in the preview")
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
            not_found = self._not_found(url.path)
            if not_found.is_file():
                self._send(404, "text/html; charset=utf-8", inject(not_found.read_bytes()))
                return
        super().do_GET()

    def _not_found(self, path: str) -> Path:
        """The 404 page of the language the missing path is under (as hosts are told to serve it),
        else the root one (the language chooser)."""
        top = path.lstrip("/").split("/", 1)[0]
        site = Path(self.directory)
        page = site / top / "404.html"
        return page if top and not top.startswith(".") and page.is_file() else site / "404.html"

    def _send(self, status: int, content_type: str, body: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        # A status request still waiting when the browser left its page finds the connection closed.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def inject(html: bytes) -> bytes:
    index = html.rfind(b"</body>")
    return html[:index] + RELOAD_SCRIPT + html[index:] if index >= 0 else html + RELOAD_SCRIPT


def rebuild(rebuilder: Rebuilder, changed: list[Path] | None, state: ServeState, progress: Progress) -> bool:
    """A full build (`changed` None) or an update after `changed`; True when the site was written."""
    started = time.perf_counter()
    shown: list[int] = []

    def first(count: int) -> None:  # the saved pages are on disk: reload now, the lists follow
        state.publish(built=True, problems=[])
        shown.append(count)
        progress(ngettext("rebuilt %(n)s page in %(seconds)s s; browser reloads",
                          "rebuilt %(n)s pages in %(seconds)s s; browser reloads", count,
                          seconds=f"{time.perf_counter() - started:.2f}"))

    try:
        update = rebuilder.full() if changed is None else rebuilder.update(changed, first)
        state.report = update.result.warnings
        _say_warnings(update.result.warnings, state, progress)
    except ContentError as exc:
        state.report = tuple(exc.problems)
        lines = [str(p) for p in exc.problems]
        for line in lines:
            print(line, flush=True)
        state.publish(built=False, problems=lines)
        return False
    except LoaError as exc:
        print(f"error: {exc}", flush=True)  # "error:" stays English (README)
        state.publish(built=False, problems=[str(exc)])
        return False
    seconds = time.perf_counter() - started
    if update.full:
        state.publish(built=True, problems=[])
        progress(_("built %(pages)s pages in %(seconds)s s", pages=update.result.pages, seconds=f"{seconds:.2f}"))
        return True
    count = sum(len(uris) for uris in update.rendered.values())
    if count > sum(shown):
        state.publish(built=True, problems=[])
        progress(ngettext("then rebuilt %(n)s page that lists it in %(seconds)s s; browser reloads",
                          "then rebuilt %(n)s pages that list it in %(seconds)s s; browser reloads",
                          count - sum(shown), seconds=f"{seconds:.2f}") if shown else
                 ngettext("rebuilt %(n)s page in %(seconds)s s; browser reloads",
                          "rebuilt %(n)s pages in %(seconds)s s; browser reloads", count, seconds=f"{seconds:.2f}"))
    elif not shown:
        state.publish(built=False, problems=[])  # no page changed: no reload, problems cleared
        progress(_("no page changed"))
    return True


def _say_warnings(warnings: tuple[Problem, ...], state: ServeState, progress: Progress) -> None:
    """After each good build, the site's warnings as they are now (not only the last save's), as
    `build` gives them: on stderr, each once; nothing when there are none and were none before."""
    for warning in warnings:
        print(warning, file=sys.stderr, flush=True)
    if warnings:
        progress(ngettext("%(n)s warning", "%(n)s warnings", len(warnings)))
    elif state.warned:
        progress(_("no warnings left"))
    state.warned = bool(warnings)


class LocalServer(ThreadingHTTPServer):
    """The preview's HTTP server, the same on Windows as on POSIX."""

    # POSIX's SO_REUSEADDR lets a restarted serve take its port back at once; Windows' lets a
    # second server take a port another one listens on (both then answer), so a busy port would
    # not be refused there.
    allow_reuse_address = sys.platform != "win32"

    def server_bind(self) -> None:
        try:
            super().server_bind()
        except OSError as exc:  # Windows: WSAEACCES for a port the system reserved (Hyper-V's ranges)
            if exc.errno == getattr(errno, "WSAEACCES", None):
                raise PermissionError(errno.EACCES, exc.strerror) from exc
            raise


def listen(port: int, handler: Any) -> ThreadingHTTPServer:
    """The server on 127.0.0.1:`port`; a port in use is the user's to change (exit 2), not a crash."""
    if not 0 < port < 65536:
        raise UsageError(_("--port: %(port)s is not a port number (1024 to 65535, e.g. --port 8000)", port=port))
    try:
        return LocalServer(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(_("port %(port)s is busy (another serve running? use --port %(next)s)", port=port,
                               next=port + 1)) from None
        if exc.errno == errno.EACCES:
            raise UsageError(_("port %(port)s is reserved for the system (use a port from 1024 up, e.g. "
                               "--port 8000)", port=port)) from None
        raise UsageError(_("cannot serve on 127.0.0.1:%(port)s: %(problem)s", port=port,
                           problem=exc.strerror or exc)) from None


def serve(options: Options, port: int, progress: Progress) -> int:
    options = replace(options, strict=False)
    state = ServeState()
    # The port first: a busy one is refused before a build that could not be shown.
    # /admin/ (loa/serve/cms/): the last good build's site and plan (`rebuilder`, made below), the last report
    cms = Cms(options.root, port, lambda: (rebuilder.last.site, rebuilder.last.plan) if rebuilder.last else None,
              lambda: state.report)
    server = listen(port, partial(Handler, directory=str(options.out), state=state, cms=cms))
    server.daemon_threads = True
    watcher = Watcher(options.root)  # before the first build: a save during it is not missed
    rebuilder = Rebuilder(options, progress)
    if not rebuild(rebuilder, None, state, progress) and not options.out.exists():
        watcher.stop()
        server.server_close()
        return 1
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    progress(_("serving on %(url)s (Ctrl+C to stop); watching %(watched)s", url=f"http://127.0.0.1:{port}/",
               watched=", ".join(WATCHED)))
    try:
        if rebuilder.last is not None:
            started = time.perf_counter()
            rebuilder.warm_up()
            progress(_("ready for edits: %(languages)s languages loaded in %(seconds)s s",
                       languages=len(rebuilder.live), seconds=f"{time.perf_counter() - started:.1f}"))
        while True:
            changed = watcher.changes()
            progress(_("changed: %(files)s", files=", ".join(path.name for path in changed[:3]))
                     + (_(" and %(more)s more", more=len(changed) - 3) if len(changed) > 3 else ""))
            rebuild(rebuilder, changed, state, progress)
    except KeyboardInterrupt:
        progress(_("stopped"))
    finally:
        watcher.stop()
        server.shutdown()
        server.server_close()
        rebuilder.close()
    return 0
