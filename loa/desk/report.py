"""`build.py report`: what the campaigns produced, for the province's implementation report.

Writes into `--out` (default `report/`, not part of the public site) four CSV files with stable
columns (README, "The report") and `index.html`, which shows the same tables:

- `products.csv`: per campaign, how many of its materials fall under each type, topic, audience,
  age band, language (a translation of its own, not a fallback copy) and channel;
- `translations.csv`: per language, how many documents are up to date, behind, unmarked, draft or missing;
- `reviews.csv`: every material's review dates, soonest due first;
- `problems.csv`: what `check` reports (errors and warnings), as `build.py check` prints them.

A channel is a product made from a material in one language: its web page, its A4 PDF, its share
image. A new product adds a line to `CHANNELS`, a function that says whether a material has it in a
language. (A campaign's own products, posters, leaflet, SMS texts and loudspeaker script, are made
per campaign, not per material: they are listed on its toolkit page.)
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup, escape

from loa import messages
from loa.cache.files import write_atomically
from loa.check.reviews import check_reviews, review_due
from loa.desk.project import read_site
from loa.desk.translations import states
from loa.errors import Report
from loa.messages import N_, _
from loa.model import Document, Site
from loa.pipeline import Options
from loa.plan.print import has_a4

Channel = Callable[[Site, Document, str], bool]
"""Does this material have this product in this language?"""

CHANNELS: dict[str, Channel] = {
    "web page": lambda site, document, lang: lang in document.translations,
    # loa/outputs/print/: an A4 PDF of a translation whose type or `print:` asks for one (loa/plan/print.py)
    "PDF, A4": lambda site, document, lang: lang in document.translations and has_a4(document.translations[lang]),
    # loa/outputs/share.py: an image for sharing the page, for each material written in the language
    "share image": lambda site, document, lang: lang in document.translations,
}
"""The channels counted, in the report's order; a new product registers itself here."""

COLUMNS = {
    "products.csv": ("campaign", "dimension", "value", "count"),
    "translations.csv": ("language", "up to date", "behind", "unmarked", "draft", "missing", "documents"),
    "reviews.csv": ("material", "reviewed", "review_every", "due", "state"),
    "problems.csv": ("severity", "path", "line", "column", "message", "hint"),
}
"""The files and their columns: stable, documented in the README. New rows may appear, never new columns."""

LABELS = {
    "campaign": N_("campaign"), "dimension": N_("dimension"), "value": N_("value"), "count": N_("count"),
    "language": N_("language"), "up to date": N_("up to date"), "behind": N_("behind"), "unmarked": N_("unmarked"),
    "draft": N_("draft"), "missing": N_("missing"), "documents": N_("documents"), "material": N_("material"),
    "reviewed": N_("reviewed"), "review_every": N_("review every (months)"), "due": N_("due"), "state": N_("state"),
    "severity": N_("severity"), "path": N_("file"), "line": N_("line"), "column": N_("column"),
    "message": N_("message"), "hint": N_("hint"),
}
"""Each column's name for a reader, in the language of Loa's messages: the HTML page's headers, and the CSV
files' second header row with `report --labels` (the first row, the keys, stays as it is)."""
VALUES = {
    "materials": N_("materials"), "type": N_("type"), "topic": N_("topic"), "audience": N_("audience"),
    "age band": N_("age band"), "language": N_("language"), "channel": N_("channel"), "all": N_("all"),
    "(none)": N_("(none)"), "web page": N_("web page"), "PDF, A4": N_("PDF, A4"), "share image": N_("share image"),
    "no date": N_("no date"), "due": N_("due"), "ok": N_("ok"),
}
"""The words of the `dimension`, `value` and `state` columns, translated on the HTML page only (the CSV files
keep them as keys); a value not named here is shown as it is."""
TITLES = {"products.csv": N_("Products"), "translations.csv": N_("Translations"), "reviews.csv": N_("Reviews"),
          "problems.csv": N_("Problems")}

DIMENSIONS = ("materials", "type", "topic", "audience", "age band", "language", "channel")
"""The `dimension` column of products.csv, in this order."""
UNSPECIFIED = "(none)"
"""The value counted for a material with no topic, audience or age band."""


def _order(value: str) -> tuple[int, str]:
    """Age bands by their first age (6-10 before 11-15), other values by name."""
    head = value.split("-", 1)[0]
    return (int(head), value) if head.isdigit() else (-1, value)


