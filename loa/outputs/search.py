"""Site search with Pagefind: one index per language, built from the real pages only.

Vietnamese readers often type without diacritics. Pagefind folds tone and vowel
marks on both sides, so "tre em" finds "trẻ em"; but 'đ' is a letter of its own,
so "duoi nuoc" would miss "đuối nước". In Vietnamese 'đ' only ever starts a
syllable, so the search box (theme/assets/javascripts/loa-search.js) also tries
'đ' for each leading 'd' of a query. Folding at index time was tried first
(each page also indexed its 'đ' words spelt with 'd'): those words then showed up
in result excerpts ("dược dại dặt dể"), and exact phrases could not match them.

One bundle per language, on purpose. Splitting a big language into bundles that the
search box merges (Pagefind's `mergeIndex`) was tried (git history: "search: a
language of over 400 pages is indexed in parts"): at 1,000 pages a language, a
rebuild after an edit in words the site had took 2 s less, and Pagefind a third less
memory, but a reader's first search fetched one index chunk per bundle: 1,369 KB
gzip instead of 631 KB.
(Merged bundles also need every word in each one: Pagefind ignores a query word
that a bundle does not know, so that bundle answers with pages that lack it.)
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loa import children
from loa.cache import keys
from loa.cache.filememo import FileMemo
from loa.cache.files import write_atomically
from loa.errors import BuildError
from loa.outputs.base import Reads, Scope, Target, Written
from loa.plan.site import LanguagePlan, PlannedPage
from loa.publish import files, reuse
from loa.publish.reuse import built_file

BODY = re.compile(r"<!--loa:body-->(.*?)<!--/loa:body-->", re.S)
OUTPUT = "pagefind"


def searchable(page: PlannedPage) -> bool:
    return not page.is_fallback


def page_body(built: str) -> str | None:
    """The main text of a built page, as the page template marks it (None: the page has none)."""
    match = BODY.search(built)
    return match.group(1) if match is not None else None


def index_document(lang: str, page: PlannedPage, built: str) -> str | None:
    """The HTML Pagefind indexes for one built page: its main text and, as attributes, what a result shows."""
    body = page_body(built)
    return f"{_head(lang, page)}{body}{TAIL}" if body is not None else None


TAIL = "</main></body></html>"


def _head(lang: str, page: PlannedPage) -> str:
    """A document up to its body: the page's title and what a result shows besides the text."""
    meta = ""
    if page.facts is not None:
        kinds = [page.facts.type_label] + [label for label, _lang, _uri in page.facts.audiences]
        meta += _meta("kind", " · ".join(kinds))
        if page.facts.campaigns:
            meta += _meta("campaign", " · ".join(title for title, _lang, _uri in page.facts.campaigns))
    return (f'<html lang="{lang}"><head><title>{html.escape(page.title)}</title></head><body>'
            f'<main data-pagefind-body>{meta}')


def _meta(key: str, value: str) -> str:
    # An empty element: the value is shown with a result but is not searchable text.
    return f'<span data-pagefind-meta="{key}:{html.escape(value.replace(",", " ·"), quote=True)}"></span>'


UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
"""Pagefind's own interfaces: Loa has its own (theme/assets/javascripts/loa-search.js)."""


def bundle_dir(out: Path, lang: str) -> Path:
    """Each language has its own search bundle, beside its pages: `/<lang>/pagefind/`."""
    return out / lang / OUTPUT


class Search:
    """A language's search bundle, from the documents of its rendered pages.

    Its digest is that of the documents, so a change that only moves navigation or links
    (not the text of a page) leaves the bundle as it was.
    """

    name = "search"
    scope: Scope = "language"
    reads: Reads = "pages"

    def digest(self, target: Target, previous: str | None) -> str:
        if previous is not None and target.unchanged:
            return previous  # every page is the previous site's: so is every document
        assert target.language is not None
        memo = FileMemo(_beside(target.cache, "files.json") if target.cache is not None else None)
        found = target.memo["documents"] = documents(target.language, target.out, target.built, memo)
        memo.save()
        return reuse.digest_of({name: document.digest for name, document in found.items()})

    def write(self, target: Target) -> Written:
        """Write the bundle with the Pagefind binary from PyPI (`pagefind_bin`).

        The language's documents are written to a folder and indexed in one run: Pagefind's Python
        API answers one document at a time (0.1 s each), its command line indexes in parallel. One
        run per language keeps Pagefind's memory to one language's pages. With a cache folder, the
        documents are kept there between runs, and only those that changed are written.
        """
        language = target.language
        assert language is not None
        found = target.memo.get("documents")
        if not isinstance(found, dict):
            found = documents(language, target.out, target.built)
        bundle = bundle_dir(target.out, language.lang)
        bundle.parent.mkdir(parents=True, exist_ok=True)
        if target.cache is None:
            with tempfile.TemporaryDirectory(prefix="loa-search-") as temp:
                write_documents(language, found, Path(temp))
                run_pagefind(language.lang, Path(temp), bundle, nice=target.background)
        else:
            kept = target.cache
            with files.locked(_beside(kept, "lock")):  # `serve` and `build` may share it
                write_documents(language, found, kept, _beside(kept, "json"))
                run_pagefind(language.lang, kept, bundle, nice=target.background)
        return Written((f"{language.lang}/{OUTPUT}",), f"{language.lang} {len(found)} pages")


def _beside(folder: Path, suffix: str) -> Path:
    """A file of the kept documents folder's own, beside it (not in it: Pagefind indexes all there is)."""
    return folder.with_name(f".{folder.name}.{suffix}")


