"""Everything a build writes besides the pages: each an `Output` (loa/outputs/base.py), run from `REGISTRY`.

`build` runs every registered output (`Runner.run`) and takes the previous site's files of a run
whose digest is the one recorded for them; `serve` runs again an output whose digest changed
(`Runner.rerun`). Adding an output is one module and one line in `REGISTRY` (docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from loa.cache.files import write_atomically
from loa.cache.keys import code_fingerprint, of_path
from loa.model import Site
from loa.outputs.admin import Admin
from loa.outputs.base import Output, Reads, Scope, Target, Written, digest
from loa.outputs.channels import CampaignFiles, Feed
from loa.outputs.offline import Offline
from loa.outputs.print import Print
from loa.outputs.root import ROOT_SCRIPT, ROOT_STYLESHEET, Root
from loa.outputs.search import Search
from loa.outputs.serviceworker import ServiceWorker
from loa.outputs.share import ShareImages
from loa.outputs.sitemap import Sitemap
from loa.plan.site import LanguagePlan, PlannedPage, SitePlan
from loa.publish.files import link_file, link_tree, listing
from loa.publish.reuse import built_file

REGISTRY: list[Output] = [
    Root(),
    Sitemap(),
    Search(),
    Print(),
    CampaignFiles(),
    Feed(),
    ShareImages(),
    ServiceWorker(),
    Admin(),
    Offline(),  # last: it packs the files of the language's other outputs
]
"""Every output, in the order a build runs them (within a scope)."""

APART = frozenset({"search"})
"""Outputs of a language that a build runs on a thread of each language's own, beside the language's other
outputs: they read only the pages and their own language's plan (`Target.language`: they may run before the
other languages are planned, when `Target.plan` has none yet), and no other output reads their files. Search's
Pagefind run is a process of its own, so it uses the second core while the others work here
(loa/pipeline.py::render_and_output)."""

FORMAT = 2


@dataclass(frozen=True)
class Made:
    """One run of an output as it stands in a site: what it was made from and what it wrote."""

    digest: str
    files: tuple[str, ...]
    listing: str
    """A digest of those files as written: names, sizes, times (a changed file is not taken over)."""
    summary: str = ""
    size: int = 0
    """Their bytes (the build's summary says them)."""


def key(output: Output, language: LanguagePlan | None) -> str:
    return output.name if language is None else f"{output.name}/{language.lang}"


def _listing(out: Path, files: Iterable[str]) -> tuple[str, int]:
    """A digest of the files of a run as they are in `out` (names, sizes, times), and their bytes."""
    entries, size = [], 0
    for name in files:
        path = out / name
        if path.is_dir():
            folder, bytes_in = listing(path)
            entries.append(f"{name}/{folder}")
            size += bytes_in
        else:
            try:
                stat = path.stat()
                entries.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
                size += stat.st_size
            except OSError:
                entries.append(f"{name}:missing")
    return digest(entries), size


def record_path(cache_dir: Path, out: Path) -> Path:
    return cache_dir / f"outputs-{of_path(out)}.json"


def load_record(cache_dir: Path, out: Path) -> dict[str, Made]:
    """What the last build recorded of the outputs of the site in `out` (nothing if made by other code)."""
    try:
        data = json.loads(record_path(cache_dir, out).read_text(encoding="utf-8"))
        if data["format"] != FORMAT or data["out"] != str(out.resolve()) or data["code"] != code_fingerprint():
            return {}
        return {str(name): Made(str(d), tuple(str(f) for f in files), str(listed), str(summary), int(size))
                for name, (d, files, listed, summary, size) in data["outputs"].items()}
    except Exception:  # missing, or not as written: every output is written again
        return {}


def top_files(cache_dir: Path | None, out: Path) -> frozenset[str]:
    """The names at the top of the site in `out` that the outputs of the build that made it wrote there,
    as its record says (whatever Loa's version): what `check_target` lets a site without marker hold."""
    try:
        data = json.loads(record_path(cache_dir, out).read_text(encoding="utf-8")) if cache_dir else {}
        return frozenset(str(file).split("/")[0] for name, made in data["outputs"].items() if "/" not in name
                         for file in made[1])
    except Exception:  # missing, or not as written: nothing is known to be Loa's
        return frozenset()


def save_record(cache_dir: Path, out: Path, made: Mapping[str, Made]) -> None:
    data = {"format": FORMAT, "out": str(out.resolve()), "code": code_fingerprint(),
            "outputs": {name: [m.digest, list(m.files), m.listing, m.summary, m.size] for name, m in made.items()}}
    path = record_path(cache_dir, out)
    with contextlib.suppress(OSError):  # unsaved, the next build writes every output
        write_atomically(path, json.dumps(data, separators=(",", ":")))


@dataclass
class Runner:
    """Runs the registered outputs of one planned site into `out`."""

    site: Site
    plan: SitePlan
    out: Path
    cache_dir: Path | None = None
    made: dict[str, Made] = field(default_factory=dict)
    """Key (`key()`) -> the run now in `out`; filled by `run`."""
    previous: Mapping[str, Made] = field(default_factory=dict)
    """The runs recorded for the site in `previous_out`, which a build may take over."""
    previous_out: Path | None = None
    reused: set[str] = field(default_factory=set)
    """Keys of the runs taken from the previous site."""
    pool: Executor | None = None
    """The build's worker processes while they render (`Target.pool`)."""
    digested: Callable[[str], None] = lambda _key: None
    """Called with a run's key once its digest is worked out (before it writes or takes the previous files)."""
    digests: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Language -> a digest of each of its pages' plans, where the build worked them out (`Target.digests`)."""

    @staticmethod
    def outputs(scope: Scope, reads: Reads | None = None) -> list[Output]:
        return [output for output in REGISTRY if output.scope == scope and reads in (None, output.reads)]

    def target(self, output: Output, language: LanguagePlan | None = None, *, out: Path | None = None,
               built: Callable[[PlannedPage], Path] | None = None, unchanged: bool = False,
               background: bool = False) -> Target:
        cache = None
        if self.cache_dir is not None:
            cache = self.cache_dir / output.name / language.lang if language else self.cache_dir / output.name
        return Target(self.site, self.plan, language, out or self.out,
                      built or (lambda page: built_file(self.out, page)), cache, background, unchanged,
                      pool=None if background else self.pool,
                      digests=self.digests.get(language.lang, {}) if language else {})

    def run(self, output: Output, target: Target) -> Made:
        """Take the previous site's files of this run if its digest is unchanged and they are intact; else write."""
        name = key(output, target.language)
        old = self.previous.get(name)
        found = output.digest(target, old.digest if old else None)
        self.digested(name)
        if old is not None and old.digest == found and self.previous_out is not None \
                and _listing(self.previous_out, old.files) == (old.listing, old.size):
            for file in old.files:
                source, copy = self.previous_out / file, target.out / file
                if source.is_dir():
                    link_tree(source, copy)
                else:
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    link_file(source, copy)
            self.reused.add(name)
            made = old
        else:
            made = self._write(output, target, found)
        self.made[name] = made
        return made

    def run_all(self, scope: Scope, reads: Reads | None = None, language: LanguagePlan | None = None,
                built: Callable[[PlannedPage], Path] | None = None, unchanged: bool = False,
                apart: bool | None = None) -> None:
        """Run the registered outputs of a scope (and of what they read), in the registry's order;
        with `apart`, only those in `APART` (True) or only the others (False)."""
        for output in self.outputs(scope, reads):
            if apart is None or (output.name in APART) == apart:
                self.run(output, self.target(output, language, built=built, unchanged=unchanged))

    def rerun(self, output: Output, target: Target) -> Made | None:
        """Write this run again if its digest is not the one of the run in the site (`made`); else None."""
        found = output.digest(target, None)
        old = self.made.get(key(output, target.language))
        if old is not None and old.digest == found:
            return None
        made = self._write(output, target, found)
        for name in set(old.files if old is not None else ()) - set(made.files):
            # a file the last run wrote and this one does not (the share image of a material that lost its
            # translation): gone from the site, as from a clean build
            with contextlib.suppress(OSError):
                (target.out / name).unlink()
        return made

    def summary(self, output: Output) -> str:
        runs = [made for name, made in self.made.items() if name.split("/")[0] == output.name]
        size = sum(made.size for made in runs) / 1024
        return f"{output.name}: {', '.join(made.summary or ', '.join(made.files) for made in runs)} ({size:.0f} KB)"

    @staticmethod
    def _write(output: Output, target: Target, found: str) -> Made:
        written = output.write(target)
        listed, size = _listing(target.out, written.files)
        return Made(found, written.files, listed, written.summary, size)


__all__ = ["APART", "REGISTRY", "ROOT_SCRIPT", "ROOT_STYLESHEET", "Made", "Output", "Reads", "Runner", "Scope",
           "Target", "Written", "key", "load_record", "save_record"]
