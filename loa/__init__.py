"""Loa: compile public communication campaigns into an accessible multilingual static site."""

from __future__ import annotations

__version__ = "0.1.0"
