"""The offline copy of a language: one ZIP (`/<lang>/<site>-<lang>-offline.zip`, loa/plan/offline.py) that a
teacher unzips onto a USB stick or a school's computer and opens from `index.html`, without a network.

It holds every page of the language made to work from a folder (`rewrite.py`), the search page made
an A–Z index (`index.py`), and the language's other files, listed from the plan: its assets and
images, print's PDFs, the campaigns' files and feed, the share images its toolkit pages offer, and
whatever else a page links to in the language's folder. Those outputs come before this one in
`REGISTRY`, and a build runs a language's outputs in that order, each writing into (or taking over
into) the same folder: so this output reads their files in `target.out` (`serve` runs them in the
same order). Search's bundle is left out (it cannot run from a folder), and so are the 404 page and
the pages' own share images (only the head's Open Graph tags, left out of the copy, name them).

The ZIP is reproducible: names sorted, every entry dated the day of the build (which its note shows),
fixed attributes. The digest is made of every packed file's bytes, so a build takes the previous ZIP
over exactly when nothing in it changed.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from babel.numbers import format_decimal
from markupsafe import Markup

from loa.cache import keys
from loa.cache.keys import code_fingerprint, of_bytes
from loa.cache.store import Store
from loa.i18n.dates import format_date
from loa.i18n.strings import cldr_locale
from loa.outputs.base import Reads, Scope, Target, Written, digest
from loa.outputs.channels import CampaignFiles, Feed, campaigns_of
from loa.outputs.offline.archive import DEFLATED_LIMIT, Entry, Previous, deflated, deflated_key, stored, write_zip
from loa.outputs.offline.index import az_body
from loa.outputs.offline.known import Known
from loa.outputs.offline.rewrite import Place, page_file, print_sizes, rewrite
from loa.outputs.search import BODY
from loa.plan import offline, share
from loa.plan.site import LanguagePlan, PlannedPage

FORMAT = 2
"""Bump when the copy changes in a way its files do not show."""
STORED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".zip", ".woff", ".woff2")
"""Files already compressed: stored as they are (deflating them again costs time for a few bytes)."""
SEARCH = "search.md"


class Offline:
    """A language's offline copy: a ZIP of its pages, made to work from a folder, and of its files."""

    name = "offline"
    scope: Scope = "language"
    reads: Reads = "pages"

    def digest(self, target: Target, previous: str | None) -> str:
        """The pages as rendered and every other file, by their bytes, with what the rewriting adds to them
        (the day, the interface strings, the titles of the A–Z index, Loa's code): rewriting the pages
        waits for `write`, which runs only when this changed. A file's bytes are read again only if its
        stat changed (`known.py`)."""
        language = target.language
        assert language is not None
        made = target.memo["offline"] = sources(target)
        parts = [*(f"{name}\0{sha}" for name, (_page, _path, sha) in sorted(made.pages.items())),
                 *(f"{name}\0{made.sha(name)}" for name in sorted(made.files))]
        made.known.save()
        return digest([str(FORMAT), code_fingerprint(), target.plan.today.isoformat(), made.titles, *parts])

    def write(self, target: Target) -> Written:
        language = target.language
        assert language is not None
        made = target.memo.get("offline")
        if not isinstance(made, Sources):
            made = sources(target)
        note = _note(language, target.plan.today)
        store = Store(target.cache / "deflated", ".bin", DEFLATED_LIMIT) if target.cache is not None else None
        previous = Previous(target.cache)
        if target.cache is not None:  # the pages kept before entries were (FORMAT 1): no longer read
            shutil.rmtree(target.cache / "pages", ignore_errors=True)
        stem = offline.stem(language)
        names = sorted({*made.pages, *made.files})
        keys_made: list[str] = []

        def entry(name: str) -> Entry:
            """The entry `name`: from the last ZIP if it is made of the same, else from the store, else made."""
            as_is = name not in made.pages and name.lower().endswith(STORED)
            if name in made.pages:
                page, path, sha = made.pages[name]
                place = Place(language.lang, language.site_url, page.url)
                sizes = made.print_sizes(page, language.lang)
                key = deflated_key(_page_key(place, note(page), sha if page.src_uri != SEARCH
                                             else keys.digest("offline-az", [sha, made.titles]), sizes))
                make = partial(_page, language, page, place, note(page), partial(made.known.text, path, sha),
                               sizes)
            else:
                key = f"stored {made.sha(name)}" if as_is else deflated_key(made.sha(name))
                make = partial(_bytes, made.files[name])
            keys_made.append(key)
            kept = previous.entry(f"{stem}/{name}", key)
            if kept is not None:
                return kept
            if as_is:  # its CRC from the bytes written: the ZIP holds together, whatever changed since the digest
                return stored(f"{stem}/{name}", make())
            return deflated(f"{stem}/{name}", store, key, make)

        path = target.out / offline.zip_url(language).lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            where = write_zip(path, (entry(name) for name in names), target.plan.today)
        finally:
            previous.close()
        previous.save(path, ((f"{stem}/{name}", key, at) for name, key, at in zip(names, keys_made, where,
                                                                                  strict=True)))
        size = path.stat().st_size / 1024
        return Written((offline.zip_url(language).lstrip("/"),),
                       f"{language.lang} {len(where)} files, {size:.0f} KB")


