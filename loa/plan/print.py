"""Which print files a page has, and where they are: names a reader can keep once downloaded.

Decided with the plan, so that the page shows its links and the print output (loa/outputs/print/)
makes exactly those files. Files sit beside their page, named after it:

- a material: `/vi/drowning/ten-actions/ten-actions.a4.pdf`; a `type: poster` material also has one
  poster per `##` section, `posters.poster-1.a3.pdf` and `.a4.pdf`;
- a campaign: one poster per key message, `/vi/campaigns/safe-summer/safe-summer.poster-1.a3.pdf`
  (and `.a4.pdf`), and its leaflet `safe-summer.leaflet.a4.pdf`.

Files are made only in a language that has the text (a real translation, a key message written in
that language); a page showing another language's text links to that language's files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from loa.i18n.strings import UIStrings
from loa.model import Campaign, Translation
from loa.plan import pages

PrintKind = Literal["material", "section", "message", "leaflet"]
PrintSize = Literal["a4", "a3"]
PRINTED_TYPES = frozenset({"checklist", "fact-sheet", "lesson-plan", "poster"})
"""Material types that have an A4 PDF unless their front matter says `print: false`; others only with
`print: true`. A PDF costs 0.3-0.9 s of a core to make (bench/results/2026-11-30-print.md): the
types made to be printed and handed out get one by default, not every guide and story."""
SECTION = re.compile(r"^## +\S", re.M)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


@dataclass(frozen=True)
class PrintFile:
    kind: PrintKind
    size: PrintSize
    url: str
    """Site-absolute, in the language the file is written in."""
    lang: str
    """The language the file is written in (the page's, or the one its text falls back to)."""
    number: int = 0
    """The poster's number (key message or `##` section, from 1); 0 for a material's PDF and a leaflet."""
    label: str = ""
    """What the link says, in the page's language: `A4`, `Áp phích 1, A3`..."""


def _folder(lang: str, uri: str) -> tuple[str, str]:
    url = f"/{lang}/{pages.page_path(uri)}"
    return url, url.rstrip("/").rsplit("/", 1)[-1]


def poster_sections(body: str) -> int:
    """How many `##` sections a poster material has (outside code blocks): one poster each."""
    return len(SECTION.findall(FENCE.sub("", body)))


def has_a4(translation: Translation) -> bool:
    """Whether a material's translation has an A4 PDF (`PRINTED_TYPES`, or its front matter's `print:`)."""
    return translation.printed if translation.printed is not None else translation.type in PRINTED_TYPES


def material_prints(uri: str, translation: Translation, ui: UIStrings) -> tuple[PrintFile, ...]:
    url, name = _folder(translation.lang, uri)
    if not has_a4(translation):
        return ()
    found = [PrintFile("material", "a4", f"{url}{name}.a4.pdf", translation.lang, 0, "A4")]
    if translation.type == "poster":
        for number in range(1, poster_sections(translation.body) + 1):
            for size in ("a3", "a4"):
                found.append(PrintFile("section", size, f"{url}{name}.poster-{number}.{size}.pdf", translation.lang,
                                       number, f"{ui('print.poster', n=number)}, {size.upper()}"))
    return tuple(found)


def campaign_prints(campaign: Campaign, chain: tuple[str, ...], ui: UIStrings) -> tuple[PrintFile, ...]:
    uri = f"campaigns/{campaign.id}.md"
    found = []
    for number, message in enumerate(campaign.key_messages, 1):
        lang = message.pick(chain)[1]
        url, name = _folder(lang, uri)
        for size in ("a3", "a4"):
            found.append(PrintFile("message", size, f"{url}{name}.poster-{number}.{size}.pdf", lang, number,
                                   f"{ui('print.poster', n=number)}, {size.upper()}"))
    lang = campaign.title.pick(chain)[1]
    url, name = _folder(lang, uri)
    found.append(PrintFile("leaflet", "a4", f"{url}{name}.leaflet.a4.pdf", lang, 0,
                           f"{ui('print.leaflet')}, A4"))
    return tuple(found)
