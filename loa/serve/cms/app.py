"""Decap CMS inside `serve`: `/admin/`, the proxy at `POST /api/v1`, a file's problems at `/api/cms/problems`.

Decap's files are vendored (`vendor/decap-cms/`, `make vendor-decap`) and served from here, with
Loa's own page, script and styles (`admin.js`, `admin.css` beside this module): nothing comes from
another host, and the page's Content-Security-Policy says so to the browser too.

`serve` listens on 127.0.0.1 only, but a page of any site the officer opens can still send
requests there, and a DNS-rebinding name can make such a page look same-origin. So every
request here must name `127.0.0.1:<port>` or `localhost:<port>` as its `Host`; a request that
writes must be `application/json` (a cross-site form cannot send that without asking) with an
`Origin` equal to the Host's; `Sec-Fetch-Site`, when the browser sends it, must be same-origin.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from email.message import Message
from io import BufferedIOBase
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from loa.check.cms import DECAP as VENDOR
from loa.check.cms import cms_config, real_to_virtual, virtual_to_real
from loa.errors import Problem
from loa.load.roundtrip import update_yaml
from loa.messages import _
from loa.model import Site
from loa.plan.site import SitePlan
from loa.serve.cms.proxy import Proxy, RefusedError

HERE = Path(__file__).resolve().parent
API = "/api/v1"
PROBLEMS = "/api/cms/problems"
MAX_BODY = 64 * 1024 * 1024
"""A request's largest body: a photo of a phone's camera, base64, with room to spare."""
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".wasm": "application/wasm",
         ".txt": "text/plain; charset=utf-8"}
CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' blob: data:; media-src 'self' blob: data:; font-src 'self' data:; "
       "connect-src 'self' blob: data:; "
       "frame-src 'self' blob: about:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
       "form-action 'none'; frame-ancestors 'self'")
"""Decap styles with inline `<style>` (emotion) and compiles its form schemas with `new Function` (ajv)."""
PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<script type="application/json" id="loa-cms-config">{config}</script>
<script type="application/json" id="loa-cms-words">{words}</script>
</head>
<body>
<script src="/admin/loa-init.js"></script>
<script src="/admin/decap-cms.js"></script>
<script src="/admin/loa-admin.js"></script>
</body>
</html>
"""

Answer = tuple[int, str, bytes, Mapping[str, str]]


def _json(status: int, value: Any) -> Answer:
    return status, "application/json; charset=utf-8", json.dumps(value, ensure_ascii=False).encode(), {}


