"""Dates as readers of each language write them.

CLDR (through Babel) knows how Vietnamese, English and most languages write a date; a
language's own strings file may override it (`date.format` with `{d}`, `{m}`, `{y}` and
`{month}`, from `date.months`), and is the only source for a language CLDR lacks, such as
Hmong (`hmn`). A language never borrows its fallback's format or month names: a Hmong reader
must not get Vietnamese months. Without either, the date is ISO (2026-11-01), which every
reader can read, and `check` says so (loa/check/strings.py).
"""

from __future__ import annotations

import datetime as dt
import functools

from babel import Locale
from babel.dates import format_date as babel_format_date

from loa.i18n.strings import UIStrings, cldr_locale


def own_format(ui: UIStrings) -> bool:
    """Does the language's own strings file set `date.format` (not a fallback language's)?"""
    return ui.origin.get("date.format") == ui.lang


def format_date(value: dt.date, lang: str, ui: UIStrings) -> str:
    """`value` written for readers of `lang` (whose strings are `ui`): `1 tháng 11, 2026`, `November 1, 2026`."""
    if own_format(ui):
        months = [name.strip() for name in ui.t("date.months").split(",")] if ui.origin.get("date.months") == ui.lang \
            else []
        return ui.t("date.format", d=value.day, m=f"{value.month:02d}", y=value.year,
                    month=months[value.month - 1] if len(months) == 12 else value.month)
    return _long_date(value, cldr_locale(lang))


@functools.lru_cache(maxsize=4096)  # a site shows the same few dates on many pages (reviews, campaigns' periods)
def _long_date(value: dt.date, locale: Locale | None) -> str:
    return babel_format_date(value, format="long", locale=locale) if locale is not None else value.isoformat()
