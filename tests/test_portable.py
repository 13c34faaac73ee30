"""Loa runs where POSIX-only modules are missing (Windows, where many officers work; issue 12)."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import textwrap
import threading
import types
from pathlib import Path

import pytest

from conftest import REPO, BuildSite

POSIX_ONLY = ("fcntl", "termios", "resource", "pwd", "grp", "pty", "tty", "syslog")


def test_every_command_runs_without_posix_only_modules(tiny_site: Path, tmp_path: Path) -> None:
    # Each POSIX-only module is made unimportable (as on Windows) before Loa is imported; then every
    # module of Loa is imported, and a real check and build run through the fallback lock.
    script = textwrap.dedent(f"""
        import importlib, pkgutil, sys
        for name in {POSIX_ONLY!r}:
            sys.modules.pop(name, None)
            sys.modules[name] = None  # import raises ImportError
        sys.path.insert(0, {str(REPO)!r})
        import loa
        for module in pkgutil.iter_modules(loa.__path__):
            importlib.import_module("loa." + module.name)
        from loa.publish import files
        assert files.fcntl is None
        with files.locked(__import__("pathlib").Path({str(tmp_path / "x.lock")!r})):
            pass
        from loa.cli import main
        common = ["--root", {str(tiny_site)!r}, "--today", "2026-12-01", "--quiet", "--jobs", "1"]
        assert main(["check", *common]) == 0
        sys.exit(main(["build", *common]))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tiny_site / "site/vi/pagefind").is_dir()  # the search index was written under the fallback lock


# Issue 19: each POSIX-only capability has a fallback chosen at run time; the tests below take the
# capability away on Linux (or feed the Windows one) so that each fallback runs here.

def test_pagefind_runs_without_os_nice_or_prctl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Windows has neither: subprocess refuses `preexec_fn` there, and `os.nice` does not exist
    from loa import children
    from loa.outputs.search import run_pagefind

    monkeypatch.delattr(os, "nice")
    monkeypatch.setattr(children, "_PRCTL", None)
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "index.html").write_text("<html lang='vi'><body><main>Đuối nước</main></body></html>",
                                          encoding="utf-8")
    assert run_pagefind("vi", documents, tmp_path / "bundle", nice=True) > 0
    assert (tmp_path / "bundle/pagefind-entry.json").is_file()


def test_a_lower_priority_is_a_creation_flag_without_os_nice(monkeypatch: pytest.MonkeyPatch) -> None:
    from loa import children

    monkeypatch.delattr(os, "nice")
    monkeypatch.setattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0x4000, raising=False)  # as on Windows
    assert children.popen_options(nice=True) == {"creationflags": 0x4000}
    assert children.popen_options(nice=False) == {}


