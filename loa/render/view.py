"""The typed context that Loa's theme templates receive as `loa`.

Templates present, this module decides: relative links, which alternates to
claim, canonical URLs, robots rules. Pure Python, no MkDocs import.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

from babel.core import get_global
from markupsafe import Markup

from loa.i18n.strings import UIStrings
from loa.plan import offline
from loa.plan.pages import tel, web_url
from loa.plan.share import image_of
from loa.plan.site import LanguagePlan, PlannedPage, url_of

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
"""The Content-Security-Policy of every page (a `<meta http-equiv>` in theme/main.html and theme/loa/root.html;
theme/README.md says why each part, and how a host sends it as a header). Scripts and styles come from the
site's own files only, never inline: `'wasm-unsafe-eval'` lets Pagefind compile its WebAssembly, `data:` images
are the icons in Material's CSS."""


def relative(from_url: str, to_url: str) -> str:
    """Relative link between two site-absolute directory URLs (works from file:// too).

    What `posixpath.relpath` gives (with the directory's `/` kept), without its cost: templates ask for
    a few links a page (about 25 Python calls each with relpath, 4 here)."""
    start = from_url.split("/")[:-1]
    target = to_url.split("/")
    if {"..", "."} & {*start, *target} or "" in start[1:] or "" in target[1:-1]:
        return _relpath(from_url, to_url)  # not a plain path: relpath's normalising
    common = 0
    while common < len(start) and common < len(target) - 1 and start[common] == target[common]:
        common += 1
    if common == len(target) - 1 and common < len(start) and start[common] == target[-1]:
        return _relpath(from_url, to_url)  # a folder above the page, named without its '/'
    rel = "/".join([".."] * (len(start) - common) + target[common:])
    return rel or "./"


def _relpath(from_url: str, to_url: str) -> str:
    start = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(to_url, start)
    if to_url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel


class SwitcherItem(NamedTuple):
    """A tuple, so that templates unpack it (`{% for lang, name, ... in loa.switcher %}`): no attribute lookup
    through Jinja's `Environment.getattr` (two Python calls each) for each field of each item of each page."""

    lang: str
    name: str
    href: str
    current: bool
    fallback: bool
    """That language only has a fallback copy of this page."""


class HreflangLink(NamedTuple):
    lang: str
    href: str


class MetaTag(NamedTuple):
    """A `<meta>` of the page's preview when shared (Open Graph: `property`; Twitter: `name`)."""

    attribute: str
    key: str
    content: str


