"""The language Loa speaks to its user: every message goes through `_` or `ngettext`.

The catalogs are gettext `.po` files in `loa/locale/<lang>/LC_MESSAGES/loa.po`, kept in the
repository and compiled with Babel on first use (no binary file in git, no build step: a fresh
clone speaks every language it has a catalog for). `make messages` extracts the messages from the
code into `loa/locale/loa.pot` and updates the catalogs (docs/architecture.md, "Messages").

A message has named placeholders, filled after translation, so that a translator can put them in
another order: `_("unknown topic '%(topic)s'", topic=name)`. The language is chosen once per
process by the command line (`use`); worker processes are forked and keep it, and a process
started another way finds it in the environment variable `LOA_MESSAGES`, which `use` sets.
"""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import io
import os
import threading
from functools import cache
from pathlib import Path

DOMAIN = "loa"
LOCALE = Path(__file__).resolve().parent / "locale"
ENVIRONMENT = "LOA_MESSAGES"
"""The environment variable naming the message language (README: "The language of Loa's messages")."""
FALLBACK = "en"
"""The language of the messages as written in the code."""

_lock = threading.Lock()
_chosen: str | None = None


@cache  # Loa's own catalogs: every message asks (2,000 times in a check at N=1000)
def available() -> tuple[str, ...]:
    """The languages Loa has a catalog for, English first."""
    found = sorted(path.parent.parent.name for path in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (FALLBACK, *(code for code in found if code != FALLBACK))


def choose(option: str | None, environ: dict[str, str] | os._Environ[str], project: str | None) -> str:
    """The message language: the option, else the environment, else the project's default language
    when Loa has a catalog for it, else English. An option or environment naming no catalog is the
    caller's usage error (see `unknown`); the project's language falls back quietly."""
    for given in (option, environ.get(ENVIRONMENT)):
        if given:
            return given.strip()
    return project if project in available() else FALLBACK


def unknown(code: str) -> bool:
    return code not in available()


def use(code: str | None) -> None:
    """Speak `code` from now on in this process and in the processes it starts; None: as the environment says."""
    global _chosen
    with _lock:
        _chosen = code
        if code is not None:
            os.environ[ENVIRONMENT] = code


def current() -> str:
    """The language messages are given in now."""
    code = _chosen or os.environ.get(ENVIRONMENT, FALLBACK)
    return code if code in available() else FALLBACK


def _(message: str, **values: object) -> str:
    """`message` in the chosen language, its `%(name)s` placeholders filled from `values`."""
    text = _catalog(current()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """The form for the number `n` (the catalog's plural rule); `%(n)s` is `n`, the others come from `values`."""
    return _catalog(current()).ngettext(singular, plural, n) % {"n": n, **values}


def in_language(code: str, message: str) -> str:
    """`message` in the language `code` whatever language is chosen (English without a catalog for `code`):
    for text that belongs to a project rather than to the person running Loa (the CMS's labels)."""
    return _catalog(code if code in available() else FALLBACK).gettext(message)


def N_(message: str) -> str:  # noqa: N802 (the name pybabel and translators know)
    """Marks a message for extraction where it is defined; `_` translates it where it is shown."""
    return message


def fingerprint() -> str:
    """Names the language and its catalog's text: what was said in another language or wording is said again."""
    path = _path(current())
    return f"{current()}:{_digest(path)}"


def _path(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else ""


@cache
def _catalog(code: str) -> gettext.NullTranslations:
    """The compiled catalog. Parsing a `.po` takes Babel a few tenths of a second, so the compiled form
    is kept beside it, named by the digest of the `.po` it came from (ignored by git); where that
    folder cannot be written, it is compiled in memory each time."""
    path = _path(code)
    if not path.exists():
        return gettext.NullTranslations()
    compiled = path.with_name(f".{DOMAIN}-{_digest(path)}.mo")
    try:
        with compiled.open("rb") as kept:
            return gettext.GNUTranslations(kept)
    except (OSError, ValueError):  # not compiled yet, or a torn file: compile again
        pass
    data = _compile(path, code)
    with contextlib.suppress(OSError):
        for stale in path.parent.glob(f".{DOMAIN}-*.mo"):
            stale.unlink()
        partial = compiled.with_name(f"{compiled.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, compiled)
    return gettext.GNUTranslations(io.BytesIO(data))


def _compile(path: Path, code: str) -> bytes:
    from babel.messages.mofile import write_mo  # Babel's catalog code loads only to compile
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalog = read_po(po, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: an unsure translation shows the English
    return compiled.getvalue()
