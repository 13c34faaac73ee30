"""The `Output` protocol: what every output besides the pages declares (docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from loa.cache import keys
from loa.model import Site
from loa.plan.site import LanguagePlan, PlannedPage, SitePlan

Scope = Literal["site", "language"]
"""An output made once for the site, or once per language."""
Reads = Literal["plan", "pages"]
"""What an output is made from: the plan alone (it can be made while pages render), or the rendered pages."""


@dataclass(frozen=True)
class Target:
    """One run of an output: for the whole site (`language` None) or for one language."""

    site: Site
    plan: SitePlan
    language: LanguagePlan | None
    out: Path
    """The folder to write into (a build's staging folder; a temporary folder for `serve`'s background runs)."""
    built: Callable[[PlannedPage], Path]
    """Where each rendered page's HTML is (pages taken from the previous site are read there)."""
    cache: Path | None = None
    """A folder of the output's own in `.loa-cache/`, kept between runs (None: no cache)."""
    background: bool = False
    """True in `serve`'s background runs: work at a lower CPU priority."""
    unchanged: bool = False
    """True when every page of the language is the previous site's, as it was."""
    memo: dict[str, object] = field(default_factory=dict, compare=False)
    """What `digest` worked out and `write` may use again (the same Target is passed to both)."""
    pool: Executor | None = field(default=None, compare=False)
    """The build's worker processes, while they are there: an output may give them heavy work (a
    task's arguments are pickled; the workers were forked before the outputs ran). None: work here."""
    digests: Mapping[str, str] = field(default_factory=dict, compare=False)
    """A digest of each page's plan by its `src_uri` (loa/publish/reuse.py::page_digests), where the build worked
    them out to take pages over; else empty."""


@dataclass(frozen=True)
class Written:
    """What one run of an output wrote."""

    files: tuple[str, ...]
    """Paths relative to the site's root (a folder stands for every file in it)."""
    summary: str = ""
    """A few words for the progress line (e.g. `vi 120 pages`)."""


class Output(Protocol):
    """Anything a build writes besides the pages. Registered in `loa/outputs/__init__.py::REGISTRY`.

    `digest` covers everything `write` reads: a build takes the previous site's files when the
    digest is the one recorded for them, and `serve` runs `write` again when it changes.
    """

    name: str
    scope: Scope
    reads: Reads

    def digest(self, target: Target, previous: str | None) -> str:
        """A digest of this run's inputs; `previous` is the one recorded by the last build, if any."""
        ...

    def write(self, target: Target) -> Written:
        """Write this run's files into `target.out`."""
        ...


def digest(parts: Iterable[str]) -> str:
    """A digest of text parts, for an output's `digest`."""
    return keys.digest("output", parts)
