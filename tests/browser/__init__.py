"""Checks of the built sample site in a real browser (Chromium), with axe-core and the Nu Html Checker."""
