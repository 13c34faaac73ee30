"""The header and the hotline bar on a phone (issue #16): the site's name in full, search behind a labelled
button that opens the field, the hotline bar on one line at 360 px."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import PHONE


@pytest.mark.parametrize("lang", ["vi", "en", "hmn"])
def test_the_site_name_is_shown_in_full_at_360_px(phone: Any, base_url: str, lang: str) -> None:
    phone.goto(f"{base_url}{lang}/")
    name = phone.locator(".md-header__topic:first-child .md-ellipsis")
    assert name.is_visible()
    # cut text (Material's "An t…") overflows its box (a pixel is sub-pixel rounding)
    assert name.evaluate("n => n.scrollWidth <= n.clientWidth + 1 && n.scrollHeight <= n.clientHeight + 1")


@pytest.mark.parametrize("lang", ["vi", "en", "hmn"])
def test_the_hotline_bar_is_one_line_at_360_px(phone: Any, base_url: str, lang: str) -> None:
    phone.goto(f"{base_url}{lang}/")
    bar = phone.locator(".loa-hotline")
    # the call button is taller than a line of text: two lines would be at least two line heights
    assert bar.evaluate("n => n.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(n).lineHeight)")
    assert phone.locator(".loa-hotline a.loa-tel").is_visible()


def test_search_opens_from_a_labelled_button_at_360_px(phone: Any, base_url: str) -> None:
    phone.goto(f"{base_url}vi/")
    field = phone.locator("#loa-search-input")
    assert not field.is_visible()
    button = phone.locator(".loa-search__open")
    assert button.get_attribute("role") == "button"
    assert button.inner_text().strip() == "Tìm"  # its name, visually hidden beside the icon
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert field.is_visible()
    assert phone.evaluate("document.activeElement.id") == "loa-search-input"
    assert button.get_attribute("aria-expanded") == "true"
    phone.keyboard.type("111")
    phone.wait_for_function("() => /\\d/.test(document.querySelector('.loa-search__status').textContent)",
                            timeout=15_000)
    assert phone.locator(".loa-search__results li").count() > 0
    phone.keyboard.press("Escape")
    assert not field.is_visible()
    assert button.get_attribute("aria-expanded") == "false"


def test_at_1280_px_the_field_is_in_the_header(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{base_url}vi/")
    assert page.locator("#loa-search-input").is_visible()
    assert not page.locator(".loa-search__open").is_visible()
    context.close()


def test_without_javascript_the_button_opens_the_search_page(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}vi/")
    page.click(".loa-search__open")
    page.wait_for_url("**/vi/search/")
    context.close()
