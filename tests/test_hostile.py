"""Nothing an officer types can break a page: a hostile string in every text field of every file kind.

The site of tests/hostile.py is built with the real MkDocs, then every page is parsed as a browser
parses it (html5lib): the payload must create no element and no attribute, and must be there, as text,
wherever the field is shown. URLs with a script scheme are refused with file and line.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import html5lib
import pytest
from hostile import HOTLINE, LANGS, PAYLOAD, SOURCE_URL, UI_PAYLOAD, in_lang, write_hostile_site

from conftest import TINY_SITE, TODAY, BuildSite, problems, write_tree
from loa.pipeline import Options

LOA_SCRIPTS = ("assets/javascripts/loa.js", "assets/javascripts/loa-search.js", "assets/javascripts/palette.js",
               "assets/javascripts/md.js", "assets/javascripts/loa-toolkit.js", "assets/javascripts/loa-offline.js",
               "loa-root.js")
"""Loa's own scripts, by the end of their address: the only <script> elements a page may have."""
TEXTS = tuple(in_lang(lang) for lang in LANGS)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from loa.pipeline import build

    root = write_hostile_site(tmp_path_factory.mktemp("hostile") / "project")
    build(Options(root=root, out=root / "site", today=TODAY, jobs=1))
    return root / "site"


def parse(path: Path) -> ET.Element:
    tree: ET.Element = html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    return tree


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def strings(root: ET.Element) -> Iterator[tuple[str, str]]:
    """(where, text) for every text node and attribute value of a page."""
    for element in root.iter():
        if element.text:
            yield f"<{element.tag}> text", element.text
        if element.tail:
            yield f"after </{element.tag}>", element.tail
        for name, value in element.attrib.items():
            if name == "data-strings":  # interface strings for the search script, as JSON
                for key, text in json.loads(value).items():
                    yield f"<{element.tag} data-strings.{key}>", text
            else:
                yield f"<{element.tag} {name}>", value


def problems_of(page: str, root: ET.Element) -> list[str]:
    """What the payload did to a page: elements, attributes, evaluated or mangled text."""
    found = []
    for element in root.iter():
        for name in element.attrib:
            if name.lower().startswith("on"):
                found.append(f"{page}: <{element.tag} {name}=...> (an event handler)")
        if element.tag == "script" and not element.get("src", "").endswith(LOA_SCRIPTS):
            found.append(f"{page}: <script src={element.get('src')!r}> {(element.text or '')[:60]!r}")
    for where, text in strings(root):
        if "alert(" in text and not any(p in text for p in (PAYLOAD, UI_PAYLOAD)) and unquote(text) != SOURCE_URL:
            found.append(f"{page}: {where}: the payload is not there as text: {text.strip()[:160]!r}")
        if re.search(r"(?<![0-9])49(?![0-9])", str(text)):  # `{{ 7*7 }}` evaluated (not a size such as 649 B)
            found.append(f"{page}: {where}: a template evaluated the payload: {text.strip()[:160]!r}")
        if "&amp;amp;" in text or "&#" in text or "&lt;" in text:
            found.append(f"{page}: {where}: escaped twice: {text.strip()[:160]!r}")
    return found


def pages_of(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_payload_creates_nothing_and_shows_as_text(hostile_site: Path) -> None:
    pages = pages_of(hostile_site)
    assert len(pages) > 30
    found = []
    for path in pages:
        found += problems_of(path.relative_to(hostile_site).as_posix(), parse(path))
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:60])


