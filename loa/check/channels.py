"""A key message whose SMS (the message and the hotline, `loa/plan/channels.py`) needs more than two parts
with its diacritics is a warning at the message: carriers charge each part, and phones may show a long
message late or in pieces (loa/sms.py counts them)."""

from __future__ import annotations

from collections.abc import Mapping

from loa import sms
from loa.cache.results import KEPT
from loa.errors import Report
from loa.i18n.strings import resolve
from loa.load.source import Node
from loa.messages import _
from loa.model import Campaign, Settings

MAX_SEGMENTS = 2


def check_sms(campaigns: tuple[Campaign, ...], nodes: Mapping[str, Node], settings: Settings,
              strings: Mapping[str, Mapping[str, str]], report: Report) -> None:
    uis = {code: resolve(strings, settings.language(code).chain) for code in settings.codes}  # once a language
    for campaign in campaigns:
        node = nodes.get(campaign.id)
        items = node.value.get("key_messages") if node is not None and isinstance(node.value, dict) else None
        if items is None or not isinstance(items.value, list):
            continue
        for item in items.value:
            if not isinstance(item.value, dict):
                continue
            for lang, text in item.value.items():
                if lang not in settings.codes or not isinstance(text.value, str):
                    continue
                language = settings.language(lang)
                message = uis[lang]("sms.text", message=text.value, name=settings.hotline.name.get(language.chain),
                             number=settings.hotline.number)
                segments, units, encoding, plain = counted(message)
                if segments > MAX_SEGMENTS:
                    report.warning(text.pos, _("this key message's SMS (%(lang)s, with the hotline) needs "
                                               "%(parts)s parts: %(units)s characters in %(encoding)s", lang=lang,
                                               parts=segments, units=units, encoding=encoding),
                                   _("at most %(most)s characters fit two parts with diacritics; the unaccented "
                                     "form needs %(plain)s", most=sms.LIMITS["UCS-2"][1] * MAX_SEGMENTS,
                                     plain=plain))


Counted = tuple[int, int, str, int]


def counted(message: str) -> Counted:
    """The SMS's parts, units and encoding with its diacritics, and its parts without them; kept by the message
    (loa/cache/results.py): counting them letter by letter, for every key message in every language, was
    0.05 s of each check at 1,000 materials (and the interface strings, resolved for each message, 0.15 s)."""
    def make() -> Counted:
        accented, plain = sms.count(message), sms.count(sms.unaccented(message))
        return accented.segments, accented.units, accented.encoding, plain.segments
    return KEPT.get("sms", [message], make, list, _decoded)


def _decoded(value: object) -> Counted:
    if not isinstance(value, list) or len(value) != 4 or not all(type(part) is int for part in value[:2]) \
            or value[2] not in ("GSM-7", "UCS-2") or type(value[3]) is not int:
        raise ValueError("not an SMS count")
    return value[0], value[1], value[2], value[3]
