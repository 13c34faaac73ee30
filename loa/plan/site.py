"""Decide, for every language, exactly which pages to emit, with what content.

Pure Python (no MkDocs import): the planner is where Loa's rules live, so it
is fast to test. A page is a real translation, a fallback copy of another
language's version, or a generated page (home, campaign, hub, index).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from loa.check.freshness import follows, modified
from loa.check.reviews import review_due
from loa.i18n.strings import UIStrings, resolve
from loa.model import Campaign, Document, Language, Site, Translation
from loa.plan import generated as generate
from loa.plan import pages
from loa.plan.cards import related
from loa.plan.print import PrintFile, campaign_prints, material_prints
from loa.plan.toolkit import toolkit, uri_of

PageKind = Literal["translation", "fallback", "generated"]


@dataclass(frozen=True)
class Alternate:
    """This page in another language, for the switcher and hreflang links."""

    lang: str
    name: str
    """The language's name in itself."""
    url: str
    """Site-absolute path, e.g. `/en/drowning/ten-actions/`."""
    real: bool
    """False where that language only shows a fallback copy of this page."""


@dataclass(frozen=True)
class SourceView:
    title: str
    publisher: str
    year: int
    url: str


@dataclass(frozen=True)
class DocumentFacts:
    """What the page template shows around a document's text: type, audiences, sources."""

    type_label: str
    audiences: tuple[tuple[str, str, str], ...]
    """(label, its language, src_uri of the audience hub)."""
    ages: str
    reviewed: str
    """When the content was last checked, written for the page's language (loa/i18n/dates.py); '' if unknown."""
    sources: tuple[SourceView, ...]
    campaigns: tuple[tuple[str, str, str], ...]
    """(title, its language, src_uri) of the campaigns that use this material."""
    review_due: str = ""
    """When the facts are due for review again (loa/check/reviews.py), written like `reviewed`."""
    topics: tuple[tuple[str, str, str], ...] = ()
    """(title, its language, src_uri) of its topics' hubs: the first is its breadcrumb."""
    reading: int = 0
    """Its reading time in minutes (`pages.reading_minutes`); the template writes it (`page.reading`)."""
    related: tuple[tuple[str, str, str, str, str], ...] = ()
    """(title, its language, src_uri, type label, type icon) of what to read next (`Context.related`)."""
    for_children: bool = False
    """Written for children only (`audiences: [children]`): the page has larger type and shorter lines."""


@dataclass(frozen=True)
class PlannedPage:
    src_uri: str
    """The page's path as MkDocs knows it, e.g. `drowning/ten-actions.md`."""
    url: str
    """Site-absolute path, e.g. `/vi/drowning/ten-actions/`."""
    kind: PageKind
    title: str
    summary: str
    content_lang: str
    """The language the main content is written in (differs from the page's for a fallback)."""
    markdown: str
    alternates: tuple[Alternate, ...]
    original_url: str = ""
    """For a fallback: the page in the language its content comes from."""
    draft_note: str = ""
    """HTML notice, in the UI language, for a draft translation that still needs a native speaker's review."""
    facts: DocumentFacts | None = None
    behind_date: str = ""
    """For a translation behind its original (loa/check/freshness.py): the day the original changed, written for
    the page's language; `original_url` is then the original's page."""
    behind_lang: str = ""
    body_line: int = 1
    """Line of the source file where `markdown` starts (for messages)."""
    blocks: tuple[str, ...] = ()
    """HTML put in place of the placeholders (`pages.BLOCK`) in the converted `markdown`."""
    prints: tuple[PrintFile, ...] = ()
    """Its print files (loa/plan/print.py): a material's PDF and posters, a campaign's posters and leaflet."""

    @property
    def is_fallback(self) -> bool:
        return self.kind == "fallback"


@dataclass(frozen=True)
class NavItem:
    title: str
    src_uri: str


@dataclass(frozen=True)
class LanguagePlan:
    """Everything one per-language MkDocs build needs; picklable for worker processes."""

    language: Language
    languages: tuple[Language, ...]
    default_language: str
    site_name: str
    site_name_lang: str
    site_url: str
    description: str
    hotline_number: str
    hotline_name: str
    hotline_name_lang: str
    ui: UIStrings
    pages: tuple[PlannedPage, ...]
    assets: tuple[tuple[str, Path], ...]
    """(path inside the language folder, source file)."""
    nav: tuple[NavItem, ...]
    has_hotline_page: bool = False

    @property
    def lang(self) -> str:
        return self.language.code


@dataclass(frozen=True)
class SitePlan:
    languages: tuple[LanguagePlan, ...]
    default_language: str
    site_url: str
    today: dt.date


