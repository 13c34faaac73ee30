"""Keeping `.loa-cache/` from growing without bound: run after each build."""

from __future__ import annotations

from pathlib import Path

from loa.cache.store import MANIFEST, Store

DEPTH = 3
"""How deep below `.loa-cache/` a store's folder may be (`share/<lang>/`: 2)."""


def prune(cache_dir: Path) -> int:
    """Keep every store of the cache folder under its limit (`loa/cache/store.py`); returns the entries removed."""
    removed = 0
    for depth in range(1, DEPTH + 1):
        for manifest in sorted(cache_dir.glob("/".join(["*"] * depth) + f"/{MANIFEST}")):
            store = Store.noted_in(manifest.parent)
            if store is not None:
                removed += store.prune()
    return removed
