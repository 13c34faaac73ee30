"""The adapter: the one module that talks to MkDocs and Material.

Each language is one MkDocs build, fed by its `LanguagePlan` through a small
plugin that replaces the file collection with in-memory pages
(`File.generated`) and hands every template a typed `loa` context. A move to
another MkDocs-compatible engine touches this file and `theme/` only.

Beyond MkDocs 1.6.1's plugin events, this module relies on (all pinned, all here):
`commands.build._populate_page` and `_build_page` (`LiveLanguage`), `build(dirty=True)`
(shards), an instance's `Page.render` replaced for a cached page, and `Theme.get_env`
wrapped to list theme files without Material's hidden icon folder.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from html import unescape
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils.templates import TemplateContext

from loa.cache.markdown import MarkdownCache, Rendered, TemplateCache, fingerprint
from loa.check.lint import FENCES
from loa.errors import BuildError
from loa.plan import pages
from loa.plan.site import LanguagePlan, PlannedPage, shown_path
from loa.render.view import page_view
from loa.slugs import slugify

REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "toc": {"permalink": True, "slugify": slugify},
    "attr_list": {},
    "md_in_html": {},
    "admonition": {},
    "tables": {},
    **FENCES,  # code blocks as CommonMark readers write them; the lint finds code with the same reader
}
THEME_FILES_NOT_PUBLISHED = ("strings/", "loa/", "print/", "fonts/", "sitemap.xml", "assets/javascripts/bundle.",
                             "assets/javascripts/lunr/", "assets/javascripts/workers/")
"""Theme files that are not copied to the site: Loa's strings and root templates, MkDocs' sitemap
template (Loa writes its own sitemap), and Material's JavaScript, which Loa does not load (2.6 MB a language)."""
BLOCK = re.compile(re.escape(pages.BLOCK).replace(r"\{\}", r"(\d+)") + "\n?")
"""A list's placeholder, as Python-Markdown writes it (a block of raw HTML, then an empty line)."""
LOA_CSS = "assets/stylesheets/loa.css"
LOA_JS = "assets/javascripts/loa.js"
LOA_SEARCH_JS = "assets/javascripts/loa-search.js"
# pymdownx.tasklist puts the checkbox in an empty <label>: the box has no accessible name (axe
# `label`, WCAG 4.1.2). Moving the item's inline text inside that label names it natively.
TASK_ITEM = re.compile(r'(<label class="task-list-control">.*?<span class="task-list-indicator"></span>)</label>'
                       r"((?:[^<]|<(?!/?(?:li|ul|ol|p|div|label)\b))*)")


ALIGNED = re.compile(r' style="text-align: (left|right|center);"')
"""The only `style` attribute Python-Markdown writes (a table column aligned with `:--:`): the pages'
Content-Security-Policy refuses inline styles, so it becomes a class that loa.css aligns."""


Shard = tuple[int, int]
"""(index, count): render pages number index, index + count, ... of a language."""