def src_uri(doc_id: str) -> str:
    return f"{doc_id}.md"


def shown_path(plan: LanguagePlan, page: PlannedPage) -> str:
    """The file a page's messages name: its Markdown source, or the generated page."""
    return f"content/{page.content_lang}/{page.src_uri}" if page.kind != "generated" \
        else f"{plan.lang}/{page.src_uri} (generated)"


def url_of(lang: str, uri: str) -> str:
    """Site-absolute URL of a page, with directory URLs: `drowning/a.md` -> `/vi/drowning/a/`."""
    return f"/{lang}/{pages.page_path(uri)}"


def visible_campaigns(site: Site, drafts: bool) -> tuple[Campaign, ...]:
    """Published (and archived) campaigns; drafts only with `--drafts`."""
    return tuple(c for c in site.campaigns if c.status != "draft" or drafts)


def plan_site(site: Site, today: dt.date, langs: tuple[str, ...] | None = None, drafts: bool = False) -> SitePlan:
    return site_plan(site, tuple(plan_languages(site, today, langs, drafts)), today)


def chosen_languages(site: Site, langs: tuple[str, ...] | None = None) -> list[Language]:
    """The languages to build (`--lang`, or all), in the order of the settings."""
    return [lang for lang in site.settings.languages if langs is None or lang.code in langs]


def plan_languages(site: Site, today: dt.date, langs: tuple[str, ...] | None = None,
                   drafts: bool = False) -> Iterator[LanguagePlan]:
    """The chosen languages' plans one at a time, the default language first: a build renders a language
    while it plans the next (loa/pipeline.py::build), and the other languages show the default language's
    texts where they have none of their own, so those pages are in the Markdown cache when they come."""
    campaigns = visible_campaigns(site, drafts)
    chosen = chosen_languages(site, langs)
    default = site.settings.default_language
    for language in sorted(chosen, key=lambda lang: lang.code != default):  # stable: the others keep their order
        yield plan_language(site, language, campaigns, today)


def site_plan(site: Site, languages: Collection[LanguagePlan], today: dt.date) -> SitePlan:
    """The site's plan of these languages, in the order of the settings."""
    order = [lang.code for lang in site.settings.languages]
    return SitePlan(tuple(sorted(languages, key=lambda plan: order.index(plan.lang))),
                    site.settings.default_language, site.settings.site_url, today)


def plan_documents(site: Site, today: dt.date, doc_ids: Collection[str], langs: tuple[str, ...] | None = None,
                   drafts: bool = False) -> dict[str, tuple[PlannedPage, ...]]:
    """Language -> the pages of these documents (materials and pages), exactly as `plan_site` plans them.

    Much cheaper than the whole plan: `serve` shows a saved page before it plans the pages that list it.
    """
    campaigns = visible_campaigns(site, drafts)
    found = {}
    for language in site.settings.languages:
        if langs is None or language.code in langs:
            ui = resolve(site.strings, language.chain)
            ctx = pages.Context(site, language, ui, campaigns, today)
            found[language.code] = tuple(_document_page(site, site.documents[doc_id], language, ui, ctx)
                                         for doc_id in doc_ids if site.documents[doc_id].kind in ("material", "page"))
    return found


