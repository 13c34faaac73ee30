"""Where the print files of a page are: the names a reader keeps once they are downloaded.

A material's A4 PDF sits beside its page, named after it: `/vi/drowning/ten-actions/` has
`/vi/drowning/ten-actions/ten-actions.a4.pdf` (loa/outputs/print/). Only real translations have
one; a fallback page links to the PDF of the language it shows.
"""

from __future__ import annotations

from loa.plan.site import PlannedPage, url_of


def has_pdf(page: PlannedPage) -> bool:
    """Materials have a PDF (generated pages and plain pages do not)."""
    return page.facts is not None


def pdf_url(page: PlannedPage, size: str = "a4") -> str:
    """Site-absolute URL of a material's PDF, in the language its content is written in."""
    url = url_of(page.content_lang, page.src_uri)
    return f"{url}{url.rstrip('/').rsplit('/', 1)[-1]}.{size}.pdf"
