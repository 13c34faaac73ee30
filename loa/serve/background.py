"""The outputs (`loa/outputs/`) of the site `serve` keeps, run again after an update when their digest changed.

Those made from the plan are run at once, before the browser reloads (`SiteOutputs.rerun_planned`).
Those made from the rendered pages (search bundles) run in a background thread once saves have
paused for SEARCH_QUIET_SECONDS, at a lower CPU priority, so that the browser never waits for
Pagefind and they do not slow down the next save's pages (`SiteOutputs.schedule`).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from loa import outputs
from loa.messages import _
from loa.outputs import Made
from loa.pipeline import BuildResult, Options, Progress

SEARCH_QUIET_SECONDS = 2.0
"""Search bundles are rebuilt once saves have paused this long."""


class SiteOutputs:
    """The runs of the outputs in the site now, and the background thread that makes again those
    made from the rendered pages."""

    def __init__(self, options: Options, lock: threading.Lock, progress: Progress,
                 current: Callable[[], BuildResult | None]) -> None:
        self.options = options
        self.lock = lock
        """The rebuilder's: held while pages or outputs are written into the site."""
        self.progress = progress
        self.current = current
        """The last good build (None when the next must be a full one)."""
        self.generation = 0
        """Counts full builds: an output made in the background before the last one is stale."""
        self.made: dict[str, Made] = {}
        """The runs of the outputs in the site now (`loa/outputs/__init__.py`), by key."""
        self._pending: set[tuple[str, str]] = set()
        """(output, language or "") of the outputs made from rendered pages, to check again in the background."""
        self._due = 0.0
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._busy = False

    def built(self, made: Mapping[str, Made]) -> None:
        """After a full build (under the lock): its runs are the site's, and nothing waits any more."""
        self.generation += 1
        with self._wake:
            self._pending.clear()
        self.made = dict(made)

    def rerun_planned(self, checked: BuildResult) -> None:
        """Write again, into the site, the outputs made from the plan whose digest changed."""
        runner = outputs.Runner(checked.site, checked.plan, self.options.out, self.options.cache_dir, self.made)
        for scope in ("site", "language"):
            for output in runner.outputs(scope, "plan"):
                for language in checked.plan.languages if scope == "language" else (None,):
                    made = runner.rerun(output, runner.target(output, language))
                    if made is not None:
                        self.made[outputs.key(output, language)] = made

    def schedule(self, pages: dict[str, list[str]]) -> None:
        """Check again, once saves pause, the outputs made from the pages of the languages in `pages`."""
        if not pages:
            return
        with self._wake:
            for output in outputs.Runner.outputs("language", "pages"):
                self._pending.update((output.name, lang) for lang in pages)
            self._pending.update((output.name, "") for output in outputs.Runner.outputs("site", "pages"))
            self._due = time.monotonic() + SEARCH_QUIET_SECONDS
            self._wake.notify_all()
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, daemon=True, name="loa-search")
            self._thread.start()

    def wait(self, timeout: float = 120) -> None:
        """Return once no output is waiting to be made again (for tests and the benchmark)."""
        deadline = time.monotonic() + timeout
        with self._wake:
            self._due = 0.0
            self._wake.notify_all()
            while self._pending or self._busy:
                if not self._wake.wait(max(0.0, deadline - time.monotonic())):
                    raise TimeoutError("search index still rebuilding")

    def _loop(self) -> None:
        while True:
            with self._wake:
                while not self._pending or time.monotonic() < self._due:
                    self._wake.wait(max(0.01, self._due - time.monotonic()) if self._pending else None)
                name, lang = min(self._pending, key=_in_registry_order)
                self._pending.discard((name, lang))
                self._busy = True
            try:
                self._rerun(name, lang)
            except Exception as exc:  # reported; the next save tries again
                self.progress(_("%(output)s (%(lang)s) not updated: %(problem)s", output=name,
                                lang=lang or _("site"), problem=exc))
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()

    def _rerun(self, name: str, lang: str) -> None:
        started = time.perf_counter()
        with self.lock:
            output = next((output for output in outputs.REGISTRY if output.name == name), None)
            last = self.current()
            if last is None or output is None:
                return
            language = next(p for p in last.plan.languages if p.lang == lang) if lang else None
            generation = self.generation
            runner = outputs.Runner(last.site, last.plan, self.options.out, self.options.cache_dir, dict(self.made))
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
                before = self.made.get(outputs.key(output, language))
                for file in set(before.files if before else ()) - set(made.files):  # e.g. a PDF of a removed page
                    _remove(self.options.out / file)
                self.made[outputs.key(output, language)] = made
        self.progress(_("%(output)s (%(lang)s) updated in %(seconds)s s", output=name, lang=lang or _("site"),
                        seconds=f"{time.perf_counter() - started:.1f}"))


def _in_registry_order(pending: tuple[str, str]) -> tuple[int, str]:
    """The registry's order, as in a build: an output that packs the others' files (the offline copy,
    loa/outputs/offline/) runs after them."""
    names = [output.name for output in outputs.REGISTRY]
    return (names.index(pending[0]) if pending[0] in names else len(names)), pending[1]


def _swap(new: Path, target: Path) -> None:
    """Put `new` (a file or a folder) in the place of `target`."""
    from loa.cache.files import replace
    old = target.with_name(f".{target.name}-old")
    _remove(old)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        replace(target, old)
    shutil.move(new, target)
    _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
