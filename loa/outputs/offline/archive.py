"""The offline copy's ZIP, written entry by entry from bytes already compressed (issue #14: a rebuild
after one edit deflates again only the entries that changed).

Python's `zipfile` compresses every entry it writes and has no public way to write compressed bytes:
this writer does, with the same bytes as `zipfile.ZipFile.writestr` writes for the copy's entries
(a local header, the data, then the central directory and its end record; names in UTF-8; no data
descriptor, no extra fields), so a rebuild's ZIP is a clean build's, byte for byte
(tests/test_offline_rebuild.py compares it with `zipfile`'s). No ZIP64: a copy past its limits
(4 GiB, 65,535 entries) is refused rather than written wrong.

A deflated entry is kept in a `Store` (`.loa-cache/offline/<lang>/deflated/`) by a digest of what its
bytes are made of, with zlib's version and the level (the same bytes in, the same bytes out, with the
same zlib), so an unchanged page or file is neither rewritten nor deflated again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import struct
import zlib
from collections.abc import Callable, Iterable
from io import BufferedReader, BufferedWriter
from pathlib import Path
from typing import NamedTuple

from loa.cache import keys
from loa.cache.files import replace, write_atomically
from loa.cache.store import MiB, Store
from loa.errors import BuildError
from loa.messages import _

LEVEL = 9
LIMIT = 0xFFFFFFFF
"""The largest size or offset a ZIP without ZIP64 holds."""
ENTRIES = 0xFFFF
DEFLATED_LIMIT = 128 * MiB
"""Deflated entries kept between builds (pages and text files; images are stored as they are)."""
LOCAL = struct.Struct("<4s2B4HL2L2H")
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
END = struct.Struct("<4s4H2LH")
UNIX, VERSION, STORED, DEFLATED = 3, 20, 0, 8
UTF8 = 0x800
FORMAT = 1


def too_large(path: Path) -> BuildError:
    return BuildError(_("%(path)s: the offline copy is too large for a ZIP file (over 4 GB or 65,535 files); "
                        "leave large files out of the language's folder", path=path))


class Entry(NamedTuple):
    """One entry, compressed: its name in the ZIP, method, CRC-32, size and data (as the ZIP holds it)."""

    name: str
    method: int
    crc: int
    size: int
    data: bytes


def stored(name: str, data: bytes) -> Entry:
    """An entry stored as it is."""
    return Entry(name, STORED, zlib.crc32(data), len(data), data)


def deflate(data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate of `data`, level 9, the bytes `zipfile` makes."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


def deflated_key(key: str) -> str:
    """The key of a deflated entry made from what `key` names: with zlib's version and the level."""
    return keys.digest("offline-deflated", [zlib.ZLIB_RUNTIME_VERSION, str(LEVEL), key])


def deflated(name: str, store: Store | None, key: str, make: Callable[[], bytes]) -> Entry:
    """The entry of the bytes `make` returns, deflated, from `store` when an earlier build deflated what
    `key` names (`deflated_key` of a digest of all that makes those bytes: `make` is called only on a miss)."""
    kept = store.read(key) if store is not None else None
    if kept is not None and len(kept) >= 8:
        return Entry(name, DEFLATED, int.from_bytes(kept[:4], "little"), int.from_bytes(kept[4:8], "little"),
                     kept[8:])
    data = make()
    crc, packed = deflate(data)
    if store is not None and len(data) <= LIMIT:
        store.write(key, crc.to_bytes(4, "little") + len(data).to_bytes(4, "little") + packed)
    return Entry(name, DEFLATED, crc, len(data), packed)


Where = tuple[int, int, int, int, int]
"""Where an entry's data is in a ZIP, and what it is: method, CRC-32, size, compressed size, offset."""


