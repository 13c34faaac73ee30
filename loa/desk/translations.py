"""`build.py translations`: which translations follow their original, and `--mark` after review.

A translation follows a version of its original by digest (loa/check/freshness.py). To say what
changed since, `--mark` and `new translation` keep the normalised text of that version in
`.loa-cache/originals/<digest>.txt`; when it is gone (the cache was deleted, or the translation was
marked on another machine), the listing says the original changed but not how. "Since" is the
day the original file was last modified.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from loa.cache.files import write_atomically
from loa.check.freshness import follows, modified, text_of
from loa.desk.project import read_site
from loa.errors import ContentError, Position, Problem, Report, UsageError
from loa.load.source import normalise, parse_yaml
from loa.messages import N_, _
from loa.model import Site, Translation

CACHE = Path(".loa-cache") / "originals"
STATES = {"up to date": N_("up to date"), "behind": N_("behind"), "unmarked": N_("unmarked"), "draft": N_("draft"),
          "missing": N_("missing")}
"""A translation's states: the listing's second column, stable for scripts, and their names in the summary line."""
WORDS_SHOWN = 8
"""Words quoted from the first change in the listing."""


@dataclass(frozen=True)
class State:
    lang: str
    doc_id: str
    state: str
    """`up to date`, `behind`, `unmarked` (no `follows` yet), `draft` or `missing`."""
    since: dt.date | None = None
    change: str = ""


def remember(root: Path, original: Translation) -> None:
    """Keep the text of the original's current version, for the word diff of later listings."""
    path = root / CACHE / f"{follows(original)}.txt"
    if not path.exists():
        write_atomically(path, text_of(original))


def word_change(old: str, new: str) -> str:
    """`+3 -1 words, first: "a b" -> "a c"`: what changed between two normalised texts."""
    before, after = old.split(), new.split()
    added = removed = 0
    first = ""
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        removed += i2 - i1
        added += j2 - j1
        if not first:
            first = f'"{" ".join(before[i1:i2][:WORDS_SHOWN])}" -> "{" ".join(after[j1:j2][:WORDS_SHOWN])}"'
    return _("+%(added)s -%(removed)s words, first: %(first)s", added=added, removed=removed, first=first)


def states(root: Path, site: Site, langs: tuple[str, ...] | None = None) -> list[State]:
    default = site.settings.default_language
    found: list[State] = []
    for language in site.settings.languages:
        if language.code == default or (langs and language.code not in langs):
            continue
        for doc_id, document in sorted(site.documents.items()):
            original = document.translations[default]
            translation = document.translations.get(language.code)
            if translation is None:
                found.append(State(language.code, doc_id, "missing"))
            elif translation.follows and translation.follows != follows(original):
                kept = root / CACHE / f"{translation.follows}.txt"
                change = word_change(kept.read_text(encoding="utf-8"), text_of(original)) if kept.is_file() \
                    else _("(the marked version's text is not kept here)")
                found.append(State(language.code, doc_id, "behind", modified(original.path), change))
            elif translation.draft:
                found.append(State(language.code, doc_id, "draft"))
            else:
                found.append(State(language.code, doc_id, "up to date" if translation.follows else "unmarked"))
    return found


def listing(root: Path, langs: tuple[str, ...] | None) -> list[str]:
    site, _problems = read_site(root)
    lines = []
    for state in states(root, site, langs):
        since = _(" since %(date)s: %(change)s", date=state.since.isoformat(), change=state.change) \
            if state.since else ""
        lines.append(f"{state.lang}\t{state.state}\t{state.doc_id}{since}")
    counts: dict[str, int] = {}
    for state in states(root, site, langs):
        counts[state.state] = counts.get(state.state, 0) + 1
    lines.append(", ".join(f"{n} {_(STATES[name])}" for name, n in sorted(counts.items()))
                 or _("no translations to list"))
    return lines


def mark(root: Path, lang: str, path: str) -> str:
    """Record in the translation's front matter that it follows the original's current text."""
    site, _problems = read_site(root)
    doc_id = path.strip("/").removesuffix(".md")
    document = site.documents.get(doc_id)
    default = site.settings.default_language
    if lang == default or lang not in site.settings.codes:
        raise UsageError(_("--mark: '%(lang)s' is not a language to translate into", lang=lang))
    translation = document.translations.get(lang) if document else None
    if document is None or translation is None:
        shown = f"content/{lang}/{doc_id}.md"
        raise ContentError([Problem(Position(shown), _("no such translation"), "error",
                                    _("start one with 'python build.py new translation %(lang)s %(id)s'", lang=lang,
                                      id=doc_id))])
    original = document.translations[default]
    digest = follows(original)
    text = normalise(translation.path.read_text(encoding="utf-8-sig"))
    translation.path.write_text(with_follows(text, digest, translation.shown), encoding="utf-8", newline="\n")
    remember(root, original)
    return _("marked %(translation)s as following %(original)s (%(digest)s)", translation=translation.shown,
             original=original.shown, digest=digest)


def with_follows(text: str, digest: str, shown: str) -> str:
    """`text` with `translation.follows: digest` in its front matter, every other line as it was."""
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[0].rstrip() == "---" and lines[i].rstrip() in ("---", "...")),
               None)
    if end is None:
        return "\n".join(["---", f"translation: {{status: reviewed, follows: {digest}}}", "---", "", *lines])
    meta = parse_yaml("\n".join(lines[1:end]), shown, Report(), line_offset=1)
    spec = meta.value.get("translation") if meta is not None and isinstance(meta.value, dict) else None
    if spec is None or not isinstance(spec.value, dict):
        kept = [line for line in lines[1:end] if not line.startswith("translation:")]
        return "\n".join([lines[0], *kept, f"translation: {{status: reviewed, follows: {digest}}}", *lines[end:]])
    if "follows" in spec.value:
        node = spec.value["follows"]
        row = node.pos.line - 1
        line = lines[row]
        start = node.pos.column - 1
        old = str(node.value)
        at = line.find(old, start)
        lines[row] = line[:at] + digest + line[at + len(old):]
        return "\n".join(lines)
    row, column = spec.pos.line - 1, spec.pos.column - 1
    if lines[row][column:column + 1] == "{":  # a flow mapping on one line: add before its closing brace
        close = lines[row].rfind("}")
        lines[row] = lines[row][:close].rstrip() + f", follows: {digest}" + lines[row][close:]
    else:
        first = spec.key_pos[next(iter(spec.value))]
        lines.insert(first.line - 1, " " * (first.column - 1) + f"follows: {digest}")
    return "\n".join(lines)
