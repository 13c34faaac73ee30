"""Decap CMS's proxy protocol in `serve` (loa/serve/cms/): every action, Loa's rules, the guard.

The request bodies are the shapes Decap 3.16's proxy backend sends
(packages/decap-cms-backend-proxy/src/implementation.ts in Decap's repository), as recorded from
the admin page in tests/browser/test_cms.py.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from loa.check.cms import real_to_virtual, virtual_to_real
from loa.check.freshness import follows
from loa.errors import Position, Problem
from loa.load.roundtrip import update_yaml
from loa.pipeline import Options, check
from loa.serve.cms.app import VENDOR, Cms
from loa.serve.cms.proxy import Proxy, RefusedError
from loa.serve.server import Handler, LocalServer, ServeState
from tests.conftest import TODAY

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
                       "AAAABJRU5ErkJggg==")
CAMPAIGN = """# yaml-language-server: $schema=../schema/campaign.schema.json
# The summer campaign (comment kept)
title: {vi: "Mùa hè an toàn", en: Safe summer}
status: published   # published on the 1st
key_messages:
  - {vi: "Luôn trông trẻ", en: Always watch children}
"""
LANGS = ("vi", "en", "hmn")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content/vi/drowning").mkdir(parents=True)
    (tmp_path / "content/en/drowning").mkdir(parents=True)
    (tmp_path / "content/vi/images").mkdir(parents=True)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "content/vi/drowning/pond.md").write_text("---\ntitle: Ao hồ\n---\n\nNội dung.\n", encoding="utf-8")
    (tmp_path / "content/en/drowning/pond.md").write_text("---\ntitle: Ponds\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "content/vi/index.md").write_text("---\ntitle: Trang chủ\n---\n", encoding="utf-8")
    (tmp_path / "content/vi/images/boat.png").write_bytes(PNG)
    (tmp_path / "campaigns/summer.yml").write_text(CAMPAIGN, encoding="utf-8")
    return tmp_path


@pytest.fixture
def proxy(project: Path) -> Proxy:
    return Proxy(project, lambda: LANGS, virtual_to_real, real_to_virtual, update_yaml)


def call(proxy: Proxy, action: str, **params: Any) -> Any:
    """One request as Decap sends it (the body goes through JSON both ways)."""
    body = json.loads(json.dumps({"branch": "master", "action": action, "params": {"branch": "master", **params}}))
    return json.loads(json.dumps(proxy.handle(body)))


def refused(proxy: Proxy, action: str, **params: Any) -> RefusedError:
    with pytest.raises(RefusedError) as caught:
        call(proxy, action, **params)
    return caught.value


def test_info(proxy: Proxy, project: Path) -> None:
    assert call(proxy, "info") == {"repo": project.name, "publish_modes": ["simple"], "type": "local_fs"}


def test_entries_by_folder_lists_the_virtual_tree(proxy: Proxy) -> None:
    entries = call(proxy, "entriesByFolder", folder="content/drowning", extension="md", depth=2)
    paths = sorted(e["file"]["path"] for e in entries)
    assert paths == ["content/drowning/en/pond.md", "content/drowning/vi/pond.md"]
    vi = next(e for e in entries if e["file"]["path"] == "content/drowning/vi/pond.md")
    assert vi["data"] == "---\ntitle: Ao hồ\n---\n\nNội dung.\n"
    assert vi["file"]["id"] == hashlib.sha256(vi["data"].encode()).hexdigest()
    campaigns = call(proxy, "entriesByFolder", folder="campaigns", extension="yml", depth=1)
    assert [e["file"]["path"] for e in campaigns] == ["campaigns/summer.yml"]


def test_entries_by_files_and_get_entry(proxy: Proxy) -> None:
    entries = call(proxy, "entriesByFiles", files=[{"path": "content/drowning/en/pond.md", "label": "Ponds"},
                                                   {"path": "content/drowning/hmn/pond.md"}])
    assert entries[0]["data"].startswith("---\ntitle: Ponds") and entries[0]["file"]["label"] == "Ponds"
    assert entries[1] == {"data": None, "file": {"path": "content/drowning/hmn/pond.md", "label": None, "id": None}}
    entry = call(proxy, "getEntry", path="campaigns/summer.yml")
    assert entry["data"] == CAMPAIGN and entry["file"]["path"] == "campaigns/summer.yml"


def test_new_entry_writes_only_the_languages_written(proxy: Proxy, project: Path) -> None:
    # Decap's new entry in a multiple_folders collection: one data file per language, "\n" for the empty ones
    answer = call(proxy, "persistEntry", dataFiles=[
        {"path": "content/drowning/vi/boats.md", "slug": "boats",
         "raw": "---\r\ntitle: Tàu thuyền\r\n---\r\n\r\nAn toàn."},
        {"path": "content/drowning/en/boats.md", "slug": "boats", "raw": "\n"},
        {"path": "content/drowning/hmn/boats.md", "slug": "boats", "raw": "---\n---\n"},
    ], assets=[], options={"newEntry": True, "commitMessage": "Create drowning “boats”", "status": ""})
    assert answer == {"message": "entry persisted"}
    written = (project / "content/vi/drowning/boats.md").read_bytes()
    assert written == "---\ntitle: Tàu thuyền\n---\n\nAn toàn.\n".encode()  # LF, a final newline
    assert not (project / "content/en/drowning/boats.md").exists()
    assert not (project / "content/hmn").exists()


def test_a_new_translation_with_only_the_shared_fields_is_not_written(proxy: Proxy, project: Path) -> None:
    # Decap copies the fields the same in every language (i18n: duplicate) into each language's file of a
    # new entry, so a language the officer left empty comes with `type` and `topics` but no title nor body
    shared = "---\ntype: checklist\ntopics:\n  - drowning\n---\n"
    call(proxy, "persistEntry", dataFiles=[
        {"path": "content/drowning/vi/boats.md", "slug": "boats", "raw": "---\ntitle: Tàu thuyền\n" + shared[4:]},
        {"path": "content/drowning/en/boats.md", "slug": "boats", "raw": shared},
    ], assets=[], options={"newEntry": True})
    assert (project / "content/vi/drowning/boats.md").exists()
    assert not (project / "content/en/drowning/boats.md").exists()
    # the original itself is written even with only those fields: Loa's check then names what is missing
    call(proxy, "persistEntry", dataFiles=[{"path": "content/drowning/vi/bare.md", "slug": "bare", "raw": shared}],
         assets=[], options={"newEntry": True})
    assert (project / "content/vi/drowning/bare.md").read_text(encoding="utf-8") == shared


def test_text_is_written_nfc(proxy: Proxy, project: Path) -> None:
    # "à" as a + combining grave, "ề" as e + circumflex + grave: what some keyboards send
    call(proxy, "persistEntry", dataFiles=[{"path": "content/drowning/vi/nfc.md", "slug": "nfc",
                                            "raw": "---\ntitle: Ta\u0300u thuye\u0302\u0300n\n---\n"}],
         assets=[], options={"newEntry": True})
    assert (project / "content/vi/drowning/nfc.md").read_text(encoding="utf-8") == "---\ntitle: Tàu thuyền\n---\n"


def test_new_entry_never_overwrites(proxy: Proxy, project: Path) -> None:
    before = (project / "content/vi/drowning/pond.md").read_bytes()
    error = refused(proxy, "persistEntry", dataFiles=[
        {"path": "content/drowning/vi/pond.md", "slug": "pond", "raw": "---\ntitle: Khác\n---\n"}],
        assets=[], options={"newEntry": True})
    assert error.status == 409 and "content/drowning/vi/pond.md" in error.message
    assert (project / "content/vi/drowning/pond.md").read_bytes() == before


def test_new_entry_with_one_existing_file_writes_none(proxy: Proxy, project: Path) -> None:
    refused(proxy, "persistEntry", dataFiles=[
        {"path": "content/drowning/en/fresh.md", "slug": "fresh", "raw": "---\ntitle: Fresh\n---\n"},
        {"path": "content/drowning/vi/pond.md", "slug": "pond", "raw": "---\ntitle: Khác\n---\n"}],
        assets=[], options={"newEntry": True})
    assert not (project / "content/en/drowning/fresh.md").exists()


def test_edit_and_translation(proxy: Proxy, project: Path) -> None:
    call(proxy, "persistEntry", dataFiles=[
        {"path": "content/drowning/vi/pond.md", "slug": "pond", "raw": "---\ntitle: Ao hồ\n---\n\nSửa.\n"},
        {"path": "content/drowning/hmn/pond.md", "slug": "pond", "raw": "---\ntitle: Pas dej\n---\n\nNtawv.\n"},
    ], assets=[], options={"newEntry": False})
    assert (project / "content/vi/drowning/pond.md").read_text(encoding="utf-8").endswith("Sửa.\n")
    hmn = (project / "content/hmn/drowning/pond.md").read_text(encoding="utf-8")
    assert hmn.startswith("---\ntitle: Pas dej") and "translation: {status: draft, follows: " in hmn
    # an edited translation, or one whose form set `translation:`, is written as sent
    raw = "---\ntitle: Pas dej\ntranslation:\n  status: reviewed\n---\n\nNtawv.\n"
    call(proxy, "persistEntry", dataFiles=[{"path": "content/drowning/hmn/pond.md", "slug": "pond", "raw": raw}],
         assets=[], options={"newEntry": False})
    assert (project / "content/hmn/drowning/pond.md").read_text(encoding="utf-8") == raw


def test_rename_moves_one_file(proxy: Proxy, project: Path) -> None:
    (project / "content/vi/drowning/other.md").write_text("---\ntitle: Khác\n---\n", encoding="utf-8")
    call(proxy, "persistEntry", dataFiles=[
        {"path": "content/drowning/vi/pond.md", "newPath": "content/drowning/vi/lakes.md", "slug": "lakes",
         "raw": "---\ntitle: Hồ\n---\n"}], assets=[], options={"newEntry": False})
    assert not (project / "content/vi/drowning/pond.md").exists()
    assert (project / "content/vi/drowning/lakes.md").read_text(encoding="utf-8") == "---\ntitle: Hồ\n---\n"
    assert (project / "content/vi/drowning/other.md").exists()  # the folder's other files stay
    assert (project / "content/en/drowning/pond.md").exists()
    error = refused(proxy, "persistEntry", dataFiles=[
        {"path": "content/drowning/vi/lakes.md", "newPath": "content/drowning/vi/other.md", "slug": "other",
         "raw": "---\ntitle: Hồ\n---\n"}], assets=[], options={"newEntry": False})
    assert error.status == 409 and (project / "content/vi/drowning/lakes.md").exists()


def test_campaign_save_keeps_comments_and_order(proxy: Proxy, project: Path) -> None:
    raw = ("title:\n  vi: Mùa hè an toàn\n  en: Safe summer\nstatus: published\nkey_messages:\n"
           "  - vi: Luôn trông trẻ khi ở gần nước\n    en: Always watch children\n")
    call(proxy, "persistEntry", dataFiles=[{"path": "campaigns/summer.yml", "slug": "summer", "raw": raw}],
         assets=[], options={"newEntry": False})
    after = (project / "campaigns/summer.yml").read_text(encoding="utf-8")
    assert after == CAMPAIGN.replace("Luôn trông trẻ", "Luôn trông trẻ khi ở gần nước")



def test_a_campaign_broken_on_disk_is_refused_and_left_as_it_is(proxy: Proxy, project: Path) -> None:
    broken = "title: Mùa hè\n  vi: nửa chừng\n"  # an officer's half-finished edit in a text editor
    (project / "campaigns/summer.yml").write_text(broken, encoding="utf-8")
    error = refused(proxy, "persistEntry", dataFiles=[
        {"path": "campaigns/summer.yml", "slug": "summer", "raw": "title:\n  vi: Mùa hè an toàn\n"}],
        assets=[], options={"newEntry": False})
    assert error.status == 409 and "summer.yml" in error.message
    assert (project / "campaigns/summer.yml").read_text(encoding="utf-8") == broken


def test_media(proxy: Proxy, project: Path) -> None:
    listed = call(proxy, "getMedia", mediaFolder="content/vi/images")
    assert [(m["path"], m["name"], m["encoding"]) for m in listed] == [
        ("content/vi/images/boat.png", "boat.png", "base64")]
    assert base64.b64decode(listed[0]["content"]) == PNG
    assert call(proxy, "getMediaFile", path="content/vi/images/boat.png")["id"] == hashlib.sha256(PNG).hexdigest()
    content = base64.b64encode(PNG).decode()
    saved = call(proxy, "persistMedia", asset={"path": "content/vi/images/pond.png", "content": content,
                                               "encoding": "base64"}, options={"commitMessage": "Upload"})
    assert saved["path"] == "content/vi/images/pond.png"
    assert (project / "content/vi/images/pond.png").read_bytes() == PNG
    other = base64.b64encode(PNG + b"x").decode()
    assert refused(proxy, "persistMedia", asset={"path": "content/vi/images/pond.png", "content": other,
                                                 "encoding": "base64"}, options={}).status == 409
    assert refused(proxy, "persistMedia", asset={"path": "content/vi/images/x.md", "content": content,
                                                 "encoding": "base64"}, options={}).status == 403


def test_entry_with_its_image(proxy: Proxy, project: Path) -> None:
    call(proxy, "persistEntry", dataFiles=[
        {"path": "content/drowning/vi/photo.md", "slug": "photo", "raw": "---\ntitle: Ảnh\n---\n"}],
        assets=[{"path": "content/vi/images/photo.png", "content": base64.b64encode(PNG).decode(),
                 "encoding": "base64"}], options={"newEntry": True})
    assert (project / "content/vi/images/photo.png").read_bytes() == PNG


def test_delete_files(proxy: Proxy, project: Path) -> None:
    answer = call(proxy, "deleteFiles", paths=["content/drowning/vi/pond.md", "content/drowning/en/pond.md",
                                               "content/drowning/hmn/pond.md"], options={"commitMessage": "Delete"})
    assert "deleted" in answer["message"]
    assert not (project / "content/vi/drowning/pond.md").exists()
    assert not (project / "content/en/drowning/pond.md").exists()
    call(proxy, "deleteFile", path="content/vi/images/boat.png", options={})
    assert not (project / "content/vi/images/boat.png").exists()


@pytest.mark.parametrize("action", ["unpublishedEntries", "unpublishedEntry", "publishUnpublishedEntry",
                                    "deleteUnpublishedEntry", "updateUnpublishedEntryStatus", "getNotes"])
def test_editorial_workflow_refused_clearly(proxy: Proxy, action: str) -> None:
    error = refused(proxy, action, collection="drowning", slug="pond")
    assert error.status == 422 and "editorial workflow" in error.message


def test_unknown_action_and_bad_bodies(proxy: Proxy) -> None:
    assert refused(proxy, "runShell", command="rm").status == 422
    for body in ([], "info", {"params": {}}, {"action": "getEntry", "params": []}):
        with pytest.raises(RefusedError):
            proxy.handle(body)
    assert call(proxy, "getDeployPreview", collection="drowning", slug="pond") is None


@pytest.mark.parametrize("path", [
    "content/drowning/vi/../../../../etc/passwd.md", "../campaigns/x.yml", "/etc/passwd", "campaigns/../mkdocs.yml",
    "content/drowning/vi/./pond.md", "C:/Windows/win.ini", "content\\drowning\\vi\\pond.md", "mkdocs.yml",
    "campaigns/summer.md", "content/drowning/vi/pond.html", "theme/main.html", "content/drowning/xx/pond.md", "",
])
def test_paths_outside_refused(proxy: Proxy, project: Path, path: str) -> None:
    try:
        assert call(proxy, "getEntry", path=path)["data"] is None  # nothing read (Decap asks of new paths)
    except RefusedError as error:
        assert error.status == 403
    for action, params in (("entriesByFiles", {"files": [{"path": path}]}),
                           ("persistEntry", {"dataFiles": [{"path": path, "slug": "x", "raw": "x: 1\n"}],
                                             "assets": [], "options": {"newEntry": True}}),
                           ("deleteFiles", {"paths": [path]})):
        assert refused(proxy, action, **params).status == 403
    assert sorted(p.name for p in project.iterdir()) == ["campaigns", "content"]


def test_symlink_out_refused(proxy: Proxy, project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.md").write_text("---\ntitle: secret\n---\n", encoding="utf-8")
    (project / "content/vi/leak").symlink_to(outside, target_is_directory=True)
    (project / "content/vi/drowning/link.md").symlink_to(outside / "secret.md")
    for path in ("content/leak/vi/secret.md", "content/drowning/vi/link.md"):
        assert call(proxy, "getEntry", path=path)["data"] is None
        assert refused(proxy, "entriesByFiles", files=[{"path": path}]).status == 403
        assert refused(proxy, "persistEntry", dataFiles=[{"path": path, "slug": "s", "raw": "x\n"}],
                       assets=[], options={"newEntry": False}).status == 403
    listed = call(proxy, "entriesByFolder", folder="content/drowning", extension="md", depth=2)
    assert all("secret" not in (e["data"] or "") for e in listed)
    assert (outside / "secret.md").read_text(encoding="utf-8") == "---\ntitle: secret\n---\n"


# -- through serve's HTTP handler: the admin page, the guard, the problems of a file --------------

@pytest.fixture
def served(tiny_site: Path) -> Iterator[tuple[Path, int, list[Problem]]]:
    result = check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY))
    report: list[Problem] = []
    cms = Cms(tiny_site, 0, lambda: (result.site, result.plan), lambda: report)
    (tiny_site / "site").mkdir()
    server = LocalServer(("127.0.0.1", 0), partial(Handler, directory=str(tiny_site / "site"), state=ServeState(),
                                                   cms=cms))
    cms.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tiny_site, cms.port, report
    finally:
        server.shutdown()
        server.server_close()


def request(port: int, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One request with exactly these headers (http.client adds only Host, Accept-Encoding, Content-Length)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    connection.putrequest(method, path, skip_host="Host" in headers, skip_accept_encoding=True)
    for name, value in headers.items():
        connection.putheader(name.replace("_", "-"), value)
    if data is not None:
        connection.putheader("Content-Length", str(len(data)))
    connection.endheaders(data)
    response = connection.getresponse()
    answer = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return answer


def same_site(port: int) -> dict[str, str]:
    """What Chromium sends with Decap's requests: same origin, JSON."""
    return {"Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}",
            "Content_Type": "application/json; charset=utf-8", "Sec_Fetch_Site": "same-origin"}


