"""axe-core in Chromium on every page of every language; reflow at 320 px; no third-party requests.

One walk over the site per colour scheme (a session fixture) collects everything; the tests below
assert on it per language, so a failure names the language, the page, the rule and the element.
The light scheme walks every page; the dark (slate) scheme walks a sample per language: home,
a campaign, a material, a fallback page, a topic, the 404 page. Search, the language list and the
mobile drawer are audited open. Best-practice findings on Material's own components are written to
the report file only (LOA_REPORT_DIR, else a temporary folder); on Loa's (class `loa-*`, page
content, language list, footer, hotline) they fail.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest

from loa.pipeline import Options, build

from . import csp
from .conftest import TODAY

LANGS = ("vi", "en", "hmn")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": [*WCAG, "best-practice"]}, "resultTypes": ["violations"]}
# Loa's templates and content: findings inside these are ours, the rest is Material's chrome.
OURS = "[class^='loa-'], [class*=' loa-'], .md-content__inner, .md-select, .loa-footer, .md-banner"
DESKTOP = {"width": 1280, "height": 800}
NARROW = 320
RUN_AXE = """async ([options, ours]) => {
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("axe.run: no result in 60 s")), 60000));
  const result = await Promise.race([axe.run(document, options), timeout]);
  return result.violations.map(v => ({id: v.id, tags: v.tags, help: v.help, nodes: v.nodes.map(n => {
    const el = typeof n.target[0] === "string" ? document.querySelector(n.target[0]) : null;
    return {target: n.target.join(" "), html: n.html.slice(0, 200), summary: n.failureSummary || "",
            ours: !!(el && el.closest(ours))};
  })}));
}"""


@dataclass(frozen=True)
class Finding:
    url: str
    scheme: str
    state: str
    rule: str
    wcag: bool
    ours: bool
    target: str
    html: str
    summary: str

    def line(self) -> str:
        where = f"{self.url} [{self.scheme}, {self.state}]"
        return f"{where} {self.rule}: {self.target}\n    {self.html}\n    {self.summary}"


@dataclass
class Walk:
    scheme: str
    findings: list[Finding] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # lang -> pages audited
    too_wide: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    seconds: float = 0.0


def page_urls(site: Path, lang: str | None) -> list[str]:
    """Site-relative URLs of every HTML page of a language (None: the root pages)."""
    if lang is None:
        return ["", "404.html"]
    folder = site / lang
    urls = [p.relative_to(site).as_posix().removesuffix("index.html") for p in sorted(folder.rglob("index.html"))]
    return [*urls, f"{lang}/404.html"]


def sample_urls(site: Path, lang: str) -> list[str]:
    """Home, a campaign, a material, a fallback page (if the language has one), a topic, the 404 page."""
    urls = page_urls(site, lang)

    def first(test: Callable[[str, str], bool]) -> list[str]:
        for url in urls:
            path = site / (url + "index.html" if url.endswith("/") else url)
            if test(url, path.read_text(encoding="utf-8")):
                return [url]
        return []

    return [f"{lang}/",
            *first(lambda u, _: u.startswith(f"{lang}/campaigns/") and u.count("/") == 3),
            *first(lambda _, html: 'class="loa-facts' in html),
            *first(lambda _, html: "loa-fallback" in html),
            *first(lambda u, _: u.startswith(f"{lang}/topics/") and u.count("/") == 3),
            f"{lang}/404.html"]


class Auditor:
    """One browser context (a colour scheme) and one page, reused for every URL."""

    def __init__(self, browser: Any, base_url: str, scheme: str) -> None:
        self.base_url = base_url
        self.axe_url = base_url + "__axe__/axe.min.js"
        self.scheme = "slate" if scheme == "dark" else "default"
        self.context = browser.new_context(color_scheme=scheme, viewport=DESKTOP)
        csp.watch(self.context)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))

    def close(self) -> None:
        self.context.close()

    def open(self, url: str) -> None:
        self.requests.clear()
        self.page.goto(self.base_url + url)
        scheme = self.page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme in (None, self.scheme), f"{url}: colour scheme {scheme}, expected {self.scheme}"

    def axe_run(self, url: str, walk: Walk, state: str) -> None:
        # colours are measured as painted: let transitions (search results, the language list) finish
        self.page.evaluate("Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
        # axe-core is served by the test server (conftest.py) and added by URL: Chromium compiles it once
        # and keeps it in V8's code cache; add_script_tag(path=) would inline and parse 560 KB on every
        # page (0.2 s x 170 pages).
        if not self.page.evaluate("typeof axe !== 'undefined'"):
            self.page.add_script_tag(url=self.axe_url)
        self.collect(url, walk, state, self.page.evaluate(RUN_AXE, [AXE_OPTIONS, OURS]))

    def collect(self, url: str, walk: Walk, state: str, violations: list[dict[str, Any]]) -> None:
        for violation in violations:
            wcag = any(tag in WCAG for tag in violation["tags"])
            for node in violation["nodes"]:
                walk.findings.append(Finding(url, self.scheme, state, violation["id"], wcag, node["ours"],
                                             node["target"], node["html"], node["summary"]))

    def reflow(self, url: str, walk: Walk) -> None:
        """WCAG 1.4.10: at 320 CSS px nothing scrolls sideways."""
        self.page.set_viewport_size({"width": NARROW, "height": 640})
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW:
            walk.too_wide.append(f"{url}: {width} px wide at {NARROW} px")
        self.page.set_viewport_size(DESKTOP)

    def check_requests(self, url: str, walk: Walk) -> None:
        walk.foreign += [f"{url}: {r}" for r in self.requests if not r.startswith(("http://127.0.0.1:", "data:"))]

    def audit(self, url: str, walk: Walk) -> None:
        self.open(url)
        self.axe_run(url, walk, "page")
        self.reflow(url, walk)
        self.check_requests(url, walk)
        walk.csp += csp.problems(self.page, url)

    def audit_widgets(self, url: str, walk: Walk) -> None:
        """Search, the language list and (at 320 px) the navigation drawer, each open."""
        page = self.page
        self.open(url)
        page.click("#loa-search-input")
        page.keyboard.type("111")
        # the live region says how many pages were found once the results are in
        # a function, not an expression: Playwright evaluates an expression with eval(), which the CSP refuses
        page.wait_for_function("() => /\\d/.test(document.querySelector('.loa-search__status').textContent)",
                               timeout=15_000)
        self.axe_run(url, walk, "search open")
        walk.csp += csp.problems(page, f"{url} (search open)")
        self.open(url)
        page.focus(".md-select button")
        page.hover(".md-select button")
        page.wait_for_selector(".md-select__inner", state="visible")
        self.axe_run(url, walk, "language list open")
        page.set_viewport_size({"width": NARROW, "height": 640})
        self.open(url)
        page.focus(".md-select button")
        page.wait_for_selector(".md-select__inner", state="visible")
        box = page.evaluate("(r => [r.left, r.right])("
                            "document.querySelector('.md-select__inner').getBoundingClientRect())")
        if box[0] < 0 or box[1] > NARROW:
            walk.too_wide.append(f"{url}: the open language list spans {box} at {NARROW} px")
        self.axe_run(url, walk, "language list open, 320 px")
        self.open(url)
        page.click("label.md-header__button[for='__drawer']")
        page.wait_for_selector(".md-sidebar--primary .md-nav__link", state="visible")
        self.axe_run(url, walk, "drawer open, 320 px")
        page.set_viewport_size(DESKTOP)
        self.check_requests(url, walk)

    def audit_root(self, urls: list[str], walk: Walk) -> None:
        """The root chooser: what readers get before (or without) its redirect to their language.

        Its script (loa-root.js) sends the browser to /<lang>/ at once; this context serves that script
        empty, so the page stays and is audited as readers see it before it runs (an aborted redirect
        would leave Chromium's error page). test_root_chooser_redirects runs the script itself.
        """
        context = self.page.context.browser.new_context(color_scheme="light", viewport=DESKTOP)
        context.route(f"{self.base_url}loa-root.js",
                      lambda route: route.fulfill(body="", content_type="text/javascript"))
        self.requests.clear()
        context.on("request", lambda request: self.requests.append(request.url))
        csp.watch(context)
        try:
            page = context.new_page()
            for url in urls:
                page.goto(self.base_url + url)
                page.wait_for_load_state("load")
                page.add_script_tag(url=self.axe_url)
                self.collect(url, walk, "page", page.evaluate(RUN_AXE, [AXE_OPTIONS, OURS]))
                walk.csp += csp.problems(page, url)
            self.check_requests("/", walk)
        finally:
            context.close()


def walk_site(browser: Any, base_url: str, site: Path, scheme: str, sample: bool) -> Walk:
    walk = Walk("slate" if scheme == "dark" else "default")
    auditor = Auditor(browser, base_url, scheme)
    started = time.perf_counter()
    try:
        for lang in LANGS:
            urls = sample_urls(site, lang) if sample else page_urls(site, lang)
            for url in urls:
                auditor.audit(url, walk)
            auditor.audit_widgets(f"{lang}/", walk)
            walk.pages[lang] = len(urls)
        if not sample:
            auditor.audit_root(page_urls(site, None), walk)
            walk.pages["root"] = len(page_urls(site, None))
    finally:
        auditor.close()
    walk.seconds = time.perf_counter() - started
    return walk


@pytest.fixture(scope="session")
def walks(browser: Any, base_url: str, axe_source: Path, built_site: Path, report_dir: Path) -> Iterator[list[Walk]]:
    assert axe_source.is_file()  # served at /__axe__/ by the base_url server
    done = [walk_site(browser, base_url, built_site, "light", sample=False),
            walk_site(browser, base_url, built_site, "dark", sample=True)]
    material = [asdict(f) for w in done for f in w.findings if not f.wcag and not f.ours]
    summary = {"pages_audited": {w.scheme: w.pages for w in done},
               "seconds": {w.scheme: round(w.seconds, 1) for w in done},
               "material_best_practice": material}
    (report_dir / "axe.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    yield done


@pytest.mark.parametrize("lang", [*LANGS, ""])
def test_no_wcag_violations(walks: list[Walk], lang: str) -> None:
    found = [f.line() for w in walks for f in w.findings
             if f.wcag and (f.url.startswith(f"{lang}/") if lang else "/" not in f.url)]
    assert not found, f"{len(found)} WCAG violations:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", [*LANGS, ""])
def test_no_best_practice_findings_on_loa_components(walks: list[Walk], lang: str) -> None:
    found = [f.line() for w in walks for f in w.findings
             if not f.wcag and f.ours and (f.url.startswith(f"{lang}/") if lang else "/" not in f.url)]
    assert not found, "best-practice findings on Loa's own components:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_audited_in_both_schemes(walks: list[Walk], built_site: Path, lang: str) -> None:
    light, dark = walks
    assert light.pages[lang] == len(page_urls(built_site, lang)) > 10
    assert dark.pages[lang] >= 5


@pytest.mark.parametrize("lang", LANGS)
def test_reflow_at_320_px(walks: list[Walk], lang: str) -> None:
    too_wide = [item for walk in walks for item in walk.too_wide if item.startswith(f"{lang}/")]
    assert not too_wide, "horizontal scrolling at 320 px (WCAG 1.4.10):\n" + "\n".join(too_wide)


@pytest.mark.parametrize("lang", [*LANGS, ""])
def test_no_third_party_requests(walks: list[Walk], lang: str) -> None:
    foreign = [item for walk in walks for item in walk.foreign if item.startswith(f"{lang}/")]
    assert not foreign, "requests that leave 127.0.0.1:\n" + "\n".join(foreign)


@pytest.mark.parametrize("lang", [*LANGS, ""])
def test_no_csp_violations(walks: list[Walk], lang: str) -> None:
    """Every page has Loa's Content-Security-Policy, and nothing on it (search open too) is refused."""
    found = [item for walk in walks for item in walk.csp if (item.startswith(f"{lang}/") if lang else "/" not in
                                                              item.split(":")[0])]
    assert not found, "Content-Security-Policy:\n" + "\n".join(found)


def test_root_chooser_redirects(browser: Any, base_url: str) -> None:
    """The root chooser's script, a file under the page's CSP, sends a reader to their language."""
    context = browser.new_context(locale="en-GB")
    csp.watch(context)
    page = context.new_page()
    page.goto(base_url)
    page.wait_for_url(f"{base_url}en/")
    assert csp.problems(page, "en/") == []
    context.close()


def test_the_csp_check_sees_an_inline_script(browser: Any, base_url: str) -> None:
    context = browser.new_context()
    csp.watch(context)
    page = context.new_page()
    page.goto(f"{base_url}404.html")
    page.evaluate("() => document.head.appendChild(document.createElement('script')).textContent = 'x = 1'")
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert [p for p in csp.problems(page, "404.html") if "script-src" in p]
    context.close()


@pytest.fixture(scope="session")
def narrow_walk(browser: Any, base_url: str, axe_source: Path, built_site: Path) -> Walk:
    """axe on every page of every language at 320 px (light scheme), in one browser context."""
    assert axe_source.is_file()  # served at /__axe__/ by the base_url server
    walk = Walk("default")
    auditor = Auditor(browser, base_url, "light")
    auditor.page.set_viewport_size({"width": NARROW, "height": 640})
    started = time.perf_counter()
    try:
        for lang in LANGS:
            urls = page_urls(built_site, lang)
            for url in urls:
                auditor.open(url)
                auditor.axe_run(url, walk, f"page, {NARROW} px")
            walk.pages[lang] = len(urls)
    finally:
        auditor.close()
    walk.seconds = time.perf_counter() - started
    return walk


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_at_320_px(narrow_walk: Walk, built_site: Path, lang: str) -> None:
    """WCAG violations, and best-practice findings on Loa's parts, on every page at 320 px: a wide table or
    code block scrolls sideways there, in a region that a keyboard must reach (scrollable-region-focusable)."""
    assert narrow_walk.pages[lang] == len(page_urls(built_site, lang)) > 10
    found = [f.line() for f in narrow_walk.findings if (f.wcag or f.ours) and f.url.startswith(f"{lang}/")]
    assert not found, f"{len(found)} findings at {NARROW} px:\n" + "\n".join(found)


WIDE_CONTENT = ("\n## Helplines\n\n| Number | Where to read more |\n|---|---|\n"
                "| 111 | https://www.unicef.org/vietnam/child-protection-and-the-national-hotline-111 |\n\n"
                "```text run\nTrẻ em cần được bảo vệ ở mọi nơi: ở nhà, ở trường, trên mạng và ở gần nước; "
                "hãy gọi 111.\n```\n\nRight after a line of text:\n```\ncode\n```\n")


@pytest.fixture(scope="module")
def wide_page(tmp_path_factory: pytest.TempPathFactory, built_site: Path) -> Path:
    """A material whose table and code block are wider than 320 px (the sample site has no code)."""
    from conftest import MATERIAL_EN, TINY_SITE, write_tree  # tests/conftest.py

    root = write_tree(tmp_path_factory.mktemp("wide") / "project",
                      {**TINY_SITE, "content/en/drowning/ten-actions.md": MATERIAL_EN + WIDE_CONTENT})
    build(Options(root=root, out=root / "site", today=TODAY, jobs=1))
    return root / "site/en/drowning/ten-actions/index.html"


def test_wide_tables_and_code_scroll_in_regions_a_keyboard_reaches(wide_page: Path, browser: Any,
                                                                    axe_source: Path, vnu_command: list[str]) -> None:
    checked = subprocess.run([*vnu_command, "--errors-only", str(wide_page)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    # axe is injected inline into this file:// page: the page's own policy would refuse it
    context = browser.new_context(viewport={"width": NARROW, "height": 640}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(wide_page.as_uri())
        regions = page.evaluate("""[...document.querySelectorAll('.md-content .loa-scroll, .md-content pre > code')]
            .map(e => ({scrolls: e.scrollWidth > e.clientWidth, role: e.getAttribute('role'),
                        label: e.getAttribute('aria-label'), tabindex: e.tabIndex}))""")
        assert [r["scrolls"] for r in regions] == [True, True, False], regions
        assert all(r["role"] == "region" and r["label"] and r["tabindex"] == 0 for r in regions), regions
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW
        page.add_script_tag(path=str(axe_source))
        violations = page.evaluate(RUN_AXE, [AXE_OPTIONS, OURS])
        found = [f"{v['id']}: {n['target']}" for v in violations for n in v["nodes"]
                 if n["ours"] or any(tag in WCAG for tag in v["tags"])]
        assert not found
        # Tab after Tab reaches both regions
        reached = set()
        for _ in range(60):
            page.keyboard.press("Tab")
            reached.add(page.evaluate("(e => e.matches('.loa-scroll') ? 'table' : "
                                      "e.matches('pre > code') ? 'code' : '')(document.activeElement)"))
        assert {"table", "code"} <= reached
    finally:
        context.close()
