"""Small validators for domain values, each with a message that teaches the fix.

Every function reports into a :class:`Report` and returns the converted value,
or None when the value is unusable, so that validation can go on and list
every problem of a run at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection

from loa.errors import Report
from loa.load.source import Node
from loa.messages import _
from loa.model import LocalText

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|[0-9]{3}))?$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AGES = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def did_you_mean(word: str, choices: Collection[str], note: str = "") -> str:
    """The closest choice, `note` and all the choices, as a hint."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    known = ", ".join(sorted(choices))
    if close and note:
        return _("did you mean '%(close)s'? %(note)s; known: %(known)s", close=close[0], note=note, known=known)
    if close:
        return _("did you mean '%(close)s'? known: %(known)s", close=close[0], known=known)
    return _("%(note)s; known: %(known)s", note=note, known=known) if note else _("known: %(known)s", known=known)


def type_name(node: Node) -> str:
    value = node.value
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("'%(value)s' (yes/no)", value=str(value).lower())
    if isinstance(value, dt.date):
        return _("a date (%(date)s)", date=value.isoformat())
    if isinstance(value, (int, float)):
        return _("a number (%(value)s)", value=value)
    return f"'{value}'"


class Checker:
    """Validates nodes of one file against Loa's schema; knows the configured languages."""

    def __init__(self, report: Report, languages: Collection[str], default_language: str) -> None:
        self.report = report
        self.languages = languages
        self.default_language = default_language

    def mapping(self, node: Node, label: str, required: Collection[str] = (),
                optional: Collection[str] = ()) -> dict[str, Node] | None:
        if not isinstance(node.value, dict):
            self.report.error(node.pos, _("%(label)s: expected a mapping of 'key: value', found %(found)s",
                                           label=label, found=type_name(node)))
            return None
        known = set(required) | set(optional)
        for key, pos in node.key_pos.items():
            if key not in known:
                self.report.error(pos, _("%(label)s: unknown key '%(key)s'", label=_join(label, key), key=key),
                                  did_you_mean(key, known))
        for key in required:
            if key not in node.value:
                self.report.error(node.pos, _("%(label)s: missing", label=_join(label, key)),
                                  _("add '%(key)s:'", key=key))
        return node.value

    def sequence(self, node: Node, label: str) -> list[Node]:
        if isinstance(node.value, list):
            return node.value
        self.report.error(node.pos, _("%(label)s: expected a list, found %(found)s", label=label,
                                               found=type_name(node)),
                          _("write a list as [a, b] or with '- ' lines"))
        return []

    def string(self, node: Node, label: str) -> str | None:
        value = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.report.error(node.pos, _("%(label)s: expected text, found %(found)s", label=label,
                                                   found=type_name(node)),
                              _("put the text in quotes if it looks like a number, date or yes/no"))
            return None
        if not value.strip():
            self.report.error(node.pos, _("%(label)s: must not be empty", label=label))
            return None
        return value.strip()

    def choice(self, node: Node, label: str, choices: Collection[str]) -> str | None:
        value = self.string(node, label)
        if value is not None and value not in choices:
            self.report.error(node.pos, _("%(label)s: '%(value)s' is not allowed", label=label, value=value),
                              did_you_mean(value, choices))
            return None
        return value

    def integer(self, node: Node, label: str) -> int | None:
        if isinstance(node.value, int) and not isinstance(node.value, bool):
            return node.value
        self.report.error(node.pos, _("%(label)s: expected a whole number, found %(found)s", label=label,
                                       found=type_name(node)))
        return None

    def date(self, node: Node, label: str) -> dt.date | None:
        value = node.value
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                if re.match(r"^\d{4}-\d{2}-\d{2}$", value):
                    self.report.error(node.pos, _("%(label)s: '%(value)s' is not a real date (%(problem)s)",
                                                  label=label, value=value, problem=exc),
                                      _("check the day and the month"))
                    return None
        self.report.error(node.pos, _("%(label)s: expected a date YYYY-MM-DD, found %(found)s", label=label,
                                        found=type_name(node)), _("for example 2027-05-15"))
        return None

    def language_tag(self, node: Node, label: str) -> str | None:
        value = self.string(node, label)
        if value is not None and not LANGUAGE_TAG.match(value):
            self.report.error(node.pos, _("%(label)s: '%(value)s' is not a BCP 47 language tag", label=label,
                                           value=value),
                              _("use a lowercase 2- or 3-letter code such as 'vi', 'en' or 'hmn'"))
            return None
        return value

    def text(self, node: Node, label: str) -> LocalText | None:
        """One string for every language, or a mapping language -> string with the default one."""
        if isinstance(node.value, dict):
            texts: dict[str, str] = {}
            for lang, value_node in node.value.items():
                if lang != self.default_language and isinstance(value_node.value, str) and not value_node.value.strip():
                    continue  # an empty translation (the CMS writes `en: ''`): as if absent
                if not LANGUAGE_TAG.match(lang) or lang not in self.languages:
                    hint = did_you_mean(lang, self.languages)
                    if " " in lang or "," in lang:
                        hint = _("a comma inside {...} starts a new key: put the text in quotes")
                    self.report.error(node.key_pos[lang], _("%(label)s: unknown language '%(lang)s'", label=label,
                                                            lang=lang),
                                      hint)
                    continue
                text = self.string(value_node, _join(label, lang))
                if text is not None:
                    texts[lang] = text
            if self.default_language not in node.value:
                self.report.error(node.pos, _("%(label)s: missing text in the default language '%(lang)s'", label=label,
                                                lang=self.default_language),
                                  _("add '%(lang)s: ...'", lang=self.default_language))
                return None
            return LocalText(dict(sorted(texts.items(), key=lambda kv: self._order(kv[0])))) if texts else None
        text = self.string(node, label)
        return None if text is None else LocalText({self.default_language: text})

    def ids(self, node: Node, label: str, known: Collection[str], what: str) -> tuple[str, ...]:
        found: list[str] = []
        for index, item in enumerate(self.sequence(node, label)):
            value = self.string(item, f"{label}[{index}]")
            if value is None:
                continue
            if value not in known:
                self.report.error(item.pos, _("%(label)s: unknown %(what)s '%(value)s'", label=f"{label}[{index}]",
                                               what=_(what), value=value), did_you_mean(value, known))
            elif value in found:
                self.report.error(item.pos, _("%(label)s: '%(value)s' is listed twice", label=f"{label}[{index}]",
                                               value=value))
            else:
                found.append(value)
        return tuple(found)

    def _order(self, lang: str) -> int:
        ordered = list(self.languages)
        return ordered.index(lang) if lang in ordered else len(ordered)


def blank(node: Node) -> bool:
    """Empty text (`''`, what Decap writes for an emptied field), or a mapping or list of nothing else."""
    value = node.value
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict):
        return bool(value) and all(blank(n) for n in value.values())
    if isinstance(value, list):
        return bool(value) and all(blank(n) for n in value)
    return False


def content_path(value: str) -> str | None:
    """A relative path inside `content/<lang>/`, or None if it escapes or is absolute."""
    if value.startswith("/") or "\\" in value or re.match(r"^[A-Za-z]:", value):
        return None
    parts = [p for p in value.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _join(label: str, key: str) -> str:
    return f"{label}.{key}" if label else key

