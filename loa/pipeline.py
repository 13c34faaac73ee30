"""The pipeline: load -> check -> plan (together `check()`) -> render -> outputs -> publish (docs/architecture.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from loa import children, outputs
from loa.cache import evict
from loa.cache.keys import code_fingerprint
from loa.cache.results import KEPT
from loa.check.reviews import check_reviews
from loa.check.validate import validate
from loa.errors import BuildError, ContentError, Position, Problem, Report, UsageError
from loa.load.parsecache import LoadCache
from loa.load.project import load_project
from loa.memory import frozen, no_collection
from loa.messages import _
from loa.model import Site
from loa.outputs import Made
from loa.plan.site import LanguagePlan, SitePlan, chosen_languages, plan_languages, plan_site, site_plan
from loa.publish import target as publish
from loa.publish.reuse import Reuse, page_digests
from loa.render.adapter import RenderResult, render_language
from loa.render.plugin import Shard

Progress = Callable[[str], None]


def _silent(_message: str) -> None: ...


SHARD_MIN_PAGES = 300
"""A language with at least this many pages is split across the worker processes."""
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
    cache = LoadCache.of_folder(options.cache_dir, code_fingerprint(), cache)
    saved = False

    def save() -> None:
        """Save the parses and what planning kept (the calendars: loa/cache/results.py), once: while Pagefind
        runs, or when the build stops before (the content has errors: the next check is quicker)."""
        nonlocal saved
        if cache is not None and not saved:
            saved = True
            cache.keep()

    with frozen():  # what the check and the plans make lives until the end (loa/memory.py)
        try:
            site, warnings = check_site(options, cache, save=False)
            progress(checked_message(site))
            taking = previous_site(options)
            with publish.staging(options.out, trash) as staging:
                runner = output_runner(options, site, staging)
                renders = render_and_output(options, planned(site, options), staging, taking, runner, progress,
                                            meanwhile=save)
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


def previous_site(options: Options, plans: Iterable[LanguagePlan] = ()) -> Reuse:
    """What the site being replaced offers: its pages that would come out the same (`Reuse.add` more languages)."""
    return Reuse.find(options.cache_dir, options.out, options.root, plans) if options.cache_dir else Reuse()


def output_runner(options: Options, site: Site, staging: Path, plan: SitePlan | None = None) -> outputs.Runner:
    """The registered outputs, to write into `staging`, with the runs recorded for the site being replaced.
    Without `plan`, one with no language yet (`render_and_output` gives it the languages as they are planned)."""
    previous = outputs.load_record(options.cache_dir, options.out) if options.cache_dir else {}
    return outputs.Runner(site, plan or site_plan(site, (), options.today), staging, options.cache_dir,
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
    outputs read them where they are (`Reuse.built`). `meanwhile` runs here once every language is rendered,
    while the outputs run (search's Pagefind above all, which is a process of its own).
    """
    renders: list[RenderResult] = []
    plans: dict[str, LanguagePlan] = {}
    pending: list[Future[None]] = []
    waiting: list[LanguagePlan] = []
    """Languages rendered before the whole site was planned: their outputs besides search wait for it."""
    searched = threading.Event()
    runner.digested = lambda name: searched.set() if name.split("/")[0] in outputs.APART else None
    languages = len(chosen_languages(runner.site, options.langs))
    with ThreadPoolExecutor(1) as outputting, ThreadPoolExecutor(languages) as searching, \
            ThreadPoolExecutor(1) as linker, \
            Rendering(options.root, staging, options.jobs, progress, options.shard_min_pages, options.cache_dir,
                      languages) as rendering:

        def rendered(result: RenderResult) -> None:
            plan = plans[result.lang]
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

        runner.pool = rendering.pool  # the PDFs are made by the workers, after the pages they were given first
        try:
            for plan in _without_collection(planning, taking.add):
                plans[plan.lang] = plan
                skip = taking.skip(plan)
                rendering.add(plan, skip)
                # A first language with a few pages to render (an edit) is waited for before the next is planned:
                # its search index then starts at once, 0.5 s sooner than after planning one more language.
                few = not renders and len(plan.pages) - len(skip) <= FEW_PAGES
                for result in rendering.finished(wait=few):
                    rendered(result)
            runner.plan = site_plan(runner.site, plans.values(), options.today)
            pending.append(outputting.submit(runner.run_all, "site", "plan"))
            for plan in waiting:
                pending.append(outputting.submit(runner.run_all, "language", None, plan, taking.built(plan, staging),
                                                 taking.unchanged(plan), False))
            for result in rendering.finished(wait=True):
                rendered(result)
            meanwhile()
            for future in pending:
                future.result()
        finally:
            runner.pool = None
    runner.run_all("site", "pages")
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
        evict.now_and_then(options.cache_dir)


