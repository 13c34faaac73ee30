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
from collections.abc import Callable
from pathlib import Path

from loa import children
from loa.errors import BuildError
from loa.outputs.base import Reads, Scope, Target, Written
from loa.plan.site import LanguagePlan, PlannedPage
from loa.publish import reuse
from loa.publish.reuse import built_file

BODY = re.compile(r"<!--loa:body-->(.*?)<!--/loa:body-->", re.S)
OUTPUT = "pagefind"


def searchable(page: PlannedPage) -> bool:
    return not page.is_fallback


def index_document(lang: str, page: PlannedPage, built: str) -> str | None:
    """The HTML Pagefind indexes for one built page: its main text and, as attributes, what a result shows."""
    match = BODY.search(built)
    if match is None:
        return None
    meta = ""
    if page.facts is not None:
        kinds = [page.facts.type_label] + [label for label, _lang, _uri in page.facts.audiences]
        meta += _meta("kind", " · ".join(kinds))
        if page.facts.campaigns:
            meta += _meta("campaign", " · ".join(title for title, _lang, _uri in page.facts.campaigns))
    return (f'<html lang="{lang}"><head><title>{html.escape(page.title)}</title></head><body>'
            f'<main data-pagefind-body>{meta}{match.group(1)}</main></body></html>')


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
        found = target.memo["documents"] = documents(target.language, target.out, target.built)
        return reuse.digest_of(found)

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
                write_documents(found, Path(temp))
                run_pagefind(language.lang, Path(temp), bundle, nice=target.background)
        else:
            kept = target.cache
            with reuse.locked(kept.with_name(f".{kept.name}.lock")):  # `serve` and `build` may share it
                write_documents(found, kept)
                run_pagefind(language.lang, kept, bundle, nice=target.background)
        return Written((f"{language.lang}/{OUTPUT}",), f"{language.lang} {len(found)} pages")


def _target(language: LanguagePlan, page: PlannedPage) -> str:
    # paths inside the language: Pagefind prefixes results with the bundle's folder
    return (Path(page.url.removeprefix(f"/{language.lang}/").strip("/")) / "index.html").as_posix()


def _document(language: LanguagePlan, path: Path, page: PlannedPage) -> str | None:
    return index_document(language.lang, page, path.read_text(encoding="utf-8")) \
        if searchable(page) and path.is_file() else None


def documents(language: LanguagePlan, out: Path,
              built: Callable[[PlannedPage], Path] | None = None) -> dict[str, str]:
    """What each searchable page of the built site gives Pagefind, by its path in the documents folder."""
    where = built or (lambda page: built_file(out, page))
    return {_target(language, page): document for page in language.pages
            if (document := _document(language, where(page), page)) is not None}


def write_documents(found: dict[str, str], folder: Path) -> None:
    """Make `folder` hold exactly `found`, writing only the documents that differ from what is there."""
    for name, document in found.items():
        target = folder / name
        try:
            if target.read_text(encoding="utf-8") == document:
                continue
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document, encoding="utf-8")
    for path in list(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file() and path.relative_to(folder).as_posix() not in found:
            path.unlink()


CHUNK = 1000
"""How many word places an index chunk holds (Pagefind's default: 20,000). A query fetches the chunk of each
of its words: smaller chunks, fewer bytes before the first results on a slow link, where bytes are what the
reader waits for (bench/results/2026-11-30-slow3g.md: the sample's one 51 KB chunk, or three of 27 KB in all
at 1,000). Pagefind 1.5.2 takes it from the environment variable below only (marked unstable; Pagefind is
pinned in requirements.txt, and tests/test_search_chunks.py holds that the setting takes)."""
CHUNK_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"


def _size(bundle: Path) -> int:
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())


def run_pagefind(lang: str, documents: Path, bundle: Path, nice: bool = False) -> int:
    """Index `documents` into the bundle folder `bundle`; returns the bundle's size in bytes.

    `nice`: at a lower CPU priority (`serve` rebuilds search in the background).
    """
    from pagefind_bin import get_executable

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
