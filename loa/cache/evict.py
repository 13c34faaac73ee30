"""Keeping `.loa-cache/` from growing without bound: run after each build."""

from __future__ import annotations

from pathlib import Path

from loa.cache.markdown import MarkdownCache
from loa.cache.templates import TemplateCache


def prune(cache_dir: Path) -> None:
    """Keep the caches that grow with the content under their limits (`loa/cache/store.py`)."""
    MarkdownCache.store_in(cache_dir).prune()
    TemplateCache(cache_dir / "jinja").store.prune()