@dataclass(frozen=True)
class RenderUnit:
    plan: LanguagePlan
    shard: Shard
    site_dir: Path
    skip: frozenset[str] = frozenset()
    """Pages not to render (taken from the previous site)."""

    @property
    def size(self) -> int:
        return len(range(self.shard[0], len(self.plan.pages) - len(self.skip), self.shard[1]))


def render_units(plans: tuple[LanguagePlan, ...], out: Path, jobs: int,
                 shard_min_pages: int = SHARD_MIN_PAGES, skip: Mapping[str, frozenset[str]] | None = None,
                 ) -> list[RenderUnit]:
    """Split the work so that `jobs` processes stay busy: big languages become several shards."""
    units: list[RenderUnit] = []
    for plan in plans:
        taken = (skip or {}).get(plan.lang, frozenset())
        count = jobs if jobs > 1 and len(plan.pages) - len(taken) >= shard_min_pages else 1
        for index in range(count):
            # the shards of a language write disjoint files into the same folder
            units.append(RenderUnit(plan, (index, count), out / plan.lang, taken))
    # Languages with their own texts first: the languages that mostly show fallback copies then
    # find those pages already in the Markdown cache. Longer shards first within that.
    def order(unit: RenderUnit) -> tuple[int, int]:
        fallbacks = sum(1 for page in unit.plan.pages if page.is_fallback)
        return fallbacks, -unit.size
    return sorted(units, key=order)


def planned(site: Site, options: Options) -> Iterator[tuple[LanguagePlan, dict[str, str] | None]]:
    """The chosen languages' plans, the default language's first (`plan_languages`), each with the digests of
    its pages (`reuse.page_digests`) if they are worked out already.

    Where the workers are forked (Linux), the other languages are planned at the same time in a process of
    their own, on the second core, which the check and the first plan leave idle; the build renders the
    first language and starts its search index meanwhile. Planned here, they took 0.9-1.5 s at 1,000
    materials beside Pagefind. The digests of their pages are worked out there too (0.3 s a language), and
    the results that planning keeps (loa/cache/results.py) come back with them.
    """
    global _PLANNING
    default = site.settings.default_language
    codes = [lang.code for lang in sorted(chosen_languages(site, options.langs), key=lambda lang: lang.code != default)]
    if len(codes) < 2 or options.jobs <= 1 or multiprocessing.get_start_method() != "fork":
        yield from ((plan, None) for plan in plan_languages(site, options.today, options.langs, options.drafts))
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start,
                             initargs=(os.getpid(),)) as planner:
        _PLANNING = (site, options.today, options.drafts)
        try:
            futures = [planner.submit(_plan_apart, code) for code in codes[1:]]  # forked at the first
        finally:
            _PLANNING = None
        try:
            yield from ((plan, None) for plan in plan_languages(site, options.today, tuple(codes[:1]), options.drafts))
            for future in futures:
                plan, digests, values, made = future.result()
                KEPT.merge(values, made)
                yield plan, digests
        finally:
            for future in futures:
                future.cancel()


_PLANNING: tuple[Site, dt.date, bool] | None = None
"""What the forked planner plans from (`planned`): set while it is forked."""


def _plan_apart(code: str) -> tuple[LanguagePlan, dict[str, str], dict[str, object], int]:
    """In the forked planner: one language's plan, its pages' digests, and the results planning kept
    (`Kept.since`)."""
    assert _PLANNING is not None, "a planner is forked, never spawned"
    site, today, drafts = _PLANNING
    used, made = set(KEPT.used), KEPT.made
    with no_collection():
        plan = next(plan_languages(site, today, (code,), drafts))
        digests = page_digests(plan)
    return (plan, digests, *KEPT.since(used, made))


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