@dataclass(frozen=True)
class PageView:
    """What a template may know about the page being rendered."""

    lang: str
    ui: UIStrings
    page: PlannedPage | None
    """None for the 404 page."""
    site_name: str
    site_name_lang: str
    hotline_number: str
    hotline_name: str
    hotline_name_lang: str
    hotline_href: str
    """Relative link to the hotline page, or '' when there is none."""
    home_href: str
    switcher: tuple[SwitcherItem, ...]
    hreflang: tuple[HreflangLink, ...]
    canonical: str
    robots: str
    """Content of `<meta name="robots">`, or ''."""
    content_lang: str
    content_language_name: str
    original_href: str
    nav: tuple[tuple[str, str], ...]
    """(title, relative href) of the few top-level sections."""
    search_bundle_href: str = ""
    """Relative link to this language's search bundle (`/<lang>/pagefind/`)."""
    search_href: str = ""
    """Relative link to this language's search page."""
    feed_href: str = ""
    """This language's Atom feed (loa/outputs/channels.py), for `<link rel="alternate">`."""
    share: tuple[MetaTag, ...] = ()
    """Open Graph and Twitter tags: what a shared link shows (loa/plan/share.py names the image)."""
    root_href: str = ""
    """This language's home as a path from the host's root (`/vi/`, `/tre-em/vi/` under a sub-path):
    for the 404 page, which hosts serve at any depth."""
    offline_save: tuple[str, ...] = ()
    """On a campaign page: relative links to what "save for offline" keeps (the page, its materials, their
    PDFs and the campaign's own; theme/loa/sw.js); else ()."""
    nav_key: str = ""
    """Equal for pages whose primary navigation is the same markup (same relative links, none of them
    the page itself); '' where it must be rendered. Material renders that navigation for ~2 ms a page."""

    @property
    def csp(self) -> str:
        return CSP

    @property
    def print_href(self) -> str:
        """Relative link to the A4 PDF of a material (in the language its text is in), or ''."""
        found = [f for f in self.page.prints if f.kind == "material"] if self.page else []
        return relative(self.page.url, found[0].url) if self.page and found else ""

    @property
    def posters(self) -> tuple[tuple[str, str, str], ...]:
        """(label, relative link, language) of each poster and leaflet of the page (loa/plan/print.py)."""
        page = self.page
        return tuple((f.label, relative(page.url, f.url), f.lang) for f in page.prints
                     if f.kind != "material") if page else ()

    @property
    def offline_href(self) -> str:
        """Relative link to the language's offline copy (loa/plan/offline.py) on the pages that offer it, or ''."""
        page = self.page
        return relative(page.url, f"/{self.lang}/{self.offline_name}.zip") \
            if page is not None and offline.links_to_copy(page) else ""

    @property
    def offline_name(self) -> str:
        return offline.stem_of(self.lang, self.site_name)

    @property
    def hotline_tel(self) -> str:
        """The hotline's `tel:` URL: digits only, whatever spaces or dashes the number is written with."""
        return tel(self.hotline_number)

    @property
    def content_language_html(self) -> Markup:
        """The name of the content's language, in its language (for the fallback notice)."""
        return Markup('<span lang="{}">{}</span>').format(self.content_lang, self.content_language_name)

    @staticmethod
    def url(address: str) -> str:
        """An address typed by an officer (a source's), as a valid URL; still to be escaped as an attribute."""
        return web_url(address)

    def href(self, src_uri: str) -> str:
        here = self.page.url if self.page else f"/{self.lang}/"
        return relative(here, url_of(self.lang, src_uri))


def absolute(site_url: str, path: str) -> str:
    return web_url(site_url.rstrip("/") + path) if site_url else path


def site_path(site_url: str) -> str:
    """The path the site is hosted under, from `site_url`, without its last '/': '/tre-em' for
    https://portal.example.gov.vn/tre-em/, '' at the host's root or without a site_url."""
    return urlsplit(site_url).path.rstrip("/") if site_url else ""


def page_view(plan: LanguagePlan, page: PlannedPage | None, here: str | None = None) -> PageView:
    """The view of `page`; of the 404 page for `page` None (`here`: where its file is).

    The 404 page is served at any depth: with a site_url its links are paths from the host's
    root, under the site's own path (as MkDocs writes its assets' links there); without one,
    relative to `here`.
    """
    here = page.url if page else (here or f"/{plan.lang}/")
    base = site_path(plan.site_url)

    def link(to_url: str) -> str:
        return base + to_url if page is None and plan.site_url else relative(here, to_url)
    names = {lang.code: lang.name for lang in plan.languages}
    switcher: list[SwitcherItem] = []
    hreflang: list[HreflangLink] = []
    if page is not None:
        for alt in page.alternates:
            switcher.append(SwitcherItem(alt.lang, alt.name, link(alt.url), alt.lang == plan.lang,
                                         not alt.real))
        if not page.is_fallback:
            for alt in page.alternates:
                if alt.real:
                    hreflang.append(HreflangLink(alt.lang, absolute(plan.site_url, alt.url)))
            default = next((a for a in page.alternates if a.lang == plan.default_language and a.real), None)
            if default is not None:
                hreflang.append(HreflangLink("x-default", absolute(plan.site_url, default.url)))
    else:
        for lang in plan.languages:
            switcher.append(SwitcherItem(lang.code, lang.name, link(f"/{lang.code}/"),
                                         lang.code == plan.lang, False))
    nav = tuple((item.title, link(url_of(plan.lang, item.src_uri))) for item in plan.nav)
    canonical = ""
    robots = ""
    original_href = ""
    content_lang = plan.lang
    if page is not None:
        content_lang = page.content_lang
        if page.is_fallback:
            canonical = absolute(plan.site_url, page.original_url)
            original_href = link(page.original_url)
            robots = "noindex"
        else:
            canonical = absolute(plan.site_url, page.url)
            original_href = link(page.original_url) if page.original_url else ""  # a translation behind it
    else:
        robots = "noindex"
    return PageView(
        lang=plan.lang, ui=plan.ui, page=page, site_name=plan.site_name, site_name_lang=plan.site_name_lang,
        hotline_number=plan.hotline_number, hotline_name=plan.hotline_name, hotline_name_lang=plan.hotline_name_lang,
        hotline_href=link(url_of(plan.lang, "hotline.md")) if plan.has_hotline_page else "",
        home_href=link(f"/{plan.lang}/"), switcher=tuple(switcher), hreflang=tuple(hreflang),
        canonical=canonical, robots=robots, content_lang=content_lang,
        content_language_name=names.get(content_lang, content_lang), original_href=original_href,
        nav=nav, nav_key="" if page is None or any(page.src_uri == item.src_uri for item in plan.nav)
        else repr((link(f"/{plan.lang}/"), nav)),
        search_href=link(url_of(plan.lang, "search.md")), feed_href=link(f"/{plan.lang}/feed.xml"),
        search_bundle_href=link(f"/{plan.lang}/pagefind/"), root_href=f"{base}/{plan.lang}/",
        share=share_tags(plan, page, canonical) if page is not None else (),
        offline_save=tuple(relative(page.url, url) for url in offline_urls(plan, page)) if page is not None else ())


