"""Which version of the original a translation follows (README, "Translations").

A translation records `translation.follows`: a digest of its original's normalised text, not a
commit id, since translators may not use git. The normalisation decides which edits count:

- the title, the summary and the body count; the rest of the front matter does not (a new
  `reviewed` date or a source's URL changes no sentence to translate);
- Unicode NFC, and every run of whitespace is one space: re-wrapping a paragraph, a trailing
  space or a blank line does not count;
- a link's or image's target does not count (`[text](target)` and `[label]: target` keep their
  text only): fixing a typo in an address changes nothing the translator writes; the link's
  text, being read, does count.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from loa.cache.keys import digest
from loa.check.validators import Checker
from loa.errors import Position, Report
from loa.load.source import Node
from loa.messages import _
from loa.model import Document, Translation

DIGEST_LENGTH = 12
"""Hex digits kept: enough to tell versions of one file apart, short enough to read in front matter."""

_DIGEST = re.compile(f"^[0-9a-f]{{{DIGEST_LENGTH}}}$")
_INLINE_TARGET = re.compile(r"\]\(\s*<?[^)\s>]*>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]]+\]:)[ \t]*\S+.*$", re.MULTILINE)


def normalised(title: str, summary: str, body: str) -> str:
    """The text whose change makes translations behind (the rules above)."""
    text = unicodedata.normalize("NFC", "\n".join((title, summary, body)))
    text = _REFERENCE.sub(r"\1", text)
    text = _INLINE_TARGET.sub("]()", text)
    return " ".join(text.split())


def text_of(original: Translation) -> str:
    return normalised(original.title, original.summary, original.body)


def follows(original: Translation) -> str:
    """The value a translation of `original` records in `translation.follows` when it is up to date."""
    return follows_of(original.title, original.summary, original.body)


def follows_of(title: str, summary: str, body: str) -> str:
    """`follows` of an original with this text (also for a file not yet loaded: `serve`'s CMS)."""
    return digest("translation-follows", [normalised(title, summary, body)])[:DIGEST_LENGTH]


def translation_text(original_text: str, digest: str) -> str:
    """The original's file with `translation: {status: draft, follows: ...}` added to its front matter."""
    lines = original_text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[0].rstrip() == "---" and lines[i].rstrip() in ("---", "...")),
               None)
    marker = f"translation: {{status: draft, follows: {digest}}}"
    if end is None:
        return "\n".join(["---", marker, "---", "", *lines])
    kept: list[str] = []
    inside = False  # within the original's own `translation:` mapping, if it has one: replaced
    for line in lines[1:end]:
        inside = line.startswith("translation:") or (inside and line[:1] in (" ", "\t"))
        if not inside:
            kept.append(line)
    return "\n".join([lines[0], *kept, marker, *lines[end:]])


def check_behind(documents: Mapping[str, Document], default_language: str, report: Report) -> None:
    """A translation that follows an older version of its original is a warning."""
    for document in documents.values():
        original = document.translations.get(default_language)
        if original is None:
            continue
        current = None  # worked out only for a document whose translations record what they follow
        for translation in document.translations.values():
            if translation.lang != default_language and translation.follows \
                    and translation.follows != (current := current or follows(original)):
                report.warning(Position(translation.shown),
                               _("behind its original %(original)s, which changed since this translation was "
                                 "marked up to date", original=original.shown),
                               _("see 'python build.py translations --lang %(lang)s', update the text, then run "
                                 "'python build.py translations --mark %(lang)s %(id)s'", lang=translation.lang,
                                 id=document.id))


def follows_value(check: Checker, node: Node, label: str) -> str:
    value = check.string(node, label) or ""
    if value and not _DIGEST.match(value):
        check.report.error(node.pos, _("%(label)s: '%(value)s' is not a digest of the original", label=label,
                                       value=value),
                           _("remove the line and run 'python build.py translations --mark <lang> <path>'"))
        return ""
    return value


def modified(path: Path) -> dt.date:
    """The day (UTC) the original was last saved: what the listing and a behind page call "updated on"."""
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
