"""`.loa-cache/` holds no pickle, and what it holds is checked before use (issue 12).

A cache folder restored from another branch or machine (a CI cache, a copied project) must not be
able to run code, nor break a build: a foreign or corrupt file is ignored and its content made again.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest
from test_build import tree_digest

from conftest import BuildSite, read_parse_cache, write_parse_cache
from loa.cache import evict
from loa.cache.keys import code_fingerprint
from loa.cache.markdown import MarkdownCache
from loa.cache.store import MANIFEST, Store
from loa.cache.templates import TemplateCache
from loa.load.parsecache import LoadCache


class _Payload:
    """Unpickled, it would create the file `path`: the proof that the cache ran code."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.path), "w")


def _cache_files(cache: Path) -> list[Path]:
    # the search documents, the PDFs (loa/outputs/print/) and the offline copy's rewritten pages
    # (loa/outputs/offline/) are copied into the site, never read back as code
    return [path for path in sorted(cache.rglob("*")) if path.is_file() and "search" not in path.parts
            and "print" not in path.parts and "offline" not in path.parts and path.parent.name != "trash"
            and path.name != MANIFEST]


def test_the_cache_holds_no_pickle(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    files = _cache_files(tmp_path / "cache")
    assert any(path.name == "parsed.json" for path in files)
    templates = [path for path in files if path.parent.name == "jinja"]
    assert templates  # compiled templates: signed (see the test below), never unpickled
    for path in templates:
        assert path.read_bytes().startswith(TemplateCache.MAGIC), path
    for path in files:
        if path.parts[-3] == "share":  # share images (loa/outputs/share.py): PNGs, copied into the site, never run
            assert path.suffix == ".png" and path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), path
        elif path not in templates:
            assert path.suffix == ".json", path
            for line in path.read_bytes().split(b"\n"):  # every other file is JSON (parsed.json: a JSON a line)
                if line:
                    json.loads(line)


@pytest.mark.parametrize("content", ["pickle", "garbage", "truncated", "wrong types"])
def test_a_foreign_cache_is_ignored(tiny_site: Path, build_site: BuildSite, tmp_path: Path, content: str) -> None:
    cache = tmp_path / "cache"
    build_site(tiny_site, cache_dir=cache)
    canary = tmp_path / "code-ran"
    for path in _cache_files(cache):
        data = path.read_bytes()
        if content == "pickle":  # in the compiled templates' folder, after the header Jinja's own cache expects
            header = jinja2.bccache.bc_magic if path.parent.name == "jinja" else b""
            data = header + pickle.dumps(_Payload(canary))
        elif content == "garbage":
            data = bytes(range(256)) * 3
        elif content == "truncated":
            data = data[: len(data) // 2]
        elif path.parent.name == "jinja":  # compiled code changed after it was signed
            data = data[:-1] + bytes([data[-1] ^ 1])
        elif path.suffix == ".png":  # a share image altered in its pixels
            data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
        else:  # valid JSON of the right version, with every string turned into a number
            data = b"\n".join(json.dumps(_numbers(json.loads(line))).encode() for line in data.split(b"\n") if line)
        path.write_bytes(data)
    result = build_site(tiny_site, cache_dir=cache)
    assert not canary.exists()
    clean = build_site(tiny_site, out=tmp_path / "clean")
    assert tree_digest(tiny_site / "site") == tree_digest(tmp_path / "clean")
    assert [str(w) for w in result.warnings] == [str(w) for w in clean.warnings]
    assert result.reused == 0 or content == "wrong types"  # the record's numbers may still match


def _numbers(value: object) -> object:
    if isinstance(value, dict):
        return {key: (value[key] if key in ("format", "version", "out") else _numbers(item))
                for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    return 7 if isinstance(value, str) else value


def test_saved_parses_are_checked_before_use(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    build_site(tiny_site, cache_dir=tmp_path / "cache")
    path = tmp_path / "cache/parsed.json"
    good = read_parse_cache(path)
    assert len(LoadCache.read(path, code_fingerprint()).entries) == len(good["entries"]) > 0
    assert LoadCache.read(path, "another version").entries == {}
    for change in (
        lambda data: data["entries"][0][1].__setitem__(0, "1"),          # a stamp that is no number
        lambda data: data["entries"][0][3].__setitem__(0, [1, 1, 9, 0]),  # an unknown kind of node
        lambda data: data["entries"][0].append("more"),                 # an entry of another shape
        lambda data: data.__setitem__("lint", {"x": [["a", 1, 1, "m", "fatal", ""]]}),  # a severity
    ):
        data = json.loads(json.dumps(good))
        change(data)
        write_parse_cache(path, data)
        assert LoadCache.read(path, code_fingerprint()).entries == {}


def test_a_saved_front_matter_is_checked_when_made_into_nodes(tiny_site: Path, build_site: BuildSite,
                                                             tmp_path: Path) -> None:
    # A Markdown file's saved front matter is made into Nodes only when its translation is validated again
    # (loa/load/source.py::MarkdownSource): damaged, the file's own front matter is parsed instead.
    from conftest import TODAY
    from loa.cache.results import KEPT
    from loa.pipeline import Options, check

    build_site(tiny_site, cache_dir=tmp_path / "cache")
    path = tmp_path / "cache/parsed.json"
    data = read_parse_cache(path)
    damaged = [entry for entry in data["entries"] if len(entry[3]) == 3]  # the Markdown files'
    assert damaged
    for entry in damaged:
        entry[3][0] = [1, 1, 9, 0]  # an unknown kind of node
    data["results"] = {}  # nothing validated is kept: every front matter is validated again
    write_parse_cache(path, data)
    KEPT.values.clear()
    cached = check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY, cache_dir=tmp_path / "cache"))
    fresh = check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY))
    assert cached.site.documents == fresh.site.documents
    assert [str(w) for w in cached.warnings] == [str(w) for w in fresh.warnings]


