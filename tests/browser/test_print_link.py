"""A material page's print link says the size of its PDF, asked of the server (theme/assets/javascripts/loa.js)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any


def test_the_print_link_shows_format_and_size(browser: Any, base_url: str, built_site: Path) -> None:
    pdf = built_site / "vi/drowning/ten-actions/ten-actions.a4.pdf"
    expected = f"In / tải PDF, A4, {max(1, round(pdf.stat().st_size / 1024))} KB"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{base_url}vi/drowning/ten-actions/")
        link = page.query_selector(".loa-print-link")
        page.wait_for_function("(n) => n.textContent.includes('KB')", arg=link, timeout=10_000)
        assert " ".join(link.text_content().split()) == expected
        assert page.get_attribute(".loa-print-link a", "href") == "ten-actions.a4.pdf"
    finally:
        context.close()


def test_the_offline_copy_link_shows_format_and_size(browser: Any, base_url: str, built_site: Path) -> None:
    # the ZIP is made after the pages: its size is asked of the server too, in MB as the language writes it
    (archive,) = (built_site / "vi").glob("*-offline.zip")
    megabytes = f"{math.floor(archive.stat().st_size / 104857.6 + 0.5) / 10:g}".replace(".", ",")  # as Math.round
    label = "Tải cả trang về để xem không cần mạng"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        for path in ("vi/", "vi/about/"):
            page.goto(f"{base_url}{path}")
            link = page.query_selector(".loa-offline__link")
            page.wait_for_function("(n) => n.textContent.includes('MB')", arg=link, timeout=10_000)
            assert " ".join(link.text_content().split()) == f"{label}, ZIP, {megabytes} MB"
            assert page.get_attribute(".loa-offline a", "href").endswith(archive.name)
    finally:
        context.close()