def write_zip(path: Path, entries: Iterable[Entry], day: dt.date) -> list[Where]:
    """Write the entries, in their order, dated `day` at midnight; returns where each one's data is.
    Raises BuildError past a ZIP's limits."""
    dos_time, dos_date = 0, (day.year - 1980) << 9 | day.month << 5 | day.day
    central: list[bytes] = []
    where: list[Where] = []
    with path.open("wb") as stream:
        for entry in entries:
            central.append(_local(stream, entry, dos_time, dos_date))
            where.append((entry.method, entry.crc, entry.size, len(entry.data), stream.tell() - len(entry.data)))
        start = stream.tell()
        for record in central:
            stream.write(record)
        size = stream.tell() - start
        if len(central) > ENTRIES or start > LIMIT or size > LIMIT:
            raise too_large(path)
        stream.write(END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
    return where


def _local(stream: BufferedWriter, entry: Entry, dos_time: int, dos_date: int) -> bytes:
    """Write the entry's local header and data; returns its record for the central directory."""
    offset = stream.tell()
    if entry.size > LIMIT or len(entry.data) > LIMIT or offset > LIMIT:
        raise too_large(Path(stream.name))
    try:
        name, flags = entry.name.encode("ascii"), 0
    except UnicodeEncodeError:
        name, flags = entry.name.encode("utf-8"), UTF8
    common = (VERSION, flags, entry.method, dos_time, dos_date, entry.crc, len(entry.data), entry.size, len(name))
    stream.write(LOCAL.pack(b"PK\x03\x04", VERSION, 0, *common[1:], 0))
    stream.write(name)
    stream.write(entry.data)
    return CENTRAL.pack(b"PK\x01\x02", VERSION, UNIX, VERSION, 0, *common[1:], 0, 0, 0, 0,
                        0o644 << 16, offset) + name


class Previous:
    """The ZIP the last `write` made, kept in the cache (`last.zip`, a hard link: no copy) with each entry's
    key and where its data is (`last.json`): an unchanged entry is one read of that file, instead of a
    file of the store or of the site. The record names the ZIP's stat: a ZIP replaced or changed since
    (another build's, `serve`'s) is not read."""

    def __init__(self, cache: Path | None) -> None:
        self.cache = cache
        self.entries: dict[str, list[object]] = {}
        self.stream: BufferedReader | None = None
        if cache is None:
            return
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            data = json.loads((cache / "last.json").read_text(encoding="utf-8"))
            if not (isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("entries"), dict)):
                return
            stream = (cache / "last.zip").open("rb")
            if data.get("zip") == _stamp(os.fstat(stream.fileno())):
                self.entries, self.stream = data["entries"], stream
            else:
                stream.close()

    def entry(self, name: str, key: str) -> Entry | None:
        """The entry `name` of the last ZIP, if it was made from what `key` names."""
        found = self.entries.get(name)
        if self.stream is None or not isinstance(found, list) or len(found) != 6 or found[0] != key:
            return None
        numbers = [number for number in found[1:] if isinstance(number, int)]
        if len(numbers) != 5:
            return None
        method, crc, size, length, offset = numbers
        self.stream.seek(offset)
        data = self.stream.read(length)
        return Entry(name, method, crc, size, data) if len(data) == length else None

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None

    def save(self, path: Path, made: Iterable[tuple[str, str, Where]]) -> None:
        """Keep the ZIP just written at `path` and where its entries are ((name, key, where) of each)."""
        self.close()
        if self.cache is None:
            return
        with contextlib.suppress(OSError):
            (self.cache / "last.json").unlink(missing_ok=True)  # no record of a ZIP it does not describe
            self.cache.mkdir(parents=True, exist_ok=True)
            temp = self.cache / f".last-{os.getpid()}.zip"
            temp.unlink(missing_ok=True)
            os.link(path, temp)  # another file system, or none: no record, the store still serves
            replace(temp, self.cache / "last.zip")
            write_atomically(self.cache / "last.json", json.dumps(
                {"format": FORMAT, "zip": _stamp(os.stat(self.cache / "last.zip")),
                 "entries": {name: [key, *where] for name, key, where in made}}, separators=(",", ":")))


def _stamp(stat: os.stat_result) -> list[int]:
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]
