"""Layer 6: Markdown and pages to HTML: the MkDocs/Material adapter (the only MkDocs import) and the template view."""
