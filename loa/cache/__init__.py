"""Layer 1: what Loa keeps between runs: atomic writes, digests, the Markdown and template caches."""
