"""Addresses that run code: `javascript:`, `vbscript:` and `data:` URLs in a page's links and images.

Such a link runs a script, or opens a document the page did not make, when a reader follows it;
Python-Markdown writes any address it is given. The check runs in the content lint, on the lines
the lint reads as live Markdown (code blocks and code spans masked as the renderer finds them).
"""

from __future__ import annotations

import html
import re

from loa.errors import Position, Report
from loa.messages import _

SCHEMES = ("javascript:", "vbscript:", "data:")
IGNORED = re.compile(r"[\t\n\r]")
"""What a browser drops from anywhere in a URL before reading its scheme."""
LEADING = "".join(chr(c) for c in range(0x21))
"""What a browser drops from the start of a URL: spaces and control characters."""
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


def check_links(lines: list[str], shown: str, body_line: int, report: Report) -> None:
    """Report, with file and line, every link or image address in `lines` that runs code.

    `lines` are a page's Markdown lines as the content lint reads them (loa/check/fences.py, `mask_code`):
    code blocks blanked and code spans masked, so that code is never read as a link.
    """
    for index, line in enumerate(lines):
        if ":" not in line and "&" not in line:
            continue  # a scheme needs a colon, written or as a character reference (&#58;, &colon;)
        for pattern in DESTINATIONS:
            for match in pattern.finditer(line):
                url = match.group(1).strip("<>\"'")
                scheme = runs_code(url)
                if scheme:
                    hint = (_("put the image in content/ and link to its file") if scheme == "data:"
                            else _("link to a web page (https://...) or to a page or file of the site"))
                    report.error(Position(shown, body_line + index, match.start(1) + 1),
                                 _("link to '%(url)s': a %(scheme)s address runs code in the reader's browser",
                                   url=url, scheme=scheme), hint)
