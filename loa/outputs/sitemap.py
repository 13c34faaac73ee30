"""`sitemap.xml` with hreflang alternates (when the site has a `site_url`) and `robots.txt`."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from loa.outputs.base import Reads, Scope, Target, Written, digest
from loa.plan.site import SitePlan


class Sitemap:
    name = "sitemap"
    scope: Scope = "site"
    reads: Reads = "plan"

    def digest(self, target: Target, previous: str | None) -> str:
        # The texts are made from the plan in a few milliseconds: they are their own best digest.
        text = target.memo["texts"] = self._texts(target.plan)
        return digest(f"{name}\0{content}" for name, content in text.items())

    def write(self, target: Target) -> Written:
        texts = target.memo.get("texts") or self._texts(target.plan)
        assert isinstance(texts, dict)
        for name, content in texts.items():
            (target.out / name).write_text(content, encoding="utf-8")
        return Written(tuple(texts))

    @staticmethod
    def _texts(plan: SitePlan) -> dict[str, str]:
        texts = {"sitemap.xml": sitemap(plan)} if plan.site_url else {}
        return {**texts, "robots.txt": robots(plan.site_url)}


def sitemap(plan: SitePlan) -> str:
    """Every real page, with `xhtml:link` alternates for its real translations and x-default."""
    base = plan.site_url.rstrip("/")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for language in plan.languages:
        for page in language.pages:
            if page.is_fallback:
                continue
            lines.append(f"  <url><loc>{escape(base + page.url)}</loc>")
            real = [alt for alt in page.alternates if alt.real]
            for alt in real:
                lines.append(_alternate(alt.lang, base + alt.url))
            default = next((alt for alt in real if alt.lang == plan.default_language), None)
            if default is not None:
                lines.append(_alternate("x-default", base + default.url))
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _alternate(lang: str, href: str) -> str:
    return f'    <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(href)}/>'


def robots(site_url: str) -> str:
    text = "User-agent: *\nAllow: /\n"
    return text + (f"Sitemap: {site_url}sitemap.xml\n" if site_url else "")
