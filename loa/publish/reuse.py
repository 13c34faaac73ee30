"""What a build takes from the site it replaces: pages that would come out the same.

A page's HTML is made from its `PlannedPage` and from its language's environment: the rest of
the language's plan (navigation, strings, settings, the list of pages and images), `mkdocs.yml`,
`theme/`, Loa's code and the versions of the packages that render it. After publishing a site,
`build` records in `.loa-cache/` a fingerprint of each language's environment, a digest of each
page's plan, and the size and modification time of each page's file. The next build into the
same folder renders only the pages whose plan or environment changed; the others are hard-linked
from the previous site (no bytes copied), provided their files are still the ones Loa wrote.

Outputs (the search bundles, the sitemap...) are taken over by the same rule, by their own digests
(`loa/outputs/__init__.py`). Pure Python, no MkDocs: `tests/test_reuse.py` checks that a rebuild equals a
clean build, byte for byte, with the same warnings.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path

from loa.cache.files import write_atomically
from loa.cache.keys import code_fingerprint, digest, of_bytes, of_path
from loa.plan.site import LanguagePlan, PlannedPage, shown_path
from loa.publish.files import files_under, link_files

FORMAT = 3
KIND = f"reuse-{FORMAT}"
"""The kind of this module's digests (`loa/cache/keys.py`)."""


def project_fingerprint(root: Path) -> str:
    """`mkdocs.yml` and every file of `theme/`, by content (read again for each build: `serve` edits them)."""
    theme = root / "theme"
    files = sorted(path for path in theme.rglob("*") if path.is_file()) if theme.is_dir() else []
    return digest(KIND, [code_fingerprint(), (root / "mkdocs.yml").read_bytes().hex(),
                    *(f"{path.relative_to(theme).as_posix()}:{path.read_bytes().hex()}" for path in files)])


def environment(project: str, plan: LanguagePlan) -> str:
    """Everything besides a page's own plan that shapes a language's pages."""
    images = []
    for path, source in plan.assets:
        stat = source.stat()
        images.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(KIND, [project, repr(replace(plan, pages=())), *(page.src_uri for page in plan.pages), *images])


def page_digests(plan: LanguagePlan) -> dict[str, str]:
    """A digest of each page's plan (pickled without memo: equal plans give equal bytes).

    The pickle is only hashed: `.loa-cache/` keeps the hex digest; nothing is ever unpickled.
    """
    digests = {}
    for page in plan.pages:
        stream = io.BytesIO()
        pickler = pickle.Pickler(stream, protocol=5)
        pickler.fast = True
        pickler.dump(page)
        digests[page.src_uri] = of_bytes(stream.getvalue())
    return digests


def built_file(out: Path, page: PlannedPage) -> Path:
    return Path(built_path(out, page))


def built_path(out: Path | str, page: PlannedPage) -> str:
    """Where a page's HTML is in the site `out`, as text: made 1,200 times a language by every output that reads
    the pages (one `Path` from a string costs a quarter of two `/` joins)."""
    return os.path.join(out, page.url.strip("/"), "index.html")


@dataclass(frozen=True)
class PageRecord:
    digest: str
    size: int
    mtime_ns: int
    warnings: tuple[tuple[int, str], ...] = ()
    """MkDocs' warnings about this page: (line, message)."""
    anchor_targets: tuple[str, ...] = ()
    """Pages this page links to with an #anchor (MkDocs checks those anchors when it renders the page)."""


@dataclass(frozen=True)
class LanguageRecord:
    environment: str
    pages: Mapping[str, PageRecord]
    rendered: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """The files besides its pages that rendering the language wrote (its theme's files, images, 404 and
    offline pages), by their path in its folder: (size, modification time) as published."""
    said: tuple[tuple[str, int, str], ...] = ()
    """What MkDocs said about the language and no page of it: (shown path, line, message)."""


@dataclass(frozen=True)
class SiteRecord:
    """What the site in `out` was built from, read from and written to `.loa-cache/`."""

    out: Path
    languages: Mapping[str, LanguageRecord]

    @staticmethod
    def path(cache_dir: Path, out: Path) -> Path:
        return cache_dir / f"site-{of_path(out)}.json"

    @classmethod
    def load(cls, cache_dir: Path, out: Path) -> SiteRecord | None:
        try:
            data = json.loads(cls.path(cache_dir, out).read_text(encoding="utf-8"))
            if data["format"] != FORMAT or data["out"] != str(out.resolve()):
                return None
            return cls(out.resolve(), {lang: LanguageRecord(
                entry["environment"],
                {uri: PageRecord(d, s, m, tuple((line, text) for line, text in w), tuple(a))
                 for uri, (d, s, m, w, a) in entry["pages"].items()},
                {str(name): (int(size), int(mtime)) for name, (size, mtime) in entry["rendered"].items()},
                tuple((str(where), int(line), str(text)) for where, line, text in entry["said"]))
                for lang, entry in data["languages"].items()})
        except Exception:  # missing, or written by another version: the build renders everything
            return None

    def save(self, cache_dir: Path) -> None:
        data = {"format": FORMAT, "out": str(self.out), "languages": {lang: {
            "environment": record.environment,
            "pages": {uri: [p.digest, p.size, p.mtime_ns, [list(w) for w in p.warnings], list(p.anchor_targets)]
                      for uri, p in record.pages.items()},
            "rendered": {name: list(stat) for name, stat in record.rendered.items()},
            "said": [list(said) for said in record.said]}
            for lang, record in self.languages.items()}}
        write_atomically(self.path(cache_dir, self.out), json.dumps(data, separators=(",", ":")))


