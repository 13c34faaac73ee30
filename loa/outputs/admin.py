"""`/admin/`: Decap CMS in the published site, saving to a Git host (README "Editing in the browser").

Off unless `mkdocs.yml` names a host (`extra.loa.cms.backend`, declared in loa/check/fields.py).
Then the site gets `admin/index.html`, `admin/config.yml` (loa/check/cms.py, with that host as the
backend) and Decap's vendored files (`vendor/decap-cms/`, the files its `SHA256SUMS` lists, so that
nothing is loaded from another host). The host itself commits what the officer saves; the next
build of the branch publishes it.

The page has a policy of its own (not the pages' `CSP` of loa/render/view.py): Decap compiles its
form schemas with `new Function` and styles with inline `<style>`, and talks to the host's API.
"""

from __future__ import annotations

import shutil
from html import escape
from typing import Any
from urllib.parse import urlsplit

import yaml

from loa.check.cms import DECAP as VENDOR
from loa.check.cms import cms_config
from loa.errors import LoaError
from loa.messages import _
from loa.model import Site
from loa.outputs.base import Reads, Scope, Target, Written, digest

FOLDER = "admin"
DEFAULT_HOSTS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}
"""Where Decap talks to when `base_url`/`api_root` do not say (decap-cms-backend-github and -gitlab)."""
PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<link href="config.yml" type="text/yaml" rel="cms-config-url">
<title>{title}</title>
</head>
<body>
<script src="decap-cms.js"></script>
</body>
</html>
"""


def backend(site: Site) -> dict[str, Any]:
    """Decap's `backend` for the configured host; GitLab and Gitea log in with PKCE when an app_id is given."""
    found: dict[str, Any] = dict(site.settings.cms_backend)
    if found.get("app_id") and found["name"] in ("gitlab", "gitea"):
        found["auth_type"] = "pkce"
    return found


def policy(found: dict[str, Any]) -> str:
    """The page's Content-Security-Policy: Decap's needs, and the host's API and login (`connect-src`)."""
    hosts = {f"{url.scheme}://{url.netloc}" for url in (
        urlsplit(found.get(key) or "") for key in ("base_url", "api_root")) if url.scheme and url.netloc}
    # GitHub's base_url is the OAuth server, not the API; a self-hosted GitLab's is the host itself
    if found["name"] in DEFAULT_HOSTS and not found.get("api_root") and (
            found["name"] == "github" or not found.get("base_url")):
        hosts.add(DEFAULT_HOSTS[found["name"]])
    extra = " ".join(sorted(hosts))
    return (f"default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' "
            f"'unsafe-inline'; img-src 'self' blob: data: {extra}; media-src 'self' blob: data:; "
            f"font-src 'self' data:; connect-src 'self' blob: data: {extra}; worker-src 'self' blob:; "
            "frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'")


def texts(site: Site) -> dict[str, str]:
    """The two files Loa writes: the page and the configuration."""
    found = backend(site)
    config = cms_config(site, backend=found)
    if site.settings.site_url:
        config["site_url"] = config["display_url"] = site.settings.site_url
    settings = site.settings
    title = f"{settings.site_name.get(settings.language(settings.default_language).chain)}: CMS"
    csp = escape(policy(found), quote=False).replace('"', "&quot;")  # an attribute in "...", without &#x27;
    page = PAGE.format(lang=escape(settings.default_language), csp=csp, title=escape(title))
    return {"index.html": page,
            "config.yml": yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)}


def vendored() -> list[str]:
    """The names of Decap's files, as `SHA256SUMS` lists them (its README and VERSION too)."""
    sums = VENDOR / "SHA256SUMS"
    if not sums.is_file():
        raise LoaError(_("%(path)s is missing: run 'make vendor-decap' to fetch Decap CMS", path=sums))
    return [line.split()[-1] for line in sums.read_text(encoding="utf-8").splitlines() if line.strip()]


class Admin:
    name = "admin"
    scope: Scope = "site"
    reads: Reads = "plan"

    def digest(self, target: Target, previous: str | None) -> str:
        if not target.site.settings.cms_backend:
            return digest(["off"])
        made = target.memo["texts"] = texts(target.site)
        return digest([*(f"{name}\0{text}" for name, text in made.items()),
                       (VENDOR / "SHA256SUMS").read_text(encoding="utf-8") if VENDOR.is_dir() else ""])

    def write(self, target: Target) -> Written:
        if not target.site.settings.cms_backend:
            return Written(())
        made = target.memo.get("texts") or texts(target.site)
        assert isinstance(made, dict)
        folder = target.out / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for name in [n for n in vendored() if n.endswith((".js", ".wasm", "LICENSE", ".LICENSE.txt"))]:
            shutil.copyfile(VENDOR / name, folder / name)
        for name, text in made.items():
            (folder / name).write_text(text, encoding="utf-8", newline="\n")
        return Written((FOLDER,), f"{FOLDER}/ ({backend(target.site)['name']})")
