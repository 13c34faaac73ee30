"""`serve`'s problems overlay in a real browser speaks the language of Loa's messages (loa/serve/server.py):
its words come from the server, not from the script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from test_serve import free_port, status, wait_for

from conftest import REPO


def test_the_overlay_shows_the_problems_in_vietnamese(browser: Any, tiny_site: Path) -> None:
    # the session's Chromium: a second Playwright in the same process is refused (its event loop runs)
    port = free_port()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(tiny_site), "--port",
                                str(port), "--today", "2026-12-01", "--messages", "vi", "--quiet"])
    base = f"http://127.0.0.1:{port}/"
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        def up() -> bool:
            try:
                return bool(status(base))
            except OSError:
                assert process.poll() is None
                return False
        wait_for(up)
        page = context.new_page()
        page.goto(f"{base}vi/drowning/ten-actions/")
        material = tiny_site / "content/vi/drowning/ten-actions.md"
        material.write_text(material.read_text(encoding="utf-8").replace("type: fact-sheet", "type: factsheet"),
                            encoding="utf-8")
        box = page.wait_for_selector("#loa-dev-problems", timeout=60_000)
        assert box.get_attribute("lang") == "vi" and box.get_attribute("role") == "alert"
        lines = box.text_content().splitlines()
        assert lines[0] == "Loa: lần lưu vừa rồi có vấn đề (trang đang hiện bản dựng trước):"
        assert "content/vi/drowning/ten-actions.md:4:7: error: type: không dùng được giá trị 'factsheet' (có phải ý " \
            "bạn là 'fact-sheet'? các giá trị có: checklist, fact-sheet, faq, guide, lesson-plan, page, poster, " \
            "story)" in lines
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=10)