def _target(inside: str, page: PlannedPage) -> str:
    """A page's document in the documents folder: its path inside the language (`inside`: "/<lang>/"), as
    Pagefind prefixes results with the bundle's folder."""
    folder = page.url.removeprefix(inside).strip("/")
    return f"{folder}/index.html" if folder else "index.html"


@dataclass(frozen=True)
class Document:
    """What one searchable page gives Pagefind: made from its built file and its planned page, known by a
    digest of both (the file's part kept in a `FileMemo`: a rebuild reads only the pages that changed)."""

    page: PlannedPage
    path: Path
    frame: str
    """The document with an empty body: the title and what a result shows besides the text."""
    digest: str

    def read(self, lang: str) -> tuple[str, str] | None:
        """The document as the file is now, and its digest; None if the file has no body any more."""
        built = self.path.read_text(encoding="utf-8")
        text = index_document(lang, self.page, built)
        return (text, _document_digest(self.frame, _body_digest(built))) if text is not None else None


def _body_digest(built: str) -> str:
    body = page_body(built)
    return keys.of_bytes(body.encode()) if body is not None else ""


def _document_digest(frame: str, body: str) -> str:
    # Loa's code too: a document is made again when the code that makes it changed.
    return keys.digest("search-document", [keys.code_fingerprint(), frame, body])


def documents(language: LanguagePlan, out: Path, built: Callable[[PlannedPage], Path] | None = None,
              memo: FileMemo | None = None) -> dict[str, Document]:
    """The searchable pages of the built site, by their path in the documents folder.

    A rebuild asks this of 1,200 unchanged pages a language, before Pagefind can start: each costs a `stat`
    (in the memo) and a few strings, no `pathlib` beyond the page's path."""
    where = built or (lambda page: built_file(out, page))
    memo = memo or FileMemo(None)
    inside = f"/{language.lang}/"
    found = {}
    for page in language.pages:
        if not searchable(page):
            continue
        path = where(page)
        try:
            body = memo.get(path, _read_body_digest)
        except OSError:  # not built
            continue
        if body:
            frame = f"{_head(language.lang, page)}{TAIL}"
            found[_target(inside, page)] = Document(page, path, frame, _document_digest(frame, body))
    return found


def _read_body_digest(path: Path) -> str:
    return _body_digest(path.read_text(encoding="utf-8"))


def write_documents(language: LanguagePlan, found: dict[str, Document], folder: Path,
                    manifest: Path | None = None) -> None:
    """Make `folder` hold exactly the documents `found`, writing only those that differ from what is there
    (by their digests in `manifest`, from the last time).

    The manifest also names every file in the folder, so the documents of pages gone are found without
    walking it (a walk of 1,200 documents took 0.75 s of a rebuild). It is taken away while the folder
    changes: after a run that did not end, there is none, and the folder is walked.
    """
    try:
        written = json.loads(manifest.read_text(encoding="utf-8")) if manifest is not None else None
    except (OSError, ValueError):
        written = None
    if manifest is not None:
        manifest.unlink(missing_ok=True)
    if isinstance(written, dict):
        for name in written.keys() - found.keys():
            (folder / name).unlink(missing_ok=True)
    else:
        written = {}
        for path in list(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and path.relative_to(folder).as_posix() not in found:
                path.unlink()
    for name, document in found.items():
        target = folder / name
        if written.get(name) == document.digest and target.is_file():
            continue
        now = document.read(language.lang)  # the digest of what is written: the file may have changed since
        written[name] = now[1] if now is not None else None
        if now is None:
            target.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(now[0], encoding="utf-8")
    if manifest is not None:
        write_atomically(manifest, json.dumps({name: written.get(name) for name in sorted(found)}))


CHUNK = 1000
"""How many word places an index chunk holds (Pagefind's default: 20,000). A query fetches the chunk of each
of its words: smaller chunks, fewer bytes before the first results on a slow link, where bytes are what the
reader waits for (bench/results/2026-11-30-slow3g.md: the sample's one 51 KB chunk, or three of 27 KB in all
at 1,000). Pagefind 1.5.2 takes it from the environment variable below only (marked unstable; Pagefind is
pinned in requirements.txt, and tests/test_search_chunks.py holds that the setting takes)."""
CHUNK_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"


def _size(bundle: Path) -> int:
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())


PAGEFIND = threading.Lock()
"""One Pagefind run at a time in this process: each holds a language's index in memory (a build runs each
language's search on a thread of its own, loa/pipeline.py::render_and_output)."""


def run_pagefind(lang: str, documents: Path, bundle: Path, nice: bool = False) -> int:
    """Index `documents` into the bundle folder `bundle`; returns the bundle's size in bytes.

    `nice`: at a lower CPU priority (`serve` rebuilds search in the background).
    """
    from pagefind_bin import get_executable

    with PAGEFIND:
        result = subprocess.run([str(get_executable()), "--site", str(documents), "--output-path", str(bundle),
                                 "--silent", "--exclude-selectors", ".headerlink"],
                                capture_output=True, text=True, check=False,
                                env={**os.environ, CHUNK_VARIABLE: str(CHUNK)},
                                **children.popen_options(nice))  # it ends with the build
    if result.returncode != 0:
        raise BuildError(f"search index ({lang}): pagefind failed: {result.stderr.strip() or result.stdout.strip()}")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    # Sorted keys: two builds give the same bytes (Pagefind writes hash-map order).
    entry = bundle / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True,
                                separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    return _size(bundle)
