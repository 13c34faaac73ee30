"""The parse cache: parsed files kept between loads, in memory (`serve`) and on disk between builds.

`LoadCache` hands `load_project` (loa/load/project.py) a file's earlier parse while the file is
unchanged, and saves the parses and the lint results as JSON in `.loa-cache/`, read back with
every value checked, with the small results kept by digest (`loa/cache/results.py`: poster fits,
calendars) that the same build worked out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from loa import messages
from loa.cache import keys
from loa.cache.files import write_atomically
from loa.cache.results import KEPT
from loa.errors import Position, Problem, Report, decode_problems
from loa.load.source import MarkdownSource, Node, body_of, read_text, split_front_matter

T = TypeVar("T")


@dataclass
class LoadCache:
    """Parsed files kept between loads (`serve`): a file is parsed again only when it changed.

    A file counts as unchanged while its modification time, size and inode are the same;
    the problems its parse reported are reported again on every load.
    """

    entries: dict[Path, tuple[tuple[int, int, int], object, tuple[Problem, ...]]] = field(default_factory=dict)
    memo: dict[object, Any] = field(default_factory=dict)
    """Results of later stages on unchanged input (see `validate`), keyed by that input."""
    parsed: int = 0
    """Files parsed (not taken from the cache) since this cache was made or saved."""
    seen: set[Path] = field(default_factory=set)
    """Files asked for since the last `load_project`."""
    kept_at: tuple[Path, str] | None = None
    """Where `of_folder` read it, and the code's version: where `keep` saves it."""
    encoded: dict[Path, str] = field(default_factory=dict)
    """The entries as `read` found them in the file, each a line of JSON, saved again as they are while they
    hold (encoding every entry again took 0.3-0.4 s of every rebuild at 1,000 materials)."""

    def parse(self, path: Path, report: Report, parse: Callable[[], T]) -> T:
        try:
            stat = path.stat()
        except OSError:
            return parse()
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        self.seen.add(path)
        entry = self.entries.get(path)
        if entry is not None and entry[0] == stamp:
            report.problems.extend(entry[2])
            return entry[1]  # type: ignore[return-value]
        before = len(report.problems)
        value = parse()
        self.entries[path] = (stamp, value, tuple(report.problems[before:]))
        self.encoded.pop(path, None)
        self.parsed += 1
        return value

    # Between builds, the parses are kept in `.loa-cache/` as JSON, never pickled: a cache restored
    # from another branch or machine must not be able to run code. What is read is checked, every
    # value and type, before use: anything unexpected and the whole file is ignored (all is parsed again).
    # `version` names the code that made them; other code parses again.

    @classmethod
    def of_folder(cls, folder: Path | None, version: str, cache: LoadCache | None = None) -> LoadCache | None:
        """`cache` if there is one (parses kept in memory: `serve`); else, with a cache folder, the parses
        `read` from it (`.loa-cache/parsed.json`), which `keep` saves there; else None."""
        if cache is not None or folder is None:
            return cache
        cache = cls.read(folder / "parsed.json", version)
        cache.kept_at = (folder / "parsed.json", version)
        return cache

    def keep(self) -> None:
        """`save` where `of_folder` read it (a cache folder that cannot be written is still read next time).
        Writing it holds the interpreter for 0.2-0.3 s at 1,000 materials: a build does it while Pagefind
        indexes, not before its pages render (loa/pipeline.py::build)."""
        if self.kept_at is not None:
            with contextlib.suppress(OSError):  # unsaved, the next build parses again
                self.save(*self.kept_at)

    @classmethod
    def read(cls, path: Path, version: str) -> LoadCache:
        """The cache saved by `save`, or an empty one."""
        try:
            head, *lines = path.read_bytes().decode("utf-8").split("\n")
            data = json.loads(head)
            if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("version") != version \
                    or data.get("messages") != messages.fingerprint():  # the problems are kept as text
                return cls()
            decoded = [(_decode_entry(json.loads(line)), line) for line in lines if line]
            entries = dict(entry for entry, _line in decoded)
            encoded = {file: line for (file, _entry), line in decoded}
            lint = {_str(digest): decode_problems(problems) for digest, problems in _dict(data["lint"]).items()}
            results = _dict(data["results"])
        except (OSError, ValueError, KeyError, TypeError, RecursionError):  # missing, partly written, foreign
            return cls()
        KEPT.restore(results)  # each value is checked where it is used (`Kept.get`)
        return cls(entries, _Memo(lint), encoded=encoded)

    def save(self, path: Path, version: str) -> None:
        """Save the last load's entries, the lint results and the kept results, if anything was parsed
        or made since."""
        text = self._text(path, version)
        if text is not None:
            write_atomically(path, text)

    def _text(self, path: Path, version: str) -> str | None:
        """What `save` writes, or None when the file there already says it: a line of JSON with the lint and kept
        results, then a line of JSON for each file's entry (an entry read is written back as the line it was)."""
        if not self.parsed and not KEPT.made and path.exists():
            return None
        entries = [self.encoded.get(file) or _line(_encode_entry(file, entry)) for file, entry in self.entries.items()
                   if file in self.seen]
        digest = self.memo.digest if isinstance(self.memo, _Memo) else _digest
        lint = {digest(key): [p.encoded() for p in value] for key, value in self.memo.items()
                if isinstance(key, tuple) and key[:1] == ("lint",)}
        head = {"format": CACHE_FORMAT, "version": version, "messages": messages.fingerprint(), "lint": lint,
                "results": KEPT.saved()}
        self.parsed = 0
        return "\n".join([_line(head), *(entry for entry in entries if entry)]) + "\n"


