"""Layer 3: the languages' words: UI strings with their fallbacks, plural forms, dates."""
