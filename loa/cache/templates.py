"""Compiled Jinja templates, kept between the worker processes and builds, signed.

A compiled template is code that Jinja runs, and Jinja's own file cache reads its files with
pickle: a cache folder restored from another branch or machine could run anything. Here each
file carries an HMAC-SHA256 made with a key that stays outside the project (see `_key`): a file
this user's Loa did not write fails the check and the template is compiled again. Entries are in a
`Store` (`loa/cache/store.py`), least recently used first out past `LIMIT`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import marshal
import os
from pathlib import Path

import jinja2
import jinja2.bccache
import platformdirs

from loa.cache.store import MiB, Store

LIMIT = 16 * MiB
"""A theme's 30-odd templates take about 1 MiB: room for many versions of the theme."""


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
        self.store = Store(directory, ".code", LIMIT, fanout=False)

    @staticmethod
    def _sign(name: str, payload: bytes) -> bytes:
        return hmac.new(_key(), name.encode() + b"\0" + payload, hashlib.sha256).digest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.read(bucket.key)
        if data is None:
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
            self.store.write(bucket.key, self.MAGIC + self._sign(bucket.key, payload) + payload)


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
