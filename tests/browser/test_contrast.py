"""Contrast of Loa's colours (theme/assets/stylesheets/loa.css) in both schemes, computed as WCAG 2.2 defines it.

Run `python tests/browser/test_contrast.py` to print the table kept in theme/README.md. axe-core
measures the rendered pages too (test_a11y.py); this file documents the choice and keeps the CSS
from drifting: every colour below must appear in loa.css as written.
"""

from __future__ import annotations

import colorsys
from pathlib import Path

import pytest

LOA_CSS = Path(__file__).resolve().parents[2] / "theme" / "assets" / "stylesheets" / "loa.css"
RGBA = tuple[float, float, float, float]


def hex_color(text: str) -> RGBA:
    value = text.lstrip("#")
    if len(value) == 6:
        value += "ff"
    r, g, b, a = (int(value[i:i + 2], 16) for i in (0, 2, 4, 6))
    return (r, g, b, a / 255)


def slate(lightness: float, alpha: float, saturation: float = 0.15, hue: float = 225) -> RGBA:
    """Material's slate colours: hsla(var(--md-hue) = 225deg, 15%, l, a)."""
    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return (r * 255, g * 255, b * 255, alpha)


def over(top: RGBA, below: RGBA) -> RGBA:
    a = top[3]
    return (top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1.0)


def luminance(color: RGBA) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color[0]) + 0.7152 * channel(color[1]) + 0.0722 * channel(color[2])


def contrast(fg: RGBA, bg: RGBA) -> float:
    fg = over(fg, bg)
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


WHITE = hex_color("#ffffff")
SLATE_BG = slate(0.14, 1)
SEARCH_META_LIGHT = over(hex_color("#00000012"), WHITE)        # --md-default-fg-color--lightest on white
SEARCH_META_SLATE = over(slate(0.90, 0.12), SLATE_BG)
FOOTER_BG = over(hex_color("#00000052"), over(hex_color("#000000de"), WHITE))   # .md-footer-meta
HEADER = hex_color("#1b5e20")
# (what, scheme, foreground, background, colour as written in loa.css or None, minimum)
PAIRS: list[tuple[str, str, RGBA, RGBA, str | None, float]] = [
    ("header text and tabs (white on --md-primary-fg-color)", "both", WHITE, HEADER, "#1b5e20", 4.5),
    ("inactive navigation tab (white at 85%)", "both", hex_color("#ffffffd9"), HEADER, ".85", 4.5),
    ("links (--md-typeset-a-color)", "default", hex_color("#1b5e20"), WHITE, "#1b5e20", 4.5),
    ("hover, focus (--md-accent-fg-color)", "default", hex_color("#2e7d32"), WHITE, "#2e7d32", 4.5),
    ("secondary text on white (--md-default-fg-color--light)", "default", hex_color("#000000a6"), WHITE,
     "#000000a6", 4.5),
    ("search result meta", "default", hex_color("#000000a6"), SEARCH_META_LIGHT, "#000000a6", 4.5),
    ("checklist box (non-text, 1.4.11)", "default", hex_color("#000000a6"), WHITE, "#000000a6", 3.0),
    ("links (--md-typeset-a-color)", "slate", hex_color("#81c784"), SLATE_BG, "#81c784", 4.5),
    ("hover, focus (--md-accent-fg-color)", "slate", hex_color("#a5d6a7"), SLATE_BG, "#a5d6a7", 4.5),
    ("secondary text (--md-default-fg-color--light)", "slate", slate(0.90, 0.7), SLATE_BG, "90%, .7", 4.5),
    ("search result meta", "slate", slate(0.90, 0.7), SEARCH_META_SLATE, "90%, .7", 4.5),
    ("footer text and copyright", "both", hex_color("#e0e0e0"), FOOTER_BG, "#e0e0e0", 4.5),
    ("hotline bar (white on #0b3d2e)", "both", WHITE, hex_color("#0b3d2e"), "#0b3d2e", 4.5),
]


@pytest.mark.parametrize(("what", "scheme", "fg", "bg", "css", "minimum"), PAIRS,
                         ids=[f"{p[1]}-{p[0]}" for p in PAIRS])
def test_contrast(what: str, scheme: str, fg: RGBA, bg: RGBA, css: str | None, minimum: float) -> None:
    assert contrast(fg, bg) >= minimum, f"{what} ({scheme}): {contrast(fg, bg):.2f}:1 < {minimum}:1"
    if css:
        assert css in LOA_CSS.read_text(encoding="utf-8"), f"{css} is no longer in loa.css: update this table"


if __name__ == "__main__":
    print("| element | scheme | contrast | needed |\n|---|---|---|---|")
    for what, scheme, fg, bg, _css, minimum in PAIRS:
        print(f"| {what} | {scheme} | {contrast(fg, bg):.2f}:1 | {minimum}:1 |")
