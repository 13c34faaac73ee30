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
import zipfile
from pathlib import Path

from markupsafe import Markup

from loa.cache import keys
from loa.cache.keys import code_fingerprint, of_bytes
from loa.cache.store import MiB, Store
from loa.i18n.dates import format_date
from loa.outputs.base import Reads, Scope, Target, Written, digest
from loa.outputs.channels import CampaignFiles, Feed, campaigns_of
from loa.outputs.offline.index import az_body
from loa.outputs.offline.rewrite import Place, linked_files, page_file, rewrite
from loa.outputs.search import BODY
from loa.plan import offline, share
from loa.plan.site import LanguagePlan, PlannedPage

FORMAT = 1
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
        waits for `write`, which runs only when this changed."""
        language = target.language
        assert language is not None
        pages, found = target.memo["offline"] = sources(target)
        facts = repr((language.lang, language.site_url, language.site_name, sorted(language.ui.table.items()),
                      [(page.src_uri, page.url, page.title, page.content_lang) for page, _text in pages.values()]))
        return digest([str(FORMAT), code_fingerprint(), target.plan.today.isoformat(), facts,
                       *(f"{name}\0{of_bytes(text.encode())}" for name, (_page, text) in sorted(pages.items())),
                       *(f"{name}\0{of_bytes(_bytes(data))}" for name, data in sorted(found.items()))])

    def write(self, target: Target) -> Written:
        language = target.language
        assert language is not None
        made = target.memo.get("offline")
        pages, files = made if isinstance(made, tuple) else sources(target)
        found = dict(files)
        note = _note(language, target.plan.today)
        store = Store(target.cache / "pages", ".html", PAGES_LIMIT) if target.cache is not None else None
        for name, (page, text) in pages.items():
            if page.src_uri == SEARCH:
                text = _az_page(language, page, text)
            found[name] = _rewritten(store, Place(language.lang, language.site_url, page.url), text, note(page))
        stem = offline.stem(language)
        path = target.out / offline.zip_url(language).lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        today = target.plan.today
        with zipfile.ZipFile(path, "w") as archive:
            for name in sorted(found):
                entry = zipfile.ZipInfo(f"{stem}/{name}", date_time=(today.year, today.month, today.day, 0, 0, 0))
                entry.create_system = 3  # Unix, wherever it is made: the same bytes on every machine
                entry.external_attr = 0o644 << 16
                entry.compress_type = zipfile.ZIP_STORED if name.lower().endswith(STORED) else zipfile.ZIP_DEFLATED
                archive.writestr(entry, _bytes(found[name]), compresslevel=9)
        size = path.stat().st_size / 1024
        return Written((offline.zip_url(language).lstrip("/"),),
                       f"{language.lang} {len(found)} files, {size:.0f} KB")


PAGES_LIMIT = 256 * MiB
"""Pages rewritten for the copy, kept between builds (`.loa-cache/offline/<lang>/pages/`; ~35 MB a language
at 1,000 materials)."""


def _rewritten(store: Store | None, place: Place, text: str, note: Markup) -> bytes:
    """A page made to work from a folder. Rewriting is most of a copy's cost, and an edit changes a few
    pages: each is kept by the digest of all that `rewrite` reads (the page, its place, its note, Loa's code)."""
    key = keys.digest("offline-page", [str(FORMAT), code_fingerprint(), place.lang, place.site_url, place.page_url,
                                       str(note), text])
    data = store.read(key) if store is not None else None
    if data is None:
        data = rewrite(text, place, note).encode()
        if store is not None:
            store.write(key, data)
    return data


def _bytes(data: bytes | Path) -> bytes:
    return data if isinstance(data, bytes) else data.read_bytes()


Pages = dict[str, tuple[PlannedPage, str]]
"""The copy's pages by their path in it: the planned page and its HTML as rendered."""


def sources(target: Target) -> tuple[Pages, dict[str, bytes | Path]]:
    """What the copy is made of, by path in the copy's folder: the rendered pages (rewritten by `write`),
    and the other files (bytes, or where they are)."""
    language = target.language
    assert language is not None
    lang = language.lang
    found = _files_beside(target)
    folder = _folder(target)
    pages: Pages = {}
    for page in language.pages:
        name = page_file(lang, page)
        try:
            pages[name] = page, target.built(page).read_text(encoding="utf-8")
        except OSError:
            continue  # not rendered (a build that failed will not publish it)
    itself = f"{offline.stem(language)}.zip"  # the home and about pages link to it: not in the copy
    for name, (_page, text) in pages.items():
        # whatever else a page links to in the language's folder (an image's other sizes, say)
        for linked in linked_files(text, name):
            if linked not in found and linked not in pages and linked != itself and (folder / linked).is_file():
                found[linked] = folder / linked
    return pages, found


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
    names = [path.relative_to(folder).as_posix() for path in (folder / "assets").rglob("*") if path.is_file()]
    names += [path for path, _source in language.assets]
    names += [file.url.removeprefix(f"/{lang}/") for page in language.pages for file in page.prints
              if file.lang == lang]
    names += [card.path.removeprefix(f"{lang}/") for campaign in campaigns_of(target.site, language)
              for card in share.campaign_cards(target.site, language.language, language.ui, campaign)]
    made.update((name, folder / name) for name in names if (folder / name).is_file())
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
