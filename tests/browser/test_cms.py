"""Decap CMS in `serve`, end to end in Chromium: an officer's material and campaign edit, through the form.

`python build.py serve` runs on a tiny project (tests/conftest.py) in a child process, as an officer
starts it; the browser opens /admin/, uploads a photo, writes a Vietnamese material with its English
translation side by side, publishes, and edits a campaign's key message. The files on disk are
then what `new` would have made (the same paths), `check` has nothing to say about them, `serve`
serves the page, and no request has left 127.0.0.1. axe runs on the admin page: Decap's own
violations are reported (report_dir/cms-axe.json), Loa's additions must have none.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from loa.pipeline import Options, check
from tests.browser.conftest import AXE, REPO, TODAY
from tests.conftest import TINY_SITE, write_tree

SLUG = "ao-phao-cho-tre-di-thuyen"
TITLE_VI = "Áo phao cho trẻ đi thuyền"
ALT_VI = "Em bé mặc áo phao màu cam ngồi trên thuyền"
OLD_MESSAGE = "Luôn có người lớn trông chừng trẻ khi ở gần nước."
NEW_MESSAGE = "Luôn có người lớn biết bơi trông chừng trẻ khi ở gần nước."
COMMENTED = ("# Chiến dịch mùa hè: ghi chú của cán bộ (giữ nguyên khi sửa trên trình duyệt)\n"
             + TINY_SITE["campaigns/safe-summer.yml"].replace("status: published", "status: published  # đăng 15/5"))
LOA_RULES = ("document-title", "html-has-lang", "html-lang-valid", "meta-viewport", "landmark-one-main")
"""axe rules about the page Loa writes (loa/serve/cms/app.py); the rest of /admin/ is Decap's."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _wait(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while _get(url) != 200:
        if time.monotonic() > deadline:
            raise AssertionError(f"{url}: not served after {seconds:.0f} s")
        time.sleep(0.5)


@pytest.fixture
def served(tmp_path: Path, browser: Any) -> Iterator[tuple[Path, str]]:
    """`build.py serve` on a tiny project, as an officer runs it; its project folder and address."""
    files = dict(TINY_SITE)
    files["campaigns/safe-summer.yml"] = COMMENTED
    root = write_tree(tmp_path / "project", files)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", str(port), "--jobs", "1",
         "--today", TODAY.isoformat(), "--messages", "vi"], stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/admin/", 300)
        yield root, base
    finally:
        process.terminate()
        process.wait(30)
        log.close()
        print((tmp_path / "serve.log").read_text(encoding="utf-8"))


