"""The service worker (`sw.js` at the site's root): pages a reader opened or saved stay readable offline.

Its code is `theme/loa/sw.js`; this output writes it with the site's languages and a version, the digest
of every page, image and theme file of the build. A build that changes any of them changes `sw.js`, so
browsers install the new worker on the reader's next online visit, and it deletes the old caches
(docs/architecture.md, "Offline"). `assets/javascripts/loa-offline.js` registers it after `load`;
`serve` does not serve it (loa/serve/server.py), so the preview always shows the text just saved.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from loa.cache.filememo import FileMemo
from loa.outputs.base import Reads, Scope, Target, Written, digest

WORKER = "sw.js"
SOURCE = Path("theme") / "loa" / "sw.js"
KEPT_LIMIT = 200
"""Entries (pages, images, styles) the worker keeps from earlier versions for reading offline, the oldest
dropped first; what a reader saved is kept beyond it."""
LARGE = 2_000_000
"""Bytes: a larger answer is never kept (a reader's phone has little room); offline copies never are."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(target: Target) -> str:
    """A digest of every file the worker may keep. Each file's own digest is kept by its identity
    (loa/cache/filememo.py): a rebuild after one edit hashes the pages that changed, not 3,600 of them."""
    memo = FileMemo(target.cache / "files.json" if target.cache is not None else None)

    def file(path: Path) -> str:
        try:
            return memo.get(path, _sha256)
        except OSError:  # a page or image that is not there is part of what the version says
            return "missing"

    theme = target.site.root / "theme"
    parts = [f"{path.relative_to(theme).as_posix()}:{file(path)}" for path in sorted(theme.rglob("*"))
             if path.is_file()]
    for language in target.plan.languages:
        parts += [f"{page.url}:{file(target.built(page))}" for page in language.pages]
        parts += [f"{language.lang}/{name}:{file(source)}" for name, source in language.assets]
    memo.save()
    return digest(parts)[:20]


class ServiceWorker:
    name = "serviceworker"
    scope: Scope = "site"
    reads: Reads = "pages"

    def digest(self, target: Target, previous: str | None) -> str:
        version = _version(target)
        target.memo["version"] = version
        return digest([version, (target.site.root / SOURCE).read_text(encoding="utf-8"),
                       *(language.lang for language in target.plan.languages)])

    def write(self, target: Target) -> Written:
        version = str(target.memo.get("version") or _version(target))
        languages = json.dumps([language.lang for language in target.plan.languages])
        code = (target.site.root / SOURCE).read_text(encoding="utf-8")
        code = code.replace("__LOA_VERSION__", version).replace("__LOA_LANGUAGES__", languages) \
            .replace("__LOA_KEPT_LIMIT__", str(KEPT_LIMIT)).replace("__LOA_LARGE__", str(LARGE))
        (target.out / WORKER).write_text(code, encoding="utf-8")
        return Written((WORKER,), f"version {version[:8]}")
