"""Loa runs where POSIX-only modules are missing (Windows, where many officers work; issue 12)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO

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
        from loa.publish import reuse
        assert reuse.fcntl is None
        with reuse.locked(__import__("pathlib").Path({str(tmp_path / "x.lock")!r})):
            pass
        from loa.cli import main
        common = ["--root", {str(tiny_site)!r}, "--today", "2026-12-01", "--quiet", "--jobs", "1"]
        assert main(["check", *common]) == 0
        sys.exit(main(["build", *common]))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tiny_site / "site/vi/pagefind").is_dir()  # the search index was written under the fallback lock
