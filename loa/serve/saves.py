"""What a save is to `serve`, before anything is rendered: the page a saved file is the text of,
whether an update page by page covers it, and the two fast paths that spare the whole check or plan.

- `body_only`: a save that changed only the text of material pages (front matter as in the last
  good parse) is checked alone: that text is parsed and linted, and its page and fallback copies
  get it.
- `saved_documents` and `saved_plans`: the saved materials planned alone, so that their pages are
  shown before the pages that list them are planned (`Rebuilder._saved_first`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from loa.check.freshness import follows
from loa.check.lint import lint_translation
from loa.errors import Problem, Report
from loa.load.parsecache import LoadCache
from loa.load.project import markdown_file
from loa.load.source import MarkdownSource
from loa.model import Site
from loa.pipeline import BuildResult
from loa.plan.site import LanguagePlan, PlannedPage
from loa.render.adapter import LiveLanguage

INCREMENTAL_INPUT = (("content", ".md"), ("campaigns", ".yml"), ("campaigns", ".yaml"))
"""Files whose changes the page-by-page comparison covers; any other change means a full build."""


def incremental(root: Path, path: Path) -> bool:
    """Does the page-by-page comparison cover a change of `path`?"""
    try:
        parts = path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False
    return any(parts[0] == folder and path.suffix == suffix for folder, suffix in INCREMENTAL_INPUT) \
        and not any(part.startswith(".") for part in parts)


def page_of(root: Path, path: Path) -> str | None:
    """The page a saved file is the text of (its src_uri), if any."""
    parts = path.resolve().relative_to(root).parts
    if parts[0] == "content" and len(parts) > 2 and path.suffix == ".md":
        return "/".join(parts[2:])
    return f"campaigns/{path.stem}.md" if parts[0] == "campaigns" else None


def body_only(root: Path, cache: LoadCache, last: BuildResult, sources: dict[Path, MarkdownSource],
              content_warnings: tuple[Problem, ...], changed: list[Path]) -> BuildResult | None:
    """The check of a save that changed only the Markdown body of material pages, or None.

    The most common save, made cheap: nothing else in the input changed, so the last check
    (`last`, with the parsed `sources` behind it and its `content_warnings`) stands for
    everything but these texts, which are parsed and linted again. Their pages and fallback
    copies get the new text; no generated page shows a material's body.
    """
    plans = last.plan.languages
    documents = dict(last.site.documents)
    report, edited = Report(), set()
    for saved in changed:
        parts = saved.resolve().relative_to(root).parts
        path = root.joinpath(*parts)  # as the loader names it
        if len(parts) < 3 or parts[0] != "content" or path.suffix != ".md" or not path.is_file():
            return None
        lang, doc_id = parts[1], "/".join(parts[2:])[:-3]
        document = documents.get(doc_id)
        translation = document.translations.get(lang) if document is not None else None
        before = sources.get(path)
        if document is None or translation is None or before is None:
            return None
        parse = Report()
        source = cache.parse(path, parse, partial(markdown_file, path, translation.shown, parse))
        if source is None or parse.problems or source.meta != before.meta:
            return None  # front matter edited, or not readable: the whole check says what and where
        if any(page.src_uri == f"{doc_id}.md" and page.kind == "generated"
               for plan in plans for page in plan.pages):
            return None  # a topic, audience or home text: shown by a generated page
        changed_text = replace(translation, body=source.body, body_line=source.body_line)
        now, was = follows(changed_text), follows(translation)
        if any(other.follows and (other.follows != now or now != was) for other in document.translations.values()
               if lang == last.site.settings.default_language and other is not translation):
            return None  # translations that follow this text are, or become, behind it: their pages say so
        translation = changed_text
        documents[doc_id] = replace(document, translations={**document.translations, lang: translation})
        lint_translation(translation, last.site.assets, report)
        edited.add(translation.shown)
    report.raise_if_errors()
    texts = {(f"{doc_id}.md", lang): translation for doc_id, document in documents.items()
             for lang, translation in document.translations.items() if translation.shown in edited}
    new_plans = tuple(replace(plan, pages=tuple(
        replace(page, markdown=text.body, body_line=text.body_line)
        if page.kind != "generated" and (text := texts.get((page.src_uri, page.content_lang))) else page
        for page in plan.pages)) for plan in plans)
    warnings = tuple(sorted([w for w in content_warnings if w.position.path not in edited] + report.warnings))
    return BuildResult(replace(last.site, documents=documents), replace(last.plan, languages=new_plans), warnings)


def saved_documents(root: Path, site: Site, changed: list[Path]) -> list[str] | None:
    """The ids of the saved documents, or None unless every saved file is the text of a material or page."""
    doc_ids = []
    for path in changed:
        uri = page_of(root, path)
        parts = path.resolve().relative_to(root).parts
        document = site.documents.get(uri[:-3]) if uri and parts[0] == "content" else None
        if document is None or document.kind not in ("material", "page"):
            return None
        doc_ids.append(document.id)
    return doc_ids


def saved_plans(live: dict[str, LiveLanguage], planned: dict[str, tuple[PlannedPage, ...]]) \
        -> list[tuple[LiveLanguage, LanguagePlan, list[str]]] | None:
    """Per language, its plan with the `planned` pages in it and the src_uri of those that changed.

    None for a new page, or one whose place among the others changed (what the sitemap says of
    it): those go the whole way.
    """
    todo = []
    for lang, pages in planned.items():
        language = live.get(lang)
        if language is None:
            return None
        before = {page.src_uri: page for page in language.plan.pages}
        new = {page.src_uri: page for page in pages if before.get(page.src_uri) != page}
        if any(uri not in before or _placed(page) != _placed(before[uri]) for uri, page in new.items()):
            return None
        if new:
            todo.append((language, replace(language.plan, pages=tuple(new.get(page.src_uri, page)
                                                                      for page in language.plan.pages)), list(new)))
    return todo


def _placed(page: PlannedPage) -> tuple[object, ...]:
    """Where a page stands among the others: a change there goes the whole way."""
    return page.url, page.kind, page.alternates
