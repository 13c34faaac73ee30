"""Print files: the A4 PDF of every material, per language, from Loa's print templates (`theme/print/`).

Each PDF is made from the same text as its page (the rendered body, so the output reads the pages)
and the planned facts around it (audiences, sources, review date), with the hotline on every page
and a QR code to the page. A language's run has one digest, but each PDF has its own key (what it
reads: its page, the templates, fonts and images): PDFs are kept in the output's cache folder by
key, so an edit makes again only the PDFs of the materials it touched (docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import json
import re
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from loa.cache.filememo import FileMemo
from loa.cache.keys import code_fingerprint, of_bytes
from loa.check.fit import SECTION_HEADING, message_fit, section_fit
from loa.model import Campaign, LocalText
from loa.outputs.base import Reads, Scope, Target, Written, digest
from loa.outputs.memo import Memo
from loa.outputs.print.pdf import (
    NO_SITE_URL,
    Drawing,
    Renderer,
    body_html,
    draw_in_worker,
    qr_data_uri,
    site_path,
    theme_digest,
)
from loa.outputs.search import page_body
from loa.plan.print import PrintFile, PrintSize
from loa.plan.site import LanguagePlan, PlannedPage
from loa.publish import files
from loa.publish.reuse import page_digests

FORMAT = 1
"""Bump when what a PDF is made from changes in a way its key does not show."""
MADE = Memo()
"""The PDFs this process made, by key (loa/outputs/memo.py)."""
IMAGE = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"')


@dataclass(frozen=True)
class Job:
    """One PDF to have in the site: the page and print file it is made for, and the key of what it reads."""

    page: PlannedPage
    file: PrintFile
    built: Path
    """The page's rendered HTML."""
    key: str

    @property
    def path(self) -> str:
        """Path from the site's root."""
        return self.file.url.lstrip("/")

    def body(self) -> str:
        """The rendered body of the page (the section of a poster, for a poster section), read from its file."""
        body = page_body(self.built.read_text(encoding="utf-8")) or ""
        if self.file.kind != "section":
            return body
        parts = poster_parts(body)
        return parts[self.file.number - 1] if self.file.number <= len(parts) else body


def absolute(site_url: str, path: str) -> str:
    """The address of a site path, as printed and in the QR code (`site_url` may have a path)."""
    return (site_url or NO_SITE_URL).rstrip("/") + path


def _file_digest(path: Path) -> str:
    try:
        return of_bytes(path.read_bytes())
    except OSError:
        return "missing"


def _read_page(path: Path) -> str:
    """What the print keys take of a built page (kept by the file's identity: loa/cache/filememo.py): its body's
    digest and the addresses of its pictures, then the same of each of its `##` sections (a section poster's)."""
    body = page_body(path.read_text(encoding="utf-8")) or ""
    return json.dumps([[of_bytes(part.encode()), IMAGE.findall(part)] for part in [body, *poster_parts(body)]])


def jobs(target: Target) -> list[Job]:
    """The PDFs of a language, each with the key of everything it is made from.

    A rebuild asks this of every page of the language that has print files: each costs a `stat` (the body's
    part of the key is kept by the file's identity, as search keeps its documents) and a few strings; the page's
    plan is known by the digest the build worked out to take it over (`Target.digests`)."""
    language = target.language
    assert language is not None
    sources = site_files(target)
    base_url = language.site_url or NO_SITE_URL
    common = [str(FORMAT), theme_digest(target.site.root), code_fingerprint(), version("weasyprint"),
              version("segno"), repr(_language_facts(language))]
    plans = target.digests or page_digests(language)
    chain = language.language.chain
    memo = FileMemo(target.cache.with_name(f".{target.cache.name}.pages.json") if target.cache else None)
    pictures: dict[str, str] = {}
    """Each picture's digest by its address: the same pictures are on hundreds of pages, each read once."""

    def picture(address: str) -> str:
        found = pictures.get(address)
        if found is None:
            found = pictures[address] = _file_digest(sources.get(site_path(base_url, address) or "") or Path())
        return found

    found = []
    for page in language.pages:
        files = [f for f in page.prints if f.lang == language.lang]
        if not files:
            continue
        built = target.built(page)
        try:
            whole, *parts = json.loads(memo.get(built, _read_page))
        except OSError:  # not built
            continue
        base = absolute(language.site_url, page.url)

        def read(part: list[Any], base: str = base) -> list[str]:
            """A part's digest, then its pictures'."""
            return [part[0], *(picture(urljoin(base, html.unescape(src))) for src in part[1])]

        # What every file of the page shares, worked out once a page (a campaign's page has seven files)
        shared = [_type(target, page), repr(_as_shown(_campaign(target, page), chain))]
        shown = repr(_section_page(page)) if any(f.kind == "section" for f in files) else ""
        for file in files:
            if file.kind == "section":  # drawn from its own part of the page only (`drawing`): an edit of one
                # section draws that section's posters again, not every poster of the material
                part = parts[file.number - 1] if file.number <= len(parts) else whole
                found.append(Job(page, file, built, digest([*common, shown, repr(file), *shared, *read(part)])))
            else:
                found.append(Job(page, file, built, digest([*common, plans[page.src_uri], repr(file), *shared,
                                                            *read(whole)])))
    memo.save()
    return found


