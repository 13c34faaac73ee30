"""The output folder is Loa's alone: `--out` never takes a folder of the user's (issue 12)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import REPO
from loa.publish.target import MARKER, MARKER_TEXT, empty_trash


def run(root: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args, "--root", str(root),
                           "--today", "2026-12-01"], capture_output=True, text=True, cwd=cwd or root, timeout=300)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_out_refuses_a_folder_of_the_users(tiny_site: Path, tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("Dear committee,\n", encoding="utf-8")
    for command in ("build", "serve"):
        result = run(tiny_site, command, "--out", str(documents))
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            f"build.py: error: --out {documents.resolve()}: this folder is not empty and Loa did not build it; "
            "Loa replaces its output folder as a whole, so it would take these files away. Choose another --out "
            "(a new or empty folder), or delete this folder yourself if you no longer need it\n")
        assert tree(documents) == {"letter.txt": b"Dear committee,\n"}
        assert sorted(p.name for p in documents.parent.iterdir()) == ["Documents", "project"]
        trash = tiny_site / ".loa-cache/trash"
        assert not trash.exists() or not any(trash.iterdir())


def test_out_refuses_a_file(tiny_site: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    result = run(tiny_site, "build", "--out", str(notes))
    assert result.returncode == 2 and "not a folder Loa built" in result.stderr
    assert notes.read_text(encoding="utf-8") == "mine"


def test_out_takes_an_empty_folder_and_replaces_its_own_site(tiny_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    assert run(tiny_site, "build", "--quiet", "--out", str(out)).returncode == 0
    assert (out / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
    assert json.loads(MARKER_TEXT) == {"generator": "loa"}
    assert run(tiny_site, "build", "--quiet", "--out", str(out)).returncode == 0  # its own site: replaced
    assert (out / "vi/index.html").is_file()
    # the marker is no page: not in the sitemap, not in the search index
    assert MARKER not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_a_site_built_before_the_marker_is_still_loas(tiny_site: Path) -> None:
    # an older Loa wrote no marker, but its record in .loa-cache/ says it published site/ there
    assert run(tiny_site, "build", "--quiet").returncode == 0
    (tiny_site / "site" / MARKER).unlink()
    assert run(tiny_site, "build", "--quiet").returncode == 0
    assert (tiny_site / "site" / MARKER).is_file()
    # a file of the user's beside it: the record does not vouch for that
    (tiny_site / "site" / MARKER).unlink()
    (tiny_site / "site/notes.txt").write_text("mine", encoding="utf-8")
    result = run(tiny_site, "build")
    assert result.returncode == 2 and "Loa did not build it" in result.stderr
    assert (tiny_site / "site/notes.txt").read_text(encoding="utf-8") == "mine"
    (tiny_site / "site/notes.txt").unlink()
    # without the marker nor the record (--no-cache reads no record), it is refused with the way out
    result = run(tiny_site, "build", "--no-cache")
    assert result.returncode == 2 and "delete this folder yourself" in result.stderr


def test_the_trash_holds_only_what_loa_put_there(tmp_path: Path) -> None:
    trash = tmp_path / "trash"
    mine = trash / "notes"
    mine.mkdir(parents=True)
    (mine / "a.txt").write_text("kept", encoding="utf-8")
    old = trash / f".site.loa-old-{'0' * 32}"
    (old / "vi").mkdir(parents=True)
    process = empty_trash(trash)
    assert process is not None
    assert process.wait() == 0
    assert not old.exists() and (mine / "a.txt").read_text(encoding="utf-8") == "kept"


def _old_site(trash: Path, files: int) -> Path:
    old = trash / f".site.loa-old-{'1' * 32}"
    for number in range(files):
        folder = old / "vi" / f"p{number // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number}.html").write_text("x", encoding="utf-8")
    return old


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_trash_is_deleted_only_with_time_no_one_else_wants(tmp_path: Path) -> None:
    # beside a rebuild, a deletion at nice 10 still took CPU the rebuild had none of to spare
    old = _old_site(tmp_path / "trash", 3000)
    process = empty_trash(tmp_path / "trash")
    assert process is not None
    policies = set()
    deadline = time.monotonic() + 120  # it only runs when a core is idle: a machine busy with other work delays it
    while process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError):  # ended meanwhile
            policies.add(os.sched_getscheduler(process.pid))
        time.sleep(0.001)
    assert os.SCHED_IDLE in policies and not old.exists()


def _gone(pid: int, seconds: float) -> bool:
    """Whether the process `pid` (not a child of this one) has ended within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(os.name == "nt", reason="watches a process that is not its child with os.kill")
def test_the_deletion_of_the_trash_goes_on_after_the_build_has_ended_until_it_is_done(tmp_path: Path) -> None:
    # 20,000 files take seconds to delete: the command does not wait for them, and they are not left behind
    old = _old_site(tmp_path / "trash", 20000)
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(REPO)!r})
        from loa.publish.target import empty_trash
        print(empty_trash(Path({str(tmp_path / "trash")!r})).pid, flush=True)
    """)
    ended = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    pid = int(ended.stdout)
    assert old.exists()  # 20,000 files are not deleted before a Python process starts and ends
    assert _gone(pid, 120) and not old.exists()  # goes on alone, to the end (idle priority: a busy machine delays it)


def test_the_site_a_build_replaced_is_deleted_after_it_without_waiting_for_the_next(tiny_site: Path) -> None:
    for _ in range(2):
        assert run(tiny_site, "build", "--quiet").returncode == 0
    trash = tiny_site / ".loa-cache/trash"
    deadline = time.monotonic() + 120  # at idle priority: a busy machine delays it
    while any(trash.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(trash.iterdir()) == []  # the first build's site, replaced by the second


@pytest.mark.skipif(os.name == "nt", reason="the lock is taken here with fcntl")
def test_one_deletion_of_the_trash_runs_at_a_time(tmp_path: Path) -> None:
    import fcntl

    trash = tmp_path / "trash"
    first = _old_site(trash, 10)
    with open(tmp_path / "trash.lock", "a") as lock:  # as a deletion still running holds it
        fcntl.flock(lock, fcntl.LOCK_EX)
        second = empty_trash(trash)
        assert second is not None and second.wait(timeout=60) == 0
        assert first.exists()  # left to the one running, which looks for what is there before it ends
    again = empty_trash(trash)
    assert again is not None and again.wait(timeout=60) == 0 and not first.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trash", "trash.lock"]


def test_out_is_relative_to_the_current_folder(tiny_site: Path, tmp_path: Path) -> None:
    here = tmp_path / "elsewhere"
    here.mkdir()
    result = run(tiny_site, "build", "--quiet", "--out", "public", cwd=here)
    assert result.returncode == 0, result.stderr
    assert (here / "public/vi/index.html").is_file() and not (tiny_site / "public").exists()
    # without --out, the project's own site/ folder
    assert run(tiny_site, "build", "--quiet", cwd=here).returncode == 0
    assert (tiny_site / "site/vi/index.html").is_file() and not (here / "site").exists()
