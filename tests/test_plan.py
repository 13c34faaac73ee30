"""The planner and small pure helpers: no MkDocs involved."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, TODAY
from loa.i18n.strings import resolve
from loa.model import Campaign, LocalText
from loa.pipeline import Options, check
from loa.plan.site import SitePlan, url_of
from loa.render.view import page_view, relative
from loa.slugs import slugify


@pytest.mark.parametrize(("text", "slug"), [
    ("Đuối nước", "duoi-nuoc"),
    ("Phòng, chống đuối nước cho trẻ em", "phong-chong-duoi-nuoc-cho-tre-em"),
    ("Tổng đài 111", "tong-dai-111"),
    ("Kev nyab xeeb", "kev-nyab-xeeb"),
    ("  What is *grooming*?  ", "what-is-grooming"),
])
def test_slugify_folds_vietnamese(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_ui_strings_follow_the_language_chain() -> None:
    strings = {"en": {"a": "A", "b": "B", "c": "C"}, "vi": {"a": "Á", "b": "Bê"}, "hmn": {"a": "Ab"}}
    ui = resolve(strings, ("hmn", "vi"))
    assert (ui("a"), ui("b"), ui("c"), ui("missing")) == ("Ab", "Bê", "C", "missing")
    assert ui.html("a") == "Ab"
    assert ui.html("b") == '<span lang="vi">Bê</span>'


@pytest.mark.parametrize(("uri", "url"), [
    ("index.md", "/vi/"), ("drowning/a.md", "/vi/drowning/a/"), ("topics/index.md", "/vi/topics/")])
def test_url_of(uri: str, url: str) -> None:
    assert url_of("vi", uri) == url


@pytest.mark.parametrize(("here", "there", "link"), [
    ("/vi/drowning/a/", "/en/drowning/a/", "../../../en/drowning/a/"),
    ("/vi/", "/vi/", "./"),
    ("/vi/", "/vi/topics/", "topics/"),
])
def test_relative_links(here: str, there: str, link: str) -> None:
    assert relative(here, there) == link


def plan_of(root: Path, today: dt.date = TODAY) -> SitePlan:
    return check(Options(root=root, out=root / "site", today=today)).plan


def test_plan_lists_translations_fallbacks_and_generated_pages(tiny_site: Path) -> None:
    english = plan_of(tiny_site).languages[1]
    kinds = {page.src_uri: page.kind for page in english.pages}
    assert kinds == {
        "audiences/families.md": "generated", "audiences/index.md": "generated",
        "campaigns/index.md": "generated", "campaigns/safe-summer.md": "generated",
        "campaigns/safe-summer/toolkit.md": "generated", "drowning/checklist.md": "fallback",
        "drowning/ten-actions.md": "translation",
        "index.md": "generated", "search.md": "generated", "topics/drowning-prevention.md": "generated",
        "topics/index.md": "generated",
    }
    fallback = next(p for p in english.pages if p.src_uri == "drowning/checklist.md")
    assert (fallback.content_lang, fallback.original_url) == ("vi", "/vi/drowning/checklist/")
    assert [(a.lang, a.real) for a in fallback.alternates] == [("vi", True), ("en", False)]


def test_navigation_does_not_grow_with_the_site(tiny_site: Path) -> None:
    plan = plan_of(tiny_site).languages[0]
    assert [item.src_uri for item in plan.nav] == ["index.md", "campaigns/index.md", "topics/index.md",
                                                   "audiences/index.md"]


def test_shared_navigation_key(tiny_site: Path) -> None:
    # pages whose navigation links are the same share its markup; a page in the navigation has its own
    plan = plan_of(tiny_site).languages[0]
    key = {page.src_uri: page_view(plan, page).nav_key for page in plan.pages}
    assert key["drowning/ten-actions.md"] == key["drowning/checklist.md"] != ""
    # same depth, but their own section is one level up: ../ instead of ../../topics/
    assert key["topics/drowning-prevention.md"] not in ("", key["drowning/ten-actions.md"])
    assert key["campaigns/safe-summer.md"] not in ("", key["drowning/ten-actions.md"],
                                               key["topics/drowning-prevention.md"])
    assert key["index.md"] == key["campaigns/index.md"] == "" == page_view(plan, None).nav_key


def test_planning_imports_nothing_from_mkdocs() -> None:
    # loa.pipeline imports the render adapter; every module before it in the pipeline must stay pure
    pure = ("import sys, loa.plan.site, loa.check.validate, loa.load.project, loa.render.view, loa.plan.pages; "
            "print([m for m in sys.modules if m.startswith(('mkdocs', 'material'))])")
    result = subprocess.run([sys.executable, "-c", pure], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("here", "there"), [
    ("index.md", "campaigns/a.md"), ("campaigns/a.md", "drowning/b.md"), ("campaigns/a.md", "campaigns/b.md"),
    ("a/b/c.md", "a/d.md"), ("a/b/c.md", "index.md"), ("topics/x.md", "images/y.svg")])
def test_markdown_links_match_relpath(here: str, there: str) -> None:
    import posixpath

    from loa.plan.pages import link
    assert link(here, there) == posixpath.relpath(there, posixpath.dirname(here) or ".")


@pytest.mark.parametrize(("page", "target"), [
    ("audiences/families.md", "drowning/ten-actions.md"), ("index.md", "campaigns/c-1.md"),
    ("campaigns/index.md", "campaigns/c-1.md"), ("campaigns/c-1.md", "index.md"),
    ("topics/index.md", "topics/drowning.md"), ("s00/m-0001.md", "s01/m-0051.md"),
    ("campaigns/index.md", "campaigns/index.md")])
def test_list_links_are_mkdocs_urls(page: str, target: str) -> None:
    from mkdocs.structure.files import File

    from loa.plan.pages import url_link

    def file(uri: str) -> File:
        return File(uri, "/docs", "/site", use_directory_urls=True)
    assert url_link(page, target) == file(target).url_relative_to(file(page))


@pytest.mark.parametrize("text", ["A & B", "<b>bold</b>", "*not emphasis*", "snake_case_name", "[x](y.md)",
                                  "back\\slash", "`code`", "Đuối nước · 6–11 tuổi", "x  y", "<!-- c -->"])
def test_list_html_is_what_markdown_makes_of_the_list(text: str) -> None:
    import markdown

    from loa.plan.pages import escape, html_text
    # what Loa's lists were as Markdown, and the HTML that Loa now writes for them (loa/plan/pages.py);
    # Markdown also read a summary that starts with "1. " or "# " as a list or a heading: no longer
    source = f"- [{escape(text)}](../../s00/m-0001/) · {escape(text)}  \n{escape(text)}\n- [b](./) · c"
    written = (f'<ul>\n<li><a href="../../s00/m-0001/">{html_text(text)}</a> · {html_text(text)}<br />\n'
               f'{html_text(text)}</li>\n<li><a href="./">b</a> · c</li>\n</ul>')
    assert markdown.markdown(source, extensions=["attr_list", "md_in_html", "tables", "admonition"]) == written


@pytest.mark.parametrize(("status", "start", "end", "phase"), [
    ("archived", dt.date(2027, 5, 15), dt.date(2027, 8, 31), "ended"),  # start in the future: still ended
    ("archived", dt.date(2026, 5, 15), dt.date(2027, 8, 31), "ended"),
    ("archived", dt.date(2025, 5, 15), dt.date(2025, 8, 31), "ended"),
    ("published", dt.date(2027, 5, 15), dt.date(2027, 8, 31), "upcoming"),
    ("published", dt.date(2026, 5, 15), dt.date(2027, 8, 31), "running"),
    ("published", dt.date(2025, 5, 15), dt.date(2025, 8, 31), "ended"),
])
def test_campaign_phase_archived_is_always_ended(status: str, start: dt.date, end: dt.date, phase: str) -> None:
    text = LocalText({"vi": "x"})
    campaign = Campaign("c", text, text, status, start, end, (), ())  # type: ignore[arg-type]
    assert campaign.phase(TODAY) == phase
