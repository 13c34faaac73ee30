"""Fast content checks on the Markdown of every translation, before any rendering.

They catch what a browser audit would find later, with the file and line the
writer has to edit: images without alt text, skipped heading levels, vague link
text, bad `lang` values, tables without headers, downloads without format and size;
and raw HTML that would run a script, embed another site or load anything from
another host ("nothing leaves the site").

Code is not checked: fenced blocks are found by the renderer's own fence reader, and
code spans are paired as the renderer pairs them (`mask_code`, loa/check/fences.py). A line
that CommonMark readers take as a fence but the renderer does not is an error, since what
follows it would be live. Indented code blocks (four spaces) are checked as text: telling
them from a list item's continuation takes the whole block parser, and checking too much is
the safe side. Raw HTML is checked by loa/check/html.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from loa.check.fences import check_fences, code_lines, mask_code
from loa.check.html import PUT_IN_CONTENT, check_html, elsewhere
from loa.check.urls import check_links
from loa.check.validators import LANGUAGE_TAG
from loa.errors import Position, Report
from loa.messages import _
from loa.model import Asset, Document, Translation

HEADING = re.compile(r"^(#{1,6})\s+\S")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)(\{[^}]*\})?")
LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
LANG_ATTR = re.compile(r"""\blang\s*=\s*["']?([^"'\s>}]+)""")
HTML_TABLE = re.compile(r"<table\b", re.IGNORECASE)
TABLE_DIVIDER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
DOWNLOAD = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|odp|zip|epub|mp3|mp4)$", re.IGNORECASE)
SIZE = re.compile(r"\d+([.,]\d+)?\s*(KB|MB|GB|kB|B)\b")
VAGUE_LINK_TEXT = {
    # English, Vietnamese and Hmong phrases that say nothing about where a link goes (WCAG 2.4.4)
    "here", "click here", "click", "this", "link", "more", "read more", "this page", "this link",
    "đây", "tại đây", "ở đây", "xem tại đây", "bấm vào đây", "nhấn vào đây", "bấm đây", "xem thêm", "chi tiết",
    "xem chi tiết", "liên kết", "nyem ntawm no", "ntawm no",
}


def lint_documents(documents: Mapping[str, Document], assets: Mapping[str, Asset], report: Report,
                   memo: dict[object, Any] | None = None) -> None:
    """Lint every translation; with `memo` (kept by `serve`), unchanged texts are not linted again."""
    if memo is None:
        for document in documents.values():
            for translation in document.translations.values():
                lint_translation(translation, assets, report)
        return
    # Download hints quote file sizes, so the assets' sizes are part of what a result depends on.
    sizes = tuple(sorted((asset.path, tuple(sorted((lang, _size(path)) for lang, path in asset.files.items())))
                         for asset in assets.values()))
    for document in documents.values():
        for translation in document.translations.values():
            key = ("lint", translation, sizes)
            found = memo.get(key)
            if found is None:
                scratch = Report()
                lint_translation(translation, assets, scratch)
                found = memo[key] = tuple(scratch.problems)
            report.problems.extend(found)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def lint_translation(translation: Translation, assets: Mapping[str, Asset], report: Report) -> None:
    shown = translation.shown
    last_level = 1  # the page title is the h1
    lines = translation.body.split("\n")
    code = code_lines(translation.body)
    # What the reader gets as markup: code blocks blanked, code spans (`<img>`) masked, columns kept.
    live = mask_code(lines, code)
    check_fences(translation, lines, code, report)
    check_html(translation, live, lines, code, report)
    check_links(live, shown, translation.body_line, report)
    for index, line in enumerate(live):
        number = translation.body_line + index
        if index in code:
            continue

        def at(column: int, line_number: int = number) -> Position:
            return Position(shown, line_number, column + 1)

        heading = HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if level == 1:
                report.warning(at(0), _("a level-1 heading in the text; the title is already the page's heading"),
                               _("start the text's headings at ##"))
            elif level > last_level + 1:
                report.warning(at(0), _("heading level skips from h%(last)s to h%(level)s", last=last_level,
                                        level=level), _("use %(hashes)s here", hashes="#" * (last_level + 1)))
            last_level = level
        if "[" not in line and "<" not in line and "lang" not in line and "|" not in line:
            continue  # plain prose: nothing below can match
        for image in IMAGE.finditer(line):
            alt, attrs = image.group(1).strip(), image.group(3) or ""
            if not alt and ".decorative" not in attrs:
                report.error(at(image.start()), _("image '%(url)s' has no alt text", url=image.group(2)),
                             _("describe what it shows in [...], or mark it decorative: ![](...){ .decorative }"))
            if elsewhere(image.group(2)):
                report.error(at(image.start()), _("image '%(url)s' is loaded from another site", url=image.group(2)),
                             _("put the image in content/ and use a relative path: %(example)s",
                               example=_(PUT_IN_CONTENT)))
        for link in LINK.finditer(line):
            text, target = link.group(1), link.group(2)
            plain = re.sub(r"<[^>]+>|[*_`]", "", text).strip().strip(".:!").lower()
            if plain in VAGUE_LINK_TEXT:
                report.warning(at(link.start()), _("link text '%(text)s' does not say where it goes", text=text),
                               _("use the name of the page or document as the link text"))
            if DOWNLOAD.search(target.split("#")[0].split("?")[0]):
                _check_download(text, target, translation, assets, at(link.start()), report)
        for lang in LANG_ATTR.finditer(line):
            code_ = lang.group(1)
            if not LANGUAGE_TAG.match(code_):
                report.error(at(lang.start()), _("lang=\"%(code)s\" is not a BCP 47 language tag", code=code_),
                             _("use a lowercase code such as vi, en or hmn"))
        if HTML_TABLE.search(line):
            end = next((i for i in range(index, len(live)) if "</table>" in live[i].lower()), len(live) - 1)
            if not any("<th" in live[i].lower() for i in range(index, end + 1)):
                report.warning(at(0), _("table without header cells (<th>)"),
                               _("write it as a Markdown table, whose first row is the header"))
        if TABLE_DIVIDER.match(line) and index > 0 and "|" in live[index - 1]:
            cells = [c.strip() for c in live[index - 1].strip().strip("|").split("|")]
            if not any(cells):
                report.warning(at(0, number - 1), _("table with an empty header row"),
                               _("name each column in the first row"))



def _check_download(text: str, target: str, translation: Translation, assets: Mapping[str, Asset],
                    where: Position, report: Report) -> None:
    extension = DOWNLOAD.search(target.split("#")[0].split("?")[0])
    assert extension is not None
    fmt = extension.group(1).upper()
    has_format = fmt.lower() in text.lower()
    has_size = SIZE.search(text) is not None
    if has_format and has_size:
        return
    suggestion = f"({fmt}"
    doc_dir = translation.shown.split("/", 2)[2].rsplit("/", 1)[0] if translation.shown.count("/") > 2 else ""
    relative = _join(doc_dir, target)
    asset = assets.get(relative) if relative else None
    if asset is not None:
        size = next(iter(asset.files.values())).stat().st_size
        suggestion += f", {_human(size)}"
    else:
        suggestion += ", " + _("size")
    suggestion += ")"
    report.warning(where, _("download link '%(text)s' does not say its format and size", text=text),
                   _("add them to the link text, e.g. %(example)s", example=f"[{text} {suggestion}]({target})"))


def _join(base: str, target: str) -> str | None:
    if "://" in target or target.startswith("/"):
        return None
    parts = [p for p in base.split("/") if p]
    for part in target.split("/"):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _human(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
