"""The pipeline: load -> validate -> model -> plan -> render -> outputs -> check -> publish."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import outputs, publish
from .errors import BuildError, ContentError, Position, Problem, Report, UsageError
from .load import load_project
from .model import Site
from .plan import LanguagePlan, SitePlan, plan_site
from .render import RenderResult, render_language
from .validate import validate

Progress = Callable[[str], None]


def _silent(_message: str) -> None:
    pass


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


@dataclass(frozen=True)
class BuildResult:
    site: Site
    plan: SitePlan
    warnings: tuple[Problem, ...]
    renders: tuple[RenderResult, ...] = ()
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.renders)


def check(options: Options, progress: Progress = _silent) -> BuildResult:
    """Load, validate and plan, writing nothing. Raises ContentError on errors."""
    start = time.perf_counter()
    report = Report()
    raw = load_project(options.root, report)
    site = validate(raw, report) if raw is not None else None
    report.raise_if_errors()
    assert site is not None
    if options.langs:
        unknown = [code for code in options.langs if code not in site.settings.codes]
        if unknown:
            raise UsageError(f"--lang: unknown language {', '.join(unknown)} "
                             f"(configured: {', '.join(site.settings.codes)})")
    plan = plan_site(site, options.today, options.langs, options.drafts)
    warnings = tuple(sorted(report.warnings))
    if options.strict and warnings:
        raise ContentError(list(warnings))
    progress(f"checked {len(site.campaigns)} campaigns, {len(site.documents)} documents, "
             f"{len(site.settings.languages)} languages")
    return BuildResult(site, plan, warnings, seconds=time.perf_counter() - start)


def build(options: Options, progress: Progress = _silent) -> BuildResult:
    start = time.perf_counter()
    checked = check(options, progress)
    publish.check_target(options.out, options.root)
    with publish.staging(options.out) as staging:
        renders = render_all(options.root, checked.plan.languages, staging, options.jobs, progress)
        written = outputs.write_site_outputs(checked.site, checked.plan, staging)
        progress(f"wrote {', '.join(written)}")
        render_warnings = _render_warnings(renders)
        if options.strict and render_warnings:
            raise ContentError(list(checked.warnings) + render_warnings)
    return BuildResult(checked.site, checked.plan, tuple(sorted(list(checked.warnings) + render_warnings)),
                       tuple(renders), time.perf_counter() - start)


def render_all(root: Path, plans: tuple[LanguagePlan, ...], out: Path, jobs: int,
               progress: Progress) -> list[RenderResult]:
    """One MkDocs build per language, in parallel processes."""
    results: list[RenderResult] = []
    if jobs <= 1 or len(plans) == 1:
        for plan in plans:
            progress(f"[{plan.lang}] rendering {len(plan.pages)} pages")
            results.append(render_language(root, plan, out / plan.lang))
            progress(f"[{plan.lang}] done in {results[-1].seconds:.1f} s")
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(plans))) as pool:
            futures = {pool.submit(render_language, root, plan, out / plan.lang): plan for plan in plans}
            for plan in plans:
                progress(f"[{plan.lang}] rendering {len(plan.pages)} pages")
            for future in as_completed(futures):
                result = future.result()
                progress(f"[{result.lang}] done: {result.pages} pages in {result.seconds:.1f} s")
                results.append(result)
    order = [plan.lang for plan in plans]
    return sorted(results, key=lambda r: order.index(r.lang))


def _render_warnings(renders: list[RenderResult]) -> list[Problem]:
    seen: dict[tuple[str, str], Problem] = {}
    for result in renders:
        for where, line, message in result.warnings:
            seen.setdefault((where, message), Problem(Position(where, line), message, "warning"))
    return sorted(seen.values())


__all__ = ["BuildError", "BuildResult", "Options", "build", "check"]
