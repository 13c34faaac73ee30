"""A cache of rendered Markdown, keyed by content hash, shared by processes and builds.

A page's HTML depends on its Markdown, its path (relative links), the set of
files that links can reach, and the Markdown settings: all of that goes into
the key, so a hit is exactly what a conversion would give. It makes fallback
copies (the same Markdown in another language) and unchanged pages of a
rebuild free. Entries are plain JSON files written atomically, checked when read.

Compiled templates are kept too (`TemplateCache`), signed: see there.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import marshal
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import platformdirs

from loa.cache.files import write_atomically

FORMAT = 1


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict[str, Any]]
    """Python-Markdown toc tokens: level, id, name, children."""
    anchors: list[str]
    links_to_anchors: dict[str, dict[str, str]]
    """Target src_uri -> {anchor: link as written}, for MkDocs' anchor validation."""
    warnings: list[str]
    """What MkDocs logged while converting the page; replayed on a hit."""


def fingerprint(parts: Iterable[str]) -> str:
    digest = hashlib.sha256(f"loa-mdcache-{FORMAT}".encode())
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class MarkdownCache:
    def __init__(self, directory: Path, context: str) -> None:
        self.directory = directory
        self.context = context
        """Fingerprint of everything besides the page that shapes its HTML."""

    def key(self, src_uri: str, markdown: str) -> str:
        return fingerprint([self.context, src_uri, markdown])

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Rendered | None:
        """The entry, if it is there and has the shape `put` writes (else None: the page is converted)."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            rendered = Rendered(**data)
        except (OSError, ValueError, TypeError, RecursionError):
            return None
        return rendered if _well_formed(rendered) else None

    def put(self, key: str, rendered: Rendered) -> None:
        write_atomically(self._path(key), json.dumps(asdict(rendered), ensure_ascii=False, separators=(",", ":")))


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _toc(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict) and isinstance(item.get("level"), int) and isinstance(item.get("id"), str)
        and isinstance(item.get("name"), str) and _toc(item.get("children")) for item in value)


def _well_formed(rendered: Rendered) -> bool:
    """Checked before use: a cache folder copied from elsewhere may hold anything."""
    return isinstance(rendered.html, str) and _toc(rendered.toc) and _strings(rendered.anchors) \
        and _strings(rendered.warnings) and isinstance(rendered.links_to_anchors, dict) \
        and all(isinstance(target, str) and isinstance(links, dict)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in links.items())
                for target, links in rendered.links_to_anchors.items())


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates, shared by the worker processes and later builds (a language build
    compiles about 30 templates: 0.3-0.8 s).

    A compiled template is code that Jinja runs, and Jinja's own file cache reads its files with
    pickle: a cache folder restored from another branch or machine could run anything. Here each
    file carries an HMAC-SHA256 made with a key that stays outside the project (see `_key`): a file
    this user's Loa did not write fails the check and the template is compiled again.
    """

    MAGIC = b"loa-template-1\n" + jinja2.bccache.bc_magic  # bc_magic names Jinja's and Python's versions

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.directory / f"{bucket.key}.code"

    @staticmethod
    def _sign(name: str, payload: bytes) -> bytes:
        return hmac.new(_key(), name.encode() + b"\0" + payload, hashlib.sha256).digest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        head = len(self.MAGIC)
        signature, payload = data[head:head + 32], data[head + 32:]
        if not data.startswith(self.MAGIC) or not hmac.compare_digest(signature, self._sign(bucket.key, payload)):
            return
        checksum, _, code = payload.partition(b"\0")
        if checksum != bucket.checksum.encode():
            return  # the template changed since
        try:
            bucket.code = marshal.loads(code)
        except (EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = bucket.checksum.encode() + b"\0" + marshal.dumps(bucket.code)
        with contextlib.suppress(OSError):  # not kept: compiled again next time
            write_atomically(self._path(bucket), self.MAGIC + self._sign(bucket.key, payload) + payload)


@functools.cache
def _key() -> bytes:
    """This user's key for signing compiled templates, made once in their cache folder (not the
    project's: it would travel with it); if that cannot be written, one for this process (and
    the workers it forks) only."""
    path = Path(platformdirs.user_cache_dir("loa")) / "template-key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    key = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(key)
    except FileExistsError:  # made meanwhile by another process: theirs is the key
        try:
            made = path.read_bytes()
        except OSError:
            return key
        return made if len(made) == 32 else key
    except OSError:
        pass
    return key
