"""The root of the site: the language chooser (`index.html`), the root 404, their script and styles."""

from __future__ import annotations

import shutil
from typing import Any

import jinja2

from loa.i18n.strings import resolve
from loa.outputs.base import Reads, Scope, Target, Written, digest
from loa.plan.pages import tel
from loa.render.view import CSP, site_path

ROOT_SCRIPT = "loa-root.js"
ROOT_STYLESHEET = "loa-root.css"
"""The root pages' script and styles, as files beside them: their Content-Security-Policy allows nothing inline."""
SOURCES = (("root.html", None), ("root.js", ROOT_SCRIPT), ("root.css", ROOT_STYLESHEET))
"""The files of `theme/loa/` the root is made from, and the name of those copied as they are."""


def _values(target: Target) -> dict[str, Any]:
    """What the template shows: the languages built, in the site's order, the default's texts."""
    site, plan = target.site, target.plan
    settings = site.settings
    codes = [lp.lang for lp in plan.languages]
    languages = [lang for lang in settings.languages if lang.code in codes]
    default = settings.language(settings.default_language) if settings.default_language in codes else languages[0]
    chooser = {lang.code: resolve(site.strings, lang.chain)("chooser.title") for lang in languages}
    return {
        "languages": languages, "default": default, "codes": [lang.code for lang in languages], "chooser": chooser,
        "csp": CSP, "script": ROOT_SCRIPT, "stylesheet": ROOT_STYLESHEET,
        "title": settings.site_name.get(default.chain),
        # search engines show it under the title (the pages have theirs from mkdocs.yml, loa/render/config.py)
        "description": settings.description.get(default.chain) if settings.description else "",
        "hotline_number": settings.hotline.number, "hotline_name": settings.hotline.name.get(default.chain),
        "tel": tel(settings.hotline.number),
    }


class Root:
    name = "root"
    scope: Scope = "site"
    reads: Reads = "plan"

    def digest(self, target: Target, previous: str | None) -> str:
        theme = target.site.root / "theme" / "loa"
        return digest([repr(sorted(_values(target).items())), target.plan.site_url,
                       *((theme / source).read_bytes().hex() for source, _name in SOURCES)])

    def write(self, target: Target) -> Written:
        site, plan, out = target.site, target.plan, target.out
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(site.root / "theme" / "loa"), autoescape=True,
                                 keep_trailing_newline=True)
        template = env.get_template("root.html")
        values = {**_values(target),
                  "absolute": lambda code: f"{plan.site_url}{code}/" if plan.site_url else f"{code}/"}
        (out / "index.html").write_text(template.render(redirect=True, prefix="", **values), encoding="utf-8")
        # Hosts serve /404.html at any depth, so its links are paths from the host's root (under the
        # site's own path, from site_url) and it never redirects.
        (out / "404.html").write_text(template.render(redirect=False, prefix=site_path(plan.site_url) + "/", **values),
                                      encoding="utf-8")
        for source, name in SOURCES:
            if name is not None:
                shutil.copyfile(site.root / "theme" / "loa" / source, out / name)
        return Written(("index.html", "404.html", ROOT_SCRIPT, ROOT_STYLESHEET))
