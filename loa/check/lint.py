"""Fast content checks on the Markdown of every translation, before any rendering.

They catch what a browser audit would find later, with the file and line the
writer has to edit: images without alt text, skipped heading levels, vague link
text, bad `lang` values, tables without headers, downloads without format and size;
and raw HTML that would run a script, embed another site or load anything from
another host ("nothing leaves the site").

Code is not checked: fenced blocks are found by the renderer's own fence reader, and
code spans are paired as the renderer pairs them (`mask_code`). A line that CommonMark
readers take as a fence but the renderer does not is an error, since what follows it
would be live. Indented code blocks (four spaces) are checked as text: telling them
from a list item's continuation takes the whole block parser, and checking too much is
the safe side.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown  # type: ignore[import-untyped]
from markdown.extensions.attr_list import get_attrs  # type: ignore[import-untyped]
from markdown.inlinepatterns import (  # type: ignore[import-untyped]
    AUTOLINK_RE,
    AUTOMAIL_RE,
    BACKTICK_RE,
    BacktickInlineProcessor,
)
from markdown.util import BLOCK_LEVEL_ELEMENTS  # type: ignore[import-untyped]

from loa.check.urls import check_links
from loa.check.validators import LANGUAGE_TAG
from loa.errors import Position, Report
from loa.model import Asset, Document, Translation

FENCES: dict[str, dict[str, Any]] = {
    # Fences as CommonMark readers write them: in list items, longer fences around shorter ones, `~~~`,
    # and info strings of several words (```html run), which Python-Markdown's fenced_code leaves as
    # text, so their HTML ran on the page. loa/render/config.py requires these settings; `fenced_blocks`
    # reads fences with them, so the lint and the renderer agree on what is code.
    "pymdownx.superfences": {"relaxed_headers": True},
    # Plain <pre><code class="language-x">: no Pygments token colours (unaudited for contrast) or markup.
    "pymdownx.highlight": {"use_pygments": False},
}
FENCE_LIKE = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(`{3,}|~{3,})(.*)$")
"""A line that CommonMark readers take as a code fence (also in a list item or a quote)."""
HEADING = re.compile(r"^(#{1,6})\s+\S")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)(\{[^}]*\})?")
LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
LANG_ATTR = re.compile(r"""\blang\s*=\s*["']?([^"'\s>}]+)""")
HTML_TABLE = re.compile(r"<table\b", re.IGNORECASE)
TABLE_DIVIDER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
DOWNLOAD = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|odp|zip|epub|mp3|mp4)$", re.IGNORECASE)
SIZE = re.compile(r"\d+([.,]\d+)?\s*(KB|MB|GB|kB|B)\b")
VAGUE_LINK_TEXT = {
    # English, Vietnamese and Hmong phrases that say nothing about where a link goes (WCAG 2.4.4)
    "here", "click here", "click", "this", "link", "more", "read more", "this page", "this link",
    "đây", "tại đây", "ở đây", "xem tại đây", "bấm vào đây", "nhấn vào đây", "bấm đây", "xem thêm", "chi tiết",
    "xem chi tiết", "liên kết", "nyem ntawm no", "ntawm no",
}


