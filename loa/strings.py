"""UI strings with a fallback chain, like Material's `partials/language.html`.

Strings live in `theme/strings/<lang>.yml`; a language that lacks a key falls
back along its configured chain (e.g. hmn -> vi -> en), so a new language can
start with a few strings and still render a complete interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape


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

    def html(self, key: str, **values: object) -> Markup:
        """The string as HTML, wrapped with its `lang` when it comes from a fallback language.

        The string is text: it is escaped, and so is every value that is not already `Markup`
        (Loa's own markup, e.g. a language name in a span, stays as it is).
        """
        text = escape(self.table.get(key, key))
        text = text.format(**values) if values else text
        source = self.origin.get(key, self.lang)
        return text if source == self.lang else Markup('<span lang="{}">{}</span>').format(source, text)

def resolve(strings: Mapping[str, Mapping[str, str]], chain: tuple[str, ...]) -> UIStrings:
    table: dict[str, str] = {}
    origin: dict[str, str] = {}
    for lang in reversed((*chain, "en")):
        for key, text in strings.get(lang, {}).items():
            table[key] = text
            origin[key] = lang
    return UIStrings(chain[0], dict(sorted(table.items())), dict(sorted(origin.items())))
