"""The toolkit page's copy and share buttons (theme/assets/javascripts/loa-toolkit.js), operated with the
keyboard alone in real Chromium: the Clipboard API, its select-the-text fallback, and the Web Share API
where the browser has one (the test replaces it by one that records its call: a share sheet would wait
for a person)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from . import csp

PAGE = "vi/campaigns/safe-summer-2027/toolkit/"
RECORD_SHARE = "navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };"
NO_CLIPBOARD = "Object.defineProperty(navigator, 'clipboard', { value: undefined });"


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    csp.watch(context)
    yield context
    context.close()


def tab_to(page: Any, selector: str, limit: int = 200) -> None:
    """Press Tab until the element `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus with Tab")


def post_text(page: Any) -> str:
    return str(page.evaluate("() => document.getElementById('loa-post-1').innerText"))


def test_copy_with_the_keyboard(context: Any, base_url: str) -> None:
    origin = base_url.rstrip("/")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    page.goto(base_url + PAGE)
    assert page.is_visible("[data-loa-copy='loa-post-1']")
    # offered only where the browser has the Web Share API
    assert page.is_visible("[data-loa-share='loa-post-1']") == page.evaluate("typeof navigator.share === 'function'")
    tab_to(page, "[data-loa-copy='loa-post-1']")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.loa-post__status').textContent !== ''")
    assert page.text_content(".loa-post__status") == "Đã sao chép."
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == post_text(page) and copied.split("\n")[-1].endswith("/vi/campaigns/safe-summer-2027/")
    assert not csp.problems(page, PAGE)


def test_without_the_clipboard_api_the_text_is_selected(context: Any, base_url: str) -> None:
    context.add_init_script(NO_CLIPBOARD)
    page = context.new_page()
    page.goto(base_url + PAGE)
    tab_to(page, "[data-loa-copy='loa-post-2']")
    page.keyboard.press("Space")
    selected = page.evaluate("() => window.getSelection().toString()")
    assert selected.strip() == str(page.evaluate("() => document.getElementById('loa-post-2').innerText")).strip()


def test_share_with_the_keyboard_where_the_browser_can(context: Any, base_url: str) -> None:
    context.add_init_script(RECORD_SHARE)
    page = context.new_page()
    page.goto(base_url + PAGE)
    tab_to(page, "[data-loa-share='loa-post-1']")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__shared !== undefined")
    assert page.evaluate("() => window.__shared") == {"text": post_text(page)}
