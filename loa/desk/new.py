"""`build.py new campaign|material|translation`: the file a careful officer would write.

Every required field is there, today's date where a date is due, and the known topics and
audiences in a comment. Texts to write are empty (`""`), so `check` names each of them until it
is filled: that list is what `new` prints as "fill in next". A file that exists is never
overwritten.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from loa.check.freshness import follows, translation_text
from loa.check.validators import SLUG
from loa.desk.project import problems_in, read_site
from loa.desk.translations import remember
from loa.errors import ContentError, Position, Problem
from loa.load.source import normalise
from loa.messages import _
from loa.model import DOCUMENT_TYPES, Site

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/campaign.schema.json"
CAMPAIGN_DAYS = 30
"""A new campaign's period: from today, this many days; the officer corrects it."""


def _refuse(shown: str, message: str, hint: str) -> ContentError:
    return ContentError([Problem(Position(shown), message, "error", hint)])


def _slug_path(path: str, shown: str) -> str:
    doc_id = path.strip("/").removesuffix(".md")
    bad = [part for part in doc_id.split("/") if not SLUG.match(part)]
    if not doc_id or bad:
        raise _refuse(shown, _("'%(path)s' is not a path of URL slugs", path=path),
                      _("lowercase ASCII letters, digits and '-', folders separated by '/', e.g. drowning/pond-safety"))
    return doc_id


def _write(root: Path, shown: str, text: str) -> Path:
    path = root / shown
    if path.exists():
        raise _refuse(shown, _("already exists; not overwritten"), _("choose another name, or edit the file"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as stream:  # "x": never over a file made meanwhile
        stream.write(text)
    return path


def _known(site: Site) -> tuple[str, str]:
    return ", ".join(site.topic_ids()) or _("(none yet)"), ", ".join(site.audience_ids()) or _("(none yet)")


def campaign_text(site: Site, today: dt.date) -> str:
    lang = site.settings.default_language
    topics, audiences = _known(site)
    end = today + dt.timedelta(days=CAMPAIGN_DAYS)
    return (f"{SCHEMA_LINE}\n"
            + _("# Texts: one per language, e.g. %(example)s; '%(lang)s' is required.",
                example=f"{{{lang}: ..., en: ...}}", lang=lang) + "\n"
            f'title: {{{lang}: ""}}\n'
            f'summary: {{{lang}: ""}}\n'
            + _("# draft: not published until 'published' (or with --drafts)") + "\n"
            "status: draft\n"
            f"period: {{start: {today.isoformat()}, end: {end.isoformat()}}}\n"
            + _("# known topics: %(topics)s", topics=topics) + "\n"
            "topics: []\n"
            + _("# known audiences: %(audiences)s", audiences=audiences) + "\n"
            "audiences: []\n"
            "key_messages: []\n"
            + _("# materials: paths in content/%(lang)s/ without .md, e.g. drowning/ten-actions", lang=lang) + "\n"
            "materials: []\n")


def material_text(site: Site, today: dt.date, doc_type: str) -> str:
    topics, audiences = _known(site)
    return ("---\n"
            'title: ""\n'
            'summary: ""\n'
            f"type: {doc_type}\n"
            + _("# known topics: %(topics)s", topics=topics) + "\n"
            "topics: []\n"
            + _("# known audiences: %(audiences)s", audiences=audiences) + "\n"
            "audiences: []\n"
            + _("# where each fact comes from; add url: https://... when there is one") + "\n"
            "sources:\n"
            f'  - {{title: "", publisher: "", year: {today.year}}}\n'
            + _("# the day a reviewer last checked the facts") + "\n"
            f"reviewed: {today.isoformat()}\n"
            "---\n\n")


def new(root: Path, kind: str, args: list[str], today: dt.date, doc_type: str | None) -> tuple[str, list[Problem]]:
    """Write the new file; its path (as shown) and what `check` says about it now."""
    site, _problems = read_site(root)
    lang = site.settings.default_language
    if kind == "campaign":
        (cid,) = args
        shown = f"campaigns/{cid}.yml"
        if not SLUG.match(cid):
            raise _refuse(shown, _("campaign id '%(id)s' is not a URL slug", id=cid),
                          _("lowercase ASCII letters, digits and '-'"))
        _write(root, shown, campaign_text(site, today))
    elif kind == "material":
        (path,) = args
        doc_type = doc_type or "fact-sheet"
        shown = f"content/{lang}/{path.strip('/').removesuffix('.md')}.md"
        doc_id = _slug_path(path, shown)
        if doc_type not in DOCUMENT_TYPES or doc_type == "page":
            raise _refuse(shown, _("--type: '%(type)s' is not a material type", type=doc_type),
                          ", ".join(t for t in DOCUMENT_TYPES if t != "page"))
        shown = f"content/{lang}/{doc_id}.md"
        _write(root, shown, material_text(site, today, doc_type))
    else:
        target, path = args
        doc_id = path.strip("/").removesuffix(".md")
        shown = f"content/{target}/{doc_id}.md"
        doc_id = _slug_path(path, shown)
        if target not in site.settings.codes or target == lang:
            others = [code for code in site.settings.codes if code != lang]
            raise _refuse(shown, _("'%(lang)s' is not a language to translate into", lang=target),
                          _("one of: %(codes)s", codes=", ".join(others)))
        document = site.documents.get(doc_id)
        if document is None or lang not in document.translations:
            raise _refuse(f"content/{lang}/{doc_id}.md", _("no such original (or it has errors)"),
                          _("translate a page of the default language; run 'python build.py check'"))
        original = document.translations[lang]
        text = normalise(original.path.read_text(encoding="utf-8-sig"))
        _write(root, shown, translation_text(text, follows(original)))
        remember(root, original)
    return shown, problems_in(root, shown)