def lint_documents(documents: Mapping[str, Document], assets: Mapping[str, Asset], report: Report,
                   memo: dict[object, Any] | None = None) -> None:
    """Lint every translation; with `memo` (kept by `serve`), unchanged texts are not linted again."""
    if memo is None:
        for document in documents.values():
            for translation in document.translations.values():
                lint_translation(translation, assets, report)
        return
    # Download hints quote file sizes, so the assets' sizes are part of what a result depends on.
    sizes = tuple(sorted((asset.path, tuple(sorted((lang, _size(path)) for lang, path in asset.files.items())))
                         for asset in assets.values()))
    for document in documents.values():
        for translation in document.translations.values():
            key = ("lint", translation, sizes)
            found = memo.get(key)
            if found is None:
                scratch = Report()
                lint_translation(translation, assets, scratch)
                found = memo[key] = tuple(scratch.problems)
            report.problems.extend(found)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def lint_translation(translation: Translation, assets: Mapping[str, Asset], report: Report) -> None:
    shown = translation.shown
    last_level = 1  # the page title is the h1
    lines = translation.body.split("\n")
    code = code_lines(translation.body)
    # What the reader gets as markup: code blocks blanked, code spans (`<img>`) masked, columns kept.
    live = mask_code(lines, code)
    _check_fences(translation, lines, code, report)
    _check_html(translation, live, lines, code, report)
    check_links(live, shown, translation.body_line, report)
    for index, line in enumerate(live):
        number = translation.body_line + index
        if index in code:
            continue

        def at(column: int, line_number: int = number) -> Position:
            return Position(shown, line_number, column + 1)

        heading = HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if level == 1:
                report.warning(at(0), "a level-1 heading in the text; the title is already the page's heading",
                               "start the text's headings at ##")
            elif level > last_level + 1:
                report.warning(at(0), f"heading level skips from h{last_level} to h{level}",
                               f"use {'#' * (last_level + 1)} here")
            last_level = level
        if "[" not in line and "<" not in line and "lang" not in line and "|" not in line:
            continue  # plain prose: nothing below can match
        for image in IMAGE.finditer(line):
            alt, attrs = image.group(1).strip(), image.group(3) or ""
            if not alt and ".decorative" not in attrs:
                report.error(at(image.start()), f"image '{image.group(2)}' has no alt text",
                             "describe what it shows in [...], or mark it decorative: ![](...){ .decorative }")
            if _elsewhere(image.group(2)):
                report.error(at(image.start()), f"image '{image.group(2)}' is loaded from another site",
                             f"put the image in content/ and use a relative path: {PUT_IN_CONTENT}")
        for link in LINK.finditer(line):
            text, target = link.group(1), link.group(2)
            plain = re.sub(r"<[^>]+>|[*_`]", "", text).strip().strip(".:!").lower()
            if plain in VAGUE_LINK_TEXT:
                report.warning(at(link.start()), f"link text '{text}' does not say where it goes",
                               "use the name of the page or document as the link text")
            if DOWNLOAD.search(target.split("#")[0].split("?")[0]):
                _check_download(text, target, translation, assets, at(link.start()), report)
        for lang in LANG_ATTR.finditer(line):
            code_ = lang.group(1)
            if not LANGUAGE_TAG.match(code_):
                report.error(at(lang.start()), f"lang=\"{code_}\" is not a BCP 47 language tag",
                             "use a lowercase code such as vi, en or hmn")
        if HTML_TABLE.search(line):
            end = next((i for i in range(index, len(live)) if "</table>" in live[i].lower()), len(live) - 1)
            if not any("<th" in live[i].lower() for i in range(index, end + 1)):
                report.warning(at(0), "table without header cells (<th>)",
                               "write it as a Markdown table, whose first row is the header")
        if TABLE_DIVIDER.match(line) and index > 0 and "|" in live[index - 1]:
            cells = [c.strip() for c in live[index - 1].strip().strip("|").split("|")]
            if not any(cells):
                report.warning(at(0, number - 1), "table with an empty header row",
                               "name each column in the first row")


PUT_IN_CONTENT = "![what it shows](../images/name.png)"
LINK_INSTEAD = "link to the video or page instead: [its title](https://...)"
FILE_INSTEAD = "link to the file instead, or put it in content/ and link to it"
EMBEDS = {
    # Elements that put another site, or a plug-in, inside the page.
    "iframe": LINK_INSTEAD, "frame": LINK_INSTEAD, "object": FILE_INSTEAD, "embed": FILE_INSTEAD,
    "applet": FILE_INSTEAD,
}
RESOURCES = {
    # Attributes whose URLs the browser fetches by itself, and what to do instead.
    "img": (("src", "srcset"), "put the image in content/ and use a relative path"),
    "source": (("src", "srcset"), "link to the video instead, or put the file in content/"),
    "video": (("src", "poster"), "link to the video instead, or put the file in content/"),
    "audio": (("src",), "link to the recording instead, or put the file in content/"),
    "track": (("src",), "put the file in content/ and use a relative path"),
    "link": (("href",), "put the file in content/ and use a relative path"),
    "input": (("src",), "put the image in content/ and use a relative path"),
    "image": (("href", "xlink:href"), "put the image in content/ and use a relative path"),
}
CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""", re.IGNORECASE)
ATTR_LIST = re.compile(r"\{:?([^{}\n]*=[^{}\n]*)\}")
REFERENCE = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?([^\s>]+)")
REFERENCE_IMAGE = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?(?![(\[])")
FENCE_HINT = ("open and close a code block with the same fence on lines of their own, after an empty line and at the "
              "same indent (4 spaces in a list item), and indent each line of code at least as much")
AUTOLINK = re.compile(f"{AUTOLINK_RE}|{AUTOMAIL_RE}")
"""Python-Markdown's <https://...> and <name@host> links, which it reads before raw HTML."""
EVENT_HANDLER = re.compile(r"on[a-z]+")
RAW_START = re.compile(r"^ {0,3}<(!--|[a-zA-Z][a-zA-Z0-9-]*)")
VOID_BLOCKS = {"hr"}


