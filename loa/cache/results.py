"""Small results kept between runs, by the digest of exactly what they are made from.

Some checks and plans work out, for every campaign or poster material, a value that only changes
when its few inputs do: whether a poster's text fits (`loa/check/fit.py`, measured with the font's
widths), a campaign's iCalendar file (`loa/plan/channels.py`, whose size its pages print). `kept`
returns such a value from this process's memory, or makes it; the key is a digest (loa/cache/keys.py)
of every input the caller names (the text, the font's bytes, a library's version), so an edited input
is a new key and a stale value cannot be found. Loa's own code is not in the keys: within a process it
is fixed, and on disk the values are kept in the parse cache (`loa/load/parsecache.py`, `parsed.json`),
which names the code that made them and is ignored by other code.

Values are JSON (numbers, strings, booleans, lists of them): what is read from disk is checked by the
caller's `decode`, and a value it refuses is made again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from loa.cache.keys import digest

T = TypeVar("T")

LIMIT = 200_000
"""Entries kept in memory at most (`serve` runs for days: values of texts edited away are dropped)."""


class Kept:
    """Digest -> value (JSON) in this process: made here, or read from the parse cache."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.used: set[str] = set()
        """Digests asked for since the last `saved`: the ones the parse cache saves."""
        self.made = 0
        """Values made (not found) since the last `saved`."""

    def get(self, kind: str, parts: Iterable[str], make: Callable[[], T], encode: Callable[[T], Any],
            decode: Callable[[Any], T]) -> T:
        """The value made by `make` from the inputs `parts` (of this `kind`), made only if not kept.

        `encode` turns it into JSON; `decode` turns JSON back (raising ValueError or TypeError on
        anything unexpected, read from a foreign or damaged file: then it is made again).
        """
        return self.get_by_key(self.key(kind, parts), make, encode, decode)

    @staticmethod
    def key(kind: str, parts: Iterable[str]) -> str:
        """The key `get` finds a value by (a caller that asks often for the same inputs may keep it)."""
        return digest(f"kept-{kind}", parts)

    def get_by_key(self, key: str, make: Callable[[], T], encode: Callable[[T], Any], decode: Callable[[Any], T]) -> T:
        """`get`, by a `key` already made."""
        self.used.add(key)
        if key in self.values:
            try:
                return decode(self.values[key])
            except (ValueError, TypeError, KeyError, IndexError):
                pass
        value = make()
        if len(self.values) >= LIMIT:
            self.values.clear()
            self.used = {key}
        self.values[key] = encode(value)
        self.made += 1
        return value

    def saved(self) -> dict[str, Any]:
        """The values asked for since the last save, to save (and start counting again)."""
        found = {key: self.values[key] for key in self.used if key in self.values}
        self.used.clear()
        self.made = 0
        return found

    def since(self, used: set[str], made: int) -> tuple[dict[str, Any], int]:
        """The values asked for besides `used`, and how many values were made besides `made` (what `used` and
        `made` were before): a forked process that planned languages gives them back (`merge`)."""
        return {key: self.values[key] for key in self.used - used if key in self.values}, self.made - made

    def merge(self, values: dict[str, Any], made: int) -> None:
        """Values asked for in another process (`since`): this process saves them as its own."""
        self.values.update(values)
        self.used.update(values)
        self.made += made

    def restore(self, values: dict[str, Any]) -> None:
        """Values read from disk (each checked by its caller's `decode` when used)."""
        for key, value in values.items():
            self.values.setdefault(key, value)


KEPT = Kept()
"""This process's kept results (worker processes are forked with them)."""
