"""Raw HTML in a page's Markdown that would run a script, embed another site or load anything
from another host ("nothing leaves the site"), and inline CSS, which the published pages'
Content-Security-Policy drops. Part of the content lint (loa/check/lint.py).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from markdown.extensions.attr_list import get_attrs  # type: ignore[import-untyped]
from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE  # type: ignore[import-untyped]

from loa.errors import Position, Report
from loa.messages import N_, _
from loa.model import Translation

PUT_IN_CONTENT = N_("![what it shows](../images/name.png)")
LINK_INSTEAD = N_("link to the video or page instead: [its title](https://...)")
FILE_INSTEAD = N_("link to the file instead, or put it in content/ and link to it")
EMBEDS = {
    # Elements that put another site, or a plug-in, inside the page.
    "iframe": LINK_INSTEAD, "frame": LINK_INSTEAD, "object": FILE_INSTEAD, "embed": FILE_INSTEAD,
    "applet": FILE_INSTEAD,
}
RESOURCES = {
    # Attributes whose URLs the browser fetches by itself, and what to do instead.
    "img": (("src", "srcset"), N_("put the image in content/ and use a relative path")),
    "source": (("src", "srcset"), N_("link to the video instead, or put the file in content/")),
    "video": (("src", "poster"), N_("link to the video instead, or put the file in content/")),
    "audio": (("src",), N_("link to the recording instead, or put the file in content/")),
    "track": (("src",), N_("put the file in content/ and use a relative path")),
    "link": (("href",), N_("put the file in content/ and use a relative path")),
    "input": (("src",), N_("put the image in content/ and use a relative path")),
    "image": (("href", "xlink:href"), "put the image in content/ and use a relative path"),
}
CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""", re.IGNORECASE)
ATTR_LIST = re.compile(r"\{:?([^{}\n]*=[^{}\n]*)\}")
REFERENCE = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?([^\s>]+)")
REFERENCE_IMAGE = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?(?![(\[])")
AUTOLINK = re.compile(f"{AUTOLINK_RE}|{AUTOMAIL_RE}")
"""Python-Markdown's <https://...> and <name@host> links, which it reads before raw HTML."""
EVENT_HANDLER = re.compile(r"on[a-z]+")


def elsewhere(url: str) -> bool:
    """True for a URL that browsers fetch from another host (data: URLs are part of the page)."""
    url = url.strip().replace("\\", "/")
    parts = urlsplit(url)
    return url.startswith("//") or bool(parts.netloc) or parts.scheme.lower() not in ("", "data")


class _Tags(HTMLParser):
    """The start tags of raw HTML, with their position (1-based line, 0-based column)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[tuple[int, int], str, list[tuple[str, str | None]]]] = []
        self.styles: list[tuple[tuple[int, int], str]] = []
        """The text of each <style> element, with the position of its tag."""
        self._style: tuple[int, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((self.getpos(), tag, attrs))
        if tag == "style":
            self._style = self.getpos()
            self.styles.append((self._style, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = None

    def handle_data(self, data: str) -> None:
        if self._style is not None:  # the parser gives a <style>'s text in one piece (CDATA content)
            self.styles[-1] = (self._style, self.styles[-1][1] + data)


def check_html(translation: Translation, live: list[str], lines: list[str], code: frozenset[int],
                report: Report) -> None:
    """Raw HTML that runs a script, embeds another site or loads anything from another host."""
    def at(line: int, column: int) -> Position:
        return Position(translation.shown, translation.body_line + line, column + 1)

    if "<" in translation.body:
        parser = _Tags()
        parser.feed(AUTOLINK.sub(lambda m: " " * len(m.group(0)), "\n".join(live)))
        parser.close()
        for (row, column), tag, attrs in parser.tags:
            where = at(row - 1, column)
            if tag == "img" and not any(name == "alt" for name, _value in attrs):
                report.error(where, _("<img> without alt attribute"),
                             _('add alt="what it shows", or alt="" if it is decorative'))
            if tag == "script":
                report.error(where, _("<script> in the text would run on the page"),
                             _("remove it: pages run only Loa's own scripts; to show code, put it in a ``` block"))
            elif tag in EMBEDS:
                report.error(where, _("%(tag)s in the text would put another site or a plug-in inside the page",
                                      tag=f"<{tag}>"), _(EMBEDS[tag]))
            _check_attributes(tag, attrs, where, report, resources=tag not in EMBEDS)
        for (row, column), style in parser.styles:
            _check_css("<style>", style, at(row - 1, column), report)
    for index, line in enumerate(live):
        source = lines[index] if index in code and index - 1 not in code else line  # a block's opening fence
        if "{" in source:  # attribute lists (attr_list), also on a code block's opening fence
            for attr_list in ATTR_LIST.finditer(source):
                _check_attributes("", get_attrs(attr_list.group(1)), at(index, attr_list.start()), report)
    definitions = {m.group(1).strip().lower(): m.group(2) for line in live if (m := REFERENCE.match(line))}
    for index, line in enumerate(live):
        if "![" not in line or not definitions:
            continue
        for image in REFERENCE_IMAGE.finditer(line):
            url = definitions.get((image.group(2) or image.group(1)).strip().lower())
            if url is not None and elsewhere(url):
                report.error(at(index, image.start()), _("image '%(url)s' is loaded from another site", url=url),
                             _("put the image in content/ and use a relative path: %(example)s",
                               example=_(PUT_IN_CONTENT)))


def _check_attributes(tag: str, attrs: list[tuple[str, str | None]] | list[tuple[str, str]], where: Position,
                      report: Report, resources: bool = True) -> None:
    """Attributes of a raw HTML tag, or of an attribute list `{: ...}` (tag '')."""
    urls, hint = RESOURCES.get(tag, (("src", "srcset", "poster"),
                                     N_("put the file in content/ and use a relative path")))
    what = f"<{tag}>" if tag else _("an attribute list {: ...}")
    for name, value in attrs:
        name = name.lower()
        if EVENT_HANDLER.fullmatch(name):
            report.error(where, _("event-handler attribute %(name)s= in the text would run a script", name=name),
                         _("remove it"))
        elif name == "style" and value:
            _check_css(_("the style of %(what)s", what=what), value, where, report)
        elif name in urls and value and resources:
            for url in (part.split()[0] for part in value.split(",") if part.split()) if name == "srcset" else [value]:
                if elsewhere(url):
                    report.error(where, _("%(what)s loads '%(url)s' from another site", what=what, url=url), _(hint))
                    break


def _check_css(what: str, css: str, where: Position, report: Report) -> None:
    for match in CSS_URL.finditer(css):
        url = match.group(1) or match.group(2)
        if elsewhere(url):
            report.error(where, _("%(what)s loads '%(url)s' from another site", what=what, url=url),
                         _("put the image in content/ and use a relative path"))
            return
    # The published pages' Content-Security-Policy (loa/render/view.py, CSP) allows styles from the site's
    # files only: inline CSS is silently dropped by the browser, so say so here.
    report.warning(where, _("%(what)s has no effect: the site's Content-Security-Policy refuses inline styles",
                            what=what),
                   _("use Markdown (aligned table columns work), or add a class to theme/assets/stylesheets/loa.css"))
