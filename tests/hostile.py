"""A tiny real site where every text field an officer types holds a hostile string.

Shared by tests/test_hostile.py (the parsed HTML of every page) and tests/browser/test_hostile_html.py
(the Nu Html Checker over the same site).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import POOL_SVG, write_tree

PAYLOAD = ("Q'\"<script>alert(1)</script><img src=x onerror=alert(2)>&amp; & {{ 7*7 }} {% raw %} *b* [l](x) "
           "{: onclick=alert(4) }")
"""Quotes of both kinds, a script, an event handler, an entity and a bare `&`, Jinja syntax,
Markdown emphasis and link syntax, and an attribute list that would add an event handler."""
UI_PAYLOAD = "Q'\"<script>alert(1)</script><img src=x onerror=alert(2)>&amp; & *b* [l](x)"
"""The same, for interface strings, whose `{name}` placeholders are format fields (no other braces)."""
SOURCE_URL = 'https://example.org/a?b="><script>alert(5)</script>&c=1'
"""A web address (allowed) with a quote and a tag in it."""
HOTLINE = "1800 1567"
LANGS = ("vi", "en", "hmn")


def q(text: str) -> str:
    """A YAML scalar holding exactly `text` (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def each(text: str) -> str:
    """A text field with `text` in every language."""
    return "{" + ", ".join(f"{lang}: {q(text + ' ' + lang)}" for lang in LANGS) + "}"


def in_lang(lang: str) -> str:
    """The payload as the site shows it in `lang`."""
    return f"{PAYLOAD} {lang}"


SETTINGS = f"""\
site_name: Loa test
copyright: {q(PAYLOAD)}
theme:
  name: material
  font: false
markdown_extensions:
  - toc:
      permalink: true
extra:
  loa:
    default_language: vi
    site_url: https://example.org/
    site_name: {each(PAYLOAD)}
    description: {each(PAYLOAD)}
    languages:
      vi: {{name: {q(PAYLOAD + " vi")}}}
      en: {{name: {q(PAYLOAD + " en")}}}
      hmn: {{name: {q(PAYLOAD + " hmn")}, fallback: [vi, en]}}
    hotline:
      number: "{HOTLINE}"
      name: {each(PAYLOAD)}
"""

CAMPAIGN = f"""\
title: {each(PAYLOAD)}
summary: {each(PAYLOAD)}
status: published
period: {{start: 2026-11-15, end: 2027-08-31}}
topics: [drowning-prevention]
audiences: [families]
key_messages:
  - {each(PAYLOAD)}
materials: [drowning/ten-actions, drowning/checklist]
events:
  - {{date: 2027-07-25, title: {each(PAYLOAD)}, place: {each(PAYLOAD)}}}
image: {{src: images/pool.svg, alt: {each(PAYLOAD)}}}
"""


def material(lang: str, doc_type: str = "fact-sheet") -> str:
    text = in_lang(lang)
    return f"""\
---
title: {q(text)}
summary: {q(text)}
type: {doc_type}
topics: [drowning-prevention]
audiences: [families]
ages: 6-10
sources:
  - {{title: {q(text)}, publisher: {q(text)}, year: 2017, url: {q(SOURCE_URL)}}}
reviewed: 2026-11-01
---

## Heading

Text. See [the checklist](checklist.md). MkDocs runs no template on a page: {{{{ 7*7 }}}} {{% raw %}} stay as typed.
"""


def hub(lang: str) -> str:
    return f"---\ntitle: {q(in_lang(lang))}\nsummary: {q(in_lang(lang))}\n---\n\nIntro.\n"


def ui_strings(theme: Path) -> None:
    """Append the payload to every interface string of the copied theme, placeholders kept."""
    for path in sorted((theme / "strings").glob("*.yml")):
        table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        hostile = {key: f"{value} {UI_PAYLOAD}" for key, value in table.items() if key != "date.months"}
        if "date.months" in table:  # twelve names, comma-separated: the payload goes into each
            hostile["date.months"] = ", ".join(f"{m.strip()} {UI_PAYLOAD.replace(',', ' ')}"
                                               for m in table["date.months"].split(","))
        path.write_text(yaml.safe_dump(hostile, allow_unicode=True), encoding="utf-8")


def write_hostile_site(root: Path) -> Path:
    files = {
        "mkdocs.yml": SETTINGS,
        "campaigns/safe-summer.yml": CAMPAIGN,
        "content/vi/images/pool.svg": POOL_SVG,
        "content/vi/index.md": hub("vi"),
        "content/en/index.md": hub("en"),
        "content/vi/hotline.md": f"---\ntitle: {q(in_lang('vi'))}\ntype: page\n---\n\nGọi.\n",
    }
    for lang in ("vi", "en"):  # hmn has no page of its own: every page there is a fallback copy
        files[f"content/{lang}/drowning/ten-actions.md"] = material(lang)
        files[f"content/{lang}/drowning/checklist.md"] = material(lang, "checklist")
        files[f"content/{lang}/topics/drowning-prevention.md"] = hub(lang)
        files[f"content/{lang}/audiences/families.md"] = hub(lang)
    write_tree(root, files)
    ui_strings(root / "theme")
    return root
