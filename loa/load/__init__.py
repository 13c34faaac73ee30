"""Layer 2: reading the project's files: YAML and front matter with positions, the parse cache."""
