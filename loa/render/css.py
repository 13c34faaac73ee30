"""Loa's stylesheets as the site serves them: without their comments; Material's without the parts no page shows.

`theme/assets/stylesheets/loa.css` explains its rules in comments (why a colour, which audit asked for
what); a reader's phone has no use for them, and they were 2.3 of the 5.7 KB (gzip) it fetched of that
file, on a first visit that must stay within 50 KB (bench/weight.py). The theme's file is unchanged; the
plugin (loa/render/plugin.py) publishes this copy. No MkDocs import.

Material's main stylesheet is published without the rules of its parts that no page of Loa's can show
(`UNUSED_COMPONENTS`, `MARKDOWN_PARTS`), under a name of its own (`material_main`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

TOKEN = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|/\*.*?\*/""", re.DOTALL)
"""A quoted string (kept as it is: a `/*` in it is text) or a comment."""
BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def without_comments(css: str) -> str:
    """The stylesheet without its `/* ... */` comments, and without the blank lines they leave."""
    stripped = TOKEN.sub(lambda m: m.group(1) or "", css)
    return BLANK_LINES.sub("\n", "\n".join(line.rstrip() for line in stripped.split("\n"))).lstrip("\n")


UNUSED_COMPONENTS = ("md-search", "md-tooltip", "md-tooltip2", "md-annotation", "md-clipboard", "md-version",
                     "md-progress", "md-top", "md-tag", "md-post", "md-author", "md-pagination")
"""Parts of Material that no page of Loa's can show, whose rules Loa's copy of Material's stylesheet drops.

Each is made by Material's JavaScript bundle, which Loa does not load (theme/base.html, change 4):
tooltips, code annotations and copy buttons, the version selector, instant loading's progress bar; or
shown by it (the back-to-top button stays `hidden` without it); or rendered only by plugins that Loa
never enables (loa/render/config.py sets `plugins: []`: search, which Pagefind does, tags, blog). What
an officer can switch on in `mkdocs.yml` and a template draws without the bundle (navigation tabs, the
repository link, content written with Markdown extensions) keeps its rules.
tests/test_material_css.py checks that no template or script of theme/, and no page of a built site,
uses these classes.

Why: Material's stylesheet blocks the first paint; a phone on a slow link fetches it before it shows
anything (bench/lighthouse.py: 138 KB raw, 23 KB gzip, about 0.6 s of first paint under Lighthouse's
simulated slow 4G). These rules, with those of `MARKDOWN_PARTS`, are a third of it, and cost every first
visit; cutting them is cheaper than inlining critical CSS, which would add bytes to every page and to
every repeat visit (the stylesheet is then cached, the inline copy is not).
"""


PIECE = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|/\*.*?\*/|url\([^)"']*\)|[{};]|[^"'{};/u]+|.""",
                   re.DOTALL)