def test_every_text_field_is_there_as_text(hostile_site: Path) -> None:
    """Title, description, headings, switcher, hotline and sources show the officer's text exactly."""
    wrong = []
    for path in pages_of(hostile_site):
        page = path.relative_to(hostile_site).as_posix()
        root = parse(path)
        title = root.find(".//title")
        assert title is not None
        if not any(title.text and title.text.endswith(text) for text in TEXTS):  # ... - site name
            wrong.append(f"{page}: <title> {title.text!r}")
        for meta in root.iter("meta"):
            if meta.get("name") == "description" and meta.get("content") not in TEXTS:
                wrong.append(f"{page}: description {meta.get('content')!r}")
        for h1 in root.iter("h1"):  # a title is text: no element in it (the root chooser's has a span a language)
            text = text_of(h1).strip()
            if not (text in TEXTS or text.endswith(UI_PAYLOAD)) and page not in ("index.html", "404.html"):
                wrong.append(f"{page}: <h1> {text!r}")
            if any(child.tag != "span" or set(child.attrib) != {"lang"} for child in h1):
                wrong.append(f"{page}: <h1> holds elements {[child.tag for child in h1]}")
        for a in root.iter("a"):
            classes = a.get("class", "").split()
            if "md-select__link" in classes and (a.text or "").strip() != in_lang(a.get("hreflang", "")):
                wrong.append(f"{page}: switcher item {a.text!r}")
            if "loa-tel" in classes and (a.get("href") != f"tel:{HOTLINE.replace(' ', '')}"
                                         or HOTLINE not in text_of(a)):
                wrong.append(f"{page}: hotline link {a.get('href')!r} {text_of(a)!r}")
            if unquote(a.get("href", "")) == SOURCE_URL and text_of(a) not in TEXTS:
                wrong.append(f"{page}: source link text {text_of(a)!r}")
        for img in root.iter("img"):
            if "pool" in img.get("src", "") and img.get("alt") not in TEXTS:
                wrong.append(f"{page}: image alt {img.get('alt')!r}")
        for p in root.iter("p"):
            if "loa-footer__copyright" in p.get("class", "") and (len(p) or text_of(p) != PAYLOAD):
                wrong.append(f"{page}: copyright {text_of(p)!r}")
    assert not wrong, f"{len(wrong)} fields not shown as their text:\n" + "\n".join(wrong[:60])


def test_pages_show_the_payload_where_expected(hostile_site: Path) -> None:
    """Spot checks that the fields above really are on the pages (the loops could match nothing)."""
    material = parse(hostile_site / "en" / "drowning" / "ten-actions" / "index.html")
    assert [text_of(h1).strip() for h1 in material.iter("h1")] == [in_lang("en")]
    assert "{{ 7*7 }} {% raw %} stay as typed" in text_of(material)
    sources = [a for a in material.iter("a") if unquote(a.get("href", "")) == SOURCE_URL]
    assert [text_of(a) for a in sources] == [in_lang("en")]
    campaign = parse(hostile_site / "vi" / "campaigns" / "safe-summer" / "index.html")
    texts = [text_of(e).strip() for e in campaign.iter("li")]
    assert in_lang("vi") in texts  # a key message
    # an event in the agenda: its title, then its place
    what = [e for e in campaign.iter("span") if e.get("class") == "loa-agenda__what"]
    assert [text_of(e) for e in what] == [in_lang("vi") * 2]
    assert [text_of(e) for e in what[0].iter("span") if e.get("class") == "loa-agenda__place"] == [in_lang("vi")]
    assert [img.get("alt") for img in campaign.iter("img")] == [in_lang("vi")]
    fallback = parse(hostile_site / "hmn" / "drowning" / "ten-actions" / "index.html")
    switcher = [(a.text or "").strip() for a in fallback.iter("a") if "md-select__link" in a.get("class", "")]
    assert switcher == list(TEXTS)
    for root_page in ("index.html", "404.html"):
        tree = parse(hostile_site / root_page)
        assert [title.text for title in tree.iter("title")] == [in_lang("vi")]
        assert [text_of(a) for a in tree.iter("a") if a.get("hreflang")] == list(TEXTS)
    sitemap = ET.parse(hostile_site / "sitemap.xml")  # well-formed XML
    assert sitemap.getroot().tag.endswith("urlset")


def test_tiny_site_payload_reaches_the_home_list(hostile_site: Path) -> None:
    """The lists Loa writes as HTML (hubs, home): titles once escaped, never twice."""
    home = parse(hostile_site / "vi" / "index.html")
    links = [text_of(a) for a in home.iter("a") if (a.get("href") or "").startswith("campaigns/safe-summer")]
    assert in_lang("vi") in links


# -- URLs that run code -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
                                 "vbscript:msgbox(1)", " javascript:alert(1)"])
def test_a_source_url_that_runs_code_is_an_error(tmp_path: Path, url: str) -> None:
    material = TINY_SITE["content/en/drowning/ten-actions.md"].replace(
        "{title: Preventing drowning, publisher: WHO, year: 2017}",
        f"{{title: Preventing drowning, publisher: WHO, year: 2017, url: {json.dumps(url)}}}")
    found = problems(tmp_path, {"content/en/drowning/ten-actions.md": material})
    assert len(found) == 1, found
    assert found[0].startswith("content/en/drowning/ten-actions.md:8:")
    assert "sources[0].url" in found[0] and "error" in found[0]


