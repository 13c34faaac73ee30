"""Keeping `.loa-cache/` from growing without bound: run by a build once its pages are rendered (`now_and_then`)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from loa.cache.files import write_atomically
from loa.cache.store import MANIFEST, Store

PRUNE_EVERY = 600.0
"""Seconds: a build prunes when the last prune is older than this. Listing every entry of every store takes
about 1.3 s at 1,000 materials (stat of ~20,000 files): a rebuild every few seconds (`serve`, an officer's
edits) leaves it to the next one past this time, and the stores stay within what a few minutes write
beyond their limits."""
STAMP = "pruned.json"

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


def now_and_then(cache_dir: Path) -> int:
    """`prune`, if the last one was more than `PRUNE_EVERY` seconds ago (or never); returns the entries removed."""
    stamp = cache_dir / STAMP
    try:
        if time.time() - stamp.stat().st_mtime < PRUNE_EVERY:
            return 0
    except OSError:
        pass  # never pruned
    removed = prune(cache_dir)
    write_atomically(stamp, json.dumps({"removed": removed}))  # JSON, as every file of the cache but stores'
    return removed
