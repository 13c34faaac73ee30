"""`serve`'s rebuilds after a save render only what the save reaches, and equal a clean build byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import TODAY
from loa.errors import ContentError
from loa.pipeline import Options, build
from loa.serve.rebuild import Rebuilder


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def clean_build(root: Path, out: Path) -> dict[str, bytes]:
    build(Options(root=root, out=out, today=TODAY))
    return tree(out)


def assert_same_as_clean(rebuilder: Rebuilder, tmp_path: Path) -> None:
    rebuilder.wait_for_search()
    served, clean = tree(rebuilder.options.out), clean_build(rebuilder.options.root, tmp_path / "clean")
    assert sorted(served) == sorted(clean)
    assert [name for name in served if served[name] != clean[name]] == []


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.fixture
def rebuilder(tiny_site: Path, tmp_path: Path) -> Iterator[Rebuilder]:
    options = Options(root=tiny_site, out=tiny_site / "site", today=TODAY, cache_dir=tmp_path / "cache")
    rebuilder = Rebuilder(options, lambda _message: None)
    assert rebuilder.full().full
    rebuilder.warm_up()
    yield rebuilder
    rebuilder.close()


def test_body_edit_renders_that_page_only(rebuilder: Rebuilder, tmp_path: Path) -> None:
    root = rebuilder.options.root
    saved = edit(root / "content/en/drowning/ten-actions.md", "Children need an adult watching.",
                 "An adult must always watch.")
    update = rebuilder.update([saved])
    assert not update.full
    assert update.texts_only  # front matter as it was: only this text is checked again
    assert update.rendered == {"en": ["drowning/ten-actions.md"]}
    page = (root / "site/en/drowning/ten-actions/index.html").read_text(encoding="utf-8")
    assert "An adult must always watch." in page
    assert_same_as_clean(rebuilder, tmp_path)


def test_original_edit_reaches_fallback_copies(rebuilder: Rebuilder, tmp_path: Path) -> None:
    # checklist has no en translation: en shows the vi text, so both pages change
    saved = edit(rebuilder.options.root / "content/vi/drowning/checklist.md", "Đậy nắp giếng", "Luôn đậy nắp giếng")
    update = rebuilder.update([saved])
    assert update.texts_only
    assert update.rendered == {"vi": ["drowning/checklist.md"], "en": ["drowning/checklist.md"]}
    assert "Luôn đậy nắp giếng" in (rebuilder.options.out / "en/drowning/checklist/index.html").read_text("utf-8")
    assert_same_as_clean(rebuilder, tmp_path)


def test_title_edit_reaches_the_pages_that_list_it(rebuilder: Rebuilder, tmp_path: Path) -> None:
    saved = edit(rebuilder.options.root / "content/en/drowning/ten-actions.md",
                 "title: Ten actions to prevent drowning", "title: Ten ways to prevent drowning")
    update = rebuilder.update([saved])
    assert not update.full and not update.texts_only
    rendered = set(update.rendered["en"])
    # the checklist lists it too: in its "Read next" (the other materials of its campaign)
    assert {"drowning/ten-actions.md", "campaigns/safe-summer.md", "topics/drowning-prevention.md",
            "audiences/families.md", "drowning/checklist.md"} <= rendered
    assert "index.md" not in rendered
    assert_same_as_clean(rebuilder, tmp_path)


def test_title_edit_shows_the_page_before_the_lists_are_planned(rebuilder: Rebuilder, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import loa.serve.rebuild
    out = rebuilder.options.out
    saved = edit(rebuilder.options.root / "content/en/drowning/ten-actions.md",
                 "title: Ten actions to prevent drowning", "title: Ten ways to prevent drowning")
    events: list[str] = []
    plan_site = loa.serve.rebuild.plan_site
    monkeypatch.setattr(loa.serve.rebuild, "plan_site",
                        lambda *a, **k: events.append("whole plan") or plan_site(*a, **k))

    def first(count: int) -> None:  # when serve tells the browser to reload
        page = (out / "en/drowning/ten-actions/index.html").read_text("utf-8")
        events.append(f"reload: {count} page, {'new' if 'Ten ways to prevent drowning' in page else 'old'} title")
    rebuilder.update([saved], first)
    assert events == ["reload: 1 page, new title", "whole plan"]
    assert "Ten ways to prevent drowning" in (out / "en/topics/drowning-prevention/index.html").read_text("utf-8")
    assert_same_as_clean(rebuilder, tmp_path)


def test_campaign_edit_and_removed_translation(rebuilder: Rebuilder, tmp_path: Path) -> None:
    root = rebuilder.options.root
    campaign = edit(root / "campaigns/safe-summer.yml", "en: A safe summer", "en: Safe summer days")
    assert not rebuilder.update([campaign]).full
    assert_same_as_clean(rebuilder, tmp_path)
    removed = root / "content/en/drowning/ten-actions.md"
    removed.unlink()  # the page stays, as a fallback copy of the vi text
    update = rebuilder.update([removed])
    assert not update.full
    assert "drowning/ten-actions.md" in update.rendered["en"]
    assert_same_as_clean(rebuilder, tmp_path)


def test_new_page_or_theme_change_builds_everything(rebuilder: Rebuilder, tmp_path: Path) -> None:
    root = rebuilder.options.root
    added = root / "content/en/drowning/checklist.md"
    added.write_text("---\ntitle: Safety checklist\ntype: checklist\n---\n\n- Cover wells and jars.\n", "utf-8")
    assert not rebuilder.update([added]).full  # a translation of a page that exists: same pages, new text
    assert_same_as_clean(rebuilder, tmp_path)
    new = root / "content/vi/drowning/new.md"
    new.write_text("---\ntitle: Trang mới\ntype: guide\n---\n\nNội dung.\n", "utf-8")
    assert rebuilder.update([new]).full
    assert_same_as_clean(rebuilder, tmp_path)
    css = edit(root / "theme/assets/stylesheets/loa.css", ":root", ":root ")
    assert rebuilder.update([css]).full
    assert_same_as_clean(rebuilder, tmp_path)


def test_errors_leave_the_site_and_the_next_save_recovers(rebuilder: Rebuilder, tmp_path: Path) -> None:
    out = rebuilder.options.out
    before = tree(out)
    bad = edit(rebuilder.options.root / "content/en/drowning/ten-actions.md", "type: fact-sheet", "type: factsheet")
    with pytest.raises(ContentError) as raised:
        rebuilder.update([bad])
    assert str(raised.value.problems[0]).startswith("content/en/drowning/ten-actions.md:4:7: error: type:")
    assert tree(out) == before
    fixed = edit(bad, "type: factsheet\n", "type: fact-sheet\n")
    edit(fixed, "Children need an adult watching.", "An adult must always watch.")
    assert rebuilder.update([fixed]).rendered == {"en": ["drowning/ten-actions.md"]}
    assert_same_as_clean(rebuilder, tmp_path)


def test_search_follows_the_edit(rebuilder: Rebuilder, tmp_path: Path) -> None:
    bundle = rebuilder.options.out / "en/pagefind"
    entry = (bundle / "pagefind-entry.json").read_bytes()
    saved = edit(rebuilder.options.root / "content/en/drowning/ten-actions.md", "Children need an adult watching.",
                 "Lifejackets keep children afloat.")
    rebuilder.update([saved])
    rebuilder.wait_for_search()
    assert (bundle / "pagefind-entry.json").read_bytes() != entry  # a new index: its fragment hashes differ
    assert not list(bundle.parent.glob(".pagefind*"))
    assert_same_as_clean(rebuilder, tmp_path)


def test_topic_text_reaches_its_hub(rebuilder: Rebuilder, tmp_path: Path) -> None:
    # a topic's text is the top of a generated hub page: the whole check runs
    saved = edit(rebuilder.options.root / "content/en/topics/drowning-prevention.md", "Introduction.",
                 "Why drowning prevention matters.")
    update = rebuilder.update([saved])
    assert not update.texts_only
    assert update.rendered == {"en": ["topics/drowning-prevention.md"]}
    hub = (rebuilder.options.out / "en/topics/drowning-prevention/index.html").read_text(encoding="utf-8")
    assert "Why drowning prevention matters." in hub
    assert_same_as_clean(rebuilder, tmp_path)


def test_body_error_is_reported_with_its_line(rebuilder: Rebuilder, tmp_path: Path) -> None:
    out = rebuilder.options.out
    before = tree(out)
    saved = edit(rebuilder.options.root / "content/en/drowning/ten-actions.md", "Children need an adult watching.",
                 "Children need an adult watching.\n\n![](../images/pool.svg)")
    with pytest.raises(ContentError) as raised:
        rebuilder.update([saved])
    assert [str(p).split(" (")[0] for p in raised.value.problems] == [
        "content/en/drowning/ten-actions.md:16:1: error: image '../images/pool.svg' has no alt text"]
    assert tree(out) == before
    edit(saved, "![](../images/pool.svg)", "![A lifeguard chair by a pool](../images/pool.svg)")
    assert rebuilder.update([saved]).texts_only
    assert_same_as_clean(rebuilder, tmp_path)


def test_a_failed_save_is_not_the_reference_for_the_next(rebuilder: Rebuilder, tmp_path: Path) -> None:
    # one save changes the title and breaks the body; the next fixes the body only: the new title must show
    saved = edit(rebuilder.options.root / "content/en/drowning/ten-actions.md", "Children need an adult watching.",
                 "![](../images/pool.svg)")
    edit(saved, "title: Ten actions to prevent drowning", "title: Ten ways to prevent drowning")
    with pytest.raises(ContentError):
        rebuilder.update([saved])
    edit(saved, "![](../images/pool.svg)", "Children need an adult watching.")
    update = rebuilder.update([saved])
    assert not update.texts_only
    assert "Ten ways to prevent drowning" in (rebuilder.options.out / "en/drowning/ten-actions/index.html").read_text(
        encoding="utf-8")
    assert_same_as_clean(rebuilder, tmp_path)
