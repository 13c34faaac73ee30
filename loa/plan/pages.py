"""The pieces of generated pages' Markdown: escaping, links, and `Context`, one language's text,
dates and lists (the pages themselves, home, campaigns, hubs, are made in `loa/plan/generated.py`).

Generated pages go through MkDocs like any other page, so their links are
relative `.md` links that MkDocs resolves and checks, and their text reaches
the search index. Lists of pages are the exception: a hub lists hundreds of
materials, and as Markdown such a list cost most of the hub's time (0.2-0.4 s
each at 1,000 materials). Loa writes their HTML itself, as Python-Markdown
wrote it, and the Markdown holds a placeholder for it (`Context.block`). Text
that falls back to another language is wrapped in an element with its `lang`
(WCAG 3.1.2).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from urllib.parse import quote

from markupsafe import Markup
from markupsafe import escape as html_escape

from loa.cache.results import KEPT
from loa.i18n.dates import format_date
from loa.i18n.strings import UIStrings
from loa.model import Campaign, Document, Language, LocalText, Site

PHASES = ("running", "upcoming", "ended")


MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]{}]|(?<!&)#|^[-+](?=\s)|^\d+[.)])")
"""What Markdown would read as syntax in a line of text: emphasis, code, links, attribute lists
(`{: onclick=...}` at the end of a heading adds an attribute), closing `#`s of a heading, and a list
marker at the start. `#` in an HTML character reference (`&#34;`) is left alone. Jinja's `{{ }}` and
`{% %}` are harmless in Markdown (MkDocs does not run Jinja on pages) but lose their braces' meaning too."""


def escape(text: str) -> str:
    """Plain text as a piece of a generated page's Markdown: shown as typed, never read as HTML or syntax."""
    return md(html_escape(text.replace("\r", " ").replace("\n", " ")))


def md(markup: Markup) -> str:
    """HTML made by Loa (escaped text, `<span lang>`) as a piece of Markdown: its text is not read as syntax."""
    return MARKDOWN_SYNTAX.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], str(markup))


def tel(number: str) -> str:
    """The `tel:` URL of a phone number as people write it (`1800 1567` -> `tel:18001567`)."""
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def web_url(address: str) -> str:
    """A web address as written by an officer, as a valid URL: characters that URLs do not allow (a quote,
    `<`, a space...) percent-encoded, the address otherwise unchanged (existing `%xx` stay as they are)."""
    return quote(address, safe="!#$%&'()*+,-./:;=?@[]_~")


def link(from_uri: str, to_uri: str) -> str:
    """A relative link between two pages, as written in Markdown (`posixpath.relpath`, without its cost)."""
    start = from_uri.split("/")[:-1]
    target = to_uri.split("/")
    common = 0
    while common < len(start) and common < len(target) - 1 and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:])


def url_link(from_uri: str, to_uri: str) -> str:
    """The relative URL of page `to_uri` from page `from_uri`, as MkDocs makes it (directory URLs)."""
    return link(page_path(from_uri) + "index.md", page_path(to_uri)) or "./"


def page_path(uri: str) -> str:
    """A page's URL path in its language, with directory URLs: `campaigns/x.md` -> `campaigns/x/`,
    `campaigns/index.md` -> `campaigns/`, `index.md` -> ``."""
    stem = uri.removesuffix(".md")
    return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else f"{stem}/"


BLOCK = "<!--loa:block:{}-->"
"""The placeholder line, in a generated page's Markdown, for one of the page's `blocks`."""


ICON = "<!--loa:icon:{}-->"
"""The placeholder of one of Material's bundled icons (`material/school-outline`), which loa/render/html.py
replaces with its inline SVG."""

TYPE_ICONS = {"fact-sheet": "material/file-document-outline", "guide": "material/book-open-variant",
              "lesson-plan": "material/school-outline", "poster": "material/image-outline",
              "checklist": "material/checkbox-marked-outline", "story": "material/book-open-page-variant-outline",
              "faq": "material/frequently-asked-questions", "page": "material/file-outline"}
"""A material type's icon, beside its name on cards."""

