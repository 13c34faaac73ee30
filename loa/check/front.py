"""A document's front matter turned into its `Translation`, and kept between builds.

The fields a translation takes from its front matter, and the problems found in it, depend on the front
matter's text, the file's name and language, the configured languages and the topic and audience pages,
and on nothing else: they are kept (loa/cache/results.py) by a digest of those, saved with the parses, so
that a rebuild validates, and makes into Nodes (loa/load/source.py::MarkdownSource), only the front matters
that changed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

from loa.cache.results import KEPT
from loa.check.fields import FRONT_MATTER, walk
from loa.check.references import references
from loa.check.validators import Checker
from loa.errors import Problem, Report, decode_problems
from loa.load.source import MarkdownSource
from loa.messages import _
from loa.model import DOCUMENT_TYPES, DocumentKind, Source, Translation


def document_kind(doc_id: str) -> DocumentKind | None:
    """The kind a document's path alone gives it (the home, a topic or audience page), else None."""
    if doc_id == "index":
        return "home"
    head, _slash, tail = doc_id.partition("/")
    if head in ("topics", "audiences") and tail and "/" not in tail:
        return "topic" if head == "topics" else "audience"
    return None


def memo_translation(memo: dict[object, Any], lang: str, doc_id: str, path: Path, shown: str,
                     source: MarkdownSource, check: Checker, topics: set[str],
                     audiences: set[str]) -> Translation | None:
    """`translation_of`, remembered for a parsed file that has not changed (`LoadCache` keeps the same object)
    and, by what it is made from, between builds (`_kept_front`)."""
    hubs = (tuple(check.languages), check.default_language, frozenset(topics), frozenset(audiences))
    key = ("translation", lang, doc_id, path, shown, id(source), *hubs)
    found = memo.get(key)
    if found is None or found[0] is not source:
        front, problems = _kept_front(lang, doc_id, shown, source, check, hubs)
        translation = _translation_of(lang, path, shown, source, front) if front is not None else None
        found = memo[key] = (source, translation, problems)  # keeps `source` alive: its id stays its own
    check.report.problems.extend(found[2])
    return found[1]


Front = dict[str, Any]
"""What a translation takes from its front matter (`Translation`'s fields but the file's and the body's)."""


Hubs = tuple[tuple[str, ...], str, frozenset[str], frozenset[str]]
"""What a front matter is checked against besides itself: the languages, the default one, the topics, the audiences."""


def _kept_front(lang: str, doc_id: str, shown: str, source: MarkdownSource, check: Checker,
                hubs: Hubs) -> tuple[Front | None, tuple[Problem, ...]]:
    """A front matter's fields and problems, kept (loa/cache/results.py) by all that they are made from: its
    text (`source.digest`), the file's name and language, and `hubs`. Found kept, its Nodes are not made
    (`MarkdownSource.meta`)."""

    def make() -> tuple[Front | None, tuple[Problem, ...]]:
        scratch = Report()
        _languages, _default, topics, audiences = hubs
        front = _front(lang, doc_id, source, Checker(scratch, check.languages, check.default_language),
                       set(topics), set(audiences))
        return front, tuple(scratch.problems)

    if not source.digest:
        return make()
    parts = [lang, doc_id, shown, source.digest, _hubs_key(hubs)]
    return KEPT.get("front-matter", parts, make, _front_encoded, _front_decoded)


@functools.lru_cache(maxsize=8)
def _hubs_key(hubs: Hubs) -> str:
    """`hubs` as text, worked out once for a check's 2,000 front matters (0.015 s of every check otherwise)."""
    languages, default, topics, audiences = hubs
    return json.dumps([list(languages), default, sorted(topics), sorted(audiences)])


def translation_of(lang: str, doc_id: str, path: Path, shown: str, source: MarkdownSource, check: Checker,
                   topics: set[str], audiences: set[str]) -> Translation | None:
    front = _front(lang, doc_id, source, check, topics, audiences)
    return _translation_of(lang, path, shown, source, front) if front is not None else None


def _translation_of(lang: str, path: Path, shown: str, source: MarkdownSource, front: Front) -> Translation:
    return Translation(lang=lang, body=source.body, body_line=source.body_line, path=path, shown=shown, **front)


def _front(lang: str, doc_id: str, source: MarkdownSource, check: Checker, topics: set[str],
           audiences: set[str]) -> Front | None:
    meta = source.meta
    values = walk(check, meta, "", FRONT_MATTER, references(topics, audiences))
    if values is None or not isinstance(meta.value, dict):
        return None
    doc_type = values["type"]
    if doc_type is None:
        doc_type = str(meta.value["type"].value)  # already reported; kept so no follow-up warning appears
    if document_kind(doc_id) is None and "type" not in meta.value:
        check.report.error(meta.pos, _("%(label)s: missing", label="type"),
                           _("add 'type:' (%(types)s)", types=", ".join(DOCUMENT_TYPES)))
    spec = values["translation"] or {}
    if values["title"] is None:
        return None
    return {"title": values["title"], "summary": values["summary"] or "", "type": doc_type or "page",
            "topics": values["topics"], "audiences": values["audiences"], "ages": values["ages"],
            "sources": tuple(values["sources"]), "reviewed": values["reviewed"],
            "draft": spec.get("status") == "draft", "draft_note": spec.get("note") or "",
            "follows": spec.get("follows") or "", "review_every": values["review_every"],
            "printed": values["print"]}


def _front_encoded(made: tuple[Front | None, tuple[Problem, ...]]) -> list[Any]:
    front, problems = made
    if front is not None:
        front = {**front, "topics": list(front["topics"]), "audiences": list(front["audiences"]),
                 "sources": [[s.title, s.publisher, s.year, s.url] for s in front["sources"]],
                 "reviewed": front["reviewed"].isoformat() if front["reviewed"] is not None else None}
    return [front, [problem.encoded() for problem in problems]]


def _front_decoded(value: Any) -> tuple[Front | None, tuple[Problem, ...]]:
    """`_front_encoded`'s JSON back, every field checked (ValueError or TypeError on anything else)."""
    front, problems = value
    if front is not None:
        if set(front) != _FRONT_KEYS:
            raise ValueError("not a front matter")
        texts = [front[name] for name in ("title", "summary", "type", "ages", "draft_note", "follows")]
        if type(front["topics"]) is not list or type(front["audiences"]) is not list \
                or not all(isinstance(text, str) for text in [*texts, *front["topics"], *front["audiences"]]) \
                or not isinstance(front["draft"], bool) or type(front["review_every"]) not in (int, type(None)) \
                or type(front["printed"]) not in (bool, type(None)):
            raise ValueError("not a front matter")
        sources = []
        for title, publisher, year, url in front["sources"]:
            if not isinstance(title, str) or not isinstance(publisher, str) or type(year) is not int \
                    or not isinstance(url, str):
                raise ValueError("not a source")
            sources.append(Source(title, publisher, year, url))
        front = {**front, "topics": tuple(front["topics"]), "audiences": tuple(front["audiences"]),
                 "sources": tuple(sources),
                 "reviewed": dt.date.fromisoformat(front["reviewed"]) if front["reviewed"] is not None else None}
    return front, decode_problems(problems)


_FRONT_KEYS = {"title", "summary", "type", "topics", "audiences", "ages", "sources", "reviewed", "draft", "draft_note",
               "follows", "review_every", "printed"}
