"""An output added with one module and one registry line gets build, reuse and serve behaviour (loa/outputs/)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_incremental import assert_same_as_clean, edit

from conftest import TODAY, BuildSite
from loa import outputs
from loa.outputs.base import Reads, Scope, Target, Written, digest
from loa.pipeline import Options
from loa.serve.rebuild import Rebuilder

TITLE = "title: Ten actions to prevent drowning"


class Titles:
    """A small output as a newcomer would write it: each language's page titles, made from the plan."""

    name = "titles"
    scope: Scope = "language"
    reads: Reads = "plan"

    def __init__(self) -> None:
        self.writes: list[str] = []
        """The languages written, in order (to tell a write from a file taken over)."""

    def digest(self, target: Target, previous: str | None) -> str:
        return digest([self._text(target)])

    def write(self, target: Target) -> Written:
        assert target.language is not None
        path = target.out / target.language.lang / "titles.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self._text(target), encoding="utf-8")
        self.writes.append(target.language.lang)
        return Written((f"{target.language.lang}/titles.txt",), f"{target.language.lang} titles")

    @staticmethod
    def _text(target: Target) -> str:
        assert target.language is not None
        return "".join(f"{page.url} {page.title}\n" for page in target.language.pages)


@pytest.fixture
def titles() -> Iterator[Titles]:
    output = Titles()
    outputs.REGISTRY.append(output)  # the one registry line
    try:
        yield output
    finally:
        outputs.REGISTRY.remove(output)


def test_build_writes_it_and_reuses_it_while_its_inputs_stay(tiny_site: Path, build_site: BuildSite,
                                                             tmp_path: Path, titles: Titles) -> None:
    site = tiny_site / "site"
    first = build_site(tiny_site, cache_dir=tmp_path / "cache")
    assert sorted(titles.writes) == sorted(plan.lang for plan in first.plan.languages)
    assert "Ten actions to prevent drowning" in (site / "en/titles.txt").read_text("utf-8")
    inodes = {lang: (site / lang / "titles.txt").stat().st_ino for lang in titles.writes}
    titles.writes.clear()
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    assert titles.writes == []  # nothing it reads changed: the previous site's files are taken over
    assert {lang: (site / lang / "titles.txt").stat().st_ino for lang in inodes} == inodes
    edit(tiny_site / "content/en/drowning/ten-actions.md", TITLE, "title: Ten ways to prevent drowning")
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    assert "en" in titles.writes and "vi" not in titles.writes
    assert "Ten ways to prevent drowning" in (site / "en/titles.txt").read_text("utf-8")


def test_serve_writes_it_again_when_what_it_reads_changes(tiny_site: Path, tmp_path: Path, titles: Titles) -> None:
    options = Options(root=tiny_site, out=tiny_site / "site", today=TODAY, cache_dir=tmp_path / "cache")
    rebuilder = Rebuilder(options, lambda _message: None)
    try:
        rebuilder.full()
        rebuilder.warm_up()
        listing = options.out / "en/titles.txt"
        before = listing.stat().st_mtime_ns
        titles.writes.clear()
        # a body edit: the page is rendered again, but no title changed
        update = rebuilder.update([edit(tiny_site / "content/en/drowning/ten-actions.md",
                                        "Children need an adult watching.", "An adult must always watch.")])
        assert not update.full and update.rendered
        assert titles.writes == [] and listing.stat().st_mtime_ns == before
        # a title edit: not the page's URL, kind or translations, yet the titles file shows it
        update = rebuilder.update([edit(tiny_site / "content/en/drowning/ten-actions.md", TITLE,
                                        "title: Ten ways to prevent drowning")])
        assert not update.full
        assert titles.writes == ["en"]
        assert "Ten ways to prevent drowning" in listing.read_text("utf-8")
        assert_same_as_clean(rebuilder, tmp_path)
    finally:
        rebuilder.close()


def test_outputs_import_nothing_from_mkdocs() -> None:
    # only loa/render/ talks to MkDocs: an output reads the plan or the pages as written
    pure = "import sys, loa.outputs; print([m for m in sys.modules if m.startswith(('mkdocs', 'material'))])"
    result = subprocess.run([sys.executable, "-c", pure], capture_output=True, text=True,
                            cwd=Path(__file__).parent.parent, check=True)
    assert result.stdout.strip() == "[]"


def test_the_memo_of_made_files_keeps_the_latest_used_within_its_limit() -> None:
    from loa.outputs.memo import Memo, forget_all
    memo = Memo(limit=3000)
    for key in ("a", "b", "c"):
        memo.put(key, key.encode() * 1000)
    assert memo.get("a") == b"a" * 1000  # used: now the latest
    memo.put("d", b"d" * 1000)  # over the limit: "b", used longest ago, goes
    assert [memo.get(key) is not None for key in "abcd"] == [True, False, True, True]
    forget_all()
    assert memo.get("a") is None


def test_every_output_has_a_name_of_its_own() -> None:
    """A run is recorded, reused and re-run in `serve` by its output's name (`loa/outputs/__init__.py::key`):
    two outputs of one name would take each other's files."""
    from loa.outputs import REGISTRY
    names = [output.name for output in REGISTRY]
    assert len(names) == len(set(names)), names
