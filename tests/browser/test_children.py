"""A page for children (`audiences: [children]`), issue #16: pictures first, larger type, short lines.

The first picture of the body is shown above the title by CSS alone (theme/assets/stylesheets/loa.css): the
HTML keeps the title first, the order a screen reader follows."""

from __future__ import annotations

from typing import Any

import pytest

PAGES = [
    "en/online-safety/cyberbullying/",
    "vi/drowning/story-lan-and-the-pond/",
    "hmn/drowning/story-lan-and-the-pond/",  # a fallback copy: its body in a <div lang="vi">
]


@pytest.mark.parametrize("path", PAGES)
def test_a_childrens_page_shows_its_first_picture_above_the_title(phone: Any, base_url: str, path: str) -> None:
    phone.goto(f"{base_url}{path}")
    picture, title = phone.locator(".loa-for-children p > img").first, phone.locator(".loa-for-children h1")
    below_crumbs = phone.locator(".loa-crumbs").bounding_box()["y"] < picture.bounding_box()["y"]
    above_title = picture.bounding_box()["y"] + picture.bounding_box()["height"] <= title.bounding_box()["y"]
    assert below_crumbs and above_title
    # as wide as the column on a phone (the drawing is 120 px wide)
    column = phone.locator("article").evaluate("n => n.clientWidth - parseFloat(getComputedStyle(n).paddingLeft)"
                                               " - parseFloat(getComputedStyle(n).paddingRight)")
    assert picture.bounding_box()["width"] >= column - 1
    # the HTML keeps the title first: what a screen reader reads, and the search index and print files use
    assert title.evaluate("(h, img) => !!(h.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING)",
                          picture.element_handle())
    # larger type than a page for adults
    assert float(phone.locator(".loa-for-children p").last.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")) \
        > 16


def test_a_page_for_adults_keeps_its_picture_in_the_text(phone: Any, base_url: str) -> None:
    phone.goto(f"{base_url}en/online-safety/first-phone/")  # for families
    picture, title = phone.locator("article p > img").first, phone.locator("article h1")
    assert picture.bounding_box()["y"] > title.bounding_box()["y"]
