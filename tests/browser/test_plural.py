"""The count of search results in the page language's plural form (CLDR, loa/i18n/strings.py), picked in the browser."""

from __future__ import annotations

import re
from typing import Any

import pytest


@pytest.mark.parametrize(("lang", "query", "said"), [
    ("en", "caretaker", r"1 page found"),  # a word of one page only (rights/story-the-class-council)
    ("en", "drowning", r"([2-9]|\d\d+) pages found"),
    ("vi", "đuối nước", r"Tìm thấy \d+ trang"),  # one form in Vietnamese
])
def test_search_count_takes_the_plural_form(browser: Any, base_url: str, lang: str, query: str, said: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{base_url}{lang}/")
        page.fill("#loa-search-input", query)
        status = page.query_selector(".loa-search__status")
        page.wait_for_function("(n) => n.textContent.trim() && !n.textContent.endsWith('…')", arg=status,
                               timeout=15_000)
        assert re.fullmatch(said, status.text_content().strip()), status.text_content()
    finally:
        context.close()
