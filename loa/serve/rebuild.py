"""Rebuilds for `serve`: after a save, render only the pages the change reaches.

A save that changes only the text of material pages (front matter as in the last
good parse) is checked alone: that text is parsed and linted, and its page and
fallback copies get it. Any other save in `content/` or `campaigns/` checks the
whole input again (parsed files and lint results of unchanged files are kept,
see `LoadCache`) and compares the new plan with the last one, page by page:
`PlannedPage` holds everything a page's HTML is made from, so the pages that
differ are exactly the pages to render. The saved page is rendered first (the
browser reloads then), the pages that list it (hubs, campaign pages) after.
A change to the set of pages, the navigation, the settings, the theme or an
image calls for a full build.

The outputs (`loa/outputs/`) are run again when their digest changes: those made
from the plan at once, before the browser reloads; those made from the rendered
pages (search bundles) in the background once saves pause, so the browser never
waits for Pagefind. The result equals a clean build byte for byte
(tests/test_incremental.py, tests/test_outputs.py).
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from loa import outputs
from loa.check.lint import lint_translation
from loa.errors import LoaError, Problem, Report
from loa.load.project import LoadCache, markdown_file
from loa.load.source import MarkdownSource
from loa.model import Site
from loa.outputs import Made
from loa.pipeline import BuildResult, Options, Progress, build, check_site, render_warnings
from loa.plan.site import LanguagePlan, PlannedPage, plan_documents, plan_site, shown_path
from loa.publish.reuse import SiteRecord
from loa.render.adapter import DOC_FILE, LiveLanguage, RenderResult

SEARCH_QUIET_SECONDS = 2.0
"""Search bundles are rebuilt once saves have paused this long."""
INCREMENTAL_INPUT = (("content", ".md"), ("campaigns", ".yml"), ("campaigns", ".yaml"))
"""Files whose changes the page-by-page comparison covers; any other change means a full build."""


@dataclass(frozen=True)
class Update:
    result: BuildResult
    full: bool
    """True when everything was built again."""
    rendered: dict[str, list[str]]
    """Language -> src_uri of the pages rendered (empty for a full build)."""
    texts_only: bool = False
    """True when only the saved Markdown bodies were checked again (see `Rebuilder._body_only`)."""


MkDocsWarning = tuple[str, int, str]
"""A MkDocs warning: (shown source path, line, message)."""


@dataclass(frozen=True)
class PageNotes:
    """What MkDocs said about one page when it last converted it."""

    warnings: tuple[MkDocsWarning, ...] = ()
    anchor_targets: tuple[str, ...] = ()
    """The pages it links to with an #anchor."""


def _placed(page: PlannedPage) -> tuple[object, ...]:
    """Where a page stands among the others: a change there goes the whole way (`Rebuilder._saved_first`)."""
    return page.url, page.kind, page.alternates