"""The stylesheet's pieces: strings, comments and unquoted `url(...)` whole (a brace or a semicolon in them
is text), braces and semicolons, and the text between."""
NESTING = ("@media", "@supports", "@container", "@layer")
"""At-rules whose content is rules (kept, with what is left of them, when any is left)."""
INSIDE = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\[[^\]]*\]|\([^()]*\)""")
"""What a class in a selector is not required by: strings, attribute tests, the arguments of `:not()`,
`:is()`, `:where()`, `:has()` (the innermost first: removed until none is left)."""
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


def _needs(selector: str, components: tuple[str, ...]) -> bool:
    """Whether a selector needs a class of `components`: a `.class` at its top level."""
    while (bare := INSIDE.sub("", selector)) != selector:
        selector = bare
    return any(map(_classes_of(components).match, CLASS.findall(selector)))


@functools.lru_cache(maxsize=8)
def _classes_of(components: tuple[str, ...]) -> re.Pattern[str]:
    """A class name of one of `components`: its name, or its name and `_` or `-` and more (`md-search__form`)."""
    return re.compile(f"(?:{'|'.join(map(re.escape, components))})(?:[_-]|$)")


def _selectors(prelude: str) -> list[str]:
    """A selector list split at its commas (not those in parentheses, brackets or strings)."""
    found, depth, start, quote = [], 0, 0, ""
    for index, char in enumerate(prelude):
        if quote:
            quote = "" if char == quote and prelude[index - 1] != "\\" else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            found.append(prelude[start:index])
            start = index + 1
    return [*found, prelude[start:]]


def _rules(pieces: list[str], at: int, components: tuple[str, ...]) -> tuple[list[str], int]:
    """The rules from `pieces[at]` to the end of the enclosing block, without the selectors that need a
    class of `components`; and where they end. Everything kept is the text as it was."""
    kept: list[str] = []
    prelude = ""
    while at < len(pieces):
        piece, at = pieces[at], at + 1
        if piece == "}":
            break
        if piece == ";":  # a statement: @charset, @import
            kept.append(prelude + ";")
            prelude = ""
        elif piece != "{":
            prelude += piece
        elif prelude.lstrip().startswith(NESTING):
            inner, at = _rules(pieces, at, components)
            if inner:
                kept.append(prelude + "{" + "".join(inner) + "}")
            prelude = ""
        else:
            depth, body = 1, ""
            while depth:
                piece, at = pieces[at], at + 1
                depth += {"{": 1, "}": -1}.get(piece, 0)
                body += piece if depth else ""
            selectors = _selectors(prelude) if not prelude.lstrip().startswith("@") else [prelude]
            selectors = [s for s in selectors if not _needs(s, components)]
            if selectors:
                kept.append(",".join(selectors) + "{" + body + "}")
            prelude = ""
    if prelude.strip():
        kept.append(prelude)
    return kept, at


def without_components(css: str, components: tuple[str, ...] = UNUSED_COMPONENTS) -> str:
    """The stylesheet without the selectors that need a class of `components` (and the rules left with
    none, and the `@media` and `@supports` blocks left empty); everything else as it was, to the byte.

    A small reader of CSS's blocks, not a parser: Material's stylesheet is minified, its rules are
    selectors or at-rules followed by a block (tests/test_material_css.py reads it with tinycss2 too)."""
    return "".join(_rules(PIECE.findall(css), 0, components)[0])


MARKDOWN_PARTS = {
    "pymdownx.tabbed": ("tabbed-set", "tabbed-labels", "tabbed-content", "tabbed-block", "tabbed-button",
                        "tabbed-control", "tabbed-alternate"),
    "pymdownx.keys": ("keys",),
    "pymdownx.critic": ("critic",),
    "pymdownx.arithmatex": ("arithmatex",),
}
"""Markup that only a Markdown extension writes (content tabs, keyboard keys, Critic marks, maths), by the
extension: its rules are dropped when `mkdocs.yml` does not enable it (loa/render/config.py adds the
extensions Loa needs; an officer can add others)."""


def unused_markdown(extensions: Iterable[str]) -> tuple[str, ...]:
    enabled = set(extensions)
    return tuple(part for name, parts in MARKDOWN_PARTS.items() if name not in enabled for part in parts)


@functools.lru_cache(maxsize=8)
def material_main(source: Path, markdown: tuple[str, ...]) -> tuple[str, str]:
    """(site path, text) of Loa's copy of Material's main stylesheet `source`: without the rules of
    `UNUSED_COMPONENTS` and of `markdown` (`unused_markdown` of the site's extensions). Its name carries a
    hash of that text, as Material's does of its own, so that a browser or the service worker never keeps
    a copy cut for other settings or by another version of Loa."""
    text = without_components(source.read_text(encoding="utf-8"), UNUSED_COMPONENTS + markdown)
    return f"assets/stylesheets/main.{hashlib.sha256(text.encode()).hexdigest()[:8]}.min.css", text
