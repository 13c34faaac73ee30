"""Search as a reader uses it: Loa's search box and Pagefind's own search, in real Chromium.

The table says, per language, what a query must find (a page among the first results) and what
it must not (a page that is only a fallback copy in that language).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from loa.outputs.search import index_document
from loa.plan.site import DocumentFacts, PlannedPage

from . import csp

TOP = 5

QUERIES = [
    # language, query, a page that must be among the first results
    ("vi", "đuối nước", "/vi/drowning/ten-actions/"),
    ("vi", "duoi nuoc", "/vi/drowning/ten-actions/"),   # no diacritics at all, đ typed as d
    ("vi", "Duoi Nuoc", "/vi/drowning/ten-actions/"),   # and capitals
    ("vi", "luat tre em", "/vi/rights/law-on-children-2016/"),
    ("vi", "tổng đài 111", "/vi/hotline/"),
    ("vi", "tong dai 111", "/vi/hotline/"),
    ("vi", "111", "/vi/hotline/"),
    ("vi", "nổi để sống sót", "/vi/drowning/float-to-survive/"),  # a multi-word phrase
    ("vi", "noi de song sot", "/vi/drowning/float-to-survive/"),
    ("en", "float to survive", "/en/drowning/float-to-survive/"),
    ("en", "hotline 111", "/en/hotline/"),
    ("en", "grooming", "/en/online-safety/grooming-signs/"),
    ("hmn", "111", "/hmn/hotline/"),
]

ABSENT = [
    # language, query: words that only occur in pages that are fallback copies in that language
    ("hmn", "bể bơi"),
    ("hmn", "be boi"),
]


@pytest.fixture(scope="module")
def search_page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    csp.watch(context)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.requests = requests
    yield page
    context.close()


def results(page: Any, base_url: str, lang: str, query: str) -> list[str]:
    page.goto(f"{base_url}{lang}/")
    page.fill("#loa-search-input", query)
    page.wait_for_function("(n) => n.textContent.trim() && !n.textContent.endsWith('…')",
                           arg=page.query_selector(".loa-search__status"), timeout=15_000)
    # the results are shown as they come: the list says aria-busy until the last of them is in
    page.wait_for_function("() => !document.querySelector('.loa-search__results').hasAttribute('aria-busy')",
                           timeout=15_000)
    links = page.eval_on_selector_all(".loa-search__results a", "(as) => as.map(a => a.pathname)")
    return list(links)


@pytest.mark.parametrize(("lang", "query", "expected"), QUERIES)
def test_query_finds_the_page(search_page: Any, base_url: str, lang: str, query: str, expected: str) -> None:
    found = results(search_page, base_url, lang, query)
    assert expected in found[:TOP], f"{query!r} in {lang}: {found[:TOP]}"
    assert all(url.startswith(f"/{lang}/") for url in found), found


@pytest.mark.parametrize(("lang", "query"), ABSENT)
def test_fallback_pages_are_not_searched(search_page: Any, base_url: str, lang: str, query: str) -> None:
    assert results(search_page, base_url, lang, query) == []
    assert results(search_page, base_url, "vi", query)  # the word is there, in the original language


def test_search_loads_nothing_until_used(search_page: Any, base_url: str) -> None:
    search_page.requests.clear()
    search_page.goto(f"{base_url}vi/drowning/ten-actions/")
    search_page.wait_for_load_state("networkidle")
    assert not [r for r in search_page.requests if "/pagefind/" in r]
    search_page.focus("#loa-search-input")
    search_page.wait_for_function("performance.getEntriesByType('resource').some(e => /pagefind\\.js/.test(e.name))")
    fetched = [r for r in search_page.requests if "/pagefind/" in r]
    assert fetched and not [r for r in fetched if "fragment" in r]  # fragments only once a query runs


FETCHED = "(pattern) => performance.getEntriesByType('resource').some(e => new RegExp(pattern).test(e.name))"


def test_focus_loads_pagefind_before_the_first_key(search_page: Any, base_url: str) -> None:
    """Opening the field starts Pagefind's WebAssembly and metadata (they download while the reader types);
    a word of 1 or 2 letters fetches no index chunk until the reader pauses (a prefix's chunks are many)."""
    search_page.goto(f"{base_url}vi/drowning/ten-actions/")
    search_page.focus("#loa-search-input")
    search_page.wait_for_function(FETCHED, arg=r"/pagefind/wasm\.[a-z]+\.pagefind$", timeout=15_000)
    search_page.wait_for_function(FETCHED, arg=r"/pagefind/pagefind\.[a-z_0-9]+\.pf_meta$", timeout=15_000)
    assert not search_page.evaluate(FETCHED, r"\.pf_(index|fragment)")
    search_page.keyboard.type("d")
    search_page.wait_for_timeout(500)
    assert not search_page.evaluate(FETCHED, r"\.pf_index")
    search_page.keyboard.type("uoi nuoc")
    search_page.wait_for_function("() => document.querySelector('.loa-search__results').children.length",
                                  timeout=15_000)
    assert search_page.evaluate(FETCHED, r"\.pf_index")


def test_results_are_announced_in_the_page_language(search_page: Any, base_url: str) -> None:
    results(search_page, base_url, "en", "drowning")
    status = search_page.query_selector(".loa-search__status")
    assert status.get_attribute("role") == "status"
    assert "pages found" in status.text_content()
    results(search_page, base_url, "vi", "đuối nước")
    assert "Tìm thấy" in search_page.query_selector(".loa-search__status").text_content()


def test_search_breaks_no_csp(search_page: Any, base_url: str) -> None:
    """Pagefind (its script, WebAssembly, index fetches) and the results, within the page's policy."""
    assert results(search_page, base_url, "vi", "đuối nước")
    assert csp.problems(search_page, "vi/ (search open)") == []


def test_without_javascript_the_search_page_says_so(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}vi/")
    page.fill("#loa-search-input", "đuối nước")
    page.press("#loa-search-input", "Enter")
    page.wait_for_url("**/vi/search/?q=*")
    assert "Tìm kiếm cần JavaScript" in page.content()
    context.close()


def test_index_document_keeps_meta_out_of_the_text() -> None:
    page = PlannedPage("a.md", "/vi/a/", "translation", "Tiêu đề", "", "vi", "", (),
                       facts=DocumentFacts("Tờ thông tin", (("Gia đình", "vi", "audiences/families.md"),), "", None,
                                           (), (("Mùa hè, an toàn", "vi", "campaigns/x.md"),)))
    built = "<html><body><nav>menu</nav><!--loa:body--><h1>Tiêu đề</h1><p>Đuối nước</p><!--/loa:body--></body></html>"
    document = index_document("vi", page, built)
    assert document is not None
    assert "menu" not in document and '<html lang="vi">' in document
    assert '<span data-pagefind-meta="kind:Tờ thông tin · Gia đình"></span>' in document
    assert '<span data-pagefind-meta="campaign:Mùa hè · an toàn"></span>' in document
    assert "<p>Đuối nước</p>" in document
