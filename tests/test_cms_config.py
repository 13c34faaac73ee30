"""The Decap CMS configuration generated from the schema, and the virtual tree (loa/check/cms.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, BuildSite
from loa import messages
from loa.check.cms import cms_config, real_to_virtual, sections, virtual_to_real
from loa.check.fields import ANY, CAMPAIGN, FRONT_MATTER
from loa.desk.project import read_site
from loa.model import DOCUMENT_TYPES, Site

LANGS = ("vi", "en", "hmn")
BACKEND = {"name": "proxy", "proxy_url": "http://127.0.0.1:8000/api/v1"}


@cache
def _sample() -> Site:
    return read_site(REPO)[0]


def _config() -> dict[str, Any]:
    return cms_config(_sample(), backend=BACKEND)


def _collection(name: str) -> dict[str, Any]:
    return next(c for c in _config()["collections"] if c["name"] == name)


def _field(fields: list[dict[str, Any]], *path: str) -> dict[str, Any]:
    found: dict[str, Any] = {"fields": fields}
    for name in path:
        found = next(f for f in found["fields"] if f["name"] == name)
    return found


def _values(field: dict[str, Any]) -> list[str]:
    return [option["value"] for option in field["options"]]


def test_one_collection_per_section_and_the_campaigns() -> None:
    config = _config()
    real = sorted(p.name for p in (REPO / "content" / "vi").iterdir() if p.is_dir() and p.name != "images")
    assert [c["name"] for c in config["collections"]] == [*real, "campaigns"]
    assert sections(_sample()) == tuple(real)
    drowning = _collection("drowning")
    assert (drowning["folder"], drowning["extension"], drowning["i18n"]) == ("content/drowning", "md", True)
    assert config["i18n"] == {"structure": "multiple_folders", "locales": list(LANGS), "default_locale": "vi"}
    assert config["backend"] == BACKEND
    assert config["locale"] == "vi"


def test_the_selects_hold_the_projects_real_lists() -> None:
    site = _sample()
    fields = _collection("drowning")["fields"]
    assert _values(_field(fields, "type")) == list(DOCUMENT_TYPES)
    assert _values(_field(fields, "topics")) == site.topic_ids() == [
        "abuse-prevention", "childrens-rights", "drowning-prevention", "online-safety"]
    assert _values(_field(fields, "audiences")) == site.audience_ids() == ["children", "families", "schools"]
    assert _field(fields, "topics")["multiple"] is True
    assert _field(fields, "type")["options"][0]["label"] == "Tờ thông tin"  # theme/strings/vi.yml
    campaign = _collection("campaigns")["fields"]
    materials = sorted(d.id for d in site.documents.values() if d.kind == "material")
    assert _values(_field(campaign, "materials")) == materials
    assert "drowning/ten-actions" in materials
    assert _field(campaign, "start_here")["max"] == 2
    assert _values(_field(campaign, "draft_languages")) == list(LANGS)
    assert _values(_field(campaign, "status")) == ["draft", "published", "archived"]


def test_every_field_loa_reads_is_in_the_form_and_what_it_requires_is_required() -> None:
    material = _collection("drowning")["fields"]
    for item in FRONT_MATTER.fields:
        if item.type is not ANY and item.name != "title":
            assert _field(material, item.name)["required"] == (item.required or item.name in (
                "type", "sources", "reviewed")), item.name
    # Decap checks every language shown side by side: a translated text is not required by the form
    assert _field(material, "title")["required"] is False
    assert _field(material, "title")["i18n"] == "translate"
    for name in ("title", "publisher", "year"):
        assert _field(material, "sources", name)["required"] is True
    campaign = _collection("campaigns")["fields"]
    for item in CAMPAIGN.fields:
        assert _field(campaign, item.name)["required"] == item.required, item.name
    assert _field(campaign, "period", "start")["required"] is True
    hub = _collection("topics")["fields"]
    assert [f["name"] for f in hub] == ["title", "summary", "translation", "body"]


def test_widgets_and_languages() -> None:
    material = _collection("drowning")["fields"]
    body = _field(material, "body")
    assert (body["widget"], body["modes"], body["i18n"]) == ("markdown", ["raw"], "translate")
    assert _field(material, "reviewed")["widget"] == "datetime"
    assert _field(material, "reviewed")["format"] == "YYYY-MM-DD"
    assert _field(material, "reviewed")["time_format"] is False
    assert _field(material, "sources")["widget"] == "list"
    assert _field(material, "sources", "year")["value_type"] == "int"
    for name in ("type", "topics", "audiences"):
        assert _field(material, name)["i18n"] == "duplicate", name
    # Decap 3.16's config schema takes only true/false on a list or an object: the sources are the
    # original's (only the default language's material must cite them: loa/check/validate.py)
    assert _field(material, "sources")["i18n"] is False
    assert _field(material, "translation")["i18n"] is True
    assert _field(material, "title")["i18n"] == "translate"
    campaign = _collection("campaigns")["fields"]
    title = _field(campaign, "title")
    assert title["widget"] == "object"
    assert [(f["name"], f["required"]) for f in title["fields"]] == [("vi", True), ("en", False), ("hmn", False)]
    assert [f["name"] for f in _field(campaign, "key_messages")["fields"]] == list(LANGS)
    image = _field(campaign, "image")
    assert _field(image["fields"], "src")["widget"] == "image"
    assert _field(image["fields"], "src")["public_folder"] == "images"
    assert [f["name"] for f in _field(image["fields"], "alt")["fields"]] == list(LANGS)


def test_media_links_are_the_ones_loas_checks_accept() -> None:
    config = _config()
    assert (config["media_folder"], config["public_folder"]) == ("content/vi/images", "images")
    drowning = _collection("drowning")
    assert (drowning["media_folder"], drowning["public_folder"]) == ("/content/vi/images", "../images")
    assert "![" in (REPO / "content/vi/drowning/float-to-survive.md").read_text(encoding="utf-8")
    assert "](../images/float.svg)" in (REPO / "content/vi/drowning/float-to-survive.md").read_text(encoding="utf-8")


def test_labels_are_in_the_projects_language_whatever_loa_speaks() -> None:
    messages.use("en")
    try:
        fields = _collection("drowning")["fields"]
    finally:
        messages.use(None)
    assert _field(fields, "title")["label"] == "Tên bài"
    assert _field(fields, "sources")["label"] == "Nguồn"
    assert "content/vi/topics/" in _field(fields, "topics")["hint"]
    assert _collection("campaigns")["label"] == "Chiến dịch"


def test_every_real_file_maps_to_the_virtual_tree_and_back() -> None:
    files = [p.relative_to(REPO).as_posix() for p in (REPO / "content").rglob("*") if p.is_file()]
    files += [p.relative_to(REPO).as_posix() for p in (REPO / "campaigns").glob("*.yml")]
    mapped = 0
    for real in files:
        virtual = real_to_virtual(real, LANGS)
        if virtual is None:
            assert real.count("/") == 2 and real.endswith(".md"), real  # content/<lang>/index.md and the like
            continue
        mapped += 1
        assert virtual_to_real(virtual, LANGS) == real
    assert mapped > 50


@pytest.mark.parametrize(("virtual", "real"), [
    ("content/drowning/vi/ten-actions.md", "content/vi/drowning/ten-actions.md"),
    ("content/drowning/en/ten-actions.md", "content/en/drowning/ten-actions.md"),
    ("content/drowning/hmn/deeper/x.md", "content/hmn/drowning/deeper/x.md"),
    ("content/drowning/vi", "content/vi/drowning"),
    ("content/vi/images/float.svg", "content/vi/images/float.svg"),
    ("content/vi/images", "content/vi/images"),
    ("campaigns/safe-summer-2027.yml", "campaigns/safe-summer-2027.yml"),
    ("campaigns", "campaigns"),
])
def test_the_mapping_both_ways(virtual: str, real: str) -> None:
    assert virtual_to_real(virtual, LANGS) == real
    assert real_to_virtual(real, LANGS) == virtual


@pytest.mark.parametrize("path", [
    "", "/etc/passwd", "/content/drowning/vi/x.md", "../content/drowning/vi/x.md", "content/drowning/vi/../../../x",
    "content/drowning/../vi/x.md", "content//vi/x.md", "content/./drowning/vi/x.md", "theme/main.html",
    "mkdocs.yml", "loa/cli.py", ".git/config", "content/drowning/vi/.hidden.md", "content/drowning/fr/x.md",
    "content/drowning", "content", "campaigns/sub/x.yml", "campaigns/../mkdocs.yml", "content\\vi\\x.md",
    "C:/content/drowning/vi/x.md", "content/vi/vi/x.md", "content/images/vi/x.png", "content/Bad Name/vi/x.md",
])
def test_paths_outside_what_the_cms_may_touch_are_refused(path: str) -> None:
    assert virtual_to_real(path, LANGS) is None
    if path not in ("content/drowning",):
        assert real_to_virtual(path, LANGS) is None or path.startswith("content/vi/")


def test_real_paths_outside_are_refused() -> None:
    for path in ("content/vi/index.md", "content/fr/drowning/x.md", "theme/x", "content/vi/../../x",
                 "/content/vi/drowning/x.md", "content/vi/.git/x", "site/index.html"):
        assert real_to_virtual(path, LANGS) is None, path


# -- the published /admin/ (loa/outputs/admin.py) -------------------------------------------------

GITLAB = """\
    cms:
      backend: {name: gitlab, repo: tinh/an-toan, branch: main, app_id: abc123, base_url: "https://git.example.gov.vn"}
