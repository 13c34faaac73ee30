"""The Decap CMS configuration, generated from the declared schema (loa/check/fields.py).

`cms_config` gives the whole configuration as data (the caller writes it as YAML or JSON): the
backend it is given (`serve`'s proxy, or a Git host for the published `/admin/`), one folder
collection per content section and a collection of the campaigns. Each front-matter and campaign
field of the declaration becomes a form field with its widget: a select for choices and for the
project's real topics, audiences and materials, a date picker for dates, a list for sources and
events, an image with its alt text required, the Markdown body in raw mode only (Decap's rich-text
editor rewrites valid Markdown).

**The virtual tree.** Decap's `multiple_folders` i18n wants `<folder>/<locale>/<slug>.md`, while
Loa's files are `content/<lang>/<section>/<path>.md`. So a section is the collection
`content/<section>`, Decap sees a material as `content/<section>/<lang>/<rest>`, and
`virtual_to_real`/`real_to_virtual` turn one into the other (the proxy in loa/serve/ uses exactly
these). Campaigns are `campaigns/<id>.yml` on both sides: one file holds every language, so their
texts are objects with one field per language. Anything else is outside what the CMS may touch
(None).

**Media.** Pictures are uploaded into the default language's `content/<lang>/images/` (README
"Photos"), the same path on both sides. What Decap writes for them is what Loa's link and image
checks accept: a material of a section links `../images/<file>` (its Markdown is one folder
below `content/<lang>/`), a campaign's `image.src` is `images/<file>` (relative to
`content/<lang>/`, as loa/check/references.py resolves it).

**Labels and hints** are the project's, not the person's running Loa: they are written in the
project's default language (through its message catalog, `in_language`), so a Vietnamese site
gets a Vietnamese form even when Loa speaks English to the developer who started it; a language
without a catalog gets English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from loa.check.fields import ANY, BOOLEAN, CAMPAIGN, DATE, FRONT_MATTER, TEXT, Field, Fields
from loa.check.validators import SLUG
from loa.messages import N_, in_language
from loa.model import DOCUMENT_TYPES, Site

DECAP = Path(__file__).resolve().parents[2] / "vendor" / "decap-cms"
"""Decap's built files, beside the `loa` package (vendor/decap-cms/README.md): served by `serve`'s /admin/
(loa/serve/cms/app.py) and copied by the published one (loa/outputs/admin.py)."""
CONTENT = "content"
CAMPAIGNS = "campaigns"
MEDIA = "images"
"""The folder of pictures in `content/<lang>/`."""
HUBS = ("topics", "audiences")
"""Sections whose pages are topics or audiences: no `type`, sources or review date."""
DECAP_LOCALES = frozenset(("bg", "ca", "cs", "da", "de", "en", "es", "fa", "fr", "he", "hr", "hu", "it", "ja", "ko",
                           "lt", "mk", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "th", "tr", "uk", "vi"))
"""The interface languages of Decap 3.16 (its decap-cms-locales package) that are language codes."""

# The same in every language (Decap's "duplicate"): what a material is, not how it is said.
_DUPLICATE = frozenset(("type", "topics", "audiences", "ages", "sources", "reviewed", "review_every", "print"))
_MATERIAL_REQUIRED = frozenset(("type", "sources", "reviewed"))
"""Optional in a front matter (pages, hubs), required of a material (loa/check/validate.py warns without them)."""

LABELS: Mapping[str, str] = {
    "title": N_("Title"), "summary": N_("Summary"), "type": N_("Material type"), "topics": N_("Topics"),
    "audiences": N_("Audiences"), "ages": N_("Age band"), "sources": N_("Sources"),
    "reviewed": N_("Reviewed date"), "review_every": N_("Review again after (months)"),
    "print": N_("A4 print file"), "translation": N_("Translation"), "status": N_("Status"),
    "note": N_("Note for readers"), "follows": N_("Follows the original"), "body": N_("Text"),
    "period": N_("Period"), "start": N_("Start"), "end": N_("End"), "key_messages": N_("Key messages"),
    "materials": N_("Materials"), "start_here": N_("Start here"), "events": N_("Events"), "date": N_("Date"),
    "place": N_("Place"), "image": N_("Image"), "src": N_("Picture file"), "alt": N_("Alt text"),
    "draft_languages": N_("Languages awaiting review"), "publisher": N_("Publisher"), "year": N_("Year"),
    "url": N_("Web address"), "sources.title": N_("Title of the cited work"),
}
HINTS: Mapping[str, str] = {
    "summary": N_("One or two sentences, shown in listings and search results."),
    "topics": N_("The topics this is about: the pages in content/<default>/topics/."),
    "audiences": N_("Who it is written for: the pages in content/<default>/audiences/."),
    "ages": N_("An age band for children, e.g. 6-10."),
    "sources": N_("Where each fact comes from: title, publisher and year of every cited work."),
    "reviewed": N_("When an expert last checked the facts and the sources."),
    "translation": N_("Only on a translation: whether a native speaker has checked it."),
    "body": N_("Markdown. A picture: `![what the picture shows](../images/file.jpg)`, uploaded under Media first. "
               "Headings start with `##`."),
    "key_messages": N_("Short sentences the campaign repeats, on posters, SMS texts and loudspeaker scripts."),
    "materials": N_("The campaign's materials, in the order of its page."),
    "start_here": N_("One or two of its materials to read first."),
    "alt": N_("What the picture shows, for readers who cannot see it."),
    "draft_languages": N_("Languages whose texts await a native speaker's review (readers see a notice)."),
    "url": N_("Starting with https://"),
}
CHOICES: Mapping[str, str] = {
    "draft": N_("Draft"), "published": N_("Published"), "archived": N_("Archived"), "reviewed": N_("Reviewed"),
}


# -- the virtual tree -------------------------------------------------------------------------------

def _parts(path: str) -> list[str] | None:
    """The segments of a relative path; None for an absolute path, `..`, `.`, a hidden or empty segment."""
    if not path or path.startswith("/") or "\\" in path or "\0" in path or ":" in path:
        return None
    parts = path.removesuffix("/").split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    return parts


def _is_section(name: str, languages: Sequence[str]) -> bool:
    return bool(SLUG.match(name)) and name not in languages and name != MEDIA


def virtual_to_real(path: str, languages: Sequence[str]) -> str | None:
    """Loa's path for the path Decap names (a file or folder); None outside content/, campaigns/ and media."""
    parts = _parts(path)
    if parts is None:
        return None
    if parts[0] == CAMPAIGNS and len(parts) <= 2:
        return "/".join(parts)
    if parts[0] != CONTENT or len(parts) < 3:
        return None
    if parts[1] in languages and parts[2] == MEDIA:
        return "/".join(parts)
    section, lang, rest = parts[1], parts[2], parts[3:]
    if not _is_section(section, languages) or lang not in languages:
        return None
    return "/".join([CONTENT, lang, section, *rest])


