"""The README's field tables and the JSON Schema files, rendered from the declaration in loa/check/fields.py.

`python -m loa.check.schema_docs` rewrites both: the tables between `<!-- loa:fields NAME -->` and
`<!-- /loa:fields -->` in README.md, and `schema/*.schema.json` (draft-07, for editors).
tests/test_schema.py checks that the committed ones are up to date.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from loa.check.fields import CAMPAIGN, FRONT_MATTER, SETTINGS, Field, Fields, Type

DOCUMENTS: dict[str, Fields] = {"settings": SETTINGS, "campaign": CAMPAIGN, "front-matter": FRONT_MATTER}
"""What the README's tables and the schema files are named after, and what they describe."""

FILES = {"settings": "mkdocs.yml, under extra.loa", "campaign": "campaigns/<id>.yml",
         "front-matter": "the front matter of content/<lang>/<path>.md"}
MARKERS = re.compile(r"(<!-- loa:fields ([a-z-]+) -->\n)(.*?)(<!-- /loa:fields -->)", re.S)
COMMAND = ".venv/bin/python -m loa.check.schema_docs"


# -- Markdown tables -------------------------------------------------------------------------------

def table(fields: Fields) -> str:
    """A Markdown table of the fields, nested mappings flattened with dotted names."""
    lines = ["| field | type | required | what it is |", "|---|---|---|---|"]
    lines += [f"| `{name}` | {_cell(item.type.name)} | {_need(item)} | {_cell(item.doc)} |"
              for name, item in _rows(fields, "")]
    return "\n".join(lines) + "\n"


def _rows(fields: Fields, prefix: str) -> list[tuple[str, Field]]:
    rows: list[tuple[str, Field]] = []
    for item in fields.fields:
        name = prefix + item.name
        rows.append((name, item))
        nested = item.type.fields
        if nested is not None:
            kind = item.type.json.get("type")
            inner = f"{name}[]." if kind == "array" else f"{name}.<code>." if kind == "object" else f"{name}."
            rows += _rows(nested, inner)
    return rows


def _need(item: Field) -> str:
    if item.required:
        return "required"
    if item.default in (None, (), [], ""):
        return "optional"
    default = str(item.default).lower() if isinstance(item.default, bool) else item.default
    return f"default `{default}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|") if "\\|" not in text else text


def render_readme(text: str) -> str:
    """README.md with every marked table replaced by the generated one."""
    return MARKERS.sub(lambda m: m.group(1) + table(DOCUMENTS[m.group(2)]) + m.group(4), text)


# -- JSON Schema ---------------------------------------------------------------------------------

def object_schema(fields: Fields) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {item.name: _field_schema(item) for item in fields.fields},
    }
    if fields.required:
        schema["required"] = list(fields.required)
    schema["additionalProperties"] = False
    return schema


def _field_schema(item: Field) -> dict[str, Any]:
    schema = {"description": item.doc, **_type_schema(item.type)}
    if item.default not in (None, (), [], ""):
        schema["default"] = item.default
    return schema


def _type_schema(kind: Type) -> dict[str, Any]:
    schema = dict(kind.json)
    if kind.fields is None:
        return schema
    inner = object_schema(kind.fields)
    if schema.get("type") == "array":
        return {**schema, "items": inner}
    if schema.get("type") == "object":
        return {**schema, "additionalProperties": inner}
    return inner


def json_schema(name: str) -> dict[str, Any]:
    """The draft-07 schema of one kind of file; settings describe the whole mkdocs.yml, extra.loa typed."""
    fields = DOCUMENTS[name]
    body = object_schema(fields)
    if name == "settings":
        body = {"type": "object", "required": ["extra"], "properties": {"extra": {
            "type": "object", "required": ["loa"], "properties": {"loa": body}}}}
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": f"Loa: {FILES[name]}", **body}


def schema_text(name: str) -> str:
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"


def write(root: Path) -> None:
    folder = root / "schema"
    folder.mkdir(exist_ok=True)
    for name in DOCUMENTS:
        (folder / f"{name}.schema.json").write_text(schema_text(name), encoding="utf-8", newline="\n")
    readme = root / "README.md"
    readme.write_text(render_readme(readme.read_text(encoding="utf-8")), encoding="utf-8", newline="\n")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