def fenced_blocks(body: str) -> list[tuple[int, int]]:
    """(first, past last) line index of each block of `body` that the renderer shows as fenced code.

    Found by the renderer's own fence reader (pymdownx.superfences, with the settings `FENCES` that
    loa/render/config.py requires), so the lint and the page cannot disagree about what is code.
    """
    if "```" not in body and "~~~" not in body:
        return []
    md, found = _fence_reader()
    found.clear()
    md.reset()
    # Python-Markdown's whitespace normalization (NormalizeWhitespace), which keeps the line count.
    text = body.replace("\x02", "").replace("\x03", "").expandtabs(md.tab_length)
    md.preprocessors["fenced_code_block"].run([line.rstrip("\r") if line.strip() else "" for line in text.split("\n")])
    return sorted(found)


@functools.cache
def _fence_reader() -> tuple[markdown.Markdown, list[tuple[int, int]]]:
    md = markdown.Markdown(extensions=list(FENCES), extension_configs=FENCES)
    fences: Any = md.preprocessors["fenced_code_block"]
    found: list[tuple[int, int]] = []
    reassemble: Callable[[list[str]], list[str]] = fences.reassemble

    def record(lines: list[str]) -> list[str]:
        # The preprocessor keeps (placeholder, start, end) for each block it found until it puts them in.
        found.extend((start, end) for _placeholder, start, end in fences.stack)
        return reassemble(lines)
    fences.reassemble = record
    return md, found


def code_lines(body: str) -> frozenset[int]:
    """Indices of the lines of `body` inside fenced code blocks, fences included."""
    return frozenset(i for start, end in fenced_blocks(body) for i in range(start, end))


_BACKTICKS = BacktickInlineProcessor(BACKTICK_RE)
_OPENER = re.compile(BACKTICK_RE)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Code spans in `text`, paired as Python-Markdown's own backtick pattern pairs them."""
    spans = []
    pos = 0
    while (match := _OPENER.search(text, pos)) is not None:
        if match.group(1):  # escaped backslashes
            pos = match.end()
            continue
        start, end = _BACKTICKS.find_code_spans(match.start(), text)
        if end is None:
            pos = start
            continue
        pos = end + start - match.start()
        spans.append((match.start(), pos))
    return spans


def mask_code(lines: list[str], code: frozenset[int]) -> list[str]:
    """`lines` with fenced code blanked and code spans replaced by spaces.

    A code span is masked only where pairing its backticks line by line and paragraph by
    paragraph agree (the renderer pairs them within a paragraph, a list item, a heading...,
    which a line-based lint cannot tell apart), and never in raw HTML, where backticks are
    plain text: anything in doubt is checked as live markup.
    """
    out = ["" if i in code else line for i, line in enumerate(lines)]
    if not any("`" in line for line in out):
        return out
    raw = _raw_html_lines(lines, code) if any("<" in line for line in out) else set()
    plain = [i not in code and i not in raw for i in range(len(lines))]
    by_line = {i: _code_spans(line) for i, line in enumerate(lines) if plain[i] and "`" in line}
    masked: dict[int, list[tuple[int, int]]] = {}
    index = 0
    while index < len(lines):
        if not plain[index] or not lines[index].strip():
            index += 1
            continue
        first = index
        while index < len(lines) and plain[index] and lines[index].strip():
            index += 1
        if not any(by_line.get(i) for i in range(first, index)):
            continue
        starts = [0]
        for line in lines[first:index]:
            starts.append(starts[-1] + len(line) + 1)
        for start, end in _code_spans("\n".join(lines[first:index])):
            row = bisect.bisect_right(starts, start) - 1
            while row < index - first and starts[row] < end:
                line_start, line_end = max(start - starts[row], 0), min(end - starts[row], starts[row + 1] - 1)
                for span_start, span_end in by_line.get(first + row, ()):
                    low, high = max(line_start, span_start), min(line_end, span_end)
                    if low < high:
                        masked.setdefault(first + row, []).append((low, high))
                row += 1
    for row, spans in masked.items():
        text = out[row]
        for low, high in spans:
            text = text[:low] + " " * (high - low) + text[high:]
        out[row] = text
    return out