@dataclass(frozen=True)
class RenderResult:
    lang: str
    pages: int
    seconds: float
    warnings: tuple[tuple[str, int, str], ...]
    """(shown source path, line, message) for each MkDocs warning."""
    anchor_targets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(src_uri, the pages it links to with an #anchor) for each rendered page that has such links."""


DIRTY_NOTICE = "A 'dirty' build is being performed"
"""MkDocs' warning for `dirty=True`. Loa builds with it so that the shards of a language, which
write disjoint files into one folder (empty at first), do not clean each other's output."""


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(DIRTY_NOTICE):
            self.messages.append(message)


class _ThemeLoader(jinja2.FileSystemLoader):
    """Jinja's loader, listing templates without walking into hidden folders.

    MkDocs lists every file of the theme to find its static files, then drops everything in
    a folder whose name starts with a dot. Material keeps 14,000 icons in `.icons/`: walking
    them cost 0.4 s per build of a language. Loading templates is Jinja's own.
    """

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for folder, subfolders, names in os.walk(searchpath, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                relative = os.path.relpath(folder, searchpath)
                for name in names:
                    found.add(name if relative == "." else f"{relative}/{name}".replace(os.path.sep, "/"))
        return sorted(found)


class LoaPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Feeds one language's plan to MkDocs and the typed `loa` context to templates."""

    def __init__(self, plan: LanguagePlan, shard: Shard = (0, 1), cache: MarkdownCache | None = None,
                 capture: _Capture | None = None, skip: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.plan = plan
        self.shard = shard
        self.mine = _share(plan, shard, skip)
        """The pages this build renders: its shard of those not taken from the previous site."""
        self.anchor_targets: dict[str, tuple[str, ...]] = {}
        self.by_uri = _by_uri(plan)
        self.cache = cache
        self.capture = capture or _Capture()
        self.misses: dict[str, tuple[str, int]] = {}
        """src_uri -> (cache key, number of log messages before its conversion)."""
        self.fragments: dict[str, str] = {}
        """Markup shared by many pages of this language (see `fragment`)."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Loa writes one site-wide sitemap with hreflang alternates (loa/outputs/sitemap.py), and the
        # first shard of a language writes its 404 page.
        config.theme.static_templates.discard("sitemap.xml")
        if self.shard[0] > 0:
            config.theme.static_templates.discard("404.html")
        theme, get_env = config.theme, config.theme.get_env

        def theme_env() -> jinja2.Environment:
            env = get_env()
            env.loader = _ThemeLoader(theme.dirs)
            return env
        theme.get_env = theme_env  # type: ignore[method-assign]
        return config

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # Templates do not change during a build: no file check on each of the ~40 loads per page.
        env.auto_reload = False
        env.globals["loa_fragment"] = self.fragment
        if self.cache is not None:  # compiled templates, shared by the worker processes and later builds
            env.bytecode_cache = TemplateCache(self.cache.directory / "jinja")
        return env

    def fragment(self, key: str, caller: Callable[[], str]) -> str:
        """`{% call loa_fragment(key) %}...{% endcall %}`: the markup rendered once per key ('' : every time)."""
        if not key:
            return caller()
        if key not in self.fragments:
            self.fragments[key] = caller()
        return self.fragments[key]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        index = self.shard[0]
        # Every shard knows every page (so links resolve) but renders only its own share;
        # theme files and assets are copied by the first shard only.
        kept = [f for f in files if f.src_dir is not None and not f.is_documentation_page()
                and not f.src_uri.startswith(THEME_FILES_NOT_PUBLISHED)] if index == 0 else []
        # Pages not rendered here are never read: they need a File (for links and the nav), not a text.
        generated = [File.generated(config, page.src_uri, content=_markdown(page) if page.src_uri in self.mine else "",
                                    inclusion=InclusionLevel.UNDEFINED if page.src_uri in self.mine
                                    else InclusionLevel.EXCLUDED)
                     for page in self.plan.pages]
        assets = [File.generated(config, path, abs_src_path=str(source),
                                 inclusion=InclusionLevel.UNDEFINED if index == 0 else InclusionLevel.EXCLUDED)
                  for path, source in self.plan.assets]
        return Files(kept + assets + generated)

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Any) -> TemplateContext:
        context["loa"] = page_view(self.plan, self.by_uri[page.file.src_uri])  # type: ignore[typeddict-unknown-key]
        return context

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        uri = page.file.src_uri
        planned = self.by_uri[uri]
        # Material's templates print `page.meta.title`, `page.title` and the description without escaping
        # (MkDocs' Jinja has no autoescape): the officer's text reaches them escaped, as `Markup`, so it is
        # text wherever they print it, and `| e` does not escape it twice.
        page.meta = {"title": escape(planned.title),
                     **({"description": escape(planned.summary)} if planned.summary else {})}
        if self.cache is None:
            return markdown
        key = self.cache.key(uri, markdown)
        hit = self.cache.get(key)
        if hit is None:
            self.misses[uri] = (key, len(self.capture.messages))
        else:
            # Nothing to convert: this page's `render` (which makes a new Markdown instance per
            # page) puts the cached HTML back instead; on_page_content removes the override.
            page.render = lambda config, files: self._restore(page, hit, files)  # type: ignore[method-assign]
        return markdown

    def _restore(self, page: Page, hit: Rendered, files: Files) -> None:
        page.content = hit.html
        page.toc = get_toc(hit.toc)  # type: ignore[arg-type]
        page.present_anchor_ids = set(hit.anchors)
        page.links_to_anchors = {target: links for target_uri, links in hit.links_to_anchors.items()
                                 if (target := files.get_file_from_path(target_uri)) is not None}
        for warning in hit.warnings:
            logging.getLogger("mkdocs.structure.pages").warning(warning)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        uri = page.file.src_uri
        page.__dict__.pop("render", None)  # a cache hit's override (on_page_markdown)
        if page.links_to_anchors:
            self.anchor_targets[uri] = tuple(sorted(target.src_uri for target in page.links_to_anchors))
        if self.cache is not None and uri in self.misses:
            key, before = self.misses.pop(uri)
            self.cache.put(key, Rendered(
                html=html, toc=[_toc_token(item) for item in page.toc], anchors=sorted(page.present_anchor_ids or ()),
                links_to_anchors={f.src_uri: dict(links) for f, links in (page.links_to_anchors or {}).items()},
                warnings=self.capture.messages[before:]))
        blocks = self.by_uri[uri].blocks
        if blocks:  # lists Loa writes itself (loa/plan/pages.py)
            html = BLOCK.sub(lambda m: blocks[int(m.group(1))], html)
        html = TASK_ITEM.sub(lambda m: f"{m.group(1)}{m.group(2).rstrip()}</label>", html)
        html = ALIGNED.sub(r' class="loa-align-\1"', html)
        return scroll_regions(code_out_of_paragraphs(html), self.plan.ui)

    def on_template_context(self, context: TemplateContext, *, template_name: str,
                            config: MkDocsConfig) -> TemplateContext:
        # Static templates (404.html) have no page. Hosts serve /<lang>/404.html at any depth: with a
        # site_url, its links are paths from the host's root, as MkDocs writes its assets' (loa/render/view.py).
        context["loa"] = page_view(self.plan, None, here=f"/{self.plan.lang}/")  # type: ignore[typeddict-unknown-key]
        return context

@functools.cache
def material_stylesheets() -> dict[str, str]:
    """Material's CSS files (`main`, `palette`), as the installed package names them.

    Their names carry a hash of their content, new with every Material release, even a patch:
    theme/base.html takes them from here (`config.extra.loa_material_css`) instead of writing them.
    """
    spec = importlib.util.find_spec("material")
    if spec is None or spec.origin is None:
        raise BuildError("mkdocs-material is not installed (pip install -r requirements.txt)")
    folder = Path(spec.origin).parent / "templates" / "assets" / "stylesheets"
    found = {}
    for kind in ("main", "palette"):
        names = sorted(folder.glob(f"{kind}.*.min.css"))
        if len(names) != 1:
            raise BuildError(f"Material's {kind} stylesheet: expected one {kind}.<hash>.min.css in {folder}, "
                             f"found {len(names)}")
        found[kind] = f"assets/stylesheets/{names[0].name}"
    return found


TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
CODE_BLOCK = re.compile(r"(<pre\b[^>]*>\s*(?:<span></span>)?<code)\b(?![^>]*\btabindex=)", re.IGNORECASE)
HEADING_TEXT = re.compile(r"<h[2-6]\b[^>]*>(.*?)</h[2-6]>", re.IGNORECASE | re.DOTALL)
CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.IGNORECASE | re.DOTALL)
PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
PARAGRAPH_TAG = re.compile(r"<(/?)p\b[^>]*>")
CODE_BLOCK_HTML = re.compile(r'<pre class="highlight">.*?</pre>', re.DOTALL)


def code_out_of_paragraphs(html: str) -> str:
    """A fenced block right after a line of text (CommonMark lets a fence interrupt a paragraph):
    superfences leaves it inside the paragraph's <p>, which HTML forbids; the paragraph is closed
    before the block and opened again after it."""
    if '<pre class="highlight">' not in html:
        return html
    out, done = [], 0
    for block in CODE_BLOCK_HTML.finditer(html):
        opened = list(PARAGRAPH_TAG.finditer(html, 0, block.start()))
        if opened and not opened[-1].group(1):  # the last <p> before the block is still open
            out += [html[done:block.start()].rstrip(), "</p>\n", block.group(0), "\n<p>"]
            done = block.end()
    return re.sub(r"(</pre>)\n<p>\s*</p>", r"\1", "".join([*out, html[done:]]))


def scroll_regions(html: str, ui: Callable[..., str]) -> str:
    """Tables and code blocks as regions a keyboard can scroll (axe `scrollable-region-focusable`).

    Material's JavaScript, which Loa does not load, would wrap tables; here each top-level <table>
    is wrapped in a focusable, named `div.loa-scroll` that scrolls sideways instead of the table
    (theme/assets/stylesheets/loa.css), and the <code> of each <pre>, which Material's CSS scrolls,
    is made focusable and named. A region is named by the table's caption, else by the heading
    above it; names that repeat on a page are numbered (axe `landmark-unique`).
    """
    seen: dict[str, int] = {}

    def label(kind: str, start: int, caption: str = "") -> str:
        headings = HEADING_TEXT.findall(html, 0, start) if not caption else []
        name = _text(caption or (headings[-1] if headings else ""))
        text = ui(f"scroll.{kind}.named", name=name) if name else ui(f"scroll.{kind}")
        seen[text] = count = seen.get(text, 0) + 1
        return escape(text if count == 1 else f"{text} ({count})")

    if "<table" in html:
        out, depth, start, done = [], 0, 0, 0
        for match in TABLE_TAG.finditer(html):
            if not match.group(1):
                depth += 1
                if depth == 1:
                    start = match.start()
            elif depth > 0:
                depth -= 1
                if depth == 0:
                    table = html[start:match.end()]
                    caption = CAPTION.search(table)
                    named = label("table", start, caption.group(1) if caption else "")
                    out += [html[done:start], '<div class="loa-scroll" role="region" tabindex="0" '
                            f'aria-label="{named}">', table, "</div>"]
                    done = match.end()
        html = "".join([*out, html[done:]])
    if "<pre" in html:
        html = CODE_BLOCK.sub(
            lambda m: f'{m.group(1)} tabindex="0" role="region" aria-label="{label("code", m.start())}"', html)
    return html


def _text(markup: str) -> str:
    """The text of a bit of HTML (a heading or caption), for an attribute."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", PERMALINK.sub("", markup))).split())


