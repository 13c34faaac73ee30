"""The warnings of the site `serve` keeps: MkDocs' for each page, and those of the last good check of the input.

An update renders a few pages, so MkDocs warns only about those: what it said of the others in
earlier builds is kept here, page by page, so that every update tells the site's warnings as
they are now, as `build` would (`loa/serve/server.py` prints them).
"""

from __future__ import annotations

from dataclasses import dataclass

from loa.errors import Problem
from loa.pipeline import BuildResult, Options, render_warnings
from loa.plan.site import LanguagePlan, shown_path
from loa.publish.reuse import SiteRecord
from loa.render.adapter import DOC_FILE, LiveLanguage, RenderResult

MkDocsWarning = tuple[str, int, str]
"""A MkDocs warning: (shown source path, line, message)."""


@dataclass(frozen=True)
class PageNotes:
    """What MkDocs said about one page when it last converted it."""

    warnings: tuple[MkDocsWarning, ...] = ()
    anchor_targets: tuple[str, ...] = ()
    """The pages it links to with an #anchor."""


class SiteNotes:
    """The warnings of the site now: MkDocs' page by page, and the input's, kept from build to update."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[str, PageNotes]] = {}
        """Language -> src_uri -> MkDocs' warnings and anchor links of the page in the site now."""
        self.content_warnings: tuple[Problem, ...] = ()
        """The warnings of the last good check of the input (without MkDocs')."""

    def built(self, options: Options, result: BuildResult) -> None:
        """After a full build: every page's notes, and the input's warnings apart from MkDocs'."""
        self.pages = _notes_of(options, result)
        mkdocs = set(self.mkdocs_warnings())
        self.content_warnings = tuple(w for w in result.warnings if w not in mkdocs)

    def updated(self, checked: BuildResult, rendered: dict[str, list[str]], renders: list[RenderResult],
                live: dict[str, LiveLanguage]) -> tuple[Problem, ...]:
        """After an update that rendered `rendered` (language -> src_uri): the site's warnings now."""
        # MkDocs checks anchors once every page is converted: here, for the pages rendered and for
        # those linking to their anchors; the warnings of the other pages stay as they were.
        by_lang = {plan.lang: plan for plan in checked.plan.languages}
        for lang, uris in rendered.items():
            notes = self.pages.setdefault(lang, {})
            linking = sorted(uri for uri, page in notes.items()
                             if uri not in uris and any(target in uris for target in page.anchor_targets))
            anchors = live[lang].check_anchors(uris, linking)
            notes.update(_notes_from(by_lang[lang], [r for r in renders if r.lang == lang], [anchors]))
        self.content_warnings = checked.warnings
        return tuple(sorted({*checked.warnings, *self.mkdocs_warnings()}))

    def mkdocs_warnings(self) -> list[Problem]:
        return render_warnings([RenderResult(lang, 0, 0.0, tuple(w for page in pages.values() for w in page.warnings))
                                for lang, pages in self.pages.items()])


def _notes_of(options: Options, result: BuildResult) -> dict[str, dict[str, PageNotes]]:
    """Per page, what MkDocs said in the full build: from the record it saved (every page,
    rendered or taken from the previous site), else from the renders (then every page was rendered)."""
    record = SiteRecord.load(options.cache_dir, options.out) if options.cache_dir else None
    notes: dict[str, dict[str, PageNotes]] = {}
    for plan in result.plan.languages:
        kept = record.languages.get(plan.lang) if record is not None else None
        if kept is not None:
            by_uri = {page.src_uri: page for page in plan.pages}
            notes[plan.lang] = {uri: PageNotes(tuple((shown_path(plan, by_uri[uri]), line, message)
                                                     for line, message in page.warnings), page.anchor_targets)
                                for uri, page in kept.pages.items() if uri in by_uri}
        else:
            renders = [r for r in result.renders if r.lang == plan.lang]
            notes[plan.lang] = _notes_from(plan, renders, [])
    return notes


def _notes_from(plan: LanguagePlan, renders: list[RenderResult], checks: list[RenderResult]) -> dict[str, PageNotes]:
    """Notes of the pages `renders` wrote and `checks` checked (`LiveLanguage.check_anchors`).

    A MkDocs warning names its page (`Doc file '...'`); one that names none is given with the site's.
    """
    warnings: dict[str, list[MkDocsWarning]] = {}
    targets: dict[str, tuple[str, ...]] = {}
    for result in [*renders, *checks]:
        targets.update(result.anchor_targets)
    for result in [*renders, *checks]:
        for where, line, message in result.warnings:
            match = DOC_FILE.search(message)
            warnings.setdefault(match.group(1) if match else "", []).append((where, line, message))
    uris = set(warnings) | set(targets)
    return {uri: PageNotes(tuple(warnings.get(uri, ())), targets.get(uri, ())) for uri in uris}
