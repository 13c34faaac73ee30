"""ASCII slugs that fold Vietnamese: 'Đuối nước' -> 'duoi-nuoc'.

NFD decomposition removes tone and vowel marks, but 'đ' is a letter of its own
and has no decomposition, so it is mapped by hand (stock Material drops it and
gives 'uoi-nuoc').
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ø": "o", "Ø": "O", "ß": "ss",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L"})


def fold(text: str) -> str:
    """Remove diacritics and fold 'đ' to 'd', keeping case."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(value: str, separator: str = "-", **_options: Any) -> str:
    """Slug for URLs and heading anchors; signature fits Python-Markdown's `toc.slugify`."""
    ascii_text = fold(value).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return separator.join(words)
