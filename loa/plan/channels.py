"""What a campaign says on each channel besides its page, in one language: SMS texts, the loudspeaker
script, ready-to-paste posts, calendars; and the list of downloadable products its toolkit page shows.

Every text comes from the campaign's file and the settings (key messages, title, summary, hotline);
the few words around them (an opening, a closing, labels, the names of digits) are interface strings
(`theme/strings/`). A key message missing in a language falls back along its chain, as pages do, and
the toolkit page says so. The files are written by `loa/outputs/channels.py` from these very texts,
so the sizes the toolkit page shows are the files' sizes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from babel.numbers import format_decimal
from markupsafe import Markup

from loa import sms
from loa.cache.results import KEPT
from loa.i18n.strings import UIStrings, cldr_locale
from loa.model import Campaign, Language, Site
from loa.plan.print import campaign_prints

if TYPE_CHECKING:
    import icalendar

SPEECH_RATES = {"vi": 4.0, "hmn": 4.0}
"""Syllables a second read aloud, for languages written a syllable a word (README: the loudspeaker script).
Other languages count words at `WORDS_PER_MINUTE`."""
WORDS_PER_MINUTE = 150


@dataclass(frozen=True)
class Message:
    """A key message in the language closest to the reader's."""

    text: str
    lang: str


@dataclass(frozen=True)
class Product:
    """A file the toolkit page offers: where it is, what it is, what it is for."""

    path: str
    """From the language's folder, e.g. `campaigns/safe-summer/safe-summer.ics`."""
    format: Markup
    use: Markup
    """Interface strings as HTML (`UIStrings.html`: marked with their language where they fall back)."""
    size: int | None = None
    """In bytes, when known as the page is planned."""




def campaign_dir(campaign: Campaign) -> str:
    return f"campaigns/{campaign.id}/"


def page_address(site: Site, lang: str, path: str) -> str:
    """A page or file's absolute address (its path from the site's root without a `site_url`)."""
    return f"{site.settings.site_url.rstrip('/')}/{lang}/{path}"


def messages(campaign: Campaign, language: Language) -> tuple[Message, ...]:
    return tuple(Message(*m.pick(language.chain)) for m in campaign.key_messages)


def hotline(site: Site, language: Language) -> tuple[str, str]:
    """(name, number) of the hotline, the name in the reader's language or its fallback."""
    return site.settings.hotline.name.get(language.chain), site.settings.hotline.number


def sms_texts(site: Site, language: Language, ui: UIStrings, campaign: Campaign) -> list[tuple[sms.Count, sms.Count]]:
    """Per key message, the SMS (message and hotline) as written and without diacritics."""
    name, number = hotline(site, language)
    texts = [ui("sms.text", message=m.text, name=name, number=number) for m in messages(campaign, language)]
    return [(sms.count(text), sms.count(sms.unaccented(text))) for text in texts]


def sms_file(site: Site, language: Language, ui: UIStrings, campaign: Campaign) -> str:
    out = [campaign.title.get(language.chain), ""]
    for number, (accented, plain) in enumerate(sms_texts(site, language, ui, campaign), 1):
        out += [f"{number}. {ui('toolkit.sms.accented')} ({count_label(ui, accented)})", accented.text, ""]
        if plain.text != accented.text:
            out += [f"   {ui('toolkit.sms.unaccented')} ({count_label(ui, plain)})", plain.text, ""]
    return "\n".join(out)


def count_label(ui: UIStrings, count: sms.Count) -> str:
    return ui("toolkit.sms.count", encoding=count.encoding, units=count.units, segments=count.segments)


def say_digits(ui: UIStrings, number: str) -> str:
    """A phone number as read aloud, digit by digit: `111` -> `một, một, một`."""
    names = [name.strip() for name in ui("speech.digits").split(",")]
    return ", ".join(names[int(d)] if len(names) == 10 else d for d in re.sub(r"[^0-9]", "", number))


def script_paragraphs(site: Site, language: Language, ui: UIStrings, campaign: Campaign) -> list[tuple[str, str]]:
    """The loudspeaker script, (text, its language) a paragraph: an opening, the key messages, the hotline
    said twice digit by digit, a closing."""
    name, number = hotline(site, language)
    digits = say_digits(ui, number)

    def say(key: str, **values: object) -> tuple[str, str]:
        return ui(key, **values), ui.origin.get(key, ui.lang)
    return [say("speech.opening", title=campaign.title.get(language.chain)),
            *((m.text, m.lang) for m in messages(campaign, language)),
            say("speech.hotline", name=name, digits=digits), say("speech.repeat", digits=digits), say("speech.closing")]


def script(site: Site, language: Language, ui: UIStrings, campaign: Campaign) -> str:
    return "\n\n".join(text for text, _ in script_paragraphs(site, language, ui, campaign)) + "\n"


def reading_seconds(text: str, lang: str) -> int:
    """Seconds to read `text` aloud at a steady pace (`SPEECH_RATES`, `WORDS_PER_MINUTE`)."""
    words = len(re.findall(r"\w+", text))
    rate = SPEECH_RATES.get(lang.split("-")[0], WORDS_PER_MINUTE / 60)
    return round(words / rate)


