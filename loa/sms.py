"""How an SMS is encoded and how many parts it is sent in (3GPP TS 23.038 and 23.040).

A text whose every character is in the GSM 7-bit alphabet travels in septets: 160 in one message,
153 a part once it needs several (a part header takes 7). One character of the extension table
(`{`, `€`...) takes two septets, and a part never splits it. Any other character, every Vietnamese
letter with a tone mark among them, makes the whole text UCS-2: 70 characters alone, 67 a part, each
character counted in UTF-16 code units (an emoji takes two, never split). The text is counted after
NFC, as Loa reads every file.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
"""Sent as an escape and the character: two septets."""

LIMITS: dict[Encoding, tuple[int, int]] = {"GSM-7": (160, 153), "UCS-2": (70, 67)}
"""Units in a message alone, and in each part of a message sent in several."""


@dataclass(frozen=True)
class Count:
    """What an SMS costs."""

    text: str
    encoding: Encoding
    units: int
    """Septets (GSM-7) or UTF-16 code units (UCS-2)."""
    segments: int


def units_of(char: str, encoding: Encoding) -> int:
    if encoding == "GSM-7":
        return 2 if char in GSM_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


@functools.lru_cache(maxsize=8192)  # a campaign's SMS are counted for its toolkit page, its files and the check
def count(text: str) -> Count:
    """The encoding, size and number of parts of `text` (normalised to NFC first)."""
    text = unicodedata.normalize("NFC", text)
    encoding: Encoding = "GSM-7" if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text) else "UCS-2"
    sizes = [units_of(c, encoding) for c in text]
    total = sum(sizes)
    single, part = LIMITS[encoding]
    if total <= single:
        return Count(text, encoding, total, 1)
    segments, used = 1, 0
    for size in sizes:  # a character is never split between two parts
        if used + size > part:
            segments, used = segments + 1, 0
        used += size
    return Count(text, encoding, total, segments)


@functools.lru_cache(maxsize=8192)
def unaccented(text: str) -> str:
    """The text without diacritics, as Vietnamese SMS are often written ("không dấu"): `đ` -> `d`."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in folded if not unicodedata.combining(c)))
