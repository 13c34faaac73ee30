"""Layer 4: from raw files to a checked `Site`: the declared fields, cross-file rules, UI strings, lint."""
