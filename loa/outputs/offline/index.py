"""The A–Z index of the offline copy: what its search page shows, since search cannot run from a folder
(Pagefind loads its index with `fetch`, which browsers refuse for `file://`).

Every page of the language by title, under the letter it starts with, in the language's alphabetical
order; then the topics and the audiences, as their hub pages list them. Titles are an officer's text:
escaped here (MarkupSafe), and marked with their language where it is not the page's.
"""

from __future__ import annotations

import posixpath
import unicodedata

from markupsafe import Markup

from loa.outputs.offline.rewrite import page_file
from loa.plan.site import LanguagePlan, PlannedPage
from loa.slugs import fold

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
"""Vietnamese letters in their order; a tone mark only orders words that are otherwise the same."""
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
"""Grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot below (nặng), after the level tone."""


def letters(lang: str, text: str) -> list[str]:
    """The letters of `text` as the language's alphabet counts them, lower case, without tone marks."""
    if lang.split("-")[0] != "vi":
        return list(fold(text).casefold())
    found: list[str] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in TONES:
            continue
        if unicodedata.combining(char) and found:
            found[-1] = unicodedata.normalize("NFC", found[-1] + char)
        else:
            found.append(char)
    return found


def sort_key(lang: str, title: str) -> tuple[object, ...]:
    """Alphabetical order in the language (Vietnamese: ă after a, đ after d; tones last), then the title."""
    order = VIETNAMESE if lang.split("-")[0] == "vi" else ""
    # a space ends a word: "an toàn" before "anh"; other signs are not letters
    primary = tuple((-1, "") if c.isspace() else (order.index(c), "") if c in order else (len(order), c)
                    for c in letters(lang, title) if c.isalnum() or c.isspace())
    tones = tuple(TONES.get(c, 0) for c in unicodedata.normalize("NFD", title.casefold()) if c in TONES)
    return primary, tones, title


def initial(lang: str, title: str) -> str:
    """The heading a title is listed under: its first letter, upper case ('#' for a digit or a sign)."""
    first = next((c for c in letters(lang, title) if c.isalnum()), "#")
    return first.upper() if first.isalpha() else "#"


def az_body(plan: LanguagePlan, here: PlannedPage, title: str, intro: str) -> Markup:
    """The body of the copy's A–Z page (the search page `here`), with links relative to it."""
    lang = plan.lang
    start = posixpath.dirname(page_file(lang, here)) or "."
    pages = sorted((page for page in plan.pages if page is not here), key=lambda page: sort_key(lang, page.title))

    def item(page: PlannedPage) -> Markup:
        attrs = Markup(' lang="{}"').format(page.content_lang) if page.content_lang != lang else Markup("")
        return Markup('<li><a href="{}"{}>{}</a></li>').format(
            posixpath.relpath(page_file(lang, page), start), attrs, page.title)

    groups: dict[str, list[PlannedPage]] = {}
    for page in pages:
        groups.setdefault(initial(lang, page.title), []).append(page)
    ids = {letter: f"az-{number}" for number, letter in enumerate(groups, 1)}
    out = [Markup("<h1>{}</h1>").format(title), Markup("<p>{}</p>").format(intro),
           Markup('<nav class="loa-az__letters" aria-label="{}"><p>{}</p></nav>').format(
               title, Markup(" ").join(Markup('<a href="#{}">{}</a>').format(ids[letter], letter)
                                       for letter in groups))]
    for letter, found in groups.items():
        out.append(Markup('<h2 id="{}">{}</h2>\n<ul class="loa-az">\n{}\n</ul>').format(
            ids[letter], letter, Markup("\n").join(item(page) for page in found)))
    for kind in ("topics", "audiences"):
        hub = f"/{lang}/{kind}/"
        members = [page for page in plan.pages if page.url.startswith(hub) and page.url != hub]
        if members:
            out.append(Markup('<h2 id="az-{}">{}</h2>\n<ul>\n{}\n</ul>').format(
                kind, plan.ui.html(f"nav.{kind}"), Markup("\n").join(item(page) for page in members)))
    return Markup("\n").join(out)