def _toc_token(item: AnchorLink) -> dict[str, Any]:
    return {"level": item.level, "id": item.id, "name": item.title,
            "children": [_toc_token(child) for child in item.children]}


EMPTY_FRONT_MATTER = "---\n{}\n---\n\n"
"""Title and description are set as `page.meta` by the plugin (no YAML to write and parse per page);
the empty front matter stops MkDocs reading a first line like `Note: ...` as MultiMarkdown metadata."""


def _markdown(page: PlannedPage) -> str:
    return EMPTY_FRONT_MATTER + page.markdown + "\n"


def _share(plan: LanguagePlan, shard: Shard, skip: frozenset[str]) -> frozenset[str]:
    index, count = shard
    return frozenset(page.src_uri for page in [p for p in plan.pages if p.src_uri not in skip][index::count])


def mkdocs_config(root: Path, plan: LanguagePlan, site_dir: Path, docs_dir: Path,
                  shard: Shard = (0, 1), cache_dir: Path | None = None,
                  capture: _Capture | None = None, skip: frozenset[str] = frozenset()) -> MkDocsConfig:
    config_file = root / "mkdocs.yml"
    config = MkDocsConfig(config_file_path=str(config_file))
    with config_file.open("rb") as stream:
        config.load_file(stream)
    raw: dict[str, Any] = dict(config.items())
    theme = raw.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    theme.update({"name": "material", "custom_dir": str(root / "theme"), "language": plan.lang, "font": False})
    extra = {k: v for k, v in (raw.get("extra") or {}).items() if k != "loa"}
    # Material includes its language selector only when `extra.alternate` is set; our
    # partials/alternate.html then renders per-page links from the `loa` context.
    extra["alternate"] = [{"name": lang.name, "link": f"/{lang.code}/", "lang": lang.code} for lang in plan.languages]
    extra["loa_ui_fallback"] = next((code for code in plan.language.chain[1:]), "en")
    extra["loa_material_css"] = material_stylesheets()
    extensions = _extensions(raw.get("markdown_extensions") or [])
    extra_css = [*(raw.get("extra_css") or [])]
    extra_js = [*(raw.get("extra_javascript") or [])]
    for path, listed in ((LOA_CSS, extra_css), (LOA_JS, extra_js), (LOA_SEARCH_JS, extra_js)):
        if path not in listed:
            listed.append(path)
    overrides = {
        # text, escaped once for the templates that print them raw (see on_page_markdown)
        "site_name": escape(plan.site_name),
        "site_description": escape(plan.description) if plan.description else None,
        "site_url": f"{plan.site_url}{plan.lang}/" if plan.site_url else None,
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": theme,
        "extra": extra,
        "markdown_extensions": extensions,
        "extra_css": extra_css,
        "extra_javascript": extra_js,
        "plugins": [],  # search is Pagefind's, indexed after rendering (loa/outputs/search.py)
        "nav": [{escape(item.title): item.src_uri} for item in plan.nav],
        "use_directory_urls": True,
        "strict": False,
        "validation": {"nav": {"omitted_files": "ignore", "absolute_links": "warn"},
                       "links": {"absolute_links": "warn", "unrecognized_links": "warn", "anchors": "warn"}},
    }
    config.load_dict(overrides)
    errors, _warnings = config.validate()
    if errors:
        raise BuildError("mkdocs.yml: " + "; ".join(f"{key}: {error}" for key, error in errors))
    cache = MarkdownCache(cache_dir, _cache_context(config, plan)) if cache_dir else None
    config.plugins["loa"] = LoaPlugin(plan, shard, cache, capture, skip)
    return config