def script_json(value: Any) -> str:
    """JSON inside a `<script>` element: nothing in it can close the element or start a comment."""
    return (json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def words() -> dict[str, str]:
    """The preview pane's words, from Loa's catalogs (the admin is in Vietnamese: `locale: vi`)."""
    return {"problems": _("Problems Loa found in this file"), "none": _("No problems: the page is ready."),
            "error": _("Error:"), "warning": _("Warning:"), "line": _("line"),
            "open": _("Open the page on the preview site"), "live": _("The page as readers see it"),
            "unsaved": _("Publish the material to see Loa's checks and the page."),
            "loading": _("Checking…")}


class Cms:
    """What `serve`'s handler hands to the CMS: GET and POST under /admin/ and /api/."""

    def __init__(self, root: Path, port: int, site: Callable[[], tuple[Site, SitePlan] | None],
                 report: Callable[[], Sequence[Problem]]) -> None:
        self.root = root.resolve()
        self.port = port
        self.site = site
        self.report = report
        self.proxy = Proxy(self.root, self.languages, virtual_to_real, real_to_virtual, update_yaml)

    def languages(self) -> tuple[str, ...]:
        """The project's language codes, the default language first (the proxy's original)."""
        built = self.site()
        if built is None:
            return ()
        settings = built[0].settings
        return (settings.default_language, *(code for code in settings.codes if code != settings.default_language))

    def refused(self, method: str, headers: Message[str, str]) -> str | None:
        """Why a request may not be answered (the module's docstring), or None."""
        host = headers.get("Host", "")
        if host not in (f"127.0.0.1:{self.port}", f"localhost:{self.port}"):
            return _("refused: the request names another host (%(host)s)", host=host[:100])
        origin = headers.get("Origin")
        if (method == "POST" or origin is not None) and origin != f"http://{host}":
            return _("refused: a request from another site (%(origin)s)", origin=str(origin)[:100])
        if headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return _("refused: a request from another site (%(origin)s)", origin=headers.get("Sec-Fetch-Site"))
        content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
        if method == "POST" and content_type != "application/json":
            return _("refused: the CMS sends JSON (Content-Type: application/json)")
        return None

    def get(self, path: str, headers: Message[str, str]) -> Answer | None:
        """The answer to a GET under /admin/ or /api/, or None for the site's own files."""
        url = urlsplit(path)
        if url.path == "/admin":
            return 301, "text/plain; charset=utf-8", b"", {"Location": "/admin/"}
        if not url.path.startswith(("/admin/", "/api/")):
            return None
        refused = self.refused("GET", headers)
        if refused is not None:
            return _json(403, {"error": refused})
        if url.path in ("/admin/", "/admin/index.html"):
            return self.page(headers["Host"])
        if url.path == PROBLEMS:
            return self.problems(parse_qs(url.query).get("path", [""])[0])
        name = url.path.removeprefix("/admin/")
        if name == "loa-init.js":  # before Decap's script: Loa's script starts it, with the config
            return 200, TYPES[".js"], b"window.CMS_MANUAL_INIT = true;\n", {}
        own = {"loa-admin.js": HERE / "admin.js", "loa-admin.css": HERE / "admin.css"}
        file = own.get(name) or (VENDOR / name if "/" not in name and not name.startswith(".") else None)
        if file is None or not file.is_file() or file.suffix not in TYPES:
            return _json(404, {"error": _("'%(path)s' does not exist", path=url.path[:200])})
        return 200, TYPES[file.suffix], file.read_bytes(), {}

    def page(self, host: str) -> Answer:
        built = self.site()
        if built is None:
            message = _("The site has errors: fix them (see the terminal), then reload this page.")
            body = f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>Loa</title><p>{message}</p>'
            return 503, "text/html; charset=utf-8", body.encode(), {}
        config = dict(cms_config(built[0], backend={"name": "proxy", "proxy_url": f"http://{host}{API}"}))
        config.update(locale="vi", load_config_file=False)
        html = PAGE.format(title=_("Loa: editing in the browser"), config=script_json(config),
                           words=script_json(words()))
        return 200, "text/html; charset=utf-8", html.encode(), {"Content-Security-Policy": CSP}

    def problems(self, virtual: str) -> Answer:
        """The problems of the file Decap names, as the last build left them, and its live page.

        Decap names an entry of a translated collection without its language
        (`content/<section>/<slug>.md`): that is each language's file, the default language's page."""
        parts = virtual.split("/")
        candidates = [virtual] if len(parts) < 3 or parts[0] != "content" else \
            [virtual, *("/".join([*parts[:2], lang, *parts[2:]]) for lang in self.languages())]
        reals: list[str] = []
        for candidate in candidates:
            try:
                reals.append(self.proxy.real(candidate).relative_to(self.root).as_posix())
            except RefusedError as exc:
                if candidate == virtual and len(candidates) == 1:
                    return _json(exc.status, {"error": exc.message})
        found = [{"severity": p.severity, "line": p.position.line, "column": p.position.column, "file": p.position.path,
                  "message": p.message, "hint": p.hint} for p in self.report() if p.position.path in reals]
        page = next((url for url in map(self.page_of, reals) if url is not None), None)
        return _json(200, {"path": virtual, "problems": found, "page": page})

    def page_of(self, real: str) -> str | None:
        built = self.site()
        if built is None:
            return None
        parts = real.split("/")
        if parts[0] == "campaigns":
            lang, uri = built[1].default_language, f"campaigns/{Path(parts[-1]).stem}.md"
        else:
            lang, uri = parts[1], "/".join(parts[2:])
        for plan in built[1].languages:
            if plan.lang == lang:
                return next((page.url for page in plan.pages if page.src_uri == uri and page.content_lang == lang),
                            None)
        return None

    def post(self, path: str, headers: Message[str, str], body: BufferedIOBase) -> Answer | None:
        if urlsplit(path).path != API:
            return None
        refused = self.refused("POST", headers)
        if refused is not None:
            return _json(403, {"error": refused})
        length = headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_BODY:
            return _json(413, {"error": _("the request is too large (at most %(mb)s MB)", mb=MAX_BODY >> 20)})
        try:
            request = json.loads(body.read(int(length)).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _json(400, {"error": _("not a request of the CMS (a JSON object with 'action' and 'params')")})
        try:
            return _json(200, self.proxy.handle(request))
        except RefusedError as exc:
            return _json(exc.status, {"error": exc.message})
