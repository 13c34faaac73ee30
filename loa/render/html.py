"""HTML post-processing of a converted page: what Python-Markdown and its extensions write, made valid and accessible.

Each function takes and returns a page's HTML as text; `loa/render/plugin.py` applies them in
`on_page_content`. No MkDocs import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from markupsafe import escape

from loa.plan import pages

BLOCK = re.compile(re.escape(pages.BLOCK).replace(r"\{\}", r"(\d+)") + "\n?")
"""A list's placeholder, as Python-Markdown writes it (a block of raw HTML, then an empty line)."""


ICON = re.compile(re.escape(pages.ICON).replace(r"\{\}", r"([a-z0-9-]+/[a-z0-9-]+)"))
"""An icon's placeholder in generated HTML: `<!--loa:icon:material/school-outline-->`."""


def inline_icons(html: str, read: Callable[[str], str]) -> str:
    """Each icon placeholder replaced by the SVG of Material's bundled icon (`read(name)` gives its file's
    text): inline, so no font and no request; hidden from screen readers, the text beside it says it all."""
    if pages.ICON[:9] not in html:
        return html
    return ICON.sub(lambda m: read(m.group(1)).strip().replace("<svg ", '<svg class="loa-icon" aria-hidden="true" ', 1),
                    html)


# pymdownx.tasklist puts the checkbox in an empty <label>: the box has no accessible name (axe
# `label`, WCAG 4.1.2). Moving the item's inline text inside that label names it natively.
TASK_ITEM = re.compile(r'(<label class="task-list-control">.*?<span class="task-list-indicator"></span>)</label>'
                       r"((?:[^<]|<(?!/?(?:li|ul|ol|p|div|label)\b))*)")


ALIGNED = re.compile(r' style="text-align: (left|right|center);"')
"""The only `style` attribute Python-Markdown writes (a table column aligned with `:--:`): the pages'
Content-Security-Policy refuses inline styles, so it becomes a class that loa.css aligns."""


TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
CODE_BLOCK = re.compile(r"(<pre\b[^>]*>\s*(?:<span></span>)?<code)\b(?![^>]*\btabindex=)", re.IGNORECASE)
HEADING_TEXT = re.compile(r"<h[2-6]\b[^>]*>(.*?)</h[2-6]>", re.IGNORECASE | re.DOTALL)
CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.IGNORECASE | re.DOTALL)
PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
PARAGRAPH_TAG = re.compile(r"<(/?)p\b[^>]*>")
CODE_BLOCK_HTML = re.compile(r'<pre class="highlight">.*?</pre>', re.DOTALL)


def code_out_of_paragraphs(html: str) -> str:
    """A fenced block right after a line of text (CommonMark lets a fence interrupt a paragraph):
    superfences leaves it inside the paragraph's <p>, which HTML forbids; the paragraph is closed
    before the block and opened again after it."""
    if '<pre class="highlight">' not in html:
        return html
    out, done = [], 0
    for block in CODE_BLOCK_HTML.finditer(html):
        opened = list(PARAGRAPH_TAG.finditer(html, 0, block.start()))
        if opened and not opened[-1].group(1):  # the last <p> before the block is still open
            out += [html[done:block.start()].rstrip(), "</p>\n", block.group(0), "\n<p>"]
            done = block.end()
    return re.sub(r"(</pre>)\n<p>\s*</p>", r"\1", "".join([*out, html[done:]]))


def scroll_regions(html: str, ui: Callable[..., str]) -> str:
    """Tables and code blocks as regions a keyboard can scroll (axe `scrollable-region-focusable`).

    Material's JavaScript, which Loa does not load, would wrap tables; here each top-level <table>
    is wrapped in a focusable, named `div.loa-scroll` that scrolls sideways instead of the table
    (theme/assets/stylesheets/loa.css), and the <code> of each <pre>, which Material's CSS scrolls,
    is made focusable and named. A region is named by the table's caption, else by the heading
    above it; names that repeat on a page are numbered (axe `landmark-unique`).
    """
    seen: dict[str, int] = {}

    def label(kind: str, start: int, caption: str = "") -> str:
        headings = HEADING_TEXT.findall(html, 0, start) if not caption else []
        name = _text(caption or (headings[-1] if headings else ""))
        text = ui(f"scroll.{kind}.named", name=name) if name else ui(f"scroll.{kind}")
        seen[text] = count = seen.get(text, 0) + 1
        return escape(text if count == 1 else f"{text} ({count})")

    if "<table" in html:
        out, depth, start, done = [], 0, 0, 0
        for match in TABLE_TAG.finditer(html):
            if not match.group(1):
                depth += 1
                if depth == 1:
                    start = match.start()
            elif depth > 0:
                depth -= 1
                if depth == 0:
                    table = html[start:match.end()]
                    caption = CAPTION.search(table)
                    named = label("table", start, caption.group(1) if caption else "")
                    out += [html[done:start], '<div class="loa-scroll" role="region" tabindex="0" '
                            f'aria-label="{named}">', table, "</div>"]
                    done = match.end()
        html = "".join([*out, html[done:]])
    if "<pre" in html:
        html = CODE_BLOCK.sub(
            lambda m: f'{m.group(1)} tabindex="0" role="region" aria-label="{label("code", m.start())}"', html)
    return html


def _text(markup: str) -> str:
    """The text of a bit of HTML (a heading or caption), for an attribute."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", PERMALINK.sub("", markup))).split())
