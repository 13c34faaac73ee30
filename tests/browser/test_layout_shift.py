"""No layout shift (CLS 0) on a phone, issue #16: the browser keeps each picture's room before its file arrives
(`width` and `height`: loa/render/images.py for raster files, loa/render/svg.py for SVG), and the header is whole
and the same at its first paint (theme/partials/header.html, loa.css).

Pictures and scripts are held back a little (as a slow network does), so that Chromium paints the page before they
arrive: a shift that needs a slow network shows here too. Shifts are read with a PerformanceObserver, as
Lighthouse's CLS counts them (entries without recent input)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

PHONE = {"width": 360, "height": 740}
OBSERVE = """
window.__loaShifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__loaShifts.push({value: entry.value, sources: entry.sources.map(source => source.node
      ? source.node.nodeName + "." + (source.node.className || "") : "?")});
  }
}).observe({type: "layout-shift", buffered: true});
"""
HELD_BACK = 0.3
"""Seconds each picture and script waits before it is sent."""

PAGES = [
    "vi/",  # home: the running campaign's hero picture
    "vi/campaigns/safe-summer-2026/",  # a campaign: its wide picture
    "vi/online-safety/first-phone/",  # a material for families with a drawing in its text
    "vi/drowning/float-to-survive/",  # a page for children: its picture first, as wide as the column
    "en/drowning/story-lan-and-the-pond/",  # a page for children (a fallback language's picture)
    "vi/topics/drowning-prevention/",  # a topic hub
    "hmn/",
]


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(OBSERVE)

    def held_back(route: Any) -> None:
        time.sleep(HELD_BACK)
        route.continue_()
    context.route("**/*.svg", held_back)
    context.route("**/*.js", held_back)
    yield context
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_a_first_visit_at_360_px_does_not_shift(phone: Any, base_url: str, path: str) -> None:
    page = phone.new_page()
    try:
        page.goto(f"{base_url}{path}")
        page.wait_for_function("Array.from(document.images).every(image => image.complete)")
        page.wait_for_timeout(300)  # the observer's last entries
        shifts = page.evaluate("window.__loaShifts")
        assert sum(shift["value"] for shift in shifts) == 0, shifts
        # the pictures of the text have their room from the HTML
        for image in page.locator("article img").all():
            assert image.get_attribute("width") and image.get_attribute("height"), image.evaluate("n => n.outerHTML")
    finally:
        page.close()
