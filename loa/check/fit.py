"""Does a poster's text fit? Type sizes for the posters, measured with the print font's own widths.

A poster (loa/outputs/print/) shows a campaign's key message, or one `##` section of a `type: poster`
material, in type as large as fits its box on A3: it starts large and shrinks step by step down to a
floor that stays legible from 3 m. The size is worked out here, from the advance widths of the font in
`theme/fonts/` (fontTools), rather than by the PDF engine: the same numbers tell `check` which texts
cannot fit even at the floor (a warning with the file and line of the text), and the poster template
gets them as plain numbers. A4 posters are the A3 layout scaled by 1/√2.

Measuring is pure Python over every character: each result is kept (loa/cache/results.py) by the digest
of its text, the font file's bytes and fontTools' version, so that a rebuild measures only what changed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from loa.cache.keys import of_bytes
from loa.cache.results import KEPT
from loa.errors import Position, Report
from loa.load.project import RawProject
from loa.load.source import Node
from loa.messages import _
from loa.model import Document

BOLD = Path("theme/fonts/BeVietnamPro-Bold.ttf")
REGULAR = Path("theme/fonts/BeVietnamPro-Regular.ttf")
MM = 72 / 25.4
"""Points per millimetre."""
WIDTH = 297 - 2 * 18
"""The text's width on an A3 poster, in mm (the page's width less its margins)."""
LINE = 1.15
MESSAGE_SIZES = (120, 104, 92, 80, 72, 64, 56)
"""A key message's sizes in pt on A3, largest first; the last is the floor."""
MESSAGE_HEIGHT = 150
"""The box of a key message, in mm, on A3 (below the campaign's image, above the hotline band)."""
SECTION_SIZES = (40, 36, 32, 28, 24)
"""A poster section's text sizes in pt on A3 (its heading is 1.6 times larger); at least 24 pt (legible at 3 m)."""
SECTION_HEADING = 1.6
SECTION_HEIGHT = (250, 140)
"""The box of a section's heading and text, in mm on A3: without an image, and with one."""


@dataclass(frozen=True)
class Fit:
    size: float
    """The text's size in pt on A3."""
    fits: bool
    """False when even the floor does not fit (the text is set at the floor and may run over)."""


@lru_cache(maxsize=4)
def _widths(path: Path, _digest: str) -> tuple[dict[int, float], float]:
    """The advance widths of the font at `path`, whose bytes have this digest (a font replaced is read again)."""
    from fontTools.ttLib import TTFont  # only when posters are measured
    font = TTFont(path, lazy=True)
    per_em = float(font["head"].unitsPerEm)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] / per_em for code, name in font.getBestCmap().items()}
    return widths, widths.get(ord("n"), 0.55)


class Measured:
    """A text's words measured once with a font (in ems), then broken into lines at spaces as a browser would
    at each size tried (`lines`: how many it takes at `size` pt in `width_mm`). A fit tries up to seven sizes,
    and adding up the widths of the letters for each was most of a first check's poster measures (1.8 of
    9.4 CPU s at 1,000 materials)."""

    def __init__(self, text: str, font: Path) -> None:
        widths, fallback = _widths(font, _font(font))
        self.space = widths.get(32, 0.25)
        self.paragraphs = [[sum(widths.get(ord(char), fallback) for char in word) for word in paragraph.split()]
                           for paragraph in text.split("\n")]

    def lines(self, size: float, width_mm: float) -> int:
        room = width_mm * MM / size  # in ems
        space = self.space
        count = 0
        for paragraph in self.paragraphs:
            used = None
            count += 1
            for wide in paragraph:
                if used is None:
                    used = wide
                elif used + space + wide <= room:
                    used += space + wide
                else:
                    count += 1
                    used = wide
                while used > room:  # a word longer than the line is broken inside it
                    count += 1
                    used -= room
        return count


def message_fit(root: Path, text: str) -> Fit:
    """The size of a key message on an A3 poster."""
    return KEPT.get("fit-message", [_font(root / BOLD), text], lambda: _message_fit(root, text), _encode, _decode)


def _message_fit(root: Path, text: str) -> Fit:
    measured = Measured(text, root / BOLD)
    for size in MESSAGE_SIZES:
        if measured.lines(size, WIDTH) * size * LINE <= MESSAGE_HEIGHT * MM:
            return Fit(size, True)
    return Fit(MESSAGE_SIZES[-1], False)


def section_fit(root: Path, heading: str, text: str, image: bool) -> Fit:
    """The size of a poster section's text on A3 (its heading is `SECTION_HEADING` times larger)."""
    return KEPT.get("fit-section", [_font(root / BOLD), _font(root / REGULAR), heading, text, str(image)],
                    lambda: _section_fit(root, heading, text, image), _encode, _decode)


