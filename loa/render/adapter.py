"""The adapter: renders a language with MkDocs and Material.

Each language is one MkDocs build (`render_language`, or one per shard of its pages), fed by its
`LanguagePlan` through a small plugin (loa/render/plugin.py) that replaces the file collection
with in-memory pages (`File.generated`) and hands every template a typed `loa` context; `serve`
keeps a language loaded instead (`LiveLanguage`). A move to another MkDocs-compatible engine
touches `loa/render/` and `theme/` only.

Beyond MkDocs 1.6.1's plugin events, this module relies on (all pinned, all here):
`commands.build._populate_page` and `_build_page` (`LiveLanguage`) and `build(dirty=True)`
(shards); loa/render/plugin.py names what the plugin relies on.
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from loa.errors import BuildError
from loa.plan.site import LanguagePlan, PlannedPage, shown_path
from loa.render.config import mkdocs_config
from loa.render.plugin import Capture, LoaPlugin, Shard, page_markdown, pages_by_uri


@dataclass(frozen=True)
class RenderResult:
    lang: str
    pages: int
    seconds: float
    warnings: tuple[tuple[str, int, str], ...]
    """(shown source path, line, message) for each MkDocs warning."""
    anchor_targets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(src_uri, the pages it links to with an #anchor) for each rendered page that has such links."""


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
def _mkdocs_logging(capture: Capture) -> Iterator[None]:
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
    by_uri = pages_by_uri(plan) if messages else {}
    for message in messages:
        match = DOC_FILE.search(message)
        page = by_uri.get(match.group(1)) if match else None
        warnings.append((shown_path(plan, page) if page else "mkdocs.yml", _line_of(page, message), message))
    return tuple(warnings)


def render_language(root: Path, plan: LanguagePlan, site_dir: Path, shard: Shard = (0, 1),
                    cache_dir: Path | None = None, skip: frozenset[str] = frozenset()) -> RenderResult:
    """Build one language (or one shard of its pages) into `site_dir`; MkDocs warnings are returned.

    The pages `skip` are not rendered (the build takes them from the previous site).
    """
    start = time.perf_counter()
    capture = Capture()
    with _mkdocs_logging(capture), tempfile.TemporaryDirectory(prefix="loa-docs-") as empty_docs, \
            _build_errors(root, plan.lang):
        config = mkdocs_config(root, plan, site_dir, Path(empty_docs), shard, cache_dir, capture, skip)
        mkdocs_build(config, dirty=True)
    plugin = config.plugins["loa"]
    assert isinstance(plugin, LoaPlugin)
    return RenderResult(plan.lang, len(plugin.mine), time.perf_counter() - start,
                        _warnings(plan, capture.messages) + tuple(plugin.image_warnings),
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
        self.capture = Capture()
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
        self.plugin.by_uri = by_uri = pages_by_uri(plan)
        self.capture.messages.clear()
        self.plugin.image_warnings.clear()
        config, files = self.config, self.files
        with _mkdocs_logging(self.capture), _build_errors(self.root, plan.lang):
            built = []
            for uri in uris:
                file = files.get_file_from_path(uri)
                assert file is not None
                file.content_string = page_markdown(by_uri[uri])
                page = file.page or Page(None, file, config)
                _populate_page(page, config, files)
                built.append(page)
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
            for page in built:
                _build_page(page, config, doc_files, self.nav, self.env)
                page.content = None  # the next render reads it again; nothing to keep meanwhile
        return RenderResult(plan.lang, len(built), time.perf_counter() - start,
                            _warnings(plan, self.capture.messages) + tuple(self.plugin.image_warnings))

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
        file.content_string = page_markdown(self.plugin.by_uri[uri])
        page = file.page or Page(None, file, self.config)
        _populate_page(page, self.config, self.files)
        page.content = None
        return page

    def close(self) -> None:
        self._docs.cleanup()