def _as_shown(value: object, chain: tuple[str, ...]) -> object:
    """A campaign (or any part of it) as a language's PDFs can show it: each text as picked along the language's
    fallback chain, so that an edit of another language's text leaves their keys as they were."""
    if isinstance(value, LocalText):
        return value.pick(chain)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_as_shown(getattr(value, f.name), chain) for f in dataclasses.fields(value)))
    if isinstance(value, (list, tuple)):
        return tuple(_as_shown(item, chain) for item in value)
    return value


def _section_page(page: PlannedPage) -> dict[str, str]:
    """All a section's poster shows of its page besides the section: the template is given these, not the page."""
    return {"url": page.url, "title": page.title, "title_lang": page.content_lang, "draft_note": page.draft_note}


def poster_parts(body: str) -> list[str]:
    """The `##` sections of a poster material's rendered body (what comes before the first is not a poster)."""
    return [f"<h2{part}" for part in re.split(r"<h2(?=[\s>])", body)[1:]]


def _campaign(target: Target, page: PlannedPage) -> Campaign | None:
    if not page.src_uri.startswith("campaigns/"):
        return None
    wanted = page.src_uri.removeprefix("campaigns/").removesuffix(".md")
    return next((c for c in target.site.campaigns if c.id == wanted), None)


def site_files(target: Target) -> dict[str, Path]:
    """Each image and file of the content folders by its path in the site (`/vi/images/a.svg`) -> its source."""
    found = target.memo.get("files")
    if not isinstance(found, dict):
        found = target.memo["files"] = {f"/{plan.lang}/{path}": source for plan in target.plan.languages
                                        for path, source in plan.assets}
    return found


def _language_facts(language: LanguagePlan) -> tuple[object, ...]:
    """What every PDF of a language shows besides its page: names, hotline, the interface strings."""
    return (language.lang, language.site_name, language.site_name_lang, language.site_url, language.hotline_number,
            language.hotline_name, language.hotline_name_lang, sorted(language.ui.table.items()))


def _type(target: Target, page: PlannedPage) -> str:
    document = target.site.documents.get(page.src_uri.removesuffix(".md"))
    return document.translations[page.content_lang].type if document else "page"


class Print:
    """A language's print files (loa/plan/print.py): the A4 PDF of each material it has a real translation of,
    the posters of its poster materials, and the posters and leaflet of each campaign it has the texts of."""

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
        made: list[tuple[Job, Path, Path | None]] = []
        kept = target.cache
        with files.locked(kept.with_name(f".{kept.name}.lock")) if kept else contextlib.nullcontext():
            for job in found:
                path = target.out / job.path
                path.parent.mkdir(parents=True, exist_ok=True)
                cached = kept / f"{job.key}.pdf" if kept else None
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()  # never write into a file that may be linked from the previous site
                if cached is not None and cached.is_file():
                    files.link_file(cached, path)
                    continue
                data = MADE.get(job.key)
                if data is not None:  # made by an earlier build of this process from the same input
                    path.write_bytes(data)
                made.append((job, path, cached))
            make(target, language, [(job, path) for job, path, _ in made if not path.is_file()])
            for job, path, cached in made:
                MADE.put(job.key, path.read_bytes())
                if cached is not None:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    files.link_file(path, cached)
            if kept is not None and kept.is_dir():  # keep only what this site has
                wanted = {f"{job.key}.pdf" for job in found}
                for old in kept.iterdir():
                    if old.name not in wanted:
                        old.unlink(missing_ok=True)
        return Written(tuple(job.path for job in found), f"{language.lang} {len(found)} PDFs ({len(made)} made)")


TASK = 4
"""PDFs a worker is given at a time. A worker that draws its first PDF first loads WeasyPrint, its fonts and its
stylesheet (0.5 CPU s): the few PDFs of an edit are drawn by one worker, not by every worker (the outputs' thread
waits longer for them, and still ends before Pagefind); the thousands of a first build keep every worker busy."""


