"""Checks of the UI strings files, theme/strings/<lang>.yml, with file and line.

The strings themselves, their fallbacks and plural forms, are used at render time
(loa/i18n/strings.py); this module says what is wrong with a file before any of it is shown.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from string import Formatter

from loa.errors import Position, Report
from loa.i18n.strings import CATEGORIES, PLURALS, cldr_locale, plural_categories, resolve
from loa.load.source import Node
from loa.messages import _

PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "date.format": frozenset({"d", "m", "month", "y"}),
    "campaign.until": frozenset({"date"}),
    "page.reviewed": frozenset({"date"}),
    "page.review_due": frozenset({"date"}),
    "behind.notice": frozenset({"date"}),
    "page.ages": frozenset({"ages"}),
    "hotline.call": frozenset({"number"}),
    "fallback.notice": frozenset({"language"}),
    "search.found": frozenset({"n"}),
    "scroll.table.named": frozenset({"name"}),
    "scroll.code.named": frozenset({"name"}),
    "print.poster": frozenset({"n"}),
    # the campaign's channels (loa/plan/channels.py, loa/plan/toolkit.py)
    "toolkit.title": frozenset({"title"}),
    "toolkit.copy": frozenset({"n"}), "toolkit.share": frozenset({"n"}), "toolkit.fallback": frozenset({"language"}),
    "toolkit.sms.count": frozenset({"encoding", "units", "segments"}),
    "sms.text": frozenset({"message", "name", "number"}), "sms.hotline": frozenset({"name", "number"}),
    "speech.opening": frozenset({"title"}), "speech.hotline": frozenset({"name", "digits"}),
    "speech.repeat": frozenset({"digits"}), "speech.reading": frozenset({"time", "pace"}),
    "speech.time.minutes": frozenset({"m", "s"}), "speech.time.seconds": frozenset({"s"}),
    "toolkit.format.png.size": frozenset({"width", "height"}),
    "speech.rate.syllables": frozenset({"n"}), "speech.rate.words": frozenset({"n"}),
    # "save for offline" (assets/javascripts/loa-offline.js fills them in)
    "offline.save.progress": frozenset({"done", "total"}), "offline.save.done": frozenset({"total"}),
    "offline.save.partial": frozenset({"done", "total"}),
    "page.reading": frozenset({"n"}),  # a material's reading time in minutes (loa/plan/pages.py)
    "offline.note": frozenset({"date"}),  # the offline copy (loa/outputs/offline/)
}
"""The values Loa gives each string that has any (the key of a plural without its category);
every other string is shown as written."""
OPTIONAL_KEYS = ("date.format", "date.months")
"""Keys that en.yml does not need: dates come from CLDR (loa/i18n/dates.py) unless a language sets them."""
REQUIRED_PREFIXES = ("type.", "types.")
"""Each material type needs both labels (loa/model.py DOCUMENT_TYPES) in every language's chain."""


def _base(key: str) -> str:
    """`search.found.one` -> `search.found`; other keys are their own base."""
    head, _dot, tail = key.rpartition(".")
    return head if head in PLURALS and tail in CATEGORIES else key


