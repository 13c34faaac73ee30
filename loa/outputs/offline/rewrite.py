"""A rendered page made to work from a folder (`file://`), for the offline copy (loa/outputs/offline/).

Browsers show a folder, not its `index.html`, for a directory link opened from a file: every link to a
page of the language becomes a link to its `…/index.html`, relative to the page. The copy holds one
language: links to the other languages and to the site's root have nowhere to go, so a menu item
made of such a link is left out and any other such link becomes its text. The head's absolute
addresses (canonical, alternates, Open Graph) are left out: the one address of the site in a page of
the copy is the "latest version online" link of its note, with the day the copy was made.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup

from loa.plan.site import PlannedPage

ATTRIBUTE = re.compile(r'(\s(?:href|src|action)=")([^"]*)(")')
ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
ITEM = re.compile(r"<li\b[^>]*>\s*(<a\b[^>]*>[^<]*(?:<(?!/a>)[^<]*)*</a>)\s*</li>")
"""A list item that is one link. The link ends at its first `</a>`: a lazy `.*?</a>\\s*</li>` ran on past it,
through a whole nested list, from every item of a menu (0.65 s a hub page at 1,000 materials, issue #14)."""
HEAD_TAG = re.compile(r"<(?:link|meta)\b[^>]*>")
HREF = re.compile(r'\shref="([^"]*)"')
CONTENT = re.compile(r'\scontent="([^"]*)"')
LINK_BLOCK = re.compile(r"<!--loa:offline-->.*?<!--/loa:offline-->", re.S)
BODY_END = re.compile(r"<!--/loa:body-->(\s*</div>)?")
PRINT_SIZE = re.compile(r'(<a href="([^"]*)"[^>]*\sdata-loa-pdf[\s>][^<]*(?:<(?!/a>)[^<]*)*</a>'
                        r'(?:<span class="loa-print-link__format">[^<]*)?<span class="loa-print-link__size">)(</span>)')
"""A print link and the empty place for its PDF's size (theme/main.html), which the page's script fills by
asking the server: a copy opened from a folder has no server to ask, so the copy writes it there."""
KEPT_SCHEMES = ("tel:", "mailto:", "sms:", "data:")
OUTSIDE = None


@dataclass(frozen=True)
class Place:
    """Where the page being rewritten is, and what the copy holds."""

    lang: str
    site_url: str
    """The site's address (`https://example.org/tre-em/`), or ''."""
    page_url: str
    """The page's path in the site (`/vi/drowning/ten-actions/`)."""

    @property
    def folder(self) -> str:
        return f"/{self.lang}/"

    def file(self, path: str) -> str | None:
        """The path in the copy of a site path (`/vi/a/` -> `a/index.html`), or None outside the language."""
        if not (path + "/").startswith(self.folder):
            return None
        inside = path[len(self.folder):]
        return inside + "index.html" if inside == "" or inside.endswith("/") else inside

    def site_path(self, url: str) -> str | None:
        """The site path a link of the page goes to, or None for another host's address or another scheme."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            base = urlsplit(self.site_url) if self.site_url else None
            if base is None or (parts.scheme, parts.netloc) != (base.scheme, base.netloc) \
                    or not (parts.path + "/").startswith(base.path.rstrip("/") + "/"):
                return None
            path = "/" + parts.path[len(base.path.rstrip("/")):].lstrip("/")
        else:
            start = self.page_url if self.page_url.endswith("/") else posixpath.dirname(self.page_url) + "/"
            path = posixpath.normpath(posixpath.join(start, parts.path)) if parts.path else self.page_url
        trailing = parts.path.endswith("/") or parts.path in ("", ".", "..") or parts.path.endswith(("/.", "/.."))
        return path.rstrip("/") + "/" if trailing or path == "/" else path

    def link(self, url: str) -> str | None:
        """The link to write in the copy: relative, to a file; `url` as it is for a link that leaves the
        site or stays in the page; None for a link to the site outside the language."""
        if url.startswith("#") or url.lower().startswith(KEPT_SCHEMES) or url == "":
            return url
        path = self.site_path(url)
        if path is None:
            return url
        file = self.file(path)
        if file is None:
            return OUTSIDE
        here = self.file(self.page_url) or "index.html"
        relative = posixpath.relpath(file, posixpath.dirname(here) or ".")
        fragment = urlsplit(url).fragment
        return relative + (f"#{fragment}" if fragment else "")


def rewrite(text: str, place: Place, note: Markup) -> str:
    """The page as the copy holds it: links to files, nothing outside the language, `note` after the body."""
    text = LINK_BLOCK.sub("", text)  # the link to the copy itself
    text = HEAD_TAG.sub(lambda m: _head_tag(m.group(0), place), text)
    text = ITEM.sub(lambda m: "" if _goes_outside(m.group(1), place) else m.group(0), text)
    text = ANCHOR.sub(lambda m: m.group(2) if _goes_outside(m.group(0), place) else m.group(0), text)
    text = ATTRIBUTE.sub(lambda m: m.group(1) + html.escape(place.link(html.unescape(m.group(2))) or "", quote=True)
                         + m.group(3), text)
    return BODY_END.sub(lambda m: m.group(0) + str(note), text, count=1)


def print_sizes(text: str, name: str, size: Callable[[str], str | None]) -> str:
    """A rewritten page (at `name` in the copy) with the sizes of the PDFs it links to written in: `size` gives
    the label of a file of the copy ("84 KB", as the page's script writes it), or None (not in the copy)."""
    def fill(match: re.Match[str]) -> str:
        url = html.unescape(match.group(2))
        label = size(posixpath.normpath(posixpath.join(posixpath.dirname(name), urlsplit(url).path))) \
            if url and not urlsplit(url).scheme else None
        return f"{match.group(1)}, {html.escape(label)}{match.group(3)}" if label else match.group(0)
    return PRINT_SIZE.sub(fill, text)


def _goes_outside(tag: str, place: Place) -> bool:
    found = HREF.search(tag[:tag.index(">") + 1])
    return found is not None and place.link(html.unescape(found.group(1))) is OUTSIDE


def _head_tag(tag: str, place: Place) -> str:
    """A `<link>` or `<meta>` of the head, or '' for one that gives an address of the site (canonical,
    alternates, Open Graph's page and image)."""
    content = CONTENT.search(tag)
    if content and place.site_url and html.unescape(content.group(1)).startswith(place.site_url):
        return ""
    href = HREF.search(tag)
    if href is None:
        return tag
    address = html.unescape(href.group(1))
    if (place.site_url and address.startswith(place.site_url)) or place.link(address) is OUTSIDE:
        return ""
    return tag


LINKED = re.compile(r'\s(?:href|src|srcset)="([^"]*)"')


def linked_files(text: str, name: str) -> set[str]:
    """The paths in the copy of the files a rewritten page (at `name` in the copy) links to, `srcset` too."""
    found = set()
    for value in LINKED.findall(text):
        for candidate in html.unescape(value).split(","):
            url = candidate.strip().split(" ")[0]
            if url and not urlsplit(url).scheme and not url.startswith(("#", "/")):
                path = posixpath.normpath(posixpath.join(posixpath.dirname(name), urlsplit(url).path))
                if not path.startswith("../") and path != "..":
                    found.add(path)
    return found


def page_file(lang: str, page: PlannedPage) -> str:
    """The page's path in the copy (`drowning/ten-actions/index.html`)."""
    inside = page.url.removeprefix(f"/{lang}/")
    return f"{inside}index.html" if inside == "" or inside.endswith("/") else inside