@dataclass(frozen=True)
class Reuse:
    """What one build takes from the site it replaces (nothing when there is no record of it)."""

    previous: SiteRecord | None = None
    project: str | None = None
    """The project's fingerprint (`project_fingerprint`); None: nothing is taken over or recorded (no cache)."""
    environments: dict[str, str] = field(default_factory=dict)
    digests: dict[str, dict[str, str]] = field(default_factory=dict)
    pages: dict[str, dict[str, PageRecord]] = field(default_factory=dict)
    """Language -> the pages taken over, with what was noted about them."""
    linked: dict[str, Mapping[str, tuple[int, int]]] = field(default_factory=dict)
    """Language -> the files of its last render taken over with its pages (`link_rendered`), as recorded."""
    wrote: dict[str, list[str]] = field(default_factory=dict)
    """Language -> the files its render wrote besides its pages (`note_render`)."""

    @classmethod
    def find(cls, cache_dir: Path, out: Path, root: Path) -> Reuse:
        """What the site in `out` offers: `add` each language as it is planned."""
        return cls(SiteRecord.load(cache_dir, out), project_fingerprint(root))

    def add(self, plan: LanguagePlan, digests: dict[str, str] | None = None) -> None:
        """Find the pages of one more language that the previous site has as they would come out.
        `digests`: its `page_digests`, if worked out already (where it was planned)."""
        if self.project is None:
            return
        self.environments[plan.lang] = environment(self.project, plan)
        self.digests[plan.lang] = digests if digests is not None else page_digests(plan)
        self.pages[plan.lang] = reusable_pages(self.previous, self.environments[plan.lang], plan,
                                               self.digests[plan.lang])

    @property
    def count(self) -> int:
        return sum(len(pages) for pages in self.pages.values())

    def skip(self, plan: LanguagePlan) -> frozenset[str]:
        """The pages of `plan` not to render."""
        return frozenset(self.pages.get(plan.lang, ()))

    def link(self, plan: LanguagePlan, staging: Path, pool: Executor | None = None) -> None:
        """Put the pages taken over into `staging`; with `pool`, in a worker process (see `link_pages`)."""
        if self.previous is not None and self.pages.get(plan.lang):
            link_pages(self.previous.out, staging, plan, self.pages[plan.lang], pool)

    def built(self, plan: LanguagePlan, staging: Path) -> Callable[[PlannedPage], Path]:
        """Where each page's HTML is while the build runs: pages taken over are read in the old site."""
        taken, old = self.pages.get(plan.lang, {}), self.previous.out if self.previous else staging
        return lambda page: built_file(old if page.src_uri in taken else staging, page)

    def rendered(self, plan: LanguagePlan) -> tuple[tuple[str, int, str], ...] | None:
        """When nothing of `plan` is to be rendered (every page taken over, in the same environment) and the
        previous site still has the other files its render wrote as they were: what MkDocs said about the
        language then (its render is not run again: `link_rendered` takes its files). Else None."""
        record = self.previous.languages.get(plan.lang) if self.previous is not None else None
        if record is None or not record.rendered or not self.unchanged(plan) \
                or record.environment != self.environments.get(plan.lang):
            return None
        folder = self.previous.out / plan.lang  # type: ignore[union-attr]
        return record.said if _stats(folder, record.rendered) == record.rendered else None

    def link_rendered(self, plan: LanguagePlan, staging: Path) -> None:
        """Put the files of the language's last render besides its pages into `staging` (see `rendered`)."""
        assert self.previous is not None
        names = self.previous.languages[plan.lang].rendered
        link_files((os.path.join(self.previous.out, plan.lang, name), os.path.join(staging, plan.lang, name))
                   for name in names)
        self.linked[plan.lang] = names

    def note_render(self, plan: LanguagePlan, staging: Path) -> None:
        """Note the files the language's render just wrote into `staging` besides its pages: all there is in its
        folder but pages, before any page is linked or any output writes there (`save` records them)."""
        if plan.lang not in self.linked:
            folder = staging / plan.lang
            pages = {built_file(staging, page).relative_to(folder).as_posix() for page in plan.pages}
            self.wrote[plan.lang] = [name for name, _stat in files_under(folder) if name not in pages]

    def unchanged(self, plan: LanguagePlan) -> bool:
        """True when every page of the language is taken over."""
        return len(self.pages.get(plan.lang, ())) == len(plan.pages)

    def warnings(self, plan: LanguagePlan) -> tuple[tuple[str, int, str], ...]:
        """MkDocs' warnings about the pages taken over, as it gave them: (shown path, line, message)."""
        taken = self.pages.get(plan.lang, {})
        return tuple((shown_path(plan, page), line, message) for page in plan.pages if page.src_uri in taken
                     for line, message in taken[page.src_uri].warnings)

    def save(self, cache_dir: Path, out: Path, plans: Iterable[LanguagePlan],
             warnings: Mapping[str, Iterable[tuple[str, int, str]]],
             anchors: Mapping[str, Mapping[str, tuple[str, ...]]]) -> None:
        """Note what the site just published in `out` was made from, for the next build.

        `warnings` and `anchors` are the renders' (language -> MkDocs warnings; src_uri -> pages linked with
        an #anchor).
        """
        languages = {}
        for plan in plans:
            by_path = {shown_path(plan, page): page.src_uri for page in plan.pages}
            noted: dict[str, list[tuple[int, str]]] = {}
            said = []
            for where, line, message in warnings.get(plan.lang, ()):
                if where in by_path:
                    noted.setdefault(by_path[where], []).append((line, message))
                else:
                    said.append((where, line, message))
            targets = dict(anchors.get(plan.lang, {}))
            for uri, old in self.pages.get(plan.lang, {}).items():
                noted[uri], targets[uri] = list(old.warnings), old.anchor_targets
            languages[plan.lang] = LanguageRecord(
                self.environments[plan.lang],
                record_pages(out, plan, self.digests[plan.lang], {uri: tuple(w) for uri, w in noted.items()}, targets),
                self.linked.get(plan.lang) or _stats(out / plan.lang, self.wrote.get(plan.lang, ())), tuple(said))
        with contextlib.suppress(OSError):  # unsaved, the next build renders everything
            SiteRecord(out.resolve(), languages).save(cache_dir)


