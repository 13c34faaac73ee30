"""The pipeline: load -> check -> plan (together `check()`) -> render -> outputs -> publish (docs/architecture.md)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from loa import outputs
from loa.cache import evict
from loa.cache.keys import code_fingerprint
from loa.check.reviews import check_reviews
from loa.check.validate import validate
from loa.errors import BuildError, ContentError, Position, Problem, Report, UsageError
from loa.load.parsecache import LoadCache
from loa.load.project import load_project
from loa.memory import frozen, no_collection
from loa.messages import _
from loa.model import Site
from loa.outputs import Made
from loa.plan.site import LanguagePlan, SitePlan, chosen_languages, plan_site, site_plan
from loa.processes import SHARD_MIN_PAGES, Rendering, planned
from loa.publish import target as publish
from loa.publish.reuse import Reuse
from loa.render.adapter import RenderResult

Progress = Callable[[str], None]


def _silent(_message: str) -> None: ...


FEW_PAGES = 20
"""A first language with at most this many pages to render is rendered before the next is planned."""


@dataclass(frozen=True)
class Options:
    root: Path
    out: Path
    today: dt.date
    langs: tuple[str, ...] | None = None
    """Build only these languages (`--lang vi,en`)."""
    strict: bool = False
    drafts: bool = False
    jobs: int = 2
    shard_min_pages: int = SHARD_MIN_PAGES
    """Languages with at least this many pages are rendered in several processes at once."""
    cache_dir: Path | None = None
    """Where rendered Markdown is kept between languages and builds (None: no cache)."""


@dataclass(frozen=True)
class BuildResult:
    site: Site
    plan: SitePlan
    warnings: tuple[Problem, ...]
    renders: tuple[RenderResult, ...] = ()
    seconds: float = 0.0
    reused: int = 0
    """Pages taken unchanged from the site this build replaced."""
    outputs: Mapping[str, Made] = field(default_factory=dict)
    """Each run of an output in the site (`loa/outputs/__init__.py`), by its key."""

    @property
    def pages(self) -> int:
        """Pages in the site: rendered and reused."""
        return sum(r.pages for r in self.renders) + self.reused


def check(options: Options, progress: Progress = _silent, cache: LoadCache | None = None,
          save: bool = True) -> BuildResult:
    """Load, validate and plan. Raises ContentError on errors.

    With `save` (and a cache folder), the parses are saved in it for the next run; nothing else is written.
    """
    start = time.perf_counter()
    with no_collection():
        cache = LoadCache.of_folder(options.cache_dir, code_fingerprint(), cache)  # the parses the last build saved
        try:
            site, warnings = check_site(options, cache, save=False)
            plan = plan_site(site, options.today, options.langs, options.drafts)
        finally:  # saved after planning, which keeps results there too (the calendars: loa/cache/results.py)
            if cache is not None and save:
                cache.keep()
    progress(checked_message(site))
    return BuildResult(site, plan, warnings, seconds=time.perf_counter() - start)


def check_site(options: Options, cache: LoadCache | None = None,
               save: bool = True) -> tuple[Site, tuple[Problem, ...]]:
    """Load and validate, without planning the pages; returns the site and its warnings.

    Without `cache`, the parses are read from the cache folder, and saved there again with `save`.

    Raises ContentError on errors (and on warnings with `--strict`).
    """
    with no_collection():
        report = Report()
        cache = LoadCache.of_folder(options.cache_dir, code_fingerprint(), cache)
        raw = load_project(options.root, report, cache)
        site = validate(raw, report, cache.memo if cache else None) if raw is not None else None
        if cache is not None and save:
            cache.keep()  # only what was read from the cache folder
    if site is not None:
        check_reviews(site, options.today, report)
    report.raise_if_errors()
    assert site is not None
    if options.langs:
        unknown = [code for code in options.langs if code not in site.settings.codes]
        if unknown:
            raise UsageError(_("--lang: unknown language %(unknown)s (configured: %(codes)s)",
                               unknown=", ".join(unknown), codes=", ".join(site.settings.codes)))
    warnings = tuple(sorted(report.warnings))
    if options.strict and warnings:
        raise ContentError(list(warnings))
    return site, warnings


def build(options: Options, progress: Progress = _silent, cache: LoadCache | None = None) -> BuildResult:
    """Check, plan, render every language into a staging folder, run the outputs, and publish it as `options.out`.

    A language's pages render while the next language is planned, and its search index is made while the others
    are (`render_and_output`). With a cache folder, pages and outputs that would come out the same are taken from
    the site being replaced (see `loa/publish/reuse.py` and `loa/outputs/__init__.py`).
    """
    start = time.perf_counter()
    trash = prepare_target(options)  # refuses a folder Loa did not write, before anything is written
    saved = False

    def save() -> None:
        """Save the parses and what planning kept (the calendars: loa/cache/results.py), once: while Pagefind
        runs, or when the build stops before (the content has errors: the next check is quicker)."""
        nonlocal saved
        if cache is not None and not saved:
            saved = True
            cache.keep()

    def once_rendered() -> None:
        """Once every page is rendered, while Pagefind runs."""
        save()
        prune(options)

    with frozen():  # what the parse cache, the check and the plans make lives until the end (loa/memory.py)
        with no_collection():  # the parses read are a million objects: collections meanwhile doubled the time
            cache = LoadCache.of_folder(options.cache_dir, code_fingerprint(), cache)
        try:
            site, warnings = check_site(options, cache, save=False)
            progress(checked_message(site))
            taking = previous_site(options)
            with publish.staging(options.out, trash) as staging:
                runner = output_runner(options, site, staging)
                renders = render_and_output(options, planned(site, options.today, options.langs, options.drafts,
                                                                    options.jobs), staging, taking, runner, progress,
                                            meanwhile=once_rendered)
                checked = BuildResult(site, runner.plan, warnings)
                warnings = all_warnings(options, checked, renders, taking)
            record(options, taking, runner, renders)
        finally:
            save()
    return BuildResult(site, runner.plan, warnings, tuple(renders), time.perf_counter() - start,
                       reused=taking.count, outputs=dict(runner.made))


def checked_message(site: Site) -> str:
    return _("checked %(campaigns)s campaigns, %(documents)s documents, %(languages)s languages",
             campaigns=len(site.campaigns), documents=len(site.documents), languages=len(site.settings.languages))


def check_out(options: Options) -> None:
    """Refuse an output folder that publishing would take from its owner (raises UsageError)."""
    written = outputs.top_files(options.cache_dir, options.out)
    publish.check_target(options.out, options.root, options.cache_dir, written)


def prepare_target(options: Options) -> Path | None:
    """Refuse an output folder Loa did not write; empty the trash of earlier builds. Returns the trash folder."""
    check_out(options)
    trash = options.cache_dir / "trash" if options.cache_dir is not None else None
    if trash is not None:
        publish.empty_trash(trash)
    return trash


def previous_site(options: Options) -> Reuse:
    """What the site being replaced offers: its pages that would come out the same (`Reuse.add`, each language)."""
    return Reuse.find(options.cache_dir, options.out, options.root) if options.cache_dir else Reuse()


def output_runner(options: Options, site: Site, staging: Path) -> outputs.Runner:
    """The registered outputs, to write into `staging`, with the runs recorded for the site being replaced;
    its plan has no language yet (`render_and_output` gives it the site's once every language is planned)."""
    previous = outputs.load_record(options.cache_dir, options.out) if options.cache_dir else {}
    return outputs.Runner(site, site_plan(site, (), options.today), staging, options.cache_dir,
                          previous=previous, previous_out=options.out.resolve())


def render_and_output(options: Options, planning: Iterable[tuple[LanguagePlan, dict[str, str] | None]],
                      staging: Path, taking: Reuse, runner: outputs.Runner, progress: Progress,
                      meanwhile: Callable[[], None] = lambda: None) -> list[RenderResult]:
    """Plan, render every language into `staging`, and run the registered outputs; `runner.plan` is the site's
    plan at the end. `planning`: each language's plan as it is made, with its pages' digests if known (`planned`).

    Each language goes to the worker processes as soon as it is planned, while the next one is planned here.
    A language's outputs run as soon as its pages are all written, while the workers render the next language:
    search on a thread of each language's own (Pagefind runs one at a time, which keeps memory down:
    `search.run_pagefind`; a language whose index is unchanged takes it over meanwhile, instead of after the
    Pagefind run before it), the others one language at a time on one thread, in the registry's order
    (`outputs.APART`). Search may start before every language is planned (it
    reads its own language only); the others, and the site's outputs, wait for the whole plan. The first
    language's search documents are worked out before anything else takes the interpreter: its Pagefind run is
    the longest step of a rebuild. Pages taken from the previous site are linked meanwhile, by a worker;
    outputs read them where they are (`Reuse.built`); the site's outputs that read pages run after the last
    link. `meanwhile` runs here once every language is rendered,
    while the outputs run (search's Pagefind above all, which is a process of its own).
    """
    renders: list[RenderResult] = []
    plans: dict[str, LanguagePlan] = {}
    pending: list[Future[None]] = []
    waiting: list[LanguagePlan] = []
    """Languages rendered before the whole site was planned: their outputs besides search wait for it."""
    searched = threading.Event()
    runner.digested = lambda name: searched.set() if name.split("/")[0] in outputs.APART else None
    runner.digests = taking.digests  # each language's, as it is planned
    languages = len(chosen_languages(runner.site, options.langs))
    with ThreadPoolExecutor(1) as outputting, ThreadPoolExecutor(languages) as searching, \
            ThreadPoolExecutor(1) as linker, \
            Rendering(options.root, staging, options.jobs, progress, options.shard_min_pages, options.cache_dir,
                      languages) as rendering:

        def rendered(result: RenderResult) -> None:
            plan = plans[result.lang]
            taking.note_render(plan, staging)  # before its pages are linked and its outputs write there
            pending.append(linker.submit(taking.link, plan, staging, rendering.pool))
            built, unchanged = taking.built(plan, staging), taking.unchanged(plan)
            search = searching.submit(runner.run_all, "language", None, plan, built, unchanged, True)
            search.add_done_callback(lambda _future: searched.set())
            if not renders:
                searched.wait()  # its 1,200 file checks each waited for the interpreter while a thread held it
            pending.append(search)
            if len(plans) < languages:
                waiting.append(plan)
            else:
                pending.append(outputting.submit(runner.run_all, "language", None, plan, built, unchanged, False))
            renders.append(result)

        try:
            for plan in _without_collection(planning, taking.add):
                plans[plan.lang] = plan
                if len(plans) == languages:  # before any language's outputs besides search are given it
                    runner.plan = site_plan(runner.site, plans.values(), options.today)
                skip = taking.skip(plan)
                said = taking.rendered(plan)
                if said is None:
                    rendering.add(plan, skip)  # the first forks the workers
                else:  # nothing to render: what the last render wrote besides the pages is taken too
                    taking.link_rendered(plan, staging)
                    rendering.taken(plan, said)
                runner.pool = rendering.pool  # the PDFs are made by the workers, after the pages they were given
                # A first language with a few pages to render (an edit) is waited for before the next is planned:
                # its search index then starts at once, 0.5 s sooner than after planning one more language.
                few = not renders and len(plan.pages) - len(skip) <= FEW_PAGES
                for result in rendering.finished(wait=few):
                    rendered(result)
            assert len(plans) == languages, "every chosen language is planned"
            pending.append(outputting.submit(runner.run_all, "site", "plan"))
            for plan in waiting:
                pending.append(outputting.submit(runner.run_all, "language", None, plan, taking.built(plan, staging),
                                                 taking.unchanged(plan), False))
            for result in rendering.finished(wait=True):
                rendered(result)
            # The site's outputs that read pages (the service worker's digest of them all) run once every page is
            # in `staging`: after the linker's last links, on its thread, beside Pagefind rather than after it.
            pending.append(linker.submit(runner.run_all, "site", "pages"))
            meanwhile()
            for future in pending:
                future.result()
        finally:
            runner.pool = None
            if isinstance(planning, Generator):  # a build that failed: the planner's pool ends now, not when collected
                planning.close()
    for output in outputs.REGISTRY:
        progress(runner.summary(output))
    order = [plan.lang for plan in runner.plan.languages]
    return sorted(renders, key=lambda r: order.index(r.lang))


def all_warnings(options: Options, checked: BuildResult, renders: list[RenderResult],
                 taking: Reuse) -> tuple[Problem, ...]:
    """The check's warnings and MkDocs', the pages taken over saying again what MkDocs said about them.
    Raises ContentError with `--strict` (the staging folder is then thrown away)."""
    rendered = render_warnings([*renders, *(RenderResult(plan.lang, 0, 0.0, taking.warnings(plan))
                                            for plan in checked.plan.languages)])
    if options.strict and rendered:
        raise ContentError(list(checked.warnings) + rendered)
    return tuple(sorted(list(checked.warnings) + rendered))


def record(options: Options, taking: Reuse, runner: outputs.Runner, renders: list[RenderResult]) -> None:
    """What the next build may take over: the pages' digests and the outputs' runs."""
    if options.cache_dir is not None:
        taking.save(options.cache_dir, options.out, runner.plan.languages, {r.lang: r.warnings for r in renders},
                    {r.lang: dict(r.anchor_targets) for r in renders})
        outputs.save_record(options.cache_dir, options.out, runner.made)


def prune(options: Options) -> None:
    """Keep the cache folder's stores under their limits, every few minutes (`evict.now_and_then`: 1 s at N=1000,
    the stat of 50,000 entries): while Pagefind runs, once the pages are rendered, not after the build's end."""
    if options.cache_dir is not None:
        evict.now_and_then(options.cache_dir)


def _without_collection(planning: Iterable[tuple[LanguagePlan, dict[str, str] | None]],
                        then: Callable[[LanguagePlan, dict[str, str] | None], None]) -> Iterator[LanguagePlan]:
    """Each plan, made (and given to `then`) with the garbage collector off (loa/memory.py), as `check` plans."""
    plans = iter(planning)
    while True:
        with no_collection():
            found = next(plans, None)
            if found is None:
                return
            then(*found)
        yield found[0]


def render_warnings(renders: list[RenderResult] | tuple[RenderResult, ...]) -> list[Problem]:
    seen: dict[tuple[str, str], Problem] = {}
    for result in renders:
        for where, line, message in result.warnings:
            seen.setdefault((where, message), Problem(Position(where, line), message, "warning"))
    return sorted(seen.values())


__all__ = ["BuildError", "BuildResult", "Options", "build", "check"]