def offline_urls(plan: LanguagePlan, page: PlannedPage) -> tuple[str, ...]:
    """What a campaign page's "save for offline" keeps: the page, the materials that list it among their
    campaigns, and every print file of them all; () for any other page."""
    if not CAMPAIGN_PAGE.fullmatch(page.src_uri):
        return ()
    materials = _materials_by_campaign(plan).get(page.src_uri, [])
    return tuple(dict.fromkeys([page.url, *(f.url for f in page.prints),
                                *(url for p in materials for url in (p.url, *(f.url for f in p.prints)))]))


CAMPAIGN_PAGE = re.compile(r"campaigns/(?!index\.md$)[^/]+\.md")
_BY_CAMPAIGN: list[tuple[LanguagePlan, dict[str, list[PlannedPage]]]] = []
"""The last plans' materials by campaign page, kept by the plan's identity (hashing a plan reads all of it)."""


def _materials_by_campaign(plan: LanguagePlan) -> dict[str, list[PlannedPage]]:
    """Campaign page -> the materials that list it among their campaigns, in the plan's order: worked out once
    per plan, not once per campaign page (a walk over every page for each: 2 % of a first build's CPU)."""
    for known, listed in _BY_CAMPAIGN:
        if known is plan:
            return listed
    listed = {}
    for page in plan.pages:
        for uri in dict.fromkeys(uri for _, _, uri in page.facts.campaigns) if page.facts else ():
            listed.setdefault(uri, []).append(page)
    _BY_CAMPAIGN[:] = [(plan, listed), *_BY_CAMPAIGN[:1]]
    return listed


def og_locale(lang: str) -> str:
    """Open Graph's `ll_TT` for a language tag, its territory as CLDR's likely subtags say (`vi` -> `vi_VN`)."""
    parts = str(get_global("likely_subtags").get(lang.replace("-", "_"), lang)).split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 and parts[-1].isupper() else parts[0]


def share_tags(plan: LanguagePlan, page: PlannedPage, canonical: str) -> tuple[MetaTag, ...]:
    og = [("og:type", "article" if page.facts is not None else "website"), ("og:site_name", plan.site_name),
          ("og:title", page.title), ("og:description", page.summary or plan.description),
          ("og:locale", og_locale(plan.lang))]
    og += [("og:locale:alternate", og_locale(alt.lang)) for alt in page.alternates
           if alt.real and alt.lang != plan.lang]
    if plan.site_url:  # Open Graph wants absolute addresses: without a site_url, no image and no address
        og += [("og:url", canonical), ("og:image", absolute(plan.site_url, image_of(plan, page)))]
    tags = [MetaTag("property", key, value) for key, value in og if value]
    return (*tags, MetaTag("name", "twitter:card", "summary_large_image" if plan.site_url else "summary"))

