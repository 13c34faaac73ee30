"""From a print template of `theme/print/` to a tagged PDF, with WeasyPrint.

Nothing leaves the site here either: the fetcher gives WeasyPrint the site's own files (from the
folder being built), the fonts of `theme/fonts/` and `data:` URLs, and refuses every other address.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes.util
import hashlib
import logging
import multiprocessing.util
import re
import shutil
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
import segno
from markupsafe import Markup

from loa.cache import keys
from loa.errors import BuildError
from loa.messages import _

TEMPLATES = Path("theme/print")
"""The print templates and their stylesheet, relative to the project (not published: loa/render/plugin.py)."""
FONTS = Path("theme/fonts")
STYLESHEET = "print.css"
NO_SITE_URL = "https://site.invalid/"
"""The base the site's own files are fetched from when `site_url` is not set (no QR code is printed then)."""

HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
TITLE = re.compile(r"\A\s*<h1[^>]*>.*?</h1>", re.S)


def theme_digest(root: Path) -> str:
    """A digest of the print templates, their stylesheet and the fonts: a change makes every PDF again."""
    return keys.digest("print-theme", [f"{path.relative_to(root).as_posix()}:{keys.of_bytes(path.read_bytes())}"
                                       for folder in (root / TEMPLATES, root / FONTS)
                                       for path in (sorted(folder.rglob("*")) if folder.is_dir() else [])
                                       if path.is_file()])