def _cache_context(config: MkDocsConfig, plan: LanguagePlan) -> str:
    """What, besides a page's own Markdown, shapes its HTML: versions, Markdown settings, linkable files."""
    settings = json.dumps([config["markdown_extensions"], config["mdx_configs"]], sort_keys=True, default=_name)
    versions = [version(package) for package in ("mkdocs", "Markdown", "pymdown-extensions", "mkdocs-material")]
    return fingerprint([*versions, settings,
                        *(page.src_uri for page in plan.pages), *(path for path, _source in plan.assets)])


def _name(value: object) -> str:
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"


def _extensions(configured: list[Any]) -> list[Any]:
    names: dict[str, dict[str, Any]] = {}
    for item in configured:
        if isinstance(item, str):
            names[item] = {}
        elif isinstance(item, dict):
            for name, options in item.items():
                names[name] = dict(options or {})
    for name, options in REQUIRED_EXTENSIONS.items():
        names[name] = {**names.get(name, {}), **options}
    return [{name: options} for name, options in names.items()]


def _theme_path(root: Path, filename: str) -> str:
    try:
        return Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return filename


DOC_FILE = re.compile(r"Doc file '([^']+)'")
LINK = re.compile(r"contains (?:a|an unrecognized relative|an absolute) link '([^']+)'")


