"""The cross-file rules that resolve the references of the declared fields (loa/check/fields.py `ref`).

A campaign's or a page's topics and audiences must name files under content/<default>/topics/ and
audiences/, its materials existing documents, its image an existing file; each rule reports with
the field's label, like the field validators.
"""

from __future__ import annotations

from loa.check.fields import IMAGE, Validate
from loa.check.validators import Checker, content_path, did_you_mean
from loa.errors import Report
from loa.load.source import Node
from loa.messages import N_, _, ngettext
from loa.model import Asset, Document, Image


def references(topics: set[str], audiences: set[str], documents: dict[str, Document] | None = None,
               assets: dict[str, Asset] | None = None,
               found: frozenset[tuple[str, str]] = frozenset()) -> dict[str, Validate]:
    """A rule per kind of reference, for `fields.walk`; a front matter has no materials or image to resolve."""
    return {
        "topic": lambda c, n, label: c.ids(n, label, topics, N_("topic")),
        "audience": lambda c, n, label: c.ids(n, label, audiences, N_("audience")),
        "material": lambda c, n, label: _materials(n, label, c, documents or {}, found),
        "image": lambda c, n, label: _image(n, label, c, assets or {}),
    }


def _materials(node: Node, label: str, check: Checker, documents: dict[str, Document],
               found: frozenset[tuple[str, str]]) -> tuple[str, ...]:
    report = check.report
    materials: list[str] = []
    for index, item in enumerate(check.sequence(node, label)):
        label_i = f"{label}[{index}]"
        value = check.string(item, label_i)
        if value is None:
            continue
        path = content_path(value.removesuffix(".md"))
        if path is None:
            report.error(item.pos, _("%(label)s: '%(value)s' is outside content/", label=label_i, value=value),
                         _("write the path inside content/<lang>/ without '../', e.g. drowning/ten-actions"))
        elif path not in documents and (check.default_language, path) in found:
            continue  # the file exists but has errors of its own, reported there
        elif path not in documents or documents[path].kind not in ("material", "page"):
            expected = _("expected content/%(lang)s/%(path)s.md", lang=check.default_language, path=path)
            report.error(item.pos, _("%(label)s: no material '%(path)s'", label=label_i, path=path),
                         did_you_mean(path, [d for d, doc in documents.items() if doc.kind == "material"], expected))
        elif path in materials:
            report.error(item.pos, _("%(label)s: '%(value)s' is listed twice", label=label_i, value=path))
        else:
            materials.append(path)
    return tuple(materials)


def _image(node: Node, label: str, check: Checker, assets: dict[str, Asset]) -> Image | None:
    fields = check.mapping(node, label, required=IMAGE.required, optional=IMAGE.keys)
    if fields is None:
        return None
    if "alt" not in fields:
        return None  # already reported as missing: images need alt text
    alt = check.text(fields["alt"], f"{label}.alt")
    if "src" not in fields:
        return None
    src_text = check.string(fields["src"], f"{label}.src")
    if src_text is None:
        return None
    src = content_path(src_text)
    if src is None:
        check.report.error(fields["src"].pos, _("%(label)s: '%(value)s' is outside content/", label=f"{label}.src",
                                                 value=src_text),
                           _("images live in content/<lang>/, e.g. images/safe-summer.svg"))
        return None
    if src not in assets:
        check.report.error(fields["src"].pos, _("%(label)s: no file content/<lang>/%(path)s", label=f"{label}.src",
                                                 path=src),
                           did_you_mean(src, [a for a in assets if a.startswith("images/")]))
        return None
    return Image(src, alt) if alt else None




def start_here(node: Node, chosen: tuple[str, ...], materials: tuple[str, ...], report: Report) -> tuple[str, ...]:
    """A campaign's `start_here`: at most two, each one of its `materials` (their existence is checked as
    `materials`' is, by `_materials`). Returns those that pass."""
    items = node.value.get("start_here") if isinstance(node.value, dict) else None
    if items is None or not isinstance(items.value, list):
        return chosen
    kept: list[str] = []
    for index, item in enumerate(items.value):
        path = content_path(str(item.value).removesuffix(".md"))
        if path not in chosen:
            continue  # not a material at all: reported by `_materials`
        if path not in materials:
            report.error(item.pos, _("%(label)s: '%(path)s' is not one of the campaign's materials",
                                     label=f"start_here[{index}]", path=path),
                         _("add it to materials, or choose one of: %(materials)s",
                           materials=", ".join(materials) or _("(none listed)")))
        else:
            kept.append(path)
    if len(items.value) > 2:
        report.error(items.pos, ngettext("%(label)s: %(n)s material; at most two",
                                         "%(label)s: %(n)s materials; at most two", len(items.value),
                                         label="start_here"),
                     _("choose the one or two that a reader should read first"))
    return tuple(kept[:2])