def real_to_virtual(path: str, languages: Sequence[str]) -> str | None:
    """The path Decap knows for a file or folder of the project; None for what the CMS may not touch."""
    parts = _parts(path)
    if parts is None:
        return None
    if parts[0] == CAMPAIGNS and len(parts) <= 2:
        return "/".join(parts)
    if parts[0] != CONTENT or len(parts) < 3 or parts[1] not in languages:
        return None
    if parts[2] == MEDIA:
        return "/".join(parts)
    lang, section, rest = parts[1], parts[2], parts[3:]
    if not _is_section(section, languages):
        return None  # a page at the top of content/<lang>/ (index.md, about.md) is in no section
    return "/".join([CONTENT, section, lang, *rest])


def sections(site: Site) -> tuple[str, ...]:
    """The top folders of `content/<lang>/` that hold pages, in alphabetical order."""
    codes = site.settings.codes
    return tuple(sorted({doc_id.split("/", 1)[0] for doc_id in site.documents
                         if "/" in doc_id and _is_section(doc_id.split("/", 1)[0], codes)}))


# -- the configuration ------------------------------------------------------------------------------

class _Form:
    """What the fields need from the project: its labels' language, its languages and real lists."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.default = site.settings.default_language
        self.codes = site.settings.codes
        self.say: Callable[[str], str] = lambda message: in_language(self.default, message)

    def titles(self, kind: str) -> list[dict[str, str]]:
        """Select options for topics, audiences or materials: the id, shown as its title."""
        found = []
        for doc_id, document in sorted(self.site.documents.items()):
            if document.kind != kind:
                continue
            value = doc_id.split("/", 1)[1] if kind in ("topic", "audience") else doc_id
            found.append({"label": f"{document.best((self.default,)).title} ({value})", "value": value})
        return found

    def languages(self) -> list[dict[str, str]]:
        return [{"label": lang.name, "value": lang.code} for lang in self.site.settings.languages]

    def texts(self, widget: str, required: bool) -> list[dict[str, Any]]:
        """One field per language for a campaign's text; the default language's is the required one."""
        return [{"name": lang.code, "label": lang.name, "widget": widget,
                 "required": required and lang.code == self.default} for lang in self.site.settings.languages]

    def field(self, item: Field, parent: str, *, required: bool, i18n: str | None) -> dict[str, Any] | None:
        """A form field; nested fields take the mode of the field they are in (Decap wants it on each)."""
        key = f"{parent}.{item.name}" if parent else item.name
        spec: dict[str, Any] = {"name": item.name, "label": self.say(LABELS.get(key, LABELS.get(item.name, item.name))),
                                "required": required}
        if item.name in HINTS:
            spec["hint"] = self.say(HINTS[item.name]).replace("<default>", self.default)
        if i18n is not None:
            spec["i18n"] = i18n
        widget = self.widget(item, key, required, i18n)
        if widget is not None and i18n is not None and widget["widget"] in ("object", "list"):
            # Decap 3.16's config schema takes only true (translated) or false on an object or a list
            spec["i18n"] = i18n == "translate"
        return None if widget is None else {**spec, **widget}

    def widget(self, item: Field, key: str, required: bool, i18n: str | None) -> dict[str, Any] | None:
        kind, json = item.type, item.type.json
        text_widget = "text" if item.name in ("summary", "key_messages", "alt") else "string"
        if item.ref in ("topic", "audience", "material"):
            spec: dict[str, Any] = {"widget": "select", "multiple": True, "options": self.titles(item.ref)}
            return {**spec, "max": json["maxItems"]} if "maxItems" in json else spec
        if item.ref == "image" and kind.fields is not None:
            return {"widget": "object", "fields": [
                {"name": "src", "label": self.say(LABELS["src"]), "widget": "image", "required": required,
                 "choose_url": False, "media_folder": f"/{CONTENT}/{self.default}/{MEDIA}", "public_folder": MEDIA},
                {"name": "alt", "label": self.say(LABELS["alt"]), "hint": self.say(HINTS["alt"]), "widget": "object",
                 "required": required, "fields": self.texts("string", required)}]}
        if "enum" in json:
            return {"widget": "select", "options": [
                {"label": self._choice(value), "value": value} for value in json["enum"]]}
        if kind is TEXT:
            return {"widget": "object", "fields": self.texts(text_widget, required)}
        if json.get("items") == TEXT.json:
            return {"widget": "list", "summary": f"{{{{fields.{self.default}}}}}",
                    "fields": self.texts(text_widget, True)}
        if json.get("format") == "date" or kind is DATE:
            return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
        if json.get("type") == "integer":
            limits = {k: json[k] for k in ("minimum", "maximum") if k in json}
            return {"widget": "number", "value_type": "int", "min": limits.get("minimum"),
                    "max": limits.get("maximum")} if limits else {"widget": "number", "value_type": "int"}
        if kind is BOOLEAN:
            return {"widget": "boolean"}
        if kind.fields is not None:
            # Decap checks an object's fields even when the object is optional and left empty: inside an
            # optional object nothing is required by the form (loa/check/validate.py still says what is missing).
            is_list = json.get("type") == "array"
            # inside a list or object that is not translated, no field may say "duplicate": Decap then
            # saves only the first one of a list's item (seen with its test backend)
            inner = "translate" if i18n == "translate" else None
            fields = self.fields(kind.fields, key, i18n=inner, nested=True, optional=not (required or is_list))
            if is_list:
                return {"widget": "list", "fields": fields, **({"min": 1} if required else {})}
            return {"widget": "object", "fields": fields}
        if json.get("type") == "array":  # a list of plain values without a reference: language codes
            return {"widget": "select", "multiple": True, "options": self.languages()}
        if "pattern" in json and json["pattern"] == "^[0-9a-f]{12}$":
            return {"widget": "hidden"}  # `follows`: written by `build.py translations --mark`
        if json.get("type") in ("string", ["string", "number"]):
            spec = {"widget": text_widget}
            if item.name == "ages":
                spec["pattern"] = [json["pattern"], self.say(HINTS["ages"])]
            return spec
        return None

    def fields(self, declared: Fields, parent: str, *, i18n: str | None, material: bool = False,
               only: tuple[str, ...] | None = None, nested: bool = False,
               optional: bool = False) -> list[dict[str, Any]]:
        made = []
        for item in declared.fields:
            # Keys passed on to MkDocs unread (ANY) have no field: Decap keeps keys it has no field for.
            if item.type is ANY or (only is not None and item.name not in only):
                continue
            required = not optional and (item.required or (material and item.name in _MATERIAL_REQUIRED))
            mode = i18n if i18n is None or nested else ("duplicate" if item.name in _DUPLICATE else i18n)
            # Decap checks the required fields of every language shown side by side: a translated field
            # required there would stop a Vietnamese-only save. Loa's check still reports a missing title.
            spec = self.field(item, parent, required=required and mode != "translate", i18n=mode)
            if spec is not None:
                made.append(spec)
        return made

    def _choice(self, value: str) -> str:
        if value in DOCUMENT_TYPES:
            return self.site.strings.get(self.default, {}).get(f"type.{value}", value)
        return self.say(CHOICES[value]) if value in CHOICES else value


def _body(form: _Form, i18n: bool) -> dict[str, Any]:
    body = {"name": "body", "label": form.say(LABELS["body"]), "hint": form.say(HINTS["body"]), "widget": "markdown",
            "modes": ["raw"], "editor_components": [], "required": False}
    return {**body, "i18n": "translate"} if i18n else body


def _section(form: _Form, section: str, lang: str | None = None) -> dict[str, Any]:
    """A section's collection: every language side by side (the virtual tree), or one language's folder."""
    hub = section in HUBS
    only = ("title", "summary", "translation") if hub else None
    material = not hub and lang in (None, form.default)  # sources and a review date: the original's
    fields = form.fields(FRONT_MATTER, "", i18n=None if lang else "translate", material=material, only=only)
    if not hub and lang not in (None, form.default):
        fields = [{**f, "required": True} if f["name"] == "type" else f for f in fields]
    name = LABELS[section] if section in LABELS else N_("Materials")
    label = form.say(name) if hub else f"{form.say(name)}: {section}"
    where: dict[str, Any] = {"name": section, "label": label, "folder": f"{CONTENT}/{section}", "i18n": True}
    if lang is not None:
        language = form.site.settings.language(lang).name
        where = {"name": f"{section}-{lang}", "label": f"{label} ({language})", "folder": f"{CONTENT}/{lang}/{section}"}
    return {**where, "create": True, "extension": "md", "format": "yaml-frontmatter", "summary": "{{title}}",
            "media_folder": f"/{CONTENT}/{form.default}/{MEDIA}", "public_folder": f"../{MEDIA}",
            "fields": [*fields, _body(form, lang is None)]}


def _campaigns(form: _Form) -> dict[str, Any]:
    return {"name": CAMPAIGNS, "label": form.say(N_("Campaigns")), "folder": CAMPAIGNS, "create": True,
            "extension": "yml", "format": "yml", "identifier_field": f"title.{form.default}",
            "summary": f"{{{{title.{form.default}}}}}", "fields": form.fields(CAMPAIGN, "", i18n=None)}


def cms_config(site: Site, *, backend: Mapping[str, Any]) -> dict[str, Any]:
    """The whole Decap configuration for the project, with the given backend.

    Through `serve`'s proxy (`name: proxy`) the sections are the virtual tree, each language side
    by side. A Git host has no proxy to map paths: Decap reads the repository's real folders, so
    each section has one collection per language there (`content/<lang>/<section>`).
    """
    form = _Form(site)
    virtual = backend.get("name") == "proxy"
    sections_of = ([_section(form, section) for section in sections(site)] if virtual else
                   [_section(form, section, lang) for section in sections(site) for lang in form.codes])
    config: dict[str, Any] = {
        "backend": dict(backend),
        "locale": form.default if form.default in DECAP_LOCALES else "en",
        "media_folder": f"{CONTENT}/{form.default}/{MEDIA}",
        "public_folder": MEDIA,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
    }
    if virtual:
        config["i18n"] = {"structure": "multiple_folders", "locales": list(form.codes), "default_locale": form.default}
    return {**config, "collections": [*sections_of, _campaigns(form)]}
