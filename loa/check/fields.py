"""The content schema, declared once: every field of the settings, a campaign and a front matter.

Each field has a name, a type, whether it is required, its default, a one-line description
and its validator, as `mkdocs/config/defaults.py` declares MkDocs' settings. `walk` runs the
validators of a mapping (loa/check/validate.py), `loa/check/schema_docs.py` renders the README's field
tables and the JSON Schema files in `schema/` from the same declaration.

A field that points at other files (topics, audiences, materials, an image) names a
reference (`ref`) instead of a validator: loa/check/validate.py resolves it against the files
collected before, as a cross-file rule. A field with neither is passed on to MkDocs unread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from loa.check.freshness import follows_value
from loa.check.urls import runs_code
from loa.check.validators import AGES, LANGUAGE_TAG, Checker, blank
from loa.load.source import Node
from loa.messages import N_, _
from loa.model import DOCUMENT_TYPES, Event, Hotline, Source

Validate = Callable[[Checker, Node, str], Any]


@dataclass(frozen=True)
class Type:
    """What a value is: its name in the README, its JSON Schema, and how Loa checks it."""

    name: str
    json: Mapping[str, Any]
    check: Validate | None = None
    fields: Fields | None = None  # a mapping with declared keys, or a list of them


@dataclass(frozen=True)
class Field:
    """One key of a file, declared once: validation, the README's tables and the JSON Schema read it."""

    name: str
    """The key, as written in the file."""
    type: Type
    """What the value may be, and its validator."""
    doc: str
    """One line for the README's field table and the JSON Schema's description."""
    required: bool = False
    default: Any = None
    """The value when the key is absent."""
    ref: str = ""
    """What the value names in other files (topic, audience, material, image): resolved by loa/check/references.py."""


@dataclass(frozen=True)
class Fields:
    """The keys of one mapping. `partial`: check the given fields even when a required one is missing."""

    title: str
    fields: tuple[Field, ...]
    partial: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)  # JSON Schema of keys not declared here

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def walk(check: Checker, node: Node, label: str, fields: Fields,
         refs: Mapping[str, Validate] | None = None) -> dict[str, Any] | None:
    """Check a mapping against its declared fields; the converted values (defaults for absent ones).

    None when the node is not a mapping, or a required key is missing and the fields are not `partial`
    (the missing key is reported; the other fields are then not checked).
    """
    found = check.mapping(node, label, required=fields.required, optional=fields.keys)
    if found is None or (not fields.partial and not all(k in found for k in fields.required)):
        return None
    return run(check, found, label, fields, refs)


