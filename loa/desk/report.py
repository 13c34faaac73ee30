"""`build.py report`: what the campaigns produced (README, "The report")."""

from __future__ import annotations

from pathlib import Path

from loa.pipeline import Options


def write_report(options: Options, out: Path) -> list[str]:
    raise NotImplementedError