class Rebuilder:
    """Keeps what the last build knew, and rebuilds the site in `options.out` after changes."""

    def __init__(self, options: Options, progress: Progress) -> None:
        self.options = options = replace(options, root=options.root.resolve(), out=options.out.resolve())
        self.progress = progress
        self.cache = LoadCache()
        self.last: BuildResult | None = None
        self.live: dict[str, LiveLanguage] = {}
        self.lock = threading.Lock()
        """Held while pages or outputs are written into the site."""
        self.generation = 0
        """Counts full builds: an output made in the background before the last one is stale."""
        self._made: dict[str, Made] = {}
        """The runs of the outputs in the site now (`loa/outputs/__init__.py`), by key."""
        self._search_pending: set[tuple[str, str]] = set()
        """(output, language or "") of the outputs made from rendered pages, to check again in the background."""
        self._search_due = 0.0
        self._search_wake = threading.Condition()
        self._search_thread: threading.Thread | None = None
        self._search_busy = False
        self._sources: dict[Path, MarkdownSource] = {}
        """The parsed Markdown files behind `last` (the cache may hold a later, failed save)."""
        self._notes: dict[str, dict[str, PageNotes]] = {}
        """Language -> src_uri -> MkDocs' warnings and anchor links of the page in the site now."""
        self._content_warnings: tuple[Problem, ...] = ()
        """The warnings of the last good check of the input (without MkDocs')."""

    # -- builds -------------------------------------------------------------------------------

    def full(self) -> Update:
        """A whole build, atomic as `build.py build` (`warm_up` then loads the languages for the next save)."""
        self.close_live()
        with self.lock:
            result = build(self.options, lambda _message: None, self.cache)
            self.generation += 1
            with self._search_wake:
                self._search_pending.clear()
            self._made = dict(result.outputs)
        self._notes = self._notes_of(result)
        mkdocs = set(self._mkdocs_warnings())
        self._content_warnings = tuple(w for w in result.warnings if w not in mkdocs)
        self._succeeded(result)
        return Update(result, True, {})

    def _notes_of(self, result: BuildResult) -> dict[str, dict[str, PageNotes]]:
        """Per page, what MkDocs said in the full build: from the record it saved (every page,
        rendered or taken from the previous site), else from the renders (then every page was rendered)."""
        record = SiteRecord.load(self.options.cache_dir, self.options.out) if self.options.cache_dir else None
        notes: dict[str, dict[str, PageNotes]] = {}
        for plan in result.plan.languages:
            kept = record.languages.get(plan.lang) if record is not None else None
            if kept is not None:
                by_uri = {page.src_uri: page for page in plan.pages}
                notes[plan.lang] = {uri: PageNotes(tuple((shown_path(plan, by_uri[uri]), line, message)
                                                         for line, message in page.warnings), page.anchor_targets)
                                    for uri, page in kept.pages.items() if uri in by_uri}
            else:
                renders = [r for r in result.renders if r.lang == plan.lang]
                notes[plan.lang] = _notes_from(plan, renders, [])
        return notes

    def _mkdocs_warnings(self) -> list[Problem]:
        return render_warnings([RenderResult(lang, 0, 0.0, tuple(w for page in pages.values() for w in page.warnings))
                                for lang, pages in self._notes.items()])

    def warm_up(self) -> None:
        """Load every language (config, navigation, templates) so that the first save is as fast as the rest."""
        assert self.last is not None
        for plan in self.last.plan.languages:
            if plan.lang not in self.live:
                live = self.live[plan.lang] = LiveLanguage(self.options.root, plan, self.options.out / plan.lang,
                                                           self.options.cache_dir)
                with self.lock:
                    live.render(plan, ["index.md"])  # compiles the templates; writes the same bytes again

    def update(self, changed: list[Path], first: Callable[[int], None] = lambda _count: None) -> Update:
        """Rebuild after `changed` files were saved; raises ContentError and leaves the site as it was.

        `first(count)` is called once the saved pages themselves are written, before the pages
        that only list them: `serve` reloads the browser then.
        """
        if self.last is None or not all(self._incremental(path) for path in changed):
            return self.full()
        # The kept parses and the live MkDocs state are many long-lived objects: a collection
        # pass over them would cost more than the update itself (0.3 s at 1,000 materials).
        collecting = gc.isenabled()
        gc.disable()
        try:
            update = self._update(changed, first)
        except LoaError:
            raise
        except Exception as exc:  # a bug here must not stop the preview: a full build is always right
            self.progress(f"could not update only what changed ({type(exc).__name__}: {exc}); building everything")
            update = None
        finally:
            if collecting:
                gc.enable()  # before a full build: its worker processes are forked from this one
        return update if update is not None else self.full()

    def _update(self, changed: list[Path], first: Callable[[int], None]) -> Update | None:
        """The update, or None when it takes a full build."""
        assert self.last is not None
        rendered: dict[str, list[str]] = {}
        renders: list[RenderResult] = []
        checked = self._body_only(changed)
        texts_only = checked is not None
        if checked is None:
            site, warnings = check_site(self.options, self.cache)  # on errors, nothing is written
        try:
            if checked is None:
                # The saved material first, planned alone (planning all pages takes 0.4 s at 1,000
                # materials): the browser shows it while the pages that list it are planned.
                self._saved_first(site, changed, rendered, renders)
                if rendered:
                    first(sum(len(uris) for uris in rendered.values()))
                options = self.options
                checked = BuildResult(site, plan_site(site, options.today, options.langs, options.drafts), warnings)
            old = {plan.lang: plan for plan in self.last.plan.languages}
            plans = checked.plan.languages
            if [plan.lang for plan in plans] != list(old) or replace(checked.plan, languages=()) != \
                    replace(self.last.plan, languages=()):
                return None
            self.warm_up()
            if not all(self.live[plan.lang].same_shape(plan) for plan in plans):
                return None
            saved = {uri for path in changed if (uri := self._page_of(path))}
            with self.lock:
                todo = {plan.lang: (plan, self.live[plan.lang].changed(plan)) for plan in plans}
                # The saved page (and its fallback copies) first: the browser shows it at once; the
                # pages that list it (hubs of hundreds of materials, campaign pages) follow.
                shown = bool(rendered)
                for phase in ("saved", "listing"):
                    for lang, (plan, uris) in todo.items():
                        now = [uri for uri in uris if (uri in saved) == (phase == "saved")]
                        if now:
                            renders.append(self.live[lang].render(plan, now))
                            rendered.setdefault(lang, []).extend(now)
                    if phase == "saved" and rendered and not shown:
                        first(sum(len(uris) for uris in rendered.values()))
                # after the reload: the browser shows none of them
                self._rerun_outputs(checked)
        except BaseException:
            # Some pages may be written and others not: only a full build is sure to be right next time.
            self.close_live()
            self.last = None
            raise
        # MkDocs checks anchors once every page is converted: here, for the pages rendered and for
        # those linking to their anchors; the warnings of the other pages stay as they were.
        by_lang = {plan.lang: plan for plan in checked.plan.languages}
        for lang, uris in rendered.items():
            notes = self._notes.setdefault(lang, {})
            linking = sorted(uri for uri, page in notes.items()
                             if uri not in uris and any(target in uris for target in page.anchor_targets))
            anchors = self.live[lang].check_anchors(uris, linking)
            notes.update(_notes_from(by_lang[lang], [r for r in renders if r.lang == lang], [anchors]))
        self._content_warnings = checked.warnings
        warnings = tuple(sorted({*checked.warnings, *self._mkdocs_warnings()}))
        self._succeeded(BuildResult(checked.site, checked.plan, warnings, tuple(renders)))
        self._reindex(rendered)
        return Update(self.last, False, rendered, texts_only)

    def _saved_first(self, site: Site, changed: list[Path], rendered: dict[str, list[str]],
                     renders: list[RenderResult]) -> None:
        """Render the pages of the saved materials, planned alone, if that is all a save changes first.

        Not for a new page, nor for a save that changes what the sitemap says of a page (its
        translations): those go the whole way. The whole plan, made next, gives these pages
        again, equal (the same function plans them), so they are not rendered twice.
        """
        doc_ids = []
        for path in changed:
            uri = self._page_of(path)
            parts = path.resolve().relative_to(self.options.root).parts
            document = site.documents.get(uri[:-3]) if uri and parts[0] == "content" else None
            if document is None or document.kind not in ("material", "page"):
                return
            doc_ids.append(document.id)
        self.warm_up()
        planned = plan_documents(site, self.options.today, doc_ids, self.options.langs, self.options.drafts)
        todo = []
        for lang, pages in planned.items():
            live = self.live.get(lang)
            if live is None:
                return
            before = {page.src_uri: page for page in live.plan.pages}
            new = {page.src_uri: page for page in pages if before.get(page.src_uri) != page}
            if any(uri not in before or _placed(page) != _placed(before[uri]) for uri, page in new.items()):
                return
            if new:
                todo.append((live, replace(live.plan, pages=tuple(new.get(page.src_uri, page)
                                                                  for page in live.plan.pages)), list(new)))
        with self.lock:
            for live, plan, uris in todo:
                renders.append(live.render(plan, uris))
                rendered.setdefault(plan.lang, []).extend(uris)

    def _succeeded(self, result: BuildResult) -> None:
        self.last = result
        self._sources = {path: source for path, (_stamp, source, _problems) in self.cache.entries.items()
                         if isinstance(source, MarkdownSource)}

    def _body_only(self, changed: list[Path]) -> BuildResult | None:
        """The check of a save that changed only the Markdown body of material pages, or None.

        The most common save, made cheap: nothing else in the input changed, so the last check
        stands for everything but these texts, which are parsed and linted again. Their pages
        and fallback copies get the new text; no generated page shows a material's body.
        """
        assert self.last is not None
        plans = self.last.plan.languages
        documents = dict(self.last.site.documents)
        report, edited = Report(), set()
        for saved in changed:
            parts = saved.resolve().relative_to(self.options.root).parts
            path = self.options.root.joinpath(*parts)  # as the loader names it
            if len(parts) < 3 or parts[0] != "content" or path.suffix != ".md" or not path.is_file():
                return None
            lang, doc_id = parts[1], "/".join(parts[2:])[:-3]
            document = documents.get(doc_id)
            translation = document.translations.get(lang) if document is not None else None
            before = self._sources.get(path)
            if document is None or translation is None or before is None:
                return None
            parse = Report()
            source = self.cache.parse(path, parse, partial(markdown_file, path, translation.shown, parse))
            if source is None or parse.problems or source.meta != before.meta:
                return None  # front matter edited, or not readable: the whole check says what and where
            if any(page.src_uri == f"{doc_id}.md" and page.kind == "generated"
                   for plan in plans for page in plan.pages):
                return None  # a topic, audience or home text: shown by a generated page
            translation = replace(translation, body=source.body, body_line=source.body_line)
            documents[doc_id] = replace(document, translations={**document.translations, lang: translation})
            lint_translation(translation, self.last.site.assets, report)
            edited.add(translation.shown)
        report.raise_if_errors()
        texts = {(f"{doc_id}.md", lang): translation for doc_id, document in documents.items()
                 for lang, translation in document.translations.items() if translation.shown in edited}
        new_plans = tuple(replace(plan, pages=tuple(
            replace(page, markdown=text.body, body_line=text.body_line)
            if page.kind != "generated" and (text := texts.get((page.src_uri, page.content_lang))) else page
            for page in plan.pages)) for plan in plans)
        warnings = tuple(sorted([w for w in self._content_warnings if w.position.path not in edited]
                                + report.warnings))
        return BuildResult(replace(self.last.site, documents=documents), replace(self.last.plan, languages=new_plans),
                           warnings)

    def _page_of(self, path: Path) -> str | None:
        """The page a saved file is the text of (its src_uri), if any."""
        parts = path.resolve().relative_to(self.options.root).parts
        if parts[0] == "content" and len(parts) > 2 and path.suffix == ".md":
            return "/".join(parts[2:])
        return f"campaigns/{path.stem}.md" if parts[0] == "campaigns" else None

    def _incremental(self, path: Path) -> bool:
        try:
            parts = path.resolve().relative_to(self.options.root.resolve()).parts
        except ValueError:
            return False
        return any(parts[0] == folder and path.suffix == suffix for folder, suffix in INCREMENTAL_INPUT) \
            and not any(part.startswith(".") for part in parts)

    def close_live(self) -> None:
        for live in self.live.values():
            live.close()
        self.live.clear()

    def close(self) -> None:
        self.close_live()

    # -- outputs ----------------------------------------------------------------------------------

    def _rerun_outputs(self, checked: BuildResult) -> None:
        """Write again, into the site, the outputs made from the plan whose digest changed."""
        runner = outputs.Runner(checked.site, checked.plan, self.options.out, self.options.cache_dir, self._made)
        for scope in ("site", "language"):
            for output in runner.outputs(scope, "plan"):
                for language in checked.plan.languages if scope == "language" else (None,):
                    made = runner.rerun(output, runner.target(output, language))
                    if made is not None:
                        self._made[outputs.key(output, language)] = made

    # -- outputs made from the rendered pages (search), in the background ------------------------
    # They run once saves have paused for SEARCH_QUIET_SECONDS, at a lower CPU priority, so that
    # they do not slow down the next save's pages, and only when their digest changed.

    def _reindex(self, pages: dict[str, list[str]]) -> None:
        if not pages:
            return
        with self._search_wake:
            for output in outputs.Runner.outputs("language", "pages"):
                self._search_pending.update((output.name, lang) for lang in pages)
            self._search_pending.update((output.name, "") for output in outputs.Runner.outputs("site", "pages"))
            self._search_due = time.monotonic() + SEARCH_QUIET_SECONDS
            self._search_wake.notify_all()
        if self._search_thread is None:
            self._search_thread = threading.Thread(target=self._search_loop, daemon=True, name="loa-search")
            self._search_thread.start()

    def wait_for_search(self, timeout: float = 120) -> None:
        """Return once no output is waiting to be made again (for tests and the benchmark)."""
        deadline = time.monotonic() + timeout
        with self._search_wake:
            self._search_due = 0.0
            self._search_wake.notify_all()
            while self._search_pending or self._search_busy:
                if not self._search_wake.wait(max(0.0, deadline - time.monotonic())):
                    raise TimeoutError("search index still rebuilding")

    def _search_loop(self) -> None:
        while True:
            with self._search_wake:
                while not self._search_pending or time.monotonic() < self._search_due:
                    self._search_wake.wait(max(0.01, self._search_due - time.monotonic())
                                           if self._search_pending else None)
                name, lang = min(self._search_pending)
                self._search_pending.discard((name, lang))
                self._search_busy = True
            try:
                self._rerun_in_background(name, lang)
            except Exception as exc:  # reported; the next save tries again
                self.progress(f"{name} ({lang or 'site'}) not updated: {exc}")
            finally:
                with self._search_wake:
                    self._search_busy = False
                    self._search_wake.notify_all()

    def _rerun_in_background(self, name: str, lang: str) -> None:
        started = time.perf_counter()
        with self.lock:
            output = next((output for output in outputs.REGISTRY if output.name == name), None)
            if self.last is None or output is None:
                return
            language = next(p for p in self.last.plan.languages if p.lang == lang) if lang else None
            generation = self.generation
            runner = outputs.Runner(self.last.site, self.last.plan, self.options.out, self.options.cache_dir,
                                    dict(self._made))
        # Without the lock, so that saves go on meanwhile: a page a save rewrites now is read
        # again by the run that save asks for. Written beside, then swapped in under the lock.
        with tempfile.TemporaryDirectory(prefix=f"loa-{name}-") as temp:
            made = runner.rerun(output, runner.target(output, language, out=Path(temp), background=True))
            if made is None:
                return
            with self.lock:
                if generation != self.generation:
                    return  # a full build has written newer files meanwhile
                for file in made.files:
                    _swap(Path(temp) / file, self.options.out / file)
                before = self._made.get(outputs.key(output, language))
                for file in set(before.files if before else ()) - set(made.files):  # e.g. a PDF of a removed page
                    _remove(self.options.out / file)
                self._made[outputs.key(output, language)] = made
        self.progress(f"{name} ({lang or 'site'}) updated in {time.perf_counter() - started:.1f} s")


def _swap(new: Path, target: Path) -> None:
    """Put `new` (a file or a folder) in the place of `target`."""
    old = target.with_name(f".{target.name}-old")
    _remove(old)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(old)
    shutil.move(new, target)
    _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _notes_from(plan: LanguagePlan, renders: list[RenderResult], checks: list[RenderResult]) -> dict[str, PageNotes]:
    """Notes of the pages `renders` wrote and `checks` checked (`LiveLanguage.check_anchors`).

    A MkDocs warning names its page (`Doc file '...'`); one that names none is given with the site's.
    """
    warnings: dict[str, list[MkDocsWarning]] = {}
    targets: dict[str, tuple[str, ...]] = {}
    for result in [*renders, *checks]:
        targets.update(result.anchor_targets)
    for result in [*renders, *checks]:
        for where, line, message in result.warnings:
            match = DOC_FILE.search(message)
            warnings.setdefault(match.group(1) if match else "", []).append((where, line, message))
    uris = set(warnings) | set(targets)
    return {uri: PageNotes(tuple(warnings.get(uri, ())), targets.get(uri, ())) for uri in uris}