def test_admin_page_loads_decap_from_the_project(served: tuple[Path, int, list[Problem]]) -> None:
    _root, port, _report = served
    status, headers, body = request(port, "GET", "/admin/", Host=f"localhost:{port}")
    assert status == 200 and "default-src 'self'" in headers["Content-Security-Policy"]
    page = body.decode()
    assert re.findall(r'<script src="([^"]+)"', page) == ["/admin/loa-init.js", "/admin/decap-cms.js",
                                                          "/admin/loa-admin.js"]
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from another host
    config = json.loads(re.search(r'id="loa-cms-config">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert config["backend"] == {"name": "proxy", "proxy_url": f"http://localhost:{port}/api/v1"}
    assert config["locale"] == "vi" and config["load_config_file"] is False
    assert config["i18n"]["structure"] == "multiple_folders"
    status, headers, body = request(port, "GET", "/admin/decap-cms.js", Host=f"127.0.0.1:{port}")
    assert status == 200 and body == (VENDOR / "decap-cms.js").read_bytes()
    assert headers["Content-Type"].startswith("text/javascript")
    assert request(port, "GET", "/admin/loa-admin.js", Host=f"127.0.0.1:{port}")[0] == 200
    assert request(port, "GET", "/admin/SHA256SUMS", Host=f"127.0.0.1:{port}")[0] == 404
    assert request(port, "GET", "/admin/..%2fREADME.md", Host=f"127.0.0.1:{port}")[0] == 404
    assert request(port, "GET", "/admin", Host=f"127.0.0.1:{port}")[1]["Location"] == "/admin/"


def test_api_answers_same_site_json(served: tuple[Path, int, list[Problem]]) -> None:
    _root, port, _report = served
    status, _headers, body = request(port, "POST", "/api/v1", {"action": "getEntry", "params": {
        "branch": "master", "path": "content/drowning/vi/ten-actions.md"}}, **same_site(port))
    assert status == 200 and json.loads(body)["data"].startswith("---\ntitle: Mười hành động")


@pytest.mark.parametrize("change", [
    {"Origin": "http://evil.example"},  # another site's page
    {"Origin": "null"},  # a sandboxed frame, a file:// page
    {"Host": "evil.example:{port}", "Origin": "http://evil.example:{port}"},  # DNS rebinding
    {"Content_Type": "text/plain"},  # a form or a "simple" fetch, sent without asking
    {"Content_Type": "application/x-www-form-urlencoded"},
    {"Sec_Fetch_Site": "cross-site"},
    {"Origin": None},
])
def test_cross_site_writes_refused(served: tuple[Path, int, list[Problem]], change: dict[str, str | None]) -> None:
    root, port, _report = served
    headers = same_site(port)
    for name, value in change.items():
        if value is None:
            del headers[name]
        else:
            headers[name] = value.format(port=port)
    before = (root / "content/vi/drowning/ten-actions.md").read_bytes()
    status, _headers, body = request(port, "POST", "/api/v1", {"action": "persistEntry", "params": {
        "dataFiles": [{"path": "content/drowning/vi/ten-actions.md", "slug": "ten-actions", "raw": "---\n---\nx\n"}],
        "assets": [], "options": {"newEntry": False}}}, **headers)
    assert status == 403 and "refused" in json.loads(body)["error"]
    assert (root / "content/vi/drowning/ten-actions.md").read_bytes() == before


def test_problems_of_a_file(served: tuple[Path, int, list[Problem]]) -> None:
    _root, port, report = served
    report += [Problem(Position("content/vi/drowning/ten-actions.md", 3, 1), "summary: too long", "warning", "cut"),
               Problem(Position("content/vi/drowning/checklist.md", 2, 1), "other file", "error")]
    status, _headers, body = request(port, "GET", "/api/cms/problems?path=content/drowning/vi/ten-actions.md",
                                     Host=f"127.0.0.1:{port}")
    assert status == 200
    assert json.loads(body) == {"path": "content/drowning/vi/ten-actions.md", "page": "/vi/drowning/ten-actions/",
                                "problems": [{"severity": "warning", "line": 3, "column": 1,
                                              "message": "summary: too long", "hint": "cut",
                                              "file": "content/vi/drowning/ten-actions.md"}]}
    # Decap names a translated entry without its language: every language's file, the default's page
    report.append(Problem(Position("content/en/drowning/ten-actions.md", 2, 1), "in English", "warning"))
    entry = json.loads(request(port, "GET", "/api/cms/problems?path=content/drowning/ten-actions.md",
                               Host=f"127.0.0.1:{port}")[2])
    assert [p["file"] for p in entry["problems"]] == ["content/vi/drowning/ten-actions.md",
                                                      "content/en/drowning/ten-actions.md"]
    assert entry["page"] == "/vi/drowning/ten-actions/"
    campaign = json.loads(request(port, "GET", "/api/cms/problems?path=campaigns/safe-summer.yml",
                                  Host=f"127.0.0.1:{port}")[2])
    assert campaign["page"] == "/vi/campaigns/safe-summer/" and campaign["problems"] == []
    assert request(port, "GET", "/api/cms/problems?path=content/drowning/vi/ten-actions.md",
                   Host=f"rebound.example:{port}")[0] == 403
    assert request(port, "GET", "/api/cms/problems?path=../mkdocs.yml", Host=f"127.0.0.1:{port}")[0] == 403


def test_vendored_decap_matches_its_checksums() -> None:
    sums = dict(reversed(line.split("  ", 1)) for line in (VENDOR / "SHA256SUMS").read_text().splitlines())
    files = sorted(p.name for p in VENDOR.iterdir() if p.name != "SHA256SUMS")
    assert sorted(sums) == files and "decap-cms.js" in files and not [f for f in files if f.endswith(".map")]
    for name, expected in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == expected, name


RECORDED_SAVES = json.loads((Path(__file__).parent / "test_cms_proxy.json").read_text(encoding="utf-8"))
"""What Decap 3.16 sent from /admin/ in tests/browser/test_cms.py: a new material with its English
translation, then a campaign's edited key message."""


def test_recorded_saves_replayed(tiny_site: Path, tmp_path: Path) -> None:
    campaign = tiny_site / "campaigns/safe-summer.yml"
    commented = "# ghi chú của cán bộ\n" + campaign.read_text(encoding="utf-8").replace(
        "status: published", "status: published  # đăng 15/5")
    campaign.write_text(commented, encoding="utf-8")
    proxy = Proxy(tiny_site, lambda: ("vi", "en"), virtual_to_real, real_to_virtual, update_yaml)
    for body in RECORDED_SAVES:
        assert proxy.handle(body) == {"message": "entry persisted"}
    vi = tiny_site / "content/vi/drowning/ao-phao-cho-tre-di-thuyen.md"
    assert vi.read_text(encoding="utf-8") == RECORDED_SAVES[0]["params"]["dataFiles"][0]["raw"]
    assert (tiny_site / "content/en/drowning/ao-phao-cho-tre-di-thuyen.md").is_file()
    assert campaign.read_text(encoding="utf-8") == commented.replace(
        "Luôn có người lớn trông chừng", "Luôn có người lớn biết bơi trông chừng")
    (tiny_site / "content/vi/images/ao-phao.png").write_bytes(PNG)
    result = check(Options(root=tiny_site, out=tmp_path / "out", today=TODAY))
    assert [str(w) for w in result.warnings if "ao-phao" in w.position.path or "campaigns" in w.position.path] == []
    # the new translation is marked as `new translation` marks it: a draft, following the original as saved
    document = result.site.documents["drowning/ao-phao-cho-tre-di-thuyen"]
    assert document.translations["en"].draft and document.translations["en"].follows == follows(
        document.translations["vi"])
    assert "translation: {status: draft, follows: " in (
        tiny_site / "content/en/drowning/ao-phao-cho-tre-di-thuyen.md").read_text(encoding="utf-8")
    with pytest.raises(RefusedError) as again:  # the same new entry a second time: nothing overwritten
        proxy.handle(RECORDED_SAVES[0])
    assert again.value.status == 409
