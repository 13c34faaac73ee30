"""Addresses that run code: `javascript:`, `vbscript:` and `data:` URLs in a page's links and images.

Such a link runs a script, or opens a document the page did not make, when a reader follows it;
Python-Markdown writes any address it is given. The check reads the Markdown as the renderer does
where it matters: not inside fenced or indented code blocks, nor inside inline code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from .errors import Position, Report

SCHEMES = ("javascript:", "vbscript:", "data:")
IGNORED = re.compile(r"[\t\n\r]")
"""What a browser drops from anywhere in a URL before reading its scheme."""
LEADING = "".join(chr(c) for c in range(0x21))
"""What a browser drops from the start of a URL: spaces and control characters."""
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
DESTINATIONS = (
    re.compile(r"\]\(\s*(<[^>\n]*>|[^\s)]+)"),  # [text](url), ![alt](url)
    re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>\n]*>|\S+)"),  # [label]: url
    re.compile(r"\b(?:href|src|srcset|xlink:href|action|formaction|poster)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)",
               re.IGNORECASE),  # raw HTML
)


def runs_code(url: str) -> str:
    """The scheme (`javascript:`...) if a browser reads `url` as one that runs code, else ''.

    As a browser reads it: character references decoded (`&#106;avascript:`), tabs and newlines
    dropped, leading spaces and control characters ignored, in any case.
    """
    text = IGNORED.sub("", html.unescape(url)).lstrip(LEADING).lower()
    return next((scheme for scheme in SCHEMES if text.startswith(scheme)), "")


def code_lines(body: str) -> Iterator[tuple[int, str]]:
    """(index, text) of the lines of Markdown that are not code, with inline code blanked out."""
    fence = ""
    indented = blank = True
    in_list = False
    for index, line in enumerate(body.split("\n")):
        opening = FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        if not line.strip():
            blank = True
            continue
        starts_code = line.startswith(("    ", "\t")) and (blank or indented) and not in_list
        indented = starts_code
        if LIST_ITEM.match(line):
            in_list = True
        elif blank and not line.startswith((" ", "\t")):
            in_list = False
        blank = False
        if not starts_code:
            yield index, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def check_links(body: str, shown: str, body_line: int, report: Report) -> None:
    """Report, with file and line, every link or image address in `body` that runs code."""
    for index, line in code_lines(body):
        for pattern in DESTINATIONS:
            for match in pattern.finditer(line):
                url = match.group(1).strip("<>\"'")
                scheme = runs_code(url)
                if scheme:
                    hint = ("put the image in content/ and link to its file" if scheme == "data:"
                            else "link to a web page (https://...) or to a page or file of the site")
                    report.error(Position(shown, body_line + index, match.start(1) + 1),
                                 f"link to '{url}': a {scheme} address runs code in the reader's browser", hint)
