"""Characters the print font lacks: a warning naming the file, line and character.

The PDFs (loa/outputs/print/) are set in the font shipped in `theme/fonts/`; a character that font
has no glyph for would print as an empty box, so it is reported at check time instead, where the
officer can see it. The browser pages are not concerned: they use the reader's system fonts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from loa.errors import Position, Report
from loa.messages import _

FONT = Path("theme/fonts/BeVietnamPro-Regular.ttf")
"""The print font's regular face, relative to the project; every face has the same characters."""
FONT_NAME = "Be Vietnam Pro"


@lru_cache(maxsize=4)
def _covered(path: Path, stamp: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # only when there is text to check
    cmap = TTFont(path, lazy=True).getBestCmap()
    return frozenset(cmap)


def covered(root: Path) -> frozenset[int] | None:
    """The code points the print font of the project at `root` has glyphs for (None: no font there)."""
    path = root / FONT
    try:
        return _covered(path, path.stat().st_mtime_ns)
    except OSError:
        return None


def _printable(char: str) -> bool:
    # spaces, controls and format characters (joiners, marks of direction, BOM) draw nothing
    return not char.isspace() and unicodedata.category(char)[0] not in ("C", "Z")


def missing(text: str, glyphs: frozenset[int]) -> dict[str, tuple[int, int]]:
    """Each character of `text` the font lacks -> where it first occurs (line, column; 1-based)."""
    found: dict[str, tuple[int, int]] = {}
    if all(ord(char) in glyphs or not _printable(char) for char in set(text)):
        return found  # the common case, without a walk through the text in Python
    for line_no, line in enumerate(text.splitlines(), 1):
        for col, char in enumerate(line, 1):
            if ord(char) not in glyphs and char not in found and _printable(char):
                found[char] = (line_no, col)
    return found


def check_glyphs(root: Path, files: Iterable[tuple[Path, str]], report: Report,
                 memo: dict[object, Any] | None = None) -> None:
    """Warn about each character of each file (absolute path, path as shown) that the print font lacks.

    With `memo` (the parse cache's, saved with it), a file is read again only when it changed: its
    modification time, size and inode, as the parse cache knows a file, and the font's."""
    glyphs = covered(root)
    if glyphs is None:
        return
    font = (root / FONT).stat().st_mtime_ns
    for path, shown in files:
        try:
            stat = path.stat()
        except OSError:
            continue  # the loader has reported it
        key = ("lint", "glyphs", str(path), shown, stat.st_mtime_ns, stat.st_size, stat.st_ino, font)
        found = memo.get(key) if memo is not None else None
        if found is None:
            scratch = Report()
            _check_file(path, shown, glyphs, scratch)
            found = tuple(scratch.problems)
            if memo is not None:
                memo[key] = found
        report.problems.extend(found)


def _check_file(path: Path, shown: str, glyphs: frozenset[int], report: Report) -> None:
    try:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return  # the loader has reported it
    for char, (line, col) in missing(text, glyphs).items():
        name = unicodedata.name(char, f"U+{ord(char):04X}")
        report.warning(Position(shown, line, col),
                       _("the print font (%(font)s) has no glyph for '%(char)s' (%(code)s %(name)s): "
                         "it would print as an empty box in the PDFs", font=FONT_NAME, char=char,
                         code=f"U+{ord(char):04X}", name=name),
                       _("use another character, or leave it out of text that is printed"))
