"""The MkDocs plugin `LoaPlugin`: feeds one language's plan to MkDocs and the typed `loa` context to templates.

It replaces the file collection with in-memory pages (`File.generated`), puts cached HTML back
instead of converting a page again, and post-processes each page's HTML (loa/render/html.py).
Beyond MkDocs 1.6.1's plugin events, it relies on (all pinned, all here): an instance's
`Page.render` replaced (for a cached page, and by `Converter.render`, which runs the steps of
`Page.render` with its private tree processors, and gives Python-Markdown's `InlineProcessor` its
patterns as a tuple), and `Theme.get_env` wrapped to list theme files
without Material's hidden icon folder.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import markdown  # type: ignore[import-untyped]
import material
from markdown.treeprocessors import InlineProcessor  # type: ignore[import-untyped]
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils.templates import TemplateContext

from loa.cache.markdown import MarkdownCache, Rendered
from loa.cache.templates import TemplateCache
from loa.plan.site import LanguagePlan, PlannedPage, shown_path
from loa.render.css import material_main, unused_markdown, without_comments
from loa.render.html import ALIGNED, BLOCK, TASK_ITEM, code_out_of_paragraphs, inline_icons, scroll_regions
from loa.render.images import Images, where
from loa.render.svg import SvgSizes
from loa.render.view import page_view

THEME_FILES_NOT_PUBLISHED = ("strings/", "loa/", "print/", "fonts/", "sitemap.xml", "assets/javascripts/bundle.",
                             "assets/javascripts/lunr/", "assets/javascripts/workers/")
"""Theme files that are not copied to the site: Loa's strings, root templates and the share images' font,
MkDocs' sitemap template (Loa writes its own sitemap), and Material's JavaScript, which Loa does not load
(2.6 MB a language)."""

OFFLINE_PAGE = "offline.html"
"""Rendered per language like 404.html: the service worker's page for a page never opened (theme/loa/sw.js)."""

Shard = tuple[int, int]
"""(index, count): render pages number index, index + count, ... of a language."""


DIRTY_NOTICE = "A 'dirty' build is being performed"
"""MkDocs' warning for `dirty=True`. Loa builds with it so that the shards of a language, which
write disjoint files into one folder (empty at first), do not clean each other's output."""