def run(check: Checker, found: Mapping[str, Node], label: str, fields: Fields,
        refs: Mapping[str, Validate] | None = None, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The validators of the fields (or of those named in `only`) over a mapping already checked for its keys."""
    values: dict[str, Any] = {}
    for item in fields.fields:
        if only is not None and item.name not in only:
            continue
        validate = (refs or {}).get(item.ref) if item.ref else item.type.check
        if item.name in found and not item.required and blank(found[item.name]):
            values[item.name] = item.default  # what the CMS writes for a field left empty: as if absent
        elif item.name in found and validate is not None:
            values[item.name] = validate(check, found[item.name], f"{label}.{item.name}" if label else item.name)
        else:
            values[item.name] = item.default
    return values


# -- value types --------------------------------------------------------------------------------

_STRING_JSON = {"type": ["string", "number"], "pattern": r"\S"}
_DATE_JSON = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

STRING = Type("text", _STRING_JSON, lambda c, n, label: c.string(n, label))
TEXT = Type("text or {language: text}", {"anyOf": [
    _STRING_JSON,
    {"type": "object", "minProperties": 1, "propertyNames": {"pattern": LANGUAGE_TAG.pattern},
     "additionalProperties": _STRING_JSON},
]}, lambda c, n, label: c.text(n, label))
DATE = Type("date YYYY-MM-DD", _DATE_JSON, lambda c, n, label: c.date(n, label))
INTEGER = Type("whole number", {"type": "integer"}, lambda c, n, label: c.integer(n, label))
BOOLEAN = Type("yes/no", {"type": "boolean"}, lambda c, n, label: n.value is True)
ANY = Type("any", {})


def choice(values: tuple[str, ...]) -> Type:
    return Type(" \\| ".join(values), {"enum": list(values)}, lambda c, n, label: c.choice(n, label, values))


def ids(what: str) -> Type:
    """A list of names of other files, checked by a cross-file rule (the field's `ref`)."""
    return Type(f"list of {what} names", {"type": "array", "items": {"type": "string"}, "uniqueItems": True})


def list_of(item: Type) -> Type:
    def check(c: Checker, node: Node, label: str) -> list[Any]:
        assert item.check is not None
        values = (item.check(c, n, f"{label}[{i}]") for i, n in enumerate(c.sequence(node, label)) if not blank(n))
        return [v for v in values if v is not None]
    return Type(f"list of {item.name}", {"type": "array", "items": item.json}, check, item.fields)


def mapping(fields: Fields, build: Callable[[dict[str, Any]], Any] = dict) -> Type:
    def check(c: Checker, node: Node, label: str) -> Any:
        values = walk(c, node, label, fields)
        return None if values is None else build(values)
    return Type(fields.title, {}, check, fields)


def _ages(check: Checker, node: Node, label: str) -> str:
    ages = check.string(node, label) or ""
    match = AGES.match(ages)
    if ages and (not match or int(match.group(1)) > int(match.group(2))):
        check.report.error(node.pos, _("%(label)s: '%(value)s' is not an age band", label=label, value=ages),
                           _("write it as 6-10"))
        return ""
    return ages


def _web_address(check: Checker, node: Node, label: str) -> str:
    url = check.string(node, label) or ""
    if url and not url.startswith(("https://", "http://")):
        scheme = runs_code(url)
        what = (_("%(label)s: '%(url)s' a %(scheme)s address runs code in the reader's browser", label=label,
                  url=url, scheme=scheme) if scheme
                else _("%(label)s: '%(url)s' is not a web address", label=label, url=url))
        check.report.error(node.pos, what, _("write the full address starting with https://"))
    return url


def _phone(check: Checker, node: Node, label: str) -> str | None:
    number = check.string(node, label)
    if number is not None and not all(c.isdigit() or c in " +-" for c in number):
        check.report.error(node.pos, _("%(label)s: '%(value)s' is not a phone number", label=label, value=number),
                           _("digits only, for example \"111\""))
        return None
    return number


def _site_url(check: Checker, node: Node, label: str) -> str:
    url = check.string(node, label) or ""
    if url and not url.startswith(("http://", "https://")):
        check.report.error(node.pos, _("%(label)s: must start with https://", label=label),
                           _("for example https://loa.example.gov.vn/"))
        return ""
    return url


def _period(check: Checker, node: Node, label: str) -> tuple[Any, Any] | None:
    values = walk(check, node, label, PERIOD)
    if values is None or not isinstance(node.value, dict):
        return None
    start, end = values["start"], values["end"]
    if start and end and end < start:  # the one rule across two fields of a file
        check.report.error(node.value["end"].pos, _("%(label)s.end: %(end)s is before %(label)s.start %(start)s",
                                                    label=label, end=end, start=start),
                           _("swap the dates or correct the year"))
    return start, end


def _months(check: Checker, node: Node, label: str) -> int | None:
    months = check.integer(node, label)
    if months is not None and not 1 <= months <= MAX_REVIEW_MONTHS:
        check.report.error(node.pos, _("%(label)s: %(value)s is not a number of months from 1 to %(most)s",
                                       label=label, value=months, most=MAX_REVIEW_MONTHS),
                           _("for example 12: the facts are checked again every year"))
        return None
    return months


MAX_REVIEW_MONTHS = 120
MONTHS = Type("number of months", {"type": "integer", "minimum": 1, "maximum": MAX_REVIEW_MONTHS}, _months)


def _optional(build: Callable[..., Any], *names: str) -> Callable[[dict[str, Any]], Any]:
    """Build the model object only when each of `names` came out valid."""
    return lambda v: build(**v) if all(v[n] is not None for n in names) else None


# -- the declaration --------------------------------------------------------------------------------

HOTLINE = Fields("hotline", (
    Field("number", Type("phone number", {"type": ["string", "integer"], "pattern": r"^[0-9 +-]+$"}, _phone),
          "the number to call, digits with optional spaces, '+' or '-'", required=True),
    Field("name", TEXT, "the hotline's name, shown beside the number", required=True),
))

LANGUAGE = Fields("language", (
    Field("name", STRING, "the language's name, written in the language itself", required=True),
    Field("fallback", Type("list of language codes", {"type": "array", "items": {"type": "string"}},
                           lambda c, n, label: c.sequence(n, label)),
          "languages a reader sees, in order, when a page or string is missing; the default is always last"),
    Field("partial", BOOLEAN, "the language is knowingly incomplete: no warnings for missing translations",
          default=False),
))

_WEB = Type("web address", {"type": "string", "pattern": "^https?://"}, _site_url)

CMS_BACKEND = Fields("backend", (
    Field("name", choice(("gitlab", "gitea", "github")), "the Git host: GitLab, Gitea or Forgejo (`gitea`), GitHub",
          required=True),
    Field("repo", STRING, "the site's repository on that host, `owner/name`", required=True),
    Field("branch", STRING, "the branch the CMS commits to, the one the site is built from", default="main"),
    Field("app_id", STRING, "the client ID of the OAuth application made on the host (GitLab, Gitea/Forgejo)"),
    Field("base_url", _WEB, "a self-hosted GitLab's or Gitea's address; for GitHub, the OAuth server's"),
    Field("api_root", _WEB, "the host's API when it is not at the usual place, e.g. `https://git.example.gov.vn/api/v1`"),
    Field("auth_endpoint", STRING, "GitHub: the login path on the OAuth server (default `auth`)"),
))

CMS = Fields("cms", (
    Field("backend", mapping(CMS_BACKEND), "the Git host that `/admin/` reads and commits to", required=True),
))

SETTINGS = Fields("extra.loa", (
    Field("default_language", Type("language code", {"type": "string", "pattern": LANGUAGE_TAG.pattern}),
          "every text must exist in this language", required=True),
    Field("languages", Type("{code: language}", {"type": "object", "minProperties": 1,
                                                 "propertyNames": {"pattern": LANGUAGE_TAG.pattern}},
                            fields=LANGUAGE),
          "the site's languages, in the language switcher's order", required=True),
    Field("hotline", mapping(HOTLINE, _optional(Hotline, "number", "name")), "the hotline shown on every page",
          required=True),
    Field("site_name", TEXT, "the site's name", default="Loa"),
    Field("description", TEXT, "the site's description, for search engines"),
    Field("site_url", Type("web address", {"type": "string", "pattern": "^https?://"}, _site_url),
          "the published address, for canonical links and `sitemap.xml`", default=""),
    Field("review_every", MONTHS, "months after `reviewed` when a material's facts are due for review again",
          default=12),
    Field("cms", mapping(CMS), "publish `/admin/`, the CMS in the browser, saving to a Git host; off without it"),
))

PERIOD = Fields("period", (
    Field("start", DATE, "first day of the campaign", required=True),
    Field("end", DATE, "last day of the campaign, not before start", required=True),
))

EVENT = Fields("event", (
    Field("date", DATE, "the day of the event", required=True),
    Field("title", TEXT, "what happens", required=True),
    Field("place", TEXT, "where it happens"),
))

IMAGE = Fields("image", (
    Field("src", STRING, "a file in `content/<lang>/`, e.g. `images/safe-summer.svg`", required=True),
    Field("alt", TEXT, "what the picture shows, for readers who cannot see it", required=True),
))

CAMPAIGN = Fields("campaign", (
    Field("title", TEXT, "the campaign's name", required=True),
    Field("summary", TEXT, "one or two sentences, shown in listings", required=True),
    Field("status", choice(("draft", "published", "archived")),
          "`draft`: not published unless `--drafts`; `archived`: always ended", required=True),
    Field("period", Type("{start: date, end: date}", {}, _period, PERIOD),
          "when the campaign runs", required=True),
    Field("topics", ids("topic"), "file names in `content/<default>/topics/`", required=True, default=(), ref="topic"),
    Field("audiences", ids("audience"), "file names in `content/<default>/audiences/`", required=True, default=(),
          ref="audience"),
    Field("key_messages", list_of(TEXT), "the messages the campaign repeats", default=[]),
    Field("materials", Type("list of material paths", {"type": "array", "items": {"type": "string"}}),
          "paths of materials in `content/<lang>/`, without `.md`", default=(), ref="material"),
    Field("start_here", Type("list of material paths", {"type": "array", "items": {"type": "string"}, "maxItems": 2}),
          "one or two of its `materials` to read first: its page shows them as \"Start here\"", default=(),
          ref="material"),
    Field("events", list_of(mapping(EVENT, _optional(Event, "date", "title"))), "dated events of the campaign",
          default=[]),
    Field("image", Type("image", {}, fields=IMAGE), "the campaign's picture; alt text is required", ref="image"),
    Field("draft_languages", Type("list of language codes", {"type": "array", "items": {"type": "string"}},
                                  lambda c, n, label: c.ids(n, label, c.languages, N_("language"))),
          "languages whose texts await a native speaker's review (readers see a notice)", default=()),
), partial=True)

SOURCE = Fields("source", (
    Field("title", STRING, "the title of the cited work", required=True),
    Field("publisher", STRING, "who published it", required=True),
    Field("year", INTEGER, "the year it was published", required=True),
    Field("url", Type("web address", {"type": "string", "pattern": "^https?://"}, _web_address),
          "where to read it, starting with `https://`", default=""),
))

TRANSLATION = Fields("translation", (
    Field("status", choice(("draft", "reviewed")), "`draft`: not yet checked by a native speaker (shown to readers)",
          required=True),
    Field("note", STRING, "a note for readers about the translation", default=""),
    Field("follows", Type("digest", {"type": "string", "pattern": "^[0-9a-f]{12}$"}, follows_value),
          "the version of the original this translation follows, written by `build.py translations --mark`",
          default=""),
))

FRONT_MATTER = Fields("front matter", (
    Field("title", STRING, "the page's title and heading", required=True),
    Field("summary", STRING, "one or two sentences, shown in listings and as the page description", default=""),
    Field("type", choice(DOCUMENT_TYPES),
          "what kind of material; required outside `index.md`, `topics/` and `audiences/`", default="page"),
    Field("topics", ids("topic"), "file names in `content/<default>/topics/`", default=(), ref="topic"),
    Field("audiences", ids("audience"), "file names in `content/<default>/audiences/`", default=(), ref="audience"),
    Field("ages", Type("age band", {"type": "string", "pattern": AGES.pattern}, _ages),
          "an age band for children, e.g. `6-10`", default=""),
    Field("sources", list_of(mapping(SOURCE, _optional(Source, "title", "publisher", "year"))),
          "where each fact comes from; required for materials", default=[]),
    Field("reviewed", DATE, "when the content was last checked; required for materials"),
    Field("review_every", MONTHS, "this material's review cycle in months, instead of the site's `review_every`"),
    Field("print", BOOLEAN, "whether this material has an A4 PDF; by default checklists, fact sheets, lesson plans "
          "and posters have one, other types do not"),
    Field("translation", mapping(TRANSLATION), "on a translation: its review status"),
    Field("description", ANY, "passed on to MkDocs"),
    Field("hide", ANY, "passed on to MkDocs"),
    Field("image", ANY, "passed on to MkDocs"),
))
