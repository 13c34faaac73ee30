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
import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tinycss2  # type: ignore[import-untyped]

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
tests/test_design.py checks that no page of the sample site, and no file of theme/, uses these classes.

Why: Material's stylesheet blocks the first paint; a phone on a slow link fetches it before it shows
anything (bench/lighthouse.py: 138 KB raw, 23 KB gzip, about 0.6 s of first paint under Lighthouse's
simulated slow 4G). These rules are about a quarter of it, and cost every first visit; cutting them is
cheaper than inlining critical CSS, which would add bytes to every page and to every repeat visit
(the stylesheet is then cached, the inline copy is not).
"""


def _drops(selector: list[Any], components: tuple[str, ...]) -> bool:
    """Whether one selector of a list needs a class of `components` (a `.class` at its top level, not
    inside `:not()` or `:is()`, where it would not be required)."""
    for before, token in itertools.pairwise(selector):
        if before.type == "literal" and before.value == "." and token.type == "ident":
            name = token.value
            if any(name == part or name.startswith((part + "_", part + "-")) for part in components):
                return True
    return False


def _selectors(prelude: list[Any]) -> list[list[Any]]:
    found: list[list[Any]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            found.append([])
        else:
            found[-1].append(token)
    return found


def _pruned(rules: list[Any], components: tuple[str, ...]) -> list[str]:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _selectors(rule.prelude) if not _drops(s, components)]
            if not selectors:
                continue
            if len(selectors) < len(_selectors(rule.prelude)):
                prelude = ",".join(tinycss2.serialize(s).strip() for s in selectors)
                kept.append(prelude + "{" + tinycss2.serialize(rule.content) + "}")
                continue
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in NESTING:
            inner = _pruned(tinycss2.parse_rule_list(rule.content), components)
            if inner:
                kept.append("@" + rule.at_keyword + tinycss2.serialize(rule.prelude) + "{" + "".join(inner) + "}")
            continue
        kept.append(rule.serialize())
    return kept


NESTING = ("media", "supports", "container", "layer")
"""At-rules whose content is rules (kept, with what is left of them, when any is left)."""


def without_components(css: str, components: tuple[str, ...] = UNUSED_COMPONENTS) -> str:
    """The stylesheet without the selectors that need a class of `components` (and the rules left with none).

    Everything else is written back as it was read (tinycss2's serialisation of the parsed tokens)."""
    return "".join(_pruned(tinycss2.parse_stylesheet(css), components))


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