class Capture(logging.Handler):
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
                 capture: Capture | None = None, skip: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.plan = plan
        self.shard = shard
        self.mine = _share(plan, shard, skip)
        """The pages this build renders: its shard of those not taken from the previous site."""
        self.anchor_targets: dict[str, tuple[str, ...]] = {}
        self.by_uri = pages_by_uri(plan)
        self.cache = cache
        self.capture = capture or Capture()
        self.misses: dict[str, tuple[str, int]] = {}
        """src_uri -> (cache key, number of log messages before its conversion)."""
        self.fragments: dict[str, str] = {}
        """Markup shared by many pages of this language (see `fragment`)."""
        self.images = Images(plan.lang, plan.assets, cache.directory / "images" if cache is not None else None)
        self.svg_sizes = SvgSizes(plan.lang, dict(plan.assets))
        self.image_warnings: list[tuple[str, int, str]] = []
        """(shown source path, line, message) for each image over the budget or unreadable (loa/render/images.py)."""
        self.converter = Converter()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Loa writes one site-wide sitemap with hreflang alternates (loa/outputs/sitemap.py), and the
        # first shard of a language writes its 404 page.
        config.theme.static_templates.discard("sitemap.xml")
        config.theme.static_templates.add(OFFLINE_PAGE)  # what the service worker shows for a page never opened
        if self.shard[0] > 0:
            config.theme.static_templates.discard("404.html")
            config.theme.static_templates.discard(OFFLINE_PAGE)
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
        env.globals["loa_material_t"] = material_strings(
            env, (config.theme["language"], config.extra.get("loa_ui_fallback") or "en", "en"))
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
        # Material's source map describes its stylesheet, not Loa's copy (loa/render/css.py), which names none
        source_map = config.extra["loa_material_css"]["material_main"] + ".map"
        kept = [_published_css(config, f) for f in kept if f.src_uri != source_map]
        # Pages not rendered here are never read: they need a File (for links and the nav), not a text.
        generated = [File.generated(config, page.src_uri,
                                    content=page_markdown(page) if page.src_uri in self.mine else "",
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
        key = self.cache.key(uri, markdown) if self.cache is not None else ""
        hit = self.cache.get(key) if self.cache is not None else None
        if hit is None:
            if self.cache is not None:
                self.misses[uri] = (key, len(self.capture.messages))
            page.render = lambda config, files: self.converter.render(page, config, files)  # type: ignore[method-assign]
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
        html = inline_icons(html, material_icon)
        html = TASK_ITEM.sub(lambda m: f"{m.group(1)}{m.group(2).rstrip()}</label>", html)
        html = ALIGNED.sub(r' class="loa-align-\1"', html)
        html, said = self.images.rewrite(html, self.by_uri[uri].url)
        html = self.svg_sizes.rewrite(html, self.by_uri[uri].url)
        planned = self.by_uri[uri]
        for path, message in said:
            self.image_warnings.append((*where(planned.markdown, planned.body_line, shown_path(self.plan, planned),
                                               planned.kind == "generated", path), message))
        return scroll_regions(code_out_of_paragraphs(html), self.plan.ui)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.shard[0] == 0:  # the first shard copies the language's files: the made images too
            self.images.write_all(Path(config.site_dir))

    def on_template_context(self, context: TemplateContext, *, template_name: str,
                            config: MkDocsConfig) -> TemplateContext:
        # Static templates (404.html) have no page. Hosts serve /<lang>/404.html at any depth: with a
        # site_url, its links are paths from the host's root, as MkDocs writes its assets' (loa/render/view.py).
        context["loa"] = page_view(self.plan, None, here=f"/{self.plan.lang}/")  # type: ignore[typeddict-unknown-key]
        return context


class Converter:
    """One Markdown converter for a whole build, reset before each page, instead of MkDocs' new one per page:
    making one (every extension built again, its settings deep-copied) cost a tenth of a worker's time."""

    def __init__(self) -> None:
        self.markdown: markdown.Markdown | None = None

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """MkDocs 1.6.1's `Page.render`, its own tree processors new for the page as there."""
        if self.markdown is None:
            self.markdown = markdown.Markdown(extensions=config["markdown_extensions"],
                                              extension_configs=config["mdx_configs"] or {})
        md = self.markdown.reset()
        if "inline" in md.treeprocessors and type(inline := md.treeprocessors["inline"]) is InlineProcessor:
            # It reads its patterns by position, about 500 times a page; a tuple of them in the registry's
            # order does that in C, where the registry's `__getitem__` cost 4 % of a worker's time.
            inline.inlinePatterns = tuple(md.inlinePatterns)
        raw_html = _RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = _ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative_paths = _RelativePathTreeprocessor(page.file, files, config)
        relative_paths._register(md)
        title = _ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_paths.links_to_anchors


def material_strings(env: jinja2.Environment, codes: tuple[str, ...]) -> Callable[[str], str]:
    """Material's `lang.t(key)` (theme/partials/language.html): its strings of the first of `codes` that has
    the key, else the key. Material writes each language's strings as a dict literal in a macro that builds
    the dict again at each call; here they are read once, from the same files."""
    assert env.loader is not None
    table: dict[str, str] = {}
    for code in reversed(codes):
        source = env.loader.get_source(env, f"partials/languages/{code}.html")[0]
        strings = next(env.parse(source).find_all(jinja2.nodes.Dict))
        table.update((str(pair.key.as_const()), str(value)) for pair in strings.items
                     if (value := pair.value.as_const()))

    def t(key: str) -> str:
        return table.get(key) or key
    return t


def _published_css(config: MkDocsConfig, file: File) -> File:
    """Loa's own stylesheets (the project's `theme/`) without their comments (loa/render/css.py); Material's
    main stylesheet as Loa's copy of it (loa/render/css.py::material_main, under the name the pages link,
    `config.extra.loa_material_css`); every other file as it is."""
    if not file.src_uri.endswith(".css") or file.abs_src_path is None:
        return file
    if Path(file.abs_src_path).is_relative_to(MATERIAL):
        if file.src_uri != config.extra["loa_material_css"]["material_main"]:
            return file
        name, text = material_main(Path(file.abs_src_path), unused_markdown(config.markdown_extensions))
        return File.generated(config, name, content=text)
    return File.generated(config, file.src_uri, content=without_comments(
        Path(file.abs_src_path).read_text(encoding="utf-8")))


def _toc_token(item: AnchorLink) -> dict[str, Any]:
    return {"level": item.level, "id": item.id, "name": item.title,
            "children": [_toc_token(child) for child in item.children]}


EMPTY_FRONT_MATTER = "---\n{}\n---\n\n"
"""Title and description are set as `page.meta` by the plugin (no YAML to write and parse per page);
the empty front matter stops MkDocs reading a first line like `Note: ...` as MultiMarkdown metadata."""


def page_markdown(page: PlannedPage) -> str:
    return EMPTY_FRONT_MATTER + page.markdown + "\n"


def _share(plan: LanguagePlan, shard: Shard, skip: frozenset[str]) -> frozenset[str]:
    index, count = shard
    return frozenset(page.src_uri for page in [p for p in plan.pages if p.src_uri not in skip][index::count])


def pages_by_uri(plan: LanguagePlan) -> dict[str, PlannedPage]:
    return {page.src_uri: page for page in plan.pages}


MATERIAL = Path(material.__file__).parent
ICONS = MATERIAL / "templates" / ".icons"
"""Material's bundled icons (SVG files), the ones its templates include as `.icons/<set>/<name>.svg`."""


@functools.lru_cache(maxsize=64)
def material_icon(name: str) -> str:
    return (ICONS / f"{name}.svg").read_text(encoding="utf-8")