def test_a_saved_parse_reads_its_markdown_body_from_the_file(tiny_site: Path, build_site: BuildSite,
                                                             tmp_path: Path) -> None:
    # The bodies were three quarters of the parse cache; the file it was stamped with holds the body too.
    from conftest import TODAY
    from loa.cache.results import KEPT
    from loa.pipeline import Options, check

    build_site(tiny_site, cache_dir=tmp_path / "cache")
    text = (tiny_site / "content/vi/drowning/ten-actions.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    line = max(body.split("\n"), key=len)  # "Trẻ cần người lớn trông chừng. Xem [danh sách kiểm tra](checklist.md)."
    saved = (tmp_path / "cache/parsed.json").read_text(encoding="utf-8")
    assert len(line) > 60 and line not in saved and json.dumps(line, ensure_ascii=False)[1:-1] not in saved
    KEPT.values.clear()
    options = Options(root=tiny_site, out=tiny_site / "site", today=TODAY, cache_dir=tmp_path / "cache")
    cached = check(options)
    assert cached.site.documents["drowning/ten-actions"].translations["vi"].body == body
    assert cached.site.documents == check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY)).site.documents


def test_rendered_markdown_is_checked_before_use(tmp_path: Path) -> None:
    cache = MarkdownCache(tmp_path, "context")
    key = cache.key("a.md", "text")
    entry = cache.store.path(key)
    entry.parent.mkdir(parents=True)
    good = {"html": "<p>text</p>", "toc": [{"level": 2, "id": "a", "name": "A", "children": []}],
            "anchors": ["a"], "links_to_anchors": {"b.md": {"x": "b.md#x"}}, "warnings": []}
    entry.write_text(json.dumps(good), encoding="utf-8")
    assert cache.get(key) is not None
    for field, bad in (("html", ["<p>"]), ("toc", [{"level": "2"}]), ("anchors", "a"),
                       ("links_to_anchors", {"b.md": ["x"]}), ("warnings", [1])):
        entry.write_text(json.dumps({**good, field: bad}), encoding="utf-8")
        assert cache.get(key) is None, field


def test_compiled_templates_are_kept_only_when_signed_here(tmp_path: Path) -> None:
    def compiled(cache: TemplateCache) -> bool:
        env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ x }}!"}), bytecode_cache=cache)
        bucket = cache.get_bucket(env, "t.html", None, "{{ x }}!")
        return bucket.code is not None

    cache = TemplateCache(tmp_path / "jinja")
    assert not compiled(cache)
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ x }}!"}), bytecode_cache=cache)
    assert env.get_template("t.html").render(x=1) == "1!"  # compiled and saved
    assert compiled(cache)  # taken from the file by the next environment
    (saved,) = (path for path in (tmp_path / "jinja").iterdir() if path.name != MANIFEST)
    data = saved.read_bytes()
    head = len(TemplateCache.MAGIC)
    saved.write_bytes(data[:head] + bytes(32) + data[head + 32:])  # signed with another key
    assert not compiled(cache)


