"""A cache of rendered Markdown, keyed by content hash, shared by processes and builds.

A page's HTML depends on its Markdown, its path (relative links), the set of
files that links can reach, and the Markdown settings: all of that goes into
the key, so a hit is exactly what a conversion would give. It makes fallback
copies (the same Markdown in another language) and unchanged pages of a
rebuild free. Entries are plain JSON files written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

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
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return Rendered(**data)
        except (OSError, ValueError, TypeError):
            return None

    def put(self, key: str, rendered: Rendered) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(asdict(rendered), stream, ensure_ascii=False, separators=(",", ":"))
        os.replace(temp, path)
