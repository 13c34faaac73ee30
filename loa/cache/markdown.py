"""A cache of rendered Markdown, keyed by content hash, shared by processes and builds.

A page's HTML depends on its Markdown, its path (relative links), the set of
files that links can reach, and the Markdown settings: all of that goes into
the key, so a hit is exactly what a conversion would give. It makes fallback
copies (the same Markdown in another language) and unchanged pages of a
rebuild free. Entries are plain JSON files in a `Store` (`loa/cache/store.py`: written
atomically, least recently used first out past `LIMIT`), checked when read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from loa.cache.keys import digest
from loa.cache.store import MiB, Store

FORMAT = 1
LIMIT = 256 * MiB
"""A site of 1,000 materials in three languages fills 21 MiB (2,263 entries of about 9 KB, bench corpus):
room for the pages of ten such sites, or of many versions of one."""


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


FIELDS = tuple(field.name for field in fields(Rendered))


def fingerprint(parts: Iterable[str]) -> str:
    return digest(f"mdcache-{FORMAT}", parts)


class MarkdownCache:
    def __init__(self, directory: Path, context: str) -> None:
        self.directory = directory
        """The cache folder (`.loa-cache/`); the entries are in its `markdown/`."""
        self.context = context
        """Fingerprint of everything besides the page that shapes its HTML."""
        self.store = self.store_in(directory)

    @staticmethod
    def store_in(directory: Path) -> Store:
        return Store(directory / "markdown", ".json", LIMIT)

    def key(self, src_uri: str, markdown: str) -> str:
        return fingerprint([self.context, src_uri, markdown])

    def get(self, key: str) -> Rendered | None:
        """The entry, if it is there and has the shape `put` writes (else None: the page is converted)."""
        data = self.store.read(key)
        if data is None:
            return None
        try:
            rendered = Rendered(**json.loads(data))
        except (ValueError, TypeError, RecursionError):
            return None
        return rendered if _well_formed(rendered) else None

    def put(self, key: str, rendered: Rendered) -> None:
        # the fields as they are (JSON types already): `dataclasses.asdict` deep-copies every token of the
        # table of contents first, which was 6 % of a first build's worker time at 1,000 materials
        values = {name: getattr(rendered, name) for name in FIELDS}
        self.store.write(key, json.dumps(values, ensure_ascii=False, separators=(",", ":")))


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
