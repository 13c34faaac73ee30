"""Site search with Pagefind: one index per language, built from the real pages only.

Vietnamese readers often type without diacritics. Pagefind folds tone and vowel
marks on both sides, so "tre em" finds "trẻ em"; but 'đ' is a letter of its own,
so "duoi nuoc" would miss "đuối nước". In Vietnamese 'đ' only ever starts a
syllable, so the search box (theme/assets/javascripts/loa-search.js) also tries
'đ' for each leading 'd' of a query. Folding at index time was tried first
(each page also indexed its 'đ' words spelt with 'd'): those words then showed up
in result excerpts ("dược dại dặt dể"), and exact phrases could not match them.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import reuse
from .errors import BuildError
from .plan import LanguagePlan, PlannedPage
from .reuse import built_file

BODY = re.compile(r"<!--loa:body-->(.*?)<!--/loa:body-->", re.S)
OUTPUT = "pagefind"
MAIN = "<main data-pagefind-body>"
TAG = re.compile(r"<[^>]*>")
EDGES = re.compile(r"^\W+|\W+$")
"""Punctuation around a word ("nước." is "nước" to Pagefind, which also lowercases)."""


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
            f'{MAIN}{meta}{match.group(1)}</main></body></html>')


def _meta(key: str, value: str) -> str:
    # An empty element: the value is shown with a result but is not searchable text.
    return f'<span data-pagefind-meta="{key}:{html.escape(value.replace(",", " ·"), quote=True)}"></span>'


UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
"""Pagefind's own interfaces: Loa has its own (theme/assets/javascripts/loa-search.js)."""


PART_PAGES = 400
"""About the most pages one search bundle holds. A language with more has its index split into
parts, `/<lang>/pagefind/`, `/<lang>/pagefind-2/`, ..., which the search box merges (Pagefind's
`mergeIndex`): a rebuild indexes again only the parts whose pages changed, and Pagefind, which
needs ~0.25 MB per page, holds one part in memory at a time."""
PARTS_FILE = "pagefind-parts.json"
"""In a language's folder, for the search box: `parts`, the folders of the parts after the first;
`words`, the result id (fragment) of WORDS in each part, which is never shown."""
MERGED_UNUSED = ("pagefind.js", "pagefind-worker.js")
"""Files of a part after the first that the browser never asks for: it runs the first part's
script and WebAssembly (`wasm.*.pagefind`, also removed) for all parts."""

WORDS = "__loa-words__/index.html"
"""In each part of a split language: every word of the language (see `split`); no page has such a path.
(Not a Pagefind filter: which pages a filter lists depends on the order the files are found in.)"""

SearchPart = tuple[str, str, int, str]
"""A search bundle as written: (digest of its documents, listing of its folder, pages, result id
of WORDS in it or '' for a language in one part)."""


def part_dir(out: Path, lang: str, index: int) -> Path:
    """Each language has its own search bundle beside its pages, `/<lang>/pagefind/`, and more parts
    (`pagefind-2/`, ...) when it has more than PART_PAGES pages."""
    return out / lang / (OUTPUT if index == 0 else f"{OUTPUT}-{index + 1}")


def bundle_dir(out: Path, lang: str) -> Path:
    """A language's first search bundle, the one whose script the search box loads."""
    return part_dir(out, lang, 0)


