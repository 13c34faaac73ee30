"""The build's processes besides its own: the render workers (`Rendering`) and the planner of the languages
after the first (`planned`), both forked where the system forks (docs/architecture.md, "Processes")."""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loa import children
from loa.cache.results import KEPT
from loa.memory import frozen, no_collection
from loa.messages import _
from loa.model import Site
from loa.plan.site import LanguagePlan, chosen_languages, plan_languages
from loa.publish.reuse import page_digests
from loa.render.adapter import RenderResult, render_language
from loa.render.plugin import Shard

Progress = Callable[[str], None]

SHARD_MIN_PAGES = 300
"""A language with at least this many pages is split across the worker processes."""


@dataclass(frozen=True)
class RenderUnit:
    plan: LanguagePlan
    shard: Shard
    site_dir: Path
    skip: frozenset[str] = frozenset()
    """Pages not to render (taken from the previous site)."""


def render_units(plan: LanguagePlan, out: Path, jobs: int, shard_min_pages: int = SHARD_MIN_PAGES,
                 skip: frozenset[str] = frozenset()) -> list[RenderUnit]:
    """Split a language's work so that `jobs` processes stay busy: a big language becomes several shards
    (the first copies the language's theme files and images: loa/render/plugin.py)."""
    count = jobs if jobs > 1 and len(plan.pages) - len(skip) >= shard_min_pages else 1
    # the shards of a language write disjoint files into the same folder
    return [RenderUnit(plan, (index, count), out / plan.lang, skip) for index in range(count)]


def planned(site: Site, today: dt.date, langs: tuple[str, ...] | None = None, drafts: bool = False,
            jobs: int = 2) -> Iterator[tuple[LanguagePlan, dict[str, str] | None]]:
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
    codes = [lang.code for lang in sorted(chosen_languages(site, langs), key=lambda lang: lang.code != default)]
    if len(codes) < 2 or jobs <= 1 or multiprocessing.get_start_method() != "fork" or threading.active_count() > 1:
        # (other threads, as in `serve`: one of them could hold a lock the forked planner would then wait for)
        yield from ((plan, None) for plan in plan_languages(site, today, langs, drafts))
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start,
                             initargs=(os.getpid(),)) as planner:
        _PLANNING = (site, today, drafts)
        try:
            futures = [planner.submit(_plan_apart, code) for code in codes[1:]]  # forked at the first
        finally:
            _PLANNING = None
        try:
            yield from ((plan, None) for plan in plan_languages(site, today, tuple(codes[:1]), drafts))
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


