"""UI strings with a fallback chain, like Material's `partials/language.html`.

Strings live in `theme/strings/<lang>.yml`; a language that lacks a key falls
back along its configured chain (e.g. hmn -> vi -> en), so a new language can
start with a few strings and still render a complete interface.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class UIStrings:
    """The interface strings of one language, fallbacks already applied."""

    lang: str
    table: Mapping[str, str]
    origin: Mapping[str, str]
    """Key -> the language the string actually comes from (for `lang` attributes)."""

    def t(self, key: str, **values: object) -> str:
        text = self.table.get(key, key)
        return text.format(**values) if values else text

    def __call__(self, key: str, **values: object) -> str:
        return self.t(key, **values)

    def html(self, key: str, **values: object) -> str:
        """The string as HTML-escaped text, wrapped with its `lang` when it comes from a fallback language.

        `values` are inserted unescaped: they are markup made by Loa (e.g. a language name in a span).
        """
        text = html.escape(self.table.get(key, key), quote=False)
        text = text.format(**values) if values else text
        source = self.origin.get(key, self.lang)
        return text if source == self.lang else f'<span lang="{source}">{text}</span>'


def resolve(strings: Mapping[str, Mapping[str, str]], chain: tuple[str, ...]) -> UIStrings:
    table: dict[str, str] = {}
    origin: dict[str, str] = {}
    for lang in reversed((*chain, "en")):
        for key, text in strings.get(lang, {}).items():
            table[key] = text
            origin[key] = lang
    return UIStrings(chain[0], dict(sorted(table.items())), dict(sorted(origin.items())))
