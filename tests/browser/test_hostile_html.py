"""The Nu Html Checker over the hostile site of tests/hostile.py: a hostile string in every text field
of every file kind, in every language, and still not one HTML error."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hostile import write_hostile_site

from loa.pipeline import Options, build

from .conftest import TODAY


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_hostile_site(tmp_path_factory.mktemp("hostile") / "project")
    build(Options(root=root, out=root / "site", today=TODAY, jobs=1))
    return root / "site"


def test_hostile_site_is_valid_html(hostile_site: Path, vnu_command: list[str]) -> None:
    run = subprocess.run([*vnu_command, "--errors-only", "--format", "json", "--skip-non-html", str(hostile_site)],
                         capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") == "error"]
    checked = len(list(hostile_site.rglob("*.html")))
    assert checked > 30
    lines = [f"{m.get('url', '').split(str(hostile_site))[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
             for m in errors]
    assert not errors, f"{len(errors)} HTML errors in {checked} files:\n" + "\n".join(lines[:50])
