"""Turn the raw project into the typed model, collecting every problem on the way.

Each file is checked against the schema declared in loa/check/fields.py (types,
known keys, values) as it is turned into the model; its references to other
files (topics, audiences, materials, images) are checked then, by the rules of
loa/check/references.py, against the topics, audiences, documents and images
collected before the campaigns. Rules over all documents follow:
sources and review dates, missing translations, then the Markdown lint.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from loa.check.channels import check_sms
from loa.check.fields import CAMPAIGN, LANGUAGE, run, walk
from loa.check.fields import SETTINGS as LOA_SETTINGS
from loa.check.fit import check_posters
from loa.check.freshness import check_behind
from loa.check.front import document_kind, memo_translation, translation_of
from loa.check.glyphs import check_glyphs
from loa.check.lint import lint_documents
from loa.check.references import references, start_here
from loa.check.strings import check_strings
from loa.check.validators import LANGUAGE_TAG, SLUG, Checker, did_you_mean
from loa.errors import Position, Report
from loa.load.project import RawProject
from loa.load.source import Node
from loa.messages import _
from loa.model import (
    DOCUMENT_TYPES,
    Asset,
    Campaign,
    Document,
    Language,
    LocalText,
    Settings,
    Site,
    Translation,
)
from loa.slugs import slugify

SETTINGS = "mkdocs.yml"
RESERVED = ("search", "topics/index", "audiences/index", "404", "campaigns", "pagefind")


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
    check_sms(campaigns, raw.campaigns, settings, strings, report)
    _check_missing_translations(documents, settings, report)
    check_behind(documents, settings.default_language, report)
    lint_documents(documents, assets, report, memo)
    check_glyphs(raw.root, [(raw.root / "mkdocs.yml", "mkdocs.yml"),
                            *((file, shown) for file, shown, _ in raw.pages.values()),
                            *((raw.root / shown, shown) for shown in raw.campaign_paths.values())], report, memo)
    check_posters(raw, documents, report)
    return Site(raw.root, settings, campaigns, documents, assets, strings)


# -- settings ---------------------------------------------------------------------------------

def _settings(node: Node, report: Report) -> Settings | None:
    bootstrap = Checker(report, (), "")
    fields = bootstrap.mapping(node, "extra.loa", required=LOA_SETTINGS.required,
                               optional=LOA_SETTINGS.keys)
    if fields is None or "languages" not in fields or "default_language" not in fields:
        return None
    languages: list[tuple[str, str, list[Node], bool]] = []
    lang_map = fields["languages"].value
    if not isinstance(lang_map, dict) or not lang_map:
        report.error(fields["languages"].pos, _("extra.loa.languages: expected a mapping of language code -> settings"),
                     _("for example  vi: {name: Tiếng Việt}"))
        return None
    for code, lang_node in lang_map.items():
        where = fields["languages"].key_pos[code]
        if not LANGUAGE_TAG.match(code):
            report.error(where, _("%(label)s: '%(value)s' is not a BCP 47 language tag", label="extra.loa.languages",
                                   value=code), _("use a lowercase 2- or 3-letter code such as 'vi', 'en' or 'hmn'"))
            continue
        spec = walk(bootstrap, lang_node, f"extra.loa.languages.{code}", LANGUAGE)
        if spec is not None:
            languages.append((code, spec["name"] or code, spec["fallback"] or [], spec["partial"]))
    codes = [code for code, *_ in languages]
    default = bootstrap.string(fields["default_language"], "extra.loa.default_language")
    if default is not None and default not in codes:
        report.error(fields["default_language"].pos, _("extra.loa.default_language: '%(lang)s' is not configured",
                                                       lang=default),
                     did_you_mean(default, codes))
        return None
    if default is None or not codes:
        return None
    check = Checker(report, codes, default)
    built: list[Language] = []
    for code, name, fallback, _partial in languages:
        chain = [code]
        for index, item in enumerate(fallback):
            value = check.string(item, f"extra.loa.languages.{code}.fallback[{index}]")
            if value is None:
                continue
            if value not in codes:
                report.error(item.pos, _("%(label)s: unknown language '%(lang)s'",
                                          label=f"extra.loa.languages.{code}.fallback[{index}]", lang=value),
                             did_you_mean(value, codes))
            elif value not in chain:
                chain.append(value)
        if default not in chain:
            chain.append(default)
        built.append(Language(code, name, tuple(chain)))
    # The texts need the configured languages: their validators run once the languages are known.
    rest = run(check, fields, "extra.loa", LOA_SETTINGS, only=("hotline", "site_name", "description", "site_url",
                                                                        "review_every", "cms"))
    site_name = rest["site_name"]
    if isinstance(site_name, str):  # the declared default, in the default language
        site_name = LocalText({default: site_name})
    if rest["hotline"] is None or site_name is None:
        return None
    site_url = rest["site_url"]
    partial = {code for code, _n, _f, is_partial in languages if is_partial}
    return Settings(default, tuple(built), site_name, rest["hotline"],
                    site_url.rstrip("/") + "/" if site_url else "", rest["description"],
                    partial_languages=frozenset(partial), review_every=rest["review_every"] or 12,
                    cms_backend=_backend(rest["cms"]))


def _backend(cms: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    backend = (cms or {}).get("backend") or {}
    if not backend.get("name") or not backend.get("repo"):
        return ()  # reported; no /admin/ without a host to save to
    return tuple((key, str(value)) for key, value in backend.items() if value not in (None, ""))


def _strings(raw: RawProject, settings: Settings, check: Checker) -> dict[str, dict[str, str]]:
    # English is every language's last fallback (loa/i18n/strings.py `resolve`), configured or not.
    files = {lang: node for lang, node in raw.strings.items() if lang in settings.codes or lang == "en"}
    chains = {lang.code: lang.chain for lang in settings.languages}
    strings = check_strings(files, chains, check.report, DOCUMENT_TYPES)
    for lang in settings.codes:
        if lang not in strings:
            check.report.warning(Position(f"theme/strings/{lang}.yml"),
                                 _("no UI strings for language '%(lang)s'; using its fallback languages", lang=lang),
                                 _("copy theme/strings/%(default)s.yml and translate it",
                                   default=settings.default_language))
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
            if lang == settings.default_language and document_kind(doc_id) == kind[:-1]}


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
                report.warning(Position(shown), _("content/%(lang)s/ is not a configured language; ignored", lang=lang),
                               did_you_mean(lang, settings.codes))
            continue
        if doc_id in RESERVED or doc_id.startswith(("campaigns/", "pagefind/")):
            report.error(Position(shown), _("this path is taken by a page that Loa generates"),
                         _("rename the file; campaigns/, search, topics/index, audiences/index and the search "
                           "index folder pagefind/ are generated"))
            continue
        bad = [part for part in doc_id.split("/") if not SLUG.match(part)]
        if bad:
            suggestion = "/".join(slugify(p) or "page" for p in doc_id.split("/"))
            report.error(Position(shown), _("file name '%(name)s' is not a URL slug", name=bad[0]),
                         _("rename to %(path)s (lowercase ASCII letters, digits and '-')",
                           path=f"content/{lang}/{suggestion}.md"))
            continue
        if memo is None:
            translation = translation_of(lang, doc_id, path, shown, source, check, topics, audiences)
        else:
            translation = memo_translation(memo, lang, doc_id, path, shown, source, check, topics, audiences)
        if translation is not None:
            by_id.setdefault(doc_id, {})[translation.lang] = translation
    documents: dict[str, Document] = {}
    for doc_id, translations in sorted(by_id.items()):
        ordered = {lang: translations[lang] for lang in settings.codes if lang in translations}
        original = ordered.get(settings.default_language)
        kind = document_kind(doc_id) or ("page" if next(iter(ordered.values())).type == "page" else "material")
        if original is None and (settings.default_language, doc_id) in raw.found:
            continue  # the original exists but has errors of its own, reported there
        if original is None:
            first = next(iter(ordered.values()))
            report.error(Position(first.shown),
                         _("'%(id)s' has no version in the default language '%(lang)s'", id=doc_id,
                           lang=settings.default_language),
                         _("add %(path)s; translations follow the original",
                           path=f"content/{settings.default_language}/{doc_id}.md"))
            continue
        for translation in ordered.values():
            if translation.type != original.type and kind in ("material", "page") \
                    and translation.type in DOCUMENT_TYPES:
                report.warning(Position(translation.shown),
                               _("type '%(type)s' differs from the original's '%(original)s'",
                                 type=translation.type, original=original.type))
        documents[doc_id] = Document(doc_id, kind, ordered)
    return documents


def _check_sources(documents: dict[str, Document], check: Checker) -> None:
    for document in documents.values():
        for translation in document.translations.values():
            where = Position(translation.shown)
            if document.kind == "material" and translation.lang == check.default_language:
                if not translation.sources:
                    check.report.warning(where, _("a material without sources"),
                                         _("add 'sources:' citing where each fact comes from"))
                if translation.reviewed is None:
                    check.report.warning(where, _("a material without a 'reviewed' date"),
                                         _("add 'reviewed: YYYY-MM-DD' when the content was last checked"))


def _check_missing_translations(documents: dict[str, Document], settings: Settings, report: Report) -> None:
    for language in settings.languages:
        if language.code == settings.default_language or language.code in settings.partial_languages:
            continue
        for document in documents.values():
            if language.code not in document.translations:
                original = document.translations[settings.default_language]
                report.warning(Position(original.shown),
                               _("no '%(lang)s' translation; readers get the %(best)s version",
                                 lang=language.code, best=document.best(language.chain).lang),
                               _("add %(path)s, or mark the language 'partial: true' in mkdocs.yml",
                                 path=f"content/{language.code}/{document.id}.md"))


# -- campaigns --------------------------------------------------------------------------------

def _campaign(cid: str, shown: str, node: Node, check: Checker, topics: set[str], audiences: set[str],
              documents: dict[str, Document], assets: dict[str, Asset],
              found: frozenset[tuple[str, str]]) -> Campaign | None:
    report = check.report
    if not SLUG.match(cid):
        report.error(Position(shown), _("campaign file name '%(name)s' is not a URL slug", name=cid),
                     _("rename to %(path)s", path=f"campaigns/{slugify(cid) or 'campaign'}.yml"))
        return None
    values = walk(check, node, "", CAMPAIGN, references(topics, audiences, documents, assets, found))
    if values is None or None in (values["title"], values["summary"], values["status"], values["period"]):
        return None
    start, end = values["period"]
    if start is None or end is None:
        return None
    return Campaign(cid, values["title"], values["summary"], values["status"], start, end, values["topics"],
                    values["audiences"], tuple(values["key_messages"]), tuple(values["materials"]),
                    tuple(sorted(values["events"], key=lambda e: e.date)), values["image"],
                    values["draft_languages"],
                    start_here(node, values["start_here"], values["materials"], report))


def today_from(value: str | None, environ: dict[str, str]) -> dt.date:
    """`--today`, else SOURCE_DATE_EPOCH, else the clock (docs/architecture.md)."""
    if value:
        return dt.date.fromisoformat(value)
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()
