"""What a rebuild after one edit does again, and only that (issue #14: a rebuild at N=1000 under 10 s).

Poster fits (loa/check/fit.py), calendars (loa/plan/channels.py) and reading times (loa/plan/pages.py) are
kept by the digest of what they are made from (loa/cache/results.py) in the parse cache: these tests
change each input and see the new result, and see that an unchanged input is not worked out again.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, TODAY, BuildSite, read_parse_cache, write_parse_cache
from loa import processes
from loa.cache import results
from loa.cache.results import KEPT
from loa.check import fit
from loa.model import Document
from loa.outputs import offline as offline_output
from loa.pipeline import BuildResult, Options, check
from loa.plan import cards, channels
from loa.plan import site as site_plan
from loa.plan.pages import Context

POSTER = """\
---
title: Lời cho áp phích
type: poster
topics: [drowning-prevention]
audiences: [families]
---

Mỗi áp phích một câu.

## Người lớn trông chừng

**Trẻ ở gần nước, người lớn ở gần trẻ.**

## Đậy kín nguồn nước

{text}
"""


@pytest.fixture(autouse=True)
def new_process() -> Iterator[None]:
    """Each test starts, and leaves, with nothing kept in memory, as a new process would."""
    KEPT.values.clear()
    KEPT.used.clear()
    yield
    KEPT.values.clear()
    KEPT.used.clear()


class Count:
    """Calls of a function of a module, which still runs (its results are what is kept)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> None:
        self.calls = 0
        real = getattr(module, name)

        def counted(*args: object) -> object:
            self.calls += 1
            return real(*args)
        monkeypatch.setattr(module, name, counted)


def checked(root: Path) -> BuildResult:
    """`check` as a build runs it: the parses (and kept results) read from, and saved to, `.loa-cache/`."""
    return check(Options(root=root, out=root / "site", today=TODAY, cache_dir=root / ".loa-cache"))


def poster_warnings(result: BuildResult) -> list[str]:
    return [str(w) for w in result.warnings if "poster" in w.message]


def forget() -> None:
    """What a new process has in memory: nothing (the parse cache on disk stays)."""
    KEPT.values.clear()


def test_a_poster_section_is_measured_again_only_when_its_text_changes(tiny_site: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    poster = tiny_site / "content/vi/drowning/posters.md"
    poster.write_text(POSTER.format(text="Đậy giếng. Đậy lu. Úp xô."), encoding="utf-8")
    measured = Count(monkeypatch, fit, "_section_fit")
    assert poster_warnings(checked(tiny_site)) == []
    assert measured.calls == 2
    forget()
    assert poster_warnings(checked(tiny_site)) == [] and measured.calls == 2  # both from `.loa-cache/parsed.json`
    forget()
    poster.write_text(POSTER.format(text="Trẻ cần người lớn trông chừng. " * 120), encoding="utf-8")
    assert poster_warnings(checked(tiny_site)) == [
        "content/vi/drowning/posters.md:14:1: warning: poster section 'Đậy kín nguồn nước' too long: even at 24 pt "
        "its text does not fit on one A3 poster (shorten it, or split it into two sections)"]
    assert measured.calls == 3  # the edited section alone
    forget()
    poster.write_text(POSTER.format(text="Đậy giếng."), encoding="utf-8")
    assert poster_warnings(checked(tiny_site)) == [] and measured.calls == 4


def test_a_key_message_is_measured_again_when_the_font_changes(tmp_path: Path) -> None:
    fonts = {}
    for name, font in (("bold", fit.BOLD), ("regular", fit.REGULAR)):
        root = fonts[name] = tmp_path / name
        (root / fit.BOLD).parent.mkdir(parents=True)
        shutil.copyfile(REPO / font, root / fit.BOLD)  # the regular font where the bold one is looked for
    # a message whose fit on a poster differs between the two fonts (one long word: breaks follow the widths)
    text = next(text for n in range(1, 200) if fit._message_fit(fonts["bold"], text := "Trẻởgầnnước" * n)
                != fit._message_fit(fonts["regular"], text))
    root = tmp_path / "project"
    shutil.copytree(fonts["bold"], root)
    before = fit.message_fit(root, text)
    assert before == fit._message_fit(fonts["bold"], text)
    shutil.copyfile(REPO / fit.REGULAR, root / fit.BOLD)  # the font file changes, the text does not
    assert fit.message_fit(root, text) == fit._message_fit(fonts["regular"], text) != before


def test_a_damaged_kept_result_is_worked_out_again(tiny_site: Path) -> None:
    path = tiny_site / "campaigns/safe-summer.yml"
    long = "Luôn có người lớn trông chừng trẻ khi ở gần nước. " * 8
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Luôn có người lớn trông chừng trẻ khi ở gần nước.", long.strip()), encoding="utf-8")
    expected = poster_warnings(checked(tiny_site))
    assert len(expected) == 1
    saved = tiny_site / ".loa-cache/parsed.json"
    data = read_parse_cache(saved)
    assert data["results"]
    data["results"] = dict.fromkeys(data["results"])  # no value kept is of its kind
    write_parse_cache(saved, data)
    forget()
    assert poster_warnings(checked(tiny_site)) == expected  # worked out again, not taken as it was


def test_word_counts_stay_in_the_parse_cache_when_one_process_checks_again(tiny_site: Path) -> None:
    # `serve` checks again in the same process: the reading times it finds in memory must still be saved
    # with the parses, or the next `build` counts every page's words again
    checked(tiny_site)
    edited = tiny_site / "content/vi/drowning/checklist.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n- Một việc nữa.\n", encoding="utf-8")
    result = checked(tiny_site)  # one file parsed again, the rest kept in memory: the parse cache is saved again
    saved = read_parse_cache(tiny_site / ".loa-cache/parsed.json")["results"]
    bodies = {t.body for d in result.site.documents.values() if d.kind == "material" for t in d.translations.values()}
    assert bodies and all(KEPT.key("words", [body]) in saved for body in bodies)


