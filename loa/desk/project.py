"""The project as the desk commands see it: validated, but read even when it has errors."""

from __future__ import annotations

from pathlib import Path

from loa.check.validate import validate
from loa.errors import ContentError, Problem, Report
from loa.load.project import load_project
from loa.model import Site


def read_site(root: Path) -> tuple[Site, list[Problem]]:
    """The validated site and every problem found; ContentError when it cannot be read at all."""
    report = Report()
    raw = load_project(root, report)
    site = validate(raw, report) if raw is not None else None
    if site is None:
        raise ContentError(report.problems)
    return site, sorted(report.problems)


def problems_in(root: Path, shown: str) -> list[Problem]:
    """The problems the project has in one file (shown path), after it was written."""
    report = Report()
    raw = load_project(root, report)
    if raw is not None:
        validate(raw, report)
    return sorted(p for p in report.problems if p.position.path == shown)
