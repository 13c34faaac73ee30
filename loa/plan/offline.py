"""The offline copy of a language (written by loa/outputs/offline/): the name of its ZIP and where it sits,
known to the pages that link to it (loa/render/view.py) and to the output that writes it."""

from __future__ import annotations

from loa.plan.site import LanguagePlan, PlannedPage
from loa.slugs import slugify

LINKED_FROM = ("index.md", "about.md")
"""The pages that link to their language's offline copy: the home and the about page."""


def stem(plan: LanguagePlan) -> str:
    """`an-toan-cho-tre-em-vi-offline`: the ZIP's name without `.zip`, and the folder it unzips to.

    From the site's name in the language, so that the file makes sense in a teacher's downloads.
    """
    return stem_of(plan.lang, plan.site_name)


def stem_of(lang: str, site_name: str) -> str:
    return f"{slugify(site_name) or 'site'}-{lang}-offline"


def zip_url(plan: LanguagePlan) -> str:
    """The ZIP's site-absolute path, in the language's folder: `/vi/an-toan-cho-tre-em-vi-offline.zip`."""
    return f"/{plan.lang}/{stem(plan)}.zip"


def links_to_copy(page: PlannedPage) -> bool:
    return page.src_uri in LINKED_FROM
