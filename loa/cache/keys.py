"""One rule for every key and digest Loa keeps: SHA-256 over named, NUL-separated text parts.

The Markdown cache, the parse cache, the records of what a build may take over, and the
outputs' digests all name what they were made from with `digest`; a kind (`"markdown"`,
`"reuse"`...) keeps digests of different things apart, and changing a kind's format number makes
every old entry of that kind a miss.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path

PACKAGES = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Jinja2", "pagefind_bin")
"""The packages whose output ends up in a page or a search bundle."""


def digest(kind: str, parts: Iterable[str]) -> str:
    """Hex SHA-256 of `kind` and the parts, each part ended by NUL (so ["ab", "c"] != ["a", "bc"])."""
    hashed = hashlib.sha256(f"loa-{kind}".encode())
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass"))
        hashed.update(b"\0")
    return hashed.hexdigest()


def of_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def of_path(path: Path) -> str:
    """A short name for a folder, for records kept per output folder (`site-<this>.json`)."""
    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]


@cache
def code_fingerprint() -> str:
    """Loa's own code and the renderers' versions (fixed for the life of a process)."""
    package = Path(__file__).parent.parent  # the whole loa package
    return digest("code", [*(f"{path.relative_to(package).as_posix()}:{path.read_text(encoding='utf-8')}"
                             for path in sorted(package.rglob("*.py"))),
                           *(f"{name}=={version(name)}" for name in PACKAGES)])