def _section_fit(root: Path, heading: str, text: str, image: bool) -> Fit:
    room = SECTION_HEIGHT[1 if image else 0] * MM
    title, body = Measured(heading, root / BOLD), Measured(text, root / REGULAR)
    for size in SECTION_SIZES:
        big = size * SECTION_HEADING
        height = title.lines(big, WIDTH) * big * LINE
        height += body.lines(size, WIDTH) * size * LINE * 1.15  # and space between paragraphs
        if height <= room:
            return Fit(size, True)
    return Fit(SECTION_SIZES[-1], False)


def _font(path: Path) -> str:
    """What a measure reads of a font: its bytes (by digest, kept while the file is unchanged) and fontTools."""
    try:
        stat = path.stat()
    except OSError:
        return f"{path}: missing"
    return _font_digest(path, stat.st_mtime_ns, stat.st_size, stat.st_ino)


@cache
def _font_digest(path: Path, _mtime: int, _size: int, _inode: int) -> str:
    return f"{of_bytes(path.read_bytes())} fontTools=={version('fonttools')}"


def _encode(fit: Fit) -> list[Any]:
    return [fit.size, fit.fits]


def _decode(value: Any) -> Fit:
    size, fits = value
    if not isinstance(size, int | float) or isinstance(size, bool) or not isinstance(fits, bool):
        raise ValueError("not a fit")
    return Fit(size, fits)


SECTION = re.compile(r"^## +(.+?)\s*#*\s*$", re.M)
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?")
MARKUP = re.compile(r"[*_`]|\{:?[^}]*\}|\[([^\]]*)\]\([^)]*\)")


def sections(body: str) -> list[tuple[int, str, str, bool]]:
    """The `##` sections of a poster material's Markdown: (line in the body, 0-based; heading; text; has image)."""
    found = []
    marks = list(SECTION.finditer(body))
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(body)
        chunk = body[mark.end():end]
        text = "\n".join(line.strip() for line in MARKUP.sub(r"\1", IMAGE.sub("", chunk)).split("\n\n")
                         if line.strip())
        found.append((body.count("\n", 0, mark.start()), mark.group(1), " ".join(text.split(" ")),
                      IMAGE.search(chunk) is not None))
    return found


def check_posters(raw: RawProject, documents: Mapping[str, Document], report: Report) -> None:
    """Warn about each key message, and each section of a poster material, that cannot fit at the floor size.

    A material's sections are read from its validated translation (its front matter's Nodes stay unread:
    loa/load/parsecache.py reads them from the cache only when asked), and what does not fit is kept by the
    digest of the fonts and its text (a rebuild at 1,000 materials split 230 posters in sections each time)."""
    if not (raw.root / BOLD).is_file():
        return
    for node in raw.campaigns.values():
        for message in _messages(node):
            for lang, node_text in message:
                if isinstance(node_text.value, str) and not message_fit(raw.root, node_text.value).fits:
                    report.warning(node_text.pos, _("key message (%(lang)s) too long for a poster: even at "
                                                    "%(size)s pt it does not fit on one A3 poster", lang=lang,
                                                    size=MESSAGE_SIZES[-1]),
                                   _("shorten it: a poster's message is one short sentence"))
    fonts = [_font(raw.root / BOLD), _font(raw.root / REGULAR)]
    for document in documents.values():
        for translation in document.translations.values():
            if translation.type != "poster":
                continue
            body = translation.body
            for line, heading in KEPT.get("poster-overflow", [*fonts, body],
                                          functools.partial(_overflowing, raw.root, body), list, _overflowing_decoded):
                report.warning(Position(translation.shown, translation.body_line + line, 1),
                               _("poster section '%(heading)s' too long: even at %(size)s pt its text "
                                 "does not fit on one A3 poster", heading=heading, size=SECTION_SIZES[-1]),
                               _("shorten it, or split it into two sections"))


def _overflowing(root: Path, body: str) -> list[tuple[int, str]]:
    """The sections of a poster's body that do not fit at the floor size: (line in the body, heading)."""
    return [(line, heading) for line, heading, text, image in sections(body)
            if not section_fit(root, heading, text, image).fits]


def _overflowing_decoded(value: Any) -> list[tuple[int, str]]:
    found = []
    for line, heading in value:
        if not isinstance(line, int) or isinstance(line, bool) or not isinstance(heading, str):
            raise ValueError("not a section")
        found.append((line, heading))
    return found


def _messages(node: Node) -> Iterable[Sequence[tuple[str, Node]]]:
    if not isinstance(node.value, dict) or "key_messages" not in node.value:
        return []
    items = node.value["key_messages"].value
    return [[(lang, text) for lang, text in item.value.items() if isinstance(text.value, str)]
            for item in items if isinstance(item.value, dict)] if isinstance(items, list) else []