"""


def test_no_admin_without_a_git_host(tiny_site: Path, build_site: BuildSite) -> None:
    build_site(tiny_site)
    assert (tiny_site / "site" / "vi" / "index.html").is_file()
    assert not (tiny_site / "site" / "admin").exists()


def test_admin_for_a_git_host(tiny_site: Path, build_site: BuildSite) -> None:
    settings = tiny_site / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + GITLAB, encoding="utf-8")
    build_site(tiny_site)
    admin = tiny_site / "site" / "admin"
    sums = (REPO / "vendor" / "decap-cms" / "SHA256SUMS").read_text(encoding="utf-8").split()
    for name in ("decap-cms.js", "LICENSE", "index.html", "config.yml"):
        assert (admin / name).is_file(), name
    chunks = [name for name in sums if name.endswith(".decap-cms.js")]
    assert chunks and all((admin / name).is_file() for name in chunks)
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "gitlab", "repo": "tinh/an-toan", "branch": "main", "app_id": "abc123",
                                 "base_url": "https://git.example.gov.vn", "auth_type": "pkce"}
    assert config["locale"] == "vi"
    assert "i18n" not in config  # no proxy on a Git host: the real folders, one collection per language
    folders = [c["folder"] for c in config["collections"]]
    assert folders == ["content/vi/audiences", "content/en/audiences", "content/vi/drowning", "content/en/drowning",
                       "content/vi/topics", "content/en/topics", "campaigns"]
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms.js"></script>' in page
    assert "connect-src 'self' blob: data: https://git.example.gov.vn;" in page
    assert "http" not in page.replace("https://git.example.gov.vn", "").replace('http-equiv', "")


@pytest.mark.parametrize(("backend", "problem"), [
    ("{name: bitbucket, repo: a/b}", "mkdocs.yml:20:23: error: extra.loa.cms.backend.name: 'bitbucket' is not "
                                     "allowed (known: gitea, github, gitlab)"),
    ("{name: github}", "mkdocs.yml:20:16: error: extra.loa.cms.backend.repo: missing (add 'repo:')"),
])
def test_a_wrong_host_is_an_error(tmp_path: Path, backend: str, problem: str) -> None:
    from conftest import SETTINGS, problems
    assert problems(tmp_path, {"mkdocs.yml": SETTINGS + f"    cms:\n      backend: {backend}\n"}) == [problem]
