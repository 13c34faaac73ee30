"""Contrast of Loa's colours (theme/assets/stylesheets/loa.css) in both schemes, computed as WCAG 2.2 defines it.

Run `python tests/browser/test_contrast.py` to print the table kept in theme/README.md. axe-core
measures the rendered pages too (test_a11y.py); this file documents the choice and reads every
colour of Loa's from loa.css itself (its custom properties and rules), so that changing a colour
there is checked here. Material's own colours (the slate background, the footer) are constants.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Callable
from pathlib import Path

import pytest

LOA_CSS = Path(__file__).resolve().parents[2] / "theme" / "assets" / "stylesheets" / "loa.css"
RGBA = tuple[float, float, float, float]
MD_HUE = 225
"""Material's `--md-hue` in the slate scheme."""


def css_rules(text: str) -> dict[str, dict[str, str]]:
    """Selector -> declarations of the top-level rules of a style sheet (comments and @media left out)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", text)
    rules: dict[str, dict[str, str]] = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = rules.setdefault(" ".join(selector.split()), {})
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = " ".join(value.split())
    return rules


def css_color(text: str) -> RGBA:
    """A colour as loa.css writes it: #rgb, #rrggbb, #rrggbbaa, rgba(...), or slate hsla(var(--md-hue), ...)."""
    text = text.strip()
    if text.startswith("#"):
        value = text[1:]
        if len(value) in (3, 4):
            value = "".join(c * 2 for c in value)
        return hex_color("#" + value)
    match = re.fullmatch(r"(rgba?|hsla?)\((.*)\)", text)
    assert match is not None, f"unknown colour {text!r} in loa.css"
    parts = [p.strip() for p in match.group(2).replace("var(--md-hue)", str(MD_HUE)).split(",")]
    alpha = float(parts[3]) if len(parts) > 3 else 1.0
    if match.group(1).startswith("rgb"):
        return (float(parts[0]), float(parts[1]), float(parts[2]), alpha)
    return slate(float(parts[2].rstrip("%")) / 100, alpha, float(parts[1].rstrip("%")) / 100, float(parts[0]))


CSS = css_rules(LOA_CSS.read_text(encoding="utf-8"))
SCHEME = {"default": '[data-md-color-scheme="default"]', "slate": '[data-md-color-scheme="slate"]',
          "primary": '[data-md-color-primary="custom"]'}


def prop(block: str, name: str) -> Callable[[], RGBA]:
    """A colour of loa.css: custom property `name` of a scheme block (`default`, `slate`, `primary`) or any
    property of a rule (by selector), read when the test runs; `var(--x)` is taken from the same scheme."""
    def read() -> RGBA:
        rules = css_rules(LOA_CSS.read_text(encoding="utf-8"))
        value = rules[SCHEME.get(block, block)][name]
        while (found := re.fullmatch(r"var\((--[\w-]+)\)", value)) is not None:
            value = rules[SCHEME["default"]][found.group(1)]
        return css_color(value)
    return read


def with_alpha(color: Callable[[], RGBA], selector: str) -> Callable[[], RGBA]:
    """`color` drawn at the `opacity` of a rule of loa.css."""
    def read() -> RGBA:
        r, g, b, a = color()
        return (r, g, b, a * float(css_rules(LOA_CSS.read_text(encoding="utf-8"))[selector]["opacity"]))
    return read


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
FOOTER_BG = over(hex_color("#00000052"), over(hex_color("#000000de"), WHITE))   # Material's .md-footer-meta
HEADER = prop("primary", "--md-primary-fg-color")
HEADER_TEXT = prop("primary", "--md-primary-bg-color")
Color = Callable[[], RGBA]
# (what, scheme, foreground, background, minimum)
PAIRS: list[tuple[str, str, Color | RGBA, Color | RGBA, float]] = [
    ("header text and tabs (white on --md-primary-fg-color)", "both", HEADER_TEXT, HEADER, 4.5),
    ("inactive navigation tab (white at 85%)", "both", with_alpha(HEADER_TEXT, ".md-tabs__link"), HEADER, 4.5),
    ("links (--md-typeset-a-color)", "default", prop("default", "--md-typeset-a-color"), WHITE, 4.5),
    ("hover, focus (--md-accent-fg-color)", "default", prop("default", "--md-accent-fg-color"), WHITE, 4.5),
    ("secondary text on white (--md-default-fg-color--light)", "default",
     prop("default", "--md-default-fg-color--light"), WHITE, 4.5),
    ("checklist box (non-text, 1.4.11)", "default",
     prop(".md-typeset .task-list-indicator::before", "background-color"), WHITE, 3.0),
    ("links (--md-typeset-a-color)", "slate", prop("slate", "--md-typeset-a-color"), SLATE_BG, 4.5),
    ("hover, focus (--md-accent-fg-color)", "slate", prop("slate", "--md-accent-fg-color"), SLATE_BG, 4.5),
    ("secondary text (--md-default-fg-color--light)", "slate", prop("slate", "--md-default-fg-color--light"),
     SLATE_BG, 4.5),
    ("footer text and copyright", "both", prop(".loa-footer, .loa-footer__copyright", "color"), FOOTER_BG, 4.5),
    ("hotline bar (white on #0b3d2e)", "both", prop(".md-banner", "color"), prop(".md-banner", "background-color"),
     4.5),
]


def color(value: Color | RGBA) -> RGBA:
    return value() if callable(value) else value


@pytest.mark.parametrize(("what", "scheme", "fg", "bg", "minimum"), PAIRS, ids=[f"{p[1]}-{p[0]}" for p in PAIRS])
def test_contrast(what: str, scheme: str, fg: Color | RGBA, bg: Color | RGBA, minimum: float) -> None:
    ratio = contrast(color(fg), color(bg))
    assert ratio >= minimum, f"{what} ({scheme}): {ratio:.2f}:1 < {minimum}:1"


def test_colours_are_read_from_loa_css() -> None:
    assert color(prop("default", "--md-typeset-a-color")) == hex_color("#1b5e20")
    assert color(prop("slate", "--md-default-fg-color--light")) == slate(0.90, 0.7)
    assert css_color("#fff") == WHITE


if __name__ == "__main__":
    print("| element | scheme | contrast | needed |\n|---|---|---|---|")
    for what, scheme, fg, bg, minimum in PAIRS:
        print(f"| {what} | {scheme} | {contrast(color(fg), color(bg)):.2f}:1 | {minimum}:1 |")
