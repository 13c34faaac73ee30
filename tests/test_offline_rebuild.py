"""What the offline copy (loa/outputs/offline/) does again in a rebuild after one edit (issue #14): it reads
again only the files whose stat changed (`known.py`), rewrites and deflates only the pages and files that
changed (`archive.py`), and its ZIP is still a clean build's, byte for byte.

Counted with real builds of the tiny site: the counted functions still run.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import Markup

from conftest import BuildSite
from loa import outputs
from loa.cache import filememo
from loa.cache.store import Store
from loa.outputs import offline as offline_output
from loa.outputs.offline import archive, known
from loa.outputs.offline.known import Known
from loa.outputs.offline.rewrite import Place, rewrite

OLD_NS = 10 * 60 * 1_000_000_000
"""Ten minutes: how far back a test sets a file's time, well past `filememo.SETTLE_NS`."""
SETTLED_NS = 1_000_000_000
"""`filememo.SETTLE_NS` in a build test: a file's time on the test's file system (ext4, tmpfs) is exact to
the nanosecond; the build test waits this long, as a real edit comes seconds or minutes after a build
(a build does not trust by stat the files of the build just before it, written too recently)."""


class Count:
    """Calls of a function of a module, which still runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> None:
        self.calls = 0
        self.first: list[object] = []
        """The first argument of each call."""
        real = getattr(module, name)

        def counted(*args: object, **kwargs: object) -> object:
            self.calls += 1
            self.first.append(args[0] if args else None)
            return real(*args, **kwargs)
        monkeypatch.setattr(module, name, counted)


@pytest.fixture(autouse=True)
def no_print(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(outputs, "REGISTRY", [o for o in outputs.REGISTRY if o.name != "print"])  # not needed here
    yield


def the_zip(site: Path, lang: str) -> Path:
    return next((site / lang).glob("*-offline.zip"))


def test_a_rebuild_after_one_edit_reads_rewrites_and_deflates_only_what_changed(
        tiny_site: Path, build_site: BuildSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cache = tiny_site / ".loa-cache"
    monkeypatch.setattr(filememo, "SETTLE_NS", SETTLED_NS)
    read = Count(monkeypatch, known, "fingerprint")
    deflated = Count(monkeypatch, archive, "deflate")
    rewritten = Count(monkeypatch, offline_output, "rewrite")
    build_site(tiny_site, cache_dir=cache)
    with zipfile.ZipFile(the_zip(tiny_site / "site", "vi")) as opened:
        entries = len(opened.namelist())
        pages = len([name for name in opened.namelist() if name.endswith(".html")])
    assert read.calls > entries and deflated.calls > entries and rewritten.calls >= 2 * pages  # all, both languages
    time.sleep(SETTLED_NS / 1e9)
    build_site(tiny_site, cache_dir=cache)  # nothing changed: the files are hashed once more, now settled
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8") + "\nMột câu mới cho bản ngoại tuyến.\n", encoding="utf-8")
    before = read.calls, deflated.calls, rewritten.calls
    stores: list[Path] = []
    real_read = Store.read

    def store_read(store: Store, key: str) -> bytes | None:
        stores.append(store.directory)
        return real_read(store, key)
    monkeypatch.setattr(Store, "read", store_read)
    build_site(tiny_site, cache_dir=cache)
    # every unchanged entry is read from the last ZIP (one file), not from the store (a file each): the
    # store is asked only for the entries made again
    assert 0 < len([store for store in stores if store.name == "deflated"]) <= deflated.calls - before[1]
    assert (cache / "offline/vi/last.json").is_file()
    pages_read = [path for path in read.first[before[0]:] if isinstance(path, Path) and path.suffix == ".html"]
    # the edited page, and any other page rendered again (a new file); the others are known by their stat
    # (files MkDocs copies again when it renders a language, its assets, are read again but not deflated)
    assert 0 < len(pages_read) <= 3 and any(path.match("vi/drowning/ten-actions/index.html") for path in pages_read)
    assert 0 < deflated.calls - before[1] <= len(pages_read) and 0 < rewritten.calls - before[2] <= len(pages_read)
    clean = tmp_path / "clean"
    build_site(tiny_site, out=clean)  # no cache: every file read, every page rewritten and deflated
    for lang in ("vi", "en"):
        name = the_zip(clean, lang).relative_to(clean)
        assert (tiny_site / "site" / name).read_bytes() == (clean / name).read_bytes()
    copy = the_zip(tiny_site / "site", "vi")
    with zipfile.ZipFile(copy) as opened:
        assert opened.testzip() is None
        assert any("Một câu mới cho bản ngoại tuyến." in opened.read(entry).decode("utf-8")
                   for entry in opened.namelist() if entry.endswith("ten-actions/index.html"))
    subprocess.run(["unzip", "-tq", str(copy)], check=True, capture_output=True)


def test_a_file_changed_in_place_at_the_same_size_and_time_is_read_again(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    read = Count(monkeypatch, known, "fingerprint")
    cache, path = tmp_path / "cache", tmp_path / "site/vi/calendar.ics"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"BEGIN:VCALENDAR one")
    first = Known(cache)
    old = first.of("calendar.ics", path)
    first.save()
    stamp = path.stat().st_mtime_ns
    with path.open("r+b") as stream:  # in place (same inode), same size, within the same tick of the clock
        stream.write(b"BEGIN:VCALENDAR two")
    os.utime(path, ns=(stamp, stamp))
    assert Known(cache).of("calendar.ics", path) != old
    assert read.calls == 2
    # a settled file is known by its stat; changed in place at the same size, its time is not the same
    os.utime(path, ns=(stamp - OLD_NS, stamp - OLD_NS))
    settled = Known(cache)
    sha = settled.of("calendar.ics", path)
    settled.save()
    assert Known(cache).of("calendar.ics", path) == sha and read.calls == 3
    with path.open("r+b") as stream:
        stream.write(b"BEGIN:VCALENDAR six")
    changed = Known(cache).of("calendar.ics", path)
    assert changed != sha and read.calls == 4


def test_the_zip_is_the_bytes_zipfile_writes(tmp_path: Path) -> None:
    files = {"index.html": "<p>Trẻ em và nước</p>\n".encode() * 200, "images/ảnh.png": os.urandom(3000),
             "assets/loa.css": b".loa{color:#000}\n" * 100, "empty.txt": b""}
    day = dt.date(2026, 12, 1)
    by_zipfile = tmp_path / "zipfile.zip"
    with zipfile.ZipFile(by_zipfile, "w") as opened:  # as the copy was written before archive.py
        for name in sorted(files):
            entry = zipfile.ZipInfo(f"copy/{name}", date_time=(day.year, day.month, day.day, 0, 0, 0))
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
            opened.writestr(entry, files[name], compresslevel=9)
    ours = tmp_path / "ours.zip"
    archive.write_zip(ours, (archive.stored(f"copy/{name}", data) if name.endswith(".png")
                             else archive.deflated(f"copy/{name}", None, name, lambda data=data: data)
                             for name, data in sorted(files.items())), day)
    assert ours.read_bytes() == by_zipfile.read_bytes()


def test_a_kept_deflated_entry_is_the_one_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "deflated", ".bin", archive.DEFLATED_LIMIT)
    deflated = Count(monkeypatch, archive, "deflate")
    data = "Gọi 111 khi trẻ gặp nguy hiểm.\n".encode() * 50
    made = archive.deflated("a.txt", store, "key", lambda: data)
    kept = archive.deflated("a.txt", store, "key", lambda: pytest.fail("made again"))  # type: ignore[no-any-return]
    assert kept == made and deflated.calls == 1


def test_a_menu_item_is_found_without_running_through_the_menu_below_it() -> None:
    """A hub page's menus list hundreds of items under items that are links: each item is one link, ended
    by its first `</a>` (a match that ran on to the next `</a></li>` took the items below with it, unseen,
    and took a second a hub page at 1,000 materials)."""
    place = Place("vi", "https://example.org/", "/vi/topics/drowning/")
    menu = ('<ul><li class="md-nav__item"><a href="#tai-lieu">Tài liệu</a><nav><ul>'
            '<li><a href="/en/topics/drowning/">English</a></li>'
            + "".join(f'<li class="md-nav__item"><a href="/vi/m-{n}/">Tài liệu {n}</a></li>' for n in range(400))
            + "</ul></nav></li></ul>")
    rewritten = rewrite(f"<body>{menu}<!--loa:body--><!--/loa:body--></body>", place, Markup(""))
    assert "English" not in rewritten  # the item below, a link out of the language, is left out
    assert '<a href="#tai-lieu">Tài liệu</a>' in rewritten and '<a href="../../m-399/index.html">' in rewritten


def test_a_new_title_is_in_the_a_to_z_index_of_a_rebuild(tiny_site: Path, build_site: BuildSite,
                                                          tmp_path: Path) -> None:
    """The A–Z page is kept by the titles it lists: a title changed in a page not rendered with it (the
    checklist's, listed in the index) gives a new index, the clean build's."""
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    material = tiny_site / "content/vi/drowning/checklist.md"
    material.write_text(material.read_text(encoding="utf-8").replace(
        "title: Danh sách kiểm tra an toàn trong nhà", "title: Ổ khóa và nắp giếng"), encoding="utf-8")
    build_site(tiny_site, cache_dir=tiny_site / ".loa-cache")
    clean = tmp_path / "clean"
    build_site(tiny_site, out=clean)
    name = the_zip(clean, "vi").relative_to(clean)
    assert (tiny_site / "site" / name).read_bytes() == (clean / name).read_bytes()
    with zipfile.ZipFile(tiny_site / "site" / name) as opened:
        (index,) = [entry for entry in opened.namelist() if entry.endswith("/search/index.html")]
        assert "Ổ khóa và nắp giếng" in opened.read(index).decode("utf-8")


def test_a_last_zip_that_changed_is_not_read(tiny_site: Path, build_site: BuildSite, tmp_path: Path) -> None:
    """The entries of the last ZIP are read only from the ZIP they were recorded with."""
    cache = tiny_site / ".loa-cache"
    build_site(tiny_site, cache_dir=cache)
    last = cache / "offline/vi/last.zip"
    data = bytearray(last.read_bytes())
    data[100:200] = bytes(100)  # in place, the same size: a ZIP that is not the one recorded
    last.write_bytes(bytes(data))
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    material.write_text(material.read_text(encoding="utf-8") + "\nMột câu nữa.\n", encoding="utf-8")
    build_site(tiny_site, cache_dir=cache)
    clean = tmp_path / "clean"
    build_site(tiny_site, out=clean)
    name = the_zip(clean, "vi").relative_to(clean)
    assert (tiny_site / "site" / name).read_bytes() == (clean / name).read_bytes()
