"""Loa's copy of Material's main stylesheet (loa/render/css.py): without the parts no page of Loa's shows.

Material's stylesheet blocks the first paint (bench/lighthouse.py); the rules of the parts that only
Material's JavaScript bundle (not loaded), or a plugin Loa never enables, can put on a page are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2

from conftest import REPO, BuildSite
from loa.render.config import material_stylesheets
from loa.render.css import MARKDOWN_PARTS, UNUSED_COMPONENTS, without_components
from loa.render.plugin import MATERIAL

PUBLISHED = re.compile(r'<link rel="stylesheet" href="(assets/stylesheets/main\.[0-9a-f]{8}\.min\.css)">')


def test_selectors_that_need_an_unused_class_are_dropped_and_nothing_else() -> None:
    css = ('.md-search__form,.md-header{color:red}.md-search{top:0}'
           '@media screen and (max-width:76.234375em){.md-tooltip2--bottom{top:0}.md-nav .md-search-result{x:1}}'
           '@media print{.md-tooltip,.md-nav{display:none}}'
           '.md-typeset :not(.md-search)>p{margin:0}.md-searchable{a:b}.md-tag-icon:before{c:d}')
    assert without_components(css, ("md-search", "md-tooltip", "md-tooltip2", "md-tag")) == (
        '.md-header{color:red}@media print{.md-nav{display:none}}'
        '.md-typeset :not(.md-search)>p{margin:0}.md-searchable{a:b}')


def test_without_components_keeps_a_stylesheet_it_cuts_nothing_from_to_the_byte() -> None:
    for kind in ("main", "palette"):
        source = (MATERIAL / "templates" / material_stylesheets()[kind]).read_text(encoding="utf-8")
        assert without_components(source, ()) == source


def test_the_cut_stylesheet_reads_as_css_with_the_rules_it_kept() -> None:
    """Read by a CSS parser (tinycss2, WeasyPrint's), the copy has no parse error, and each of its rules
    is one of Material's, with a selector list that lost only selectors needing a dropped class."""
    source = (MATERIAL / "templates" / material_stylesheets()["main"]).read_text(encoding="utf-8")
    cut = without_components(source, UNUSED_COMPONENTS)

    def rules(css: str) -> list[tuple[str, str]]:
        found = []
        for rule in tinycss2.parse_stylesheet(css):
            assert rule.type != "error", rule
            if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
                found += [(tinycss2.serialize(rule.prelude), tinycss2.serialize(inner.content))
                          for inner in tinycss2.parse_rule_list(rule.content) if inner.type == "qualified-rule"]
            elif rule.type == "qualified-rule":
                found.append(("", tinycss2.serialize(rule.content)))
        return found

    kept, original = rules(cut), rules(source)
    assert set(kept) <= set(original) and 0.7 * len(original) < len(kept) < len(original)


def test_pages_link_loas_copy_of_materials_stylesheet_and_only_it_is_published(
        tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    site = tiny_site / "site" / "vi"
    found = PUBLISHED.findall((site / "index.html").read_text(encoding="utf-8"))
    assert len(found) == 1
    published = (site / found[0]).read_text(encoding="utf-8")
    original = (MATERIAL / "templates" / material_stylesheets()["main"]).read_text(encoding="utf-8")
    assert not (site / material_stylesheets()["main"]).exists()
    assert not (site / (material_stylesheets()["main"] + ".map")).exists()
    assert (site / (material_stylesheets()["palette"] + ".map")).exists()
    assert len(published) < 0.8 * len(original)
    for kept in (".md-header", ".md-nav__link", ".md-typeset .admonition", "[data-md-color-scheme=default]",
                 ".md-typeset .task-list-indicator", ".md-source", ".md-tabs", ".md-typeset .grid"):
        assert kept in published, kept
    for gone in (".md-search", ".md-tooltip", ".md-annotation", ".md-clipboard", ".tabbed-set", ".keys"):
        assert gone in original and gone not in published, gone


def test_an_enabled_extension_keeps_its_rules_under_another_name(tiny_site: Path, build_site: BuildSite) -> None:
    settings = tiny_site / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "markdown_extensions:\n", "markdown_extensions:\n  - pymdownx.tabbed\n"), encoding="utf-8")
    build_site(tiny_site)
    site = tiny_site / "site" / "vi"
    found = PUBLISHED.findall((site / "index.html").read_text(encoding="utf-8"))
    published = (site / found[0]).read_text(encoding="utf-8")
    assert ".tabbed-set" in published and ".keys" not in published and ".md-search" not in published


def test_no_page_and_no_theme_file_uses_a_dropped_class(tiny_site: Path, build_site: BuildSite) -> None:
    """What the copy leaves out must be what no page can show: no template or script of theme/ (every
    branch of them), and no page of a built site (home, campaign, material, topic, search, 404) names a
    class of a dropped part."""
    build_site(tiny_site)
    dropped = UNUSED_COMPONENTS + tuple(part for parts in MARKDOWN_PARTS.values() for part in parts)
    name = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, dropped)) + r")(?:__|--|-|(?![\w-]))")
    files = [path for path in [*(REPO / "theme").rglob("*"), *(tiny_site / "site").rglob("*")]
             if path.suffix in (".html", ".js")]
    assert len(files) > 30
    used = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        # in HTML, the classes of elements; in a script, its strings (a class it adds, a selector it queries)
        places = re.findall(r'class="([^"]*)"', text) if path.suffix == ".html" \
            else re.findall(r"\"[^\"\n]*\"|'[^'\n]*'|`[^`]*`", text)
        used += [f"{path}: {found}" for place in places for found in name.findall(place)]
    assert not used
    assert name.findall('<div class="md-search__inner md-header">') == ["md-search__"]
