"""A rebuild with the cache takes unchanged pages and search bundles from the previous site (loa/publish/reuse.py).

Every test compares with a clean build (no cache) of the same input: same bytes, same warnings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_build import tree_digest

from conftest import BuildSite
from loa.pipeline import BuildResult

PAGE = "vi/drowning/ten-actions/index.html"


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def rebuild(root: Path, build_site: BuildSite, tmp_path: Path, **options: object) -> BuildResult:
    """A rebuild into site/ with the cache, checked against a clean build of the same input."""
    result = build_site(root, cache_dir=tmp_path / "cache", **options)
    clean = build_site(root, out=tmp_path / "clean", **options)
    assert tree_digest(root / "site") == tree_digest(tmp_path / "clean")
    assert [str(w) for w in result.warnings] == [str(w) for w in clean.warnings]
    assert result.pages == clean.pages
    return result


def rendered(result: BuildResult) -> int:
    return sum(r.pages for r in result.renders)


def inode(root: Path, relative: str) -> int:
    return (root / "site" / relative).stat().st_ino


def test_nothing_changed_nothing_rendered(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    first = build_site(tiny_site, cache_dir=tmp_path / "cache")
    assert first.reused == 0
    before = {path: inode(tiny_site, path) for path in (PAGE, "vi/pagefind/pagefind-entry.json")}
    again = rebuild(tiny_site, build_site, tmp_path)
    assert (rendered(again), again.reused) == (0, first.pages)
    # the same files, linked into the new site: pages and the search bundle
    assert {path: inode(tiny_site, path) for path in before} == before


def test_text_edit_renders_its_page_and_fallback_copies(tiny_site: Path, build_site: BuildSite,
                                                        tmp_path: Path) -> None:
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    search_before = inode(tiny_site, "vi/pagefind/pagefind-entry.json")
    edit(tiny_site, "content/vi/drowning/checklist.md", "\n- Đậy", "\nMột câu mới.\n\n- Đậy")
    again = rebuild(tiny_site, build_site, tmp_path)
    # the vi checklist and its fallback copy in en; no other page shows a material's text
    assert rendered(again) == 2
    assert "Một câu mới." in (tiny_site / "site/en/drowning/checklist/index.html").read_text(encoding="utf-8")
    assert inode(tiny_site, "vi/pagefind/pagefind-entry.json") != search_before  # vi searched again


def test_an_edit_undone_renders_the_page_again(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    # the text goes back to what an earlier build had: the site has the edited page, so it is rendered again
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    edit(tiny_site, "content/vi/drowning/checklist.md", "\n- Đậy", "\nMột câu mới.\n\n- Đậy")
    assert rendered(rebuild(tiny_site, build_site, tmp_path)) == 2
    edit(tiny_site, "content/vi/drowning/checklist.md", "\nMột câu mới.\n\n- Đậy", "\n- Đậy")
    assert rendered(rebuild(tiny_site, build_site, tmp_path)) == 2
    assert "Một câu mới." not in (tiny_site / "site/vi/drowning/checklist/index.html").read_text(encoding="utf-8")


def test_title_edit_renders_the_pages_that_list_it(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    edit(tiny_site, "content/en/drowning/ten-actions.md", "title: Ten actions", "title: Ten things to do")
    again = rebuild(tiny_site, build_site, tmp_path)
    assert 1 < rendered(again) < again.pages
    assert "Ten things to do" in (tiny_site / "site/en/index.html").read_text(encoding="utf-8") or \
        "Ten things to do" in (tiny_site / "site/en/topics/drowning-prevention/index.html").read_text(encoding="utf-8")


def test_theme_edit_renders_everything(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    path = tiny_site / "theme/partials/loa-hotline.html"
    path.write_text(path.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    again = rebuild(tiny_site, build_site, tmp_path)
    assert again.reused == 0
    assert "<!-- edited -->" in (tiny_site / "site" / PAGE).read_text(encoding="utf-8")


def test_a_page_changed_in_the_site_is_rendered_again(tiny_site: Path, build_site: BuildSite,
                                                      tmp_path: Path) -> None:
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    page = tiny_site / "site" / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("Mười", "Chín"), encoding="utf-8")
    (tiny_site / "site/en/pagefind/pagefind-entry.json").unlink()
    again = rebuild(tiny_site, build_site, tmp_path)  # the clean comparison shows both are mended
    assert rendered(again) == 1


def test_warnings_of_kept_pages_are_given_again(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    edit(tiny_site, "content/en/drowning/ten-actions.md", "\n## ", "\nSee [the rules](rules.md).\n\n## ")
    first = build_site(tiny_site, cache_dir=tmp_path / "cache")
    again = rebuild(tiny_site, build_site, tmp_path, strict=False)
    assert rendered(again) == 0
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert any("rules.md" in w.message for w in again.warnings)


def test_anchor_into_an_edited_page_is_checked_again(tiny_site: Path, build_site: BuildSite,
                                                     tmp_path: Path) -> None:
    # the vi checklist links to a heading of ten-actions (id #what in vi and en), which vi then renames
    edit(tiny_site, "content/vi/drowning/ten-actions.md", "## Đuối nước là gì", "## Đuối nước là gì { #what }")
    edit(tiny_site, "content/en/drowning/ten-actions.md", "## What drowning is", "## What drowning is { #what }")
    edit(tiny_site, "content/vi/drowning/checklist.md", "\n- Đậy", "\nXem [mục đầu](ten-actions.md#what).\n\n- Đậy")
    first = build_site(tiny_site, cache_dir=tmp_path / "cache")
    assert not any("anchor" in w.message for w in first.warnings)
    edit(tiny_site, "content/vi/drowning/ten-actions.md", "{ #what }", "{ #other }")
    again = rebuild(tiny_site, build_site, tmp_path)  # the checklist is rendered again, and warns
    assert any("checklist.md" in w.message and "anchor '#what'" in w.message for w in again.warnings)


def test_saved_parses_report_the_same_problems_and_see_edits(tiny_site: Path, tmp_path: Path) -> None:
    from conftest import TODAY
    from loa.cache.keys import code_fingerprint
    from loa.errors import ContentError
    from loa.load.parsecache import LoadCache
    from loa.pipeline import Options, check

    options = Options(root=tiny_site, out=tiny_site / "site", today=TODAY, cache_dir=tmp_path / "cache")
    edit(tiny_site, "content/vi/drowning/checklist.md", "type: checklist", "type: [checklist")
    problems = []
    for _ in range(2):
        try:
            check(options)
        except ContentError as exc:
            problems.append([str(p) for p in exc.problems])
    assert len(problems) == 2 and problems[0] == problems[1] and "checklist.md:4:7: error: YAML" in problems[0][0]
    saved = LoadCache.read(tmp_path / "cache/parsed.json", code_fingerprint())
    assert {path.relative_to(tiny_site).as_posix() for path in saved.entries} >= {
        "campaigns/safe-summer.yml", "content/vi/drowning/checklist.md"}
    edit(tiny_site, "content/vi/drowning/checklist.md", "type: [checklist", "type: checklist")
    assert check(options).site.documents["drowning/checklist"].translations["vi"].type == "checklist"


def test_a_build_saves_the_parses_whether_it_fails_or_not(tiny_site: Path, tmp_path: Path) -> None:
    # after its check, also when the content has errors: the next try parses only what changed
    from conftest import TODAY
    from loa.cache.keys import code_fingerprint
    from loa.errors import ContentError
    from loa.load.parsecache import LoadCache
    from loa.pipeline import Options, build

    options = Options(root=tiny_site, out=tiny_site / "site", today=TODAY, cache_dir=tmp_path / "cache")
    material = tiny_site / "content/vi/drowning/checklist.md"

    def saved_stamp() -> tuple[int, int, int]:
        return LoadCache.read(tmp_path / "cache/parsed.json", code_fingerprint()).entries[material][0]

    def stamp() -> tuple[int, int, int]:
        stat = material.stat()
        return stat.st_mtime_ns, stat.st_size, stat.st_ino

    edit(tiny_site, "content/vi/drowning/checklist.md", "type: checklist", "type: [checklist")
    with pytest.raises(ContentError):
        build(options)
    assert saved_stamp() == stamp()
    edit(tiny_site, "content/vi/drowning/checklist.md", "type: [checklist", "type: checklist")
    build(options)
    assert saved_stamp() == stamp()


def test_an_unreadable_record_means_a_full_build(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    for record in (tmp_path / "cache").glob("site-*.json"):
        out = str((tiny_site / "site").resolve())
        record.write_text('{"format": 2, "out": "' + out + '", "languages": {"vi": []}}', encoding="utf-8")
    again = rebuild(tiny_site, build_site, tmp_path)
    assert again.reused == 0


def _renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The languages rendered from now on (render_language run, here or in a worker forked after this)."""
    from loa import processes

    langs: list[str] = []
    real = processes.render_language

    def counted(root: Path, plan: object, *rest: object) -> object:
        langs.append(getattr(plan, "lang", ""))
        return real(root, plan, *rest)  # type: ignore[arg-type]
    monkeypatch.setattr(processes, "render_language", counted)
    monkeypatch.setattr(processes, "_INHERITED", {})  # the plan is sent, so that the call is made here
    return langs


