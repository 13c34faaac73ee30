"""UI strings with a fallback chain, like Material's `partials/language.html`.

Strings live in `theme/strings/<lang>.yml`; a language that lacks a key falls
back along its configured chain (e.g. hmn -> vi -> en), so a new language can
start with a few strings and still render a complete interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from string import Formatter

from babel import Locale, UnknownLocaleError
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
        if values:
            text = format_html(text, **values)
        source = self.origin.get(key, self.lang)
        return text if source == self.lang else Markup(f'<span lang="{escape(source)}">{text}</span>')

    def plural_forms(self, key: str) -> dict[str, str]:
        """The CLDR plural forms of `key` (see `plural_forms` below), for the browser to pick from."""
        return plural_forms(self, key)


def format_html(template: str, *args: object, **values: object) -> Markup:
    """`Markup(template).format(...)`: the values escaped (but `Markup`), the template not. A template of plain
    fields only (`{}`, `{0}`, `{name}`) is filled by `str.format` with escaped values, which gives the same
    text at a tenth of the cost (markupsafe's formatter is Python code; a build at 1,000 materials fills some
    40,000 templates)."""
    if _plain_fields(template):
        escaped = {name: escape(value) for name, value in values.items()}
        return Markup(str.format(template, *map(escape, args), **escaped))
    return Markup(template).format(*args, **values)


@lru_cache(maxsize=4096)
def _plain_fields(template: str) -> bool:
    return all(name is None or (spec == "" and conversion is None and (name == "" or name.isdigit()
                                                                       or name.isidentifier()))
               for _text, name, spec, conversion in Formatter().parse(template))


def resolve(strings: Mapping[str, Mapping[str, str]], chain: tuple[str, ...]) -> UIStrings:
    table: dict[str, str] = {}
    origin: dict[str, str] = {}
    for lang in reversed((*chain, "en")):
        for key, text in strings.get(lang, {}).items():
            table[key] = text
            origin[key] = lang
    return UIStrings(chain[0], dict(sorted(table.items())), dict(sorted(origin.items())))


# -- plurals -------------------------------------------------------------------------------------

PLURALS = ("search.found",)
"""Strings with one key per CLDR plural category: `search.found.one`, `search.found.other`..."""
CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def plural_categories(lang: str) -> tuple[str, ...] | None:
    """The CLDR plural categories of a language (Babel's data), or None when CLDR lacks it."""
    locale = cldr_locale(lang)
    if locale is None:
        return None
    return tuple(c for c in CATEGORIES if c in locale.plural_form.tags or c == "other")


@lru_cache(maxsize=64)
def cldr_locale(lang: str) -> Locale | None:
    """Babel's locale for a BCP 47 tag (`vi`, `zh-Hant`), or None when CLDR has no data for it."""
    try:
        return Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError):
        return None


def plural_forms(ui: UIStrings, key: str) -> dict[str, str]:
    """Category -> text of the plural `key`, all from the language that gives `<key>.other`.

    A language that gives some forms falls back to its own `other`, never to another
    language's `one` (the browser picks the category: Intl.PluralRules, then `other`).
    """
    source = ui.origin.get(f"{key}.other")
    return {category: ui.table[name] for category in CATEGORIES
            if (name := f"{key}.{category}") in ui.table and ui.origin.get(name) == source}


def plural(ui: UIStrings, key: str, count: int, **values: object) -> str:
    """The plural string `key` for `count`, by the language's CLDR rule (Babel), with `{n}` filled in."""
    forms = plural_forms(ui, key)
    locale = cldr_locale(ui.origin.get(f"{key}.other", ui.lang))
    category = locale.plural_form(count) if locale is not None else "other"
    text = forms.get(category, forms.get("other", key))
    return text.format(n=count, **values)