def split(found: Mapping[str, str], lang: str) -> list[dict[str, str]]:
    """A language's documents in parts of about PART_PAGES at most.

    A document's part follows from a hash of its path, so it stays in the same part as long as the
    number of parts does: an edit changes one part, an added page one part.

    Pagefind ignores a query word that its index does not know, to return something rather than
    nothing: a part that lacks a rare word would answer with every page that has the other words.
    So each part of a split language also indexes one more document, WORDS, that holds every word
    of the language; the parts file names it in each part, and the search box leaves it out of the
    results. (An edit that brings a new word to the language, or takes its last use away, changes
    that document, and so every part.)
    """
    count = -(-len(found) // PART_PAGES)
    if count > 1:
        parts: list[dict[str, str]] = [{} for _ in range(count)]
        for name in sorted(found):
            parts[zlib.crc32(name.encode("utf-8")) % count][name] = found[name]
        if all(parts):
            words = words_document(lang, found.values())
            return [{**part, WORDS: words} for part in parts]
    return [dict(sorted(found.items()))]


def words_document(lang: str, documents: Iterable[str]) -> str:
    """A document with each word of `documents` once: what makes every part know every word."""
    raw: set[str] = set()
    for document in documents:
        raw.update(TAG.sub(" ", document.partition(MAIN)[2]).split())
    words = sorted({EDGES.sub("", word) for token in raw for word in html.unescape(token).lower().split()} - {""})
    return (f'<html lang="{lang}"><head><title>{lang}</title></head><body>{MAIN}'
            f'<p>{html.escape(" ".join(words))}</p></main></body></html>')


def pages_in(part: Mapping[str, str]) -> int:
    return sum(1 for name in part if name != WORDS)


def part_digest(documents: Mapping[str, str], index: int, count: int) -> str:
    return reuse.digest_of({**documents, "": f"part {index + 1} of {count}"})


@dataclass(frozen=True)
class Indexed:
    """A language's search bundles as written."""

    parts: tuple[SearchPart, ...]
    size: int
    """Bytes."""

    @property
    def pages(self) -> int:
        return sum(part[2] for part in self.parts)


def index_language(language: LanguagePlan, out: Path, kept: Path | None = None,
                   previous: tuple[Path, tuple[SearchPart, ...]] | None = None, unchanged: bool = False,
                   built: Callable[[PlannedPage], Path] | None = None) -> Indexed:
    """Write a language's search bundles with the Pagefind binary from PyPI (`pagefind_bin`).

    The documents of each part are written to a folder and indexed in one run: Pagefind's Python
    API answers one document at a time (0.1 s each), its command line indexes in parallel.

    `kept`: a folder that keeps the documents between builds (only changed ones are written).
    `previous`: the site this one replaces and its record of the language's parts. A part whose
    documents are all the same (or all parts, when `unchanged`: all the language's pages are
    those of the previous site), and whose bundle is as written, is taken over.
    `built`: where each page's HTML is, if not yet in `out`.
    """
    lang = language.lang
    old_out, old_parts = previous if previous is not None else (None, ())
    if old_out is not None and unchanged and all(
            _take_over(old_out, lang, index, part[1], part_dir(out, lang, index))
            for index, part in enumerate(old_parts)):
        write_parts_file(out, lang, [part[3] for part in old_parts])
        return _indexed(out, lang, old_parts)
    parts = split(documents(language, out, built), lang)
    written: list[SearchPart] = []
    with reuse.locked(kept.with_name(f".{kept.name}.lock")) if kept is not None \
            else contextlib.nullcontext():  # `serve` and `build` may share the folder
        for index, found in enumerate(parts):
            digest, target = part_digest(found, index, len(parts)), part_dir(out, lang, index)
            shutil.rmtree(target, ignore_errors=True)
            if old_out is not None and index < len(old_parts) and old_parts[index][0] == digest \
                    and _take_over(old_out, lang, index, old_parts[index][1], target):
                written.append(old_parts[index])
                continue
            index_part(lang, found, kept / f"part-{index + 1}" if kept is not None else None, target, index)
            words = words_result(target) if WORDS in found else ""
            written.append((digest, reuse.listing(target), pages_in(found), words))
        if kept is not None:  # parts no longer made, and documents kept by earlier versions (unsplit)
            wanted = {kept / f"part-{index + 1}" for index in range(len(parts))}
            for stale in set(kept.iterdir() if kept.is_dir() else ()) - wanted:
                if stale.is_dir():
                    shutil.rmtree(stale)
                else:
                    stale.unlink()
    write_parts_file(out, lang, [part[3] for part in written])
    return _indexed(out, lang, tuple(written))


def index_part(lang: str, found: Mapping[str, str], folder: Path | None, bundle: Path, index: int,
               nice: bool = False) -> None:
    """Index the documents `found` into the bundle folder `bundle` (part number `index` + 1).

    `folder`: where the documents are written (kept between runs), else a temporary folder.
    """
    with tempfile.TemporaryDirectory(prefix="loa-search-") if folder is None \
            else contextlib.nullcontext(str(folder)) as where:
        write_documents(found, Path(where))
        run_pagefind(lang, Path(where), bundle, nice)
    if index > 0:
        for path in [*(bundle / name for name in MERGED_UNUSED), *bundle.glob("wasm.*.pagefind")]:
            path.unlink(missing_ok=True)


def write_parts_file(out: Path, lang: str, words: list[str]) -> None:
    """Name the parts after the first, and each part's WORDS result (`words`, one per part), for the search box."""
    target = out / lang / PARTS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # it may be a hard link into the previous site
    target.write_text(json.dumps({"parts": [part_dir(out, lang, index).name + "/" for index in range(1, len(words))],
                                  "words": [word for word in words if word]}), encoding="utf-8")


def words_result(bundle: Path) -> str:
    """The result id of WORDS in a part's bundle: the name of its fragment."""
    wanted = b'"url":"/' + WORDS.removesuffix("index.html").encode() + b'"'
    for path in sorted(bundle.glob("fragment/*.pf_fragment")):
        if wanted in gzip.decompress(path.read_bytes()):
            return path.name.removesuffix(".pf_fragment")
    raise BuildError(f"search index: no list of words in {bundle}")


def _indexed(out: Path, lang: str, parts: tuple[SearchPart, ...]) -> Indexed:
    return Indexed(parts, sum(_size(part_dir(out, lang, index)) for index in range(len(parts))))


def _take_over(old_out: Path, lang: str, index: int, listed: str, bundle: Path) -> bool:
    """Link the previous site's bundle of part `index` into `bundle`, if it is still as it was written."""
    old = part_dir(old_out, lang, index)
    if not old.is_dir() or reuse.listing(old) != listed:
        return False
    shutil.rmtree(bundle, ignore_errors=True)
    reuse.link_tree(old, bundle)
    return True


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


def write_documents(found: Mapping[str, str], folder: Path) -> None:
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


def read_documents(folder: Path) -> dict[str, str]:
    """The documents in `folder` (as `write_documents` or `collect` wrote them), by path."""
    return {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
            for path in folder.rglob("*.html") if path.is_file()}


def replace_bundle(bundle: Path, target: Path) -> None:
    """Put the bundle folder `bundle` in place of `target` (in a live site: one rename each way)."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    shutil.move(bundle, target)
    shutil.rmtree(old, ignore_errors=True)


def remove_parts(out: Path, lang: str, count: int) -> None:
    """Remove the bundles of parts number `count` + 1 and after (a language that has fewer now)."""
    index = count
    while part_dir(out, lang, index).is_dir():
        shutil.rmtree(part_dir(out, lang, index))
        index += 1


def collect(language: LanguagePlan, out: Path, documents: Path, only: Collection[str]) -> None:
    """Write again, or remove, the documents of the pages `only` (src_uri) in the folder `documents`."""
    for page in language.pages:
        if page.src_uri not in only:
            continue
        target = documents / _target(language, page)
        document = _document(language, built_file(out, page), page)
        if document is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document, encoding="utf-8")
        else:
            target.unlink(missing_ok=True)


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
                            preexec_fn=(lambda: os.nice(10)) if nice else None)
    if result.returncode != 0:
        raise BuildError(f"search index ({lang}): pagefind failed: {result.stderr.strip() or result.stdout.strip()}")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    # Sorted keys: two builds give the same bytes (Pagefind writes hash-map order).
    entry = bundle / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True,
                                separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    return _size(bundle)
