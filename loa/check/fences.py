"""Which lines of a page's Markdown are code, read as the renderer reads them.

Fenced blocks are found by the renderer's own fence reader (pymdownx.superfences with the
settings `FENCES`, which loa/render/config.py uses too), and code spans are paired by
Python-Markdown's own backtick pattern, so the content lint (loa/check/lint.py) and the page
cannot disagree about what is code. `mask_code` gives the lines as the reader gets them as
markup; `check_fences` reports a line that CommonMark readers take as a fence but the renderer
does not, since what follows it would be live.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from typing import Any

import markdown  # type: ignore[import-untyped]
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor  # type: ignore[import-untyped]
from markdown.util import BLOCK_LEVEL_ELEMENTS  # type: ignore[import-untyped]

from loa.errors import Position, Report
from loa.messages import N_, _
from loa.model import Translation

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
FENCE_HINT = N_("open and close a code block with the same fence on lines of their own, after an empty line and at "
                 "the same indent (4 spaces in a list item), and indent each line of code at least as much")
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


def check_fences(translation: Translation, lines: list[str], code: frozenset[int], report: Report) -> None:
    """A line CommonMark readers take as a fence, which the renderer does not: its code would be live."""
    for index, line in enumerate(lines):
        fence = FENCE_LIKE.match(line) if index not in code else None
        if fence is None or (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            continue  # an info string with a backtick makes no fence (CommonMark)
        report.error(Position(translation.shown, translation.body_line + index, fence.start(1) + 1),
                     _("this %(fence)s line is not read as a code fence: the lines around it would show as "
                       "page text, and any HTML in them would run", fence=fence.group(1)), _(FENCE_HINT))