def _page_key(place: Place, note: Markup, sha: str, sizes: dict[str, str]) -> str:
    """A page rewritten for the copy is kept by the digest of all that `rewrite` reads: the page's `sha`
    (for the search page with the titles its A–Z index lists), its place, its note, the sizes of its PDFs,
    Loa's code."""
    return keys.digest("offline-page", [str(FORMAT), code_fingerprint(), place.lang, place.site_url, place.page_url,
                                        str(note), sha, *(f"{name}\0{label}" for name, label in sorted(sizes.items()))])


def _page(language: LanguagePlan, page: PlannedPage, place: Place, note: Markup, text: Callable[[], str],
          sizes: dict[str, str]) -> bytes:
    """A page made to work from a folder, with the sizes of its PDFs written in (`sizes`: path in the copy ->
    "84 KB"). Rewriting and deflating are most of a copy's cost, and an edit changes a few pages: a page is
    read and rewritten only when its entry is kept neither in the last ZIP nor in the store."""
    html = text() if page.src_uri != SEARCH else _az_page(language, page, text())
    return print_sizes(rewrite(html, place, note), page_file(language.lang, page), sizes.get).encode()


def _bytes(data: bytes | Path) -> bytes:
    return data if isinstance(data, bytes) else data.read_bytes()


Pages = dict[str, tuple[PlannedPage, Path, str]]
"""The copy's pages by their path in it: the planned page, where its HTML as rendered is, and its SHA-256."""


@dataclass
class Sources:
    """What the copy is made of, by path in the copy's folder: the rendered pages (rewritten by `write`),
    and the other files (bytes, or where they are)."""

    pages: Pages
    files: dict[str, bytes | Path]
    known: Known
    titles: str
    """What the rewriting adds to the pages besides the day: the language's names and interface strings,
    and the pages' titles and places (the A–Z index)."""

    def sha(self, name: str) -> str:
        data = self.files[name]
        return of_bytes(data) if isinstance(data, bytes) else self.known.of(name, data)

    def print_sizes(self, page: PlannedPage, lang: str) -> dict[str, str]:
        """The page's PDFs in the copy, by path in it: their sizes, as the page's script would show them."""
        found = {}
        for file in page.prints:
            name = file.url.removeprefix(f"/{lang}/")
            data = self.files.get(name) if file.lang == lang else None
            if data is not None:
                found[name] = shown_size(lang, len(data) if isinstance(data, bytes) else data.stat().st_size)
        return found


def shown_size(lang: str, size: int) -> str:
    """`84 KB`, `1,2 MB`: a file's size as theme/assets/javascripts/loa.js writes it beside a link (whole KB
    of 1,024 bytes; MB with one decimal, as the language writes numbers). Not `channels.size_label`, the
    toolkit's "84,3 KB": the copy's pages must say what the site's say."""
    if size < 1024 * 1024:
        return f"{max(1, math.floor(size / 1024 + 0.5))} KB"
    return f"{format_decimal(math.floor(size / 104857.6 + 0.5) / 10, locale=cldr_locale(lang) or 'en')} MB"