@pytest.mark.parametrize("link", ["[click](javascript:alert(1))", "[click](JAVASCRIPT:alert(1) 'title')",
                                  "![x](data:image/svg+xml;base64,PHN2Zz4=)", "[x](vbscript:msgbox)",
                                  "[x][ref]\n\n[ref]: javascript:alert(1)", "[x](&#106;avascript:alert(1))",
                                  "[x](<javascript:alert(1)>)", '<a href=" javascript:alert(1)">x</a>'])
def test_a_markdown_link_that_runs_code_is_an_error(tmp_path: Path, link: str) -> None:
    material = TINY_SITE["content/en/drowning/ten-actions.md"] + f"\nSee {link} here.\n"
    found = problems(tmp_path, {"content/en/drowning/ten-actions.md": material})
    line = material.split("\n").index(f"See {link} here.".split("\n")[0]) + 1 + (2 if "[ref]:" in link else 0)
    assert len(found) == 1, found
    assert found[0].startswith(f"content/en/drowning/ten-actions.md:{line}:")
    assert "runs code in the reader's browser" in found[0], found


def test_a_safe_link_is_no_error(tmp_path: Path, build_site: BuildSite) -> None:
    material = TINY_SITE["content/en/drowning/ten-actions.md"] + (
        "\nSee [who](https://www.who.int/), [mail](mailto:a@b.org), [call](tel:111), `[x](javascript:1)`.\n\n"
        "```md\n[y](javascript:alert(1))\n```\n")
    files = dict(TINY_SITE)
    files["content/en/drowning/ten-actions.md"] = material
    root = write_tree(tmp_path / "project", files)
    build_site(root)


def test_aligned_table_columns_need_no_inline_style(tmp_path: Path, build_site: BuildSite) -> None:
    """Python-Markdown aligns a column with a style attribute, which the Content-Security-Policy refuses."""
    files = dict(TINY_SITE)
    files["content/en/drowning/ten-actions.md"] += "\n| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n"
    root = write_tree(tmp_path / "project", files)
    build_site(root)
    page = (root / "site" / "en" / "drowning" / "ten-actions" / "index.html").read_text(encoding="utf-8")
    assert 'class="loa-align-right"' in page and 'class="loa-align-center"' in page
    assert "style=" not in page


# -- the escaping functions themselves -------------------------------------------------------------------

TRICKY = [PAYLOAD, UI_PAYLOAD, "1. first", "- dash", "+ plus", "# hash #", "## T {: onclick=x }", "`code`", "\\",
          "back\\slash \\*", "<!-- c -->", "&copy; &#34; &", "a | b", "**bold** __b__ _i_", "![i](x.png)",
          "<https://x.org>", "{#id .class}", "[^1]", "==mark== ~~del~~", "C:\\path\\", "'single' \"double\""]


@pytest.mark.parametrize("text", TRICKY)
def test_escaped_text_in_generated_markdown_is_the_text(text: str) -> None:
    """`pages.escape` in a heading, a list item and a link: Python-Markdown gives back exactly the text."""
    import markdown

    from loa.plan.pages import escape

    html = markdown.markdown(f"## {escape(text)}\n\n- {escape(text)}\n\n[{escape(text)}](x.md)\n",
                             extensions=["attr_list", "toc", "tables", "admonition", "md_in_html"])
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    shown = [text_of(e) for e in tree.iter() if e.tag in ("h2", "li", "a")]
    assert shown == [text.strip()] * 3, html
    assert {name for e in tree.iter() for name in e.attrib} <= {"id", "href"}, html


def test_ui_strings_escape_their_values_unless_markup() -> None:
    from markupsafe import Markup

    from loa.i18n.strings import UIStrings

    ui = UIStrings("en", {"k": 'Call "{number}" <now>'}, {"k": "vi"})
    assert ui.html("k", number="<b>") == '<span lang="vi">Call &#34;&lt;b&gt;&#34; &lt;now&gt;</span>'
    assert ui.html("k", number=Markup("<b>1</b>")) == '<span lang="vi">Call &#34;<b>1</b>&#34; &lt;now&gt;</span>'
    assert isinstance(ui.html("k", number=1), Markup)