def test_saved_lint_results_are_used(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    # lint results are saved by a digest of what they were made from; the next check finds each one
    from conftest import TODAY
    from loa.pipeline import Options, check

    build_site(tiny_site, cache_dir=tmp_path / "cache")
    cache = LoadCache.read(tmp_path / "cache/parsed.json", code_fingerprint())
    saved = getattr(cache.memo, "saved", {})
    pages = len(list((tiny_site / "content").rglob("*.md")))
    campaigns = len(list((tiny_site / "campaigns").glob("*.yml")))
    assert len(saved) == 2 * pages + 1 + campaigns  # per translation, and the glyphs of each file and mkdocs.yml
    check(Options(root=tiny_site, out=tiny_site / "site", today=TODAY), cache=cache)
    assert saved == {} and cache.parsed == 0  # all taken: nothing parsed or linted again


def test_parses_saved_again_as_read_are_those_a_new_parse_saves(tiny_site: Path, tmp_path: Path) -> None:
    # an entry read from parsed.json is written back as it was read, not encoded again: it must be
    # exactly what encoding it gives, and an edited file's entry must be the new parse
    from conftest import TODAY
    from loa.pipeline import Options, check

    options = Options(root=tiny_site, out=tiny_site / "site", today=TODAY, cache_dir=tmp_path / "cache")
    path = tmp_path / "cache/parsed.json"
    check(options)  # parses every file and saves
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8").replace("title: ", "title: Mới ", 1), encoding="utf-8")
    check(options)  # one file parsed again; the others' entries written back as read
    again = read_parse_cache(path)
    fresh = LoadCache.read(path, code_fingerprint())
    fresh.encoded.clear()
    fresh.seen = set(fresh.entries)
    fresh.parsed = 1
    fresh.save(tmp_path / "fresh.json", code_fingerprint())  # every entry encoded from its parse
    assert read_parse_cache(tmp_path / "fresh.json")["entries"] == again["entries"]
    assert any("Mới " in json.dumps(entry, ensure_ascii=False) for entry in again["entries"]
               if entry[0].endswith("ten-actions.md") and "/vi/" in entry[0])


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    from loa.cache.files import write_atomically

    path = tmp_path / "cache" / "record.json"
    write_atomically(path, '{"a": "ệ"}')
    assert path.read_text(encoding="utf-8") == '{"a": "ệ"}'
    with pytest.raises(TypeError):
        write_atomically(path, 42)  # type: ignore[arg-type]  # fails while writing
    assert path.read_text(encoding="utf-8") == '{"a": "ệ"}'
    assert [p.name for p in path.parent.iterdir()] == ["record.json"]


def test_the_caches_that_grow_with_the_content_are_pruned_oldest_used_first(tmp_path: Path) -> None:
    store = Store(tmp_path / "entries", ".json", limit=10_000)
    for number in range(30):  # 30 entries of 1,000 bytes, the first written longest ago
        store.write(f"{number:02d}key", b"x" * 1000)
        os.utime(store.path(f"{number:02d}key"), ns=(number * 10**9, number * 10**9))
    assert store.read("03key") == b"x" * 1000  # used now: kept, though written early
    assert store.prune() == 23  # down to three quarters of the limit: 7 entries of 1,000 bytes
    kept = sorted(path.stem for path in (tmp_path / "entries").rglob("*.json") if path.name != MANIFEST)
    assert kept == ["03key", "24key", "25key", "26key", "27key", "28key", "29key"]
    assert store.prune() == 0  # under the limit: nothing removed


def test_a_build_prunes_the_markdown_cache(tiny_site: Path, build_site: BuildSite, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(tiny_site, cache_dir=tmp_path / "fresh")
    fresh = {path.name: path.stat().st_size for path in (tmp_path / "fresh/markdown").rglob("*.json")}
    fresh.pop(MANIFEST)
    cache = tmp_path / "cache"
    limit = sum(fresh.values()) * 4 // 3 + 4_000  # pruned down to 3/4 of it: this build's entries and 3 KB
    monkeypatch.setattr("loa.cache.markdown.LIMIT", limit)  # noted in the store's manifest at its first write
    stale = MarkdownCache.store_in(cache)
    for number in range(20):  # entries of 30 KB used long ago (another branch, an older Loa)
        stale.write(f"{number:02x}{'0' * 62}", b"{}" * 15_000)
        os.utime(stale.path(f"{number:02x}{'0' * 62}"), ns=(0, 0))
    build_site(tiny_site, out=tmp_path / "site", cache_dir=cache)
    kept = {path.name: path.stat().st_size for path in (cache / "markdown").rglob("*.json") if path.name != MANIFEST}
    assert kept == fresh  # every stale entry went, and none of this build's


def test_every_store_in_the_cache_folder_is_pruned(tmp_path: Path) -> None:
    # a cache an output adds (here at the depth of share/<lang>/) is pruned by the same rule, unlisted
    store = Store(tmp_path / "cache/images/vi", ".png", limit=4_000, fanout=False)
    for number in range(10):
        store.write(f"key{number}", b"x" * 1000)
        os.utime(store.path(f"key{number}"), ns=(number * 10**9, number * 10**9))
    assert evict.prune(tmp_path / "cache") == 7  # down to 3,000 bytes: the three used last stay
    assert sorted(path.stem for path in (tmp_path / "cache/images/vi").glob("*.png")) == ["key7", "key8", "key9"]


def test_a_build_saves_the_parses_also_when_the_content_has_errors(tiny_site: Path, build_site: BuildSite,
                                                                   tmp_path: Path) -> None:
    # a build writes them late (while Pagefind runs: loa/pipeline.py::build); one that stops at the
    # check writes them at once, so that the officer's next try parses only the file they fix
    from loa.errors import ContentError

    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8").replace("type: fact-sheet", "type: nonsense"),
                        encoding="utf-8")
    with pytest.raises(ContentError):
        build_site(tiny_site, cache_dir=tmp_path / "cache")
    cache = LoadCache.read(tmp_path / "cache/parsed.json", code_fingerprint())
    assert len(cache.entries) >= len(list((tiny_site / "content").rglob("*.md"))) + 2  # and mkdocs.yml, the campaign
    assert any(str(file).endswith("ten-actions.md") for file in cache.entries)
    assert not (tiny_site / "site").exists()
