"""Turn the raw project into the typed model, collecting every problem on the way.

Each file is checked against the schema (types, known keys, values) as it is
turned into the model; its references to other files (topics, audiences,
materials, images) are checked then, against the topics, audiences, documents
and images collected before the campaigns. Rules over all documents follow:
sources and review dates, missing translations, then the Markdown lint.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .errors import Position, Report
from .lint import lint_documents
from .load import RawProject
from .model import (
    DOCUMENT_TYPES,
    Asset,
    Campaign,
    Document,
    DocumentKind,
    Event,
    Hotline,
    Image,
    Language,
    LocalText,
    Settings,
    Site,
    Source,
    Translation,
)
from .schema import AGES, LANGUAGE_TAG, SLUG, Checker, content_path, did_you_mean
from .slugs import slugify
from .source import MarkdownSource, Node
from .strings import check_strings
from .urls import runs_code

SETTINGS = "mkdocs.yml"
RESERVED = ("search", "topics/index", "audiences/index", "404", "campaigns", "pagefind")
CAMPAIGN_KEYS = ("title", "summary", "status", "period", "topics", "audiences", "key_messages",
                 "materials", "events", "image", "draft_languages")
PAGE_KEYS = ("title", "summary", "type", "topics", "audiences", "ages", "sources", "reviewed",
             "translation", "description", "hide", "image")


def validate(raw: RawProject, report: Report, memo: dict[object, Any] | None = None) -> Site | None:
    """Turn parsed input into the model; `memo` (kept between runs by `serve`) saves work on unchanged files."""
    settings = _settings(raw.settings, report)
    if settings is None:
        return None
    check = Checker(report, settings.codes, settings.default_language)
    strings = _strings(raw, settings, check)
    assets = _assets(raw, settings, report)
    topic_ids = _hub_ids(raw, settings, "topics")
    audience_ids = _hub_ids(raw, settings, "audiences")
    documents = _documents(raw, settings, check, topic_ids, audience_ids, memo)
    _check_sources(documents, check)
    campaigns = tuple(
        c for cid, node in raw.campaigns.items()
        if (c := _campaign(cid, raw.campaign_paths[cid], node, check, topic_ids, audience_ids,
                           documents, assets, raw.found)) is not None
    )
    _check_missing_translations(documents, settings, report)
    lint_documents(documents, assets, report, memo)
    return Site(raw.root, settings, campaigns, documents, assets, strings)


# -- settings ---------------------------------------------------------------------------------

def _settings(node: Node, report: Report) -> Settings | None:
    bootstrap = Checker(report, (), "")
    fields = bootstrap.mapping(node, "extra.loa", required=("default_language", "languages", "hotline"),
                               optional=("site_name", "description", "site_url"))
    if fields is None or "languages" not in fields or "default_language" not in fields:
        return None
    languages: list[tuple[str, str, list[Node], Node]] = []
    lang_map = fields["languages"].value
    if not isinstance(lang_map, dict) or not lang_map:
        report.error(fields["languages"].pos, "extra.loa.languages: expected a mapping of language code -> settings",
                     "for example  vi: {name: Tiếng Việt}")
        return None
    for code, lang_node in lang_map.items():
        where = fields["languages"].key_pos[code]
        if not LANGUAGE_TAG.match(code):
            report.error(where, f"extra.loa.languages: '{code}' is not a BCP 47 language tag",
                         "use a lowercase 2- or 3-letter code such as 'vi', 'en' or 'hmn'")
            continue
        spec = bootstrap.mapping(lang_node, f"extra.loa.languages.{code}", required=("name",),
                                 optional=("fallback", "partial"))
        if spec is None or "name" not in spec:
            continue
        name = bootstrap.string(spec["name"], f"extra.loa.languages.{code}.name") or code
        fallback = bootstrap.sequence(spec["fallback"], f"extra.loa.languages.{code}.fallback") \
            if "fallback" in spec else []
        languages.append((code, name, fallback, lang_node))
    codes = [code for code, *_ in languages]
    default = bootstrap.string(fields["default_language"], "extra.loa.default_language")
    if default is not None and default not in codes:
        report.error(fields["default_language"].pos, f"extra.loa.default_language: '{default}' is not configured",
                     did_you_mean(default, codes))
        return None
    if default is None or not codes:
        return None
    check = Checker(report, codes, default)
    built: list[Language] = []
    for code, name, fallback, _node in languages:
        chain = [code]
        for index, item in enumerate(fallback):
            value = check.string(item, f"extra.loa.languages.{code}.fallback[{index}]")
            if value is None:
                continue
            if value not in codes:
                report.error(item.pos, f"extra.loa.languages.{code}.fallback[{index}]: unknown language '{value}'",
                             did_you_mean(value, codes))
            elif value not in chain:
                chain.append(value)
        if default not in chain:
            chain.append(default)
        built.append(Language(code, name, tuple(chain)))
    hotline = _hotline(fields["hotline"], check)
    site_name = check.text(fields["site_name"], "extra.loa.site_name") if "site_name" in fields \
        else LocalText({default: "Loa"})
    description = check.text(fields["description"], "extra.loa.description") if "description" in fields else None
    site_url = check.string(fields["site_url"], "extra.loa.site_url") if "site_url" in fields else ""
    if site_url and not site_url.startswith(("http://", "https://")):
        report.error(fields["site_url"].pos, "extra.loa.site_url: must start with https://",
                     "for example https://loa.example.gov.vn/")
        site_url = ""
    if hotline is None or site_name is None:
        return None
    partial = {code for code, _n, _f, node in languages
               if isinstance(node.value, dict) and "partial" in node.value and node.value["partial"].value is True}
    return Settings(default, tuple(built), site_name, hotline,
                    (site_url or "").rstrip("/") + "/" if site_url else "", description,
                    partial_languages=frozenset(partial))


def _hotline(node: Node, check: Checker) -> Hotline | None:
    fields = check.mapping(node, "extra.loa.hotline", required=("number", "name"))
    if fields is None or "number" not in fields or "name" not in fields:
        return None
    number = check.string(fields["number"], "extra.loa.hotline.number")
    name = check.text(fields["name"], "extra.loa.hotline.name")
    if number is not None and not all(c.isdigit() or c in " +-" for c in number):
        check.report.error(fields["number"].pos, f"extra.loa.hotline.number: '{number}' is not a phone number",
                           "digits only, for example \"111\"")
        return None
    return Hotline(number, name) if number and name else None


def _strings(raw: RawProject, settings: Settings, check: Checker) -> dict[str, dict[str, str]]:
    # English is every language's last fallback (loa/strings.py `resolve`), configured or not.
    files = {lang: node for lang, node in raw.strings.items() if lang in settings.codes or lang == "en"}
    chains = {lang.code: lang.chain for lang in settings.languages}
    strings = check_strings(files, chains, check.report, DOCUMENT_TYPES)
    for lang in settings.codes:
        if lang not in strings:
            check.report.warning(Position(f"theme/strings/{lang}.yml"),
                                 f"no UI strings for language '{lang}'; using its fallback languages",
                                 f"copy theme/strings/{settings.default_language}.yml and translate it")
    return strings


# -- content ----------------------------------------------------------------------------------

def _assets(raw: RawProject, settings: Settings, report: Report) -> dict[str, Asset]:
    files: dict[str, dict[str, Path]] = {}
    for (lang, relative), path in raw.assets.items():
        if lang not in settings.codes:
            continue
        files.setdefault(relative, {})[lang] = path
    return {rel: Asset(rel, by_lang) for rel, by_lang in sorted(files.items())}


def _hub_ids(raw: RawProject, settings: Settings, kind: str) -> set[str]:
    """Topic or audience ids: the file names under content/<default language>/<kind>/."""
    return {doc_id.split("/", 1)[1] for (lang, doc_id) in raw.found
            if lang == settings.default_language and _kind(doc_id) == kind[:-1]}


def _kind(doc_id: str) -> DocumentKind | None:
    if doc_id == "index":
        return "home"
    head, _, tail = doc_id.partition("/")
    if head in ("topics", "audiences") and tail and "/" not in tail:
        return "topic" if head == "topics" else "audience"
    return None


def _documents(raw: RawProject, settings: Settings, check: Checker, topics: set[str],
               audiences: set[str], memo: dict[object, Any] | None = None) -> dict[str, Document]:
    report = check.report
    known_dirs = set(settings.codes)
    warned: set[str] = set()
    by_id: dict[str, dict[str, Translation]] = {}
    for (lang, doc_id), (path, shown, source) in raw.pages.items():
        if lang not in known_dirs:
            if lang not in warned:
                warned.add(lang)
                report.warning(Position(shown), f"content/{lang}/ is not a configured language; ignored",
                               did_you_mean(lang, settings.codes))
            continue
        if doc_id in RESERVED or doc_id.startswith(("campaigns/", "pagefind/")):
            report.error(Position(shown), "this path is taken by a page that Loa generates",
                         "rename the file; campaigns/, search, topics/index, audiences/index and the search "
                         "index folder pagefind/ are generated")
            continue
        bad = [part for part in doc_id.split("/") if not SLUG.match(part)]
        if bad:
            suggestion = "/".join(slugify(p) or "page" for p in doc_id.split("/"))
            report.error(Position(shown), f"file name '{bad[0]}' is not a URL slug",
                         f"rename to content/{lang}/{suggestion}.md (lowercase ASCII letters, digits and '-')")
            continue
        if memo is None:
            translation = _translation(lang, doc_id, path, shown, source, check, topics, audiences)
        else:
            translation = _memo_translation(memo, lang, doc_id, path, shown, source, check, topics, audiences)
        if translation is not None:
            by_id.setdefault(doc_id, {})[translation.lang] = translation
    documents: dict[str, Document] = {}
    for doc_id, translations in sorted(by_id.items()):
        ordered = {lang: translations[lang] for lang in settings.codes if lang in translations}
        original = ordered.get(settings.default_language)
        kind = _kind(doc_id) or ("page" if next(iter(ordered.values())).type == "page" else "material")
        if original is None and (settings.default_language, doc_id) in raw.found:
            continue  # the original exists but has errors of its own, reported there
        if original is None:
            first = next(iter(ordered.values()))
            report.error(Position(first.shown),
                         f"'{doc_id}' has no version in the default language '{settings.default_language}'",
                         f"add content/{settings.default_language}/{doc_id}.md; translations follow the original")
            continue
        for translation in ordered.values():
            if translation.type != original.type and kind in ("material", "page") \
                    and translation.type in DOCUMENT_TYPES:
                report.warning(Position(translation.shown),
                               f"type '{translation.type}' differs from the original's '{original.type}'")
        documents[doc_id] = Document(doc_id, kind, ordered)
    return documents


def _memo_translation(memo: dict[object, Any], lang: str, doc_id: str, path: Path, shown: str,
                      source: MarkdownSource, check: Checker, topics: set[str],
                      audiences: set[str]) -> Translation | None:
    """`_translation`, remembered for a parsed file that has not changed (`LoadCache` keeps the same object)."""
    key = ("translation", lang, doc_id, path, shown, id(source), tuple(check.languages), check.default_language,
           frozenset(topics), frozenset(audiences))
    found = memo.get(key)
    if found is None or found[0] is not source:
        scratch = Report()
        translation = _translation(lang, doc_id, path, shown, source, Checker(scratch, check.languages,
                                   check.default_language), topics, audiences)
        found = memo[key] = (source, translation, tuple(scratch.problems))  # keeps `source` alive: its id stays its own
    check.report.problems.extend(found[2])
    return found[1]


def _translation(lang: str, doc_id: str, path: Path, shown: str, source: MarkdownSource, check: Checker,
                 topics: set[str], audiences: set[str]) -> Translation | None:
    meta = source.meta
    fields = check.mapping(meta, "", required=("title",), optional=PAGE_KEYS)
    if fields is None or "title" not in fields:
        return None
    title = check.string(fields["title"], "title")
    summary = check.string(fields["summary"], "summary") if "summary" in fields else ""
    kind = _kind(doc_id)
    doc_type = check.choice(fields["type"], "type", DOCUMENT_TYPES) if "type" in fields else "page"
    if doc_type is None and "type" in fields:
        doc_type = str(fields["type"].value)  # already reported; kept so no follow-up warning appears
    if kind is None and "type" not in fields:
        check.report.error(meta.pos, "type: missing", f"add 'type:' ({', '.join(DOCUMENT_TYPES)})")
    ages = ""
    if "ages" in fields:
        ages = check.string(fields["ages"], "ages") or ""
        match = AGES.match(ages)
        if ages and (not match or int(match.group(1)) > int(match.group(2))):
            check.report.error(fields["ages"].pos, f"ages: '{ages}' is not an age band", "write it as 6-10")
            ages = ""
    sources: list[Source] = []
    for index, item in enumerate(check.sequence(fields["sources"], "sources") if "sources" in fields else []):
        cited = _source(item, f"sources[{index}]", check)
        if cited is not None:
            sources.append(cited)
    reviewed = check.date(fields["reviewed"], "reviewed") if "reviewed" in fields else None
    draft, note = False, ""
    if "translation" in fields:
        spec = check.mapping(fields["translation"], "translation", required=("status",), optional=("note",))
        if spec and "status" in spec:
            draft = check.choice(spec["status"], "translation.status", ("draft", "reviewed")) == "draft"
            note = check.string(spec["note"], "translation.note") or "" if "note" in spec else ""
    if title is None:
        return None
    return Translation(
        lang=lang, title=title, summary=summary or "", body=source.body, body_line=source.body_line, path=path,
        shown=shown,
        type=doc_type or "page",
        topics=check.ids(fields["topics"], "topics", topics, "topic") if "topics" in fields else (),
        audiences=check.ids(fields["audiences"], "audiences", audiences, "audience") if "audiences" in fields else (),
        ages=ages,
        sources=tuple(sources), reviewed=reviewed, draft=draft, draft_note=note,
    )


def _source(node: Node, label: str, check: Checker) -> Source | None:
    fields = check.mapping(node, label, required=("title", "publisher", "year"), optional=("url",))
    if fields is None or not all(k in fields for k in ("title", "publisher", "year")):
        return None
    title = check.string(fields["title"], f"{label}.title")
    publisher = check.string(fields["publisher"], f"{label}.publisher")
    year = check.integer(fields["year"], f"{label}.year")
    url = check.string(fields["url"], f"{label}.url") or "" if "url" in fields else ""
    if url and not url.startswith(("https://", "http://")):
        scheme = runs_code(url)
        what = f"a {scheme} address runs code in the reader's browser" if scheme else "is not a web address"
        check.report.error(fields["url"].pos, f"{label}.url: '{url}' {what}",
                           "write the full address starting with https://")
    if title is None or publisher is None or year is None:
        return None
    return Source(title, publisher, year, url)


def _check_sources(documents: dict[str, Document], check: Checker) -> None:
    for document in documents.values():
        for translation in document.translations.values():
            where = Position(translation.shown)
            if document.kind == "material" and translation.lang == check.default_language:
                if not translation.sources:
                    check.report.warning(where, "a material without sources",
                                         "add 'sources:' citing where each fact comes from")
                if translation.reviewed is None:
                    check.report.warning(where, "a material without a 'reviewed' date",
                                         "add 'reviewed: YYYY-MM-DD' when the content was last checked")


def _check_missing_translations(documents: dict[str, Document], settings: Settings, report: Report) -> None:
    for language in settings.languages:
        if language.code == settings.default_language or language.code in settings.partial_languages:
            continue
        for document in documents.values():
            if language.code not in document.translations:
                original = document.translations[settings.default_language]
                report.warning(Position(original.shown),
                               f"no '{language.code}' translation; readers get the "
                               f"{document.best(language.chain).lang} version",
                               f"add content/{language.code}/{document.id}.md, or mark the language "
                               f"'partial: true' in mkdocs.yml")


# -- campaigns --------------------------------------------------------------------------------

def _campaign(cid: str, shown: str, node: Node, check: Checker, topics: set[str], audiences: set[str],
              documents: dict[str, Document], assets: dict[str, Asset],
              found: frozenset[tuple[str, str]]) -> Campaign | None:
    report = check.report
    if not SLUG.match(cid):
        report.error(Position(shown), f"campaign file name '{cid}' is not a URL slug",
                     f"rename to campaigns/{slugify(cid) or 'campaign'}.yml")
        return None
    fields = check.mapping(node, "", required=("title", "summary", "status", "period", "topics", "audiences"),
                           optional=CAMPAIGN_KEYS)
    if fields is None:
        return None
    title = check.text(fields["title"], "title") if "title" in fields else None
    summary = check.text(fields["summary"], "summary") if "summary" in fields else None
    status = check.choice(fields["status"], "status", ("draft", "published", "archived")) \
        if "status" in fields else None
    start = end = None
    if "period" in fields:
        period = check.mapping(fields["period"], "period", required=("start", "end"))
        if period and "start" in period and "end" in period:
            start = check.date(period["start"], "period.start")
            end = check.date(period["end"], "period.end")
            if start and end and end < start:
                report.error(period["end"].pos, f"period.end: {end} is before period.start {start}",
                             "swap the dates or correct the year")
    topic_ids = check.ids(fields["topics"], "topics", topics, "topic") if "topics" in fields else ()
    audience_ids = check.ids(fields["audiences"], "audiences", audiences, "audience") \
        if "audiences" in fields else ()
    messages = tuple(t for i, item in enumerate(check.sequence(fields["key_messages"], "key_messages")
                                                if "key_messages" in fields else [])
                     if (t := check.text(item, f"key_messages[{i}]")) is not None)
    materials: list[str] = []
    for index, item in enumerate(check.sequence(fields["materials"], "materials") if "materials" in fields else []):
        label = f"materials[{index}]"
        value = check.string(item, label)
        if value is None:
            continue
        path = content_path(value.removesuffix(".md"))
        if path is None:
            report.error(item.pos, f"{label}: '{value}' is outside content/",
                         "write the path inside content/<lang>/ without '../', e.g. drowning/ten-actions")
        elif path not in documents and (check.default_language, path) in found:
            continue  # the file exists but has errors of its own, reported there
        elif path not in documents or documents[path].kind not in ("material", "page"):
            report.error(item.pos, f"{label}: no material '{path}'",
                         did_you_mean(path, [d for d, doc in documents.items() if doc.kind == "material"])
                         .replace("known:", f"expected content/{check.default_language}/{path}.md; known:", 1))
        elif path in materials:
            report.error(item.pos, f"{label}: '{path}' is listed twice")
        else:
            materials.append(path)
    events: list[Event] = []
    for index, item in enumerate(check.sequence(fields["events"], "events") if "events" in fields else []):
        event = _event(item, f"events[{index}]", check)
        if event is not None:
            events.append(event)
    image = _image(fields["image"], "image", check, assets) if "image" in fields else None
    drafts = check.ids(fields["draft_languages"], "draft_languages", check.languages, "language") \
        if "draft_languages" in fields else ()
    if None in (title, summary, status, start, end):
        return None
    assert title and summary and status and start and end
    return Campaign(cid, title, summary, status, start, end, topic_ids, audience_ids, messages,  # type: ignore[arg-type]
                    tuple(materials), tuple(sorted(events, key=lambda e: e.date)), image, drafts)


def _event(node: Node, label: str, check: Checker) -> Event | None:
    fields = check.mapping(node, label, required=("date", "title"), optional=("place",))
    if fields is None or "date" not in fields or "title" not in fields:
        return None
    date = check.date(fields["date"], f"{label}.date")
    title = check.text(fields["title"], f"{label}.title")
    place = check.text(fields["place"], f"{label}.place") if "place" in fields else None
    return Event(date, title, place) if date and title else None


def _image(node: Node, label: str, check: Checker, assets: dict[str, Asset]) -> Image | None:
    fields = check.mapping(node, label, required=("src", "alt"))
    if fields is None:
        return None
    if "alt" not in fields:
        return None  # already reported as missing: images need alt text
    alt = check.text(fields["alt"], f"{label}.alt")
    if "src" not in fields:
        return None
    src_text = check.string(fields["src"], f"{label}.src")
    if src_text is None:
        return None
    src = content_path(src_text)
    if src is None:
        check.report.error(fields["src"].pos, f"{label}.src: '{src_text}' is outside content/",
                           "images live in content/<lang>/, e.g. images/safe-summer.svg")
        return None
    if src not in assets:
        check.report.error(fields["src"].pos, f"{label}.src: no file content/<lang>/{src}",
                           did_you_mean(src, [a for a in assets if a.startswith("images/")]))
        return None
    return Image(src, alt) if alt else None


def today_from(value: str | None, environ: dict[str, str]) -> dt.date:
    """`--today`, else SOURCE_DATE_EPOCH, else the clock (docs/architecture.md)."""
    if value:
        return dt.date.fromisoformat(value)
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()