def test_a_language_with_nothing_to_render_takes_its_last_renders_files(tiny_site: Path, build_site: BuildSite,
                                                                         tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # MkDocs is not run for it at all (0.4-0.6 s of a worker per language at 1,000 materials): its theme's
    # files, images, 404 and offline pages are linked from the previous site, like its pages.
    build_site(tiny_site, cache_dir=tmp_path / "cache", jobs=1)
    edit(tiny_site, "content/vi/drowning/ten-actions.md", "trông chừng.", "trông chừng. Một câu mới.")
    langs = _renders(monkeypatch)
    before = inode(tiny_site, "en/404.html")
    again = rebuild(tiny_site, build_site, tmp_path, jobs=1)  # (then a clean build, which renders both)
    assert rendered(again) == 1 and langs == ["vi", "vi", "en"]  # the page edited; en has its own translation
    assert inode(tiny_site, "en/404.html") == before
    # a file of the last render changed in the site: the language is rendered again, and the file mended
    (tiny_site / "site/en/404.html").write_text("changed", encoding="utf-8")
    langs.clear()
    rebuild(tiny_site, build_site, tmp_path, jobs=1)
    assert langs.count("en") == 2  # here and in the clean build


def test_what_mkdocs_said_about_a_language_is_said_again_when_it_is_not_rendered(
        tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    from loa.publish.reuse import SiteRecord

    first = build_site(tiny_site, cache_dir=tmp_path / "cache", jobs=1)
    record = SiteRecord.load(tmp_path / "cache", tiny_site / "site")
    assert record is not None and all(language.rendered for language in record.languages.values())
    assert "404.html" in record.languages["vi"].rendered and not any(
        name.endswith("index.html") or name.startswith("pagefind/") for name in record.languages["vi"].rendered)
    said = ("mkdocs.yml", 1, "a warning about the language as a whole")
    languages = {lang: type(language)(language.environment, language.pages, language.rendered, (said,))
                 for lang, language in record.languages.items()}
    SiteRecord(record.out, languages).save(tmp_path / "cache")
    again = build_site(tiny_site, cache_dir=tmp_path / "cache", jobs=1, strict=False)
    assert rendered(again) == 0 and len(again.warnings) == len(first.warnings) + 1
    assert any(w.message == said[2] for w in again.warnings)
