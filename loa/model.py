"""The typed, frozen data model. Templates and the planner only ever see these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

CampaignStatus = Literal["draft", "published", "archived"]
Phase = Literal["running", "upcoming", "ended"]
DocumentKind = Literal["home", "material", "page", "topic", "audience"]

DOCUMENT_TYPES = ("fact-sheet", "guide", "lesson-plan", "poster", "checklist", "story", "faq", "page")


@dataclass(frozen=True)
class LocalText:
    """A text in several languages; `pick` follows a fallback chain."""

    by_lang: Mapping[str, str]

    def pick(self, chain: tuple[str, ...]) -> tuple[str, str]:
        """The text and the language it is actually in, first found along `chain`."""
        for lang in chain:
            if lang in self.by_lang:
                return self.by_lang[lang], lang
        lang, text = next(iter(self.by_lang.items()))
        return text, lang

    def get(self, chain: tuple[str, ...]) -> str:
        return self.pick(chain)[0]


@dataclass(frozen=True)
class Language:
    code: str
    """BCP 47 tag used in URLs, `lang` and `hreflang` (e.g. `vi`, `hmn`)."""
    name: str
    """The language's name in itself, as shown in the switcher."""
    chain: tuple[str, ...]
    """This language, then its fallbacks, ending with the default language."""


@dataclass(frozen=True)
class Hotline:
    number: str
    name: LocalText


@dataclass(frozen=True)
class Settings:
    """Loa's site settings, read from `extra.loa` in mkdocs.yml."""

    default_language: str
    languages: tuple[Language, ...]
    """In switcher order."""
    site_name: LocalText
    hotline: Hotline
    site_url: str
    """Absolute base URL with trailing slash, or '' when unknown (then canonical links are relative)."""
    description: LocalText | None = None
    partial_languages: frozenset[str] = frozenset()
    """Languages declared incomplete: their missing translations are expected, not warned about."""
    review_every: int = 12
    """Months after `reviewed` when a material's facts are due for review (loa/check/reviews.py)."""
    cms_backend: tuple[tuple[str, str], ...] = ()
    """`extra.loa.cms.backend` as (key, value) pairs: the Git host of the published `/admin/`; () when off."""

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)


@dataclass(frozen=True)
class Source:
    """A citation for the facts in a document."""

    title: str
    publisher: str
    year: int
    url: str = ""


@dataclass(frozen=True)
class Image:
    src: str
    """Path relative to `content/<lang>/`."""
    alt: LocalText


@dataclass(frozen=True)
class Translation:
    """One language version of a document: its front matter and Markdown body."""

    lang: str
    title: str
    summary: str
    body: str
    body_line: int
    path: Path
    """Absolute path of the Markdown file."""
    shown: str
    """The path as shown in messages (relative to the project)."""
    type: str = "page"
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    ages: str = ""
    sources: tuple[Source, ...] = ()
    reviewed: dt.date | None = None
    draft: bool = False
    """A draft translation that still needs review by a native speaker."""
    draft_note: str = ""
    follows: str = ""
    """On a translation: the digest of the original's text it follows (loa/check/freshness.py); '' if unknown."""
    review_every: int | None = None
    """This material's review cycle in months, when it differs from the site's."""
    printed: bool | None = None
    """`print:` of the front matter: an A4 PDF or not; None: as its type decides (loa/plan/print.py)."""


@dataclass(frozen=True)
class Document:
    """A page with the same relative path in one or more languages."""

    id: str
    """Relative path without `.md`, e.g. `drowning/ten-actions`; also its URL path."""
    kind: DocumentKind
    translations: Mapping[str, Translation]

    def best(self, chain: tuple[str, ...]) -> Translation:
        for lang in chain:
            if lang in self.translations:
                return self.translations[lang]
        return next(iter(self.translations.values()))


@dataclass(frozen=True)
class Event:
    date: dt.date
    title: LocalText
    place: LocalText | None = None


@dataclass(frozen=True)
class Campaign:
    id: str
    """The file stem of `campaigns/<id>.yml`; also its URL `campaigns/<id>/`."""
    title: LocalText
    summary: LocalText
    status: CampaignStatus
    start: dt.date
    end: dt.date
    topics: tuple[str, ...]
    audiences: tuple[str, ...]
    key_messages: tuple[LocalText, ...] = ()
    materials: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()
    image: Image | None = None
    draft_languages: tuple[str, ...] = ()
    """Languages whose texts in this campaign are drafts awaiting a native speaker's review."""
    start_here: tuple[str, ...] = ()
    """One or two of `materials` to read first (its page shows them first)."""

    def phase(self, today: dt.date) -> Phase:
        if self.status == "archived" or today > self.end:
            return "ended"  # archived is always ended (README), even with a start still to come
        if today < self.start:
            return "upcoming"
        return "running"


@dataclass(frozen=True)
class Asset:
    """A non-Markdown file under `content/<lang>/` (image, PDF), per language."""

    path: str
    files: Mapping[str, Path]
    """Language -> absolute path of that language's copy."""


@dataclass(frozen=True)
class Site:
    """Everything Loa knows about the input, validated."""

    root: Path
    settings: Settings
    campaigns: tuple[Campaign, ...]
    documents: Mapping[str, Document]
    assets: Mapping[str, Asset]
    strings: Mapping[str, Mapping[str, str]]
    """UI strings: language -> key -> text (see `theme/strings/`)."""
    mkdocs: Mapping[str, object] = field(default_factory=dict)
    """The MkDocs/Material part of mkdocs.yml, passed through to the adapter."""

    def topic_ids(self) -> list[str]:
        return sorted(d.id.split("/", 1)[1] for d in self.documents.values() if d.kind == "topic")

    def audience_ids(self) -> list[str]:
        return sorted(d.id.split("/", 1)[1] for d in self.documents.values() if d.kind == "audience")
