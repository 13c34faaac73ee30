"""What an output made in this process, by the key of what it was made from: bytes, not files.

A PDF or an image costs 0.1-0.9 s to make, and a process that builds the same site more than once
(`serve` after a save that changes nothing it reads, the test suite's hundreds of builds of the same
small site) would make the same bytes again. Keys cover everything the bytes are made from (the
output's own key: loa/outputs/print/, loa/outputs/share.py), so a hit is exactly what making it
again would give. Bounded: least recently used first out past `LIMIT` bytes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

LIMIT = 64 * 1024 * 1024
MEMOS: list[Memo] = []


class Memo:
    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # outputs run in a thread of their own beside serve's
        MEMOS.append(self)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            data = self._entries.get(key)
            if data is not None:
                self._entries.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = data
            self._size += len(data)
            while self._size > self.limit and self._entries:
                _key, old = self._entries.popitem(last=False)
                self._size -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


def forget_all() -> None:
    """Make everything again from now on (for tests of what making gives)."""
    for memo in MEMOS:
        memo.clear()
