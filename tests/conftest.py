"""A tiny real site in tmp_path, built with the real MkDocs.

A test writes a few files, runs the real build and asserts on the output; nothing is written into
the repository, and nothing depends on the working directory.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from loa import messages
from loa.errors import ContentError
from loa.pipeline import BuildResult, Options, build, check

REPO = Path(__file__).resolve().parents[1]

SETTINGS = """\
site_name: Loa test
theme:
  name: material
  font: false
markdown_extensions:
  - toc:
      permalink: true
extra:
  loa:
    default_language: vi
    site_url: https://example.org/
    site_name: {vi: Trẻ em an toàn, en: Safe children}
    languages:
      vi: {name: Tiếng Việt}
      en: {name: English}
    hotline:
      number: "111"
      name: {vi: Tổng đài quốc gia bảo vệ trẻ em, en: National Child Protection Hotline}
"""

CAMPAIGN = """\
title: {vi: Mùa hè an toàn, en: A safe summer}
summary: {vi: "Phòng, chống đuối nước cho trẻ.", en: Preventing drowning of children.}
status: published
period: {start: 2027-05-15, end: 2027-08-31}
topics: [drowning-prevention]
audiences: [families]
key_messages:
  - {vi: Luôn có người lớn trông chừng trẻ khi ở gần nước., en: Always have an adult watching children near water.}
materials: [drowning/ten-actions, drowning/checklist]
events:
  - {date: 2027-07-25, title: {vi: "Ngày Thế giới phòng, chống đuối nước", en: World Drowning Prevention Day}}
"""

MATERIAL_VI = """\
---
title: Mười hành động phòng, chống đuối nước
summary: Những việc gia đình có thể làm.
type: fact-sheet
topics: [drowning-prevention]
audiences: [families]
sources:
  - {title: Preventing drowning, publisher: WHO, year: 2017}
reviewed: 2026-11-01
---

## Đuối nước là gì

Trẻ cần người lớn trông chừng. Xem [danh sách kiểm tra](checklist.md).

![Một người lớn ngồi cạnh hồ nước, trông chừng hai đứa trẻ](../images/pool.svg)
"""

MATERIAL_EN = """\
---
title: Ten actions to prevent drowning
summary: What families can do.
type: fact-sheet
topics: [drowning-prevention]
audiences: [families]
sources:
  - {title: Preventing drowning, publisher: WHO, year: 2017}
reviewed: 2026-11-01
---

## What drowning is

Children need an adult watching. See the [checklist](checklist.md).
"""

CHECKLIST_VI = """\
---
title: Danh sách kiểm tra an toàn trong nhà
type: checklist
topics: [drowning-prevention]
audiences: [families]
sources:
  - {title: Preventing drowning, publisher: WHO, year: 2017}
reviewed: 2026-11-01
---

- Đậy nắp giếng và chum vại.
"""

POOL_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="2"/></svg>\n'

TINY_SITE: dict[str, str] = {
    "mkdocs.yml": SETTINGS,
    "campaigns/safe-summer.yml": CAMPAIGN,
    "content/vi/drowning/ten-actions.md": MATERIAL_VI,
    "content/en/drowning/ten-actions.md": MATERIAL_EN,
    "content/vi/drowning/checklist.md": CHECKLIST_VI,
    "content/vi/images/pool.svg": POOL_SVG,
    "content/vi/topics/drowning-prevention.md": "---\ntitle: Phòng, chống đuối nước\n---\n\nGiới thiệu.\n",
    "content/en/topics/drowning-prevention.md": "---\ntitle: Drowning prevention\n---\n\nIntroduction.\n",
    "content/vi/audiences/families.md": "---\ntitle: Gia đình\n---\n",
    "content/en/audiences/families.md": "---\ntitle: Families\n---\n",
}

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The fixtures are Vietnamese projects, which Loa would answer in Vietnamese: the tests that
    assert its English messages ask for English (tests/test_messages.py asks for Vietnamese)."""
    monkeypatch.setenv(messages.ENVIRONMENT, "en")
    messages.use(None)
    yield
    messages.use(None)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if not text.startswith("---") else text, encoding="utf-8")
    if not (root / "theme").exists():
        shutil.copytree(REPO / "theme", root / "theme")
    return root


def problems(tmp_path: Path, changes: dict[str, str]) -> list[str]:
    """The errors `check` reports on the tiny site with `changes` (path -> text), as printed."""
    files = dict(TINY_SITE)
    files.update(changes)
    root = write_tree(tmp_path / "project", files)
    with pytest.raises(ContentError) as caught:
        check(Options(root=root, out=root / "site", today=TODAY))
    return [str(p) for p in caught.value.problems if p.severity == "error"]


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    """The project folder of a tiny site: settings, one campaign, two materials, two languages."""
    return write_tree(tmp_path / "project", dict(TINY_SITE))


BuildSite = Callable[..., BuildResult]


@pytest.fixture
def build_site() -> BuildSite:
    def run(root: Path, **options: object) -> BuildResult:
        values: dict[str, object] = {"root": root, "out": root / "site", "today": TODAY, "jobs": 1}
        values.update(options)
        return build(Options(**values))  # type: ignore[arg-type]
    return run


def read_parse_cache(path: Path) -> dict[str, Any]:
    """`.loa-cache/parsed.json` (loa/load/parsecache.py) as one mapping: its first line's, with "entries", the
    JSON of each line after it (one a file)."""
    head, *lines = path.read_text(encoding="utf-8").split("\n")
    return {**json.loads(head), "entries": [json.loads(line) for line in lines if line]}


def write_parse_cache(path: Path, data: dict[str, Any]) -> None:
    """`read_parse_cache`'s mapping written back as the file's lines."""
    head = {key: value for key, value in data.items() if key != "entries"}
    path.write_text("\n".join(json.dumps(item) for item in [head, *data["entries"]]) + "\n", encoding="utf-8")
