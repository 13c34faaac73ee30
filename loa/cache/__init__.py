"""Layer 1: what Loa keeps between runs: keys and digests (`keys.py`), atomic writes (`files.py`),
size-limited entry folders (`store.py`) for the Markdown and template caches."""