def check_strings(files: Mapping[str, Node], chains: Mapping[str, tuple[str, ...]], report: Report,
                  types: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """The texts of each strings file, checked; problems go to `report`, with file and line.

    `files`: language -> the file's mapping; `chains`: language -> its fallback chain (English,
    the last fallback, is checked like the others). Checked: that each value is text, known keys
    (those of en.yml), the placeholders and braces of each text, plural categories, twelve month
    names, and that every material type has its labels somewhere in each language's chain.
    """
    english = files.get("en")
    known = {*((english.value if english is not None and isinstance(english.value, dict) else {}).keys()),
             *OPTIONAL_KEYS, *(f"{base}.{category}" for base in PLURALS for category in CATEGORIES)}
    strings: dict[str, dict[str, str]] = {}
    for lang, node in files.items():
        if not isinstance(node.value, dict):
            report.error(node.pos, _("UI strings: expected a mapping of 'key: text'"))
            continue
        table = strings[lang] = {}
        for key, value in node.value.items():
            if lang != "en" and key not in known:
                close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
                report.error(node.key_pos.get(key, value.pos), _("unknown key '%(key)s'", key=key),
                             _("did you mean '%(close)s'?", close=close[0]) if close
                             else _("the keys are those of theme/strings/en.yml"))
                continue
            text = value.value
            if isinstance(text, (int, float)) and not isinstance(text, bool):
                text = str(text)
            if not isinstance(text, str) or not text.strip():
                report.error(value.pos, _("%(label)s: expected text, found %(found)s", label=key, found=repr(text)),
                             _("put the text in quotes if it looks like a number, date or yes/no"))
                continue
            if _placeholders_ok(key, text, value.pos, report):
                table[key] = text.strip()
        _check_language(lang, table, node, report)
    for lang, chain in chains.items():
        if cldr_locale(lang) is None and "date.format" not in strings.get(lang, {}):
            report.warning(files[lang].pos if lang in files else Position(f"theme/strings/{lang}.yml"),
                           _("dates in '%(lang)s' are shown as 2026-11-01: CLDR has no date format for this language",
                             lang=lang),
                           _("add date.format (for example \"{d}/{m}/{y}\") to theme/strings/%(lang)s.yml", lang=lang))
        resolved = resolve(strings, chain).table
        missing = [f"{prefix}{t}" for t in types for prefix in REQUIRED_PREFIXES if f"{prefix}{t}" not in resolved]
        if missing:
            where = files[lang].pos if lang in files else Position(f"theme/strings/{lang}.yml")
            report.error(where, _("no label for %(keys)s in '%(lang)s' or its fallbacks (%(chain)s)",
                                  keys=", ".join(missing), lang=lang, chain=", ".join(dict.fromkeys((*chain, "en")))),
                         _("every material type needs a name (type.<type>) and a plural (types.<type>)"))
    return strings


def _placeholders_ok(key: str, text: str, where: Position, report: Report) -> bool:
    base = _base(key)
    allowed = PLACEHOLDERS.get(base, frozenset())
    try:
        fields = [(name, spec, conversion) for _literal, name, spec, conversion in Formatter().parse(text)
                  if name is not None]
    except ValueError:
        hint = _("write {{ or }} for a brace shown as text") if allowed else _("remove it: this text takes no values")
        report.error(where, _("%(label)s: a '{' or '}' without its pair", label=key), hint)
        return False
    for name, spec, conversion in fields:
        if name in allowed and not spec and not conversion:
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if not allowed:
            report.error(where, _("%(label)s: unknown placeholder %(shown)s", label=key, shown=shown),
                         _("this text takes no values: remove the braces"))
        else:
            close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.5) \
                or (sorted(allowed) if len(allowed) == 1 else [])
            known = ", ".join("{" + n + "}" for n in sorted(allowed))
            report.error(where, _("%(label)s: unknown placeholder %(shown)s", label=key, shown=shown),
                         _("did you mean %(close)s? known: %(known)s", close="{" + close[0] + "}", known=known)
                         if close and close[0] != name else _("known: %(known)s", known=known))
        return False
    return True


def _check_language(lang: str, table: dict[str, str], node: Node, report: Report) -> None:
    """Rules across the keys of one file: month names, and the forms of plurals."""
    assert isinstance(node.value, dict)
    months = table.get("date.months")
    if months is not None and len([m for m in months.split(",") if m.strip()]) != 12:
        report.error(node.value["date.months"].pos,
                     _("date.months: expected the 12 month names, separated by commas"))
    if "{month}" in table.get("date.format", "") and months is None:
        report.error(node.value["date.format"].pos, _("date.format: {month} needs the month names in this file"),
                     _("add date.months (January, February, ...) in this language, or use {m}"))
    categories = plural_categories(lang)
    for base in PLURALS:
        given = [key for key in table if _base(key) == base and key != base]
        if given and f"{base}.other" not in table:
            report.error(node.key_pos.get(given[0], node.pos),
                         _("%(label)s: the plural forms need '%(label)s.other'", label=base),
                         _("'other' is the form used for any number the other forms do not cover"))
        for key in given:
            category = key.rpartition(".")[2]
            if categories is not None and category not in categories:
                report.warning(node.key_pos.get(key, node.pos),
                               _("%(label)s: '%(lang)s' has no plural form '%(category)s' (CLDR: %(categories)s)",
                                 label=key, lang=lang, category=category, categories=", ".join(categories)),
                               _("remove it: it is never shown"))
