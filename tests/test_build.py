"""Real builds of a tiny site; assertions on the HTML that readers get."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import re
from pathlib import Path

import pytest

from conftest import BuildSite, write_tree
from loa.outputs.memo import forget_all


def read(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


def test_every_language_under_its_prefix_with_lang(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    for lang in ("vi", "en"):
        html = read(tiny_site, f"{lang}/drowning/ten-actions/index.html")
        assert f'<html lang="{lang}"' in html
    assert "Mười hành động phòng, chống đuối nước" in read(tiny_site, "vi/drowning/ten-actions/index.html")
    assert "Ten actions to prevent drowning" in read(tiny_site, "en/drowning/ten-actions/index.html")


def test_switcher_stays_on_the_same_page(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    html = read(tiny_site, "vi/drowning/ten-actions/index.html")
    switcher = html[html.index('class="md-select__list"'):]
    assert re.search(r'<a href="\.\./\.\./\.\./en/drowning/ten-actions/" hreflang="en" lang="en"', switcher)
    assert re.search(r'<a href="\./" hreflang="vi" lang="vi" class="md-select__link" aria-current="page"', switcher)


def test_switcher_marks_fallback_languages(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    html = read(tiny_site, "vi/drowning/checklist/index.html")
    english = re.search(r'hreflang="en" lang="en"[^>]*>\s*English(.*?)</a>', html, re.S)
    assert english and "not translated yet" not in english.group(1)  # the UI is Vietnamese
    assert "chưa được dịch" in english.group(1)


def test_fallback_page(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    html = read(tiny_site, "en/drowning/checklist/index.html")
    assert '<html lang="en"' in html
    assert "This page is not yet available in English" in html
    assert '<a href="../../../vi/drowning/checklist/" hreflang="vi">' in html
    assert '<link rel="canonical" href="https://example.org/vi/drowning/checklist/">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="alternate" hreflang' not in html
    wrapped = html[html.index('<div lang="vi">'):]
    assert "Đậy nắp giếng và chum vại." in wrapped
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert heading and "Danh sách kiểm tra an toàn trong nhà" in heading.group(1)
    assert html.index("<h1") > html.index('<div lang="vi">')


def test_fallback_left_out_of_search(tiny_site: Path, build_site: BuildSite) -> None:
    result = build_site(tiny_site)
    for plan in result.plan.languages:
        entry = json.loads(read(tiny_site, f"{plan.lang}/pagefind/pagefind-entry.json"))
        real = [p for p in plan.pages if not p.is_fallback]
        assert list(entry["languages"]) == [plan.lang]
        assert entry["languages"][plan.lang]["page_count"] == len(real)
    assert len(result.plan.languages[1].pages) - len(real) == 1  # en has one fallback page, not indexed
    assert not (tiny_site / "site/en/search/search_index.json").exists()  # no lunr index on page load


def test_real_page_claims_its_translations(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    html = read(tiny_site, "en/drowning/ten-actions/index.html")
    assert '<link rel="canonical" href="https://example.org/en/drowning/ten-actions/">' in html
    for lang, url in (("vi", "vi"), ("en", "en"), ("x-default", "vi")):
        link = f'<link rel="alternate" hreflang="{lang}" href="https://example.org/{url}/drowning/ten-actions/">'
        assert link in html
    assert "noindex" not in html


def test_sitemap_lists_real_pages_with_alternates(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    sitemap = read(tiny_site, "sitemap.xml")
    assert "<loc>https://example.org/en/drowning/ten-actions/</loc>" in sitemap
    assert "<loc>https://example.org/en/drowning/checklist/</loc>" not in sitemap  # a fallback
    entry = sitemap[sitemap.index("<loc>https://example.org/vi/drowning/checklist/</loc>"):].split("</url>")[0]
    assert 'hreflang="vi"' in entry and 'hreflang="x-default"' in entry and 'hreflang="en"' not in entry
    assert not (tiny_site / "site/vi/sitemap.xml").exists()
    assert read(tiny_site, "robots.txt") == "User-agent: *\nAllow: /\nSitemap: https://example.org/sitemap.xml\n"


def test_root_language_chooser(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    html = read(tiny_site, "index.html")
    assert '<a href="vi/" hreflang="vi" lang="vi">Tiếng Việt</a>' in html
    assert '<a href="en/" hreflang="en" lang="en">English</a>' in html
    assert '<link rel="alternate" hreflang="x-default" href="https://example.org/vi/">' in html
    # the redirect is a file, its languages attributes: the page's CSP allows no inline script
    assert '<script src="loa-root.js"></script>' in html and 'data-loa-codes="vi en"' in html
    script = read(tiny_site, "loa-root.js")
    assert 'localStorage.getItem("loa.lang")' in script and "navigator.languages" in script


@pytest.mark.parametrize(("today", "phase_vi", "banner"), [
    (dt.date(2026, 12, 1), "Sắp diễn ra", False),
    (dt.date(2027, 6, 1), "Đang diễn ra", True),
    (dt.date(2027, 9, 1), "Các chiến dịch đã qua", False),
])
def test_campaign_status_by_today(tiny_site: Path, build_site: BuildSite, today: dt.date, phase_vi: str,
                                  banner: bool) -> None:
    build_site(tiny_site, today=today)
    home = read(tiny_site, "vi/index.html")
    assert f">{phase_vi}<" in home
    assert ('<section class="loa-hero">' in home) is banner


def test_home_shows_the_running_campaign_the_hotline_then_cards(tiny_site: Path, build_site: BuildSite) -> None:
    """Issue #16: from the home page a parent finds the running campaign, what to do, and the hotline."""
    build_site(tiny_site, today=dt.date(2027, 6, 1))
    home = read(tiny_site, "vi/index.html")
    hero = home[home.index('<section class="loa-hero">'):home.index("</section>", home.index("loa-hero"))]
    assert 'href="../vi/campaigns/safe-summer/"' not in hero  # links are relative to the page
    assert 'href="campaigns/safe-summer/"' in hero and "md-button" in hero
    assert '<div class="loa-messages">' in hero and "<ol>" in hero
    assert home.index("loa-hero") < home.index('class="loa-call"') < home.index("loa-cards")
    assert 'class="loa-tel" href="tel:' in home[home.index('class="loa-call"'):]


