"""The declared schema (loa/check/fields.py): the README's tables and schema/*.json come from it
and accept the sample."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import SETTINGS, problems
from loa.check.schema_docs import COMMAND, DOCUMENTS, json_schema, render_readme, schema_text

ROOT = Path(__file__).resolve().parents[1]
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _plain(value: Any) -> Any:
    """YAML dates as editors see them: strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _validator(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _front_matter(path: Path) -> Any:
    found = FRONT_MATTER.match(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
    assert found, path
    return _plain(yaml.safe_load(found.group(1)))


def _errors(name: str, data: Any) -> list[str]:
    return [e.message for e in _validator(name).iter_errors(data)]


def test_readme_tables_are_generated_from_the_declaration() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in DOCUMENTS:
        assert f"<!-- loa:fields {name} -->" in readme, name
    assert render_readme(readme) == readme, f"README.md's field tables are stale: run {COMMAND}"


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_schema_files_are_a_fresh_export(name: str) -> None:
    committed = (ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(name), f"schema/{name}.schema.json is stale: run {COMMAND}"
    assert json_schema(name)["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_the_sample_settings_validate() -> None:
    data = _plain(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    assert _errors("settings", data) == []


@pytest.mark.parametrize("path", sorted((ROOT / "campaigns").glob("*.yml")), ids=lambda p: p.name)
def test_every_sample_campaign_validates(path: Path) -> None:
    assert _errors("campaign", _plain(yaml.safe_load(path.read_text(encoding="utf-8")))) == []


@pytest.mark.parametrize("path", sorted((ROOT / "content").rglob("*.md")),
                         ids=lambda p: p.relative_to(ROOT / "content").as_posix())
def test_every_sample_front_matter_validates(path: Path) -> None:
    assert _errors("front-matter", _front_matter(path)) == []


def _campaign() -> Any:
    return _plain(yaml.safe_load((ROOT / "campaigns" / "safe-summer-2027.yml").read_text(encoding="utf-8")))


@pytest.mark.parametrize(("change", "expected"), [
    (lambda c: c.update(status="live"), "'live' is not one of"),
    (lambda c: c.pop("title"), "'title' is a required property"),
    (lambda c: c["period"].update(start="2027-02-30"), "is not a 'date'"),
    (lambda c: c["period"].update(end="soon"), "does not match"),
    (lambda c: c.update(colour="red"), "Additional properties are not allowed ('colour' was unexpected)"),
    (lambda c: c["events"].append({"title": "no date"}), "'date' is a required property"),
])
def test_a_broken_campaign_is_rejected(change: Any, expected: str) -> None:
    campaign = _campaign()
    assert _errors("campaign", campaign) == []
    change(campaign)
    errors = _errors("campaign", campaign)
    assert any(expected in e for e in errors), errors


@pytest.mark.parametrize(("change", "expected"), [
    (lambda m: m.update(type="leaflet"), "'leaflet' is not one of"),
    (lambda m: m.pop("title"), "'title' is a required property"),
    (lambda m: m.update(reviewed="yesterday"), "does not match"),
    (lambda m: m.update(sources=[{"title": "t", "publisher": "p", "year": "old"}]), "'old' is not of type 'integer'"),
    (lambda m: m.update(ages="ten"), "does not match"),
    (lambda m: m.update(tags=["x"]), "Additional properties are not allowed ('tags' was unexpected)"),
])
def test_a_broken_front_matter_is_rejected(change: Any, expected: str) -> None:
    meta = _front_matter(ROOT / "content" / "en" / "drowning" / "ten-actions.md")
    assert _errors("front-matter", meta) == []
    change(meta)
    errors = _errors("front-matter", meta)
    assert any(expected in e for e in errors), errors


def test_a_broken_settings_file_is_rejected() -> None:
    data = _plain(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    data["extra"]["loa"]["hotline"].pop("number")
    data["extra"]["loa"]["languages"]["Vietnamese"] = {"name": "x"}
    errors = _errors("settings", data)
    assert any("'number' is a required property" in e for e in errors), errors
    assert any("'Vietnamese' does not match" in e for e in errors), errors


def test_settings_without_a_hotline_are_reported_not_a_traceback(tmp_path: Path) -> None:
    """The declared required fields are walked: a missing hotline was a KeyError before loa/check/fields.py."""
    settings = re.sub(r"    hotline:\n(      .*\n)+", "", SETTINGS)
    assert "hotline" not in settings
    assert problems(tmp_path, {"mkdocs.yml": settings}) == [
        "mkdocs.yml:10:5: error: extra.loa.hotline: missing (add 'hotline:')"]