def _raw_html_lines(lines: list[str], code: frozenset[int]) -> set[int]:
    """Lines in blocks of raw HTML (a block-level tag at the start of a line, to its end tag), as
    Python-Markdown takes them: their text is not Markdown, so backticks there make no code."""
    raw: set[int] = set()
    index = 0
    while index < len(lines):
        start = RAW_START.match(lines[index]) if index not in code else None
        tag = start.group(1).lower() if start else ""
        if start is None or (tag != "!--" and tag not in BLOCK_LEVEL_ELEMENTS):
            index += 1
            continue
        depth, last = 0, len(lines) - 1
        for row in range(index, len(lines)):
            line = lines[row][start.end():] if row == index else lines[row]
            if tag == "!--":
                if "-->" in line:
                    last = row
                    break
                continue
            if tag in VOID_BLOCKS:
                last = row
                break
            depth += len(re.findall(rf"<{tag}\b", lines[row], re.IGNORECASE))
            depth -= len(re.findall(rf"</{tag}\s*>", lines[row], re.IGNORECASE))
            if depth <= 0:
                last = row
                break
        # md_in_html: the inside of <div markdown> is Markdown again
        inside_is_markdown = tag != "!--" and re.search(r"\smarkdown\b", lines[index].split(">", 1)[0]) is not None
        raw.update((index, last) if inside_is_markdown else range(index, last + 1))
        index = last + 1
    return raw


