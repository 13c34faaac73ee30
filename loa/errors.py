"""Problems found in user input, and the small exception hierarchy around them.

A user mistake is a :class:`Problem`; all problems of one run are collected and
raised together as :class:`ContentError`, which the CLI prints as a clean block
and turns into exit status 1. Anything else that escapes is a bug in Loa and
keeps its traceback.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Position:
    """Where something stands in a source file (1-based line and column)."""

    path: str
    """Path as shown to the user, relative to the project root, with '/'."""
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, printed as `path:line:col: severity: message (hint)`."""

    position: Position
    message: str
    severity: Severity = "error"
    hint: str = field(default="", compare=False)

    def __str__(self) -> str:
        text = f"{self.position}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def encoded(self) -> list[object]:
        """The problem as JSON (kept between builds: loa/load/parsecache.py), read back by `decode_problems`."""
        where = self.position
        return [where.path, where.line, where.column, self.message, self.severity, self.hint]


def decode_problems(item: object) -> tuple[Problem, ...]:
    """Problems saved as `Problem.encoded` JSON; raises ValueError on anything else (a damaged or foreign file)."""
    if not isinstance(item, list):
        raise ValueError("not a list of problems")
    problems = []
    for problem in item:
        if not isinstance(problem, list) or len(problem) != 6:
            raise ValueError("not a problem")
        path, line, column, message, severity, hint = problem
        if not all(isinstance(text, str) for text in (path, message, hint)) \
                or not all(type(number) is int for number in (line, column)) or severity not in ("error", "warning"):
            raise ValueError("not a problem")
        problems.append(Problem(Position(path, line, column), message, severity, hint))
    return tuple(problems)


class LoaError(Exception):
    """Base of every error that is the user's to fix (no traceback)."""


class ContentError(LoaError):
    """The input has one or more errors; `problems` lists all of them, sorted."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(LoaError):
    """Wrong command-line usage (exit status 2)."""


class BuildError(LoaError):
    """Rendering failed for a reason the user can act on (e.g. strict-mode warnings)."""


@dataclass
class Report:
    """Collects problems during one pass instead of stopping at the first one."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, where: Position, message: str, hint: str = "") -> None:
        self.problems.append(Problem(where, message, "error", hint))

    def warning(self, where: Position, message: str, hint: str = "") -> None:
        self.problems.append(Problem(where, message, "warning", hint))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.problems)


def display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def utf8_output() -> None:
    """Print in UTF-8 where the console's encoding has no Vietnamese letters.

    Windows writes to a pipe or a file (`build.py check > problems.txt`) in its ANSI code page
    (cp1252, or cp1258, which has no precomposed letters): Python would stop at the first 'ệ'
    with a UnicodeEncodeError. Its own console window, and Linux, already take UTF-8.
    """
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            "ệđ".encode(stream.encoding)
        except (UnicodeEncodeError, LookupError):
            stream.reconfigure(encoding="utf-8")