def reading_time(ui: UIStrings, lang: str, seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    time = ui("speech.time.minutes", m=minutes, s=rest) if minutes else ui("speech.time.seconds", s=rest)
    rate = SPEECH_RATES.get(lang.split("-")[0])
    pace = ui("speech.rate.syllables", n=f"{rate:g}") if rate else ui("speech.rate.words", n=WORDS_PER_MINUTE)
    return ui("speech.reading", time=time, pace=pace)


def post(site: Site, language: Language, ui: UIStrings, campaign: Campaign, message: Message) -> str:
    """A ready-to-paste post: the key message, one line of context (the summary), the hotline, the page's address."""
    name, number = hotline(site, language)
    return "\n".join([message.text, campaign.summary.get(language.chain), ui("sms.hotline", name=name, number=number),
                      page_address(site, language.code, campaign_dir(campaign))])


# -- calendars ----------------------------------------------------------------------------------------------------

def calendar(site: Site, language: Language, campaigns: list[Campaign], name: str) -> bytes:
    """An iCalendar file (RFC 5545) of the campaigns' periods and events, in the language's text.

    UIDs are made of the language, the campaign and the event's date and place in the list, so a
    rebuild (and an edit elsewhere) keeps them; DTSTAMP is the campaign's start, so the same input
    gives the same bytes. Drawing one is slow (icalendar), and the pages print its size: the bytes are
    kept (loa/cache/results.py) by the digest of exactly what they are drawn from.
    """
    host = urlsplit(site.settings.site_url).hostname or "loa.invalid"
    events: list[_Event] = []
    for campaign in campaigns:
        address = page_address(site, language.code, campaign_dir(campaign))
        stamp = dt.datetime.combine(campaign.start, dt.time(), dt.UTC)
        title = campaign.title.get(language.chain)
        events.append((f"{language.code}.{campaign.id}@{host}", stamp, campaign.start,
                       campaign.end, title, campaign.summary.get(language.chain), "", address))
        for index, event in enumerate(campaign.events):
            place = event.place.get(language.chain) if event.place else ""
            events.append((f"{language.code}.{campaign.id}.{event.date.isoformat()}.{index}@{host}", stamp,
                           event.date, event.date, event.title.get(language.chain), title, place, address))
    parts = [_icalendar(), language.code, name, *(json.dumps([str(field) for field in event],
                                                                      ensure_ascii=False) for event in events)]
    return KEPT.get("calendar", parts, lambda: _draw(language.code, name, events),
                    lambda data: data.decode("utf-8"), _calendar_bytes)


@cache
def _icalendar() -> str:
    return version("icalendar")


_Event = tuple[str, dt.datetime, dt.date, dt.date, str, str, str, str]
"""What an event of a calendar is drawn from: `_event`'s arguments."""


def _draw(code: str, name: str, events: list[_Event]) -> bytes:
    # imported here: a rebuild finds every calendar kept (loa/cache/results.py), and importing icalendar
    # took 0.07-0.3 s of each `build` (python -X importtime)
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//Loa//Campaign calendar//" + code.upper())
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(_event(*event))
    return bytes(cal.to_ical())


def _calendar_bytes(value: object) -> bytes:
    if not isinstance(value, str):
        raise TypeError("not a calendar")
    return value.encode("utf-8")


def _event(uid: str, stamp: dt.datetime, start: dt.date, end: dt.date, summary: str, description: str,
           place: str, address: str) -> icalendar.Event:
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end + dt.timedelta(days=1))  # all-day: DTEND is the day after (RFC 5545 3.6.1)
    event.add("summary", summary)
    event.add("description", description)
    if place:
        event.add("location", place)
    if address.startswith(("http://", "https://")):
        event.add("url", address)
    return event


# -- the products of a campaign -----------------------------------------------------------------------------------

def files(site: Site, language: Language, ui: UIStrings, campaign: Campaign) -> dict[str, bytes]:
    """Path from the language's folder -> bytes, of the campaign's text files in this language."""
    base = campaign_dir(campaign) + campaign.id
    title = campaign.title.get(language.chain)
    found = {f"{base}.ics": calendar(site, language, [campaign], title),
             f"{base}-loudspeaker.txt": BOM + script(site, language, ui, campaign).encode()}
    if campaign.key_messages:
        found[f"{base}-sms.txt"] = BOM + sms_file(site, language, ui, campaign).encode()
    return found


BOM = b"\xef\xbb\xbf"
"""Text files start with UTF-8's byte order mark: a host that serves `.txt` without a charset, and older
editors, then still read Vietnamese as UTF-8."""

FORMATS = {".ics": ("toolkit.format.ics", "toolkit.use.ics"), ".txt": ("toolkit.format.txt", ""),
           ".png": ("toolkit.format.png", "toolkit.use.png")}


def products(site: Site, language: Language, ui: UIStrings, campaign: Campaign) -> list[Product]:
    """Every file of the campaign in this language, for its toolkit page: this module's files, then the
    campaign's print files written in the language (planned in loa/plan/print.py)."""
    found = []
    for path, data in files(site, language, ui, campaign).items():
        kind = path.rsplit("-", 1)[-1].split(".")[0] if path.endswith(".txt") else ""
        form, use = FORMATS[path[path.rindex("."):]]
        found.append(Product(path, ui.html(form), ui.html(use or f"toolkit.use.{kind}"), len(data)))
    for file in campaign_prints(campaign, language.chain, ui):  # posters and leaflet written in this language
        if file.lang == language.code:
            found.append(Product(file.url.removeprefix(f"/{language.code}/"), Markup(f"PDF, {file.size.upper()}"),
                                 ui.html(f"toolkit.use.{'leaflet' if file.kind == 'leaflet' else 'poster'}")))
    return found


def size_label(lang: str, size: int) -> str:
    """`1.2 KB` as the language writes numbers (Babel), `KB` being 1,024 bytes."""
    locale = cldr_locale(lang) or "en"
    return f"{format_decimal(round(size / 1024, 1) if size >= 1024 else size, locale=locale)} " \
           f"{'KB' if size >= 1024 else 'B'}"
