"""Layer 10: the preview: HTTP server, file watcher, and the rebuilder that re-renders what changed."""