def _line(data: object) -> str:
    """JSON on one line (a string's line breaks are escaped in it); '' for None."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) if data is not None else ""


CACHE_FORMAT = 5
"""Of the saved parses (`LoadCache.save`)."""


class _Memo(dict[object, Any]):
    """A memo (see `LoadCache.memo`) that also finds lint results read from disk, by a digest of their key.

    The key of a lint result holds the translation itself (`loa/check/lint.py`), which is not saved:
    a digest of the key's `repr` (every field of the translation, its sources and the asset sizes)
    is, and an equal key made by the next load finds it.
    """

    def __init__(self, saved: dict[str, tuple[Problem, ...]]) -> None:
        super().__init__()
        self.saved = saved
        self.digests: dict[object, str] = {}
        """Key -> its digest, as worked out to look it up (`save` needs it again)."""

    def get(self, key: object, default: Any = None) -> Any:
        if key in self:
            return self[key]
        if self.saved and isinstance(key, tuple) and key[:1] == ("lint",):
            digest = self.digests[key] = _digest(key)
            found = self.saved.pop(digest, None)
            if found is not None:
                self[key] = found
                return found
        return default

    def digest(self, key: object) -> str:
        return self.digests.get(key) or _digest(key)

    def clear(self) -> None:  # `load_project` starts afresh when the memo has grown (`serve`)
        super().clear()
        self.digests.clear()


def _digest(key: object) -> str:
    return keys.digest("lint", [repr(key)])


# The JSON form of a parse. A Node is [line, column, kind, value(, key positions)]: kind 0 a JSON
# scalar, 1 a date, 2 a mapping ({key: node}, with [[line, column], ...] of the keys in order),
# 3 a sequence. Every position of one file's parse names that file, written once per entry.
_SCALAR, _DATE, _MAPPING, _SEQUENCE = 0, 1, 2, 3


def _encode_entry(file: Path, entry: tuple[tuple[int, int, int], object, tuple[Problem, ...]]) -> list[Any] | None:
    stamp, value, problems = entry
    try:
        if value is None:
            encoded: list[Any] = []
        elif isinstance(value, Node):
            encoded = [_encode_node(value, value.pos.path)]
        elif isinstance(value, MarkdownSource):
            encoded = [_encode_node(value.meta, value.meta.pos.path), value.body_line, value.digest]
        else:
            return None
    except ValueError:  # a value JSON cannot hold as it is: parsed again next time
        return None
    shown = value.pos.path if isinstance(value, Node) else value.meta.pos.path if value is not None else ""
    return [str(file), list(stamp), shown, encoded, [p.encoded() for p in problems]]


def _encode_node(node: Node, shown: str) -> list[Any]:
    pos = node.pos
    if pos.path != shown:
        raise ValueError("a node of another file")
    value = node.value
    if isinstance(value, dict):
        keys = [[node.key_pos[key].line, node.key_pos[key].column] for key in value]
        return [pos.line, pos.column, _MAPPING, {key: _encode_node(child, shown) for key, child in value.items()},
                keys]
    if isinstance(value, list):
        return [pos.line, pos.column, _SEQUENCE, [_encode_node(child, shown) for child in value]]
    if isinstance(value, dt.date):
        return [pos.line, pos.column, _DATE, value.isoformat()]
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not a JSON number")
    return [pos.line, pos.column, _SCALAR, value]


def _decode_entry(item: object) -> tuple[Path, tuple[tuple[int, int, int], object, tuple[Problem, ...]]]:
    file, stamp, shown, encoded, problems = _list(item)
    mtime, size, inode = (_int(number) for number in _list(stamp))
    shown = _str(shown)
    value: object
    match _list(encoded):
        case []:
            value = None
        case [node]:
            value = _decode_node(node, shown)
        case [meta, body_line, digest]:
            path, line = Path(_str(file)), _int(body_line)
            value = MarkdownSource(_lazy_meta(meta, path, shown), _lazy_body(path, shown, line), line, _str(digest))
        case _:
            raise ValueError("unknown entry")
    return Path(_str(file)), ((mtime, size, inode), value, decode_problems(problems))


def _lazy_meta(item: object, file: Path, shown: str) -> Callable[[], Node]:
    """A Markdown file's front matter as saved, made into Nodes when first asked (`MarkdownSource.meta`).

    Its Nodes are checked then, not when the file is read; if they are not as `_encode_node` writes them (the
    file was damaged since, by something else), the front matter is parsed again from the file, whose stamp
    is the one the entry was saved with."""

    def meta() -> Node:
        try:
            return _decode_node(item, shown)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError):
            try:
                text = read_text(file, shown, Report())
            except OSError:  # gone since: an empty front matter, whose problems the next load reports
                text = None
            source = split_front_matter(text, shown, Report()) if text is not None else None
            return source.meta if source is not None else Node({}, Position(shown))

    return meta


def _lazy_body(file: Path, shown: str, body_line: int) -> Callable[[], str]:
    """A Markdown file's body, read from the file when first asked (`MarkdownSource.body`), not kept in the cache:
    the bodies were three quarters of its 16 MB at 1,000 materials, and decoding them from JSON took 0.25 s of
    every build; reading them from the files, 0.05 s.

    The file is the one whose stamp the entry was saved with (`LoadCache.parse`), unless it was saved again since
    it was stamped, in this build: then its body is the new one, with the front matter it was stamped with, for
    this build; the next parses it again (a new stamp). Gone or no longer UTF-8 since, its body is empty here,
    and the next load reports it."""

    def body() -> str:
        try:
            text = read_text(file, shown, Report())
        except OSError:
            text = None
        return body_of(text, body_line) if text is not None else ""

    return body


def _decode_node(item: object, shown: str) -> Node:
    # The hot loop of reading the cache (50,000 nodes at 1,000 materials): types checked inline.
    if type(item) is not list or not 4 <= len(item) <= 5 or type(item[0]) is not int or type(item[1]) is not int:
        raise ValueError("not a node")
    line, column, kind, value = item[0], item[1], item[2], item[3]
    pos = Position(shown, line, column)
    if len(item) == 4:
        if kind == _SCALAR and (value is None or type(value) in _SCALARS):
            return Node(value, pos)
        if kind == _DATE and type(value) is str:
            return Node(dt.date.fromisoformat(value), pos)
        if kind == _SEQUENCE and type(value) is list:
            return Node([_decode_node(child, shown) for child in value], pos)
    elif kind == _MAPPING and type(value) is dict and type(item[4]) is list and len(item[4]) == len(value):
        children: dict[str, Node] = {}
        key_pos: dict[str, Position] = {}
        for (key, child), place in zip(value.items(), item[4], strict=True):
            if type(place) is not list or len(place) != 2 or type(place[0]) is not int or type(place[1]) is not int:
                raise ValueError("not a key position")
            children[key] = _decode_node(child, shown)
            key_pos[key] = Position(shown, place[0], place[1])
        return Node(children, pos, key_pos)
    raise ValueError("not a node")


_SCALARS = (str, int, float, bool)


def _list(item: object) -> list[Any]:
    if not isinstance(item, list):
        raise ValueError("not a list")
    return item


def _dict(item: object) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError("not a mapping")
    return item


def _str(item: object) -> str:
    if not isinstance(item, str):
        raise ValueError("not a string")
    return item


def _int(item: object) -> int:
    if not isinstance(item, int) or isinstance(item, bool):
        raise ValueError("not an integer")
    return item
