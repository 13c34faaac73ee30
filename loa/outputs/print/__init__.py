"""Print files: the A4 PDF of every material, per language, from Loa's print templates (`theme/print/`).

Each PDF is made from the same text as its page (the rendered body, so the output reads the pages)
and the planned facts around it (audiences, sources, review date), with the hotline on every page
and a QR code to the page. A language's run has one digest, but each PDF has its own key (what it
reads: its page, the templates, fonts and images): PDFs are kept in the output's cache folder by
key, so an edit makes again only the PDFs of the materials it touched (docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from loa.outputs.base import Reads, Scope, Target, Written, digest
from loa.outputs.print.pdf import NO_SITE_URL, Renderer, body_html, qr_data_uri, theme_digest
from loa.outputs.search import BODY
from loa.plan.print import has_pdf, pdf_url
from loa.plan.site import LanguagePlan, PlannedPage
from loa.publish import reuse

FORMAT = 1
"""Bump when what a PDF is made from changes in a way its key does not show."""
IMAGE = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"')


@dataclass(frozen=True)
class Job:
    """One PDF to have in the site: the page it is made from, its file, and the key of what it reads."""

    page: PlannedPage
    file: str
    """Path from the site's root."""
    body: str
    key: str


def absolute(site_url: str, path: str) -> str:
    """The address of a site path, as printed and in the QR code (`site_url` may have a path)."""
    return (site_url or NO_SITE_URL).rstrip("/") + path


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def jobs(target: Target) -> list[Job]:
    """The PDFs of a language, each with the key of everything it is made from."""
    language = target.language
    assert language is not None
    common = [str(FORMAT), theme_digest(target.site.root), reuse.code_fingerprint(), version("weasyprint"),
              version("segno"), repr(_language_facts(language))]
    found = []
    for page in language.pages:
        if not has_pdf(page) or page.is_fallback:
            continue
        try:
            match = BODY.search(target.built(page).read_text(encoding="utf-8"))
        except OSError:
            continue
        body = match.group(1) if match else ""
        base = absolute(language.site_url, page.url)
        images = [_file_digest(_site_file(target.out, language.site_url, urljoin(base, html.unescape(src))))
                  for src in IMAGE.findall(body)]
        found.append(Job(page, pdf_url(page).lstrip("/"), body,
                         digest([*common, repr(page), _type(target, page), body, *images])))
    return found


def _site_file(out: Path, site_url: str, url: str) -> Path:
    path = urlsplit(url).path.removeprefix(urlsplit(site_url or NO_SITE_URL).path.rstrip("/"))
    return out / path.lstrip("/")


def _language_facts(language: LanguagePlan) -> tuple[object, ...]:
    """What every PDF of a language shows besides its page: names, hotline, the interface strings."""
    return (language.lang, language.site_name, language.site_name_lang, language.site_url, language.hotline_number,
            language.hotline_name, language.hotline_name_lang, sorted(language.ui.table.items()))


def _type(target: Target, page: PlannedPage) -> str:
    document = target.site.documents.get(page.src_uri.removesuffix(".md"))
    return document.translations[page.content_lang].type if document else "page"


class Print:
    """A language's print files: the A4 PDF of each material it has a real translation of."""

    name = "print"
    scope: Scope = "language"
    reads: Reads = "pages"

    def digest(self, target: Target, previous: str | None) -> str:
        found = target.memo["jobs"] = jobs(target)
        return digest(job.key for job in found)

    def write(self, target: Target) -> Written:
        language = target.language
        assert language is not None
        found = target.memo.get("jobs")
        if not isinstance(found, list):
            found = jobs(target)
        renderer: Renderer | None = None
        made = 0
        kept = target.cache
        with reuse.locked(kept.with_name(f".{kept.name}.lock")) if kept else contextlib.nullcontext():
            for job in found:
                path = target.out / job.file
                path.parent.mkdir(parents=True, exist_ok=True)
                cached = kept / f"{job.key}.pdf" if kept else None
                if cached is not None and cached.is_file():
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                    reuse.link_file(cached, path)
                    continue
                renderer = renderer or Renderer(target.site.root, target.out, language.site_url)
                self._material(renderer, target, language, job, path)
                made += 1
                if cached is not None:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    reuse.link_file(path, cached)
            if kept is not None and kept.is_dir():  # keep only what this site has
                wanted = {f"{job.key}.pdf" for job in found}
                for old in kept.iterdir():
                    if old.name not in wanted:
                        old.unlink(missing_ok=True)
        return Written(tuple(job.file for job in found), f"{language.lang} {len(found)} PDFs ({made} made)")

    @staticmethod
    def _material(renderer: Renderer, target: Target, language: LanguagePlan, job: Job, path: Path) -> None:
        page = job.page
        url = absolute(language.site_url, page.url)
        context: dict[str, object] = {
            "lang": language.lang, "page": page, "facts": page.facts, "type": _type(target, page),
            "body": body_html(job.body), "url": url, "ui": language.ui,
            "qr": qr_data_uri(url) if language.site_url else "",
            "site_name": language.site_name, "site_name_lang": language.site_name_lang,
            "hotline_number": language.hotline_number, "hotline_name": language.hotline_name,
            "hotline_name_lang": language.hotline_name_lang,
        }
        renderer.write("material.html", context, url, path)
