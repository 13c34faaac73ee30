"""Layer 5: what pages a site has, at which URLs, with what generated Markdown (no MkDocs here)."""