def test_a_calendar_is_drawn_again_only_when_what_it_shows_changes(tiny_site: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = Count(monkeypatch, channels, "_draw")

    def calendar(result: BuildResult) -> tuple[bytes, str]:
        """The campaign's calendar in vi, and the line of its page that gives its size."""
        plan = result.plan.languages[0]
        campaign = result.site.campaigns[0]
        data = channels.calendar(result.site, plan.language, [campaign], campaign.title.get(plan.language.chain))
        page = next(page for page in plan.pages if page.src_uri == "campaigns/safe-summer.md")
        return data, next(block for block in page.blocks if "safe-summer.ics" in block)

    first, line = calendar(checked(tiny_site))
    made = drawn.calls
    assert made > 0 and b"SUMMARY:Ng\xc3\xa0y Th\xe1\xba\xbf gi\xe1\xbb\x9bi" in first
    forget()
    assert calendar(checked(tiny_site)) == (first, line) and drawn.calls == made  # from `.loa-cache/parsed.json`
    forget()
    path = tiny_site / "campaigns/safe-summer.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Ngày Thế giới phòng, chống đuối nước", "Ngày hội bơi an toàn của cả xã, có thầy cô và cha mẹ"),
        encoding="utf-8")
    second, new_line = calendar(checked(tiny_site))
    assert drawn.calls > made and b"Ng\xc3\xa0y h\xe1\xbb\x99i b\xc6\xa1i" in second.replace(b"\r\n ", b"")
    assert second != first and new_line != line and str(len(second)) in new_line.replace("\u202f", "")


