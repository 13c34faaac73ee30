"""`build.py normalise`: campaign texts written as one plain text become `{language: text}` maps.

Loa accepts both forms of a campaign's text (loa/check/validators.py `text`), but the CMS's form
has one field per language (loa/check/cms.py) and Decap's object widget fails on a plain text. So
this command rewrites `title: Mùa hè` as `title: {vi: Mùa hè}` in the project's default language,
for every field the schema declares as a text (loa/check/fields.py: `TEXT`, lists of texts, and the
texts inside events and the image), with ruamel.yaml's round trip (loa/load/roundtrip.py): the
comments, the order of the keys and the quoting of every other value stay as the officer wrote them.
`--check` only lists the files that would change.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from loa.check.fields import CAMPAIGN, TEXT, Fields
from loa.errors import Position, Report
from loa.load.project import default_language
from loa.load.roundtrip import edit_yaml
from loa.load.source import normalise as normalise_text
from loa.messages import _, ngettext


def as_maps(data: CommentedMap, fields: Fields, lang: str) -> int:
    """Turn the plain texts of the declared text fields of `data` into `{lang: text}`; how many changed."""
    changed = 0
    for item in fields.fields:
        value = data.get(item.name)
        if value is None:
            continue
        kind = item.type
        if kind is TEXT and _plain(value):
            data[item.name] = _map(lang, value)
            changed += 1
        elif kind.json.get("items") == TEXT.json and isinstance(value, CommentedSeq):
            for index, entry in enumerate(value):
                if _plain(entry):
                    value[index] = _map(lang, entry)
                    changed += 1
        elif kind.fields is not None and isinstance(value, CommentedSeq):
            changed += sum(as_maps(entry, kind.fields, lang) for entry in value if isinstance(entry, CommentedMap))
        elif kind.fields is not None and isinstance(value, CommentedMap):
            changed += as_maps(value, kind.fields, lang)
    return changed


def _plain(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _map(lang: str, value: Any) -> CommentedMap:
    made = CommentedMap()
    made[lang] = value  # the scalar itself: its quotes stay
    made.fa.set_flow_style()  # `title: {vi: ...}`: the one line the text was on changes, no other
    return made


def _count(counted: list[int], lang: str, data: CommentedMap) -> None:
    counted.append(as_maps(data, CAMPAIGN, lang))


def normalise_campaigns(root: Path, *, check_only: bool) -> tuple[list[str], int]:
    """The lines to print and how many files need (or got) the change."""
    lang = default_language(root)
    if lang is None:
        return [_("mkdocs.yml: no extra.loa.default_language; nothing to do")], 0
    lines: list[str] = []
    files = 0
    edits: list[tuple[Path, str, str, int]] = []
    report = Report()
    for path in sorted((root / "campaigns").glob("*.yml")):
        shown = path.relative_to(root).as_posix()
        original = normalise_text(path.read_bytes().decode("utf-8-sig"))
        counted: list[int] = []
        try:
            text = edit_yaml(original, partial(_count, counted, lang))
        except YAMLError as exc:  # every broken file at once, at its line; nothing written (the README's promise)
            mark = exc.problem_mark if isinstance(exc, MarkedYAMLError) else None
            where = Position(shown, mark.line + 1, mark.column + 1) if mark is not None else Position(shown)
            problem = exc.problem if isinstance(exc, MarkedYAMLError) and exc.problem else str(exc)
            report.error(where, _("not valid YAML: %(problem)s", problem=problem),
                         _("run 'build.py check' for the details, fix the file, then run normalise again"))
            continue
        edits.append((path, shown, text, sum(counted)))
    report.raise_if_errors()
    for path, shown, text, count in edits:
        if not count:
            continue
        files += 1
        if check_only:
            lines.append(ngettext("%(path)s: %(n)s text to write as {%(lang)s: ...}",
                                  "%(path)s: %(n)s texts to write as {%(lang)s: ...}", count, path=shown, lang=lang))
            continue
        with path.open("w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        lines.append(ngettext("%(path)s: %(n)s text written as {%(lang)s: ...}",
                              "%(path)s: %(n)s texts written as {%(lang)s: ...}", count, path=shown, lang=lang))
    if not files:
        lines.append(_("every campaign text is already a {language: text} map"))
    return lines, files