def make(target: Target, language: LanguagePlan, todo: list[tuple[Job, Path]]) -> None:
    """Make these PDFs: in the build's worker processes when it lends them (`TASK` PDFs a task; the workers
    take them after the pages they were given first), else here, one after the other."""
    drawings = [(drawing(target, language, job), path) for job, path in todo]
    files, root = site_files(target), target.site.root
    if target.pool is None or len(drawings) < 2:
        renderer = Renderer(root, files, language.site_url) if drawings else None
        for draw, path in drawings:
            assert renderer is not None
            draw.write(renderer, path)
        return
    for future in [target.pool.submit(draw_in_worker, root, files, language.site_url, drawings[start:start + TASK])
                   for start in range(0, len(drawings), TASK)]:
        future.result()


def drawing(target: Target, language: LanguagePlan, job: Job) -> Drawing:
    """What one PDF is drawn from: a material's A4, a poster (A3 or A4), or a campaign's leaflet."""
    page, file, body = job.page, job.file, job.body()
    url = absolute(language.site_url, page.url)
    context: dict[str, object] = {
        "lang": language.lang, "page": page if file.kind != "section" else _section_page(page),
        "facts": page.facts if file.kind != "section" else None, "type": _type(target, page),
        "body": body_html(body), "url": url, "ui": language.ui, "file": file,
        "qr": qr_data_uri(url) if language.site_url else "",
        "site_name": language.site_name, "site_name_lang": language.site_name_lang,
        "hotline_number": language.hotline_number, "hotline_name": language.hotline_name,
        "hotline_name_lang": language.hotline_name_lang,
    }
    if file.kind == "material":
        return Drawing("material.html", context, url)
    campaign = _campaign(target, page)
    chain = language.language.chain
    if file.kind == "section":
        heading, text, pictured = section_text(body)
        fit = section_fit(target.site.root, heading, text, pictured)
        context.update(size=fit.size, title=page.title, title_lang=page.content_lang)
        return Drawing("poster.html", context, url, poster_css(file.size, fit.size, "section"))
    assert campaign is not None
    title, title_lang = campaign.title.pick(chain)
    context.update(campaign=campaign, title=title, title_lang=title_lang, image="")
    image = campaign.image
    if image is not None:
        alt, alt_lang = image.alt.pick(chain)
        # a campaign's image is a file of the language's folder (loa/plan/pages.py links it the same way)
        context.update(image=absolute(language.site_url, f"/{language.lang}/{image.src}"), image_alt=alt,
                       image_alt_lang=alt_lang)
    if file.kind == "message":
        message, message_lang = campaign.key_messages[file.number - 1].pick(chain)
        fit = message_fit(target.site.root, message)
        context.update(message=message, message_lang=message_lang, size=fit.size)
        return Drawing("poster.html", context, url, poster_css(file.size, fit.size, "message"))
    materials = []
    for doc_id in campaign.materials[:LEAFLET_MATERIALS]:
        found = next((p for p in language.pages if p.src_uri == f"{doc_id}.md"), None)
        if found is not None:
            address = absolute(language.site_url, found.url)
            materials.append((found.title, found.content_lang, address,
                              qr_data_uri(address) if language.site_url else ""))
    context.update(materials=materials)
    return Drawing("leaflet.html", context, url)


LEAFLET_MATERIALS = 3
"""The campaign's first materials (its main ones, in the order the officer lists them) get a QR code on the leaflet."""
TAG = re.compile(r"<[^>]+>")


def section_text(part: str) -> tuple[str, str, bool]:
    """A poster section's heading, plain text and whether it has an image (to size its type: loa/check/fit.py)."""
    heading, _, rest = part.partition("</h2>")
    paragraphs = [html.unescape(TAG.sub("", p)).strip() for p in re.split(r"</p>|<br\s*/?>|</li>", rest)]
    return (html.unescape(TAG.sub("", heading)).strip(), "\n".join(p for p in paragraphs if p),
            "<img" in rest)


def poster_css(size: PrintSize, text_pt: float, kind: str) -> str:
    """The page size and type sizes of a poster: the A3 layout, scaled by 1/√2 on A4 (numbers only)."""
    scale = 1.0 if size == "a3" else 2 ** -0.5
    main = text_pt * (SECTION_HEADING if kind == "section" else 1)
    return (f"@page {{ size: {size.upper()}; margin: {18 * scale:.2f}mm; }}\n"
            f"html {{ font-size: {24 * scale:.2f}pt; }}\n"
            f".loa-poster__main, .loa-poster__section h2 {{ font-size: {main * scale:.2f}pt; }}\n"
            f".loa-poster__text {{ font-size: {text_pt * scale:.2f}pt; }}\n"
            f".loa-poster__number {{ font-size: {72 * scale:.2f}pt; }}\n"
            f".loa-poster__qr img {{ width: {50 * scale:.2f}mm; height: {50 * scale:.2f}mm; }}\n"
            f".loa-poster__image img {{ max-height: {(120 if kind == 'message' else 95) * scale:.2f}mm; }}\n")