def _check_fences(translation: Translation, lines: list[str], code: frozenset[int], report: Report) -> None:
    """A line CommonMark readers take as a fence, which the renderer does not: its code would be live."""
    for index, line in enumerate(lines):
        fence = FENCE_LIKE.match(line) if index not in code else None
        if fence is None or (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            continue  # an info string with a backtick makes no fence (CommonMark)
        report.error(Position(translation.shown, translation.body_line + index, fence.start(1) + 1),
                     f"this {fence.group(1)} line is not read as a code fence: the lines around it would show as "
                     "page text, and any HTML in them would run", FENCE_HINT)


def _elsewhere(url: str) -> bool:
    """True for a URL that browsers fetch from another host (data: URLs are part of the page)."""
    url = url.strip().replace("\\", "/")
    parts = urlsplit(url)
    return url.startswith("//") or bool(parts.netloc) or parts.scheme.lower() not in ("", "data")


class _Tags(HTMLParser):
    """The start tags of raw HTML, with their position (1-based line, 0-based column)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[tuple[int, int], str, list[tuple[str, str | None]]]] = []
        self.styles: list[tuple[tuple[int, int], str]] = []
        """The text of each <style> element, with the position of its tag."""
        self._style: tuple[int, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((self.getpos(), tag, attrs))
        if tag == "style":
            self._style = self.getpos()
            self.styles.append((self._style, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = None

    def handle_data(self, data: str) -> None:
        if self._style is not None:  # the parser gives a <style>'s text in one piece (CDATA content)
            self.styles[-1] = (self._style, self.styles[-1][1] + data)


def _check_html(translation: Translation, live: list[str], lines: list[str], code: frozenset[int],
                report: Report) -> None:
    """Raw HTML that runs a script, embeds another site or loads anything from another host."""
    def at(line: int, column: int) -> Position:
        return Position(translation.shown, translation.body_line + line, column + 1)

    if "<" in translation.body:
        parser = _Tags()
        parser.feed(AUTOLINK.sub(lambda m: " " * len(m.group(0)), "\n".join(live)))
        parser.close()
        for (row, column), tag, attrs in parser.tags:
            where = at(row - 1, column)
            if tag == "img" and not any(name == "alt" for name, _value in attrs):
                report.error(where, "<img> without alt attribute",
                             'add alt="what it shows", or alt="" if it is decorative')
            if tag == "script":
                report.error(where, "<script> in the text would run on the page",
                             "remove it: pages run only Loa's own scripts; to show code, put it in a ``` block")
            elif tag in EMBEDS:
                report.error(where, f"<{tag}> in the text would put another site or a plug-in inside the page",
                             EMBEDS[tag])
            _check_attributes(tag, attrs, where, report, resources=tag not in EMBEDS)
        for (row, column), style in parser.styles:
            _check_css("<style>", style, at(row - 1, column), report)
    for index, line in enumerate(live):
        source = lines[index] if index in code and index - 1 not in code else line  # a block's opening fence
        if "{" in source:  # attribute lists (attr_list), also on a code block's opening fence
            for attr_list in ATTR_LIST.finditer(source):
                _check_attributes("", get_attrs(attr_list.group(1)), at(index, attr_list.start()), report)
    definitions = {m.group(1).strip().lower(): m.group(2) for line in live if (m := REFERENCE.match(line))}
    for index, line in enumerate(live):
        if "![" not in line or not definitions:
            continue
        for image in REFERENCE_IMAGE.finditer(line):
            url = definitions.get((image.group(2) or image.group(1)).strip().lower())
            if url is not None and _elsewhere(url):
                report.error(at(index, image.start()), f"image '{url}' is loaded from another site",
                             f"put the image in content/ and use a relative path: {PUT_IN_CONTENT}")


def _check_attributes(tag: str, attrs: list[tuple[str, str | None]] | list[tuple[str, str]], where: Position,
                      report: Report, resources: bool = True) -> None:
    """Attributes of a raw HTML tag, or of an attribute list `{: ...}` (tag '')."""
    urls, hint = RESOURCES.get(tag, (("src", "srcset", "poster"), "put the file in content/ and use a relative path"))
    what = f"<{tag}>" if tag else "an attribute list {: ...}"
    for name, value in attrs:
        name = name.lower()
        if EVENT_HANDLER.fullmatch(name):
            report.error(where, f"event-handler attribute {name}= in the text would run a script", "remove it")
        elif name == "style" and value:
            _check_css(f"the style of {what}", value, where, report)
        elif name in urls and value and resources:
            for url in (part.split()[0] for part in value.split(",") if part.split()) if name == "srcset" else [value]:
                if _elsewhere(url):
                    report.error(where, f"{what} loads '{url}' from another site", hint)
                    break


def _check_css(what: str, css: str, where: Position, report: Report) -> None:
    for match in CSS_URL.finditer(css):
        url = match.group(1) or match.group(2)
        if _elsewhere(url):
            report.error(where, f"{what} loads '{url}' from another site",
                         "put the image in content/ and use a relative path")
            return
    # The published pages' Content-Security-Policy (loa/render/view.py, CSP) allows styles from the site's
    # files only: inline CSS is silently dropped by the browser, so say so here.
    report.warning(where, f"{what} has no effect: the site's Content-Security-Policy refuses inline styles",
                   "use Markdown (aligned table columns work), or add a class to theme/assets/stylesheets/loa.css")


def _check_download(text: str, target: str, translation: Translation, assets: Mapping[str, Asset],
                    where: Position, report: Report) -> None:
    extension = DOWNLOAD.search(target.split("#")[0].split("?")[0])
    assert extension is not None
    fmt = extension.group(1).upper()
    has_format = fmt.lower() in text.lower()
    has_size = SIZE.search(text) is not None
    if has_format and has_size:
        return
    suggestion = f"({fmt}"
    doc_dir = translation.shown.split("/", 2)[2].rsplit("/", 1)[0] if translation.shown.count("/") > 2 else ""
    relative = _join(doc_dir, target)
    asset = assets.get(relative) if relative else None
    if asset is not None:
        size = next(iter(asset.files.values())).stat().st_size
        suggestion += f", {_human(size)}"
    else:
        suggestion += ", size"
    suggestion += ")"
    report.warning(where, f"download link '{text}' does not say its format and size",
                   f"add them to the link text, e.g. [{text} {suggestion}]({target})")


def _join(base: str, target: str) -> str | None:
    if "://" in target or target.startswith("/"):
        return None
    parts = [p for p in base.split("/") if p]
    for part in target.split("/"):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _human(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
