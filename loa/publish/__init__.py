"""Layer 7: the output folder: the target check, staging and swap, what is reused from the previous site."""