def environment(root: Path) -> jinja2.Environment:
    """Loa's print templates; autoescape on, so every text an officer typed lands as text."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(root / TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["address"] = address
    return env


def address(url: str) -> Markup:
    """A web address as printed: escaped, in one piece that may break only after a `/`."""
    parts = [Markup("<span>{}</span>").format(part) if part else Markup() for part in str(url).split("/")]
    return Markup('<span class="loa-print__url">{}</span>').format(Markup("/<wbr>").join(parts))


def body_html(built: str) -> Markup:
    """The page's main text as MkDocs rendered it, without its title (the template prints it) and `¶` links.

    It is the same HTML the page shows, which Loa made from the officer's Markdown (raw HTML in it is
    linted: loa/check/lint.py), so it is markup here too.
    """
    return Markup(TITLE.sub("", HEADERLINK.sub("", built), count=1))


@lru_cache(maxsize=256)
def qr_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG `data:` URL (segno; error correction M, survives a photocopy)."""
    svg = segno.make(url, error="m", micro=False).svg_inline(scale=4, border=4, dark="#000", light="#fff",
                                                            omitsize=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def site_path(base: str, url: str) -> str | None:
    """The path from the site's root (`/vi/images/a.svg`) of an address under `base`, or None."""
    if not url.startswith(base):
        return None
    return "/" + unquote(urlsplit(url).path).removeprefix(urlsplit(base).path).lstrip("/")


class Fetcher:
    """Gives WeasyPrint the site's images (from their sources), the fonts and `data:` URLs; nothing else.

    Images are read from the content folders, not from the site being built: a build links some of
    its files in while the outputs run, and `serve` makes its PDFs in a folder of their own.
    """

    def __init__(self, root: Path, files: Mapping[str, Path], base: str) -> None:
        from weasyprint.urls import URLFetcher  # WeasyPrint is imported only when a PDF is made
        self._default = URLFetcher(allowed_protocols=("data",))
        self.files, self.base = files, base
        self.fonts = (root / FONTS).resolve()
        self.templates = (root / TEMPLATES).resolve()
        self._fail_on_errors = False

    def __call__(self, url: str) -> Any:
        from weasyprint.urls import URLFetcherResponse
        if url.startswith("data:"):
            return self._default.fetch(url)
        path: Path | None = None
        where = site_path(self.base, url)
        if where is not None:
            path = self.files.get(where)
        elif url.startswith("file:"):
            path = Path(file_url_path(url)).resolve()
            if not (path.is_relative_to(self.fonts) or path.is_relative_to(self.templates)):
                path = None
        if path is None or not path.is_file():
            raise ValueError(f"not a file of the site: {url}")
        return URLFetcherResponse(url, path.read_bytes())


def file_url_path(url: str) -> str:
    """The file a `file:` URL names (Windows: `file:///C:/Users/...` is `C:\\Users\\...`)."""
    return url2pathname(urlsplit(url).path)


def quiet() -> None:
    # WeasyPrint logs each unsupported CSS property and each refused URL; Loa's templates are its own
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


_IMPORTING = threading.Lock()


@contextlib.contextmanager
def libraries_without_a_compiler() -> Iterator[None]:
    """While WeasyPrint is first imported on Linux, `ctypes.util.find_library` looks in the system's library
    cache (`ldconfig -p`) only, not with `gcc` and `ld` as well.

    WeasyPrint tries each library it loads under several names, for each system (`libpango-1.0-0`,
    `pango-1.0-0`, `pango-1.0`, then Linux's `libpango-1.0.so.0`...). cffi asks `find_library` about each
    name the system's loader refuses, and for a name the cache does not have, `find_library` then runs `gcc`
    and `ld`: 64 processes, 0.15-0.2 s of every process that imports WeasyPrint (each render worker that draws
    PDFs). The cache finds the same files (`tests/test_print.py` compares the libraries loaded both ways); what
    only `ld` would find, on `LD_LIBRARY_PATH`, the loader finds by the Linux name in WeasyPrint's list."""
    cache_only = getattr(ctypes.util, "_findSoname_ldconfig", None)  # CPython's own, on Linux
    if not sys.platform.startswith("linux") or cache_only is None or "weasyprint" in sys.modules:
        yield
        return
    with _IMPORTING:
        real = ctypes.util.find_library
        ctypes.util.find_library = cache_only
        try:
            yield
        finally:
            ctypes.util.find_library = real


class Renderer:
    """Writes PDFs from the print templates of one project; fonts and the stylesheet are loaded once."""

    def __init__(self, root: Path, files: Mapping[str, Path], site_url: str) -> None:
        try:
            with libraries_without_a_compiler():
                from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration
        except OSError as exc:  # Pango's libraries are missing (Windows, unless installed with MSYS2)
            raise BuildError(_("print files: WeasyPrint cannot load Pango (%(error)s). Install it: on Windows, "
                               "MSYS2 and its package mingw-w64-ucrt-x86_64-pango; on Debian or Ubuntu, "
                               "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 (README, 'Windows')",
                               error=exc)) from exc
        quiet()
        self.root = root
        self.base = site_url or NO_SITE_URL
        self.env = environment(root)
        self.fetcher = Fetcher(root, files, self.base)
        self.fonts = FontConfiguration()
        self.css = CSS(filename=str(root / TEMPLATES / STYLESHEET), font_config=self.fonts,
                       url_fetcher=self.fetcher)
        removed_at_exit(self.fonts)

    def write(self, template: str, context: dict[str, object], base_url: str, target: Path,
              extra_css: str = "") -> int:
        """Render `template` with `context` into the PDF `target`; returns its size in bytes."""
        from weasyprint import CSS, HTML
        html = self.env.get_template(template).render(**context)
        sheets = [self.css]
        if extra_css:
            sheets.append(CSS(string=extra_css, font_config=self.fonts, url_fetcher=self.fetcher))
        document = HTML(string=html, base_url=base_url, url_fetcher=self.fetcher)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = document.write_pdf(stylesheets=sheets, font_config=self.fonts, pdf_variant="pdf/ua-1",
                                  optimize_images=True, jpeg_quality=80, dpi=200,
                                  pdf_identifier=hashlib.md5(html.encode(), usedforsecurity=False).digest())
        assert data is not None
        target.write_bytes(data)
        return len(data)


def removed_at_exit(fonts: Any) -> None:
    """WeasyPrint copies the fonts of the stylesheet's `@font-face` rules into a temporary folder of its own,
    which it removes when the font configuration is collected. A process that ends without collecting it
    left the folder in the system's temporary folder, half a megabyte a build: a render worker (which keeps
    its renderer to the end: `draw_in_worker`), or a command ended by `os._exit` after its exit functions
    (loa/cli.py::run). So the folder is also removed among the exit functions, which both run."""
    folder = getattr(fonts, "_folder", None)  # WeasyPrint's own name for it, in 70.0 (requirements.txt)
    if folder is not None:
        multiprocessing.util.Finalize(fonts, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                                      exitpriority=0)


@dataclass(frozen=True)
class Drawing:
    """One PDF to draw: the template, its context and the extra stylesheet (pickled to a worker process)."""

    template: str
    context: dict[str, object]
    url: str
    """The page's address: the base of the PDF's relative links."""
    css: str = ""

    def write(self, renderer: Renderer, target: Path) -> int:
        return renderer.write(self.template, self.context, self.url, target, self.css)


_RENDERER: dict[tuple[str, str, tuple[tuple[str, Path], ...]], Renderer] = {}
"""A worker's renderer, kept from one PDF to the next (loading the fonts and stylesheet costs more than a PDF)."""


def draw_in_worker(root: Path, files: Mapping[str, Path], site_url: str,
                   drawings: list[tuple[Drawing, Path]]) -> int:
    """In a worker process: draw each PDF into its path (in the build's staging folder); returns their size."""
    key = (str(root), site_url, tuple(sorted(files.items())))
    renderer = _RENDERER.get(key)
    if renderer is None:
        _RENDERER.clear()
        renderer = _RENDERER[key] = Renderer(root, files, site_url)
    return sum(drawing.write(renderer, target) for drawing, target in drawings)