class Rendering:
    """MkDocs builds per language (or per shard of a big language), in parallel worker processes, given each
    language as it is planned (`add`); `finished` gives each language's result once its pages are all in `out`.

    The workers are forked at the first `add`, before the build starts a thread of its own (the forked planner's
    pool has its two; the planning of the next languages goes on meanwhile). `pool` is the pool of workers (None
    when everything renders here: `jobs` 1, or a single language of a single shard), which takes more work after
    the pages it was given first, until the end.
    """

    def __init__(self, root: Path, out: Path, jobs: int, progress: Progress, shard_min_pages: int = SHARD_MIN_PAGES,
                 cache_dir: Path | None = None, languages: int = 1) -> None:
        self.root, self.out, self.jobs, self.progress = root, out, jobs, progress
        self.shard_min_pages, self.cache_dir, self.languages = shard_min_pages, cache_dir, languages
        self.pool: ProcessPoolExecutor | None = None
        self.done: queue.SimpleQueue[Future[RenderResult] | RenderResult] = queue.SimpleQueue()
        self.left: dict[str, int] = {}
        self.merged: dict[str, RenderResult] = {}
        self.started = False
        self.taken_over: set[str] = set()
        """Languages with nothing to render (`taken`)."""
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

    def _start(self, units: int, plan: LanguagePlan) -> None:
        """Fork the workers, unless there is a single unit of work in all (then it renders here). Forked, they
        have the first language's `plan` as this process has it (`_INHERITED`)."""
        if self.jobs > 1 and (self.languages > 1 or units > 1):
            if multiprocessing.get_start_method() == "fork":
                _INHERITED[plan.lang] = plan
                self._stack.callback(_INHERITED.clear)
            # The workers are forked: frozen here, their garbage collector does not visit what this process
            # holds (which would copy its memory pages). Windows spawns them instead: each task is pickled, and
            # workers rely on no global of this process (tests/test_portable.py builds the same site both ways).
            self._stack.enter_context(frozen())
            self.pool = self._stack.enter_context(ProcessPoolExecutor(
                max_workers=self.jobs if self.languages > 1 else min(self.jobs, units),
                initializer=_worker_start, initargs=(os.getpid(),)))
        self.started = True

    def add(self, plan: LanguagePlan, skip: frozenset[str] = frozenset()) -> None:
        """Render this language's pages, but `skip` (pages taken from the previous site)."""
        units = render_units(plan, self.out, self.jobs, self.shard_min_pages, skip)
        if not self.started:
            self._start(len(units), plan)
        self.left[plan.lang] = len(units)
        taken = len(skip)
        self.progress(f"[{plan.lang}] " + _("rendering %(pages)s pages", pages=len(plan.pages) - taken)
                      + (_(" in %(shards)s shards", shards=len(units)) if len(units) > 1 else "")
                      + (_(" (%(taken)s unchanged since the last build)", taken=taken) if taken else ""))
        for unit in units:
            arguments = (self.root, unit.plan, unit.site_dir, unit.shard, self.cache_dir, unit.skip)
            if self.pool is None:
                self.done.put(render_language(*arguments))
            elif _INHERITED.get(plan.lang) is plan:  # the workers have it: not pickled to them (0.25 s at 1,200 pages)
                self.pool.submit(_render_inherited, self.root, plan.lang, *arguments[2:]).add_done_callback(
                    self.done.put)
            else:
                self.pool.submit(render_language, *arguments).add_done_callback(self.done.put)

    def taken(self, plan: LanguagePlan, said: tuple[tuple[str, int, str], ...]) -> None:
        """A language with nothing to render, whose render's other files the previous site gave
        (`Reuse.rendered`): done as it is, with what MkDocs said about it then."""
        self.left[plan.lang] = 1
        self.taken_over.add(plan.lang)
        self.progress(f"[{plan.lang}] " + _("nothing to render: %(pages)s pages unchanged since the last build",
                                            pages=len(plan.pages)))
        self.done.put(RenderResult(plan.lang, 0, 0.0, said, ()))

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
        if result.lang not in self.taken_over:  # ("nothing to render" said it)
            self.progress(f"[{result.lang}] " + _("done: %(pages)s pages in %(seconds)s s", pages=result.pages,
                                                   seconds=f"{result.seconds:.1f}"))
        first = self.merged.get(result.lang)
        if first is not None:
            result = RenderResult(result.lang, first.pages + result.pages, max(first.seconds, result.seconds),
                                  first.warnings + result.warnings, first.anchor_targets + result.anchor_targets)
        self.merged[result.lang] = result
        self.left[result.lang] -= 1
        return result if not self.left[result.lang] else None


_INHERITED: dict[str, LanguagePlan] = {}
"""The plan of the language the render workers were forked with, by its code (`Rendering._start`)."""


def _render_inherited(root: Path, lang: str, *arguments: Any) -> RenderResult:
    """In a forked worker: `render_language` with the plan of `lang` it was forked with."""
    return render_language(root, _INHERITED[lang], *arguments)


def _worker_start(parent: int) -> None:
    """In each worker: Ctrl+C is the parent's to report; and the worker ends with its parent, even
    one killed with SIGKILL (`loa/children.py`), instead of rendering on for nobody."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    children.die_with(parent)