READ_PER_MINUTE = 180
"""Words (for Vietnamese and Hmong: syllables, which they write apart) a reader reads in a minute: an estimate
for a careful reader, rounded up to whole minutes on the cards ("3 min read")."""


def reading_minutes(body: str) -> int:
    # kept by the body's digest (loa/cache/results.py): counting words with a regex is slower than hashing
    words = KEPT.get_by_key(words_key(body), lambda: count_words(body), int, _count)
    return max(1, -(-words // READ_PER_MINUTE))


@lru_cache(maxsize=4096)
def words_key(body: str) -> str:
    """The digest a body's word count is kept by, itself kept in memory by the text: a page and its cards ask
    again, in every language that shows it, and a string keeps its hash where a digest reads the whole text
    each time. 4,096 texts: a site of 1,000 materials in three languages has about 2,000, and `serve` keeps
    no more old ones than that."""
    return KEPT.key("words", [body])


def count_words(body: str) -> int:
    return len(re.findall(r"\w+", body))


def _count(value: object) -> int:
    if type(value) is not int:
        raise TypeError("not a count")
    return value


def html_text(text: str) -> Markup:
    """Plain text as HTML."""
    return html_escape(text)


@dataclass
class Context:
    """One language's pieces of generated pages (`loa/plan/generated.py` makes the pages). Made per
    language and per plan: what it works out once is kept in its own fields, not in a frozen object."""

    site: Site
    language: Language
    ui: UIStrings
    campaigns: tuple[Campaign, ...]
    today: dt.date
    blocks: dict[str, list[str]] = field(default_factory=dict, init=False)
    """Page src_uri -> the HTML of its lists, which its Markdown holds placeholders for (`block`)."""
    _doc_items: dict[str, tuple[Markup, Markup]] = field(default_factory=dict, init=False)
    """Document id -> its title and what follows its link, made once (it is in several lists)."""
    cards: dict[str, Markup] = field(default_factory=dict, init=False)
    """Document id -> its card but for the link's address (`loa/plan/cards.py`), made once."""

    @property
    def chain(self) -> tuple[str, ...]:
        return self.language.chain

    @cached_property
    def campaigns_using(self) -> dict[str, list[Campaign]]:
        """Material id -> the campaigns that list it (one pass, not one per material)."""
        index: dict[str, list[Campaign]] = {}
        for campaign in self.campaigns:
            for material in campaign.materials:
                index.setdefault(material, []).append(campaign)
        return index

    @cached_property
    def topic_groups(self) -> dict[str, dict[frozenset[str], list[tuple[int, Document]]]]:
        """Topic id -> its materials grouped by their audiences, each with its place (one pass, for `related`,
        which looks for other audiences than a material's: one for every audience finds none)."""
        index: dict[str, dict[frozenset[str], list[tuple[int, Document]]]] = {}
        for place, document in enumerate(d for d in self.site.documents.values() if d.kind == "material"):
            translation = document.best(self.chain)
            for topic in translation.topics:
                index.setdefault(topic, {}).setdefault(frozenset(translation.audiences), []).append((place, document))
        return index

    # -- small pieces ---------------------------------------------------------------------

    def text(self, value: LocalText) -> str:
        """Escaped text in the best language, wrapped with its `lang` when it is a fallback."""
        text, lang = value.pick(self.chain)
        return self.wrap(escape(text), lang)

    def html(self, value: LocalText) -> Markup:
        """`text`, as HTML."""
        text, lang = value.pick(self.chain)
        return self.span(html_text(text), lang)

    def wrap(self, markdown: str, lang: str) -> str:
        """A piece of Markdown, in an element with its `lang` when it is not the page's."""
        return markdown if lang == self.language.code else f'<span lang="{lang}">{markdown}</span>'

    def span(self, markup: Markup, lang: str) -> Markup:
        """`wrap`, for HTML."""
        if lang == self.language.code:
            return markup
        return Markup(f'<span lang="{html_escape(lang)}">{html_escape(markup)}</span>')

    def ui_md(self, key: str, **values: object) -> str:
        """An interface string (values escaped, see `UIStrings.html`) as a piece of Markdown."""
        return md(self.ui.html(key, **values))

    def date(self, value: dt.date) -> str:
        return format_date(value, self.language.code, self.ui)

    def period(self, campaign: Campaign) -> str:
        return f"{self.date(campaign.start)} – {self.date(campaign.end)}"

    def doc_title(self, doc_id: str) -> tuple[str, str]:
        document = self.site.documents[doc_id]
        translation = document.best(self.chain)
        return translation.title, translation.lang

    def block(self, uri: str, items: list[Markup]) -> str:
        """A list of `items` (HTML) for page `uri`: the placeholder line to put in its Markdown.

        The list is written as Python-Markdown writes a Markdown list of those items, and put in
        the page's HTML after conversion (`loa/render/plugin.py`): `tests/test_plan.py` compares both.
        """
        blocks = self.blocks.setdefault(uri, [])
        blocks.append("<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>")
        return BLOCK.format(len(blocks) - 1)

    def html_block(self, uri: str, html: Markup) -> str:
        """Loa's own HTML (officers' text escaped in it) for page `uri`: the placeholder line for its Markdown."""
        blocks = self.blocks.setdefault(uri, [])
        blocks.append(str(html))
        return BLOCK.format(len(blocks) - 1)

    def doc_list(self, from_uri: str, documents: list[Document]) -> str:
        items = []
        for document in documents:
            title, tail = self._doc_item(document)
            # an f-string of escaped parts: what Markup.format gives, without its Formatter (hubs list hundreds)
            items.append(Markup(f'<a href="{html_escape(url_link(from_uri, document.id + ".md"))}">{title}</a>{tail}'))
        return self.block(from_uri, items)

    def _doc_item(self, document: Document) -> tuple[Markup, Markup]:
        """A document's title and what follows its link (HTML), made once per language (it is in several lists)."""
        key = document.id
        if key not in self._doc_items:
            translation = document.best(self.chain)
            title = self.span(html_text(translation.title), translation.lang)
            details = [self.ui.html(f"type.{translation.type}")] if document.kind == "material" else []
            if translation.ages:
                details.append(self.ui.html("page.ages", ages=translation.ages))
            tail = Markup(" · ") + Markup(", ").join(details) if details else Markup()
            if translation.summary:
                tail += Markup("<br />\n") + self.span(html_text(translation.summary), translation.lang)
            self._doc_items[key] = (title, tail)
        return self._doc_items[key]

    def campaign_list(self, from_uri: str, campaigns: list[Campaign]) -> str:
        return self.block(from_uri, [
            Markup(f'<a href="{html_escape(url_link(from_uri, f"campaigns/{campaign.id}.md"))}">'
                   f'{self.html(campaign.title)}</a> · {html_escape(self.period(campaign))}<br />\n'
                   f'{self.html(campaign.summary)}') for campaign in campaigns])

    def by_phase(self, campaigns: tuple[Campaign, ...] | list[Campaign]) -> dict[str, list[Campaign]]:
        groups: dict[str, list[Campaign]] = {phase: [] for phase in PHASES}
        for campaign in sorted(campaigns, key=lambda c: (c.start, c.id)):
            groups[campaign.phase(self.today)].append(campaign)
        groups["ended"].reverse()  # most recent first
        return groups

    def campaign_sections(self, from_uri: str, campaigns: tuple[Campaign, ...] | list[Campaign],
                          level: str = "##") -> list[str]:
        out: list[str] = []
        for phase, group in self.by_phase(campaigns).items():
            if group:
                out += [f"{level} {self.ui_md(f'phase.{phase}.heading')}", ""]
                out += [self.campaign_list(from_uri, group), ""]
        return out

    def intro(self, doc_id: str) -> tuple[str, str, str]:
        """(summary, body, language) of a hub's or the home's own text, if written."""
        document = self.site.documents.get(doc_id)
        if document is None:
            return "", "", self.language.code
        translation = document.best(self.chain)
        body = translation.body.strip()
        if translation.lang != self.language.code and body:
            body = f'<div lang="{translation.lang}" markdown>\n\n{body}\n\n</div>'
        return translation.summary, body, self.language.code