class Admin:
    """Decap's form, found by the labels Loa's config gives its fields (loa/check/cms.py)."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def field(self, label: str, n: int = 0) -> Any:
        target = self.page.locator("label", has_text=label).nth(n).get_attribute("for")
        return self.page.locator(f"[id='{target}']")

    def choose(self, label: str, option: str) -> None:
        self.field(label).focus()
        self.page.keyboard.press("ArrowDown")
        self.page.get_by_text(option, exact=True).first.click()

    def write(self, n: int, text: str) -> None:
        """Types into the Markdown body (raw mode) of the n-th language pane."""
        label = self.page.locator("label", has_text="Nội dung").nth(n)
        label.locator("xpath=../..").locator("[contenteditable=true]").click()
        self.page.keyboard.type(text)

    def publish(self) -> None:
        with self.page.expect_response(lambda r: r.url.endswith("/api/v1") and "persistEntry" in
                                       (r.request.post_data or "")) as saved:
            self.page.get_by_role("button", name="Công bố").click()
            self.page.get_by_text("Công bố ngay", exact=True).click()
        assert saved.value.status == 200, saved.value.text()


def test_officer_writes_translates_and_publishes(served: tuple[Path, str], browser: Any, tmp_path: Path,
                                                report_dir: Path) -> None:
    root, base = served
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    elsewhere: list[str] = []
    requests: list[Any] = []

    def only_here(route: Any) -> None:
        url = route.request.url
        if url.startswith((f"{base}/", "blob:", "data:")):
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    context.route("**/*", only_here)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda r: requests.append(json.loads(r.post_data)) if r.url == f"{base}/api/v1" else None)
    admin = Admin(page)
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="Đăng nhập").click()

    # a photo, through the media library (saved at once, as Decap does without editorial workflow)
    photo = tmp_path / "ao-phao.png"
    photo.write_bytes(_png())
    page.get_by_text("Tài liệu: drowning").first.click()
    page.get_by_role("button", name="Tập tin").click()
    with page.expect_response(lambda r: "persistMedia" in (r.request.post_data or "")) as uploaded:
        page.locator("input[type=file]").set_input_files(str(photo))
    assert uploaded.value.status == 200
    page.keyboard.press("Escape")

    # the material: Vietnamese on the left, English on the right
    page.goto(f"{base}/admin/#/collections/drowning/new")
    admin.field("Tên bài").fill(TITLE_VI)
    admin.field("Tóm tắt").fill("Vì sao trẻ cần mặc áo phao khi đi đò, đi thuyền.")
    admin.choose("Loại tài liệu", "Tờ thông tin")
    admin.choose("Chủ đề", "Phòng, chống đuối nước (drowning-prevention)")
    admin.choose("Đối tượng", "Gia đình (families)")
    page.get_by_role("button", name="Thêm nguồn").click()
    admin.field("Tên tài liệu được trích").fill("Hướng dẫn an toàn đường thủy cho trẻ em")
    admin.field("Cơ quan xuất bản").fill("Bộ Giao thông vận tải")
    admin.field("Năm").fill("2024")
    admin.field("Ngày kiểm tra").fill("2026-11-20")
    admin.write(0, f"## Vì sao cần áo phao\n\nTrẻ mặc áo phao đúng cỡ, cài chặt mọi khóa.\n\n"
                   f"![{ALT_VI}](../images/ao-phao.png)\n")
    admin.field("Tên bài", 1).fill("Life jackets for children on boats")
    admin.field("Tóm tắt", 1).fill("Why children wear a life jacket on every boat trip.")
    admin.write(1, "## Why a life jacket\n\nChildren wear a life jacket of the right size, every buckle closed.\n\n"
                   "![A small child in an orange life jacket sitting in a boat](../images/ao-phao.png)\n")
    page.screenshot(path=str(report_dir / "cms-material.png"))
    admin.publish()

    # where `new material drowning/<slug>` and `new translation en drowning/<slug>` would have put them
    vi = root / f"content/vi/drowning/{SLUG}.md"
    en = root / f"content/en/drowning/{SLUG}.md"
    assert vi.is_file() and en.is_file(), sorted(str(p.relative_to(root)) for p in root.rglob("*.md"))
    assert not (root / "content/drowning").exists()
    text = vi.read_text(encoding="utf-8")
    assert text.startswith(f"---\ntitle: {TITLE_VI}\n") and f"![{ALT_VI}](../images/ao-phao.png)" in text
    assert "\r" not in text and "type: fact-sheet" in text and "publisher: Bộ Giao thông vận tải" in text
    assert (root / "content/vi/images/ao-phao.png").read_bytes() == photo.read_bytes()
    result = check(Options(root=root, out=tmp_path / "checked", today=TODAY))
    mine = [str(w) for w in result.warnings if SLUG in w.position.path]
    assert mine == []
    assert result.site.documents[f"drowning/{SLUG}"].translations["en"].title == "Life jackets for children on boats"
    _wait(f"{base}/vi/drowning/{SLUG}/", 120)
    _wait(f"{base}/en/drowning/{SLUG}/", 120)
    page.goto(f"{base}/vi/drowning/{SLUG}/")
    assert page.locator("h1").first.inner_text() == TITLE_VI
    assert page.locator(f"img[alt='{ALT_VI}']").count() == 1

    # Loa's problems for the file, in the preview pane, with the live page
    page.goto(f"{base}/admin/#/collections/drowning/entries/{SLUG}")
    page.get_by_role("button", name="Bật/tắt bản dịch").click()
    page.get_by_role("button", name="Bật/tắt xem trước").click()
    pane = page.frame_locator("iframe").first
    pane.get_by_text("Không có lỗi: trang đã sẵn sàng.").wait_for()
    assert pane.locator(f"a[href='{base}/vi/drowning/{SLUG}/']").count() == 1
    page.screenshot(path=str(report_dir / "cms-preview.png"))

    # a campaign's key message: only that text changes in the file, its comments stay
    before = (root / "campaigns/safe-summer.yml").read_text(encoding="utf-8")
    page.goto(f"{base}/admin/#/collections/campaigns/entries/safe-summer")
    page.reload()  # a fresh editor (the hash alone keeps the last entry's state)
    target = page.wait_for_function(
        f"() => {{ const e = [...document.querySelectorAll('textarea, input')].find("
        f"e => e.value === {json.dumps(OLD_MESSAGE)}); return e && e.id; }}").json_value()
    message = page.locator(f"[id='{target}']")
    page.locator("[class*=SortableListItem]").filter(has=message).locator(
        "[class*=StyledListItemTopBar] button").first.click()
    message.fill(NEW_MESSAGE)
    page.screenshot(path=str(report_dir / "cms-campaign.png"))
    admin.publish()
    assert (root / "campaigns/safe-summer.yml").read_text(encoding="utf-8") == before.replace(OLD_MESSAGE,
                                                                                              NEW_MESSAGE)

    (report_dir / "cms-requests.json").write_text(json.dumps(requests, ensure_ascii=False, indent=1)[:200_000],
                                                  encoding="utf-8")
    assert {r["action"] for r in requests} >= {"entriesByFolder", "getMedia", "persistMedia", "persistEntry"}
    assert errors == [] and elsewhere == [], (errors, elsewhere)
    context.close()


def test_admin_axe(served: tuple[Path, str], browser: Any, report_dir: Path) -> None:
    """axe on the editor: Decap's violations reported, none on what Loa adds (its page, its preview pane)."""
    _root, base = served
    # axe is added as an inline script, which the admin's Content-Security-Policy refuses
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{base}/admin/#/collections/drowning/entries/ten-actions")
    page.get_by_role("button", name="Bật/tắt bản dịch").click()
    page.get_by_role("button", name="Bật/tắt xem trước").click()
    frame = next(f for f in page.frames if f != page.main_frame and f.url in ("about:blank", "about:srcdoc"))
    page.frame_locator("iframe").first.get_by_text("Không có lỗi", exact=False).wait_for()
    found: dict[str, Any] = {}
    for name, where in (("admin", page.main_frame), ("preview", frame)):
        where.add_script_tag(path=str(AXE))
        # in the preview frame, Loa's pane only: the frame's document is Decap's
        scope = "document" if name == "admin" else "{include: [['.loa-problems']]}"
        result = where.evaluate(f"axe.run({scope}, {{resultTypes: ['violations'], iframes: false}})")
        found[name] = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                        "nodes": [n["target"] for n in v["nodes"]][:10]} for v in result["violations"]]
    (report_dir / "cms-axe.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    print("Decap's own axe violations on /admin/:", json.dumps(found["admin"], ensure_ascii=False))
    assert found["preview"] == [], found["preview"]
    assert [v for v in found["admin"] if v["id"] in LOA_RULES] == []
    context.close()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (230, 120, 20)).save(out, "PNG")
    return out.getvalue()