def test_a_file_is_copied_where_hard_links_fail(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # FAT32 or exFAT (a USB stick), or a site on another drive than .loa-cache/, have no hard links
    from loa.publish import files

    def no_link(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    source = tmp_path / "a.html"
    source.write_text("trang", encoding="utf-8")
    os.utime(source, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    monkeypatch.setattr(os, "link", no_link)
    files.link_file(source, tmp_path / "b.html")
    copied = tmp_path / "b.html"
    assert copied.read_text(encoding="utf-8") == "trang"
    assert copied.stat().st_ino != source.stat().st_ino
    assert copied.stat().st_mtime_ns == source.stat().st_mtime_ns  # what the next build compares (reuse.py)


def test_the_lock_uses_msvcrt_without_fcntl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Windows: msvcrt.locking on the lock file's first byte; LK_LOCK gives up after 10 s with OSError,
    # and then Loa tries again rather than writing a search bundle beside another process
    from loa.publish import files

    calls: list[tuple[str, int, int]] = []

    def locking(fd: int, mode: int, size: int) -> None:
        calls.append(("lock" if mode == 1 else "unlock", os.lseek(fd, 0, os.SEEK_CUR), size))
        if len(calls) == 1:
            raise OSError(errno.EDEADLK, "Resource deadlock avoided")

    fake = types.ModuleType("msvcrt")
    fake.LK_LOCK, fake.LK_UNLCK, fake.locking = 1, 0, locking  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(files, "fcntl", None)
    with files.locked(tmp_path / "x.lock"):
        assert calls == [("lock", 0, 1), ("lock", 0, 1)]
    assert calls[-1] == ("unlock", 0, 1)


def test_saves_are_polled_without_file_events(monkeypatch: pytest.MonkeyPatch, tiny_site: Path) -> None:
    # watchdog reads file events from inotify (Linux) or ReadDirectoryChangesW (Windows); where it
    # cannot start (the inotify watch limit, a network drive), `serve` compares modification times
    from loa.serve import watch

    def refuse(self: object) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watch.Observer, "start", refuse)
    watcher = watch.Watcher(tiny_site, interval=0.05)
    assert watcher.observer is None
    material = tiny_site / "content/vi/drowning/ten-actions.md"
    stat = material.stat()
    material.write_text(material.read_text(encoding="utf-8") + "\nThêm.\n", encoding="utf-8")
    os.utime(material, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    found: list[list[Path]] = []
    thread = threading.Thread(target=lambda: found.append(watcher.changes()), daemon=True)
    thread.start()
    thread.join(10)
    assert found == [[material]]


def test_spawned_workers_render_the_same_site(tiny_site: Path, tmp_path: Path, build_site: BuildSite) -> None:
    # Windows starts worker processes with spawn only: each gets its task pickled and imports Loa
    # afresh, with none of the parent's globals. Linux forks: the same build must come out of both.
    script = textwrap.dedent(f"""
        import multiprocessing, sys
        sys.path.insert(0, {str(REPO)!r})
        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn")
            from loa.cli import main
            sys.exit(main(["build", "--root", {str(tiny_site)!r}, "--out", {str(tmp_path / "spawned")!r},
                           "--today", "2026-12-01", "--quiet", "--jobs", "2", "--no-cache"]))
    """)
    (tmp_path / "spawn.py").write_text(script, encoding="utf-8")
    result = subprocess.run([sys.executable, str(tmp_path / "spawn.py")], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    build_site(tiny_site, out=tmp_path / "forked", jobs=1)
    spawned = {p.relative_to(tmp_path / "spawned"): p.read_bytes()
               for p in sorted((tmp_path / "spawned").rglob("*")) if p.is_file()}
    forked = {p.relative_to(tmp_path / "forked"): p.read_bytes()
              for p in sorted((tmp_path / "forked").rglob("*")) if p.is_file()}
    assert len(spawned) > 20
    assert spawned.keys() == forked.keys()
    assert [path for path in spawned if spawned[path] != forked[path]] == []


def test_problems_print_where_the_console_has_no_vietnamese_letters(tiny_site: Path) -> None:
    # Windows writes a redirected stdout/stderr (`check > problems.txt`) in its ANSI code page
    campaign = tiny_site / "campaigns/safe-summer.yml"
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("drowning-prevention", "đuối-nước"),
                        encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--root", str(tiny_site),
                             "--today", "2026-12-01"], capture_output=True, timeout=300,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert "campaigns/safe-summer.yml:5:10: error: topics[0]: unknown topic 'đuối-nước'" in stderr


def test_a_build_without_pango_says_what_to_install(tiny_site: Path) -> None:
    # WeasyPrint loads Pango's libraries when imported; on Windows without them it raises OSError
    script = textwrap.dedent(f"""
        import sys, types
        sys.path.insert(0, {str(REPO)!r})
        def missing(name):
            raise OSError("cannot load library 'libgobject-2.0-0': error 0x7e")
        fake = types.ModuleType("weasyprint")
        fake.__getattr__ = missing
        sys.modules["weasyprint"] = fake
        from loa.cli import main
        sys.exit(main(["build", "--root", {str(tiny_site)!r}, "--today", "2026-12-01", "--quiet", "--jobs", "1"]))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        "error: print files: WeasyPrint cannot load Pango (cannot load library 'libgobject-2.0-0': error 0x7e). "
        "Install it: on Windows, MSYS2 and its package mingw-w64-ucrt-x86_64-pango; on Debian or Ubuntu, "
        "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 (README, 'Windows')\n"
        "nothing was written; the previous site is unchanged\n")
    assert not (tiny_site / "site").exists()


def test_fonts_are_found_from_windows_file_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint asks for the fonts of the print stylesheet by file: URL, with the drive on Windows
    import nturl2path

    from loa.outputs.print import pdf

    monkeypatch.setattr(pdf, "url2pathname", nturl2path.url2pathname)
    assert pdf.file_url_path("file:///C:/Users/Lan/Loa%20Tinh/theme/fonts/BeVietnamPro-Regular.ttf") == \
        r"C:\Users\Lan\Loa Tinh\theme\fonts\BeVietnamPro-Regular.ttf"


def test_a_site_held_open_for_a_moment_is_still_replaced(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Windows refuses to rename a folder while a file in it is open (serve answering a browser);
    # the refusal is brief, so publishing tries again instead of failing the build
    from loa.cache import files
    from loa.publish.target import staging

    out = tmp_path / "site"
    out.mkdir()
    (out / "old.html").write_text("cũ", encoding="utf-8")
    real = os.replace
    refused: list[str] = []

    def busy(source: Path, target: Path) -> None:
        if len(refused) < 2:
            refused.append(Path(source).name)
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        real(source, target)

    monkeypatch.setattr(files, "RETRY_SECONDS", 2.0)
    monkeypatch.setattr(os, "replace", busy)
    with staging(out) as temp:
        (temp / "new.html").write_text("mới", encoding="utf-8")
    assert refused == ["site", "site"]
    assert (out / "new.html").read_text(encoding="utf-8") == "mới"
    assert not (out / "old.html").exists()


def test_a_refusal_that_lasts_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from loa.cache import files

    def busy(source: Path, target: Path) -> None:
        raise PermissionError(13, "in use")

    monkeypatch.setattr(files, "RETRY_SECONDS", 0.2)
    monkeypatch.setattr(os, "replace", busy)
    with pytest.raises(PermissionError):
        files.write_atomically(tmp_path / "x.json", "{}")
    assert list(tmp_path.iterdir()) == []  # the temporary file is gone


def test_a_port_windows_reserved_is_refused_with_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows reports a reserved port (Hyper-V's excluded ranges) as WSAEACCES, not EACCES
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from loa.errors import UsageError
    from loa.serve import server

    def reserved(self: object) -> None:
        raise OSError(10013, "An attempt was made to access a socket in a way forbidden by its access permissions")

    monkeypatch.setattr(errno, "WSAEACCES", 10013, raising=False)
    monkeypatch.setattr(ThreadingHTTPServer, "server_bind", reserved)
    with pytest.raises(UsageError, match="port 8123 is reserved for the system"):
        server.listen(8123, SimpleHTTPRequestHandler)


def test_windows_servers_do_not_share_a_port(monkeypatch: pytest.MonkeyPatch) -> None:
    # with SO_REUSEADDR, Windows would let a second serve listen on a busy port; without it, the
    # second is refused there as it is on Linux (which only the busy-port test in test_serve.py sees)
    from http.server import SimpleHTTPRequestHandler

    from loa.errors import UsageError
    from loa.serve import server

    monkeypatch.setattr(server.LocalServer, "allow_reuse_address", False)  # as on Windows
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    first = server.listen(port, SimpleHTTPRequestHandler)
    try:
        assert first.socket.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 0
        with pytest.raises(UsageError, match=f"port {port} is busy"):
            server.listen(port, SimpleHTTPRequestHandler)
    finally:
        first.server_close()
