"""SVG pictures of the content: their `width` and `height`, so that the browser keeps their room.

An `<img>` without `width` and `height` is 0 px high until its file arrives, then pushes the text below
it down: a layout shift (Lighthouse measured CLS 0.03 on material pages with a drawing). Raster images
get theirs from Pillow (loa/render/images.py); an SVG file says its size in its root element: `width`
and `height` in pixels, else the `viewBox`. The page's CSS (`.md-typeset img { max-width: 100%;
height: auto }`, Material's) then scales it to the column and keeps the ratio from the attributes.

Only the root tag is read, with a regular expression: no XML parser (no entities, no DTD, no network),
and a file Loa cannot size is published as it was, without the attributes. No MkDocs import: the plugin
(loa/render/plugin.py) calls `SvgSizes.rewrite` on each page after the raster images.
"""

from __future__ import annotations

import posixpath
import re
from html import unescape
from pathlib import Path

from loa.render.images import ATTRIBUTE, IMG, asset_of

ROOT = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px)?\s*")
"""A length in user units or pixels: the only ones that are pixels whatever the page (not %, em, mm)."""
NUMBERS = re.compile(r"[\s,]+")
HEAD = 4096
"""Bytes read of each file: an XML declaration, comments and a DOCTYPE fit before the root tag."""


def svg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) in CSS pixels of the SVG document `data`, rounded, or None (no root tag, a size in
    units that depend on the page, an empty or zero box)."""
    root = ROOT.search(data)
    if root is None:
        return None
    tag = root.group(0).decode("utf-8", "replace")
    attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
             for m in ATTRIBUTE.finditer(tag, 4, len(tag) - 1)}
    width, height = _pixels(attrs.get("width")), _pixels(attrs.get("height"))
    box = _view_box(attrs.get("viewbox"))
    if width is None and height is None and box is not None:
        width, height = box
    elif width is not None and height is None and box is not None:
        height = width * box[1] / box[0]
    elif height is not None and width is None and box is not None:
        width = height * box[0] / box[1]
    if width is None or height is None:
        return None
    sized = round(width), round(height)
    return sized if sized[0] > 0 and sized[1] > 0 else None


def _pixels(value: str | None) -> float | None:
    match = LENGTH.fullmatch(unescape(value)) if value is not None else None
    return float(match.group(1)) if match is not None else None


def _view_box(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        numbers = [float(n) for n in NUMBERS.split(unescape(value).strip())]
    except ValueError:
        return None
    if len(numbers) != 4 or numbers[2] <= 0 or numbers[3] <= 0:
        return None
    return numbers[2], numbers[3]


class SvgSizes:
    """The sizes of one language's SVG files, each read once per process."""

    def __init__(self, lang: str, assets: dict[str, Path]) -> None:
        self.lang = lang
        self.assets = assets
        self.sizes: dict[tuple[str, int, int], tuple[int, int] | None] = {}

    def size(self, path: str) -> tuple[int, int] | None:
        source = self.assets[path]
        try:
            stat = source.stat()
            known = (str(source), stat.st_size, stat.st_mtime_ns)
            if known not in self.sizes:
                with source.open("rb") as opened:
                    self.sizes[known] = svg_size(opened.read(HEAD))
        except OSError:
            return None
        return self.sizes[known]

    def rewrite(self, html: str, page_url: str) -> str:
        """The page's HTML with `width` and `height` on each `<img>` of an SVG file of the language that
        has neither."""
        if ".svg" not in html:
            return html
        return IMG.sub(lambda match: self._tag(match.group(0), page_url), html)

    def _tag(self, tag: str, page_url: str) -> str:
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
                 for m in ATTRIBUTE.finditer(tag, 4, len(tag) - 1)}
        if "width" in attrs or "height" in attrs:
            return tag
        path = asset_of(unescape(attrs.get("src", "")), page_url, self.lang)
        if path is None or posixpath.splitext(path)[1].lower() != ".svg" or path not in self.assets:
            return tag
        size = self.size(path)
        if size is None:
            return tag
        end = len(tag) - (2 if tag.endswith("/>") else 1)
        closing = " />" if end < len(tag) - 1 else ">"
        return f'{tag[:end].rstrip()} width="{size[0]}" height="{size[1]}"{closing}'
