"""Loa's stylesheets as the site serves them: without their comments.

`theme/assets/stylesheets/loa.css` explains its rules in comments (why a colour, which audit asked for
what); a reader's phone has no use for them, and they were 2.3 of the 5.7 KB (gzip) it fetched of that
file, on a first visit that must stay within 50 KB (bench/weight.py). The theme's file is unchanged; the
plugin (loa/render/plugin.py) publishes this copy. No MkDocs import.
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|/\*.*?\*/""", re.DOTALL)
"""A quoted string (kept as it is: a `/*` in it is text) or a comment."""
BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def without_comments(css: str) -> str:
    """The stylesheet without its `/* ... */` comments, and without the blank lines they leave."""
    stripped = TOKEN.sub(lambda m: m.group(1) or "", css)
    return BLANK_LINES.sub("\n", "\n".join(line.rstrip() for line in stripped.split("\n"))).lstrip("\n")
