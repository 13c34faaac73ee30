"""Site-wide outputs: the root language chooser, sitemap with hreflang, robots.txt, root 404."""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import jinja2

from .model import Site
from .pages import tel
from .plan import SitePlan
from .strings import resolve
from .view import CSP, site_path

ROOT_SCRIPT = "loa-root.js"
ROOT_STYLESHEET = "loa-root.css"
"""The root pages' script and styles, as files beside them: their Content-Security-Policy allows nothing inline."""


def write_site_outputs(site: Site, plan: SitePlan, out: Path) -> list[str]:
    """Write root files into `out`; returns the names written."""
    written = [*_root_chooser(site, plan, out)]
    if plan.site_url:
        (out / "sitemap.xml").write_text(sitemap(plan), encoding="utf-8")
        written.append("sitemap.xml")
    (out / "robots.txt").write_text(robots(plan.site_url), encoding="utf-8")
    written.append("robots.txt")
    return written


def _root_chooser(site: Site, plan: SitePlan, out: Path) -> list[str]:
    settings = site.settings
    codes = [lp.lang for lp in plan.languages]
    languages = [lang for lang in settings.languages if lang.code in codes]
    default = settings.language(settings.default_language) if settings.default_language in codes else languages[0]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(site.root / "theme" / "loa"), autoescape=True,
                             keep_trailing_newline=True)
    chooser = {lang.code: resolve(site.strings, lang.chain)("chooser.title") for lang in languages}
    template = env.get_template("root.html")
    values = {
        "languages": languages, "default": default, "codes": [lang.code for lang in languages], "chooser": chooser,
        "csp": CSP, "script": ROOT_SCRIPT, "stylesheet": ROOT_STYLESHEET,
        "title": settings.site_name.get(default.chain),
        "absolute": lambda code: f"{plan.site_url}{code}/" if plan.site_url else f"{code}/",
        "hotline_number": settings.hotline.number, "hotline_name": settings.hotline.name.get(default.chain),
        "tel": tel(settings.hotline.number),
    }
    (out / "index.html").write_text(template.render(redirect=True, prefix="", **values), encoding="utf-8")
    # Hosts serve /404.html at any depth, so its links are paths from the host's root (under the
    # site's own path, from site_url) and it never redirects.
    (out / "404.html").write_text(template.render(redirect=False, prefix=site_path(plan.site_url) + "/", **values),
                                  encoding="utf-8")
    for name, source in ((ROOT_SCRIPT, "root.js"), (ROOT_STYLESHEET, "root.css")):
        shutil.copyfile(site.root / "theme" / "loa" / source, out / name)
    return ["index.html", ROOT_SCRIPT, ROOT_STYLESHEET]


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
