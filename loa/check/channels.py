"""A key message whose SMS (the message and the hotline, `loa/plan/channels.py`) needs more than two parts
with its diacritics is a warning at the message: carriers charge each part, and phones may show a long
message late or in pieces (loa/sms.py counts them)."""

from __future__ import annotations

from collections.abc import Mapping

from loa import sms
from loa.errors import Report
from loa.i18n.strings import resolve
from loa.load.source import Node
from loa.messages import _
from loa.model import Campaign, Settings

MAX_SEGMENTS = 2


def check_sms(campaigns: tuple[Campaign, ...], nodes: Mapping[str, Node], settings: Settings,
              strings: Mapping[str, Mapping[str, str]], report: Report) -> None:
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
                ui = resolve(strings, language.chain)
                message = ui("sms.text", message=text.value, name=settings.hotline.name.get(language.chain),
                             number=settings.hotline.number)
                accented, plain = sms.count(message), sms.count(sms.unaccented(message))
                if accented.segments > MAX_SEGMENTS:
                    report.warning(text.pos, _("this key message's SMS (%(lang)s, with the hotline) needs "
                                               "%(parts)s parts: %(units)s characters in %(encoding)s", lang=lang,
                                               parts=accented.segments, units=accented.units,
                                               encoding=accented.encoding),
                                   _("at most %(most)s characters fit two parts with diacritics; the unaccented "
                                     "form needs %(plain)s", most=sms.LIMITS["UCS-2"][1] * MAX_SEGMENTS,
                                     plain=plain.segments))