def products(site: Site) -> list[tuple[str, str, str, int]]:
    rows: list[tuple[str, str, str, int]] = []
    default = site.settings.default_language
    for campaign in site.campaigns:
        counts: dict[str, Counter[str]] = {name: Counter() for name in DIMENSIONS}
        for doc_id in campaign.materials:
            document = site.documents.get(doc_id)
            if document is None:
                continue
            original = document.translations[default]
            counts["materials"]["all"] += 1
            counts["type"][original.type] += 1
            counts["topic"].update(original.topics or (UNSPECIFIED,))
            counts["audience"].update(original.audiences or (UNSPECIFIED,))
            counts["age band"][original.ages or UNSPECIFIED] += 1
            counts["language"].update(list(document.translations))
            for name, has in CHANNELS.items():
                counts["channel"][name] += sum(1 for lang in site.settings.codes if has(site, document, lang))
        for dimension, counter in counts.items():
            order = site.settings.codes if dimension == "language" else tuple(CHANNELS) if dimension == "channel" \
                else tuple(sorted(counter, key=_order))
            rows += [(campaign.id, dimension, value, counter[value]) for value in order
                     if value in counter or dimension in ("language", "channel", "materials")]
    return rows


def translations(root: Path, site: Site) -> list[tuple[str | int, ...]]:
    by_lang: dict[str, Counter[str]] = {}
    for state in states(root, site):
        by_lang.setdefault(state.lang, Counter())[state.state] += 1
    return [(lang, *(counter[name] for name in COLUMNS["translations.csv"][1:-1]), sum(counter.values()))
            for lang, counter in by_lang.items()]


def reviews(site: Site, today_iso: str) -> list[tuple[str, str, int, str, str]]:
    rows = []
    default = site.settings.default_language
    for doc_id, document in site.documents.items():
        original = document.translations.get(default)
        if document.kind != "material" or original is None:
            continue
        due = review_due(original, site.settings.review_every)
        every = original.review_every or site.settings.review_every
        state = "no date" if due is None else "due" if due.isoformat() <= today_iso else "ok"
        rows.append((doc_id, original.reviewed.isoformat() if original.reviewed else "", every,
                     due.isoformat() if due else "", state))
    return sorted(rows, key=lambda row: (row[3] or "0000", row[0]))


def _csv(rows: list[tuple[object, ...]], columns: tuple[str, ...], labels: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    if labels:
        writer.writerow([_(LABELS[column]) for column in columns])
    writer.writerows(rows)
    return buffer.getvalue()


def _html(tables: dict[str, list[tuple[object, ...]]], today_iso: str) -> str:
    parts = [Markup('<!doctype html>\n<html lang="{}">\n<head><meta charset="utf-8"><title>{}</title>'
                    '<meta name="viewport" content="width=device-width, initial-scale=1">'
                    "<style>table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.2em .5em}}"
                    "</style></head>\n<body>\n<h1>{}</h1>\n").format(
        messages.current(), _("Loa report %(date)s", date=today_iso), _("Loa report, %(date)s", date=today_iso))]
    for name, rows in tables.items():
        head = Markup("").join(Markup("<th scope=\"col\">{}</th>").format(_(LABELS[c])) for c in COLUMNS[name])
        words = [index for index, column in enumerate(COLUMNS[name]) if column in ("dimension", "value", "state")]
        body = Markup("").join(Markup("<tr>{}</tr>\n").format(Markup("").join(
            Markup("<td>{}</td>").format(_(VALUES[cell]) if index in words and cell in VALUES else cell)
            for index, cell in enumerate(row))) for row in rows)
        parts.append(Markup('<h2>{}</h2>\n<p><a href="{}">{}</a></p>\n<table>\n<tr>{}</tr>\n{}</table>\n').format(
            _(TITLES[name]), name, name, head, body))
    parts.append(Markup("</body>\n</html>\n"))
    return str(escape(Markup("").join(parts)))


def write_report(options: Options, out: Path, labels: bool = False) -> list[str]:
    site, problems = read_site(options.root)
    late = Report()
    check_reviews(site, options.today, late)
    today_iso = options.today.isoformat()
    tables: dict[str, list[tuple[object, ...]]] = {
        "products.csv": list(products(site)),
        "translations.csv": list(translations(options.root, site)),
        "reviews.csv": list(reviews(site, today_iso)),
        "problems.csv": [(p.severity, p.position.path, p.position.line, p.position.column, p.message, p.hint)
                         for p in sorted(problems + late.problems)],
    }
    for name, rows in tables.items():
        write_atomically(out / name, _csv(rows, COLUMNS[name], labels))
    write_atomically(out / "index.html", _html(tables, today_iso))
    return [_("wrote %(page)s and %(files)s (%(campaigns)s campaigns, %(problems)s problems)",
              page=out / "index.html", files=", ".join(tables), campaigns=len(site.campaigns),
              problems=len(tables["problems.csv"]))]
