"""The review cycle: a material's facts are checked again `review_every` months after `reviewed`.

The site sets the cycle (`extra.loa.review_every`, 12 months by default) and a material may set
its own. A material past its date is a warning, so an error with `--strict`: a province can
refuse to publish facts nobody has checked for too long.
"""

from __future__ import annotations

import calendar
import datetime as dt

from loa.errors import Position, Report
from loa.messages import _, ngettext
from loa.model import Site, Translation


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 January + 1 -> 28 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due(translation: Translation, site_every: int) -> dt.date | None:
    if translation.reviewed is None:
        return None
    return add_months(translation.reviewed, translation.review_every or site_every)


def check_reviews(site: Site, today: dt.date, report: Report) -> None:
    """Warn about every material whose facts are past their review date on `today`."""
    default = site.settings.default_language
    for document in site.documents.values():
        original = document.translations.get(default)
        if document.kind != "material" or original is None:
            continue
        due = review_due(original, site.settings.review_every)
        if due is not None and due <= today:
            every = original.review_every or site.settings.review_every
            report.warning(Position(original.shown),
                           ngettext("facts due for review since %(due)s (reviewed %(reviewed)s, every %(n)s month)",
                                    "facts due for review since %(due)s (reviewed %(reviewed)s, every %(n)s months)",
                                    every, due=due.isoformat(), reviewed=original.reviewed),
                           _("have a reviewer check the facts and sources, then set 'reviewed:' to that day"))