def sources(target: Target) -> Sources:
    """What the copy is made of: the pages the plan lists, the files beside them (`_files_beside`), and
    whatever else a page links to in the language's folder."""
    language = target.language
    assert language is not None
    lang = language.lang
    known = Known(target.cache)
    found = _files_beside(target)
    folder = _folder(target)
    pages: Pages = {}
    linked: set[str] = set()
    for page in language.pages:
        name = page_file(lang, page)
        path = target.built(page)
        try:
            sha = known.of(name, path, page=True)
        except OSError:
            continue  # not rendered (a build that failed will not publish it)
        pages[name] = page, path, sha
        linked.update(known.linked(name, path, sha))  # an image's other sizes, say
    itself = f"{offline.stem(language)}.zip"  # the home and about pages link to it: not in the copy
    for name in sorted(linked - found.keys() - pages.keys() - {itself}):
        if os.path.isfile(os.path.join(folder, name)):  # thousands of names: pathlib's `/` costs more than the stat
            found[name] = folder / name
    titles = repr((language.lang, language.site_url, language.site_name, sorted(language.ui.table.items()),
                   [(page.src_uri, page.url, page.title, page.content_lang) for page in language.pages]))
    return Sources(pages, found, known, titles)


def _files_beside(target: Target) -> dict[str, bytes | Path]:
    """The language's files besides its pages, by their path in the copy: its assets and images, its PDFs,
    its campaigns' files, the share images a toolkit page offers. Listed from the plan, not found in the
    folder: the copy is the same whatever else the folder holds, and whichever outputs have run."""
    language = target.language
    assert language is not None
    lang = language.lang
    folder = _folder(target)
    made: dict[str, bytes | Path] = {}
    for output in (CampaignFiles(), Feed()):
        made.update((name.removeprefix(f"{lang}/"), data) for name, data in output.files(target).items())
    # not the source maps (`.map`): they describe minified files to a developer's tools, not to a reader
    names = [path.relative_to(folder).as_posix() for path in (folder / "assets").rglob("*")
             if path.is_file() and path.suffix != ".map"]
    names += [path for path, _source in language.assets]
    names += [file.url.removeprefix(f"/{lang}/") for page in language.pages for file in page.prints
              if file.lang == lang]
    names += [card.path.removeprefix(f"{lang}/") for campaign in campaigns_of(target.site, language)
              for card in share.campaign_cards(target.site, language.language, language.ui, campaign)]
    made.update((name, folder / name) for name in names if os.path.isfile(os.path.join(folder, name)))
    return made


def _folder(target: Target) -> Path:
    """The language's folder where the other outputs' files are: the build's, or, in `serve`'s background
    runs (which write elsewhere), the served site's, where the rendered pages are too."""
    language = target.language
    assert language is not None
    if not target.background:
        return target.out / language.lang
    home = next((page for page in language.pages if page.url == f"/{language.lang}/"), None)
    return target.built(home).parent if home is not None else target.out / language.lang


def _note(language: LanguagePlan, today: dt.date) -> _Note:
    return _Note(language, language.ui.html("offline.note", date=format_date(today, language.lang, language.ui)))


class _Note:
    """The note at the end of each page of the copy: the day it was made, and the page's latest version online."""

    def __init__(self, language: LanguagePlan, made: Markup) -> None:
        self.language, self.made = language, made

    def __call__(self, page: PlannedPage) -> Markup:
        site_url = self.language.site_url
        latest = Markup("")
        if site_url:
            address = site_url.rstrip("/") + page.url
            latest = Markup(' <a href="{}">{}</a>').format(address, self.language.ui.html("offline.latest"))
        return Markup('\n<p class="loa-offline-note">{}{}</p>\n').format(self.made, latest)


def _az_page(language: LanguagePlan, page: PlannedPage, text: str) -> str:
    """The search page made the A–Z index: its body, its title and the header's."""
    title = language.ui.t("offline.index")
    body = az_body(language, page, title, language.ui.t("offline.index.intro"))
    text = BODY.sub(lambda _m: f"<!--loa:body-->{body}<!--/loa:body-->", text, count=1)
    old = Markup("{}").format(page.title)
    new = Markup("{}").format(title)
    head, sep, rest = text.partition("</head>")
    head = head.replace(f"<title>{old} - ", f"<title>{new} - ", 1)
    marker = 'data-md-component="header-topic"'
    before, found, after = rest.partition(marker)
    if found:
        after = after.replace(str(old), str(new), 1)
    return head + sep + before + found + after