def _stats(folder: Path, names: Iterable[str]) -> dict[str, tuple[int, int]]:
    """The size and modification time of each file `names` names in `folder` (those gone are left out)."""
    found = {}
    for name in names:
        with contextlib.suppress(OSError):
            stat = os.stat(folder / name)
            found[name] = (stat.st_size, stat.st_mtime_ns)
    return found


def reusable_pages(previous: SiteRecord | None, env: str, plan: LanguagePlan,
                   digests: Mapping[str, str]) -> dict[str, PageRecord]:
    """The pages of `plan` whose file in the previous site is what rendering them would give."""
    record = previous.languages.get(plan.lang) if previous else None
    if previous is None or record is None or record.environment != env:
        return {}
    found: dict[str, PageRecord] = {}
    for page in plan.pages:
        old = record.pages.get(page.src_uri)
        if old is None or old.digest != digests[page.src_uri]:
            continue
        try:
            stat = built_file(previous.out, page).stat()
        except OSError:
            continue
        if (stat.st_size, stat.st_mtime_ns) == (old.size, old.mtime_ns):
            found[page.src_uri] = old
    # A page linking to an anchor of a page that is rendered again is rendered too, so that
    # MkDocs checks that anchor against the new page.
    return {uri: old for uri, old in found.items() if all(target in found for target in old.anchor_targets)}


def link_pages(previous: Path, staging: Path, plan: LanguagePlan, uris: Mapping[str, PageRecord],
               pool: Executor | None = None) -> None:
    """Put the reused pages' files from the previous site into the new one.

    With `pool`, the links are made in one of the build's worker processes. Made here, on a thread beside
    others that hold the interpreter, each of the 2,400 system calls of a language waited for its turn:
    1,200 pages took 0.7-1.0 s instead of 0.1 s, and held up the search documents beside them."""
    pairs = [(built_path(previous, page), built_path(staging, page))
             for page in plan.pages if page.src_uri in uris]
    if pool is None:
        link_files(pairs)
    else:
        pool.submit(link_files, pairs).result()


def record_pages(out: Path, plan: LanguagePlan, digests: Mapping[str, str],
                 warnings: Mapping[str, tuple[tuple[int, str], ...]],
                 anchors: Mapping[str, tuple[str, ...]]) -> dict[str, PageRecord]:
    """Records of a language's pages as published in `out`."""
    records = {}
    for page in plan.pages:
        try:
            stat = built_file(out, page).stat()
        except OSError:
            continue
        records[page.src_uri] = PageRecord(digests[page.src_uri], stat.st_size, stat.st_mtime_ns,
                                           warnings.get(page.src_uri, ()), anchors.get(page.src_uri, ()))
    return records


def digest_of(texts: Mapping[str, str]) -> str:
    return digest(KIND, [f"{name}\0{text}" for name, text in sorted(texts.items())])