def plan_language(site: Site, language: Language, campaigns: tuple[Campaign, ...],
                  today: dt.date) -> LanguagePlan:
    settings = site.settings
    chain = language.chain
    ui = resolve(site.strings, chain)
    ctx = pages.Context(site, language, ui, campaigns, today)
    planned: list[PlannedPage] = []

    for document in site.documents.values():
        if document.kind in ("material", "page"):
            planned.append(_document_page(site, document, language, ui, ctx))

    home_title = ctx.doc_title("index")[0] if "index" in site.documents else settings.site_name.get(chain)
    generated = [("index.md", home_title, generate.home(ctx))]
    generated.append(("campaigns/index.md", ui("nav.campaigns"), generate.campaign_index(ctx)))
    drafted = {f"campaigns/{c.id}.md": c.draft_languages for c in campaigns}
    drafted.update({uri_of(c): c.draft_languages for c in campaigns})
    for campaign in campaigns:
        generated.append((f"campaigns/{campaign.id}.md", *generate.campaign(ctx, campaign)))
        generated.append((uri_of(campaign), *toolkit(ctx, campaign)))
    generated.append(("search.md", ui("search.title"), generate.search_page(ctx)))
    for kind, label in (("topics", "nav.topics"), ("audiences", "nav.audiences")):
        generated.append((f"{kind}/index.md", ui(label), generate.hub_index(ctx, kind)))
        for hub_id in (site.topic_ids() if kind == "topics" else site.audience_ids()):
            generated.append((f"{kind}/{hub_id}.md", *generate.hub(ctx, kind, hub_id)))
    prints = {f"campaigns/{c.id}.md": campaign_prints(c, chain, ui) for c in campaigns}
    for uri, title, (summary, body, content_lang) in generated:
        own_text = site.documents.get(uri[:-3])
        draft = own_text is not None and own_text.best(chain).draft and own_text.best(chain).lang == language.code
        draft = draft or language.code in drafted.get(uri, ())
        planned.append(PlannedPage(
            src_uri=uri, url=url_of(language.code, uri), kind="generated", title=title, summary=summary,
            content_lang=content_lang, markdown=body,
            alternates=_alternates(site, uri, lambda _lang: True),
            draft_note=ui.html("draft.notice") if draft else "", blocks=tuple(ctx.blocks.pop(uri, ())),
            prints=prints.get(uri, ())))

    nav = [NavItem(ui("nav.home"), "index.md"), NavItem(ui("nav.campaigns"), "campaigns/index.md"),
           NavItem(ui("nav.topics"), "topics/index.md"), NavItem(ui("nav.audiences"), "audiences/index.md")]
    if "hotline" in site.documents:
        nav.append(NavItem(ctx.doc_title("hotline")[0], "hotline.md"))
    assets = tuple(sorted(
        (asset.path, next(asset.files[lang] for lang in chain + tuple(asset.files) if lang in asset.files))
        for asset in site.assets.values()))
    return LanguagePlan(
        language=language, languages=settings.languages, default_language=settings.default_language,
        site_name=settings.site_name.get(chain), site_name_lang=settings.site_name.pick(chain)[1],
        site_url=settings.site_url,
        description=settings.description.get(chain) if settings.description else "",
        hotline_number=settings.hotline.number, hotline_name=settings.hotline.name.get(chain),
        hotline_name_lang=settings.hotline.name.pick(chain)[1],
        ui=ui, pages=tuple(sorted(planned, key=lambda p: p.src_uri)), assets=assets, nav=tuple(nav),
        has_hotline_page="hotline" in site.documents)


def _alternates(site: Site, uri: str, is_real: Callable[[str], bool]) -> tuple[Alternate, ...]:
    return tuple(Alternate(lang.code, lang.name, url_of(lang.code, uri), is_real(lang.code))
                 for lang in site.settings.languages)


def _document_page(site: Site, document: Document, language: Language, ui: UIStrings,
                   ctx: pages.Context) -> PlannedPage:
    uri = src_uri(document.id)
    translation: Translation = document.best(language.chain)
    fallback = translation.lang != language.code
    original = document.translations[site.settings.default_language]
    behind = translation.follows and translation.follows != follows(original)
    facts = None
    if document.kind == "material":
        facts = DocumentFacts(
            type_label=ui(f"type.{translation.type}"),
            audiences=tuple((*ctx.doc_title(f"audiences/{a}"), f"audiences/{a}.md") for a in translation.audiences),
            ages=translation.ages,
            reviewed=ctx.date(translation.reviewed) if translation.reviewed else "",
            sources=tuple(SourceView(s.title, s.publisher, s.year, s.url) for s in translation.sources),
            campaigns=tuple((*c.title.pick(language.chain), f"campaigns/{c.id}.md")
                            for c in ctx.campaigns_using.get(document.id, ())),
            review_due=ctx.date(due) if (due := review_due(translation, site.settings.review_every)) else "",
            topics=tuple((*ctx.doc_title(f"topics/{t}"), f"topics/{t}.md") for t in translation.topics),
            reading=pages.reading_minutes(translation.body),
            related=tuple((*ctx.doc_title(d.id), f"{d.id}.md", ui(f"type.{(t := d.best(language.chain)).type}"),
                           pages.TYPE_ICONS.get(t.type, pages.TYPE_ICONS["page"])) for d in related(ctx, document)),
            for_children=tuple(translation.audiences) == ("children",))
    return PlannedPage(
        src_uri=uri, url=url_of(language.code, uri), kind="fallback" if fallback else "translation",
        title=translation.title, summary=translation.summary, content_lang=translation.lang,
        markdown=translation.body,
        alternates=_alternates(site, uri, lambda lang: lang in document.translations),
        original_url=url_of(translation.lang, uri) if fallback else url_of(original.lang, uri) if behind else "",
        draft_note=ui.html("draft.notice") if translation.draft else "",
        behind_date=ctx.date(modified(original.path)) if behind else "", behind_lang=original.lang if behind else "",
        facts=facts, body_line=translation.body_line,
        prints=material_prints(uri, translation, ui) if document.kind == "material" else ())