def test_draft_campaign_only_with_drafts(tiny_site: Path, build_site: BuildSite) -> None:
    path = tiny_site / "campaigns/safe-summer.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: published", "status: draft"), encoding="utf-8")
    build_site(tiny_site)
    assert not (tiny_site / "site/vi/campaigns/safe-summer").exists()
    build_site(tiny_site, drafts=True)
    assert (tiny_site / "site/vi/campaigns/safe-summer/index.html").exists()


def test_campaign_page(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    html = read(tiny_site, "en/campaigns/safe-summer/index.html")
    assert "Always have an adult watching children near water." in html
    assert "May 15, 2027 – August 31, 2027" in html
    assert '<a href="../../drowning/ten-actions/">Ten actions to prevent drowning</a>' in html
    # the checklist has no English version: its title is Vietnamese and marked so
    assert '<span lang="vi">Danh sách kiểm tra an toàn trong nhà</span>' in html
    assert "July 25, 2027" in html and "World Drowning Prevention Day" in html


def test_hotline_on_every_page(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    pages = sorted((tiny_site / "site").glob("*/**/*.html"))
    assert len(pages) >= 18
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count('href="tel:111"') >= 1, page


def test_404_per_language(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    assert "Không tìm thấy trang" in read(tiny_site, "vi/404.html")
    assert "Page not found" in read(tiny_site, "en/404.html")
    assert '<html lang="en"' in read(tiny_site, "en/404.html")
    assert 'href="/en/"' in read(tiny_site, "en/404.html")


def test_vietnamese_heading_anchors_are_folded(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    assert 'id="duoi-nuoc-la-gi"' in read(tiny_site, "vi/drowning/ten-actions/index.html")


def test_no_request_to_another_host(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    for page in (tiny_site / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            assert url.startswith("https://example.org/"), (page, url)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_hmn_language_without_material_strings(tiny_site: Path, build_site: BuildSite) -> None:
    settings = tiny_site / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "      en: {name: English}\n",
        "      en: {name: English}\n      hmn: {name: Hmoob, fallback: [vi, en], partial: true}\n"),
        encoding="utf-8")
    build_site(tiny_site)
    html = read(tiny_site, "hmn/drowning/ten-actions/index.html")
    assert '<html lang="hmn"' in html
    assert '<div lang="vi">' in html
    # UI strings hmn lacks fall back to Vietnamese (its chain), not to English
    assert '<span lang="vi">Tổng đài bảo vệ trẻ em:</span>' in html  # from vi, marked as such
    assert "Hu 111" in html  # hmn has this string itself


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_byte_identical_rebuild(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    build_site(tiny_site, out=tmp_path / "one", jobs=2)
    forget_all()  # PDFs and images made again, not taken from what this process made (loa/outputs/memo.py)
    build_site(tiny_site, out=tmp_path / "two", jobs=1)
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_crlf_and_bom_are_accepted(tiny_site: Path, build_site: BuildSite) -> None:
    path = tiny_site / "content/vi/drowning/ten-actions.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace("\n", "\r\n").encode())
    build_site(tiny_site)
    assert "Mười hành động" in read(tiny_site, "vi/drowning/ten-actions/index.html")


def test_decomposed_unicode_is_normalised(tmp_path: Path, build_site: BuildSite) -> None:
    import unicodedata

    from conftest import TINY_SITE
    files = dict(TINY_SITE)
    path = "content/vi/drowning/ten-actions.md"
    files[path] = unicodedata.normalize("NFD", files[path])
    root = write_tree(tmp_path / "nfd", files)
    build_site(root)
    assert "Mười hành động" in read(root, "vi/drowning/ten-actions/index.html")


def test_broken_link_is_a_warning_with_its_file(tiny_site: Path, build_site: BuildSite) -> None:
    path = tiny_site / "content/en/drowning/ten-actions.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [the rules](rules.md).\n", encoding="utf-8")
    result = build_site(tiny_site)
    assert [str(w) for w in result.warnings if "rules.md" in w.message] == [
        "content/en/drowning/ten-actions.md:16:1: warning: Doc file 'drowning/ten-actions.md' contains a link "
        "'rules.md', but the target 'drowning/rules.md' is not found among documentation files."]


def test_sharded_rendering_gives_the_same_site(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    build_site(tiny_site, out=tmp_path / "whole", jobs=2)
    build_site(tiny_site, out=tmp_path / "sharded", jobs=2, shard_min_pages=1)
    whole, sharded = tree_digest(tmp_path / "whole"), tree_digest(tmp_path / "sharded")
    assert sorted(whole) == sorted(sharded)
    differing = [path for path in whole if whole[path] != sharded[path]]
    assert differing == [], differing


def test_markdown_cache_gives_the_same_site_and_warnings(tiny_site: Path, build_site: BuildSite,
                                                         tmp_path: Path) -> None:
    path = tiny_site / "content/en/drowning/ten-actions.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [the rules](rules.md).\n", encoding="utf-8")
    plain = build_site(tiny_site, out=tmp_path / "plain")
    cold = build_site(tiny_site, out=tmp_path / "cold", cache_dir=tmp_path / "cache", jobs=2)
    assert any((tmp_path / "cache").rglob("*.json"))
    warm = build_site(tiny_site, out=tmp_path / "warm", cache_dir=tmp_path / "cache", jobs=2)
    assert tree_digest(tmp_path / "plain") == tree_digest(tmp_path / "cold") == tree_digest(tmp_path / "warm")
    assert [str(w) for w in plain.warnings] == [str(w) for w in cold.warnings] == [str(w) for w in warm.warnings]
    assert any("rules.md" in w.message for w in warm.warnings)


def test_markdown_cache_sees_edits(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    path = tiny_site / "content/en/drowning/ten-actions.md"
    path.write_text(path.read_text(encoding="utf-8").replace("an adult watching", "a grown-up watching"),
                    encoding="utf-8")
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    assert "a grown-up watching" in read(tiny_site, "en/drowning/ten-actions/index.html")


def test_assets_follow_the_fallback_chain(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    assert (tiny_site / "site/vi/images/pool.svg").is_file() and (tiny_site / "site/en/images/pool.svg").is_file()
    assert '<img alt="Một người lớn ngồi cạnh hồ nước' in read(tiny_site, "vi/drowning/ten-actions/index.html")


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_output_but_search_is_given_the_whole_sites_plan(tiny_site: Path, build_site: BuildSite,
                                                               monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    # A build plans one language at a time (loa/pipeline.py::render_and_output): only search may start before
    # every language is planned. The print files of a language read the others' images through the plan: run with
    # part of it, a language's PDFs lost their images.
    from loa import outputs

    given: list[tuple[str, int]] = []
    run = outputs.Runner.run

    def recorded(self: outputs.Runner, output: outputs.Output, target: outputs.Target) -> outputs.Made:
        given.append((output.name, len(target.plan.languages)))
        return run(self, output, target)
    monkeypatch.setattr(outputs.Runner, "run", recorded)
    result = build_site(tiny_site, jobs=jobs)
    languages = len(result.plan.languages)
    assert languages >= 2 and {name for name, _count in given} >= {"print", "offline", "sitemap", "search"}
    assert [(name, count) for name, count in given if name not in outputs.APART and count != languages] == []


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="only forked workers inherit a plan")
def test_the_first_languages_plan_is_not_pickled_to_the_workers_that_were_forked_with_it(
        tiny_site: Path, build_site: BuildSite, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pickling a language's plan to a worker took 0.25 s at 1,200 pages, on the way to a rebuild's search index
    # (loa/processes.py::Rendering._start): the workers are forked with the first one.
    from loa.plan.site import LanguagePlan

    pickled: list[str] = []

    def reduced(self: LanguagePlan, protocol: int) -> object:
        pickled.append(self.lang)
        return object.__reduce_ex__(self, protocol)
    monkeypatch.setattr(LanguagePlan, "__reduce_ex__", reduced, raising=False)
    result = build_site(tiny_site, jobs=2)
    first, *others = [plan.lang for plan in result.plan.languages]
    assert first not in pickled and sorted(others) == sorted(set(pickled))  # the others are sent