def _line_of(page: PlannedPage | None, message: str) -> int:
    """The source line of the link a warning is about, found in the page's Markdown.

    MkDocs names the link as written: in `[text](link)`, in a reference definition `[name]: link`,
    or in raw HTML (`href="link"`); failing those, the first line that holds it at all.
    """
    match = LINK.search(message)
    if page is None or match is None:
        return 1
    link = re.escape(match.group(1))
    lines = page.markdown.split("\n")
    for pattern in (re.compile(rf"\]\(\s*<?{link}|\]:\s*<?{link}|=\s*[\"']?{link}"), re.compile(link)):
        for index, line in enumerate(lines):
            if pattern.search(line):
                return page.body_line + index
    return 1


@contextmanager
def _mkdocs_logging(capture: _Capture) -> Iterator[None]:
    """MkDocs' log goes to `capture` only, for the duration of a build."""
    logger = logging.getLogger("mkdocs")
    logger.addHandler(capture)
    old_propagate = logger.propagate
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(capture)
        logger.propagate = old_propagate


@contextmanager
def _build_errors(root: Path, lang: str) -> Iterator[None]:
    """MkDocs and template failures as Loa's BuildError, with the theme file and line."""
    try:
        yield
    except MkDocsException as exc:
        raise BuildError(f"{lang}: {exc}") from exc
    except jinja2.TemplateSyntaxError as exc:
        where = _theme_path(root, exc.filename or exc.name or "theme")
        raise BuildError(f"{where}:{exc.lineno}: error: template syntax: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise BuildError(f"theme: error: template: {exc}") from exc


def _warnings(plan: LanguagePlan, messages: list[str]) -> tuple[tuple[str, int, str], ...]:
    """MkDocs warnings as (shown source path, line, message)."""
    warnings = []
    by_uri = _by_uri(plan) if messages else {}
    for message in messages:
        match = DOC_FILE.search(message)
        page = by_uri.get(match.group(1)) if match else None
        warnings.append((shown_path(plan, page) if page else "mkdocs.yml", _line_of(page, message), message))
    return tuple(warnings)


def _by_uri(plan: LanguagePlan) -> dict[str, PlannedPage]:
    return {page.src_uri: page for page in plan.pages}


def render_language(root: Path, plan: LanguagePlan, site_dir: Path, shard: Shard = (0, 1),
                    cache_dir: Path | None = None, skip: frozenset[str] = frozenset()) -> RenderResult:
    """Build one language (or one shard of its pages) into `site_dir`; MkDocs warnings are returned.

    The pages `skip` are not rendered (the build takes them from the previous site).
    """
    start = time.perf_counter()
    capture = _Capture()
    with _mkdocs_logging(capture), tempfile.TemporaryDirectory(prefix="loa-docs-") as empty_docs, \
            _build_errors(root, plan.lang):
        config = mkdocs_config(root, plan, site_dir, Path(empty_docs), shard, cache_dir, capture, skip)
        mkdocs_build(config, dirty=True)
    plugin = config.plugins["loa"]
    assert isinstance(plugin, LoaPlugin)
    return RenderResult(plan.lang, len(plugin.mine), time.perf_counter() - start, _warnings(plan, capture.messages),
                        tuple(sorted(plugin.anchor_targets.items())))


class LiveLanguage:
    """One language kept loaded between rebuilds (`serve`): only pages whose plan changed are rendered.

    It runs the same steps as `mkdocs build` (MkDocs 1.6.1's `commands/build.py`), keeping the
    config, files, navigation and Jinja environment, so one page costs what it costs in a full
    build. Valid while the language's page list, navigation and settings stay the same (see
    `same_shape`); anything else calls for a full build.
    """

    def __init__(self, root: Path, plan: LanguagePlan, site_dir: Path, cache_dir: Path | None = None) -> None:
        self.root = root
        self.plan = plan
        self.capture = _Capture()
        self._docs = tempfile.TemporaryDirectory(prefix="loa-docs-")
        with _mkdocs_logging(self.capture), _build_errors(root, plan.lang):
            config = mkdocs_config(root, plan, site_dir, Path(self._docs.name), (0, 1), cache_dir, self.capture)
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            files = get_files(config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
            self.env = config.plugins.on_env(env, config=config, files=files)
        self.config, self.files, self.nav = config, files, nav
        plugin = config.plugins["loa"]
        assert isinstance(plugin, LoaPlugin)
        self.plugin = plugin

    def same_shape(self, plan: LanguagePlan) -> bool:
        """True when `plan` differs from the loaded one in its pages' contents only."""
        return (replace(plan, pages=()) == replace(self.plan, pages=())
                and [p.src_uri for p in plan.pages] == [p.src_uri for p in self.plan.pages])

    def changed(self, plan: LanguagePlan) -> list[str]:
        """The src_uri of every page whose planned content differs from the loaded plan's."""
        return [new.src_uri for new, old in zip(plan.pages, self.plan.pages, strict=True) if new != old]

    def render(self, plan: LanguagePlan, uris: list[str]) -> RenderResult:
        """Render the pages `uris` of `plan` (which must have the same shape) into the site folder."""
        start = time.perf_counter()
        assert self.same_shape(plan)
        self.plan = self.plugin.plan = plan
        self.plugin.by_uri = by_uri = _by_uri(plan)
        self.capture.messages.clear()
        config, files = self.config, self.files
        with _mkdocs_logging(self.capture), _build_errors(self.root, plan.lang):
            built = []
            for uri in uris:
                file = files.get_file_from_path(uri)
                assert file is not None
                file.content_string = _markdown(by_uri[uri])
                page = file.page or Page(None, file, config)
                _populate_page(page, config, files)
                built.append(page)
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
            for page in built:
                _build_page(page, config, doc_files, self.nav, self.env)
                page.content = None  # the next render reads it again; nothing to keep meanwhile
        return RenderResult(plan.lang, len(built), time.perf_counter() - start, _warnings(plan, self.capture.messages))

    def check_anchors(self, rendered: list[str], linking: list[str]) -> RenderResult:
        """MkDocs' anchor check, which `mkdocs build` runs once every page is converted, for a partial rebuild.

        `rendered`: pages just rendered (only their anchor warnings are given: `render` gave the
        others); `linking`: pages that link to an #anchor of a rendered page, converted again
        here (not written) so that all their link warnings are given. A page they link to that
        was not converted since the language was loaded is converted first (the Markdown cache
        has most). `anchor_targets` lists every page checked, with or without such links.
        """
        start = time.perf_counter()
        self.capture.messages.clear()
        with _mkdocs_logging(self.capture), _build_errors(self.root, self.plan.lang):
            pages = [self._convert(uri) for uri in linking]
            kept = list(self.capture.messages)
            for uri in rendered:
                file = self.files.get_file_from_path(uri)
                assert file is not None and file.page is not None
                pages.append(file.page)
            for page in pages:
                for target in page.links_to_anchors or {}:
                    if target.page is None or target.page.present_anchor_ids is None:
                        self._convert(target.src_uri)
            self.capture.messages[:] = kept  # what converting the targets said is theirs, known already
            for page in pages:
                page.validate_anchor_links(files=self.files, log_level=self.config.validation.links.anchors)
        targets = tuple((page.file.src_uri, tuple(sorted(f.src_uri for f in page.links_to_anchors or {})))
                        for page in pages)
        return RenderResult(self.plan.lang, 0, time.perf_counter() - start, _warnings(self.plan, self.capture.messages),
                            targets)

    def _convert(self, uri: str) -> Page:
        """The page `uri` with its Markdown converted (anchors, links), as a build does before writing it."""
        file = self.files.get_file_from_path(uri)
        assert file is not None
        file.content_string = _markdown(self.plugin.by_uri[uri])
        page = file.page or Page(None, file, self.config)
        _populate_page(page, self.config, self.files)
        page.content = None
        return page

    def close(self) -> None:
        self._docs.cleanup()