class Rendering:
    """MkDocs builds per language (or per shard of a big language), in parallel worker processes, given each
    language as it is planned (`add`); `finished` gives each language's result once its pages are all in `out`.

    The workers are forked on entering, before any thread is started (the planning of the next languages goes
    on here meanwhile). `pool` is the pool of workers (None when everything renders here: `jobs` 1, or a single
    language of a single shard), which takes more work after the pages it was given first, until the end.
    """

    def __init__(self, root: Path, out: Path, jobs: int, progress: Progress, shard_min_pages: int = SHARD_MIN_PAGES,
                 cache_dir: Path | None = None, languages: int = 1) -> None:
        self.root, self.out, self.jobs, self.progress = root, out, jobs, progress
        self.shard_min_pages, self.cache_dir, self.languages = shard_min_pages, cache_dir, languages
        self.pool: ProcessPoolExecutor | None = None
        self.done: queue.SimpleQueue[Future[RenderResult] | RenderResult] = queue.SimpleQueue()
        self.left: dict[str, int] = {}
        self.merged: dict[str, RenderResult] = {}
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Rendering:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        if kind is KeyboardInterrupt and self.pool is not None:
            # Ctrl+C: stop the workers now (they ignore it, so that it is reported once, here)
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.terminate()
            self.pool.shutdown(wait=False, cancel_futures=True)
        self._stack.close()

    def _start(self, units: int) -> None:
        """Fork the workers, unless there is a single unit of work in all (then it renders here)."""
        if self.jobs > 1 and (self.languages > 1 or units > 1):
            # The workers are forked: frozen here, their garbage collector does not visit what this process
            # holds (which would copy its memory pages). Windows spawns them instead: each task is pickled, and
            # workers rely on no global of this process (tests/test_portable.py builds the same site both ways).
            self._stack.enter_context(frozen())
            self.pool = self._stack.enter_context(ProcessPoolExecutor(
                max_workers=self.jobs if self.languages > 1 else min(self.jobs, units),
                initializer=_worker_start, initargs=(os.getpid(),)))
        self.started = True

    started = False

    def add(self, plan: LanguagePlan, skip: frozenset[str] = frozenset()) -> None:
        """Render this language's pages, but `skip` (pages taken from the previous site)."""
        units = render_units((plan,), self.out, self.jobs, self.shard_min_pages, {plan.lang: skip})
        if not self.started:
            self._start(len(units))
        self.left[plan.lang] = len(units)
        taken = len(skip)
        self.progress(f"[{plan.lang}] " + _("rendering %(pages)s pages", pages=len(plan.pages) - taken)
                      + (_(" in %(shards)s shards", shards=len(units)) if len(units) > 1 else "")
                      + (_(" (%(taken)s unchanged since the last build)", taken=taken) if taken else ""))
        for unit in units:
            arguments = (self.root, unit.plan, unit.site_dir, unit.shard, self.cache_dir, unit.skip)
            if self.pool is None:
                self.done.put(render_language(*arguments))
            else:
                self.pool.submit(render_language, *arguments).add_done_callback(self.done.put)

    def finished(self, wait: bool) -> Iterator[RenderResult]:
        """The result of each language whose last shard came in since the last call; with `wait`, until every
        language given is in."""
        while any(self.left.values()):
            try:
                item = self.done.get(block=wait)
            except queue.Empty:
                return
            whole = self._merge(item.result() if isinstance(item, Future) else item)
            if whole is not None:
                yield whole

    def _merge(self, result: RenderResult) -> RenderResult | None:
        """The language's result once its last shard is in, else None."""
        self.progress(f"[{result.lang}] " + _("done: %(pages)s pages in %(seconds)s s", pages=result.pages,
                                               seconds=f"{result.seconds:.1f}"))
        first = self.merged.get(result.lang)
        if first is not None:
            result = RenderResult(result.lang, first.pages + result.pages, max(first.seconds, result.seconds),
                                  first.warnings + result.warnings, first.anchor_targets + result.anchor_targets)
        self.merged[result.lang] = result
        self.left[result.lang] -= 1
        return result if not self.left[result.lang] else None


def _worker_start(parent: int) -> None:
    """In each worker: Ctrl+C is the parent's to report; and the worker ends with its parent, even
    one killed with SIGKILL (`loa/children.py`), instead of rendering on for nobody."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    children.die_with(parent)


def render_warnings(renders: list[RenderResult] | tuple[RenderResult, ...]) -> list[Problem]:
    seen: dict[tuple[str, str], Problem] = {}
    for result in renders:
        for where, line, message in result.warnings:
            seen.setdefault((where, message), Problem(Position(where, line), message, "warning"))
    return sorted(seen.values())


__all__ = ["BuildError", "BuildResult", "Options", "build", "check"]
