"""Rebuilds for `serve`: after a save, render only the pages the change reaches.

A save that changes only the text of material pages (front matter as in the last
good parse) is checked alone (`loa/serve/saves.py::body_only`): that text is parsed
and linted, and its page and fallback copies get it. Any other save in `content/` or
`campaigns/` checks the whole input again (parsed files and lint results of unchanged
files are kept, see `LoadCache`) and compares the new plan with the last one, page by
page: `PlannedPage` holds everything a page's HTML is made from, so the pages that
differ are exactly the pages to render. The saved page is rendered first (the
browser reloads then), the pages that list it (hubs, campaign pages) after.
A change to the set of pages, the navigation, the settings, the theme or an
image calls for a full build.

The outputs (`loa/outputs/`) are run again when their digest changes: those made
from the plan at once, before the browser reloads; those made from the rendered
pages (search bundles) in the background once saves pause, so the browser never
waits for Pagefind (`loa/serve/background.py`). MkDocs' warnings are kept page by
page (`loa/serve/notes.py`). The result equals a clean build byte for byte
(tests/test_incremental.py, tests/test_outputs.py).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from loa.errors import LoaError
from loa.load.parsecache import LoadCache
from loa.load.source import MarkdownSource
from loa.messages import _
from loa.model import Site
from loa.pipeline import BuildResult, Options, Progress, build, check_site
from loa.plan.site import LanguagePlan, plan_documents, plan_site
from loa.render.adapter import LiveLanguage, RenderResult
from loa.serve.background import SiteOutputs
from loa.serve.notes import SiteNotes
from loa.serve.saves import body_only, incremental, page_of, saved_documents, saved_plans


@dataclass(frozen=True)
class Update:
    """What a rebuild did."""

    result: BuildResult
    full: bool
    """True when everything was built again."""
    rendered: dict[str, list[str]]
    """Language -> src_uri of the pages rendered (empty for a full build)."""
    texts_only: bool = False
    """True when only the saved Markdown bodies were checked again (see `loa/serve/saves.py::body_only`)."""


@dataclass
class Rendering:
    """The pages an update has rendered so far; tells `serve` (`first`) once the saved ones are on disk."""

    first: Callable[[int], None]
    """Called with the number of pages rendered, once: the browser reloads then."""
    pages: dict[str, list[str]] = field(default_factory=dict)
    """Language -> src_uri of the pages rendered."""
    results: list[RenderResult] = field(default_factory=list)
    shown: bool = False

    def add(self, live: LiveLanguage, plan: LanguagePlan, uris: list[str]) -> None:
        self.results.append(live.render(plan, uris))
        self.pages.setdefault(plan.lang, []).extend(uris)

    def show(self) -> None:
        """Call `first` if pages were rendered and it was not called yet."""
        if self.pages and not self.shown:
            self.shown = True
            self.first(sum(len(uris) for uris in self.pages.values()))


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
        self.outputs = SiteOutputs(options, self.lock, progress, lambda: self.last)
        self.notes = SiteNotes()
        self._sources: dict[Path, MarkdownSource] = {}
        """The parsed Markdown files behind `last` (the cache may hold a later, failed save)."""

    def full(self) -> Update:
        """A whole build, atomic as `build.py build` (`warm_up` then loads the languages for the next save)."""
        self.close_live()
        with self.lock:
            result = build(self.options, lambda _message: None, self.cache)
            self.outputs.built(result.outputs)
        self.notes.built(self.options, result)
        self._succeeded(result)
        return Update(result, True, {})

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
        if self.last is None or not all(incremental(self.options.root, path) for path in changed):
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
            self.progress(_("could not update only what changed (%(problem)s); building everything",
                            problem=f"{type(exc).__name__}: {exc}"))
            update = None
        finally:
            if collecting:
                gc.enable()  # before a full build: its worker processes are forked from this one
        return update if update is not None else self.full()

    def _update(self, changed: list[Path], first: Callable[[int], None]) -> Update | None:
        """The update, or None when it takes a full build."""
        assert self.last is not None
        done = Rendering(first)
        checked = body_only(self.options.root, self.cache, self.last, self._sources, self.notes.content_warnings,
                            changed)
        texts_only = checked is not None
        if checked is None:
            site, warnings = check_site(self.options, self.cache)  # on errors, nothing is written
        try:
            if checked is None:
                # The saved material first, planned alone (planning all pages takes 0.4 s at 1,000
                # materials): the browser shows it while the pages that list it are planned.
                self._saved_first(site, changed, done)
                done.show()
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
            saved = {uri for path in changed if (uri := page_of(self.options.root, path))}
            with self.lock:
                todo = {plan.lang: (plan, self.live[plan.lang].changed(plan)) for plan in plans}
                # The saved page (and its fallback copies) first: the browser shows it at once; the
                # pages that list it (hubs of hundreds of materials, campaign pages) follow.
                for phase in ("saved", "listing"):
                    for lang, (plan, uris) in todo.items():
                        if now := [uri for uri in uris if (uri in saved) == (phase == "saved")]:
                            done.add(self.live[lang], plan, now)
                    if phase == "saved":
                        done.show()
                # after the reload: the browser shows none of them
                self.outputs.rerun_planned(checked)
        except BaseException:
            # Some pages may be written and others not: only a full build is sure to be right next time.
            self.close_live()
            self.last = None
            raise
        warnings = self.notes.updated(checked, done.pages, done.results, self.live)
        self._succeeded(BuildResult(checked.site, checked.plan, warnings, tuple(done.results)))
        self.outputs.schedule(done.pages)
        return Update(self.last, False, done.pages, texts_only)

    def _saved_first(self, site: Site, changed: list[Path], done: Rendering) -> None:
        """Render the pages of the saved materials, planned alone, if that is all a save changes first.

        Not for a new page, nor for a save that changes what the sitemap says of a page (its
        translations): those go the whole way. The whole plan, made next, gives these pages
        again, equal (the same function plans them), so they are not rendered twice.
        """
        doc_ids = saved_documents(self.options.root, site, changed)
        if doc_ids is None:
            return
        self.warm_up()
        planned = plan_documents(site, self.options.today, doc_ids, self.options.langs, self.options.drafts)
        todo = saved_plans(self.live, planned)
        if todo is None:
            return
        with self.lock:
            for live, plan, uris in todo:
                done.add(live, plan, uris)

    def _succeeded(self, result: BuildResult) -> None:
        self.last = result
        self._sources = {path: source for path, (_stamp, source, _problems) in self.cache.entries.items()
                         if isinstance(source, MarkdownSource)}

    def close_live(self) -> None:
        for live in self.live.values():
            live.close()
        self.live.clear()

    def close(self) -> None:
        self.close_live()

    def wait_for_search(self, timeout: float = 120) -> None:
        """Return once no output is waiting to be made again in the background (for tests and the benchmark)."""
        self.outputs.wait(timeout)