def test_related_materials_are_those_of_a_whole_scan() -> None:
    """`related` looks only at the groups of other audiences: it finds what scanning every material found."""
    result = check(Options(root=REPO, out=REPO / "site", today=dt.date(2026, 12, 1)))

    def scanned(ctx: Context, document: Document, limit: int = 6) -> list[Document]:  # before the groups
        here = document.best(ctx.chain)
        topic: dict[str, Document] = {}
        for topic_id in here.topics:
            for other in (d for d in ctx.site.documents.values()
                          if d.kind == "material" and topic_id in d.best(ctx.chain).topics):
                if other.id != document.id and set(other.best(ctx.chain).audiences) - set(here.audiences):
                    topic.setdefault(other.id, other)
        found = dict(list(topic.items())[:limit // 2])
        for campaign in ctx.campaigns_using.get(document.id, ()):
            for material in campaign.materials:
                if material != document.id and material in ctx.site.documents:
                    found.setdefault(material, ctx.site.documents[material])
        return list(found.values())[:limit]

    compared = 0
    for plan in result.plan.languages:
        ctx = Context(result.site, plan.language, plan.ui, result.site.campaigns, TODAY)
        for document in result.site.documents.values():
            if document.kind == "material":
                for limit in (0, 2, 6, 20):
                    assert cards.related(ctx, document, limit) == scanned(ctx, document, limit), document.id
                    compared += 1
    assert compared > 100


def test_what_a_process_keeps_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` runs for days: past the limit, what was kept is dropped (and made again when asked for)."""
    monkeypatch.setattr(results, "LIMIT", 3)
    kept = results.Kept()
    for n in range(10):
        assert kept.get("test", [str(n)], lambda n=n: n, int, int) == n
        assert len(kept.values) <= 3 and len(kept.used) <= 3
    assert kept.get("test", ["9"], lambda: -1, int, int) == 9  # the last one made is kept
    assert kept.get("test", ["0"], lambda: -1, int, int) == -1  # the first one was dropped: made again


def test_the_offline_copy_rewrites_only_the_edited_pages_and_comes_out_as_a_clean_build(
        tiny_site: Path, build_site: BuildSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from loa import outputs

    monkeypatch.setattr(outputs, "REGISTRY", [o for o in outputs.REGISTRY if o.name != "print"])  # not needed here
    rewritten = Count(monkeypatch, offline_output, "rewrite")
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    first = rewritten.calls
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8") + "\nMột câu mới cho bản ngoại tuyến.\n", encoding="utf-8")
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert 0 < rewritten.calls - first < first / 2  # the edited page, and the pages that show or list its text
    clean = tmp_path / "clean"
    build_site(tiny_site, out=clean)  # no cache: every page rewritten
    for lang in ("vi", "en"):
        name = next(path.relative_to(clean) for path in (clean / lang).glob("*.zip"))
        assert (tiny_site / "site" / name).read_bytes() == (clean / name).read_bytes()
    with zipfile.ZipFile(next((tiny_site / "site/vi").glob("*.zip"))) as archive:
        assert any("Một câu mới cho bản ngoại tuyến." in archive.read(entry).decode("utf-8")
                   for entry in archive.namelist() if entry.endswith("ten-actions/index.html"))


def test_search_reads_only_the_pages_that_changed_and_indexes_as_a_clean_build(
        tiny_site: Path, build_site: BuildSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from loa import outputs
    from loa.cache import filememo
    from loa.outputs import search

    monkeypatch.setattr(outputs, "REGISTRY", [o for o in outputs.REGISTRY if o.name != "print"])  # not needed here
    monkeypatch.setattr(filememo, "SETTLE_NS", 0)  # the pages were written a moment ago
    read = Count(monkeypatch, search, "_body_digest")
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    first = read.calls
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8") + "\nMột câu mới để tìm: chuồnchuồn.\n",
                        encoding="utf-8")
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert 0 < read.calls - first < first / 4  # the edited page (twice: its digest, then what is written)
    kept = tiny_site / ".loa-cache/search/vi"
    assert "chuồnchuồn" in (kept / "drowning/ten-actions/index.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    build_site(tiny_site, out=clean)  # no cache: every document written again
    for lang in ("vi", "en"):
        ours, theirs = tiny_site / "site" / lang / "pagefind", clean / lang / "pagefind"
        assert sorted(p.relative_to(ours) for p in ours.rglob("*")) == sorted(p.relative_to(theirs)
                                                                              for p in theirs.rglob("*"))
        assert (ours / "pagefind-entry.json").read_bytes() == (theirs / "pagefind-entry.json").read_bytes()


def test_the_kept_documents_of_pages_gone_are_taken_away_and_after_a_run_that_did_not_end_too(
        tiny_site: Path, build_site: BuildSite, monkeypatch: pytest.MonkeyPatch) -> None:
    from loa import outputs

    monkeypatch.setattr(outputs, "REGISTRY", [o for o in outputs.REGISTRY if o.name != "print"])
    extra = tiny_site / "content/vi/drowning/extra.md"
    extra.write_text("---\ntitle: Thêm\ntype: guide\ntopics: [drowning-prevention]\naudiences: [families]\n---\n\n"
                     "Một trang sẽ bỏ đi: bỏđibỏđi.\n", encoding="utf-8")
    cache = tiny_site / ".loa-cache"
    build_site(tiny_site, cache_dir=cache)
    kept, manifest = cache / "search/vi", cache / "search/.vi.json"
    assert (kept / "drowning/extra/index.html").is_file() and "drowning/extra/index.html" in manifest.read_text()
    walked = []
    rglob = Path.rglob
    monkeypatch.setattr(Path, "rglob", lambda self, pattern: walked.append(self) or rglob(self, pattern))
    extra.unlink()
    build_site(tiny_site, cache_dir=cache)
    assert not (kept / "drowning/extra/index.html").exists()
    assert kept not in walked  # found by the manifest
    assert "drowning/extra/index.html" not in manifest.read_text()
    # A run that did not end leaves no manifest: the next one walks the folder.
    stray = kept / "drowning/stray/index.html"
    stray.parent.mkdir(parents=True)
    stray.write_text('<html lang="vi"><body><main data-pagefind-body>bỏđibỏđi</main></body></html>', encoding="utf-8")
    manifest.unlink()
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8") + "\nMột câu nữa.\n", encoding="utf-8")
    build_site(tiny_site, cache_dir=cache)
    assert kept in walked and not stray.exists() and manifest.is_file()
    assert (kept / "drowning/ten-actions/index.html").is_file()


def test_a_file_is_known_by_its_identity_and_read_again_when_it_changes(tmp_path: Path) -> None:
    import os

    from loa.cache.filememo import FileMemo

    page, kept = tmp_path / "page.html", tmp_path / "memo.json"
    long_ago = 1_700_000_000_000_000_000
    reads: list[str] = []

    def make(path: Path) -> str:
        reads.append(path.read_text(encoding="utf-8"))
        return reads[-1]

    def get(path: Path) -> str:
        memo = FileMemo(kept)
        value = memo.get(path, make)
        memo.save()
        return value

    page.write_text("mot", encoding="utf-8")
    os.utime(page, ns=(long_ago, long_ago))
    assert get(page) == "mot" and len(reads) == 1
    assert get(page) == "mot" and len(reads) == 1  # known: not read
    moved = tmp_path / "moved.html"
    os.link(page, moved)  # a page taken over: the same file, at the site's path
    page.unlink()
    assert get(moved) == "mot" and len(reads) == 1
    moved.write_text("hai", encoding="utf-8")  # rewritten in place, the same size: a new time
    assert get(moved) == "hai" and len(reads) == 2
    moved.write_text("ba!", encoding="utf-8")  # again, within the file system clock's tick, maybe
    assert get(moved) == "ba!" and len(reads) == 3  # too recent to be known by its time: not kept ...
    assert get(moved) == "ba!" and len(reads) == 4  # ... so read again


def test_the_print_keys_read_only_the_pages_that_changed_and_are_those_of_a_clean_build(
        tiny_site: Path, build_site: BuildSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from loa.cache import filememo
    from loa.outputs import print as print_output

    monkeypatch.setattr(filememo, "SETTLE_NS", 0)  # the pages were written a moment ago
    read = Count(monkeypatch, print_output, "_read_page")
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    every = read.calls
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert every > 0 and read.calls == every  # nothing changed: no page read again
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8").replace("Trẻ cần", "Mọi trẻ cần"), encoding="utf-8")
    edited = build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert read.calls - every == 1  # the edited material's page
    assert edited.outputs["print/vi"].summary.endswith("(1 made)")
    clean = build_site(tiny_site, out=tmp_path / "clean")  # no cache: every page read, each page's plan digested here
    assert {name: made.digest for name, made in edited.outputs.items() if name.startswith("print/")} \
        == {name: made.digest for name, made in clean.outputs.items() if name.startswith("print/")}


def test_the_service_worker_hashes_only_the_files_that_changed_and_its_version_follows_them(
        tiny_site: Path, build_site: BuildSite, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from loa import outputs
    from loa.cache import filememo
    from loa.outputs import serviceworker

    def version() -> str:
        found = re.search(r'VERSION = "([^"]+)"', (tiny_site / "site/sw.js").read_text(encoding="utf-8"))
        assert found is not None
        return found.group(1)

    monkeypatch.setattr(outputs, "REGISTRY", [o for o in outputs.REGISTRY if o.name != "print"])  # not needed here
    monkeypatch.setattr(filememo, "SETTLE_NS", 0)  # the pages were written a moment ago
    hashed = Count(monkeypatch, serviceworker, "_sha256")
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    first, every = version(), hashed.calls
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert version() == first and hashed.calls == every  # nothing changed: nothing hashed again
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8").replace("Trẻ cần", "Mọi trẻ cần"), encoding="utf-8")
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    assert version() != first
    assert 0 < hashed.calls - every < every / 4  # the edited page and the pages that list or show it


def test_the_glyph_check_reads_a_file_again_only_when_it_changed(tiny_site: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from loa.check import glyphs

    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8").replace("Trẻ cần", "Trẻ \N{TELEPHONE SIGN} cần", 1),
                        encoding="utf-8")
    read = Count(monkeypatch, glyphs, "_check_file")

    def lacking(result: BuildResult) -> list[str]:
        return [str(w.position) for w in result.warnings if "print font" in w.message]

    first = lacking(checked(tiny_site))
    assert first and first[0].startswith("content/vi/drowning/ten-actions.md:") and read.calls > 3
    every = read.calls
    forget()
    assert lacking(checked(tiny_site)) == first and read.calls == every  # from `.loa-cache/parsed.json`
    forget()
    material.write_text(material.read_text(encoding="utf-8").replace("\N{TELEPHONE SIGN} ", ""), encoding="utf-8")
    assert lacking(checked(tiny_site)) == [] and read.calls == every + 1  # the edited file alone


def test_what_the_languages_planned_apart_kept_is_saved_with_the_parses(tiny_site: Path, build_site: BuildSite,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # With workers, the languages after the first are planned in a forked process: the results their plans
    # kept (word counts, calendars) come back with them and are saved, or the next build makes them again.
    here: list[str] = []
    plan_language = site_plan.plan_language
    monkeypatch.setattr(site_plan, "plan_language", lambda site, language, *rest: here.append(language.code)
                        or plan_language(site, language, *rest))
    # as on the command line, the build alone in its process (earlier tests may leave threads of `serve`'s)
    monkeypatch.setattr(processes.threading, "active_count", lambda: 1)
    result = build_site(tiny_site, jobs=2, cache_dir=tiny_site / ".loa-cache")
    assert here == ["vi"] and [plan.lang for plan in result.plan.languages] == ["vi", "en"]  # en: planned apart
    forget()
    drawn = Count(monkeypatch, channels, "_draw")
    words = Count(monkeypatch, site_plan.pages, "count_words")
    again = checked(tiny_site)  # a new process's check and plan: every kept result is read from the parse cache
    assert [plan.lang for plan in again.plan.languages] == ["vi", "en"]
    assert drawn.calls == 0 and words.calls == 0
    assert again.plan == result.plan


def test_only_an_edited_front_matter_is_made_into_nodes_and_validated_again(tiny_site: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from loa.cache.keys import code_fingerprint
    from loa.check import front
    from loa.load.parsecache import LoadCache
    from loa.load.source import MarkdownSource, Node

    first = checked(tiny_site)
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8").replace("title: ", "title: Mới ", 1), encoding="utf-8")
    forget()
    validated = Count(monkeypatch, front, "_front")
    cache = LoadCache.of_folder(tiny_site / ".loa-cache", code_fingerprint())
    assert cache is not None
    again = check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY), cache=cache)
    assert validated.calls == 1  # the edited file: every other front matter is kept
    made = [path.name for path, (_stamp, source, _problems) in cache.entries.items()
            if isinstance(source, MarkdownSource) and isinstance(source._meta, Node)]
    assert made == ["ten-actions.md"]  # the others' saved front matter was never made into Nodes
    fresh = check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY))  # no cache at all
    assert again.site.documents == fresh.site.documents != first.site.documents
    assert [str(w) for w in again.warnings] == [str(w) for w in fresh.warnings]
